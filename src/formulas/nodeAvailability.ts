import type { Probability } from "./probability.js";

/**
 * Steady-state availability of one repairable node.
 *
 *   A = MTBF / (MTBF + MTTR),   U = MTTR / (MTBF + MTTR)
 *
 * Both halves are single divisions, so each is accurate to an ulp. When MTBF + MTTR
 * overflows (two times near 1e308, where both halves would come out 0) they are taken
 * from the ratio r of the shorter time to the longer one instead: A = 1/(1 + r),
 * U = r/(1 + r) when MTTR ≤ MTBF, mirrored otherwise.
 *
 * Assumptions: alternating up/down periods with these means (any distributions: the
 * renewal-reward theorem needs only the means); steady state.
 * Units: any time unit, the same for both.
 * Source: the limiting availability of an alternating renewal process; Barlow & Proschan,
 * Statistical Theory of Reliability and Life Testing (1975), ch. 7; Trivedi, Probability
 * and Statistics with Reliability, Queuing, and Computer Science Applications (2nd ed.,
 * 2002), ch. 8 (the two-state availability model).
 *
 * @throws when MTBF is not positive or MTTR is not positive and finite
 * @example nodeAvailability(17532, 4) // value 0.99977190..., complement 2.2809e-4
 */
export function nodeAvailability(mtbfHours: number, mttrHours: number): Probability {
  if (!Number.isFinite(mtbfHours) || mtbfHours <= 0) {
    throw new RangeError(`nodeAvailability requires mtbf > 0, got ${mtbfHours}`);
  }
  if (!Number.isFinite(mttrHours) || mttrHours <= 0) {
    throw new RangeError(`nodeAvailability requires mttr > 0, got ${mttrHours}`);
  }
  const cycle = mtbfHours + mttrHours;
  if (Number.isFinite(cycle)) return { value: mtbfHours / cycle, complement: mttrHours / cycle };
  if (mttrHours <= mtbfHours) {
    const r = mttrHours / mtbfHours;
    return { value: 1 / (1 + r), complement: r / (1 + r) };
  }
  const r = mtbfHours / mttrHours;
  return { value: r / (1 + r), complement: 1 / (1 + r) };
}
