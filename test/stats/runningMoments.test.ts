import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RunningMoments } from "../../src/stats/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** Welford with a compensated M₂: a few ulp on short sequences. */
const MOMENT_TOLERANCE = 1e-14;

function momentsOf(values: readonly number[]): RunningMoments {
  const moments = new RunningMoments();
  for (const x of values) moments.add(x);
  return moments;
}

describe("RunningMoments", () => {
  it("when the values are 2, 4, 4, 4, 5, 5, 7, 9 then mean 5, variance 32/7, standard error √(32/56) (numpy)", () => {
    // python3 -c "import numpy as np; x = np.array([2, 4, 4, 4, 5, 5, 7, 9.]); print(repr(x.mean()), repr(x.var(ddof=1)), repr(x.std(ddof=1) / np.sqrt(len(x))))"
    // → np.float64(5.0) np.float64(4.571428571428571) np.float64(0.7559289460184544)
    const moments = momentsOf([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(moments.count).toBe(8);
    expect(moments.mean).toBe(5);
    expectRelativelyClose(moments.variance, 4.571428571428571, MOMENT_TOLERANCE, "variance");
    expectRelativelyClose(moments.standardError, 0.7559289460184544, MOMENT_TOLERANCE, "standard error");
  });

  it("when the values are 1e9 + small offsets then the variance survives where ΣX² − (ΣX)²/n gives 0 (exact fractions)", () => {
    // python3 -c "
    // from fractions import Fraction as F
    // x = [F(10**9) + F((i * 7919) % 1009, 64) for i in range(10000)]; n = len(x); m = sum(x) / n
    // print(repr(float(m)), repr(float(sum((v - m) ** 2 for v in x) / (n - 1))))"
    // → 1000000007.8765906 20.719493931023962
    // (numpy's textbook one-pass ((x * x).sum() - x.sum() ** 2 / n) / (n - 1) on the same values prints 0.0)
    const values = Array.from({ length: 10000 }, (_, i) => 1e9 + ((i * 7919) % 1009) / 64);
    const moments = momentsOf(values);
    expectRelativelyClose(moments.mean, 1000000007.8765906, 1e-16, "mean");
    expectRelativelyClose(moments.variance, 20.719493931023962, MOMENT_TOLERANCE, "variance");
  });

  it("when 1e9 values near 1e-9 are added then mean and variance stay accurate (a known-variance sequence, exact fractions)", () => {
    // The sequence cycles through four doubles, 1e-9 + (−1.5, −0.5, 0.5, 1.5)·1e-12, 2.5e8 times each.
    // python3 -c "
    // from fractions import Fraction as F
    // vals = [1e-9 - 1.5e-12, 1e-9 - 0.5e-12, 1e-9 + 0.5e-12, 1e-9 + 1.5e-12]; n = 10**9
    // v = [F(x) for x in vals]; mean = sum(v) / 4; var = sum((x - mean) ** 2 for x in v) / 4 * F(n, n - 1)
    // print(repr(float(mean)), repr(float(var)))"
    // → 1e-09 1.250000001250043e-24
    // Measured: the mean is off by 4e-16 relative, the variance by 1.3e-17 (plain Welford: 6e-15 and 2.8e-10). About 15 s.
    const values = [1e-9 - 1.5e-12, 1e-9 - 0.5e-12, 1e-9 + 0.5e-12, 1e-9 + 1.5e-12];
    const moments = new RunningMoments();
    const n = 1e9;
    for (let i = 0; i < n; i++) moments.add(values[i & 3] as number);
    expect(moments.count).toBe(n);
    expectRelativelyClose(moments.mean, 1e-9, 2e-15, "mean");
    expectRelativelyClose(moments.variance, 1.250000001250043e-24, 1e-15, "variance");
  }, 300_000);

  it("should match a single pass when two accumulators are merged, and merge associatively up to rounding", () => {
    const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(finite, { maxLength: 40 }),
        fc.array(finite, { maxLength: 40 }),
        fc.array(finite, { maxLength: 40 }),
        (a, b, c) => {
          fc.pre(a.length + b.length + c.length >= 2);
          const single = momentsOf([...a, ...b, ...c]);
          const left = momentsOf(a);
          left.merge(momentsOf(b));
          left.merge(momentsOf(c));
          const bc = momentsOf(b);
          bc.merge(momentsOf(c));
          const right = momentsOf(a);
          right.merge(bc);
          for (const merged of [left, right]) {
            expect(merged.count).toBe(single.count);
            const scale = Math.max(1, ...[...a, ...b, ...c].map(Math.abs));
            expect(Math.abs(merged.mean - single.mean)).toBeLessThanOrEqual(1e-14 * scale);
            expect(Math.abs(merged.variance - single.variance)).toBeLessThanOrEqual(1e-12 * scale * scale);
          }
        },
      ),
    );
  });

  it("when merged with an empty accumulator then nothing changes, either way round", () => {
    const moments = momentsOf([1, 2, 4]);
    moments.merge(new RunningMoments());
    expect([moments.count, moments.mean, moments.variance]).toEqual([3, 7 / 3, momentsOf([1, 2, 4]).variance]);
    const empty = new RunningMoments();
    empty.merge(moments);
    expect([empty.count, empty.mean, empty.variance]).toEqual([moments.count, moments.mean, moments.variance]);
  });

  it("should leave the merged-in accumulator unchanged", () => {
    const a = momentsOf([1, 2]);
    const b = momentsOf([10, 20, 30]);
    a.merge(b);
    expect([b.count, b.mean, b.variance]).toEqual([3, 20, 100]);
  });

  it("should have standardError = √(variance / n) and a variance ≥ 0", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 60 }), (values) => {
        const moments = momentsOf(values);
        expect(moments.variance).toBeGreaterThanOrEqual(0);
        expect(moments.standardError).toBe(Math.sqrt(moments.variance / moments.count));
      }),
    );
  });

  it("when a value is not finite or too few were added then it throws a RangeError naming the method", () => {
    const moments = new RunningMoments();
    expect(() => moments.add(Number.NaN)).toThrow(new RangeError("RunningMoments.add requires a finite value, got NaN"));
    expect(() => moments.add(Number.POSITIVE_INFINITY)).toThrow(new RangeError("RunningMoments.add requires a finite value, got Infinity"));
    expect(() => moments.mean).toThrow(new RangeError("RunningMoments.mean requires at least 1 value, got 0"));
    moments.add(1);
    expect(moments.mean).toBe(1);
    expect(() => moments.variance).toThrow(new RangeError("RunningMoments.variance requires at least 2 values, got 1"));
    expect(() => moments.standardError).toThrow(new RangeError("RunningMoments.standardError requires at least 2 values, got 1"));
  });
});
