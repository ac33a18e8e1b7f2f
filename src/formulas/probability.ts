/**
 * A probability carried together with its complement.
 *
 * `value` is the probability of the event the variable's name says (a node's
 * *un*availability in `nodeUnavailabilities`, an attempt's success in `success`) and
 * `complement` is 1 − value; each is accurate to a few ulps *relative to itself*. Small
 * complements (an unavailability of 1e-15, a loss probability of 1e-27) cannot be
 * recovered from a value that has been rounded to a double near 1, so every formula
 * takes and returns both halves and never forms `1 − x` from a value close to 1.
 *
 * Formulas return this type too: `value` is what the formula is named for (an
 * availability, a reliability, a loss probability) and `complement` its complement,
 * computed directly.
 */
export interface Probability {
  readonly value: number;
  readonly complement: number;
}

/** The same probability seen from the other side: the event's complement. */
export function complementOf(x: Probability): Probability {
  return { value: x.complement, complement: x.value };
}

/**
 * @throws when x is not a pair of numbers in [0, 1] whose sum is 1 within rounding (a few
 * ulps of the larger half)
 */
export function assertProbability(x: Probability, name: string): void {
  const { value, complement } = x;
  if (!(value >= 0 && value <= 1) || !(complement >= 0 && complement <= 1)) {
    throw new RangeError(`${name} must be a probability in [0, 1], got ${value} (complement ${complement})`);
  }
  if (Math.abs(value + complement - 1) > 4 * Number.EPSILON) {
    throw new RangeError(`${name}: ${value} and its complement ${complement} do not add up to 1`);
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
 *
 * @throws when a factor is not a probability
 */
export function productOf(factors: readonly Probability[], name = "productOf"): Probability {
  let product = 1;
  for (const f of factors) {
    assertProbability(f, name);
    product *= f.value;
  }
  if (product < 0.5) return { value: product, complement: 1 - product };
  let logProduct = 0;
  for (const f of factors) logProduct += Math.log1p(-f.complement);
  return { value: product, complement: -Math.expm1(logProduct) };
}

/**
 * `productOf` of `count` copies of one factor: P = p^n, Q = 1 − p^n.
 *
 * @throws when the count is not a whole number ≥ 0 or the factor is not a probability
 */
export function powerOf(factor: Probability, count: number, name = "powerOf"): Probability {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`${name} requires a whole count ≥ 0, got ${count}`);
  }
  assertProbability(factor, name);
  const product = factor.value ** count;
  if (product < 0.5) return { value: product, complement: 1 - product };
  return { value: product, complement: -Math.expm1(count * Math.log1p(-factor.complement)) };
}
