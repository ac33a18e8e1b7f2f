import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type RatioSumsData, ratioEstimate } from "../../src/stats/ratioEstimate.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** The reference forms Σ(Y − rτ)² from the residuals; the code from raw sums: a few ulp of cancellation. */
const ESTIMATE_TOLERANCE = 1e-13;

/** The six sums of (Y_i, τ_i), added up in one pass. */
function accumulate(numerators: readonly number[], denominators: readonly number[]): RatioSumsData {
  let sumNumerator = 0;
  let sumDenominator = 0;
  let sumNumeratorSquared = 0;
  let sumDenominatorSquared = 0;
  let sumProduct = 0;
  numerators.forEach((y, i) => {
    const tau = denominators[i] as number;
    sumNumerator += y;
    sumDenominator += tau;
    sumNumeratorSquared += y * y;
    sumDenominatorSquared += tau * tau;
    sumProduct += y * tau;
  });
  return { count: numerators.length, sumNumerator, sumDenominator, sumNumeratorSquared, sumDenominatorSquared, sumProduct };
}

describe("ratioEstimate", () => {
  it("when 8 cycles are given then r and its standard error match numpy's direct residual formula", () => {
    // python3 -c "
    // import numpy as np
    // Y = np.array([0.5, 0, 2.25, 0.125, 0, 1.75, 0.0625, 3]); T = np.array([10, 4.5, 30, 7.25, 2, 21, 5.5, 40]); n = len(Y)
    // r = Y.sum() / T.sum(); print(repr(r), repr(np.sqrt(((Y - r * T) ** 2).sum() / (n - 1) / n) / T.mean()))"
    // → np.float64(0.06392931392931393) np.float64(0.00789733949153796)
    const estimate = ratioEstimate(accumulate([0.5, 0, 2.25, 0.125, 0, 1.75, 0.0625, 3], [10, 4.5, 30, 7.25, 2, 21, 5.5, 40]));
    expectRelativelyClose(estimate.value, 0.06392931392931393, ESTIMATE_TOLERANCE, "r");
    expectRelativelyClose(estimate.standardError, 0.00789733949153796, ESTIMATE_TOLERANCE, "standard error");
    expect(estimate.count).toBe(8);
  });

  it("when 1000 cycles are given then r and its standard error match numpy's direct residual formula", () => {
    // python3 -c "
    // import numpy as np
    // i = np.arange(1000); Y = np.sin(i) ** 2 * 3.7; T = 1 + np.cos(0.5 * i) ** 2 * 20 + Y; n = len(Y)
    // r = Y.sum() / T.sum(); print(repr(r), repr(np.sqrt(((Y - r * T) ** 2).sum() / (n - 1) / n) / T.mean()))"
    // → np.float64(0.14373864638540512) np.float64(0.0037272426453254675)
    const y: number[] = [];
    const tau: number[] = [];
    for (let i = 0; i < 1000; i++) {
      y.push(Math.sin(i) ** 2 * 3.7);
      tau.push(1 + Math.cos(0.5 * i) ** 2 * 20 + (y[i] as number));
    }
    const estimate = ratioEstimate(accumulate(y, tau));
    expectRelativelyClose(estimate.value, 0.14373864638540512, ESTIMATE_TOLERANCE, "r");
    expectRelativelyClose(estimate.standardError, 0.0037272426453254675, ESTIMATE_TOLERANCE, "standard error");
  });

  it("when given a plain object of sums then it reads it like an accumulator (the doc example: r = 0.05, standard error 0.025)", () => {
    // Y = (1, 1), τ = (10, 30): r = 2/40; residuals ±0.5, s² = 0.5, √(0.5/2)/20 = 0.025 (hand calculation)
    const plain = { count: 2, sumNumerator: 2, sumDenominator: 40, sumNumeratorSquared: 2, sumDenominatorSquared: 1000, sumProduct: 40 };
    const fromPlain = ratioEstimate(plain);
    expect(fromPlain).toEqual(ratioEstimate(accumulate([1, 1], [10, 30])));
    expect(fromPlain.value).toBe(0.05);
    expectRelativelyClose(fromPlain.standardError, 0.025, ESTIMATE_TOLERANCE, "standard error");
    expect(fromPlain.count).toBe(2);
  });

  it("when every cycle has the same ratio then the standard error is 0, not NaN", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1 << 20 }), { minLength: 2, maxLength: 50 }), (lengths) => {
        const estimate = ratioEstimate(
          accumulate(
            lengths.map((t) => t / 4),
            lengths,
          ),
        );
        expect(estimate.value).toBe(0.25);
        expect(estimate.standardError).toBe(0);
      }),
    );
  });

  it("when there are fewer than 2 cycles or the sums are out of domain then it throws a RangeError naming the function", () => {
    const good = { count: 2, sumNumerator: 2, sumDenominator: 40, sumNumeratorSquared: 2, sumDenominatorSquared: 1000, sumProduct: 40 };
    expect(() => ratioEstimate({ ...good, count: 1 })).toThrow(new RangeError("ratioEstimate requires a whole count of cycles ≥ 2, got 1"));
    expect(() => ratioEstimate({ ...good, count: 2.5 })).toThrow(
      new RangeError("ratioEstimate requires a whole count of cycles ≥ 2, got 2.5"),
    );
    expect(() => ratioEstimate({ ...good, sumDenominator: 0 })).toThrow(new RangeError("ratioEstimate requires sumDenominator > 0, got 0"));
    expect(() => ratioEstimate({ ...good, sumProduct: Number.NaN })).toThrow(
      new RangeError("ratioEstimate requires a finite sumProduct, got NaN"),
    );
    expect(() => ratioEstimate({ ...good, sumNumerator: Number.POSITIVE_INFINITY })).toThrow(
      new RangeError("ratioEstimate requires a finite sumNumerator, got Infinity"),
    );
    expect(() => ratioEstimate({ ...good, sumNumeratorSquared: -1 })).toThrow(
      new RangeError("ratioEstimate requires sums of squares ≥ 0, got sumNumeratorSquared -1, sumDenominatorSquared 1000"),
    );
  });
});
