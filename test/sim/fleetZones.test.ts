/**
 * Zone outages in a simulated fleet against the brute-force enumeration of every zone
 * state × broker process state (test/helpers/fleetBruteForce.ts bruteForceZones, written
 * without src/formulas or src/sim): the semantics the exact sums (src/formulas/fleetZones.ts)
 * and the simulator share — a broker up while its process and its zone are, replicas
 * destroyed by their process's disk mode only, an election per partition led from a zone
 * when it goes out — checked on the simulator's side. Seeded; every metric within 4
 * standard errors (test/helpers/statistical.ts), and the exact value of eval within
 * 1e-12 of the same enumeration.
 */
import { describe, expect, it } from "vitest";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics } from "../../src/model/evaluate.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import { simConfigFromModel } from "../../src/sim/run/fromModel.js";
import { runSimulation } from "../../src/sim/run/scheduler.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { bruteForceZones, type Triple, type ZoneState } from "../helpers/fleetBruteForce.js";
import { expectComplement, expectValue } from "../helpers/statistical.js";

const HOURS_PER_YEAR = 8766;

/** disk: mtbf 30 days, 24 h (loses its disk); crash: 12 a year, 30 min; each zone out 6 times a year for 12 h */
const MODEL = (placement: string, minInsync: number) => `mqrel: 1
name: zoned fleet under test
cluster:
  nodes: 6
  node:
    failures:
      disk: { mtbf: 30 days, mttr: 24 h, crew: false, loses: disk }
      crash: { rate: 12 / year, mttr: 30 min, crew: false, loses: nothing }
  zones: { count: 3, outage: { rate: 6 / year, mttr: 12 h } }
fleet:
  partitions: 18
  replication: 3
  min_insync: ${minInsync}
  placement: ${placement}
  seed: 5
`;

/** The process's steady state and the zone's, by hand: loads ρ = rate × mttr, P = ρ/(1 + Σρ). */
function states(): { triple: Triple; zone: ZoneState } {
  const diskRate = 1 / (30 * 24);
  const crashRate = 12 / HOURS_PER_YEAR;
  const lost = diskRate * 24;
  const intact = crashRate * 0.5;
  const norm = 1 + lost + intact;
  const zoneRate = 6 / HOURS_PER_YEAR;
  const zoneLoad = zoneRate * 12;
  return {
    triple: { lost: lost / norm, intact: intact / norm, rate: diskRate + crashRate, diskRate },
    zone: { up: 1 / (1 + zoneLoad), down: zoneLoad / (1 + zoneLoad), rate: zoneRate },
  };
}

describe("a simulated fleet with zone outages against the enumeration of zone and broker states", () => {
  it.each([
    ["random", 2],
    ["kafka", 2],
  ])(
    "when 6 brokers over 3 zones hold 18 partitions (%s, min ISR %i) then every fleet metric is within 4 SE, and eval's within 1e-12",
    async (placement, minInsync) => {
      // Arrange
      const seed = 11;
      const model = resolveModel(parseModelText(MODEL(placement, minInsync), "fleet.yaml"));
      const sets = model.fleet?.replicaSets as number[][];
      const { triple, zone } = states();
      const exact = bruteForceZones(new Array(6).fill(triple), [0, 1, 2, 0, 1, 2], [zone, zone, zone], sets, minInsync);
      const plan = simConfigFromModel(model, { mode: "formula", runs: 40, horizonHours: 300 * HOURS_PER_YEAR });

      // Act
      const { summary } = await runSimulation(plan.config, { runs: plan.runs, seed, workers: 1 });
      const m = summary.metrics;
      const analytic = evaluateMetrics(model);

      // Assert
      expectComplement("fleet unavailability", m[METRIC.fleetAvailability], exact.unavailability, seed);
      expectValue("partitions unavailable", m[METRIC.fleetPartitionsUnavailable], exact.partitionsUnavailable, seed);
      expectValue("loss events per year", m[METRIC.fleetLossEventsPerYear], exact.lossEventsPerHour * HOURS_PER_YEAR, seed);
      expectValue("partitions lost per year", m[METRIC.fleetPartitionsLostPerYear], exact.partitionsLostPerHour * HOURS_PER_YEAR, seed);
      expectValue("elections per year", m[METRIC.fleetElectionsPerYear], exact.electionsPerHour * HOURS_PER_YEAR, seed);
      expect(analytic.get(METRIC.fleetAvailability)?.formula).toBe("fleet.zones");
      expectRelativelyClose(
        analytic.get(METRIC.fleetAvailability)?.complement as number,
        exact.unavailability,
        1e-12,
        "eval's unavailability",
      );
      expectRelativelyClose(
        analytic.get(METRIC.fleetElectionsPerYear)?.value as number,
        exact.electionsPerHour * HOURS_PER_YEAR,
        1e-12,
        "eval's elections",
      );
    },
  );
});
