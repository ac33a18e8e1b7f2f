/**
 * Wilson score interval for a binomial proportion.
 *
 *   the p with |k − n·p| ≤ z·√(n·p·(1 − p)), i.e. the roots of the quadratic
 *   (n + z²)p² − (2k + z²)p + k²/n = 0:
 *   centre c = (k + z²/2)/(n + z²),  half-width h = z·√(k(n − k)/n + z²/4)/(n + z²)
 *   low  = c − h = (k²/(n(n + z²))) / (c + h)                 (product of the roots)
 *   high = c + h, or 1 − ((n − k)²/(n(n + z²))) / (c′ + h)    with c′ = (n − k + z²/2)/(n + z²)
 *
 * `low` is always computed as a quotient, never as c − h, so it keeps full relative
 * accuracy for tiny proportions (k = 1, n = 1e12, z = 5: c − h is off by 1.6e-14
 * relative, the quotient by less than 1e-16) and is exactly 0 when k = 0. `high` is c + h while c < ½ and the complement form otherwise,
 * so it is exactly 1 when k = n.
 *
 * Assumptions: k successes in n independent Bernoulli trials with a common probability;
 * z > 0 is the two-sided normal quantile (1.959963984540054 for 95 %). The interval is
 * two-sided with nominal coverage 1 − 2(1 − Φ(z)).
 * Source: E. B. Wilson, "Probable inference, the law of succession, and statistical
 * inference", JASA 22 (1927) 209–212; A. Agresti & B. A. Coull, "Approximate is better
 * than 'exact' for interval estimation of binomial proportions", The American
 * Statistician 52 (1998) 119–126.
 *
 * @throws RangeError when trials is not a whole number ≥ 1, successes is not a whole
 *   number in [0, trials], or z is not finite and > 0
 * @example wilsonInterval(3, 100, 1.959963984540054) // [0.0102545..., 0.0845193...]
 */
export function wilsonInterval(successes: number, trials: number, z: number): readonly [number, number] {
  if (!Number.isSafeInteger(trials) || trials < 1) {
    throw new RangeError(`wilsonInterval requires a whole number of trials ≥ 1, got ${trials}`);
  }
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`wilsonInterval requires a whole number of successes in [0, ${trials}], got ${successes}`);
  }
  if (!(z > 0 && z < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`wilsonInterval requires a finite z > 0, got ${z}`);
  }
  const n = trials;
  const k = successes;
  const failures = n - k;
  const z2 = z * z;
  const scale = n + z2;
  const centre = (k + z2 / 2) / scale;
  const complementCentre = (failures + z2 / 2) / scale;
  const half = (z * Math.sqrt((k * failures) / n + z2 / 4)) / scale;
  const low = (k * k) / (n * scale) / (centre + half);
  const high = centre < 0.5 ? centre + half : 1 - (failures * failures) / (n * scale) / (complementCentre + half);
  return [low, Math.min(1, high)];
}
