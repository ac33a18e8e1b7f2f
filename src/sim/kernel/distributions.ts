/**
 * Named samplers for the simulator's failure and repair times, each drawing from the run's
 * xoshiro128** stream through {@link nextOpenUnit} (a uniform in (0, 1), never 0 or 1, so
 * every logarithm below is finite). They are small monomorphic functions of numbers — no
 * allocation, no closures — meant for the hot loop; the parameter helpers at the bottom
 * are for setting up outside it.
 *
 * Each sampler checks its parameters with a few comparisons; the message is built in a
 * separate cold function, so that the samplers stay small enough for V8 to inline into
 * the loop (a sampler that is not inlined returns its double boxed, one allocation per
 * draw).
 */
import { gammaFunction } from "../../stats/gammaFunction.js";
import { nextOpenUnit, type RngState } from "./rng.js";

/** The cold path of the samplers' checks: "<what>, got a and b". */
function invalid(what: string, ...got: number[]): never {
  throw new RangeError(`${what}, got ${got.join(" and ")}`);
}

/**
 * Exponential draw by inverse transform: X = −mean · ln U, U uniform on (0, 1).
 *
 * P(X > x) = e^(−x/mean); E[X] = mean, Var[X] = mean². One uniform per draw. The
 * resolution of U (2^−32) caps a draw at 22.9 means (probability 2^−32 per draw).
 * Source: L. Devroye, Non-Uniform Random Variate Generation (1986), ch. II §2 (the
 * inversion method).
 *
 * @throws RangeError when mean is not finite and > 0
 * @example sampleExponential(seedState(1), 4) // a time with mean 4
 */
export function sampleExponential(rng: RngState, mean: number): number {
  if (!(mean > 0 && mean < Number.POSITIVE_INFINITY)) invalid("sampleExponential requires a finite mean > 0", mean);
  return -mean * Math.log(nextOpenUnit(rng));
}

/**
 * Weibull draw by inverse transform: X = scale · (−ln U)^(1/shape), U uniform on (0, 1).
 *
 * P(X > x) = exp(−(x/scale)^shape); E[X] = scale·Γ(1 + 1/shape),
 * Var[X] = scale²·(Γ(1 + 2/shape) − Γ(1 + 1/shape)²). The shape is passed as its inverse
 * (computed once outside the loop); inverseShape = 1 is the exponential. One uniform per
 * draw. Use {@link weibullScaleForMean} for the scale that gives a wanted mean.
 * Source: inversion of the Weibull distribution function; Devroye (1986), ch. II §2.
 *
 * @throws RangeError when scale or inverseShape is not finite and > 0
 * @example sampleWeibull(rng, weibullScaleForMean(17532, 0.7), 1 / 0.7) // mean 17532
 */
export function sampleWeibull(rng: RngState, scale: number, inverseShape: number): number {
  if (!(scale > 0 && scale < Number.POSITIVE_INFINITY && inverseShape > 0 && inverseShape < Number.POSITIVE_INFINITY)) {
    invalid("sampleWeibull requires a finite scale > 0 and inverse shape > 0", scale, inverseShape);
  }
  return scale * (-Math.log(nextOpenUnit(rng))) ** inverseShape;
}

/**
 * Lognormal draw: X = exp(μ + σ·Z), with Z standard normal by the Box–Muller transform
 * Z = √(−2 ln U₁) · cos(2π U₂), using ONE uniform pair per draw (the sine partner is
 * discarded: keeping it would need state between calls).
 *
 * E[X] = exp(μ + σ²/2), Var[X] = (exp(σ²) − 1)·exp(2μ + σ²). Two uniforms per draw, in
 * the order U₁, U₂ — the same stream use as the simulator's inline lognormal repair
 * sampler. U₁ ≥ 2^−33 caps the radius at √(66·ln 2) = 6.76, a truncation with
 * probability 2^−33 per draw.
 * Use {@link lognormalLogMeanForMean} for the μ that gives a wanted mean.
 * Source: G. E. P. Box & M. E. Muller, "A note on the generation of random normal
 * deviates", Ann. Math. Statist. 29 (1958) 610–611.
 *
 * @throws RangeError when logMean is not finite or sigma is not finite and ≥ 0
 * @example sampleLognormal(rng, lognormalLogMeanForMean(4, 1), 1) // mean 4
 */
export function sampleLognormal(rng: RngState, logMean: number, sigma: number): number {
  if (!(sigma >= 0 && sigma < Number.POSITIVE_INFINITY && Number.isFinite(logMean))) {
    invalid("sampleLognormal requires a finite log-mean and a finite sigma ≥ 0", logMean, sigma);
  }
  const radius = Math.sqrt(-2 * Math.log(nextOpenUnit(rng)));
  const normal = radius * Math.cos(2 * Math.PI * nextOpenUnit(rng));
  return Math.exp(logMean + sigma * normal);
}

/**
 * Gamma(shape, 1) draw by Marsaglia & Tsang's squeeze method: with d = a − 1/3,
 * c = 1/√(9d), repeat { Z standard normal (Box–Muller), V = (1 + cZ)³ } until V > 0 and
 * ln U < Z²/2 + d − dV + d·ln V; return dV. For a < 1, Gamma(a) = Gamma(a + 1) · U^(1/a).
 *
 * E[X] = a, Var[X] = a. The loop accepts with probability above 0.95 for every a ≥ 1.
 * Source: G. Marsaglia & W. W. Tsang, "A simple method for generating gamma variables",
 * ACM TOMS 26(3) (2000) 363–372, including the a < 1 boost of their §6.
 *
 * @throws RangeError when shape is not finite and > 0
 * @example sampleGamma(rng, 1 / 3) // the (R/scale)^shape of a Weibull equilibrium residual, shape 3
 */
export function sampleGamma(rng: RngState, shape: number): number {
  if (!(shape > 0 && shape < Number.POSITIVE_INFINITY)) throw new RangeError(`sampleGamma requires a finite shape > 0, got ${shape}`);
  const boosted = shape < 1;
  const a = boosted ? shape + 1 : shape;
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  let x: number;
  for (;;) {
    const z = Math.sqrt(-2 * Math.log(nextOpenUnit(rng))) * Math.cos(2 * Math.PI * nextOpenUnit(rng));
    const t = 1 + c * z;
    if (t <= 0) continue;
    const v = t * t * t;
    if (Math.log(nextOpenUnit(rng)) < (z * z) / 2 + d - d * v + d * Math.log(v)) {
      x = d * v;
      break;
    }
  }
  return boosted ? x * nextOpenUnit(rng) ** (1 / shape) : x;
}

/**
 * The residual life of a Weibull-lived component that has been running (and renewed on
 * failure) for ever: its equilibrium (stationary-excess) distribution, with density
 * P(X > x)/E[X]. For the Weibull, (R/scale)^shape ~ Gamma(1/shape, 1), so
 *
 *   R = scale · G^(1/shape),  G ~ Gamma(1/shape)
 *
 * (substitute w = (x/scale)^shape in e^(−(x/scale)^shape) / (scale·Γ(1 + 1/shape)) to get
 * w^(1/shape − 1) e^(−w) / Γ(1/shape)). Starting a run's nodes with such residual lives,
 * rather than brand new, starts their failure processes in steady state.
 * Source: the equilibrium distribution of a renewal process, Ross, Stochastic Processes
 * (2nd ed. 1996), §3.5; the Gamma identity is the substitution above.
 *
 * @throws RangeError when scale or shape is not finite and > 0
 * @example sampleWeibullEquilibriumResidual(rng, weibullScaleForMean(17532, 3), 3)
 */
export function sampleWeibullEquilibriumResidual(rng: RngState, scale: number, shape: number): number {
  if (!(scale > 0 && scale < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`sampleWeibullEquilibriumResidual requires a finite scale > 0, got ${scale}`);
  }
  return scale * sampleGamma(rng, 1 / shape) ** (1 / shape);
}

/**
 * The Weibull scale whose mean is `mean`: scale = mean / Γ(1 + 1/shape).
 *
 * Source: E[X] = scale·Γ(1 + 1/shape) (Johnson, Kotz & Balakrishnan, Continuous Univariate
 * Distributions vol. 1, 2nd ed. 1994, ch. 21); Γ from {@link gammaFunction}.
 *
 * @throws RangeError when mean or shape is not finite and > 0, or Γ(1 + 1/shape) overflows
 *   (shape below about 0.0059)
 * @example weibullScaleForMean(1, 0.5) // 0.5 (Γ(3) = 2)
 */
export function weibullScaleForMean(mean: number, shape: number): number {
  if (!(mean > 0 && mean < Number.POSITIVE_INFINITY)) throw new RangeError(`weibullScaleForMean requires a finite mean > 0, got ${mean}`);
  if (!(shape > 0 && shape < Number.POSITIVE_INFINITY))
    throw new RangeError(`weibullScaleForMean requires a finite shape > 0, got ${shape}`);
  const factor = gammaFunction(1 + 1 / shape);
  if (!Number.isFinite(factor)) throw new RangeError(`weibullScaleForMean requires Γ(1 + 1/shape) to be finite, got shape ${shape}`);
  return mean / factor;
}

/**
 * The lognormal log-mean μ whose mean is `mean` for a given σ: μ = ln(mean) − σ²/2.
 *
 * Source: E[X] = exp(μ + σ²/2) (Johnson, Kotz & Balakrishnan, Continuous Univariate
 * Distributions vol. 1, 2nd ed. 1994, ch. 14).
 *
 * @throws RangeError when mean is not finite and > 0, or sigma is not finite and ≥ 0
 * @example lognormalLogMeanForMean(Math.E, 0) // 1
 */
export function lognormalLogMeanForMean(mean: number, sigma: number): number {
  if (!(mean > 0 && mean < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`lognormalLogMeanForMean requires a finite mean > 0, got ${mean}`);
  }
  if (!(sigma >= 0 && sigma < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`lognormalLogMeanForMean requires a finite sigma ≥ 0, got ${sigma}`);
  }
  return Math.log(mean) - (sigma * sigma) / 2;
}
