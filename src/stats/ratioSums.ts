/**
 * The six streaming sums of the regenerative ratio estimator over n cycles, each cycle
 * giving a numerator Y (e.g. downtime in the cycle) and a denominator τ (the cycle's
 * length): n, ΣY, Στ, ΣY², Στ², ΣYτ. A plain object of these is what
 * {@link ratioEstimate} reads; {@link RatioSums} accumulates one.
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

/**
 * Streaming accumulator of the ratio estimator's sums (see {@link RatioSumsData}):
 * `add(Y, τ)` adds one cycle, allocation-free, six additions and three products. The
 * samples are not stored.
 *
 *   count += 1, sumNumerator += Y, sumDenominator += τ, sumNumeratorSquared += Y²,
 *   sumDenominatorSquared += τ², sumProduct += Y·τ
 *
 * Assumptions: none on the values beyond being finite (checked by {@link ratioEstimate},
 * not per add, to keep the add cheap); the estimator itself assumes i.i.d. cycles.
 * Source: the sums of Asmussen & Glynn, Stochastic Simulation (2007), §IV.4 (see
 * {@link ratioEstimate}); combine accumulators with {@link mergeRatioSums}.
 *
 * @example
 *   const sums = new RatioSums();
 *   sums.add(1, 10); sums.add(1, 30);
 *   ratioEstimate(sums).value // 0.05 = 2 / 40
 */
export class RatioSums implements RatioSumsData {
  count = 0;
  sumNumerator = 0;
  sumDenominator = 0;
  sumNumeratorSquared = 0;
  sumDenominatorSquared = 0;
  sumProduct = 0;

  /** A copy of the given sums, to continue accumulating into. */
  static from(sums: RatioSumsData): RatioSums {
    const copy = new RatioSums();
    copy.count = sums.count;
    copy.sumNumerator = sums.sumNumerator;
    copy.sumDenominator = sums.sumDenominator;
    copy.sumNumeratorSquared = sums.sumNumeratorSquared;
    copy.sumDenominatorSquared = sums.sumDenominatorSquared;
    copy.sumProduct = sums.sumProduct;
    return copy;
  }

  /** Add one cycle with numerator Y and denominator τ. */
  add(numerator: number, denominator: number): void {
    this.count += 1;
    this.sumNumerator += numerator;
    this.sumDenominator += denominator;
    this.sumNumeratorSquared += numerator * numerator;
    this.sumDenominatorSquared += denominator * denominator;
    this.sumProduct += numerator * denominator;
  }
}
