import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RunningMoments, studentTInterval, studentTQuantile } from "../../src/stats/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** A quantile (4e-15) times a standard error, plus a mean: 1e-14. */
const INTERVAL_TOLERANCE = 1e-14;

describe("studentTInterval", () => {
  // python3 -c "
  // from scipy import stats; import numpy as np
  // x = np.array([2, 4, 4, 4, 5, 5, 7, 9.]); sem = stats.sem(x)
  // print([repr(float(v)) for v in stats.t.interval(0.95, 7, loc=x.mean(), scale=sem)], [repr(float(v)) for v in stats.t.interval(0.99, 7, loc=x.mean(), scale=sem)])
  // print([repr(float(v)) for v in stats.t.interval(0.95, 9, loc=5, scale=1)])"
  // → ['3.21251208176379', '6.787487918236209'] ['2.354639279424657', '7.6453607205753435']
  // → ['2.737842837201795', '7.262157162798205']
  it("when the runs gave 2, 4, 4, 4, 5, 5, 7, 9 then the 95 % and 99 % intervals match scipy's t.interval", () => {
    const moments = new RunningMoments();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) moments.add(x);
    const ci95 = studentTInterval(moments);
    expectRelativelyClose(ci95.low, 3.21251208176379, INTERVAL_TOLERANCE, "95 % low");
    expectRelativelyClose(ci95.high, 6.787487918236209, INTERVAL_TOLERANCE, "95 % high");
    expect(ci95.degreesOfFreedom).toBe(7);
    const ci99 = studentTInterval(moments, 0.99);
    expectRelativelyClose(ci99.low, 2.354639279424657, INTERVAL_TOLERANCE, "99 % low");
    expectRelativelyClose(ci99.high, 7.6453607205753435, INTERVAL_TOLERANCE, "99 % high");
  });

  it("when n = 10, mean 5 and standard error 1 then it is 5 ± t_{0.975,9} = 5 ± 2.262 (scipy; any t table)", () => {
    const ci = studentTInterval({ count: 10, mean: 5, standardError: 1 });
    expectRelativelyClose(ci.low, 2.737842837201795, INTERVAL_TOLERANCE, "low");
    expectRelativelyClose(ci.high, 7.262157162798205, INTERVAL_TOLERANCE, "high");
    expect(ci.halfWidth).toBeCloseTo(2.262, 3);
    expect(ci.degreesOfFreedom).toBe(9);
  });

  it("should be mean ± halfWidth with halfWidth = t_{(1+c)/2, n−1}·SE, growing with the confidence", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 1e9 }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e3, noNaN: true }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (count, mean, standardError, confidence) => {
          const ci = studentTInterval({ count, mean, standardError }, confidence);
          expect(ci.halfWidth).toBe(studentTQuantile((1 + confidence) / 2, count - 1) * standardError);
          expect(ci.low).toBe(mean - ci.halfWidth);
          expect(ci.high).toBe(mean + ci.halfWidth);
          expect(studentTInterval({ count, mean, standardError }, confidence + 0.005).halfWidth).toBeGreaterThan(ci.halfWidth);
        },
      ),
    );
  });

  it("when the standard error is 0 then the interval is the mean itself", () => {
    expect(studentTInterval({ count: 5, mean: 3, standardError: 0 })).toEqual({ low: 3, high: 3, halfWidth: 0, degreesOfFreedom: 4 });
  });

  it("when there are fewer than 2 values or the inputs are out of domain then it throws a RangeError naming the function", () => {
    expect(() => studentTInterval({ count: 1, mean: 1, standardError: 1 })).toThrow(
      new RangeError("studentTInterval requires a whole count ≥ 2, got 1"),
    );
    expect(() => studentTInterval(new RunningMoments())).toThrow(new RangeError("studentTInterval requires a whole count ≥ 2, got 0"));
    for (const confidence of [0, 1, Number.NaN]) {
      expect(() => studentTInterval({ count: 5, mean: 1, standardError: 1 }, confidence)).toThrow(
        new RangeError(`studentTInterval requires a confidence 0 < confidence < 1, got ${confidence}`),
      );
    }
    expect(() => studentTInterval({ count: 5, mean: Number.NaN, standardError: 1 })).toThrow(
      new RangeError("studentTInterval requires a finite mean, got NaN"),
    );
    expect(() => studentTInterval({ count: 5, mean: 1, standardError: -1 })).toThrow(
      new RangeError("studentTInterval requires a finite standard error ≥ 0, got -1"),
    );
  });
});
