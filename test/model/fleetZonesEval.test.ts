/**
 * eval of a fleet with zone outages (docs/design.md §3c, src/formulas/fleetZones.ts)
 * against the brute-force enumeration of every zone state × broker process state
 * (test/helpers/fleetBruteForce.ts bruteForceZones — a different method from the
 * formula's conditioning), on the replica sets the model places. The brokers' and the
 * zones' state probabilities are worked out here from the model's fields by hand:
 * loads ρ = rate × mttr, P(up) = 1/(1 + Σρ), P(down in a mode) = ρ/(1 + Σρ); a zone is
 * down with ρ_z/(1 + ρ_z); `zones: {count: Z}` puts broker b in zone b mod Z.
 */
import { describe, expect, it } from "vitest";
import { HOURS_PER_YEAR } from "../../src/expr/units.js";
import { fleetBrokerFromModes, fleetMetricsIndependent } from "../../src/formulas/index.js";
import { METRIC, type MetricId } from "../../src/metrics/index.js";
import { evaluateMetrics } from "../../src/model/evaluate.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { bruteForceZones, expectFleetMetricsMatch, type Triple, type ZoneState } from "../helpers/fleetBruteForce.js";

/** disk: 1 per 2 years, 24 h (loses its disk); crash: 6 per year, 10 min (loses nothing) */
const DISK_RATE = 0.5 / HOURS_PER_YEAR;
const CRASH_RATE = 6 / HOURS_PER_YEAR;

function fleetModel(o: {
  brokers: number;
  zones: number;
  outage?: string;
  partitions: number;
  replication: number;
  minInsync: number;
  placement: string;
}): string {
  return `mqrel: 1
cluster:
  nodes: ${o.brokers}
  node:
    failures:
      disk:  { rate: 0.5 / year, mttr: 24 h, crew: false, loses: disk }
      crash: { rate: 6 / year, mttr: 10 min, crew: false, loses: nothing }
  zones: { count: ${o.zones}${o.outage !== undefined ? `, outage: ${o.outage}` : ""} }
fleet:
  partitions: ${o.partitions}
  replication: ${o.replication}
  min_insync: ${o.minInsync}
  placement: ${o.placement}
  seed: 3
`;
}

const diskLoad = DISK_RATE * 24;
const crashLoad = CRASH_RATE / 6;
const triple: Triple = {
  intact: crashLoad / (1 + diskLoad + crashLoad),
  lost: diskLoad / (1 + diskLoad + crashLoad),
  rate: DISK_RATE + CRASH_RATE,
  diskRate: DISK_RATE,
};

const FLEET_IDS: MetricId[] = [
  METRIC.fleetAvailability,
  METRIC.fleetPartitionAvailability,
  METRIC.fleetPartitionsUnavailable,
  METRIC.fleetLossEventsPerYear,
  METRIC.fleetPartitionsLostPerYear,
  METRIC.fleetElectionsPerYear,
];

describe("eval of a fleet with zone outages against a brute-force enumeration of zone and broker states", () => {
  // [brokers, zones, partitions, RF, min ISR, placement, outage rate per year, outage mttr in hours]
  const cases: [number, number, number, number, number, string, number, number][] = [
    [6, 3, 10, 3, 2, "kafka", 2, 4],
    [6, 3, 9, 3, 1, "rack_aware", 2, 4],
    [6, 2, 8, 2, 2, "random", 10, 48],
    [7, 3, 12, 3, 3, "random", 1, 8],
    [8, 4, 10, 3, 2, "rack_aware", 200, 24],
    [6, 3, 8, 4, 3, "kafka", 0.5, 6],
  ];
  for (const [brokers, zones, partitions, replication, minInsync, placement, perYear, mttr] of cases) {
    it(`when ${brokers} brokers over ${zones} zones (outages ${perYear} / year, ${mttr} h) hold ${partitions} partitions of RF ${replication} (min ISR ${minInsync}, ${placement}) then every fleet metric agrees to 1e-12`, () => {
      const text = fleetModel({
        brokers,
        zones,
        outage: `{ rate: ${perYear} / year, mttr: ${mttr} h }`,
        partitions,
        replication,
        minInsync,
        placement,
      });
      const model = resolveModel(parseModelText(text, "fleet.yaml"));
      const sets = model.fleet?.replicaSets ?? [];
      expect(sets.length).toBe(partitions);
      const zoneOf = Array.from({ length: brokers }, (_, b) => b % zones);
      expect(model.cluster.zones?.zoneOfNode).toEqual(zoneOf);
      const load = (perYear / HOURS_PER_YEAR) * mttr;
      const zone: ZoneState = { up: 1 / (1 + load), down: load / (1 + load), rate: perYear / HOURS_PER_YEAR };
      const reference = bruteForceZones(
        Array.from({ length: brokers }, () => triple),
        zoneOf,
        Array.from({ length: zones }, () => zone),
        sets,
        minInsync,
      );
      const metrics = evaluateMetrics(model);
      const read = (id: MetricId) => metrics.get(id) ?? { value: Number.NaN, complement: Number.NaN, formula: "" };
      for (const id of FLEET_IDS) expect(read(id).formula, id).toBe("fleet.zones");
      expectFleetMetricsMatch(metrics, reference, 1e-12);
    });
  }
});

describe("a fleet with zones but no outages", () => {
  const base = { brokers: 12, zones: 3, partitions: 600, replication: 3, minInsync: 2, placement: "kafka" };

  it("when the zones have no outage block, or one of rate 0, then the numbers are fleetMetricsIndependent's to the bit, named fleet.independent", () => {
    const without = resolveModel(parseModelText(fleetModel(base), "fleet.yaml"));
    const zero = resolveModel(parseModelText(fleetModel({ ...base, outage: "{ rate: 0 / year, mttr: 4 h }" }), "fleet.yaml"));
    expect(zero.fleet?.replicaSets).toEqual(without.fleet?.replicaSets);
    // today's path: the brokers from the model's own failure modes, the sum over independent brokers
    const direct = fleetMetricsIndependent({
      brokers: Array.from({ length: 12 }, () => fleetBrokerFromModes(without.cluster.failureModes ?? [])),
      replicaSets: without.fleet?.replicaSets ?? [],
      minInsync: 2,
    });
    for (const model of [without, zero]) {
      const metrics = evaluateMetrics(model);
      expect(metrics.get(METRIC.fleetAvailability)?.complement).toBe(direct.availability.complement);
      expect(metrics.get(METRIC.fleetAvailability)?.value).toBe(direct.availability.value);
      expect(metrics.get(METRIC.fleetPartitionsUnavailable)?.value).toBe(direct.partitionsUnavailable);
      expect(metrics.get(METRIC.fleetLossEventsPerYear)?.value).toBe(direct.lossEventsPerHour * HOURS_PER_YEAR);
      expect(metrics.get(METRIC.fleetElectionsPerYear)?.value).toBe(direct.electionsPerHour * HOURS_PER_YEAR);
      for (const id of FLEET_IDS) expect(metrics.get(id)?.formula, id).toBe("fleet.independent");
    }
    expect([...evaluateMetrics(zero)]).toEqual([...evaluateMetrics(without)]);
  });

  it("when zones go down then the fleet is less available and has more elections, and loses data exactly as often", () => {
    const calm = evaluateMetrics(resolveModel(parseModelText(fleetModel(base), "fleet.yaml")));
    const stormy = evaluateMetrics(
      resolveModel(parseModelText(fleetModel({ ...base, outage: "{ rate: 1 / year, mttr: 4 h }" }), "fleet.yaml")),
    );
    const value = (metrics: typeof calm, id: MetricId) => metrics.get(id)?.value ?? Number.NaN;
    expect(stormy.get(METRIC.fleetAvailability)?.complement as number).toBeGreaterThan(
      calm.get(METRIC.fleetAvailability)?.complement as number,
    );
    // each zone outage elects the 200 partitions its brokers lead (Kafka's assignment spreads leaders evenly): ≈ 3 × 200 more a year
    expectRelativelyClose(
      value(stormy, METRIC.fleetElectionsPerYear) - value(calm, METRIC.fleetElectionsPerYear),
      600 * (1 / (1 + 4 / HOURS_PER_YEAR)),
      1e-3,
      "elections added by zone outages",
    );
    expect(value(stormy, METRIC.fleetLossEventsPerYear)).toBe(value(calm, METRIC.fleetLossEventsPerYear));
    expect(value(stormy, METRIC.fleetPartitionsLostPerYear)).toBe(value(calm, METRIC.fleetPartitionsLostPerYear));
  });
});
