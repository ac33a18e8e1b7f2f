/**
 * fleetMetricsZones (src/formulas/fleetZones.ts: exact by conditioning on the zones'
 * states) against a different method: the stationary distribution of the whole chain of
 * every broker's process and every zone (test/helpers/fleetChain.ts, GTH, built from
 * docs/design.md §3a/§3c alone). Every metric to 1e-12, complements directly.
 */
import { describe, it } from "vitest";
import { fleetBrokerFromModes } from "../../src/formulas/fleet.js";
import { fleetMetricsZones, fleetZoneFromOutage } from "../../src/formulas/fleetZones.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { type ChainMode, fleetChain } from "../helpers/fleetChain.js";

const REL = 1e-12;
const CRASH: ChainMode = { ratePerHour: 0.02, mttrHours: 2, losesDisk: false };
const DISK: ChainMode = { ratePerHour: 0.01, mttrHours: 15, losesDisk: true };
const M = [CRASH, DISK];
const RELIABLE = M.map((m) => ({ ...m, ratePerHour: m.ratePerHour * 1e-3 }));

const CASES = [
  {
    name: "4 brokers in 2 zones, RF 3, min ISR 2",
    brokers: [M, M, M, M],
    sets: [
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 0],
      [3, 0, 1],
      [0, 2, 1],
      [3, 1, 0],
    ],
    minInsync: 2,
    zoneOf: [0, 0, 1, 1],
    zones: 2,
    rate: 0.01,
    mttr: 5,
  },
  {
    name: "4 brokers in zones of 1, 1 and 2, RF 4, min ISR 4",
    brokers: [M, M, M, M],
    sets: [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [2, 0, 3, 1],
    ],
    minInsync: 4,
    zoneOf: [0, 1, 2, 2],
    zones: 3,
    rate: 0.01,
    mttr: 5,
  },
  {
    name: "5 brokers of one disk mode in zones of 2, 2 and 1, RF 3, min ISR 1",
    brokers: [[DISK], [DISK], [DISK], [DISK], [DISK]],
    sets: [
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 0],
      [4, 0, 1],
    ],
    minInsync: 1,
    zoneOf: [0, 0, 1, 1, 2],
    zones: 3,
    rate: 0.002,
    mttr: 8,
  },
  {
    name: "reliable: 4 brokers in 2 zones, RF 2, min ISR 1 (unavailability 1e-4)",
    brokers: [RELIABLE, RELIABLE, RELIABLE, RELIABLE],
    sets: [
      [0, 1],
      [2, 3],
      [0, 2],
      [3, 1],
    ],
    minInsync: 1,
    zoneOf: [0, 0, 1, 1],
    zones: 2,
    rate: 1e-5,
    mttr: 5,
  },
];

describe("fleetMetricsZones against the chain of every process and zone", () => {
  for (const c of CASES) {
    it(`when zones go out (${c.name}) then every metric is the chain's`, () => {
      // Act
      const chain = fleetChain({
        brokers: c.brokers,
        replicaSets: c.sets,
        minInsync: c.minInsync,
        zones: { zoneOf: c.zoneOf, count: c.zones, outageRatePerHour: c.rate, mttrHours: c.mttr },
      });
      const formula = fleetMetricsZones({
        brokers: c.brokers.map((modes) =>
          fleetBrokerFromModes(
            modes.map((m) => ({ ratePerHour: m.ratePerHour, mttrHours: m.mttrHours, loses: m.losesDisk ? "disk" : "nothing" })),
          ),
        ),
        replicaSets: c.sets,
        minInsync: c.minInsync,
        zoneOfBroker: c.zoneOf,
        zones: Array.from({ length: c.zones }, () => fleetZoneFromOutage(c.rate, c.mttr)),
      });

      // Assert
      expectRelativelyClose(formula.availability.complement, chain.unavailability, REL, "unavailability");
      expectRelativelyClose(formula.availability.value, chain.availability, REL, "availability");
      expectRelativelyClose(formula.partitionsUnavailable, chain.partitionsUnavailable, REL, "partitions unavailable");
      expectRelativelyClose(formula.partitionAvailability.complement, chain.partitionUnavailability, REL, "partition unavailability");
      expectRelativelyClose(formula.lossEventsPerHour, chain.lossEventsPerHour, REL, "loss events");
      expectRelativelyClose(formula.partitionsLostPerHour, chain.partitionsLostPerHour, REL, "partitions lost");
      expectRelativelyClose(formula.electionsPerHour, chain.electionsPerHour, REL, "elections");
    });
  }
});
