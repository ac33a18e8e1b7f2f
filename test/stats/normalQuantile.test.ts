import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalQuantile } from "../../src/stats/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** erfcinv is accurate to a few ulp; 1e-300 is the worst case seen (7e-14, see below). */
const QUANTILE_TOLERANCE = 2e-15;
const FAR_TAIL_TOLERANCE = 2e-13;

describe("normalQuantile", () => {
  // python3 -c "from scipy.special import ndtri; print([repr(float(ndtri(p))) for p in (0.975, 0.995, 0.025, 1e-10, 1e-300, 0.9999999999999999, 0.5)])"
  // → ['1.959963984540054', '2.5758293035489004', '-1.9599639845400545', '-6.361340902404056', '-37.0470962993612', '8.209536151601387', '0.0']
  // Cross-check, 40 digits (mpmath.mp.dps = 40):
  // python3 -c "import mpmath; from scipy.special import ndtri; mpmath.mp.dps = 40; print([mpmath.nstr(mpmath.findroot(lambda x: mpmath.ncdf(x) - mpmath.mpf(p), float(ndtri(p))), 20) for p in (0.975, 0.995, 0.025, 1e-10, 1e-300, 0.9999999999999999)])"
  // → ['1.9599639845400538556', '2.5758293035489004539', '-1.9599639845400542118', '-6.3613409024040561991', '-37.047096299361199237', '8.2095361516013868556']
  const cases: readonly [number, number][] = [
    [0.975, 1.9599639845400538],
    [0.995, 2.5758293035489004],
    [0.025, -1.9599639845400543],
    [1e-10, -6.361340902404057],
    [0.9999999999999999, 8.209536151601387],
  ];
  for (const [p, expected] of cases) {
    it(`when p = ${p} then Φ⁻¹(p) = ${expected} (mpmath)`, () => {
      expectRelativelyClose(normalQuantile(p), expected, QUANTILE_TOLERANCE, `Φ⁻¹(${p})`);
    });
  }

  it("when p = 0.975 then Φ⁻¹(p) = 1.96 to the table's three decimals (from any normal table)", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.96, 3);
  });

  it("when p = 1e-300 then Φ⁻¹(p) = −37.047096299361199 (where @stdlib's normal-quantile package returns −Infinity)", () => {
    // mpmath above: '-37.047096299361199237'
    expectRelativelyClose(normalQuantile(1e-300), -37.0470962993612, FAR_TAIL_TOLERANCE, "Φ⁻¹(1e-300)");
  });

  it("when p = 1/2 then Φ⁻¹(p) is +0", () => {
    expect(Object.is(normalQuantile(0.5), 0)).toBe(true);
  });

  it("should be odd when p and 1 − p are both exact: Φ⁻¹(1 − p) = −Φ⁻¹(p)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 20 - 1 }), (k) => {
        const p = k / 2 ** 21; // 1 − p is exact too
        expect(normalQuantile(1 - p)).toBe(-normalQuantile(p));
      }),
    );
  });

  it("should be increasing in p when p grows by at least 1e-9", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1 - 2e-9, noNaN: true }), fc.double({ min: 1e-9, max: 1, noNaN: true }), (p, step) => {
        const q = Math.min(p + step, 1 - 1e-9);
        fc.pre(q > p);
        expect(normalQuantile(q)).toBeGreaterThan(normalQuantile(p));
      }),
    );
  });

  it("when p is not in (0, 1) then it throws a RangeError naming the function", () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) {
      expect(() => normalQuantile(p)).toThrow(new RangeError(`normalQuantile requires a probability 0 < p < 1, got ${p}`));
    }
  });
});
