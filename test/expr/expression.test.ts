import { describe, expect, it } from "vitest";
import { asHours, asProbability, asRatePerHour, splitList } from "../../src/expr/convert.js";
import { decimalLiteral } from "../../src/expr/decimal.js";
import { ExpressionError, evaluateExpression } from "../../src/expr/expression.js";

const hours = (text: string) => asHours(evaluateExpression(text));
const perHour = (text: string) => asRatePerHour(evaluateExpression(text));

describe("units", () => {
  it("reads the time units engineers write, a plain time as hours (docs/design.md §2)", () => {
    // expected values: hand conversions, a year = 365.25 days
    expect(hours("4")).toBe(4);
    expect(hours("4 h")).toBe(4);
    expect(hours("30 min")).toBe(0.5);
    expect(hours("90 s")).toBe(0.025);
    expect(hours("250 ms")).toBeCloseTo(250 / 3_600_000, 18);
    expect(hours("2 d")).toBe(48);
    expect(hours("1 day")).toBe(24);
    expect(hours("2 weeks")).toBe(336);
    expect(hours("1 yr")).toBe(8766);
    expect(hours("2 years")).toBe(17532);
  });

  it("reads rates as per hour: 2 / year, 1000 / s, 0.5 / h, 1 / (4 h)", () => {
    expect(perHour("2 / year")).toBeCloseTo(2 / 8766, 18);
    expect(perHour("1000 / s")).toBe(3_600_000);
    expect(perHour("0.5 / h")).toBe(0.5);
    expect(perHour("1 / (4 h)")).toBe(0.25);
    expect(perHour("0.25")).toBe(0.25);
  });

  it("refuses a value in the wrong unit with what was expected", () => {
    expect(() => hours("4 kg")).toThrow(/expected a duration .* got a mass/);
    expect(() => hours("2 / year")).toThrow(/got a rate/);
    expect(() => perHour("4 h")).toThrow(/expected a rate .* got a duration/);
    expect(() => hours("5 m")).toThrow(/got a length/);
    expect(() => evaluateExpression("4 h + 2")).toThrow(/cannot add a plain number to a duration/);
  });

  it("refuses zero or negative durations where they make no sense", () => {
    expect(() => hours("0 h")).toThrow(/> 0/);
    expect(() => hours("-4 h")).toThrow(/> 0/);
    expect(asHours(evaluateExpression("0 s"), { allowZero: true })).toBe(0);
  });
});

describe("sandbox", () => {
  it.each([
    ['import("fs")', /disabled/],
    ['evaluate("1+1")', /disabled/],
    ['createUnit("foo")', /disabled/],
    ["parse('1')", /disabled/],
    ["simplify(x)", /disabled/],
    ["derivative(x, x)", /disabled/],
    ["a.constructor", /property access/],
    ["x = 1", /assignment/],
    ["f(x) = x", /defining a function/],
    ["[1, 2]", /matrix/],
    ["{a: 1}", /object/],
    ["1 > 0 ? 1 : 2", /conditional/],
    ['"text"', /text/],
    ["cos(1)", /unknown function cos/],
    ["foo", /unknown name "foo"/],
    ["1/0", /finite/],
  ])("refuses %s", (text, message) => {
    expect(() => evaluateExpression(text)).toThrow(ExpressionError);
    expect(() => evaluateExpression(text)).toThrow(message);
  });

  it("caps the length of an expression", () => {
    expect(() => evaluateExpression(`1${"+1".repeat(600)}`)).toThrow(/limit is 1000/);
  });

  it("evaluates arithmetic, math functions and parameters", () => {
    expect(evaluateExpression("2^10").value).toBe(1024);
    expect(evaluateExpression("min(3, 2) + max(1, 4)").value).toBe(6);
    expect(evaluateExpression("log10(1000)").value).toBe(3);
    const mttr = { value: 14_400, dimension: { time: 1, mass: 0, length: 0, data: 0 } };
    expect(asHours(evaluateExpression("node_mttr * 2", (name) => (name === "node_mttr" ? mttr : undefined)))).toBe(8);
  });
});

describe("decimal literals keep exact complements", () => {
  it("when 0.999999999999999 is typed then its complement is 1e-15, not 9.992e-16", () => {
    expect(decimalLiteral("0.999999999999999")?.complement).toBe(1e-15);
    expect(asProbability(evaluateExpression("0.999999999999999")).complement).toBe(1e-15);
  });

  it("handles percentages and exponents: 99.999% → 1e-5, 9.99e-1 → 1e-3", () => {
    expect(decimalLiteral("99.999%")?.complement).toBe(1e-5);
    expect(decimalLiteral("99.999%")?.value).toBe(0.99999);
    expect(decimalLiteral("9.99e-1")?.complement).toBe(0.001);
    expect(decimalLiteral("1e-9")?.complement).toBe(1 - 1e-9);
    expect(decimalLiteral("4 h")).toBeUndefined();
  });

  it("refuses probabilities outside [0, 1]", () => {
    expect(() => asProbability(evaluateExpression("1.5"))).toThrow(/\[0, 1\], got 1.5/);
    expect(() => asProbability(evaluateExpression("-0.1"))).toThrow(/\[0, 1\]/);
    expect(() => asProbability(evaluateExpression("4 h"))).toThrow(/got a duration/);
  });
});

describe("lists", () => {
  it("splits at top-level commas only", () => {
    expect(splitList("1e-9, 2e-9,min(1, 2)")).toEqual(["1e-9", "2e-9", "min(1, 2)"]);
  });
});
