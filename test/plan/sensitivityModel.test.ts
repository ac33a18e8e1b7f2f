/**
 * `sensitivity` in-process on an in-memory model (src/plan/sensitivity.ts through the
 * model evaluator). One node: U = mttr / (mtbf + mttr), so every end's nines and every
 * swing is written out by hand here.
 */
import { describe, expect, it } from "vitest";
import { METRIC } from "../../src/metrics/index.js";
import { parseModelText } from "../../src/model/index.js";
import { Evaluator } from "../../src/plan/evaluate.js";
import { sensitivity } from "../../src/plan/sensitivity.js";

const MODEL = `mqrel: 1
params:
  node_mttr: 10 h
cluster:
  nodes: 1
  node: { mtbf: 1000 h, mttr: node_mttr }
`;

/** nines of one node's unavailability mttr / (mtbf + mttr) */
const nines = (mtbf: number, mttr: number) => -Math.log10(mttr / (mtbf + mttr));

describe("sensitivity through the model evaluator", () => {
  const result = sensitivity(new Evaluator(parseModelText(MODEL, "sensitivity.yaml"), []), METRIC.clusterAvailability, 0.1);

  it("when a field is only a param's name then the param is the input, not the field as well", () => {
    const paths = [...result.rows, ...result.countRows].map((r) => r.path).sort();
    expect(paths).toEqual(["cluster.node.mtbf", "cluster.nodes", "params.node_mttr"]);
  });

  it("when continuous inputs move by ±10 % then each end's nines and the swing are those of mttr / (mtbf + mttr)", () => {
    const mttr = result.rows.find((r) => r.path === "params.node_mttr");
    const mtbf = result.rows.find((r) => r.path === "cluster.node.mtbf");
    expect(result.base.score).toBeCloseTo(nines(1000, 10), 12);
    expect([mttr?.low.text, mttr?.high.text]).toEqual(["(10 h) * 0.9", "(10 h) * 1.1"]);
    expect(mttr?.low.reading?.score).toBeCloseTo(nines(1000, 9), 12);
    expect(mttr?.high.reading?.score).toBeCloseTo(nines(1000, 11), 12);
    expect(mttr?.swing).toBeCloseTo(nines(1000, 9) - nines(1000, 11), 12);
    expect(mtbf?.swing).toBeCloseTo(nines(1100, 10) - nines(900, 10), 12);
    // log10((11/1011) / (9/1009)) = 0.0867 > log10((10/910) / (10/1110)) = 0.0863: the repair time first
    expect(result.rows.map((r) => r.path)).toEqual(["params.node_mttr", "cluster.node.mtbf"]);
  });

  it("when a count moves by ±1 then an end the loader refuses carries its reason, and the swing spans the model and the other end", () => {
    const [nodes] = result.countRows;
    expect(nodes?.step).toBe("count");
    expect(nodes?.low.error).toBe("expected a whole number ≥ 1, got 0");
    // 2 nodes, majority 2: U = 1 − a², a = 1000 / 1010
    const a = 1000 / 1010;
    expect(nodes?.high.reading?.score).toBeCloseTo(-Math.log10(1 - a * a), 12);
    expect(nodes?.swing).toBeCloseTo(nines(1000, 10) + Math.log10(1 - a * a), 12);
  });

  it("when the metric has one mechanism only then no contributors are given", () => {
    expect(result.contributors).toBeUndefined();
    expect(result.by).toBe(0.1);
  });
});
