/**
 * messageNumber: the one formatter for numbers in messages. Reference texts are written
 * out by hand from the decimal value of each double.
 */
import { describe, expect, it } from "vitest";
import { messageNumber } from "../../src/common/numbers.js";

describe("messageNumber", () => {
  it("when a computed value has 17 digits then 6 significant digits are shown", () => {
    expect(messageNumber(0.999998 - 1)).toBe("-0.000002"); // −1.999999999946489e-6
    expect(messageNumber(1 - 0.999998)).toBe("0.000002"); // 2.0000000000575113e-6
    expect(messageNumber(-1 / 3600)).toBe("-0.000277778");
    expect(messageNumber(1 / 3)).toBe("0.333333");
  });

  it("when 6 digits would round to a whole number the value is not then more are shown", () => {
    expect(messageNumber(1 + 1e-7)).toBe("1.0000001");
    expect(messageNumber(1 - 1e-9)).toBe("0.999999999");
    expect(messageNumber(1000000.4)).toBe("1000000.4");
  });

  it("when 6 digits would put the value on a bound or across it then more are shown", () => {
    // 9.9999999e-7 is below a bound of 1e-6; 6 digits read "1e-6", exactly the bound
    expect(messageNumber(9.9999999e-7, [1e-6])).toBe("9.9999999e-7");
    expect(messageNumber(9.9999999e-7)).toBe("0.000001");
    expect(messageNumber(1000.0000001, [1000])).toBe("1000.0000001");
  });

  it("when the value is -0, whole, huge or not finite then it reads as written", () => {
    expect(messageNumber(-0)).toBe("-0");
    expect(messageNumber(1000000)).toBe("1000000");
    expect(messageNumber(1e21)).toBe("1e21");
    expect(messageNumber(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(messageNumber(Number.NaN)).toBe("NaN");
  });
});
