import beta from "@stdlib/math-base-special-beta";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { normalQuantile } from "./normalQuantile.js";

/** From here on the Cornish–Fisher series (four terms) is exact to rounding for every double p. */
const SERIES_DEGREES_OF_FREEDOM = 1e8;
/** @stdlib's result is trusted while t² ≥ this · ν; below, t is far inside the body and it can collapse to 0. */
const COLLAPSE_RATIO = 1e-13;
/** Below this many degrees of freedom a collapsed result is recomputed by the series about t = 0. */
const CENTRE_SERIES_MAX_DEGREES_OF_FREEDOM = 2000;

/**
 * Student's t quantile: the t with P(T ≤ t) = p for T with ν degrees of freedom.
 *
 *   t_{p,ν} = F_ν⁻¹(p),   F_ν(t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0
 *
 * Computed by @stdlib/stats-base-dists-t-quantile (a port of Boost.Math's inverse
 * incomplete beta, with Hill's and Shaw's starting values), except where that port is
 * known to fail:
 *
 * - ν ≥ 1e8: the Cornish–Fisher expansion t = z + g₁(z)/ν + g₂(z)/ν² + g₃(z)/ν³ + g₄(z)/ν⁴
 *   with z = Φ⁻¹(p) (Abramowitz & Stegun 1964, eq. 26.7.5). Its next term is below 1e-20
 *   relative for |z| ≤ 38.5, the whole range of a double p. (@stdlib returns 0 from
 *   ν ≈ 3e16 at p = 0.975, and loses digits in the far tails around ν = 3e8: 2e-13
 *   relative at p = 1e-300. Boost's own inverse_students_t starts from the normal
 *   quantile above ν = 2^28.)
 * - a result with t² < 1e-13·ν, where the port's x = ν/(ν + t²) rounds to 1 and the
 *   answer collapses to 0 (e.g. ν = 1e6, p = 0.5 + 1e-6): the same series when ν ≥ 2000,
 *   else the series about the centre t = w + (ν + 1)/(6ν)·w³ with
 *   w = (p − ½)·√ν·B(ν/2, ½) (the inverse of F_ν(t) − ½ = f_ν(0)·(t − (ν + 1)t³/(6ν) + …),
 *   f_ν(0) = 1/(√ν·B(ν/2, ½)); the next term is below 1e-20 relative there).
 *
 * Assumptions: 0 < p < 1; ν > 0, not necessarily whole (ν = Infinity gives Φ⁻¹(p)).
 * When |t| exceeds about 1.3e154 (only for ν < 2 and extreme p, e.g. ν = 1, p = 1e-300:
 * −3.18e299) @stdlib's t² overflows and the result is ±Infinity; quantiles beyond the
 * largest double (ν = 0.01, p = 1e-6: −3.96e568) are ±Infinity too.
 * Source: @stdlib/stats-base-dists-t-quantile and @stdlib/math-base-special-beta (ports of
 * Boost.Math); Abramowitz & Stegun (1964), eq. 26.7.5; Hill, "Algorithm 396: Student's
 * t-quantiles", CACM 13(10), 1970.
 *
 * @throws RangeError when p is not in (0, 1) or degreesOfFreedom is not > 0
 * @example studentTQuantile(0.975, 9) // 2.262157162798205
 */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (!(p > 0 && p < 1)) {
    throw new RangeError(`studentTQuantile requires a probability 0 < p < 1, got ${p}`);
  }
  if (!(degreesOfFreedom > 0)) {
    throw new RangeError(`studentTQuantile requires degrees of freedom > 0, got ${degreesOfFreedom}`);
  }
  if (p === 0.5) return 0;
  if (degreesOfFreedom >= SERIES_DEGREES_OF_FREEDOM) return cornishFisher(normalQuantile(p), degreesOfFreedom);
  const t = tQuantile(p, degreesOfFreedom);
  if (t * t >= COLLAPSE_RATIO * degreesOfFreedom) return t;
  if (degreesOfFreedom >= CENTRE_SERIES_MAX_DEGREES_OF_FREEDOM) return cornishFisher(normalQuantile(p), degreesOfFreedom);
  const w = (p - 0.5) * Math.sqrt(degreesOfFreedom) * beta(degreesOfFreedom / 2, 0.5);
  return w + ((degreesOfFreedom + 1) / (6 * degreesOfFreedom)) * w * w * w;
}

/** A&S 26.7.5: t ≈ z + g₁/ν + g₂/ν² + g₃/ν³ + g₄/ν⁴ (ν = Infinity gives z). */
function cornishFisher(z: number, v: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v;
}
