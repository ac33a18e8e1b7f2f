/**
 * The simulator's bad releases (docs/design.md §3e) under `--assume formula`: against the
 * hand derivation of test/formulas/badRelease.test.ts, and against availability.maintenance
 * (itself checked against that derivation) where the nodes fail, a common cause strikes
 * and the detection stops a round early. src/sim never imports src/formulas, so the
 * formula is an independent reference here. Each case is sized so that 4 standard errors
 * are at most 10 % of the exact value.
 */
import { describe, it } from "vitest";
import { maintenanceAvailability } from "../../src/formulas/index.js";
import type { ClusterSimConfig, SimConfig } from "../../src/sim/kernel/config.js";
import { warmupHours } from "../../src/sim/run/fromModel.js";
import { runSimulation } from "../../src/sim/run/scheduler.js";
import { expectComplement, expectValue } from "../helpers/statistical.js";

type Cluster = Omit<ClusterSimConfig, "warmupHours">;

const Y = 8766;
const MIN = 1 / 60;

async function simulate(cluster: Cluster, horizonHours: number, runs: number, seed: number) {
  const config: SimConfig = { mode: "formula", horizonHours, cluster: { ...cluster, warmupHours: warmupHours(cluster) } };
  return (await runSimulation(config, { runs, seed, workers: 1 })).summary.metrics;
}

const exponential = { failure: { kind: "exponential" }, repair: { kind: "exponential" } } as const;

describe("simulated bad releases", () => {
  it("when three nodes' bad release is caught after the round ends then U and outages are the hand derivation's", async () => {
    // Arrange: 2-of-3, nodes that never fail; 10-minute restarts every 720 h; p 0.1,
    // detect 30 min, rollback 15 min. By hand (test/formulas/badRelease.test.ts): each bad
    // round loses the quorum from 10 to 55 min, once: U = 0.1 · 0.75 h / 720 h
    const seed = 11;
    const cluster: Cluster = {
      nodes: 3,
      quorum: 2,
      repairCrews: 1,
      modes: [{ name: "node", mtbfHours: 1e6 * Y, mttrHours: 8, crew: true }],
      ...exponential,
      commonCauseRatePerHour: 0,
      commonCauseMttrHours: 1,
      maintenance: { everyHours: 720, durationHours: 10 * MIN, badRelease: { p: 0.1, detectHours: 30 * MIN, rollbackHours: 15 * MIN } },
    };

    // Act
    const m = await simulate(cluster, 1000 * Y, 20, seed);

    // Assert
    expectComplement("unavailability", m["cluster.availability"], (0.1 * 0.75) / 720, seed);
    expectValue("outages per year", m["cluster.outages_per_year"], (0.1 * Y) / 720, seed);
  });

  it("when failing nodes' bad release is caught during the third of five slots, with a common cause and elections, then U, outages and the queue are the formula's", async () => {
    // Arrange: 3-of-5, one crew; hardware λ 1/480 h⁻¹ (8 h), crashes 2/day (10 min, no
    // crew); a common cause 2/yr for 1 h; daily 10-minute restarts; p 0.3, detect 15 min
    // (the round stops in its third slot), rollback 30 min; elections of 1 min
    const seed = 12;
    const cluster: Cluster = {
      nodes: 5,
      quorum: 3,
      repairCrews: 1,
      modes: [
        { name: "hardware", mtbfHours: 480, mttrHours: 8, crew: true },
        { name: "crash", mtbfHours: 12, mttrHours: 10 * MIN, crew: false },
      ],
      ...exponential,
      commonCauseRatePerHour: 2 / Y,
      commonCauseMttrHours: 1,
      maintenance: { everyHours: 24, durationHours: 10 * MIN, badRelease: { p: 0.3, detectHours: 15 * MIN, rollbackHours: 30 * MIN } },
      failover: { meanHours: MIN, fixed: false },
    };
    const exact = maintenanceAvailability({
      nodes: 5,
      quorum: 3,
      repairCrews: 1,
      modes: [
        { failureRate: 1 / 480, repairRate: 1 / 8, needsCrew: true },
        { failureRate: 1 / 12, repairRate: 6, needsCrew: false },
      ],
      commonCause: { rate: 2 / Y, restoreRate: 1 },
      failover: { electionRate: 60 },
      everyHours: 24,
      durationHours: 10 * MIN,
      badRelease: { p: 0.3, detectHours: 15 * MIN, rollbackHours: 30 * MIN },
    });

    // Act
    const m = await simulate(cluster, 30 * Y, 8, seed);

    // Assert: the formula's error estimate (and the queue's approximation for the bad
    // rounds) is far below the simulation's standard error here
    expectComplement("unavailability", m["cluster.availability"], exact.complement, seed);
    expectValue("outages per year", m["cluster.outages_per_year"], exact.outageFrequency * Y, seed);
    expectComplement("queue unavailability", m["queue.availability"], exact.queue?.complement as number, seed);
  });
});
