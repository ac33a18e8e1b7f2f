/**
 * Issue 9: the edges of the number line. A literal beyond the double range, a time or
 * rate that would make a formula's ratios leave it, a count no double holds exactly, and
 * threshold texts built to make a regular expression backtrack are all input errors with
 * a clear message — never Infinity, NaN or a hang.
 */
import { describe, expect, it } from "vitest";
import { asCount, asHours, asRatePerHour, MAX_DURATION_HOURS, MIN_DURATION_HOURS } from "../../src/expr/convert.js";
import { decimalLiteral } from "../../src/expr/decimal.js";
import { ExpressionError, evaluateExpression } from "../../src/expr/expression.js";
import { nodeAvailability } from "../../src/formulas/index.js";
import { compare, parseThreshold } from "../../src/metrics/threshold.js";

describe("literals beyond the double range", () => {
  it("when a literal overflows a double then it is an error that names it, in any position", () => {
    for (const text of ["1e309", "  1e309 ", "1e311%", "99999e305"]) {
      expect(() => evaluateExpression(text), text).toThrow(/too large for a double/);
    }
    expect(() => evaluateExpression("2 * 1e309")).toThrow(/a number in the expression is too large for a double/);
    expect(() => evaluateExpression("1e308 * 10")).toThrow(/expected a finite number/);
  });

  it("when the largest double is written out then it is accepted", () => {
    expect(evaluateExpression("1.7976931348623157e308").value).toBe(Number.MAX_VALUE);
  });
});

describe("durations and rates", () => {
  it("when a duration is outside 1 ns … 1e12 years then it is refused with the range", () => {
    for (const text of ["1e-310", "1e200", "1e-20 s", "1e13 years", "1e308"]) {
      expect(() => asHours(evaluateExpression(text)), text).toThrow(/expected a duration between 1 ns and 1e12 years/);
    }
    expect(asHours(evaluateExpression("1 ns"))).toBeCloseTo(MIN_DURATION_HOURS, 25);
    expect(asHours(evaluateExpression("1e12 years"))).toBe(MAX_DURATION_HOURS);
    expect(asHours(evaluateExpression("0"), { allowZero: true })).toBe(0);
  });

  it("when a rate is outside 1/(1e12 years) … 1/ns then it is refused; 0 stays allowed", () => {
    for (const text of ["1e-200", "1e-20 / year", "1e13 / s", "1e300 / h"]) {
      expect(() => asRatePerHour(evaluateExpression(text)), text).toThrow(/expected a rate between/);
    }
    expect(asRatePerHour(evaluateExpression("0"))).toBe(0);
    expect(asRatePerHour(evaluateExpression("1 / ns"))).toBeCloseTo(3.6e12, 0);
  });

  it("when a threshold needs no range then any finite magnitude is accepted", () => {
    expect(parseThreshold(">= 1e20 years", "duration").target).toBe(1e20 * 8766);
  });
});

describe("counts", () => {
  it("when a count is beyond 2^53 − 1 then it is refused: the double cannot hold it exactly", () => {
    expect(() => asCount(evaluateExpression("2^53"))).toThrow(/≤ 2\^53 − 1/);
    expect(() => asCount(evaluateExpression("1e300"))).toThrow(/≤ 2\^53 − 1/);
    expect(asCount(evaluateExpression("2^53 - 1"))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => asCount(evaluateExpression("1001"), { max: 1000 })).toThrow(/≤ 1000, got 1001/);
  });
});

describe("node availability at the ends of the double range", () => {
  it("when MTBF + MTTR overflows then both halves come from the ratio, not 0 and 0", () => {
    // hand: equal times → 1/2 and 1/2
    expect(nodeAvailability(1e308, 1e308)).toEqual({ value: 0.5, complement: 0.5 });
    // hand: r = 1e300 / 1.5e308 = 2/3 · 1e-8; U = r/(1 + r)
    const r = nodeAvailability(1.5e308, 1e300);
    expect(r.complement).toBeCloseTo(((2 / 3) * 1e-8) / (1 + (2 / 3) * 1e-8), 22);
    expect(r.value + r.complement).toBe(1);
    const mirrored = nodeAvailability(1e300, 1.5e308);
    expect(mirrored.value).toBeCloseTo(r.complement, 22);
  });
});

describe("thresholds", () => {
  it("when a threshold can never be met (>= 1e309) then it is an input error, not a pass", () => {
    expect(() => parseThreshold(">= 1e309", "duration")).toThrow(/too large for a double/);
    expect(() => parseThreshold(">= 1e309 h", "duration")).toThrow(ExpressionError);
  });

  it("when the value is infinite then it meets > and >= and misses < and <=, with no tie", () => {
    const t = parseThreshold("> 10 years", "duration");
    expect(compare(t, Number.POSITIVE_INFINITY, undefined).pass).toBe(true);
    expect(compare(parseThreshold("< 10 years", "duration"), Number.POSITIVE_INFINITY, undefined).pass).toBe(false);
  });

  it("when a threshold holds a megabyte of spaces then it is parsed or refused at once (no backtracking)", () => {
    const spaces = " ".repeat(1 << 20);
    expect(() => parseThreshold(`>= 1${spaces}x`, "duration")).toThrow(ExpressionError);
    expect(() => parseThreshold(`${spaces}>=${spaces}`, "duration")).toThrow(/expected an operator and a value/);
    expect(parseThreshold(`>=${spaces}4 nines${spaces}`, "availability-like").nines).toBe(4);
    expect(decimalLiteral(`1${spaces}x`)).toBeUndefined();
  });

  it("when 100.00000000000001% or 1.0000000000000001 is typed then the decimal text decides: above 1", () => {
    expect(() => parseThreshold(">= 100.00000000000001%", "availability-like")).toThrow(/above 1/);
    expect(() => parseThreshold(">= 1.0000000000000001", "availability-like")).toThrow(/above 1/);
  });
});
