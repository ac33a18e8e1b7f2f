import erfcinv from "@stdlib/math-base-special-erfcinv";

/**
 * Standard normal quantile (inverse of the standard normal distribution function).
 *
 *   Φ⁻¹(p) = −√2 · erfcinv(2p),   0 < p < 1
 *
 * 2p is exact in binary, and erfcinv keeps full relative accuracy in both tails (its
 * argument near 2 is handled through 2 − y, which is exact there), so Φ⁻¹(1e-300) =
 * −37.047096299361… is right to about 1e-13 and Φ⁻¹(1 − 2^−53) to an ulp. We do not wrap
 * @stdlib/stats-base-dists-normal-quantile: it computes erfinv(2p − 1), where 2p − 1
 * cancels, and returns −Infinity for every p below about 1.1e-16 (Φ⁻¹(1e-300) = −∞).
 *
 * Assumptions: p is a probability strictly between 0 and 1 (Φ⁻¹(0) and Φ⁻¹(1) are ∓∞).
 * Source: @stdlib/math-base-special-erfcinv, a port of Boost.Math's erfc_inv (rational
 * approximations by J. Maddock, accurate to a few ulp); the identity Φ(x) = erfc(−x/√2)/2
 * is Abramowitz & Stegun (1964), eq. 26.2.29.
 *
 * @throws RangeError when p is not in (0, 1)
 * @example normalQuantile(0.975) // 1.9599639845400538 (the double nearest the true 1.95996398454005386)
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new RangeError(`normalQuantile requires a probability 0 < p < 1, got ${p}`);
  }
  const x = -Math.SQRT2 * erfcinv(2 * p);
  return x === 0 ? 0 : x; // Φ⁻¹(½) = +0, not −0
}
