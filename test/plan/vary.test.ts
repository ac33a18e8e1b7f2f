/**
 * The `--vary` / `--range` grammar (src/plan/vary.ts) read directly: each accepted form
 * and the values it expands to (worked out by hand in the comments, in mqrel's internal
 * units: hours, per hour, plain), and each refused form with its message and place.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import type { NameResolver } from "../../src/expr/expression.js";
import { HOURS_PER_YEAR, TIME } from "../../src/expr/units.js";
import { MAX_VALUES, parseVariation, round12, splitPathSpec } from "../../src/plan/vary.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** No params. */
const none: NameResolver = () => undefined;
/** One param, node_mttr = 4 h (a quantity in seconds, as the evaluator holds times). */
const withParam: NameResolver = (name) => (name === "node_mttr" ? { value: 4 * 3600, dimension: TIME } : undefined);

function values(text: string, names = none): (number | string)[] {
  return parseVariation(text, names).values.map((v) => v.value);
}

function texts(text: string, names = none): string[] {
  return parseVariation(text, names).values.map((v) => v.text);
}

/** The InputError of a refused spec, as "place: message". */
function refusal(text: string, flag = "--vary"): string {
  try {
    parseVariation(text, none, flag);
  } catch (error) {
    if (error instanceof InputError) return `${error.location.path}: ${error.message}`;
    throw error;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe("--vary: accepted forms and their values", () => {
  it("when from..to are whole numbers then every whole number between them is a value, plain", () => {
    const variation = parseVariation("cluster.nodes=3..7", none);
    expect(variation.path).toBe("cluster.nodes");
    expect(variation.spec).toBe("3..7");
    expect(variation.kind).toBe("plain");
    expect(variation.values).toEqual([3, 4, 5, 6, 7].map((n) => ({ text: String(n), value: n })));
  });

  it("when from..to are not whole numbers and span less than two decades then there are 10 linear steps (11 values)", () => {
    // 0.5 + 0.1·i, i = 0…10, rounded to 12 digits (so 0.6, not 0.6000000000000001)
    expect(values("x=0.5..1.5")).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.5]);
  });

  it("when from..to span two decades or more then there are 10 geometric steps (11 values)", () => {
    // 1 h..100 h: 100^(i/10) = 10^(i/5) hours, i = 0…10
    const variation = parseVariation("cluster.node.mttr=1 h..100 h", none);
    expect(variation.kind).toBe("time");
    expect(variation.values).toHaveLength(11);
    variation.values.forEach((v, i) => {
      expectRelativelyClose(v.value as number, 10 ** (i / 5), 1e-11, `value ${i}`);
    });
    expect(variation.values[10]?.value).toBe(100);
    expect(variation.values[5]?.text).toBe("10 h");
  });

  it("when a step with a unit is given then the values go from, from + step, … up to to, in hours, written back in hours", () => {
    // 30 min..8 h:30 min = 0.5, 1, …, 8 h: 16 values
    const variation = parseVariation("cluster.node.mttr=30 min..8 h:30 min", none);
    expect(variation.kind).toBe("time");
    expect(variation.values.map((v) => v.value)).toEqual(Array.from({ length: 16 }, (_, i) => 0.5 * (i + 1)));
    expect(variation.values[0]?.text).toBe("0.5 h");
  });

  it("when the step does not divide the span then the last value is the last step below to", () => {
    // 1, 4, 7, 10 (13 > 11)
    expect(values("x=1..11:3")).toEqual([1, 4, 7, 10]);
  });

  it("when decimal steps add up then the values are rounded to 12 digits: 0.11, not 0.11000000000000001", () => {
    expect(texts("x=0.1..0.2:0.01")).toEqual(["0.1", "0.11", "0.12", "0.13", "0.14", "0.15", "0.16", "0.17", "0.18", "0.19", "0.2"]);
    expect(round12(0.1 + 0.01)).toBe(0.11);
  });

  it("when a geometric step *factor (or ×factor) is given then the values are from, from·factor, … up to to", () => {
    expect(values("x=1..100:*10")).toEqual([1, 10, 100]);
    expect(values("x=1..1000:×10")).toEqual([1, 10, 100, 1000]);
    expect(values("x=2..20:*3")).toEqual([2, 6, 18]);
  });

  it("when rates are given per year then the values are per hour (a year is 8766 h)", () => {
    // 1 / year..10 / year: not whole in per-hour units, one decade: 10 linear steps of 0.9 / year
    const variation = parseVariation("durability.crash_rate=1 / year..10 / year", none);
    expect(variation.kind).toBe("rate");
    expect(variation.values).toHaveLength(11);
    variation.values.forEach((v, i) => {
      expectRelativelyClose(v.value as number, (1 + 0.9 * i) / HOURS_PER_YEAR, 1e-11, `value ${i}`);
    });
    expect(HOURS_PER_YEAR).toBe(8766);
  });

  it("when from equals to then the one value is the range", () => {
    expect(values("x=2.5..2.5")).toEqual([2.5]);
    expect(values("x=4..4")).toEqual([4]);
  });

  it("when the ends use the model's params then they are evaluated with them", () => {
    // node_mttr = 4 h: 4..8 h in 1 h steps
    expect(values("cluster.node.mttr=node_mttr..2 * node_mttr:1 h", withParam)).toEqual([4, 5, 6, 7, 8]);
  });

  it("when a list is given then its values are kept as written, and their kind is theirs", () => {
    const list = parseVariation("cluster.node.mttr=1 h, 30 min, 2 d", none);
    expect(list.kind).toBe("time");
    expect(list.values).toEqual([
      { text: "1 h", value: 1 },
      { text: "30 min", value: 0.5 },
      { text: "2 d", value: 48 },
    ]);
    expect(parseVariation("cluster.nodes=3,5,7", none).kind).toBe("plain");
  });

  it("when a list holds a word the loader gives a meaning to then the word passes through and the kind is mixed", () => {
    const list = parseVariation("cluster.quorum=majority,2", none);
    expect(list.kind).toBe("mixed");
    expect(list.values).toEqual([
      { text: "majority", value: "majority" },
      { text: "2", value: 2 },
    ]);
  });

  it("when a list item is an expression with commas inside brackets then it stays one item", () => {
    // max(1, 2) h = 2 h
    expect(values("x=max(1, 2) h,3 h")).toEqual([2, 3]);
  });

  it("when --range is the flag then it is the flag named in messages", () => {
    expect(refusal("x=5..1", "--range")).toBe("--range x: from must not be above to (5 > 1)");
  });

  it("when path=spec is split then spaces around either side go", () => {
    expect(splitPathSpec(" cluster.nodes = 3..5 ", "--vary")).toEqual(["cluster.nodes", "3..5"]);
  });
});

describe("--vary: refused forms and their messages", () => {
  it.each([
    ["cluster.nodes", '--vary: expected path=from..to[:step] or path=a,b,c, got "cluster.nodes"'],
    ["=3..5", '--vary: expected path=from..to[:step] or path=a,b,c, got "=3..5"'],
    ["cluster.nodes=", '--vary: expected path=from..to[:step] or path=a,b,c, got "cluster.nodes="'],
    ["9nodes=1..3", '--vary: expected a dotted field path like cluster.nodes, got "9nodes"'],
    ["cluster.nodes-2=1..3", '--vary: expected a dotted field path like cluster.nodes, got "cluster.nodes-2"'],
    [".nodes=1..3", '--vary: expected a dotted field path like cluster.nodes, got ".nodes"'],
  ])("when the flag's text is %j then it is refused: %s", (text, message) => {
    expect(refusal(text)).toBe(message);
  });

  it.each([
    ["x=1 h..5", "from and to must both be plain numbers, both durations or both rates"],
    ["x=1 / h..5 h", "from and to must both be plain numbers, both durations or both rates"],
    ["x=5..1", "from must not be above to (5 > 1)"],
    ["x=2 h..30 min", "from must not be above to (2 h > 30 min)"],
    ["x=1..10:*1", "a geometric step *factor needs a plain factor > 1, got 1"],
    ["x=1..10:*2 h", "a geometric step *factor needs a plain factor > 1, got 2 h"],
    ["x=0..10:*2", "a geometric range needs from > 0"],
    ["x=1..10:0", "the step must be > 0 and of the same kind as from and to, got 0"],
    ["x=1..10:-1", "the step must be > 0 and of the same kind as from and to, got -1"],
    ["x=1 h..2 h:5", "the step must be > 0 and of the same kind as from and to, got 5"],
    ["x=1..5000", `the range has 5000 values; at most ${MAX_VALUES}`],
    ["x=1..2:0.0001", `the range has 10001 values; at most ${MAX_VALUES}`],
    ["x=1..1e9:*1.01", `the range has 2083 values; at most ${MAX_VALUES}`],
    ["x=1,,2", 'expected a comma-separated list of values, got "1,,2"'],
    ["x=1,2,", 'expected a comma-separated list of values, got "1,2,"'],
  ])("when the spec is %j then it is refused: %s", (text, message) => {
    expect(refusal(text)).toBe(`--vary x: ${message}`);
  });

  it("when a list is longer than the cap then it is refused with its length", () => {
    const long = Array.from({ length: MAX_VALUES + 1 }, (_, i) => String(i + 1)).join(",");
    expect(refusal(`x=${long}`)).toBe(`--vary x: the list has ${MAX_VALUES + 1} values; at most ${MAX_VALUES}`);
  });

  it("when an end or a list item does not evaluate then the message quotes it and says why", () => {
    expect(refusal("x=1..(2")).toMatch(/^--vary x: "\(2": /);
    expect(refusal("x=1,2 +")).toMatch(/^--vary x: "2 \+": /);
  });

  it("when a list item is a quantity of another kind (a mass, an area) then it is refused by kind", () => {
    expect(refusal("x=1,2 h * 1 h")).toBe('--vary x: "2 h * 1 h" is neither a plain number, a duration nor a rate');
  });
});
