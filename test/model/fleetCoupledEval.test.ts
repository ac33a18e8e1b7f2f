/**
 * eval of coupled fleets written as model files — the loader, the choice of formula and its
 * inputs (model/fleetMetrics.ts) — against the chain of every labelled broker's process,
 * the crews' line, every zone and the common cause (test/helpers/fleetChain.ts, built
 * from docs/design.md §3a/§3c alone, a different method from both fleet.zones and
 * fleet.exchangeable). Every metric to 1e-12, complements directly.
 */
import { describe, expect, it } from "vitest";
import { METRIC, type MetricId } from "../../src/metrics/index.js";
import { evaluateMetrics } from "../../src/model/evaluate.js";
import { FLEET_EXCHANGEABLE_FORMULA, FLEET_ZONES_FORMULA } from "../../src/model/fleetMetrics.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { type ChainMode, type FleetChainInput, fleetChain } from "../helpers/fleetChain.js";

const REL = 1e-12;
/** 365.25 days of 24 hours. */
const HOURS_PER_YEAR = 8766;

const SETS = [
  [0, 1, 2],
  [1, 2, 3],
  [2, 3, 0],
  [3, 0, 1],
  [0, 2, 1],
  [3, 1, 0],
  [1, 0, 2],
];
const PLACEMENT = `[${SETS.map((s) => `[${s.join(", ")}]`).join(", ")}]`;
const CRASH: ChainMode = { ratePerHour: 0.02, mttrHours: 2, losesDisk: false };
const DISK: ChainMode = { ratePerHour: 0.01, mttrHours: 15, losesDisk: true };

function modelFile(failures: string, extra: string, minInsync: number): string {
  return `mqrel: 1
name: coupled
cluster:
  nodes: 4
  node:
    failures:
${failures}
${extra}fleet:
  partitions: ${SETS.length}
  replication: 3
  min_insync: ${minInsync}
  placement: ${PLACEMENT}
`;
}

const CREW_FREE = `      crash: { rate: 0.02 / h, mttr: 2 h, crew: false, loses: nothing }
      disk: { rate: 0.01 / h, mttr: 15 h, crew: false, loses: disk }`;
const DISK_BY_CREW = `      crash: { rate: 0.02 / h, mttr: 2 h, crew: false, loses: nothing }
      disk: { rate: 0.01 / h, mttr: 15 h, crew: true, loses: disk }`;

const CASES: readonly { name: string; yaml: string; chain: FleetChainInput; formula: string }[] = [
  {
    name: "zone outages of 2 + 2 brokers, min ISR 2",
    yaml: modelFile(CREW_FREE, "  zones:\n    placement: [2, 2]\n    outage: { rate: 0.01 / h, mttr: 5 h }\n", 2),
    chain: {
      brokers: [
        [CRASH, DISK],
        [CRASH, DISK],
        [CRASH, DISK],
        [CRASH, DISK],
      ],
      replicaSets: SETS,
      minInsync: 2,
      zones: { zoneOf: [0, 0, 1, 1], count: 2, outageRatePerHour: 0.01, mttrHours: 5 },
    },
    formula: FLEET_ZONES_FORMULA,
  },
  {
    name: "one crew for disk replacements and a common cause, min ISR 2",
    yaml: modelFile(DISK_BY_CREW, "  repair_crews: 1\n  common_cause: { rate: 0.005 / h, mttr: 10 h, loses: nothing }\n", 2),
    chain: {
      brokers: Array.from({ length: 4 }, () => [CRASH, { ...DISK, crew: true }]),
      crews: 1,
      replicaSets: SETS,
      minInsync: 2,
      commonCause: { ratePerHour: 0.005, mttrHours: 10 },
    },
    formula: FLEET_EXCHANGEABLE_FORMULA,
  },
  {
    name: "a common cause that loses unflushed data (not the disk), min ISR 3",
    yaml: modelFile(CREW_FREE, "  common_cause: { rate: 0.005 / h, mttr: 10 h, loses: unflushed }\n", 3),
    chain: {
      brokers: Array.from({ length: 4 }, () => [CRASH, DISK]),
      replicaSets: SETS,
      minInsync: 3,
      commonCause: { ratePerHour: 0.005, mttrHours: 10 },
    },
    formula: FLEET_EXCHANGEABLE_FORMULA,
  },
];

describe("eval of a coupled fleet against the labelled chain", () => {
  for (const c of CASES) {
    it(`when the model file has ${c.name} then eval's fleet metrics are the chain's`, () => {
      // Act
      const metrics = evaluateMetrics(resolveModel(parseModelText(c.yaml, "coupled.yaml")));
      const exact = fleetChain(c.chain);

      // Assert
      const read = (id: MetricId) => {
        const m = metrics.get(id);
        expect(m?.formula, id).toBe(c.formula);
        return m ?? { value: Number.NaN, complement: Number.NaN };
      };
      expectRelativelyClose(read(METRIC.fleetAvailability).complement as number, exact.unavailability, REL, "unavailability");
      expectRelativelyClose(read(METRIC.fleetAvailability).value, exact.availability, REL, "availability");
      expectRelativelyClose(read(METRIC.fleetPartitionsUnavailable).value, exact.partitionsUnavailable, REL, "partitions unavailable");
      expectRelativelyClose(
        read(METRIC.fleetPartitionAvailability).complement as number,
        exact.partitionUnavailability,
        REL,
        "partition unavailability",
      );
      expectRelativelyClose(read(METRIC.fleetLossEventsPerYear).value, exact.lossEventsPerHour * HOURS_PER_YEAR, REL, "loss events");
      expectRelativelyClose(
        read(METRIC.fleetPartitionsLostPerYear).value,
        exact.partitionsLostPerHour * HOURS_PER_YEAR,
        REL,
        "partitions lost",
      );
      expectRelativelyClose(read(METRIC.fleetElectionsPerYear).value, exact.electionsPerHour * HOURS_PER_YEAR, REL, "elections");
    });
  }
});
