/**
 * A probability carried together with its complement.
 *
 * `p` is the probability and `q = 1 − p`, each accurate to a few ulps *relative to
 * itself*. Small complements (an unavailability of 1e-15, a loss probability of
 * 1e-27) cannot be recovered from `p` once `p` has been rounded to a double near 1,
 * so every formula takes and returns both halves and never forms `1 − x` from a
 * value that is close to 1.
 */
export interface Probability {
  readonly p: number;
  readonly q: number;
}

/**
 * Build a {@link Probability} from a double.
 *
 * `1 − p` is exact for p ∈ [0.5, 1] (Sterbenz lemma) and has a relative error of at
 * most one ulp for p < 0.5 (the result is then ≥ 0.5), so this is accurate for the
 * double `p` itself. When the caller still has the decimal text the user typed,
 * prefer the exact decimal complement (src/expr/decimal.ts).
 *
 * @throws when p is not a finite number in [0, 1]
 */
export function probability(p: number, name = "probability"): Probability {
  assertProbability(p, name);
  return { p, q: 1 - p };
}

/** The same probability seen from the other side: {p: q, q: p}. */
export function complementOf(x: Probability): Probability {
  return { p: x.q, q: x.p };
}

/** @throws when x is not a finite number in [0, 1] */
export function assertProbability(x: number, name: string): void {
  if (!Number.isFinite(x) || x < 0 || x > 1) {
    throw new RangeError(`${name} must be a probability in [0, 1], got ${x}`);
  }
}

/**
 * The product of independent probabilities and its complement.
 *
 *   P = ∏ p_i                      (direct product: relative error ≤ n ulp)
 *   Q = 1 − ∏ p_i                  computed as
 *       1 − P                      when P < 1/2 (then Q > 1/2, no cancellation)
 *       −expm1(Σ log1p(−q_i))      when P ≥ 1/2 (every p_i ≥ 1/2, so every q_i is small
 *                                  and known accurately; no subtraction at all)
 *
 * An empty product is 1 (P = 1, Q = 0).
 */
export function productOf(factors: readonly Probability[]): Probability {
  let product = 1;
  for (const f of factors) product *= f.p;
  if (product < 0.5) return { p: product, q: 1 - product };
  let logProduct = 0;
  for (const f of factors) logProduct += Math.log1p(-f.q);
  return { p: product, q: -Math.expm1(logProduct) };
}

/** `productOf` of `count` copies of one factor: P = p^n, Q = 1 − p^n. */
export function powerOf(factor: Probability, count: number): Probability {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`powerOf requires a whole count ≥ 0, got ${count}`);
  }
  const product = factor.p ** count;
  if (product < 0.5) return { p: product, q: 1 - product };
  return { p: product, q: -Math.expm1(count * Math.log1p(-factor.q)) };
}
