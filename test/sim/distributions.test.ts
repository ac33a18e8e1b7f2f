import erfc from "@stdlib/math-base-special-erfc";
import { describe, expect, it } from "vitest";
import {
  lognormalLogMeanForMean,
  sampleExponential,
  sampleGamma,
  sampleLognormal,
  sampleWeibull,
  sampleWeibullEquilibriumResidual,
  weibullScaleForMean,
} from "../../src/sim/kernel/distributions.js";
import { nextOpenUnit, type RngState, seedState } from "../../src/sim/kernel/rng.js";
import { expectRelativelyClose } from "../helpers/close.js";

const DRAWS = 200_000;
const SEEDS = [1, 2, 3, 20260101, 987654321] as const;
/** |sample mean − mean| ≤ 4 standard errors: a false alarm with probability 6e-5 per check (CLT). */
const MAX_STANDARD_ERRORS = 4;
/** Kolmogorov's asymptotic critical value at the 0.1 % level: P(√n·D > 1.9495) = 0.001 (any KS table). */
const KS_CRITICAL_0_1_PERCENT = 1.95;

type Draw = (rng: RngState) => number;

function draws(seed: number, draw: Draw, count = DRAWS): Float64Array {
  const rng = seedState(seed);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = draw(rng);
  return values;
}

/** The sample mean must lie within 4 standard errors of `mean`; the message names the seed. */
function expectMeanWithin(seed: number, values: Float64Array, mean: number, variance: number, label: string): void {
  let sum = 0;
  for (const x of values) sum += x;
  const sampleMean = sum / values.length;
  const standardError = Math.sqrt(variance / values.length);
  const z = (sampleMean - mean) / standardError;
  if (!(Math.abs(z) <= MAX_STANDARD_ERRORS)) {
    throw new Error(`${label}, seed ${seed}: sample mean ${sampleMean} is ${z.toFixed(2)} standard errors from the exact mean ${mean}`);
  }
}

/** Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)|. */
function ksStatistic(values: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i] as number);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

function expectKolmogorovSmirnov(seed: number, values: Float64Array, cdf: (x: number) => number, label: string): void {
  const d = ksStatistic(values, cdf);
  const critical = KS_CRITICAL_0_1_PERCENT / Math.sqrt(values.length);
  if (!(d < critical)) throw new Error(`${label}, seed ${seed}: KS statistic ${d} ≥ the 0.1 % critical value ${critical}`);
}

describe("sampleExponential", () => {
  const mean = 4;
  it("when drawn 2e5 times with mean 4 then the sample mean is within 4 standard errors (variance mean² = 16), for every seed", () => {
    for (const seed of SEEDS)
      expectMeanWithin(
        seed,
        draws(seed, (rng) => sampleExponential(rng, mean)),
        mean,
        mean * mean,
        "exponential",
      );
  });

  it("when drawn 2e5 times then the KS statistic against 1 − e^(−x/4) is below 1.95/√n", () => {
    expectKolmogorovSmirnov(
      1,
      draws(1, (rng) => sampleExponential(rng, mean)),
      (x) => -Math.expm1(-x / mean),
      "exponential",
    );
  });

  it("should be −mean·ln U for the stream's next open uniform", () => {
    const a = seedState(9);
    const b = seedState(9);
    for (let i = 0; i < 100; i++) expect(sampleExponential(a, 2.5)).toBe(-2.5 * Math.log(nextOpenUnit(b)));
  });

  it("when the mean is not finite and > 0 then it throws a RangeError naming the function", () => {
    for (const mean of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => sampleExponential(seedState(1), mean)).toThrow(
        new RangeError(`sampleExponential requires a finite mean > 0, got ${mean}`),
      );
    }
  });
});

describe("sampleWeibull", () => {
  const mean = 17532; // two years in hours
  // Var/mean² = Γ(1 + 2/k)/Γ(1 + 1/k)² − 1:
  // python3 -c "import mpmath; mpmath.mp.dps = 40; print([mpmath.nstr(mpmath.gamma(1 + 2 / mpmath.mpf(k)) / mpmath.gamma(1 + 1 / mpmath.mpf(k)) ** 2 - 1, 17) for k in (0.5, 0.7, 1.5, 3)])"
  // → ['5.0', '2.1386856318511678', '0.46099848620631836', '0.1320933607263194']
  const SHAPES: readonly [number, number][] = [
    [0.5, 5],
    [0.7, 2.138685631851168],
    [1.5, 0.46099848620631834],
    [3, 0.1320933607263194],
  ];
  for (const [shape, squaredCv] of SHAPES) {
    it(`when the shape is ${shape} and the scale is weibullScaleForMean(17532, ${shape}) then the sample mean of 2e5 draws is within 4 standard errors of 17532, for every seed`, () => {
      const scale = weibullScaleForMean(mean, shape);
      for (const seed of SEEDS) {
        expectMeanWithin(
          seed,
          draws(seed, (rng) => sampleWeibull(rng, scale, 1 / shape)),
          mean,
          squaredCv * mean * mean,
          `Weibull ${shape}`,
        );
      }
    });

    it(`when the shape is ${shape} then the KS statistic against 1 − exp(−(x/scale)^shape) is below 1.95/√n`, () => {
      const scale = weibullScaleForMean(mean, shape);
      expectKolmogorovSmirnov(
        1,
        draws(1, (rng) => sampleWeibull(rng, scale, 1 / shape)),
        (x) => -Math.expm1(-((x / scale) ** shape)),
        `Weibull ${shape}`,
      );
    });
  }

  it("when the inverse shape is 1 then it is the exponential draw, bit for bit", () => {
    const a = seedState(5);
    const b = seedState(5);
    for (let i = 0; i < 100; i++) expect(sampleWeibull(a, 3.5, 1)).toBe(sampleExponential(b, 3.5));
  });

  it("when the scale or inverse shape is not finite and > 0 then it throws a RangeError naming the function", () => {
    expect(() => sampleWeibull(seedState(1), 0, 1)).toThrow(
      new RangeError("sampleWeibull requires a finite scale > 0 and inverse shape > 0, got 0 and 1"),
    );
    expect(() => sampleWeibull(seedState(1), 1, Number.NaN)).toThrow(
      new RangeError("sampleWeibull requires a finite scale > 0 and inverse shape > 0, got 1 and NaN"),
    );
  });
});

describe("sampleLognormal", () => {
  const mean = 4; // a repair time in hours
  for (const sigma of [0.25, 1]) {
    it(`when σ = ${sigma} and μ = lognormalLogMeanForMean(4, ${sigma}) then the sample mean of 2e5 draws is within 4 standard errors of 4 (variance (e^σ² − 1)·mean²), for every seed`, () => {
      const logMean = lognormalLogMeanForMean(mean, sigma);
      for (const seed of SEEDS) {
        expectMeanWithin(
          seed,
          draws(seed, (rng) => sampleLognormal(rng, logMean, sigma)),
          mean,
          Math.expm1(sigma * sigma) * mean * mean,
          `lognormal σ = ${sigma}`,
        );
      }
    });

    it(`when σ = ${sigma} then the KS statistic against Φ((ln x − μ)/σ) is below 1.95/√n`, () => {
      const logMean = lognormalLogMeanForMean(mean, sigma);
      expectKolmogorovSmirnov(
        1,
        draws(1, (rng) => sampleLognormal(rng, logMean, sigma)),
        (x) => 0.5 * erfc(-(Math.log(x) - logMean) / (sigma * Math.SQRT2)),
        `lognormal σ = ${sigma}`,
      );
    });
  }

  it("should use exactly two uniforms per draw (one Box–Muller pair)", () => {
    const a = seedState(11);
    const b = seedState(11);
    for (let i = 0; i < 10; i++) sampleLognormal(a, 0, 1);
    for (let i = 0; i < 20; i++) nextOpenUnit(b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it("when σ = 0 then every draw is e^μ", () => {
    const rng = seedState(3);
    for (let i = 0; i < 10; i++) expect(sampleLognormal(rng, 1.5, 0)).toBe(Math.exp(1.5));
  });

  it("when σ is negative or μ is not finite then it throws a RangeError naming the function", () => {
    expect(() => sampleLognormal(seedState(1), 0, -1)).toThrow(
      new RangeError("sampleLognormal requires a finite log-mean and a finite sigma ≥ 0, got 0 and -1"),
    );
    expect(() => sampleLognormal(seedState(1), Number.NaN, 1)).toThrow(
      new RangeError("sampleLognormal requires a finite log-mean and a finite sigma ≥ 0, got NaN and 1"),
    );
  });
});

describe("sampleGamma", () => {
  for (const shape of [1 / 3, 0.7, 1, 2.5]) {
    it(`when the shape is ${shape} then the sample mean of 2e5 draws is within 4 standard errors of the shape (variance = shape), for every seed`, () => {
      for (const seed of SEEDS)
        expectMeanWithin(
          seed,
          draws(seed, (rng) => sampleGamma(rng, shape)),
          shape,
          shape,
          `Gamma(${shape})`,
        );
    });
  }

  it("when the shape is 1 then the draws follow 1 − e^(−x) (KS below 1.95/√n)", () => {
    expectKolmogorovSmirnov(
      7,
      draws(7, (rng) => sampleGamma(rng, 1)),
      (x) => -Math.expm1(-x),
      "Gamma(1)",
    );
  });

  it("when the shape is not finite and > 0 then it throws a RangeError naming the function", () => {
    expect(() => sampleGamma(seedState(1), 0)).toThrow(/sampleGamma requires/);
    expect(() => sampleGamma(seedState(1), Number.NaN)).toThrow(/sampleGamma requires/);
  });
});

describe("sampleWeibullEquilibriumResidual", () => {
  // The equilibrium residual R of a Weibull life X with mean 1 has E[R] = E[X²]/(2E[X]) and
  // E[R²] = E[X³]/(3E[X]) (Ross 1996, §3.5). mpmath, scale = 1/Γ(1 + 1/k), E[X^j] = scale^j·Γ(1 + j/k):
  //   k = 0.7: E[R] = 1.5693428159255839041, Var[R] = 3.6564271529445367669
  //   k = 1:   E[R] = 1, Var[R] = 1 (the exponential is memoryless)
  //   k = 3:   E[R] = 0.56604668036315970045, Var[R] = 0.14770799221253645305
  const cases = [
    { shape: 0.7, mean: 1.569342815925584, variance: 3.656427152944537 },
    { shape: 1, mean: 1, variance: 1 },
    { shape: 3, mean: 0.5660466803631597, variance: 0.14770799221253644 },
  ];
  for (const { shape, mean, variance } of cases) {
    it(`when the shape is ${shape} and the Weibull mean is 1 then the residual's sample mean is within 4 standard errors of ${mean}, for every seed`, () => {
      const scale = weibullScaleForMean(1, shape);
      for (const seed of SEEDS) {
        const values = draws(seed, (rng) => sampleWeibullEquilibriumResidual(rng, scale, shape));
        expectMeanWithin(seed, values, mean, variance, `equilibrium residual, shape ${shape}`);
      }
    });
  }

  it("when the shape is 3 then P(R > x) = Γ(1/3, x³)/Γ(1/3) (KS below 1.95/√n)", () => {
    // P(R > x) = ∫_x^∞ e^(−y³) dy / Γ(4/3) = Γ(1/3, x³) / (3Γ(4/3)) = Γ(1/3, x³)/Γ(1/3); with the Weibull
    // scale 1 here. The upper incomplete gamma by its series is independent of the sampler.
    const tail = (x: number) => upperIncompleteGammaRatio(1 / 3, x ** 3);
    expectKolmogorovSmirnov(
      11,
      draws(11, (rng) => sampleWeibullEquilibriumResidual(rng, 1, 3)),
      (x) => 1 - tail(x),
      "residual, shape 3",
    );
  });
});

/**
 * Q(a, x) = Γ(a, x)/Γ(a) for small a: the lower series γ(a, x) = x^a e^(−x) Σ x^n / (a(a+1)…(a+n)),
 * for x < a + 1, else the continued fraction (Numerical Recipes, 3rd ed., §6.2).
 */
function upperIncompleteGammaRatio(a: number, x: number): number {
  const gammaA = 2.6789385347077475; // Γ(1/3) (mpmath.gamma(mpf(1)/3))
  if (x <= 0) return 1;
  const prefix = Math.exp(a * Math.log(x) - x);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (prefix * sum) / gammaA;
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    c = b + an / c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (prefix * h) / gammaA;
}

describe("weibullScaleForMean and lognormalLogMeanForMean", () => {
  it("when the shape is 0.5 then the scale is mean/Γ(3) = mean/2, and when it is 1 the scale is the mean", () => {
    expect(weibullScaleForMean(1, 0.5)).toBe(0.5);
    expect(weibullScaleForMean(17532, 1)).toBe(17532);
  });

  it("when the shape is 1.5 then the scale is mean/Γ(5/3) (mpmath: Γ(1 + 1/1.5) = 0.90274529295093358701, see gammaFunction.test.ts)", () => {
    expectRelativelyClose(weibullScaleForMean(10, 1.5), 10 / 0.9027452929509336, 1e-15, "scale");
  });

  it("when σ = 0 then μ = ln(mean); when σ = 1, μ = ln(4) − 1/2", () => {
    expect(lognormalLogMeanForMean(Math.E, 0)).toBe(1);
    expect(lognormalLogMeanForMean(4, 1)).toBe(Math.log(4) - 0.5);
  });

  it("when the inputs are out of domain then they throw a RangeError naming the function", () => {
    expect(() => weibullScaleForMean(0, 1)).toThrow(new RangeError("weibullScaleForMean requires a finite mean > 0, got 0"));
    expect(() => weibullScaleForMean(1, -2)).toThrow(new RangeError("weibullScaleForMean requires a finite shape > 0, got -2"));
    expect(() => weibullScaleForMean(1, 0.001)).toThrow(
      new RangeError("weibullScaleForMean requires Γ(1 + 1/shape) to be finite, got shape 0.001"),
    );
    expect(() => lognormalLogMeanForMean(-1, 1)).toThrow(new RangeError("lognormalLogMeanForMean requires a finite mean > 0, got -1"));
    expect(() => lognormalLogMeanForMean(1, Number.NaN)).toThrow(
      new RangeError("lognormalLogMeanForMean requires a finite sigma ≥ 0, got NaN"),
    );
  });
});
