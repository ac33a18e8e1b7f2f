/**
 * fleetMetricsSymmetric (src/formulas/fleetSymmetric.ts: the cluster chain over counts,
 * the brokers' labels uniform given the counts) against a different method: the chain of
 * every LABELLED broker's process, the crews' FIFO line and the common cause, solved whole
 * (test/helpers/fleetChain.ts, GTH, built from docs/design.md §3a/§3c alone), where each
 * metric is read off the labelled states and transitions directly — no exchangeability,
 * no hypergeometric sums. Placements deliberately uneven (brokers holding different
 * numbers of replicas and leaderships). Every metric to 1e-12, complements directly.
 */
import { describe, it } from "vitest";
import { fleetMetricsSymmetric } from "../../src/formulas/fleetSymmetric.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { type ChainMode, type FleetChainInput, fleetChain } from "../helpers/fleetChain.js";

const REL = 1e-12;
const CRASH: ChainMode = { ratePerHour: 0.02, mttrHours: 2, losesDisk: false };
const DISK: ChainMode = { ratePerHour: 0.01, mttrHours: 15, losesDisk: true };
const DISK_CREW: ChainMode = { ...DISK, crew: true };
const CRASH_CREW: ChainMode = { ...CRASH, crew: true };

/** RF 3 over 4 brokers, uneven: broker 0 holds every partition, broker 3 two. */
const RF3 = [
  [0, 1, 2],
  [1, 0, 3],
  [2, 3, 0],
  [0, 2, 1],
  [1, 2, 0],
];
/** RF 2 over 4 brokers, uneven: broker 0 in four partitions, broker 3 in two. */
const RF2 = [
  [0, 1],
  [1, 2],
  [0, 2],
  [3, 0],
  [2, 1],
  [0, 3],
];

interface Case {
  readonly name: string;
  readonly brokers: number;
  readonly modes: readonly ChainMode[];
  readonly crews: number;
  readonly sets: readonly (readonly number[])[];
  readonly minInsync: number;
  readonly commonCause?: FleetChainInput["commonCause"];
}

const CASES: readonly Case[] = [
  { name: "one crew for disk replacements, RF 3, min ISR 2", brokers: 4, modes: [CRASH, DISK_CREW], crews: 1, sets: RF3, minInsync: 2 },
  {
    name: "a common cause, RF 3, min ISR 2",
    brokers: 4,
    modes: [CRASH, DISK],
    crews: 4,
    sets: RF3,
    minInsync: 2,
    commonCause: { ratePerHour: 0.005, mttrHours: 10 },
  },
  {
    name: "two crews for every mode and a common cause that loses the disk, RF 2, min ISR 1",
    brokers: 4,
    modes: [CRASH_CREW, DISK_CREW],
    crews: 2,
    sets: RF2,
    minInsync: 1,
    commonCause: { ratePerHour: 0.005, mttrHours: 10, losesDisk: true },
  },
  {
    name: "one crew and a common cause, RF 3, min ISR 3",
    brokers: 4,
    modes: [CRASH, DISK_CREW],
    crews: 1,
    sets: RF3,
    minInsync: 3,
    commonCause: { ratePerHour: 0.002, mttrHours: 6 },
  },
  {
    name: "reliable brokers, one crew and a common cause, RF 3, min ISR 1",
    brokers: 4,
    modes: [CRASH, DISK_CREW].map((m) => ({ ...m, ratePerHour: m.ratePerHour * 1e-3 })),
    crews: 1,
    sets: RF3,
    minInsync: 1,
    commonCause: { ratePerHour: 1e-7, mttrHours: 6 },
  },
];

describe("fleetMetricsSymmetric against the chain of every labelled broker", () => {
  for (const c of CASES) {
    it(`when brokers are coupled by ${c.name} then every metric is the labelled chain's`, () => {
      // Act
      const chain = fleetChain({
        brokers: Array.from({ length: c.brokers }, () => c.modes),
        crews: c.crews,
        replicaSets: c.sets,
        minInsync: c.minInsync,
        ...(c.commonCause ? { commonCause: c.commonCause } : {}),
      });
      const formula = fleetMetricsSymmetric({
        brokers: c.brokers,
        modes: c.modes.map((m) => ({
          failureRate: m.ratePerHour,
          repairRate: 1 / m.mttrHours,
          needsCrew: m.crew === true,
          losesDisk: m.losesDisk,
        })),
        repairCrews: c.crews,
        ...(c.commonCause
          ? {
              commonCause: {
                rate: c.commonCause.ratePerHour,
                restoreRate: 1 / c.commonCause.mttrHours,
                losesDisk: c.commonCause.losesDisk === true,
              },
            }
          : {}),
        replicaSets: c.sets,
        minInsync: c.minInsync,
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
