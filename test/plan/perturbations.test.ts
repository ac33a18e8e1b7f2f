/**
 * How `sensitivity` moves one input (src/plan/sensitivity.ts `perturbations`) and reads
 * `--by`, with the ends worked out by hand.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { parseBy, perturbations } from "../../src/plan/sensitivity.js";

describe("sensitivity: the ends an input is moved to", () => {
  it("when the input is a count then its ends are one fewer and one more, whatever --by", () => {
    expect(perturbations("3", "count", false, 3, undefined, 0.1)).toEqual({
      step: "count",
      low: { text: "2", value: 2 },
      high: { text: "4", value: 4 },
    });
  });

  it("when the input is a continuous quantity then its own text is scaled by 1 − by and 1 + by, so units and params stay", () => {
    // 4 h × 0.9 = 3.6 h, × 1.1 = 4.4 h
    const ends = perturbations("node_mttr + 30 min", "quantity", false, 4, undefined, 0.1);
    expect(ends.step).toBe("scale");
    expect(ends.low.text).toBe("(node_mttr + 30 min) * 0.9");
    expect(ends.high.text).toBe("(node_mttr + 30 min) * 1.1");
    expect(ends.low.value).toBeCloseTo(3.6, 14);
    expect(ends.high.value).toBeCloseTo(4.4, 14);
  });

  it("when the value is unknown (its text does not evaluate alone) then the ends are texts without values", () => {
    const ends = perturbations("x", "quantity", false, undefined, undefined, 0.2);
    expect(ends).toEqual({ step: "scale", low: { text: "(x) * 0.8" }, high: { text: "(x) * 1.2" } });
  });

  it("when a probability near 1 is moved then its complement moves by ±by: 0.999 → 0.9989 and 0.9991 for 10 %", () => {
    // complement 0.001: low end 0.0011 (more failure), high end 0.0009; written as exact decimals
    const ends = perturbations("0.999", "probability", true, 0.999, 0.001, 0.1);
    expect(ends).toEqual({
      step: "complement",
      low: { text: "0.9989", value: 1 - 0.0011 },
      high: { text: "0.9991", value: 1 - 0.0009 },
    });
  });

  it("when the complement moved up would pass 1 then the low end stops at probability 0", () => {
    // complement 0.95 × 1.1 = 1.045 → 1: the probability 0
    const ends = perturbations("0.05", "probability", true, 0.05, 0.95, 0.1);
    expect(ends.low).toEqual({ text: "0", value: 0 });
    expect(ends.high.text).toBe("0.145");
  });

  it("when a probability is not near 1 then it is scaled like any quantity", () => {
    const ends = perturbations("0.001", "probability", false, 0.001, 0.999, 0.5);
    expect([ends.step, ends.low.text, ends.high.text]).toEqual(["scale", "(0.001) * 0.5", "(0.001) * 1.5"]);
  });
});

/** The InputError of a refused --by, as "place: message". */
function refusal(text: string): string {
  try {
    parseBy(text);
  } catch (error) {
    if (error instanceof InputError) return `${error.location.path}: ${error.message}`;
    throw error;
  }
  throw new Error(`expected --by ${text} to be refused`);
}

describe("sensitivity: --by", () => {
  it.each([
    ["10%", 0.1],
    ["0.25", 0.25],
    ["1 %", 0.01],
  ])("when --by is %j then the relative change is %s", (text, by) => {
    expect(parseBy(text)).toBeCloseTo(by, 15);
  });

  it.each(["0", "1", "100%", "-10%", "150%"])("when --by is %j then it is refused as not strictly between 0 and 100 percent", (text) => {
    expect(refusal(text)).toBe(`--by: expected a relative change between 0 and 100 %, e.g. 10%, got "${text}"`);
  });

  it("when --by does not evaluate then the evaluator's message is given, at --by", () => {
    expect(refusal("ten")).toBe('--by: unknown name "ten" (not a parameter, a unit or a constant)');
  });
});
