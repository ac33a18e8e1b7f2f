/**
 * `--minimize` cost expressions (src/plan/cost.ts) compiled against an in-memory model:
 * values by hand computation, searched fields against fixed ones, units and params, and
 * the refused expressions with their messages.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import { compileCost } from "../../src/plan/cost.js";
import type { Dimensionality } from "../../src/plan/fields.js";
import type { VariedValue } from "../../src/plan/vary.js";

const MODEL = `
mqrel: 1
params:
  node_cost: 300
  crew_cost: 2000
  node_mttr: 30 min
cluster:
  nodes: 3
  node: { mtbf: 2 years, mttr: node_mttr }
  repair_crews: 2
`;

const source = parseModelText(MODEL, "cost.yaml");
const base = resolveModel(source);

/** A candidate: the searched fields' values (internal units) and kinds. */
function candidate(entries: Record<string, [number | string, Dimensionality]>) {
  return new Map(
    Object.entries(entries).map(([path, [value, kind]]): [string, { value: VariedValue; kind: Dimensionality }] => [
      path,
      { value: { text: String(value), value }, kind },
    ]),
  );
}

function costOf(
  expression: string,
  entries: Record<string, [number | string, Dimensionality]> = {},
  overrides = [] as { path: string; value: string }[],
) {
  return compileCost(expression, source, overrides, base)(candidate(entries));
}

function refusal(expression: string, entries: Record<string, [number | string, Dimensionality]> = {}): string {
  try {
    costOf(expression, entries);
  } catch (error) {
    if (error instanceof InputError) return `${error.location.path}: ${error.message}${error.suggestion ? ` (${error.suggestion})` : ""}`;
    throw error;
  }
  throw new Error(`expected "${expression}" to be refused`);
}

describe("--minimize cost expressions", () => {
  it("when the searched fields are named by path then they take the candidate's values", () => {
    // 5 × 300 + 4 × 2000 = 9500
    expect(
      costOf("cluster.nodes * 300 + cluster.repair_crews * 2000", { "cluster.nodes": [5, "plain"], "cluster.repair_crews": [4, "plain"] }),
    ).toBe(9500);
  });

  it("when a named field is not searched then it takes its value in the model", () => {
    // nodes searched at 7, crews from the file: 7 × 300 + 2 × 2000 = 6100
    expect(costOf("cluster.nodes * 300 + cluster.repair_crews * 2000", { "cluster.nodes": [7, "plain"] })).toBe(6100);
  });

  it("when --set changed a field then the cost reads the changed value", () => {
    // crews set to 3: 7 × 300 + 3 × 2000 = 8100
    expect(
      costOf("cluster.nodes * 300 + cluster.repair_crews * 2000", { "cluster.nodes": [7, "plain"] }, [
        { path: "cluster.repair_crews", value: "3" },
      ]),
    ).toBe(8100);
  });

  it("when the model's params are named, bare or as params.<name>, then they are the params' values", () => {
    // 4 × 300 + 1 × 2000 = 3200, both ways
    const searched: Record<string, [number, Dimensionality]> = { "cluster.nodes": [4, "plain"], "cluster.repair_crews": [1, "plain"] };
    expect(costOf("cluster.nodes * node_cost + cluster.repair_crews * crew_cost", { ...searched })).toBe(3200);
    expect(costOf("cluster.nodes * params.node_cost + cluster.repair_crews * params.crew_cost", { ...searched })).toBe(3200);
  });

  it("when a time is divided by a unit then the cost is a plain number: searched in hours, or from the file in its own unit", () => {
    // a searched mttr of 4 h: 1000 / (4 h / 1 h) = 250; the file's 30 min: 1000 / 0.5 = 2000
    expect(costOf("1000 / (cluster.node.mttr / 1 h)", { "cluster.node.mttr": [4, "time"] })).toBe(250);
    expect(costOf("1000 / (cluster.node.mttr / 1 h)")).toBe(2000);
    // a rate searched per hour: 2 / year is 2 / 8766 per hour; times one year is 2
    expect(costOf("cluster.common_cause.rate * 1 year", { "cluster.common_cause.rate": [2 / 8766, "rate"] })).toBeCloseTo(2, 12);
  });

  it("when the model derives a field it leaves out (crews, quorum) then the cost reads the derived value", () => {
    const plain = parseModelText("mqrel: 1\ncluster:\n  nodes: 5\n  node: { mtbf: 2 years, mttr: 4 h }\n", "plain.yaml");
    // crews default to the node count (5), quorum to the majority (3): 5 + 10 × 3 = 35
    expect(compileCost("cluster.repair_crews + 10 * cluster.quorum", plain, [], resolveModel(plain))(new Map())).toBe(35);
  });

  it("when the node count is searched and crews or quorum are left out then they follow the candidate's count", () => {
    const plain = parseModelText("mqrel: 1\ncluster:\n  nodes: 3\n  node: { mtbf: 2 years, mttr: 4 h }\n", "plain.yaml");
    const cost = compileCost("cluster.repair_crews + 10 * cluster.quorum", plain, [], resolveModel(plain));
    // 7 nodes: one crew per node (7) and a majority of 4 — 7 + 10 × 4 = 47, not the base
    // model's 3 + 10 × 2 = 23
    expect(cost(candidate({ "cluster.nodes": [7, "plain"] }))).toBe(47);
    // quorum: all, at 5 nodes: 5 + 10 × 5 = 55
    const all = parseModelText("mqrel: 1\ncluster:\n  nodes: 3\n  quorum: all\n  node: { mtbf: 2 years, mttr: 4 h }\n", "all.yaml");
    expect(
      compileCost("cluster.repair_crews + 10 * cluster.quorum", all, [], resolveModel(all))(candidate({ "cluster.nodes": [5, "plain"] })),
    ).toBe(55);
  });

  it("when the same path appears twice then both take the same value", () => {
    // 6² − 6 = 30
    expect(costOf("cluster.nodes ^ 2 - cluster.nodes", { "cluster.nodes": [6, "plain"] })).toBe(30);
  });
});

describe("--minimize: refused expressions", () => {
  it("when a path names no field of the model then it is refused with the nearest field", () => {
    expect(refusal("cluster.nodez * 300", { "cluster.nodes": [3, "plain"] })).toBe(
      "--minimize: the model has no numeric field cluster.nodez (cluster.nodes)",
    );
  });

  it("when the expression does not parse then the message quotes it with its paths, not placeholders", () => {
    const message = refusal("cluster.nodes * * 2", { "cluster.nodes": [3, "plain"] });
    // (the char position counts in the placeholder text, so it is not pinned here)
    expect(message).toMatch(/^--minimize: "cluster\.nodes \* \* 2": cannot parse "cluster\.nodes \* \* 2": Value expected/);
    expect(message).not.toMatch(/__mqrel_path/);
  });

  it("when a bare name is neither a param nor a unit then it is refused", () => {
    expect(refusal("cluster.nodes * price", { "cluster.nodes": [3, "plain"] })).toBe(
      '--minimize: "cluster.nodes * price": unknown name "price" (not a parameter, a unit or a constant)',
    );
  });

  it("when a searched field takes a word (quorum: majority) then it is refused as not a number", () => {
    expect(refusal("cluster.quorum * 10", { "cluster.quorum": ["majority", "plain"] })).toBe(
      '--minimize: cluster.quorum takes the value "majority", which is not a number',
    );
  });

  it("when a time is added to a count then the units do not match and it is refused", () => {
    expect(refusal("cluster.node.mttr + cluster.nodes", { "cluster.nodes": [3, "plain"] })).toBe(
      '--minimize: "cluster.node.mttr + cluster.nodes": cannot add a plain number to a duration',
    );
  });
});
