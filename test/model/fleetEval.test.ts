/**
 * eval of a fleet (docs/design.md §3c) against the brute-force enumeration over all 3^B
 * broker states (test/helpers/fleetBruteForce.ts — a different method from the formula's
 * factoring), on the replica sets the model places. Each broker's state probabilities are
 * worked out here from the model's failure modes by hand: with loads ρ = rate × mttr,
 * P(up) = 1 / (1 + Σρ), P(down in a mode) = ρ / (1 + Σρ) (competing crew-free modes).
 */
import { describe, expect, it } from "vitest";
import { HOURS_PER_YEAR } from "../../src/expr/units.js";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics } from "../../src/model/evaluate.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { bruteForce, expectFleetMetricsMatch, type Triple } from "../helpers/fleetBruteForce.js";

/** disk: 1 per 2 years, 24 h (loses its disk); crash: 6 per year, 10 min (loses nothing) */
const DISK_RATE = 0.5 / HOURS_PER_YEAR;
const DISK_MTTR = 24;
const CRASH_RATE = 6 / HOURS_PER_YEAR;
const CRASH_MTTR = 10 / 60;

function fleetModel(brokers: number, partitions: number, replication: number, minInsync: number, placement: string): string {
  return `mqrel: 1
cluster:
  nodes: ${brokers}
  node:
    failures:
      disk:  { rate: 0.5 / year, mttr: 24 h, crew: false, loses: disk }
      crash: { rate: 6 / year, mttr: 10 min, crew: false, loses: nothing }
fleet:
  partitions: ${partitions}
  replication: ${replication}
  min_insync: ${minInsync}
  placement: ${placement}
  seed: 7
`;
}

describe("eval of a fleet against a brute-force enumeration of its broker states", () => {
  const diskLoad = DISK_RATE * DISK_MTTR;
  const crashLoad = CRASH_RATE * CRASH_MTTR;
  const triple: Triple = {
    intact: crashLoad / (1 + diskLoad + crashLoad),
    lost: diskLoad / (1 + diskLoad + crashLoad),
    rate: DISK_RATE + CRASH_RATE,
    diskRate: DISK_RATE,
  };
  const cases: [number, number, number, number, string][] = [
    [6, 10, 3, 2, "random"],
    [7, 12, 3, 2, "kafka"],
    [8, 9, 2, 1, "random"],
    [6, 8, 4, 3, "kafka"],
  ];
  for (const [brokers, partitions, replication, minInsync, placement] of cases) {
    it(`when ${brokers} brokers hold ${partitions} partitions of RF ${replication} (min ISR ${minInsync}, ${placement}) then every fleet metric agrees to 1e-12`, () => {
      const model = resolveModel(parseModelText(fleetModel(brokers, partitions, replication, minInsync, placement), "fleet.yaml"));
      const sets = model.fleet?.replicaSets ?? [];
      expect(sets.length).toBe(partitions);
      const reference = bruteForce(
        Array.from({ length: brokers }, () => triple),
        sets,
        minInsync,
      );
      const metrics = evaluateMetrics(model);
      expectFleetMetricsMatch(metrics, reference, 1e-12);
    });
  }

  it("when the same brokers and partitions are placed as copysets and at random then copysets lose data less often, not less data", () => {
    // Cidon et al. 2013: the expected partitions lost are a sum over partitions, alike for
    // any placement of equal-size sets on identical brokers; loss events count the failures
    // that destroy some partition's last copy, fewer when fewer distinct sets exist.
    const read = (placement: string) => {
      const metrics = evaluateMetrics(resolveModel(parseModelText(fleetModel(12, 600, 3, 2, placement), "fleet.yaml")));
      return {
        events: metrics.get(METRIC.fleetLossEventsPerYear)?.value ?? Number.NaN,
        lost: metrics.get(METRIC.fleetPartitionsLostPerYear)?.value ?? Number.NaN,
      };
    };
    const copyset = read("copyset");
    const random = read("random");
    expectRelativelyClose(copyset.lost, random.lost, 1e-12, "partitions lost");
    expect(copyset.events).toBeLessThan(random.events / 5);
  });

  it("when the brokers are coupled (rolling restarts) then the fleet loads without exact fleet metrics (fleetCoupled.test.ts has the rest)", () => {
    const text = `${fleetModel(6, 10, 3, 2, "random").replace("fleet:", "  maintenance: { every: 30 days, duration: 10 min }\nfleet:")}`;
    const model = resolveModel(parseModelText(text, "coupled.yaml"));
    expect(model.fleet?.simulatedOnly?.why).toBe("rolling restarts (cluster.maintenance) couple the brokers");
    expect(evaluateMetrics(model).has(METRIC.fleetAvailability)).toBe(false);
  });
});
