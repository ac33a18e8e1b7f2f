/**
 * Statistical tests of the simulator, seeded and deterministic: for models with an exact
 * answer the 95% interval must cover it. The exact values come from the formula library,
 * which is itself checked against exact rational arithmetic (test/formulas); the
 * simulator never imports it.
 */
import { describe, expect, it } from "vitest";
import { kofnAvailability, quorumChain, replicatedDurability } from "../../src/formulas/index.js";
import type { ClusterSimConfig, SimConfig } from "../../src/sim/config.js";
import { runSimulation } from "../../src/sim/runner.js";

function cluster(overrides: Partial<ClusterSimConfig> = {}): ClusterSimConfig {
  return {
    nodes: 3,
    quorum: 2,
    repairCrews: 3,
    mtbfHours: 100,
    mttrHours: 4,
    failure: { kind: "exponential" },
    repair: { kind: "exponential" },
    commonCauseRatePerHour: 0,
    commonCauseMttrHours: 4,
    ...overrides,
  };
}

function config(overrides: Partial<SimConfig> & { cluster?: ClusterSimConfig }): SimConfig {
  return { mode: "formula", horizonHours: 20_000, cluster: cluster(), ...overrides };
}

async function simulate(c: SimConfig, runs: number, seed = 1) {
  return (await runSimulation(c, { runs, seed, workers: 1 })).summary;
}

function covers(ci: readonly [number, number] | null | undefined, value: number): boolean {
  return ci !== null && ci !== undefined && ci[0] <= value && value <= ci[1];
}

const node = (mtbf: number, mttr: number) => ({ value: mtbf / (mtbf + mttr), complement: mttr / (mtbf + mttr) });

describe("simulated availability", () => {
  it("covers the exact 2-of-3 binomial unavailability (independent repair)", async () => {
    const summary = await simulate(config({}), 40);
    const exact = kofnAvailability(2, [node(100, 4), node(100, 4), node(100, 4)]).complement;
    const estimate = summary.metrics["cluster.availability"];
    expect(estimate?.enough).toBe(true);
    expect(covers(estimate?.complementCi, exact), `${exact} in ${estimate?.complementCi}`).toBe(true);
  });

  it("covers the Markov chain's unavailability and MTTF with one repair crew and a common cause", async () => {
    const c = cluster({
      nodes: 5,
      quorum: 3,
      mtbfHours: 50,
      mttrHours: 5,
      repairCrews: 1,
      commonCauseRatePerHour: 0.002,
      commonCauseMttrHours: 10,
    });
    const summary = await simulate(config({ cluster: c, horizonHours: 50_000 }), 40);
    const exact = quorumChain({
      nodes: 5,
      quorum: 3,
      failureRate: 1 / 50,
      repairRate: 1 / 5,
      repairCrews: 1,
      commonCauseRate: 0.002,
      commonCauseRepairRate: 0.1,
    });
    expect(covers(summary.metrics["cluster.availability"]?.complementCi, exact.complement)).toBe(true);
    expect(covers(summary.metrics["cluster.mttf"]?.ci, exact.meanTimeToFailure)).toBe(true);
  });

  it("shows repair-crew queueing: one crew is measurably worse than independent repair", async () => {
    const shared = await simulate(config({ cluster: cluster({ repairCrews: 1, mttrHours: 20 }) }), 20);
    const independent = await simulate(config({ cluster: cluster({ mttrHours: 20 }) }), 20);
    const a = shared.metrics["cluster.availability"]?.complementCi as [number, number];
    const b = independent.metrics["cluster.availability"]?.complementCi as [number, number];
    expect(a[0]).toBeGreaterThan(b[1]);
  });

  it("covers U = λcc/(λcc + μcc) when only common-cause events fail the cluster", async () => {
    const c = cluster({ mtbfHours: 1e12, commonCauseRatePerHour: 0.002, commonCauseMttrHours: 10 });
    const summary = await simulate(config({ cluster: c, horizonHours: 100_000 }), 20);
    expect(covers(summary.metrics["cluster.availability"]?.complementCi, 0.002 / (0.002 + 0.1))).toBe(true);
  });

  it("keeps one node's availability at MTBF/(MTBF + MTTR) with lognormal repairs and Weibull failures (renewal theorem)", async () => {
    const single = { nodes: 1, quorum: 1, repairCrews: 1, mtbfHours: 50, mttrHours: 5 };
    const lognormal = await simulate(config({ cluster: cluster({ ...single, repair: { kind: "lognormal", sigma: 1 } }) }), 30);
    const weibull = await simulate(config({ cluster: cluster({ ...single, failure: { kind: "weibull", shape: 2 } }) }), 30);
    expect(covers(lognormal.metrics["cluster.availability"]?.complementCi, 5 / 55)).toBe(true);
    expect(weibull.metrics["cluster.availability"]?.method).toMatch(/independent replications/);
    expect(covers(weibull.metrics["cluster.availability"]?.complementCi, 5 / 55)).toBe(true);
  });

  it("coverage: over 200 seeds the 95% interval covers the exact unavailability about 95% of the time", async () => {
    const exact = kofnAvailability(2, [node(100, 4), node(100, 4), node(100, 4)]).complement;
    let covered = 0;
    const seeds = 200;
    for (let seed = 1; seed <= seeds; seed++) {
      const summary = await simulate(config({ horizonHours: 40_000 }), 5, seed);
      if (covers(summary.metrics["cluster.availability"]?.complementCi, exact)) covered++;
    }
    // binomial(200, 0.95): 95% of outcomes lie in 184..196 (0.92–0.98)
    expect(covered / seeds).toBeGreaterThanOrEqual(0.9);
    expect(covered / seeds).toBeLessThanOrEqual(0.99);
  });
});

describe("simulated messages", () => {
  const durability = {
    replicas: 2,
    windowHours: 2,
    crashRatePerHour: 0.01,
    correlatedCrashRatePerHour: 0.001,
    commonCauseDestroysPageCache: false,
  };

  it("covers durability.replicated's loss probability (loss measured on the crash timeline)", async () => {
    const summary = await simulate(config({ durability, horizonHours: 100_000 }), 40);
    const exact = replicatedDurability({ replicas: 2, crashRate: 0.01, window: 2, correlatedCrashRate: 0.001 }).value;
    const estimate = summary.metrics["message.loss"];
    expect(estimate?.enough).toBe(true);
    expect(covers(estimate?.ci, exact), `${exact} in ${estimate?.ci}`).toBe(true);
  });

  it("covers the redelivery probability 1 − e^(−λc·d) when only consumer crashes interrupt processing", async () => {
    // broker nodes practically never fail; consumer crashes at 0.01/h, 2 h between delivery and ack
    const c = cluster({ mtbfHours: 1e12 });
    const summary = await simulate(
      config({ cluster: c, duplicates: { processingHours: 2, consumerCrashRatePerHour: 0.01 }, horizonHours: 100_000 }),
      20,
    );
    const exact = -Math.expm1(-0.01 * 2);
    expect(covers(summary.metrics["message.duplicates"]?.ci, exact), `${exact} in ${summary.metrics["message.duplicates"]?.ci}`).toBe(true);
  });

  it("loses nothing with an fsync before the ack (window 0)", async () => {
    const summary = await simulate(config({ durability: { ...durability, windowHours: 0 } }), 4);
    expect(summary.metrics["message.loss"]?.estimate).toBe(0);
  });

  it("realistic: a common-cause event also drops the page cache, adding about λcc·w of loss", async () => {
    const c = cluster({ commonCauseRatePerHour: 0.005, commonCauseMttrHours: 1 });
    const formula = await simulate(config({ cluster: c, durability, horizonHours: 100_000 }), 20);
    const realistic = await simulate(
      config({ mode: "realistic", cluster: c, durability: { ...durability, commonCauseDestroysPageCache: true }, horizonHours: 100_000 }),
      20,
    );
    const gain = (realistic.metrics["message.loss"]?.estimate as number) - (formula.metrics["message.loss"]?.estimate as number);
    // ≈ λcc·w = 0.005 · 2 = 0.01 (less what overlaps the existing loss windows)
    expect(gain).toBeGreaterThan(0.007);
    expect(gain).toBeLessThan(0.011);
  });

  it("covers retry.deadline: timeout 1 s, backoff 0.5 s doubling, 6 s deadline → 3 attempts, failure 0.4³", async () => {
    const s = 1 / 3600;
    const retry = {
      attempts: 6,
      pSuccess: 0.6,
      timeoutHours: s,
      backoffInitialHours: 0.5 * s,
      backoffMultiplier: 2,
      backoffMaxHours: 4 * s,
      deadlineHours: 6 * s,
      failDuringOutages: false,
      samplesPerRun: 5000,
    };
    const summary = await simulate(config({ retry }), 8);
    // hand: starts 0, 1.5 s, 3.5 s (next 6.5 s ≥ 6 s)
    expect(covers(summary.metrics["retry.success"]?.complementCi, 0.4 ** 3)).toBe(true);
  });

  it("realistic: attempts fail while the cluster is down (a node up half the time fails half the single attempts)", async () => {
    const c = cluster({ nodes: 1, quorum: 1, repairCrews: 1, mtbfHours: 10, mttrHours: 10 });
    const retry = {
      attempts: 1,
      pSuccess: 1,
      timeoutHours: 0,
      backoffInitialHours: 0,
      backoffMultiplier: 1,
      backoffMaxHours: 0,
      deadlineHours: Number.POSITIVE_INFINITY,
      failDuringOutages: true,
      samplesPerRun: 2000,
    };
    const summary = await simulate(config({ mode: "realistic", cluster: c, retry }), 10);
    expect(covers(summary.metrics["retry.success"]?.complementCi, 0.5)).toBe(true);
    const independent = await simulate(config({ cluster: c, retry: { ...retry, failDuringOutages: false } }), 2);
    expect(independent.metrics["retry.success"]?.complement).toBe(0);
    expect(independent.metrics["retry.success"]?.method).toMatch(/rule of three/);
  });
});

describe("the runner", () => {
  it("gives bit-identical summaries for the same seed", async () => {
    const a = await simulate(config({}), 6, 9);
    const b = await simulate(config({}), 6, 9);
    expect(a).toEqual(b);
    const c = await simulate(config({}), 6, 10);
    expect(c).not.toEqual(a);
  });

  it("stops early once the target relative error is met", async () => {
    const result = await runSimulation(config({ horizonHours: 100_000 }), { runs: 1000, seed: 1, workers: 1, targetRelativeError: 0.2 });
    expect(result.stoppedEarly).toBe("target");
    expect(result.runsDone).toBeLessThan(1000);
  });

  it("stops when asked (Ctrl-C) and keeps the runs finished so far", async () => {
    let calls = 0;
    const result = await runSimulation(config({}), { runs: 50, seed: 1, workers: 1, shouldStop: () => ++calls > 6 });
    expect(result.stoppedEarly).toBe("interrupted");
    expect(result.runsDone).toBeGreaterThan(0);
    expect(result.runsDone).toBeLessThan(50);
  });

  it("says too few events rather than trusting a thin interval", async () => {
    const summary = await simulate(config({ cluster: cluster({ mtbfHours: 1e6 }), horizonHours: 1000 }), 2);
    expect(summary.metrics["cluster.availability"]?.enough).toBe(false);
  });
});
