/**
 * `solve` in-process on in-memory models, through the model evaluator (src/plan/solve.ts
 * with its model probe): field kinds, default ranges and directions, the common-cause
 * floor. The reference answers come from closed forms written here — the binomial k-of-n
 * sum, A = mtbf / (mtbf + mttr) solved for mttr, p³ solved for p — not from mqrel.
 */
import { describe, expect, it } from "vitest";
import { METRIC, parseThreshold } from "../../src/metrics/index.js";
import { parseModelText } from "../../src/model/index.js";
import { Evaluator } from "../../src/plan/evaluate.js";
import { DEFAULT_TOLERANCE, type SolveRequest, solve } from "../../src/plan/solve.js";
import { parseVariation, type Variation } from "../../src/plan/vary.js";

function evaluatorOf(yaml: string): Evaluator {
  return new Evaluator(parseModelText(yaml, "solve.yaml"), []);
}

function availabilityRequest(path: string, target: string, ranges: Variation[] = []): SolveRequest {
  return {
    paths: [path],
    targets: [{ metric: METRIC.clusterAvailability, threshold: parseThreshold(`>= ${target}`, "availability-like"), from: "target" }],
    ranges: new Map(ranges.map((r) => [r.path, r])),
  };
}

/** P(at least k of n nodes up), each up with probability a. */
function kOfN(n: number, k: number, a: number): number {
  let up = 0;
  for (let i = k; i <= n; i++) {
    let c = 1;
    for (let j = 1; j <= i; j++) c = (c * (n - i + j)) / j;
    up += c * a ** i * (1 - a) ** (n - i);
  }
  return up;
}

describe("solve through the model evaluator", () => {
  it("when the node count is solved under a majority quorum then the answer is the first n from 1 whose k-of-n sum meets the target", () => {
    // by the binomial sum: 1: 0.99, 2: 0.9801, 3: 0.999702, 4: 0.999408, 5: 0.99999015 ≥ 0.9999
    const reference = Array.from({ length: 15 }, (_, i) => i + 1).find((n) => kOfN(n, Math.floor(n / 2) + 1, 0.99) >= 0.9999);
    expect(reference).toBe(5);
    const evaluator = evaluatorOf("mqrel: 1\ncluster:\n  nodes: 3\n  node: { availability: 0.99 }\n");
    const result = solve(
      evaluator,
      availabilityRequest("cluster.nodes", "99.99%", [parseVariation("cluster.nodes=1..15", () => undefined, "--range")]),
    );
    expect(result.met).toBe(true);
    expect(result.answer?.values.get("cluster.nodes")?.value).toBe(reference);
    expect(result.answer?.reading.value).toBeCloseTo(kOfN(5, 3, 0.99), 14);
    expect(result.spaces[0]?.method).toBe("whole numbers");
    expect(result.evaluated).toBe(5);
  });

  it("when a repair time is solved then the answer is the longest that meets: mttr* = mtbf (1 − t) / t", () => {
    // one node: A = 1000 / (1000 + mttr) ≥ 0.999 ⇔ mttr ≤ 1000 × 0.001 / 0.999 = 1.001001… h
    const evaluator = evaluatorOf("mqrel: 1\ncluster:\n  nodes: 1\n  node: { mtbf: 1000 h, mttr: 1 h }\n");
    const result = solve(evaluator, availabilityRequest("cluster.node.mttr", "0.999"));
    const root = (1000 * 0.001) / 0.999;
    const mttr = result.answer?.values.get("cluster.node.mttr")?.value as number;
    expect(result.goal).toBe("max"); // the least demanding end of a repair time
    expect(result.spaces[0]?.geometric).toBe(true); // 1/100 … 100 × the model's 1 h
    expect(mttr).toBeLessThanOrEqual(root * (1 + 1e-12));
    expect((root - mttr) / mttr).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
  });

  it("when a node availability is solved then it is searched on its complement: p³ ≥ 0.999999 gives 1 − p = 1 − 0.999999^(1/3)", () => {
    // all three nodes needed: q* = −expm1(log1p(−1e-6) / 3) = 3.333334e-7
    const evaluator = evaluatorOf("mqrel: 1\ncluster:\n  nodes: 3\n  quorum: all\n  node: { availability: 0.99 }\n");
    const result = solve(evaluator, availabilityRequest("cluster.node.availability", "0.999999"));
    const qStar = -Math.expm1(Math.log1p(-1e-6) / 3);
    const q = result.answer?.values.get("cluster.node.availability")?.complement as number;
    expect(result.spaces[0]?.onComplement).toBe(true);
    expect(q).toBeLessThanOrEqual(qStar * (1 + 1e-12));
    expect((qStar - q) / q).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
  });

  it("when the common cause's floor alone misses the target then no point is computed and the floor is reported", () => {
    // floor = λ_cc / (λ_cc + μ_cc) with λ_cc = 1 / 8766 per hour, μ_cc = 1 / 4 h: 4.5608e-4 > 1e-4, so 99.99 % is out of reach
    const evaluator = evaluatorOf(
      "mqrel: 1\ncluster:\n  nodes: 3\n  node: { mtbf: 1000 h, mttr: 10 h }\n  common_cause: { rate: 1 / year, mttr: 4 h }\n",
    );
    const result = solve(
      evaluator,
      availabilityRequest("cluster.nodes", "99.99%", [parseVariation("cluster.nodes=1..9", () => undefined, "--range")]),
    );
    const floor = 1 / 8766 / (1 / 8766 + 1 / 4);
    expect([result.met, result.evaluated, result.pruned]).toEqual([false, 0, 9]);
    expect(result.floor).toBeCloseTo(floor, 15);
  });

  it("when two counts are solved with a cost then the answer is the cheapest a brute-force scan of the k-of-n sums finds", () => {
    // nodes 1…9 with quorum 1…9, cost = 100·nodes − 30·quorum; target 0.99995 with node availability 0.9
    const evaluator = evaluatorOf("mqrel: 1\ncluster:\n  nodes: 3\n  quorum: 2\n  node: { availability: 0.9 }\n");
    const request: SolveRequest = {
      ...availabilityRequest("cluster.nodes", "0.99995", [
        parseVariation("cluster.nodes=1..9", () => undefined, "--range"),
        parseVariation("cluster.quorum=1..9", () => undefined, "--range"),
      ]),
      paths: ["cluster.nodes", "cluster.quorum"],
      minimize: "100 * cluster.nodes - 30 * cluster.quorum",
    };
    let best: { n: number; k: number; cost: number } | undefined;
    for (let n = 1; n <= 9; n++) {
      for (let k = 1; k <= n; k++) {
        const cost = 100 * n - 30 * k;
        if (kOfN(n, k, 0.9) >= 0.99995 && (best === undefined || cost < best.cost)) best = { n, k, cost };
      }
    }
    // by hand: 5 nodes, 1 needed: U = 0.1^5 = 1e-5 meets (cost 470); 4 nodes, 1 needed: 1e-4 misses; 6 nodes, 2 needed:
    // 0.1^6 + 6 × 0.9 × 0.1^5 = 5.5e-5 misses; 7 nodes, 2 needed: 6.4e-6 meets but costs 640
    expect(best).toEqual({ n: 5, k: 1, cost: 470 });
    const result = solve(evaluator, request);
    expect(result.answer?.cost).toBe(best?.cost);
    expect(result.answer?.values.get("cluster.nodes")?.value).toBe(5);
    expect(result.answer?.values.get("cluster.quorum")?.value).toBe(1);
    // combinations with a quorum above the node count are refused by the loader, and counted
    expect(result.refused).toBeGreaterThan(0);
  });
});
