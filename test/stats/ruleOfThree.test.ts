import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ruleOfThree } from "../../src/stats/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** expm1 of a log1p: a few ulp. */
const BOUND_TOLERANCE = 1e-15;

describe("ruleOfThree", () => {
  // 1 − (1 − c)^(1/n) in 40 digits, c the double nearest the confidence (as in the code):
  // python3 -c "import mpmath; mpmath.mp.dps = 40; print([mpmath.nstr(1 - (1 - mpmath.mpf(c))**(1 / mpmath.mpf(n)), 20) for n, c in [(1, 0.95), (2, 0.95), (3, 0.95), (10, 0.95), (100, 0.95), (1000, 0.95), (1e15, 0.95), (30, 0.99), (5, 0.5)]])"
  // → ['0.94999999999999995559', '0.77639320225002093106', '0.63159685013596123035', '0.25886555089305221685', '0.029513049607039925881',
  //    '0.0029912495450952953588', '2.9957322735539856181e-15', '0.14230410140910585847', '0.12944943670387586086']
  const CASES: readonly [number, number, number][] = [
    [1, 0.95, 0.95],
    [2, 0.95, 0.776393202250021],
    [3, 0.95, 0.6315968501359612],
    [10, 0.95, 0.25886555089305224],
    [100, 0.95, 0.029513049607039925],
    [1000, 0.95, 0.0029912495450952954],
    [1e15, 0.95, 2.9957322735539855e-15],
    [30, 0.99, 0.14230410140910585],
    [5, 0.5, 0.12944943670387585],
  ];
  for (const [n, confidence, expected] of CASES) {
    it(`when n = ${n} and confidence = ${confidence} then the bound is ${expected} (mpmath)`, () => {
      expectRelativelyClose(ruleOfThree(n, confidence), expected, BOUND_TOLERANCE, `n = ${n}`);
    });
  }

  it("when the confidence is omitted then it is 95 %", () => {
    expect(ruleOfThree(1000)).toBe(ruleOfThree(1000, 0.95));
  });

  it("when n = 1000 then the bound is within 0.3 % of 3/n = 0.003, just below it (Hanley & Lippman-Hand 1983)", () => {
    const bound = ruleOfThree(1000);
    expect(bound).toBeLessThan(0.003);
    expect(bound).toBeGreaterThan(0.003 * 0.997);
  });

  it("should have n·bound → −ln(0.05) = 2.99573227355399 as n grows, from below, within a²/(2n)", () => {
    // python3 -c "import mpmath; mpmath.mp.dps = 40; print(mpmath.nstr(-mpmath.log(1 - mpmath.mpf(0.95)), 20))" → 2.9957322735539901053
    const limit = 2.99573227355399;
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const scaled = n * ruleOfThree(n);
        // n(1 − e^(−a/n)) = a − a²/(2n) + a³/(6n²) − …, within rounding (1e-15 relative)
        expect(scaled).toBeLessThanOrEqual(limit * (1 + 1e-15));
        expect(limit - scaled).toBeLessThanOrEqual((limit * limit) / (2 * n) + 1e-15 * limit);
      }),
    );
  });

  it("should fall as n grows and rise with the confidence", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (n, confidence) => {
        expect(ruleOfThree(n + 1, confidence)).toBeLessThan(ruleOfThree(n, confidence));
        expect(ruleOfThree(n, Math.min(0.999, confidence + 0.005))).toBeGreaterThan(ruleOfThree(n, confidence));
      }),
    );
  });

  it("when the inputs are out of domain then it throws a RangeError naming the function", () => {
    for (const n of [0, -3, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => ruleOfThree(n)).toThrow(new RangeError(`ruleOfThree requires a whole number of trials ≥ 1, got ${n}`));
    }
    for (const c of [0, 1, -0.5, 1.5, Number.NaN]) {
      expect(() => ruleOfThree(10, c)).toThrow(new RangeError(`ruleOfThree requires a confidence 0 < confidence < 1, got ${c}`));
    }
  });
});
