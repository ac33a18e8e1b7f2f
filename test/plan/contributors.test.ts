/**
 * What the unavailability and the loss are made of (src/plan/contributors.ts), on
 * in-memory models. Each mechanism's "without" value is computed another way: the
 * k-of-n chain in exact rational arithmetic (test/helpers/ctmcExact.ts, independent of
 * src/), the binomial k-of-n sum over independent nodes, or the loss formula
 * P = 1 − (1 − p_cc)(1 − p^q) written out by hand.
 */
import { describe, expect, it } from "vitest";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics } from "../../src/model/evaluate.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import { type Contributors, commonCauseFloor, contributors } from "../../src/plan/contributors.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { exactChain } from "../helpers/ctmcExact.js";

function modelOf(yaml: string) {
  return resolveModel(parseModelText(yaml, "contributors.yaml"));
}

function contributorsOf(yaml: string): Contributors[] {
  const model = modelOf(yaml);
  return contributors(model, evaluateMetrics(model));
}

/** The share of each mechanism, by id. */
function shares(found: Contributors | undefined): Record<string, number> {
  return Object.fromEntries((found?.contributions ?? []).map((c) => [c.mechanism, c.share]));
}

/** P(fewer than k of n independent nodes up), each down with probability u. */
function kOfNUnavailability(n: number, k: number, u: number): number {
  let down = 0;
  for (let up = 0; up < k; up++) down += binomial(n, up) * (1 - u) ** up * u ** (n - up);
  return down;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** The relative accuracy of the model's chain solution against the exact one (GTH in doubles). */
const CHAIN = 1e-9;

describe("commonCauseFloor", () => {
  it("when there is a common cause then the floor is λ_cc / (λ_cc + μ_cc), and without one there is none", () => {
    // λ_cc = 0.0001 / h, μ_cc = 1 / 5 h: 0.0001 / 0.2001
    const model = modelOf(
      "mqrel: 1\ncluster:\n  nodes: 3\n  node: { mtbf: 1000 h, mttr: 10 h }\n  common_cause: { rate: 0.0001 / h, mttr: 5 h }\n",
    );
    expectRelativelyClose(commonCauseFloor(model) as number, 0.0001 / 0.2001, 1e-15);
    expect(commonCauseFloor(modelOf("mqrel: 1\ncluster:\n  nodes: 3\n  node: { mtbf: 1000 h, mttr: 10 h }\n"))).toBeUndefined();
  });
});

describe("contributors of the cluster's unavailability", () => {
  // 3 nodes, quorum 2, λ = 1/1000 h, μ = 1/10 h, one repair crew, a common cause 0.0001 / h restored in 5 h
  const PLAIN = `
mqrel: 1
cluster:
  nodes: 3
  node: { mtbf: 1000 h, mttr: 10 h }
  repair_crews: 1
  common_cause: { rate: 0.0001 / h, mttr: 5 h }
`;
  const spec = { n: 3, k: 2, lambda: "0.001", mu: "0.1", crews: 1, lambdaCc: "0.0001", muCc: "0.2" };

  it("when a plain cluster has a common cause and too few crews then each removal's share matches the exact chain without it", () => {
    const [cluster] = contributorsOf(PLAIN);
    const total = exactChain(spec).u;
    expect(cluster?.metric).toBe(METRIC.clusterAvailability);
    expect(cluster?.quantity).toBe("unavailability");
    expectRelativelyClose(cluster?.total as number, total, CHAIN, "total");
    const without = {
      common_cause: exactChain({ ...spec, lambdaCc: "0" }).u,
      // with no node failures a plain cluster is down only in the common cause's state
      node_failures: 0.0001 / (0.0001 + 0.2),
      repair_crews: exactChain({ ...spec, crews: 3 }).u,
    };
    const found = shares(cluster);
    expect(Object.keys(found).sort()).toEqual(Object.keys(without).sort());
    for (const [mechanism, q] of Object.entries(without)) {
      expectRelativelyClose(found[mechanism] as number, (total - q) / total, CHAIN, mechanism);
    }
  });

  it("when the contributions are listed then the largest share comes first and one of at least a half is dominant", () => {
    const [cluster] = contributorsOf(PLAIN);
    const list = cluster?.contributions.map((c) => c.share) ?? [];
    expect(list).toEqual([...list].sort((a, b) => b - a));
    const top = cluster?.contributions[0];
    if ((top?.share as number) >= 0.5) expect(cluster?.dominant).toEqual(top);
    else expect(cluster?.dominant).toBeUndefined();
    // here the node failures dominate: without them λ_cc/(λ_cc + μ_cc) = 5.0e-4 is left of a total of 1.09e-3 (share 0.54)
    expect(cluster?.dominant?.mechanism).toBe("node_failures");
    expect(cluster?.dominant?.name).toBe("independent node failures");
  });

  it("when two failure modes are repaired independently then removing one leaves the binomial k-of-n of the other alone", () => {
    // per node: hardware λ1 = 1/2000 h, 8 h; disk λ2 = 1/5000 h, 24 h; one crew per node (crews default to nodes)
    // node U = (λ1·r1 + λ2·r2) / (1 + λ1·r1 + λ2·r2); cluster: 3 nodes, 2 needed
    const found = contributorsOf(`
mqrel: 1
cluster:
  nodes: 3
  node:
    failures:
      hardware: { mtbf: 2000 h, mttr: 8 h }
      disk: { mtbf: 5000 h, mttr: 24 h }
`);
    const rho1 = 8 / 2000;
    const rho2 = 24 / 5000;
    const total = kOfNUnavailability(3, 2, (rho1 + rho2) / (1 + rho1 + rho2));
    const withoutHardware = kOfNUnavailability(3, 2, rho2 / (1 + rho2));
    const withoutDisk = kOfNUnavailability(3, 2, rho1 / (1 + rho1));
    const [cluster] = found;
    expectRelativelyClose(cluster?.total as number, total, CHAIN, "total");
    const s = shares(cluster);
    expect(Object.keys(s).sort()).toEqual(["failure_mode:disk", "failure_mode:hardware"]);
    expectRelativelyClose(s["failure_mode:hardware"] as number, (total - withoutHardware) / total, CHAIN, "hardware");
    expectRelativelyClose(s["failure_mode:disk"] as number, (total - withoutDisk) / total, CHAIN, "disk");
    // the shares need not add up to 1: both modes together make more than the sum of each alone
    expect((s["failure_mode:hardware"] as number) + (s["failure_mode:disk"] as number)).toBeGreaterThan(1);
  });

  it("when the metric has only one mechanism to tell apart then no contributions are given", () => {
    // independent repair, no common cause: only the node failures
    expect(contributorsOf("mqrel: 1\ncluster:\n  nodes: 3\n  node: { mtbf: 1000 h, mttr: 10 h }\n")).toEqual([]);
  });
});

describe("contributors with bad releases", () => {
  it("when a bad release loses the quorum for 45 min of a 720 h period then bad releases are named, with the share a good-release year would not have", () => {
    // Arrange: the hand model of test/formulas/badRelease.test.ts — nodes that (nearly)
    // never fail, so good rounds never lose the quorum: U = 0.1 · 0.75 / 720 all from bad releases
    const found = contributorsOf(`
mqrel: 1
cluster:
  nodes: 3
  quorum: 2
  node: { mtbf: 1000000 years, mttr: 8 h }
  maintenance:
    every: 30 d
    duration: 10 min
    bad_release: { p: 0.1, detect: 30 min, rollback: 15 min }
`).find((c) => c.metric === METRIC.clusterAvailability);

    // Act
    const s = shares(found);
    const bad = found?.contributions.find((c) => c.mechanism === "bad_releases");

    // Assert: without bad releases only the nodes' own failures remain (≲ 1e-11 of 1.04e-4)
    expect(bad?.name).toBe("bad releases");
    expect(1 - (s.bad_releases as number)).toBeLessThan(1e-6);
    expect(found?.contributions.find((c) => c.mechanism === "maintenance")?.name).toBe("the rolling restarts (bad releases included)");
  });
});

describe("contributors of the message loss", () => {
  it("when replicas crash alone and together then each removal leaves the other's loss, by P = 1 − (1 − p_cc)(1 − p^q)", () => {
    // q = 2, w = 1 h, λ = 0.01 / h, λ_cc = 0.0001 / h
    const found = contributorsOf(`
mqrel: 1
cluster:
  nodes: 3
  node: { mtbf: 1000 h, mttr: 10 h }
durability:
  replicas: 2
  window: 1 h
  crash_rate: 0.01 / h
  correlated_crash_rate: 0.0001 / h
`).find((c) => c.metric === METRIC.messageLoss);
    const p = 1 - Math.exp(-0.01);
    const pcc = 1 - Math.exp(-0.0001);
    const total = 1 - (1 - pcc) * (1 - p ** 2);
    expect(found?.quantity).toBe("loss probability");
    expectRelativelyClose(found?.total as number, total, 1e-11, "total");
    const s = shares(found);
    // without correlated crashes: p^q; without independent crashes: p_cc
    expectRelativelyClose(s.correlated_crashes as number, (total - p ** 2) / total, 1e-9, "correlated");
    expectRelativelyClose(s.replica_crashes as number, (total - pcc) / total, 1e-9, "independent");
  });
});
