import { type Probability, productOf } from "./probability.js";

/**
 * Series availability: every component must be up (producer path, broker, consumer).
 *
 *   A = ∏ A_j,   U = 1 − ∏ A_j = −expm1(Σ log1p(−U_j))   (when A ≥ 1/2)
 *
 * The unavailability is formed from the components' own unavailabilities, never as
 * `1 − A`, so five components at U = 1e-16 give 5e-16.
 *
 * Assumptions: independent components; steady state.
 * Source: Barlow & Proschan, Statistical Theory of Reliability and Life Testing (1975),
 * ch. 2 (the series structure and its reliability function).
 *
 * @throws when the list is empty
 * @example seriesAvailability([{value: 0.999, complement: 0.001}, {value: 0.999, complement: 0.001}]) // value 0.998001, complement 0.001999
 */
export function seriesAvailability(componentAvailabilities: readonly Probability[]): Probability {
  if (componentAvailabilities.length === 0) {
    throw new RangeError("seriesAvailability requires at least one component");
  }
  const allUp = productOf(componentAvailabilities, "seriesAvailability");
  return { value: allUp.value, complement: allUp.complement };
}
