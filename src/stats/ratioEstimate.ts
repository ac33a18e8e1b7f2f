/**
 * The six sums of the regenerative ratio estimator over n cycles (or runs), each giving a
 * numerator Y (e.g. downtime in the cycle) and a denominator τ (the cycle's length):
 * n, ΣY, Στ, ΣY², Στ², ΣYτ. The simulator keeps them as exact sums (src/sim/estimate/runTotals.ts).
 */
export interface RatioSumsData {
  /** n, the number of cycles */
  readonly count: number;
  /** ΣY */
  readonly sumNumerator: number;
  /** Στ */
  readonly sumDenominator: number;
  /** ΣY² */
  readonly sumNumeratorSquared: number;
  /** Στ² */
  readonly sumDenominatorSquared: number;
  /** ΣYτ */
  readonly sumProduct: number;
}

/** The regenerative ratio estimate, its delta-method standard error, and the cycles it rests on. */
export interface RatioEstimate {
  readonly value: number;
  readonly standardError: number;
  readonly count: number;
}

/**
 * Regenerative ratio estimator with its delta-method (central limit theorem) standard error.
 *
 *   r = ΣY / Στ
 *   s² = Σ(Y − rτ)² / (n − 1) = (ΣY² − 2r·ΣYτ + r²·Στ²) / (n − 1)
 *   standard error = √(s² / n) / τ̄,  τ̄ = Στ / n
 *
 * √n(r − E[Y]/E[τ]) → N(0, Var(Y − rτ)/E[τ]²), so r ± z·(standard error) is an
 * asymptotic confidence interval for the long-run ratio E[Y]/E[τ].
 *
 * Numerics: s² is formed from the raw sums, so it loses about log10(ΣY² / Σ(Y − rτ)²)
 * digits when the cycles' ratios Y/τ are nearly all equal; a result that rounds below 0
 * is returned as a standard error of 0 (never NaN).
 *
 * Assumptions: the n cycles (Y_i, τ_i) are i.i.d. — cycles between successive entries to
 * a regeneration state; E[τ] > 0 and finite second moments; n large enough for the normal
 * approximation (the estimator is biased by O(1/n)).
 * Source: M. A. Crane & D. L. Iglehart, "Simulating stable stochastic systems, III:
 * regenerative processes and discrete-event simulations", Operations Research 23 (1975)
 * 33–45; S. Asmussen & P. W. Glynn, Stochastic Simulation: Algorithms and Analysis (2007),
 * §IV.4; P. W. Glynn & D. L. Iglehart, "Simulation methods for queues: an
 * overview", Queueing Systems 3 (1988) 221–255.
 *
 * @throws RangeError when count is not a whole number ≥ 2, a sum is not finite, a sum of
 *   squares is negative, or the denominator sum is not > 0
 * @example ratioEstimate({ count: 2, sumNumerator: 2, sumDenominator: 40, sumNumeratorSquared: 2,
 *   sumDenominatorSquared: 1000, sumProduct: 40 }) // { value: 0.05, standardError: 0.025000000000000012, count: 2 }
 */
export function ratioEstimate(sums: RatioSumsData): RatioEstimate {
  const n = sums.count;
  if (!Number.isSafeInteger(n) || n < 2) {
    throw new RangeError(`ratioEstimate requires a whole count of cycles ≥ 2, got ${n}`);
  }
  const { sumNumerator, sumDenominator, sumNumeratorSquared, sumDenominatorSquared, sumProduct } = sums;
  for (const [name, value] of [
    ["sumNumerator", sumNumerator],
    ["sumDenominator", sumDenominator],
    ["sumNumeratorSquared", sumNumeratorSquared],
    ["sumDenominatorSquared", sumDenominatorSquared],
    ["sumProduct", sumProduct],
  ] as const) {
    if (!Number.isFinite(value)) throw new RangeError(`ratioEstimate requires a finite ${name}, got ${value}`);
  }
  if (sumNumeratorSquared < 0 || sumDenominatorSquared < 0) {
    throw new RangeError(
      `ratioEstimate requires sums of squares ≥ 0, got sumNumeratorSquared ${sumNumeratorSquared}, sumDenominatorSquared ${sumDenominatorSquared}`,
    );
  }
  if (!(sumDenominator > 0)) {
    throw new RangeError(`ratioEstimate requires sumDenominator > 0, got ${sumDenominator}`);
  }
  const r = sumNumerator / sumDenominator;
  const residualSquares = sumNumeratorSquared - 2 * r * sumProduct + r * r * sumDenominatorSquared;
  const variance = Math.max(0, residualSquares) / (n - 1);
  const meanDenominator = sumDenominator / n;
  return { value: r, standardError: Math.sqrt(variance / n) / meanDenominator, count: n };
}
