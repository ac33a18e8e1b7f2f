/**
 * The simulator's failure modes, zones, failover and maintenance, held to the formulas'
 * assumptions (exponential times), against the exact chain of src/formulas. That chain
 * is itself checked to 1e-12 against an independent 40-digit mpmath implementation
 * (test/reference/cluster_chain_reference.py, test/formulas/clusterChain.test.ts), so it
 * is an independent reference here: src/sim never imports src/formulas.
 *
 * Each case is sized so that 4 standard errors are at most 10 % of the exact value.
 */
import { describe, it } from "vitest";
import { clusterChain, maintenanceAvailability } from "../../src/formulas/index.js";
import type { ClusterSimConfig, SimConfig } from "../../src/sim/kernel/config.js";
import { warmupHours } from "../../src/sim/run/fromModel.js";
import { runSimulation } from "../../src/sim/run/scheduler.js";
import { expectComplement, expectValue } from "../helpers/statistical.js";

type Cluster = Omit<ClusterSimConfig, "warmupHours">;

async function simulate(cluster: Cluster, horizonHours: number, runs: number, seed: number) {
  const config: SimConfig = { mode: "formula", horizonHours, cluster: { ...cluster, warmupHours: warmupHours(cluster) } };
  return (await runSimulation(config, { runs, seed, workers: 1 })).summary.metrics;
}

const exponential = { failure: { kind: "exponential" }, repair: { kind: "exponential" } } as const;

describe("simulated failure modes, zones, failover and maintenance", () => {
  it("when two modes compete (one waits for the single crew, one recovers alone) with a common cause then U, MTTF and outages are the chain's", async () => {
    // Arrange: 2-of-3; hardware λ 0.01/h, repaired by the one crew at 0.1/h; crashes λ 0.02/h, back in 1 h on their own
    const seed = 4;
    const cluster: Cluster = {
      nodes: 3,
      quorum: 2,
      repairCrews: 1,
      modes: [
        { name: "hardware", mtbfHours: 100, mttrHours: 10, crew: true },
        { name: "crash", mtbfHours: 50, mttrHours: 1, crew: false },
      ],
      ...exponential,
      commonCauseRatePerHour: 0.001,
      commonCauseMttrHours: 2,
    };
    const exact = clusterChain({
      nodes: 3,
      quorum: 2,
      repairCrews: 1,
      modes: [
        { failureRate: 0.01, repairRate: 0.1, needsCrew: true },
        { failureRate: 0.02, repairRate: 1, needsCrew: false },
      ],
      commonCause: { rate: 0.001, restoreRate: 0.5 },
    });

    // Act
    const m = await simulate(cluster, 200_000, 20, seed);

    // Assert
    expectComplement("unavailability", m["cluster.availability"], exact.complement, seed);
    expectValue("MTTF", m["cluster.mttf"], exact.meanTimeToFailure, seed);
    expectValue("outages per year", m["cluster.outages_per_year"], exact.outageFrequency * 8766, seed);
  });

  it("when five nodes sit in zones 2+2+1 whose outages take their nodes down then U and outages are the chain's", async () => {
    // Arrange: 3-of-5; node λ 0.01/h, μ 0.2/h (a crew each); each zone out at 0.005/h for 4 h
    const seed = 5;
    const cluster: Cluster = {
      nodes: 5,
      quorum: 3,
      repairCrews: 5,
      modes: [{ name: "node", mtbfHours: 100, mttrHours: 5, crew: true }],
      ...exponential,
      commonCauseRatePerHour: 0,
      commonCauseMttrHours: 1,
      zones: { zoneOfNode: [0, 0, 1, 1, 2], count: 3, outageRatePerHour: 0.005, mttrHours: 4 },
    };
    const exact = clusterChain({
      nodes: 5,
      quorum: 3,
      repairCrews: 5,
      modes: [{ failureRate: 0.01, repairRate: 0.2, needsCrew: true }],
      zones: { placement: [2, 2, 1], outageRate: 0.005, restoreRate: 0.25 },
    });

    // Act
    const m = await simulate(cluster, 200_000, 20, seed);

    // Assert
    expectComplement("unavailability", m["cluster.availability"], exact.complement, seed);
    expectValue("outages per year", m["cluster.outages_per_year"], exact.outageFrequency * 8766, seed);
  });

  it("when three zones 1+1+1 and a leader that needs an election after an unplanned loss then queue availability is the chain's", async () => {
    // Arrange: 2-of-3; node λ 0.01/h, μ 0.2/h; zones out at 0.002/h for 2 h; elections take 30 min on average
    const seed = 6;
    const cluster: Cluster = {
      nodes: 3,
      quorum: 2,
      repairCrews: 3,
      modes: [{ name: "node", mtbfHours: 100, mttrHours: 5, crew: true }],
      ...exponential,
      commonCauseRatePerHour: 0,
      commonCauseMttrHours: 1,
      zones: { zoneOfNode: [0, 1, 2], count: 3, outageRatePerHour: 0.002, mttrHours: 2 },
      failover: { meanHours: 0.5, fixed: false },
    };
    const exact = clusterChain({
      nodes: 3,
      quorum: 2,
      repairCrews: 3,
      modes: [{ failureRate: 0.01, repairRate: 0.2, needsCrew: true }],
      zones: { placement: [1, 1, 1], outageRate: 0.002, restoreRate: 0.5 },
      failover: { electionRate: 2 },
    });

    // Act
    const m = await simulate(cluster, 200_000, 30, seed);

    // Assert
    expectComplement("cluster unavailability", m["cluster.availability"], exact.complement, seed);
    expectComplement("queue unavailability", m["queue.availability"], exact.queue?.complement as number, seed);
  });

  it("when nodes restart one at a time every day then U and outages are the maintenance method's", async () => {
    // Arrange: 2-of-3; node λ 0.01/h, μ 0.25/h; a round of three 30-minute restarts every 24 h
    const seed = 7;
    const cluster: Cluster = {
      nodes: 3,
      quorum: 2,
      repairCrews: 3,
      modes: [{ name: "node", mtbfHours: 100, mttrHours: 4, crew: true }],
      ...exponential,
      commonCauseRatePerHour: 0,
      commonCauseMttrHours: 1,
      maintenance: { everyHours: 24, durationHours: 0.5 },
    };
    const exact = maintenanceAvailability({
      nodes: 3,
      quorum: 2,
      repairCrews: 3,
      modes: [{ failureRate: 0.01, repairRate: 0.25, needsCrew: true }],
      everyHours: 24,
      durationHours: 0.5,
    });

    // Act
    const m = await simulate(cluster, 100_000, 30, seed);

    // Assert: the method's own error bound is far below the simulation's standard error here
    expectComplement("unavailability", m["cluster.availability"], exact.complement, seed);
    expectValue("outages per year", m["cluster.outages_per_year"], exact.outageFrequency * 8766, seed);
    expectValue("mean up time between losses", m["cluster.mttf"], exact.meanUpTime, seed);
  });
});
