import gamma from "@stdlib/math-base-special-gamma";

/**
 * Euler's gamma function.
 *
 *   Γ(x) = ∫₀^∞ t^(x−1) e^(−t) dt for x > 0, continued by Γ(x + 1) = x·Γ(x) to the
 *   negative non-integers; Γ(n) = (n − 1)! for whole n ≥ 1
 *
 * Used for the Weibull mean: E[X] = scale · Γ(1 + 1/shape).
 *
 * Assumptions: x finite and not a pole (0, −1, −2, …). Relative error about 3e-16 over the
 * range checked against mpmath (1e-300 … 171.6, and negative non-integers to −170.5).
 * Overflow: the result is +Infinity for x above 171.61447887182297 (@stdlib switches to
 * Infinity slightly before the true limit 171.6243769563027, where Γ reaches the largest
 * double) and for 0 < x < 5.6e-309; it underflows to ±0 for x below about −177.
 * Source: @stdlib/math-base-special-gamma, a port of Cephes' gamma (S. L. Moshier,
 * Methods and Programs for Mathematical Functions, 1989): rational approximation on
 * [2, 3], recurrence, and Stirling's series for large x; reflection for x < 0.
 *
 * @throws RangeError when x is NaN, infinite, zero or a negative integer
 * @example gammaFunction(1 + 1 / 0.5) // 2 (the Weibull mean factor for shape 0.5)
 */
export function gammaFunction(x: number): number {
  if (!Number.isFinite(x) || (x <= 0 && Number.isInteger(x))) {
    throw new RangeError(`gammaFunction requires a finite x that is not 0 or a negative integer, got ${x}`);
  }
  return gamma(x);
}
