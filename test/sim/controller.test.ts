/**
 * The simulated control plane (docs/design.md §3e): controller nodes failing and
 * recovering on their own, no election while fewer than its quorum are up — held to the
 * exact chain of src/formulas (itself checked to 1e-12 against the whole chain in exact
 * rationals, test/formulas/controllerChain.test.ts; src/sim never imports src/formulas).
 */
import { describe, it } from "vitest";
import { clusterChain } from "../../src/formulas/index.js";
import type { ClusterSimConfig, SimConfig } from "../../src/sim/kernel/config.js";
import { warmupHours } from "../../src/sim/run/fromModel.js";
import { runSimulation } from "../../src/sim/run/scheduler.js";
import { expectComplement } from "../helpers/statistical.js";

type Cluster = Omit<ClusterSimConfig, "warmupHours">;

describe("simulated control plane", () => {
  // quorum 2: the controller moves the queue's unavailability from 0.01215 to 0.01261 (≈ 4 SE
  // here); quorum 3 (all): to 0.02039, far beyond — a simulator blind to it fails both
  it.each([
    [2, 11],
    [3, 12],
  ])(
    "when elections wait for a %i-of-3 controller with two failure modes then queue availability is the chain's and the cluster's is unchanged",
    async (quorum, seed) => {
      // Arrange: brokers 2-of-3, λ 0.01/h, μ 0.2/h, elections 30 min on average; controller
      // nodes fail at 0.05/h for 2 h and at 0.2/h for 6 min (P(without quorum) ≈ 3 % at 2 of 3, 30 % at 3 of 3)
      const cluster: Cluster = {
        nodes: 3,
        quorum: 2,
        repairCrews: 3,
        modes: [{ name: "node", mtbfHours: 100, mttrHours: 5, crew: true }],
        failure: { kind: "exponential" },
        repair: { kind: "exponential" },
        commonCauseRatePerHour: 0,
        commonCauseMttrHours: 1,
        failover: { meanHours: 0.5, fixed: false },
        controller: {
          nodes: 3,
          quorum,
          modes: [
            { ratePerHour: 0.05, mttrHours: 2 },
            { ratePerHour: 0.2, mttrHours: 0.1 },
          ],
        },
      };
      const exact = clusterChain({
        nodes: 3,
        quorum: 2,
        modes: [{ failureRate: 0.01, repairRate: 0.2, needsCrew: true }],
        failover: { electionRate: 2 },
        controller: {
          nodes: 3,
          quorum,
          modes: [
            { failureRate: 0.05, repairRate: 0.5 },
            { failureRate: 0.2, repairRate: 10 },
          ],
        },
      });
      const config: SimConfig = { mode: "formula", horizonHours: 200_000, cluster: { ...cluster, warmupHours: warmupHours(cluster) } };

      // Act
      const m = (await runSimulation(config, { runs: 30, seed, workers: 1 })).summary.metrics;

      // Assert
      expectComplement("cluster unavailability", m["cluster.availability"], exact.complement, seed);
      expectComplement("queue unavailability", m["queue.availability"], exact.queue?.complement as number, seed);
    },
  );

  it("when the brokers have zones, two modes, one crew too few and a common cause beside a 3-of-3 controller then queue availability is the chain's", async () => {
    // Arrange: 3-of-5 over zones 2+2+1 (out at 0.005/h for 4 h), hardware 0.01/h for 5 h with
    // 2 crews, crashes 0.02/h for 20 min on their own, a common cause 0.001/h for 2 h,
    // elections 30 min; the controller as above, all 3 needed (queue U 0.0574; 0.0305 without it)
    const seed = 13;
    const cluster: Cluster = {
      nodes: 5,
      quorum: 3,
      repairCrews: 2,
      modes: [
        { name: "hardware", mtbfHours: 100, mttrHours: 5, crew: true },
        { name: "crash", mtbfHours: 50, mttrHours: 1 / 3, crew: false },
      ],
      failure: { kind: "exponential" },
      repair: { kind: "exponential" },
      commonCauseRatePerHour: 0.001,
      commonCauseMttrHours: 2,
      zones: { zoneOfNode: [0, 0, 1, 1, 2], count: 3, outageRatePerHour: 0.005, mttrHours: 4 },
      failover: { meanHours: 0.5, fixed: false },
      controller: {
        nodes: 3,
        quorum: 3,
        modes: [
          { ratePerHour: 0.05, mttrHours: 2 },
          { ratePerHour: 0.2, mttrHours: 0.1 },
        ],
      },
    };
    const exact = clusterChain({
      nodes: 5,
      quorum: 3,
      repairCrews: 2,
      modes: [
        { failureRate: 0.01, repairRate: 0.2, needsCrew: true },
        { failureRate: 0.02, repairRate: 3, needsCrew: false },
      ],
      zones: { placement: [2, 2, 1], outageRate: 0.005, restoreRate: 0.25 },
      commonCause: { rate: 0.001, restoreRate: 0.5 },
      failover: { electionRate: 2 },
      controller: {
        nodes: 3,
        quorum: 3,
        modes: [
          { failureRate: 0.05, repairRate: 0.5 },
          { failureRate: 0.2, repairRate: 10 },
        ],
      },
    });
    const config: SimConfig = { mode: "formula", horizonHours: 100_000, cluster: { ...cluster, warmupHours: warmupHours(cluster) } };

    // Act
    const m = (await runSimulation(config, { runs: 20, seed, workers: 1 })).summary.metrics;

    // Assert
    expectComplement("cluster unavailability", m["cluster.availability"], exact.complement, seed);
    expectComplement("queue unavailability", m["queue.availability"], exact.queue?.complement as number, seed);
  });
});
