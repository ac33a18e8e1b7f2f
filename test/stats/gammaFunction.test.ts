import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gammaFunction } from "../../src/stats/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** Cephes' gamma, as ported by @stdlib: 3e-16 relative was the worst seen over (1e-300, 171.6). */
const GAMMA_TOLERANCE = 1e-15;

describe("gammaFunction", () => {
  // The Weibull mean factor Γ(1 + 1/k), at the double 1 + 1/k that JavaScript computes:
  // python3 -c "import mpmath; mpmath.mp.dps = 40; print([mpmath.nstr(mpmath.gamma(mpmath.mpf(1 + 1 / k)), 20) for k in (0.5, 0.7, 1, 1.5, 3, 10)])"
  // → ['2.0', '1.2658235060572834918', '1.0', '0.90274529295093358701', '0.89297951156924921995', '0.95135076986687314782']
  const WEIBULL: readonly [number, number][] = [
    [0.5, 2],
    [0.7, 1.2658235060572836],
    [1, 1],
    [1.5, 0.9027452929509336],
    [3, 0.8929795115692493],
    [10, 0.9513507698668732],
  ];
  for (const [shape, expected] of WEIBULL) {
    it(`when the Weibull shape is ${shape} then Γ(1 + 1/shape) = ${expected} (mpmath)`, () => {
      expectRelativelyClose(gammaFunction(1 + 1 / shape), expected, GAMMA_TOLERANCE, `Γ(1 + 1/${shape})`);
    });
  }

  // python3 -c "import mpmath; mpmath.mp.dps = 40; print([mpmath.nstr(mpmath.gamma(mpmath.mpf(x)), 20) for x in (0.5, 1e-8, -0.5, -2.999999, 170.5, 171.6)])"
  // → ['1.7724538509055160273', '99999999.422784342897', '-3.5449077018110320546', '-166666.87599669706757', '5.5620924145599996107e+305', '1.585896909667256509e+308']
  const OTHERS: readonly [number, number][] = [
    [0.5, 1.772453850905516], // √π
    [1e-8, 99999999.42278434],
    [-0.5, -3.544907701811032], // −2√π
    [-2.999999, -166666.87599669705],
    [170.5, 5.56209241456e305],
    [171.6, 1.5858969096672565e308],
  ];
  for (const [x, expected] of OTHERS) {
    it(`when x = ${x} then Γ(x) = ${expected} (mpmath)`, () => {
      expectRelativelyClose(gammaFunction(x), expected, GAMMA_TOLERANCE, `Γ(${x})`);
    });
  }

  it("when x is a whole number from 1 to 20 then Γ(x) = (x − 1)! exactly", () => {
    let factorial = 1;
    for (let x = 1; x <= 20; x++) {
      expect(gammaFunction(x)).toBe(factorial);
      factorial *= x;
    }
  });

  it("should satisfy Γ(x + 1) = x·Γ(x) for x in [0.01, 100] on a grid of 1/1024 (where x + 1 is exact)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 11, max: 102400 }), (k) => {
        const x = k / 1024;
        expectRelativelyClose(gammaFunction(x + 1), x * gammaFunction(x), 2 * GAMMA_TOLERANCE, `x = ${x}`);
      }),
      { numRuns: 2000 },
    );
  });

  it("when Γ(x) exceeds what @stdlib represents then it is +Infinity (from x = 171.6144788718230, below the true limit 171.6243769563027)", () => {
    expect(gammaFunction(171.61447887182297)).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(gammaFunction(171.62)).toBe(Number.POSITIVE_INFINITY);
    expect(gammaFunction(200)).toBe(Number.POSITIVE_INFINITY);
  });

  it("when x is a pole, NaN or infinite then it throws a RangeError naming the function", () => {
    for (const x of [0, -0, -1, -170, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => gammaFunction(x)).toThrow(
        new RangeError(`gammaFunction requires a finite x that is not 0 or a negative integer, got ${x}`),
      );
    }
  });
});
