/**
 * The fleet chain (test/helpers/fleetChain.ts), the exact reference for coupled fleets,
 * checked where another independent computation exists:
 * - brokers independent (no zone outage, no common cause): the product form of
 *   src/formulas/fleet.ts (fleetMetricsIndependent) and the brute-force enumeration of
 *   test/helpers/fleetBruteForce.ts, to 1e-10;
 * - each broker its own zone: the brokers are still independent, with up = process up ×
 *   zone up, failures (elections) at Σλ + α, and disk strikes from an up process whatever
 *   its zone (the product form by hand, through fleetMetricsIndependent);
 * - one partition holding every broker: fleet.availability is the cluster's availability
 *   at quorum = minInsync, from the cluster chain of test/helpers/clusterChain.ts (another
 *   state space, found by search) with zones, a common cause and shared crews, and from
 *   the exact rational birth–death chain of test/helpers/ctmcExact.ts with a common cause
 *   and with one crew.
 */
import { describe, expect, it } from "vitest";
import { type FleetBroker, fleetBrokerFromModes, fleetMetricsIndependent } from "../../src/formulas/fleet.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { solveChain } from "../helpers/clusterChain.js";
import { exactChain } from "../helpers/ctmcExact.js";
import { bruteForce } from "../helpers/fleetBruteForce.js";
import { type ChainMode, fleetChain } from "../helpers/fleetChain.js";

const REL = 1e-10;

/** Four brokers unlike each other, each a crash mode and a disk mode. */
const BROKERS: ChainMode[][] = [
  [
    { ratePerHour: 0.01, mttrHours: 2, losesDisk: false },
    { ratePerHour: 0.002, mttrHours: 30, losesDisk: true },
  ],
  [
    { ratePerHour: 0.02, mttrHours: 1, losesDisk: false },
    { ratePerHour: 0.001, mttrHours: 50, losesDisk: true },
  ],
  [
    { ratePerHour: 0.005, mttrHours: 5, losesDisk: false },
    { ratePerHour: 0.004, mttrHours: 20, losesDisk: true },
  ],
  [
    { ratePerHour: 0.015, mttrHours: 3, losesDisk: false },
    { ratePerHour: 0.003, mttrHours: 10, losesDisk: true },
  ],
];

const SETS = [
  [0, 1, 2],
  [1, 2, 3],
  [2, 3, 0],
  [3, 0, 1],
  [0, 2, 1],
  [3, 1, 0],
];

const productBroker = (modes: readonly ChainMode[]): FleetBroker =>
  fleetBrokerFromModes(modes.map((m) => ({ ratePerHour: m.ratePerHour, mttrHours: m.mttrHours, loses: m.losesDisk ? "disk" : "nothing" })));

describe("the fleet chain against the product form when brokers are independent", () => {
  for (const minInsync of [1, 2, 3]) {
    it(`when there is neither a zone outage nor a common cause then every metric is the product form's (min ISR ${minInsync})`, () => {
      // Arrange
      const brokers = BROKERS.map(productBroker);
      const triples = brokers.map((b) => ({
        intact: b.up.complement - b.destroyed,
        lost: b.destroyed,
        rate: b.failureRatePerHour,
        diskRate: b.diskFailureRatePerHour,
      }));

      // Act
      const chain = fleetChain({ brokers: BROKERS, replicaSets: SETS, minInsync });
      const formula = fleetMetricsIndependent({ brokers, replicaSets: SETS, minInsync });
      const brute = bruteForce(triples, SETS, minInsync);

      // Assert
      expect(chain.states).toBe(81);
      expectRelativelyClose(chain.unavailability, formula.availability.complement, REL, "unavailability");
      expectRelativelyClose(chain.availability, formula.availability.value, REL, "availability");
      expectRelativelyClose(chain.partitionsUnavailable, formula.partitionsUnavailable, REL, "partitions unavailable");
      expectRelativelyClose(chain.partitionUnavailability, formula.partitionAvailability.complement, REL, "partition unavailability");
      expectRelativelyClose(chain.lossEventsPerHour, formula.lossEventsPerHour, REL, "loss events");
      expectRelativelyClose(chain.partitionsLostPerHour, formula.partitionsLostPerHour, REL, "partitions lost");
      expectRelativelyClose(chain.electionsPerHour, formula.electionsPerHour, REL, "elections");
      expectRelativelyClose(chain.unavailability, brute.unavailability, REL, "unavailability (brute force)");
      expectRelativelyClose(chain.lossEventsPerHour, brute.lossEventsPerHour, REL, "loss events (brute force)");
      expectRelativelyClose(chain.electionsPerHour, brute.electionsPerHour, REL, "elections (brute force)");
    });
  }

  it("when brokers are very reliable then the unavailability keeps its relative accuracy (no 1 − x)", () => {
    // Arrange: U per broker about 1e-6; at min ISR 1 a partition is unwritable with its
    // three brokers down: fleet unavailability about 1e-18, which 1 − availability would
    // round to 0; RF 3 losses need three disks at once
    const reliable = BROKERS.map((modes) => modes.map((m) => ({ ...m, ratePerHour: m.ratePerHour * 1e-5 })));
    const brokers = reliable.map(productBroker);

    // Act
    const chain = fleetChain({ brokers: reliable, replicaSets: SETS, minInsync: 1 });
    const formula = fleetMetricsIndependent({ brokers, replicaSets: SETS, minInsync: 1 });

    // Assert
    expect(formula.availability.complement).toBeLessThan(1e-16);
    expectRelativelyClose(chain.unavailability, formula.availability.complement, REL, "unavailability");
    expectRelativelyClose(chain.lossEventsPerHour, formula.lossEventsPerHour, REL, "loss events");
  });
});

describe("the fleet chain with zones of one broker each (still independent brokers)", () => {
  it("when every broker is its own zone then the product form holds with up = process up × zone up", () => {
    // Arrange: zone outage α = 0.01 / h, restore 5 h: P(zone up) = 1 / (1 + 0.05)
    const alpha = 0.01;
    const zoneMttr = 5;
    const zoneUp = 1 / (1 + alpha * zoneMttr);
    const three = BROKERS.slice(0, 3);
    const sets = [
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 2, 1],
    ];
    const brokers = three.map((modes) => {
      const p = productBroker(modes);
      const up = p.up.value * zoneUp;
      return {
        up: { value: up, complement: 1 - up },
        destroyed: p.destroyed,
        // a leader goes down unplanned by its process (Σλ) or by its zone (α)
        failureRatePerHour: p.failureRatePerHour + alpha,
        // fleetMetricsIndependent strikes at diskRate × P(up); a disk failure of an up
        // process loses its replica whatever its zone: diskRate × P(process up)
        diskFailureRatePerHour: p.diskFailureRatePerHour / zoneUp,
      };
    });

    // Act
    const chain = fleetChain({
      brokers: three,
      replicaSets: sets,
      minInsync: 2,
      zones: { zoneOf: [0, 1, 2], count: 3, outageRatePerHour: alpha, mttrHours: zoneMttr },
    });
    const formula = fleetMetricsIndependent({ brokers, replicaSets: sets, minInsync: 2 });

    // Assert
    expect(chain.states).toBe(27 * 8);
    expectRelativelyClose(chain.unavailability, formula.availability.complement, REL, "unavailability");
    expectRelativelyClose(chain.partitionsUnavailable, formula.partitionsUnavailable, REL, "partitions unavailable");
    expectRelativelyClose(chain.lossEventsPerHour, formula.lossEventsPerHour, REL, "loss events");
    expectRelativelyClose(chain.partitionsLostPerHour, formula.partitionsLostPerHour, REL, "partitions lost");
    expectRelativelyClose(chain.electionsPerHour, formula.electionsPerHour, REL, "elections");
  });
});

describe("the fleet chain with one partition holding every broker against cluster chains", () => {
  it("when zones and a common cause couple the brokers then fleet unavailability is the cluster's (test/helpers/clusterChain.ts)", () => {
    // Arrange: 4 brokers in zones 0,0,1,1; crash and disk modes; one partition [0,1,2,3]
    const modes: ChainMode[] = [
      { ratePerHour: 0.02, mttrHours: 2, losesDisk: false },
      { ratePerHour: 0.005, mttrHours: 12, losesDisk: true },
    ];
    const zoneOf = [0, 0, 1, 1];
    for (const minInsync of [2, 3]) {
      // Act
      const chain = fleetChain({
        brokers: [modes, modes, modes, modes],
        replicaSets: [[0, 1, 2, 3]],
        minInsync,
        zones: { zoneOf, count: 2, outageRatePerHour: 0.004, mttrHours: 6 },
        commonCause: { ratePerHour: 0.001, mttrHours: 8 },
      });
      const cluster = solveChain({
        nodes: 4,
        quorum: minInsync,
        crews: 4,
        modes: modes.map((m) => ({ mtbf: 1 / m.ratePerHour, mttr: m.mttrHours, crew: false })),
        zoneOf,
        zoneRate: 0.004,
        zoneMttr: 6,
        ccRate: 0.001,
        ccMttr: 8,
      });

      // Assert
      expectRelativelyClose(chain.unavailability, cluster.unavailability, REL, `unavailability, min ISR ${minInsync}`);
      expectRelativelyClose(chain.partitionsUnavailable, cluster.unavailability, REL, `partitions unavailable, min ISR ${minInsync}`);
    }
  });

  it("when brokers share one crew (a FIFO queue) then fleet unavailability is the cluster chain's (test/helpers/clusterChain.ts)", () => {
    // Arrange: 4 brokers in zones 0,0,1,1; a crew-free crash mode and a disk mode that
    // waits for the one crew; a common cause
    const modes: ChainMode[] = [
      { ratePerHour: 0.02, mttrHours: 2, losesDisk: false },
      { ratePerHour: 0.01, mttrHours: 12, losesDisk: true, crew: true },
    ];
    const zoneOf = [0, 0, 1, 1];
    const minInsync = 2;

    // Act
    const chain = fleetChain({
      brokers: [modes, modes, modes, modes],
      crews: 1,
      replicaSets: [[3, 1, 2, 0]],
      minInsync,
      zones: { zoneOf, count: 2, outageRatePerHour: 0.004, mttrHours: 6 },
      commonCause: { ratePerHour: 0.001, mttrHours: 8 },
    });
    const cluster = solveChain({
      nodes: 4,
      quorum: minInsync,
      crews: 1,
      modes: modes.map((m) => ({ mtbf: 1 / m.ratePerHour, mttr: m.mttrHours, crew: m.crew === true })),
      zoneOf,
      zoneRate: 0.004,
      zoneMttr: 6,
      ccRate: 0.001,
      ccMttr: 8,
    });

    // Assert
    expect(chain.states).toBeGreaterThan(3 ** 4 * 4 * 2); // the queue's orders
    expectRelativelyClose(chain.unavailability, cluster.unavailability, REL, `unavailability, min ISR ${minInsync}`);
  });

  it("when one crew repairs every broker then fleet unavailability is the exact rational birth–death chain's", () => {
    // Arrange: 3 brokers, λ = 0.05 / h, one crew at μ = 0.5 / h (ctmcExact.ts: i up → i + 1 at min(crews, n − i)·μ)
    const mode: ChainMode = { ratePerHour: 0.05, mttrHours: 2, losesDisk: false, crew: true };

    // Act
    const chain = fleetChain({ brokers: [[mode], [mode], [mode]], crews: 1, replicaSets: [[0, 1, 2]], minInsync: 3 });
    const exact = exactChain({ n: 3, k: 3, lambda: "0.05", mu: "0.5", crews: 1 });

    // Assert
    expectRelativelyClose(chain.unavailability, exact.u, REL, "unavailability");
  });

  it("when a common cause strikes then fleet unavailability is the exact rational chain's (test/helpers/ctmcExact.ts)", () => {
    // Arrange: 3 brokers, λ = 0.01 / h, μ = 0.25 / h, common cause 0.001 / h restored at 0.125 / h
    const mode: ChainMode = { ratePerHour: 0.01, mttrHours: 4, losesDisk: false };

    // Act
    const chain = fleetChain({
      brokers: [[mode], [mode], [mode]],
      replicaSets: [[2, 0, 1]],
      minInsync: 2,
      commonCause: { ratePerHour: 0.001, mttrHours: 8 },
    });
    const exact = exactChain({ n: 3, k: 2, lambda: "0.01", mu: "0.25", crews: 3, lambdaCc: "0.001", muCc: "0.125" });

    // Assert
    expectRelativelyClose(chain.unavailability, exact.u, REL, "unavailability");
    expectRelativelyClose(chain.availability, exact.a, REL, "availability");
  });
});
