import { CONFIDENCE } from "./confidence.js";

/**
 * One-sided upper confidence bound for a probability when no event was seen: the rule of
 * three (≈ 3/n; Hanley & Lippman-Hand, JAMA 1983), computed exactly.
 *
 *   the p with (1 − p)^n = 1 − confidence:
 *   p_upper = 1 − (1 − confidence)^(1/n) = −expm1(log1p(−confidence) / n)
 *
 * This is the exact Clopper–Pearson upper bound for 0 events in n trials; n·p_upper →
 * −ln(1 − confidence) (2.9957… for 95 %) as n grows, hence "3/n". Written with expm1 and
 * log1p it has no cancellation: n = 1e15 gives 2.9957e-15 to full precision, where
 * 1 − 0.05^(1/n) gives 2.9976e-15 (two digits).
 *
 * Assumptions: n independent trials with a common event probability, none of which
 * produced the event; the bound is one-sided (P(p ≤ p_upper) ≥ confidence).
 * Source: C. J. Clopper & E. S. Pearson, "The use of confidence or fiducial limits
 * illustrated in the case of the binomial", Biometrika 26 (1934) 404–413; J. A. Hanley &
 * A. Lippman-Hand, "If nothing goes wrong, is everything all right?", JAMA 249 (1983)
 * 1743–1745.
 *
 * @throws RangeError when trials is not a whole number ≥ 1 or confidence is not in (0, 1)
 * @example ruleOfThree(1000) // 0.0029912495... (3/1000 = 0.003)
 */
export function ruleOfThree(trials: number, confidence = CONFIDENCE): number {
  if (!Number.isSafeInteger(trials) || trials < 1) {
    throw new RangeError(`ruleOfThree requires a whole number of trials ≥ 1, got ${trials}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`ruleOfThree requires a confidence 0 < confidence < 1, got ${confidence}`);
  }
  return -Math.expm1(Math.log1p(-confidence) / trials);
}
