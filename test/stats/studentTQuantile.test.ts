import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalQuantile, studentTQuantile } from "../../src/stats/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** Boost's inverse incomplete beta, as ported by @stdlib, is good to a few ulp here. */
const QUANTILE_TOLERANCE = 4e-15;
/** Near p = ½ the port is backward stable only: a few 1e-15 relative (largest seen 6e-15, ν = 199). */
const CENTRE_TOLERANCE = 1e-14;

const P_COLUMNS = [0.975, 0.995, 0.9995, 1 - 0.01 / (2 * 8)] as const;

// python3 -c "from scipy import stats; [print(v, [repr(float(stats.t.ppf(p, v))) for p in (0.975, 0.995, 0.9995, 1 - 0.01/16)]) for v in (1, 2, 3, 9, 30, 199, 1e6)]"
// 1 ['12.706204736174694', '63.656741162871526', '636.6192487687897', '509.29516339543824']
// 2 ['4.302652729749462', '9.924843200918287', '31.599054576445365', '28.257747834805443']
// 3 ['3.1824463052837078', '5.840909309733355', '12.923978636687961', '11.983763746699363']
// 9 ['2.262157162798205', '3.249835541592126', '4.780912585931217', '4.622447400512631']
// 30 ['2.0422724563012378', '2.7499956535672254', '3.6459586350420627', '3.5626344159269436']
// 199 ['1.9719565442517533', '2.600760216058516', '3.3400865561614634', '3.274108381993274']
// 1000000.0 ['1.959966356814107', '2.5758342201053344', '3.2905364612487222', '3.227227635612279']
const SCIPY: readonly [number, readonly number[]][] = [
  [1, [12.706204736174694, 63.656741162871526, 636.6192487687897, 509.29516339543824]],
  [2, [4.302652729749462, 9.924843200918287, 31.599054576445365, 28.257747834805443]],
  [3, [3.1824463052837078, 5.840909309733355, 12.923978636687961, 11.983763746699363]],
  [9, [2.262157162798205, 3.249835541592126, 4.780912585931217, 4.622447400512631]],
  [30, [2.0422724563012378, 2.7499956535672254, 3.6459586350420627, 3.5626344159269436]],
  [199, [1.9719565442517533, 2.600760216058516, 3.3400865561614634, 3.274108381993274]],
  [1e6, [1.959966356814107, 2.5758342201053344, 3.2905364612487222, 3.227227635612279]],
];

describe("studentTQuantile", () => {
  for (const [dof, row] of SCIPY) {
    it(`when ν = ${dof} then t at p = 0.975, 0.995, 0.9995 and 1 − 0.01/16 matches scipy`, () => {
      P_COLUMNS.forEach((p, i) => {
        expectRelativelyClose(studentTQuantile(p, dof), row[i] as number, QUANTILE_TOLERANCE, `t(${p}, ${dof})`);
      });
    });
  }

  it("when read from a t table then t_{0.975,9} = 2.262, t_{0.995,30} = 2.750, t_{0.975,1} = 12.706, t_{0.9995,2} = 31.599 (any t table)", () => {
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(studentTQuantile(0.995, 30)).toBeCloseTo(2.75, 3);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(studentTQuantile(0.9995, 2)).toBeCloseTo(31.599, 3);
  });

  // Where @stdlib's t quantile fails (it returns 0 for these), checked against an
  // independent 60-digit root-finder on the incomplete beta function:
  // python3 test/stats/reference/student_t_quantile.py 0.975 1e9 0.975 1e16 0.975 1e20 0.6 1e16 0.500001 1e6 0.500000001 3.3 0.500000000001 0.5 0.500000001 1500.5 0.975 2.5 0.975 0.5 0.75 1e15 0.999 1e8 1e-300 1e9 0.975 9 1e-300 1
  // 0.975 1e9 1.9599639869123250887
  // 0.975 1e16 1.9599639845400540928
  // 0.975 1e20 1.9599639845400538556
  // 0.6 1e16 0.25334710313579974806
  // 0.500001 1e6 2.5066289013628522115e-6
  // 0.500000001 3.3 2.7010475709490832596e-9
  // 0.500000000001 0.5 3.7080673239605525791e-12
  // 0.500000001 1500.5 2.5070458706573770904e-9
  // 0.975 2.5 3.5746548420036817607
  // 0.975 0.5 164.5576734804882408
  // 0.75 1e15 0.67448975019608198854
  // 0.999 1e8 3.090232387669105382
  // 1e-300 1e9 -37.047109020294319186
  // 0.975 9 2.2621571627982049992
  // 1e-300 1 -3.1830988618379066356e+299
  const MPMATH: readonly [number, number, number, string][] = [
    [0.975, 1e9, 1.959963986912325, "the Cornish–Fisher series (ν ≥ 1e8)"],
    [0.975, 1e16, 1.959963984540054, "@stdlib returns 0 from ν ≈ 3e16"],
    [0.975, 1e20, 1.9599639845400538, "@stdlib returns 0"],
    [0.6, 1e16, 0.2533471031357997, "@stdlib returns 0"],
    [0.75, 1e15, 0.674489750196082, "the series; @stdlib still right here"],
    [0.999, 1e8, 3.0902323876691056, "the series at its threshold"],
    [0.500001, 1e6, 2.5066289013628524e-6, "@stdlib returns 0: t² ≪ ν, series in 1/ν"],
    [0.500000001, 3.3, 2.701047570949083e-9, "@stdlib returns 0: the series about t = 0"],
    [0.500000000001, 0.5, 3.708067323960552e-12, "@stdlib returns 0: the series about t = 0"],
    [0.500000001, 1500.5, 2.507045870657377e-9, "@stdlib returns 0: the series about t = 0"],
    [0.975, 2.5, 3.5746548420036817, "non-integer ν"],
    [0.975, 0.5, 164.55767348048823, "ν < 1"],
  ];
  for (const [p, dof, expected, note] of MPMATH) {
    it(`when p = ${p} and ν = ${dof} then t = ${expected} (mpmath; ${note})`, () => {
      expectRelativelyClose(studentTQuantile(p, dof), expected, QUANTILE_TOLERANCE, `t(${p}, ${dof})`);
    });
  }

  it("when p = 1e-300 and ν = 1e9 then t = −37.047109020294319 (mpmath; erfcinv's far tail, 7e-14)", () => {
    expectRelativelyClose(studentTQuantile(1e-300, 1e9), -37.04710902029432, 2e-13, "t(1e-300, 1e9)");
  });

  it("when |t| would exceed 1.3e154 then it is ±Infinity (documented @stdlib limit: ν = 1, p = 1e-300 is −3.18e299 by mpmath)", () => {
    expect(studentTQuantile(1e-300, 1)).toBe(Number.NEGATIVE_INFINITY);
  });

  it("when ν = Infinity then it is the normal quantile", () => {
    for (const p of [1e-10, 0.025, 0.6, 0.975]) expect(studentTQuantile(p, Number.POSITIVE_INFINITY)).toBe(normalQuantile(p));
  });

  it("when p = 1/2 then t = 0 for every ν", () => {
    for (const dof of [0.1, 1, 9, 1e6, 1e20]) expect(studentTQuantile(0.5, dof)).toBe(0);
  });

  it("should be odd when p and 1 − p are both exact: t(1 − p) = −t(p)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 20 - 1 }), fc.double({ min: 0.05, max: 1e12, noNaN: true }), (k, dof) => {
        const p = k / 2 ** 21;
        expectRelativelyClose(studentTQuantile(1 - p, dof), -studentTQuantile(p, dof), CENTRE_TOLERANCE, `ν = ${dof}, p = ${p}`);
      }),
    );
  });

  it("should be increasing in p for every ν when p grows by at least 1e-6", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-12, max: 1 - 1e-5, noNaN: true }),
        fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
        fc.constantFrom(0.5, 1, 2.5, 9, 199, 1999, 2001, 1e6, 9.9e7, 1e8, 1e16),
        (p, step, dof) => {
          const q = Math.min(p + step, 1 - 1e-12);
          fc.pre(q - p >= 1e-6);
          expect(studentTQuantile(q, dof)).toBeGreaterThan(studentTQuantile(p, dof));
        },
      ),
    );
  });

  it("should fall towards the normal quantile as ν grows: z < t(p, ν₂) < t(p, ν₁) for ν₁ < ν₂, p > ½", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.51, max: 1 - 1e-9, noNaN: true }),
        fc.double({ min: 0.5, max: 1e6, noNaN: true }),
        fc.double({ min: 2, max: 100, noNaN: true }),
        (p, dof, factor) => {
          const z = normalQuantile(p);
          const near = studentTQuantile(p, dof * factor);
          expect(near).toBeLessThan(studentTQuantile(p, dof));
          expect(near).toBeGreaterThan(z);
        },
      ),
    );
  });

  it("should be within the first Cornish–Fisher term of z for ν ≥ 30: |t − z| ≤ 1.5·(|z|³ + |z|)/(4ν)", () => {
    // A&S 26.7.5: t = z + (z³ + z)/(4ν) + O(ν⁻²); the later terms are below half the first here.
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 30, max: 1e12, noNaN: true }), (p, dof) => {
        const z = normalQuantile(p);
        const bound = (1.5 * (Math.abs(z) ** 3 + Math.abs(z))) / (4 * dof) + 4e-16 * Math.abs(z);
        expect(Math.abs(studentTQuantile(p, dof) - z)).toBeLessThanOrEqual(bound);
      }),
    );
  });

  it("when p is not in (0, 1) then it throws a RangeError naming the function", () => {
    for (const p of [0, 1, -0.5, Number.NaN]) {
      expect(() => studentTQuantile(p, 9)).toThrow(new RangeError(`studentTQuantile requires a probability 0 < p < 1, got ${p}`));
    }
  });

  it("when the degrees of freedom are not > 0 then it throws a RangeError with the value", () => {
    expect(() => studentTQuantile(0.975, -1)).toThrow(new RangeError("studentTQuantile requires degrees of freedom > 0, got -1"));
    for (const dof of [0, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(() => studentTQuantile(0.975, dof)).toThrow(new RangeError(`studentTQuantile requires degrees of freedom > 0, got ${dof}`));
    }
  });
});
