import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../src/stats/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** A few roundings of a closed form: 4 ulp. */
const INTERVAL_TOLERANCE = 1e-15;
const Z95 = 1.959963984540054;

describe("wilsonInterval", () => {
  // The closed form c ∓ h in 40 digits, a different computation from the code's quotient form:
  // python3 -c "
  // import mpmath; mpmath.mp.dps = 40
  // def w(k, n, z):
  //     k, n, z = mpmath.mpf(k), mpmath.mpf(n), mpmath.mpf(z)
  //     c = (k + z*z/2) / (n + z*z); h = z * mpmath.sqrt(k*(n-k)/n + z*z/4) / (n + z*z)
  //     return mpmath.nstr(c - h, 20), mpmath.nstr(c + h, 20)
  // for k, n, z in [(0, 10, 1.959963984540054), (3, 100, 1.959963984540054), (10, 10, 1.959963984540054), (1, 1e12, 1.959963984540054), (0, 1e12, 1.959963984540054), (999999, 1e6, 1.959963984540054), (50, 100, 1.959963984540054), (7, 20, 3.090232306167813), (1, 1, 1000), (1, 1e12, 5)]: print(k, n, z, w(k, n, z))"
  // 0 10 1.959963984540054 ('0.0', '0.27753279986288921464')
  // 3 100 1.959963984540054 ('0.010254524024038923093', '0.084519364290527614138')
  // 10 10 1.959963984540054 ('0.72246720013711078536', '1.0')
  // 1 1000000000000.0 1.959963984540054 ('1.7652455493517475234e-13', '5.664934265736510753e-12')
  // 0 1000000000000.0 1.959963984540054 ('0.0', '3.841458820679368423e-12')
  // 999999 1000000.0 1.959963984540054 ('0.99999433508819568856', '0.99999982347542325463')
  // 50 100 1.959963984540054 ('0.40383153036599563588', '0.59616846963400436412')
  // 7 20 3.090232306167813 ('0.12302838130957940377', '0.67392274307763711929')
  // 1 1 1000 ('9.99999000000999999e-7', '1.0')
  // 1 1000000000000.0 5 ('3.708798216374119901e-14', '2.6962912017161258801e-11')
  const CASES: readonly [number, number, number, number, number][] = [
    [0, 10, Z95, 0, 0.2775327998628892],
    [3, 100, Z95, 0.010254524024038923, 0.08451936429052762],
    [10, 10, Z95, 0.7224672001371107, 1],
    [1, 1e12, Z95, 1.7652455493517475e-13, 5.664934265736511e-12],
    [0, 1e12, Z95, 0, 3.8414588206793685e-12],
    [999999, 1e6, Z95, 0.9999943350881957, 0.9999998234754233],
    [50, 100, Z95, 0.4038315303659956, 0.5961684696340044],
    [7, 20, 3.090232306167813, 0.12302838130957941, 0.6739227430776371],
    [1, 1, 1000, 9.99999000001e-7, 1],
    [1, 1e12, 5, 3.70879821637412e-14, 2.6962912017161258e-11],
  ];
  for (const [k, n, z, low, high] of CASES) {
    it(`when k = ${k}, n = ${n}, z = ${z} then [${low}, ${high}] (mpmath, closed form)`, () => {
      const [l, h] = wilsonInterval(k, n, z);
      expectRelativelyClose(l, low, INTERVAL_TOLERANCE, "low");
      expectRelativelyClose(h, high, INTERVAL_TOLERANCE, "high");
    });
  }

  it("when k = 3, n = 100 then it is [0.0103, 0.0845] (hand calculation: (3 + 1.92 ∓ 1.96·√(2.91 + 0.96))/103.84)", () => {
    const [low, high] = wilsonInterval(3, 100, Z95);
    expect(low).toBeCloseTo(0.0103, 4);
    expect(high).toBeCloseTo(0.0845, 4);
  });

  it("when k = 0 then low is exactly 0, and when k = n then high is exactly 1", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (n, z) => {
        expect(wilsonInterval(0, n, z)[0]).toBe(0);
        expect(wilsonInterval(n, n, z)[1]).toBe(1);
      }),
    );
  });

  it("should lie in [0, 1] and contain the point estimate k/n", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 40 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        ([n, k], z) => {
          const [low, high] = wilsonInterval(k, n, z);
          expect(low).toBeGreaterThanOrEqual(0);
          expect(high).toBeLessThanOrEqual(1);
          expect(low).toBeLessThanOrEqual(k / n);
          expect(high).toBeGreaterThanOrEqual(k / n);
        },
      ),
    );
  });

  it("should mirror: the interval for n − k is one minus the interval for k", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10000 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        ([n, k], z) => {
          const [low, high] = wilsonInterval(k, n, z);
          const [mirrorLow, mirrorHigh] = wilsonInterval(n - k, n, z);
          expect(Math.abs(1 - mirrorHigh - low)).toBeLessThanOrEqual(4e-16);
          expect(Math.abs(1 - mirrorLow - high)).toBeLessThanOrEqual(4e-16);
        },
      ),
    );
  });

  it("should widen as z grows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10000 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 > 0 ? n - 1 : 1 }))),
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        ([n, k], z) => {
          fc.pre(k < n);
          const [low, high] = wilsonInterval(k, n, z);
          const [wideLow, wideHigh] = wilsonInterval(k, n, z * 1.1);
          expect(wideLow).toBeLessThan(low);
          expect(wideHigh).toBeGreaterThan(high);
        },
      ),
    );
  });

  it("when the counts or z are out of domain then it throws a RangeError naming the function", () => {
    expect(() => wilsonInterval(0, 0, Z95)).toThrow(new RangeError("wilsonInterval requires a whole number of trials ≥ 1, got 0"));
    expect(() => wilsonInterval(1, 2.5, Z95)).toThrow(new RangeError("wilsonInterval requires a whole number of trials ≥ 1, got 2.5"));
    expect(() => wilsonInterval(11, 10, Z95)).toThrow(
      new RangeError("wilsonInterval requires a whole number of successes in [0, 10], got 11"),
    );
    expect(() => wilsonInterval(-1, 10, Z95)).toThrow(
      new RangeError("wilsonInterval requires a whole number of successes in [0, 10], got -1"),
    );
    expect(() => wilsonInterval(1.5, 10, Z95)).toThrow(
      new RangeError("wilsonInterval requires a whole number of successes in [0, 10], got 1.5"),
    );
    for (const z of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => wilsonInterval(1, 10, z)).toThrow(new RangeError(`wilsonInterval requires a finite z > 0, got ${z}`));
    }
  });
});
