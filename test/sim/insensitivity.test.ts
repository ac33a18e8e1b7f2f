/**
 * Which metrics importance sampling of the exponential equivalent may stand in for, by
 * mechanics (src/sim/estimate/insensitivity.ts has the argument; test/cli/importanceRealistic.test.ts
 * checks the values against exact ones).
 */
import { describe, expect, it } from "vitest";
import {
  exponentialEquivalent,
  insensitivityBlocker,
  sensitiveMetrics,
  usesExponentialEquivalent,
} from "../../src/sim/estimate/insensitivity.js";
import type { ClusterSimConfig, SimConfig } from "../../src/sim/kernel/config.js";

const cluster: ClusterSimConfig = {
  nodes: 3,
  quorum: 2,
  repairCrews: 3,
  modes: [
    { name: "hardware", mtbfHours: 8766, mttrHours: 4, crew: true },
    { name: "crash", mtbfHours: 2000, mttrHours: 0.05, crew: false },
  ],
  failure: { kind: "exponential" },
  repair: { kind: "lognormal", sigma: 1 },
  warmupHours: 40,
  commonCauseRatePerHour: 0,
  commonCauseMttrHours: 1,
  failover: { meanHours: 0.004, fixed: true },
};
const realistic = (c: ClusterSimConfig): SimConfig => ({ mode: "realistic", horizonHours: 8766, cluster: c });

describe("insensitivity to the repair law", () => {
  it("when repairs are lognormal and elections fixed then the MTTF and the queue are left to plain runs, and the equivalent chain has exponential repairs and no leader", () => {
    const config = realistic(cluster);
    expect(usesExponentialEquivalent(config)).toBe(true);
    expect([...sensitiveMetrics(config).keys()]).toEqual(["cluster.mttf", "queue.availability"]);
    const equivalent = exponentialEquivalent(cluster);
    expect(equivalent.repair).toEqual({ kind: "exponential" });
    expect(equivalent.failover).toBeUndefined();
    // the same means
    expect(equivalent.modes).toEqual(cluster.modes);
  });

  it("when only the elections are fixed then only the queue is left to plain runs (the MTTF of exponential repairs is the chain's)", () => {
    const config = realistic({ ...cluster, repair: { kind: "exponential" } });
    expect([...sensitiveMetrics(config).keys()]).toEqual(["queue.availability"]);
    expect(insensitivityBlocker(config.cluster)).toBeUndefined();
  });

  it("when every time is exponential then nothing is left out and nothing blocks", () => {
    const config = realistic({ ...cluster, repair: { kind: "exponential" }, failover: { meanHours: 0.004, fixed: false } });
    expect(usesExponentialEquivalent(config)).toBe(false);
    expect(sensitiveMetrics(config).size).toBe(0);
  });

  it("when a crew mode's nodes outnumber the crews, or a common cause voids repairs, then lognormal repairs block it; crew-free modes need no crew", () => {
    expect(insensitivityBlocker(cluster)).toBeUndefined();
    expect(insensitivityBlocker({ ...cluster, repairCrews: 2 })).toMatch(/^3 nodes share 2 repair crews/);
    const crewFree = cluster.modes.map((m) => ({ ...m, crew: false }));
    expect(insensitivityBlocker({ ...cluster, repairCrews: 1, modes: crewFree })).toBeUndefined();
    expect(insensitivityBlocker({ ...cluster, commonCauseRatePerHour: 1e-4 })).toMatch(/^a common cause voids the repairs under way/);
    // exponential repairs: the chain itself, whatever the crews and the common cause
    expect(
      insensitivityBlocker({ ...cluster, repairCrews: 1, commonCauseRatePerHour: 1e-4, repair: { kind: "exponential" } }),
    ).toBeUndefined();
  });
});
