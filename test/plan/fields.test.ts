/**
 * How the planning commands read and write model fields (src/plan/fields.ts): the text a
 * value is handed to the loader as, and the fields of a file after `--set`. The round
 * trips are checked through the loader's own reader (src/expr/decimal.ts via
 * evaluateExpression), which is what the texts must satisfy.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateExpression } from "../../src/expr/expression.js";
import { parseModelText } from "../../src/model/index.js";
import { complementText, fieldText, internalValue, modelLeaves, pathSegments, textOf } from "../../src/plan/fields.js";
import { expectRelativelyClose } from "../helpers/close.js";

describe("complementText: 1 − q as an exact decimal", () => {
  it.each([
    [1e-7, "0.9999999"],
    [0.25, "0.75"],
    // 10^23 − 33333334444450615 = 99999966666665555549385, 23 places
    [3.3333334444450615e-7, "0.99999966666665555549385"],
    [0, "1"],
    [1, "0"],
  ])("when q is %s then the text is %s", (q, text) => {
    expect(complementText(q)).toBe(text);
  });

  it("property: the loader reads the text back with q itself as its exact complement", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1, noNaN: true, noDefaultInfinity: true }), (q) => {
        const read = evaluateExpression(complementText(q));
        expect(read.exactComplement).toBe(q);
      }),
      { seed: 2026, numRuns: 500 },
    );
  });

  it("when q is not a probability then it is a RangeError (a bug, not bad input)", () => {
    expect(() => complementText(1.5)).toThrow(RangeError);
    expect(() => complementText(-1e-9)).toThrow(RangeError);
  });
});

describe("textOf and internalValue: a value written for the loader and read back", () => {
  it("property: hours, per-hour rates and plain numbers survive the round trip to a few ulp", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
        fc.constantFrom("time" as const, "rate" as const, "plain" as const),
        (x, kind) => {
          // through seconds and back (× 3600, ÷ 3600): a few ulp at most
          expectRelativelyClose(internalValue(evaluateExpression(textOf(x, kind))), x, 1e-15);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it("when a value is written then times keep h and rates / h", () => {
    expect([textOf(4, "time"), textOf(0.5, "rate"), textOf(3, "plain")]).toEqual(["4 h", "0.5 / h", "3"]);
  });
});

describe("the fields of a model file", () => {
  const source = parseModelText(
    `mqrel: 1
name: fields
params:
  node_mttr: 4 h
cluster:
  nodes: 3
  quorum: majority
  node: { availability: 0.999999999999999 }
  common_cause: { rate: 0.5 / year, mttr: node_mttr, loses: nothing }
slo:
  cluster.availability: ">= 99.9%"
`,
    "fields.yaml",
  );

  it("when --set paths are split then params and slo keep their dotted key whole", () => {
    expect(pathSegments("cluster.node.mttr")).toEqual(["cluster", "node", "mttr"]);
    expect(pathSegments("slo.cluster.availability")).toEqual(["slo", "cluster.availability"]);
    expect(pathSegments("params.a.b")).toEqual(["params", "a.b"]);
  });

  it("when a number is read then its text keeps the digits as written; the last --set wins", () => {
    expect(fieldText(source, [], "cluster.node.availability")).toBe("0.999999999999999");
    expect(fieldText(source, [], "cluster.common_cause.mttr")).toBe("node_mttr");
    expect(
      fieldText(
        source,
        [
          { path: "cluster.nodes", value: "5" },
          { path: "cluster.nodes", value: "7" },
        ],
        "cluster.nodes",
      ),
    ).toBe("7");
    expect(fieldText(source, [], "cluster.zones.count")).toBeUndefined();
  });

  it("when the numeric inputs are listed then words, choices, the name and the slo are left out, and --set adds fields", () => {
    expect(modelLeaves(source, []).map((leaf) => leaf.path)).toEqual([
      "params.node_mttr",
      "cluster.nodes",
      "cluster.node.availability",
      "cluster.common_cause.rate",
      "cluster.common_cause.mttr",
    ]);
    const set = modelLeaves(source, [{ path: "cluster.repair_crews", value: "2" }]);
    expect(set.at(-1)).toEqual({ path: "cluster.repair_crews", text: "2" });
  });
});
