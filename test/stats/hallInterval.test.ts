import { describe, expect, it } from "vitest";
import { hallInterval } from "../../src/stats/hallInterval.js";
import { ratioResidualSkewness } from "../../src/stats/ratioEstimate.js";
import { studentTQuantile } from "../../src/stats/studentTQuantile.js";

/** Hall's g (the forward transform, as printed in Zhou & Dinh 2005), inverted by bisection: independent of the closed form. */
function invertByBisection(y: number, skewness: number, n: number): number {
  const g = (t: number) =>
    t + (skewness * t * t) / (3 * Math.sqrt(n)) + (skewness ** 2 * t ** 3) / (27 * n) + skewness / (6 * Math.sqrt(n));
  let lo = -1e6;
  let hi = 1e6;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (g(mid) < y) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** A small seeded generator (mulberry32) for the coverage check. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("hallInterval", () => {
  it("when the skewness is 0 then it is exactly the t interval", () => {
    const t = studentTQuantile(0.975, 29);
    expect(hallInterval(10, 1, 0, 30, t)).toEqual([10 - t, 10 + t]);
  });

  it.each([
    [0.5, 30],
    [2, 30],
    [3.5, 100],
    [-1.5, 10],
    [8, 10],
  ])("when the skewness is %s over %s units then its ends are the bisection inverse of Hall's g", (skewness, n) => {
    const t = studentTQuantile(0.975, n - 1);
    const [lo, hi] = hallInterval(5, 0.5, skewness, n, t);
    expect(lo).toBeCloseTo(5 - invertByBisection(t, skewness, n) * 0.5, 10);
    expect(hi).toBeCloseTo(5 - invertByBisection(-t, skewness, n) * 0.5, 10);
  });

  it("when the units are right-skewed then the interval reaches further above the estimate than below it", () => {
    const [lo, hi] = hallInterval(5, 0.5, 2, 30, 2.045);
    expect(hi - 5).toBeGreaterThan(5 - lo);
  });

  it("when means of 20 exponential draws (skewness 2) are covered over 20 000 samples then Hall's interval covers closer to 95 % than t", () => {
    // Arrange: exponential(1), true mean 1; the sample skewness estimated from each sample (n-denominators)
    const random = mulberry32(20261207);
    const n = 20;
    const t = studentTQuantile(0.975, n - 1);
    let hall = 0;
    let student = 0;
    const samples = 20_000;
    for (let s = 0; s < samples; s++) {
      const x = Array.from({ length: n }, () => -Math.log(1 - random()));
      const mean = x.reduce((a, b) => a + b, 0) / n;
      const m2 = x.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
      const m3 = x.reduce((a, b) => a + (b - mean) ** 3, 0) / n;
      const se = Math.sqrt((m2 * n) / (n - 1) / n);

      // Act
      const [lo, hi] = hallInterval(mean, se, m3 / m2 ** 1.5, n, t);

      if (lo <= 1 && 1 <= hi) hall++;
      if (mean - t * se <= 1 && 1 <= mean + t * se) student++;
    }

    // Assert: the t interval's known undercoverage for exponential samples of 20 (about 92 %)
    // is mostly removed (Hall 1992, Table 1; Zhou & Dinh 2005, Table 1)
    expect(student / samples).toBeLessThan(0.935);
    expect(hall / samples).toBeGreaterThan(student / samples + 0.01);
    expect(hall / samples).toBeGreaterThan(0.935);
    expect(hall / samples).toBeLessThan(0.965);
  });
});

describe("ratioResidualSkewness", () => {
  it("when Y = 0, 0, 3 over τ = 1 then the residuals −1, −1, 2 have skewness 2/2^1.5 (by hand)", () => {
    expect(
      ratioResidualSkewness({
        count: 3,
        sumNumerator: 3,
        sumDenominator: 3,
        sumNumeratorSquared: 9,
        sumDenominatorSquared: 3,
        sumProduct: 3,
        third: { sumNumeratorCubed: 27, sumNumeratorSquaredDenominator: 9, sumNumeratorDenominatorSquared: 3, sumDenominatorCubed: 3 },
      }),
    ).toBeCloseTo(2 / 2 ** 1.5, 14);
  });

  it("when the denominators vary then it equals the skewness of d = Y − rτ computed unit by unit", () => {
    // Arrange
    const units: [number, number][] = [
      [0.3, 10],
      [2.5, 12],
      [0.1, 8],
      [0.7, 11],
      [5.2, 9],
    ];
    const sum = (f: (y: number, tau: number) => number) => units.reduce((a, [y, tau]) => a + f(y, tau), 0);
    const r = sum((y) => y) / sum((_, tau) => tau);
    const d = units.map(([y, tau]) => y - r * tau);
    const m2 = d.reduce((a, x) => a + x * x, 0) / d.length;
    const m3 = d.reduce((a, x) => a + x ** 3, 0) / d.length;

    // Act
    const skewness = ratioResidualSkewness({
      count: units.length,
      sumNumerator: sum((y) => y),
      sumDenominator: sum((_, tau) => tau),
      sumNumeratorSquared: sum((y) => y * y),
      sumDenominatorSquared: sum((_, tau) => tau * tau),
      sumProduct: sum((y, tau) => y * tau),
      third: {
        sumNumeratorCubed: sum((y) => y ** 3),
        sumNumeratorSquaredDenominator: sum((y, tau) => y * y * tau),
        sumNumeratorDenominatorSquared: sum((y, tau) => y * tau * tau),
        sumDenominatorCubed: sum((_, tau) => tau ** 3),
      },
    });

    // Assert
    expect(skewness).toBeCloseTo(m3 / m2 ** 1.5, 10);
  });

  it("when every unit is alike (no spread) or the third moments are not kept then the skewness is unknown", () => {
    const alike = { count: 4, sumNumerator: 4, sumDenominator: 4, sumNumeratorSquared: 4, sumDenominatorSquared: 4, sumProduct: 4 };
    expect(ratioResidualSkewness(alike)).toBeUndefined();
    expect(
      ratioResidualSkewness({
        ...alike,
        third: { sumNumeratorCubed: 4, sumNumeratorSquaredDenominator: 4, sumNumeratorDenominatorSquared: 4, sumDenominatorCubed: 4 },
      }),
    ).toBeUndefined();
  });
});
