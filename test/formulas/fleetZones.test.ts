/**
 * fleetMetricsZones (src/formulas/fleetZones.ts) — fleet metrics with zone outages by
 * conditioning on the zones' states — against the brute-force enumeration of every zone
 * state × every broker process state (test/helpers/fleetBruteForce.ts bruteForceZones,
 * written without the formula), and on fleets small enough to work out by hand.
 */
import { describe, expect, it } from "vitest";
import { fleetMetricsIndependent } from "../../src/formulas/fleet.js";
import {
  type FleetZone,
  type FleetZonesMetrics,
  fleetMetricsZones,
  fleetZoneFromOutage,
  MAX_ZONE_VECTORS,
} from "../../src/formulas/fleetZones.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { broker, bruteForceZones, randomSets, seeded, type Triple, type ZoneState } from "../helpers/fleetBruteForce.js";

/** A zone with load ρ: the brute force gets u = 1/(1 + ρ) and d = ρ/(1 + ρ) as numbers, the formula the same. */
function zoneOfLoad(load: number, rate: number): { zone: FleetZone; state: ZoneState } {
  return {
    zone: { up: { value: 1 / (1 + load), complement: load / (1 + load) }, outageRatePerHour: rate },
    state: { up: 1 / (1 + load), down: load / (1 + load), rate },
  };
}

function expectAgrees(actual: FleetZonesMetrics, expected: ReturnType<typeof bruteForceZones>, rel: number, label: string): void {
  expectRelativelyClose(actual.availability.value, expected.availability, rel, `${label} availability`);
  expectRelativelyClose(actual.availability.complement, expected.unavailability, rel, `${label} availability complement`);
  expectRelativelyClose(actual.partitionsUnavailable, expected.partitionsUnavailable, rel, `${label} partitions unavailable`);
  expectRelativelyClose(actual.partitionAvailability.value, expected.partitionAvailability, rel, `${label} partition availability`);
  expectRelativelyClose(
    actual.partitionAvailability.complement,
    expected.partitionUnavailability,
    rel,
    `${label} partition unavailability`,
  );
  expectRelativelyClose(actual.lossEventsPerHour, expected.lossEventsPerHour, rel, `${label} loss events`);
  expectRelativelyClose(actual.partitionsLostPerHour, expected.partitionsLostPerHour, rel, `${label} partitions lost`);
  expectRelativelyClose(actual.electionsPerHour, expected.electionsPerHour, rel, `${label} elections`);
  expect(actual.availabilityBound).toBeLessThanOrEqual(1e-13 * actual.availability.complement);
}

/** Brokers with state probabilities spread over orders of magnitude around `scale`. */
function skewedTriples(random: () => number, B: number, scale: number): Triple[] {
  return Array.from({ length: B }, () => ({
    intact: scale * 10 ** (2 * random() - 1),
    lost: scale * 10 ** (2 * random() - 1.5),
    rate: 10 ** (-4 + 2 * random()),
    diskRate: 10 ** (-6 + 2 * random()),
  }));
}

/** Zones with loads spread around `scale`, outage rates around 1e-4 / h. */
function skewedZones(random: () => number, Z: number, scale: number) {
  return Array.from({ length: Z }, () => zoneOfLoad(scale * 10 ** (2 * random() - 1), 10 ** (-5 + 2 * random())));
}

/** Every replica in its own zone (as rack_aware): partition p's i-th replica in zone p + i, the zone's brokers in turn. */
function rackAwareSets(zoneOf: readonly number[], Z: number, partitions: number, rf: number): number[][] {
  const inZone = Array.from({ length: Z }, (_, z) => zoneOf.flatMap((zone, b) => (zone === z ? [b] : [])));
  return Array.from({ length: partitions }, (_, p) =>
    Array.from({ length: rf }, (_, i) => {
      const members = inZone[(p + i) % Z] as number[];
      return members[Math.floor(p / Z) % members.length] as number;
    }),
  );
}

type Placement = "random" | "rack" | "one zone";

describe("fleetMetricsZones against a brute-force enumeration of every zone state × broker process state", () => {
  const cases: { B: number; Z: number; P: number; rf: number; placement: Placement; scale: number; zoneScale: number; seed: number }[] = [
    { B: 4, Z: 2, P: 5, rf: 2, placement: "random", scale: 0.05, zoneScale: 0.2, seed: 1 },
    { B: 6, Z: 3, P: 9, rf: 3, placement: "rack", scale: 0.02, zoneScale: 0.05, seed: 2 },
    { B: 6, Z: 3, P: 10, rf: 3, placement: "random", scale: 1e-3, zoneScale: 1e-4, seed: 3 },
    { B: 7, Z: 4, P: 12, rf: 3, placement: "random", scale: 0.03, zoneScale: 0.3, seed: 4 },
    { B: 8, Z: 4, P: 16, rf: 2, placement: "rack", scale: 1e-3, zoneScale: 1e-3, seed: 5 },
    { B: 6, Z: 2, P: 8, rf: 3, placement: "one zone", scale: 0.01, zoneScale: 0.01, seed: 6 },
    { B: 8, Z: 4, P: 10, rf: 4, placement: "rack", scale: 0.05, zoneScale: 0.1, seed: 7 },
  ];
  for (const { B, Z, P, rf, placement, scale, zoneScale, seed } of cases) {
    for (let minInsync = 1; minInsync <= rf; minInsync++) {
      it(`B=${B} over ${Z} zones, ${P} partitions (${placement}), RF ${rf}, min ISR ${minInsync}, process ≈ ${scale}, zones ≈ ${zoneScale}`, () => {
        const random = seeded(seed);
        const triples = skewedTriples(random, B, scale);
        const zones = skewedZones(random, Z, zoneScale);
        const zoneOf = Array.from({ length: B }, (_, b) => b % Z);
        // "one zone": every set inside one zone (the worst placement), the zone chosen by p
        const sets =
          placement === "random"
            ? randomSets(random, B, P, rf)
            : placement === "rack"
              ? rackAwareSets(zoneOf, Z, P, rf)
              : Array.from({ length: P }, (_, p) => {
                  const z = p % Z;
                  const members = zoneOf.flatMap((zone, b) => (zone === z ? [b] : []));
                  return Array.from({ length: rf }, (_, i) => members[(p + i) % members.length] as number);
                });
        const actual = fleetMetricsZones({
          brokers: triples.map(broker),
          replicaSets: sets,
          minInsync,
          zoneOfBroker: zoneOf,
          zones: zones.map((z) => z.zone),
        });
        const expected = bruteForceZones(
          triples,
          zoneOf,
          zones.map((z) => z.state),
          sets,
          minInsync,
        );
        expectAgrees(actual, expected, 1e-12, `B=${B} Z=${Z} m=${minInsync}`);
      });
    }
  }

  it("keeps every digit where 1 − x would lose them all (process and zone unavailabilities near 1e-9 and 1e-8)", () => {
    const random = seeded(11);
    const triples = skewedTriples(random, 6, 1e-9);
    const zones = skewedZones(random, 3, 1e-8);
    const zoneOf = [0, 1, 2, 0, 1, 2];
    const sets = rackAwareSets(zoneOf, 3, 9, 3);
    const complements: number[] = [];
    for (let minInsync = 1; minInsync <= 3; minInsync++) {
      const input = { brokers: triples.map(broker), replicaSets: sets, minInsync, zoneOfBroker: zoneOf, zones: zones.map((z) => z.zone) };
      const actual = fleetMetricsZones(input);
      expectAgrees(
        actual,
        bruteForceZones(
          triples,
          zoneOf,
          zones.map((z) => z.state),
          sets,
          minInsync,
        ),
        1e-12,
        `tiny m=${minInsync}`,
      );
      complements.push(actual.availability.complement);
    }
    // min ISR 2 (two of three replicas down: zones or processes, ~1e-15) and min ISR 1 (all three, ~1e-23)
    expect(complements[1]).toBeLessThan(1e-14);
    expect(complements[1]).toBeGreaterThan(0);
    expect(complements[0]).toBeLessThan(1e-20);
    expect(complements[0]).toBeGreaterThan(0);
  });
});

describe("fleetMetricsZones on hand-derived fleets", () => {
  const perfect: Triple = { intact: 0, lost: 0, rate: 2e-3, diskRate: 0 };

  it("with perfect processes, one partition over 3 zones is a k-of-3 over the zones", () => {
    const load = 1e-3;
    const { zone } = zoneOfLoad(load, 1e-4);
    const d = load / (1 + load);
    const u = 1 / (1 + load);
    const input = {
      brokers: [perfect, perfect, perfect].map(broker),
      replicaSets: [[0, 1, 2]],
      zoneOfBroker: [0, 1, 2],
      zones: [zone, zone, zone],
    };
    // binomial over the zones: fewer than 2 of 3 up = 3d²u + d³, fewer than 3 = 1 − u³ = d(3u² + 3du + d²)…
    expectRelativelyClose(fleetMetricsZones({ ...input, minInsync: 2 }).availability.complement, 3 * d * d * u + d ** 3, 1e-14, "2-of-3");
    expectRelativelyClose(fleetMetricsZones({ ...input, minInsync: 1 }).availability.complement, d ** 3, 1e-14, "1-of-3");
    expectRelativelyClose(
      fleetMetricsZones({ ...input, minInsync: 3 }).availability.complement,
      d * (3 * u * u + 3 * d * u + d * d),
      1e-14,
      "3-of-3",
    );
    // elections: the leader is replica i while it is up and those before it down, each
    // failure of its process (2e-3) or outage of its zone (1e-4) an election: (λ + Λ)·u·(1 + d + d²)
    expectRelativelyClose(
      fleetMetricsZones({ ...input, minInsync: 2 }).electionsPerHour,
      (2e-3 + 1e-4) * u * (1 + d + d * d),
      1e-14,
      "elections",
    );
  });

  it("with every replica in one zone, that zone's outages take the whole partition down at once", () => {
    const load = 2e-3;
    const { zone } = zoneOfLoad(load, 5e-5);
    const input = { brokers: [perfect, perfect, perfect].map(broker), replicaSets: [[0, 1, 2]], zoneOfBroker: [0, 0, 0], zones: [zone] };
    for (const minInsync of [1, 2, 3]) {
      // whatever the min ISR: unavailable exactly while the zone is down, d = ρ/(1 + ρ)
      expectRelativelyClose(fleetMetricsZones({ ...input, minInsync }).availability.complement, load / (1 + load), 1e-15, `m=${minInsync}`);
    }
    // the leader is broker 0 while the zone is up: (λ + Λ)·u
    expectRelativelyClose(fleetMetricsZones({ ...input, minInsync: 2 }).electionsPerHour, (2e-3 + 5e-5) / (1 + load), 1e-15, "elections");
  });

  it("leaves the loss metrics to the processes: a zone's outages do not destroy replicas", () => {
    const random = seeded(17);
    const triples = skewedTriples(random, 6, 1e-2);
    const sets = randomSets(random, 6, 10, 3);
    const zones = skewedZones(random, 3, 0.1).map((z) => z.zone);
    const withZones = fleetMetricsZones({
      brokers: triples.map(broker),
      replicaSets: sets,
      minInsync: 2,
      zoneOfBroker: [0, 1, 2, 0, 1, 2],
      zones,
    });
    const without = fleetMetricsIndependent({ brokers: triples.map(broker), replicaSets: sets, minInsync: 2 });
    expect(withZones.lossEventsPerHour).toBe(without.lossEventsPerHour);
    expect(withZones.partitionsLostPerHour).toBe(without.partitionsLostPerHour);
  });

  it("without outages (rate 0) gives fleetMetricsIndependent's numbers to the bit", () => {
    const random = seeded(19);
    const triples = skewedTriples(random, 8, 1e-3);
    const sets = randomSets(random, 8, 20, 3);
    const input = { brokers: triples.map(broker), replicaSets: sets, minInsync: 2 };
    const zones = [0, 1, 2].map(() => fleetZoneFromOutage(0, 4));
    const { zoneStates, zonesDownVisited, ...metrics } = fleetMetricsZones({ ...input, zoneOfBroker: [0, 1, 2, 0, 1, 2, 0, 1], zones });
    expect(metrics).toEqual(fleetMetricsIndependent(input));
    expect(zoneStates).toBe(1);
    expect(zonesDownVisited).toBe(0);
  });

  it("derives a zone from its outages: u = 1/(1 + ρ), d = ρ/(1 + ρ) computed directly", () => {
    const zone = fleetZoneFromOutage(1e-12, 1e-3);
    expect(zone.up.complement).toBe(1e-15 / (1 + 1e-15));
    expect(zone.outageRatePerHour).toBe(1e-12);
    expect(() => fleetZoneFromOutage(-1, 1)).toThrow(/rate ≥ 0/);
    expect(() => fleetZoneFromOutage(1, 0)).toThrow(/mttr > 0/);
  });

  it("refuses a broker's zone out of range and a zone that is not a probability", () => {
    const brokers = [perfect, perfect].map(broker);
    const zone = fleetZoneFromOutage(1e-4, 4);
    expect(() => fleetMetricsZones({ brokers, replicaSets: [[0, 1]], minInsync: 1, zoneOfBroker: [0, 2], zones: [zone, zone] })).toThrow(
      /broker 1: zone 2 is not in 0..1/,
    );
    expect(() =>
      fleetMetricsZones({
        brokers,
        replicaSets: [[0, 1]],
        minInsync: 1,
        zoneOfBroker: [0, 1],
        zones: [zone, { up: { value: 0.5, complement: 0.7 }, outageRatePerHour: 1 }],
      }),
    ).toThrow(/zone 1/);
  });
});

describe("fleetMetricsZones truncation by the number of zones down", () => {
  it("stops once the zone states left are below the tolerance and stays within its stated bound of the full sum", () => {
    // 12 zones of one broker each: up to 4 096 zone states in full (tolerance 0), the reference
    const random = seeded(23);
    const triples = skewedTriples(random, 12, 1e-3);
    const zones = Array.from({ length: 12 }, () => fleetZoneFromOutage(1 / 8766, 2));
    const zoneOf = Array.from({ length: 12 }, (_, b) => b);
    const sets = randomSets(random, 12, 40, 3);
    for (const minInsync of [1, 2, 3]) {
      const input = { brokers: triples.map(broker), replicaSets: sets, minInsync, zoneOfBroker: zoneOf, zones };
      const full = fleetMetricsZones({ ...input, tolerance: 0 });
      const truncated = fleetMetricsZones(input);
      // the full sum visits every level until the rest is 0 or certainly broken (no bound)
      expect(full.availabilityBound).toBe(0);
      expect(full.zonesDownVisited).toBeGreaterThanOrEqual(truncated.zonesDownVisited);
      if (minInsync === 1) {
        // min ISR 1 needs 3 replicas down: the sum runs to 8 zones down in full, and stops
        // at 6 with the tolerance, the rest bounded (min ISR 2 and 3 stop earlier, exactly:
        // every state of some level already leaves a partition short)
        expect(truncated.zoneStates).toBeLessThan(full.zoneStates);
        expect(truncated.availabilityBound).toBeGreaterThan(0);
      }
      expect(Math.abs(truncated.availability.complement - full.availability.complement)).toBeLessThanOrEqual(
        truncated.availabilityBound + 1e-15 * full.availability.complement,
      );
      expect(truncated.availabilityBound).toBeLessThanOrEqual(1e-13 * truncated.availability.complement);
      expectRelativelyClose(truncated.availability.complement, full.availability.complement, 1e-12, `m=${minInsync}`);
    }
  });

  it("stops after one zone down, exactly, when every zone's outage alone breaks a partition (40 zones, min ISR = RF)", () => {
    // perfect processes, every zone holding a replica, min ISR 3 of 3: the fleet is down
    // exactly while some zone is, P = 1 − Π u_z = −expm1(Σ log u_z) (by hand)
    const zones = Array.from({ length: 40 }, (_, z) => fleetZoneFromOutage((z + 1) * 1e-5, 3));
    const perfectBroker = broker({ intact: 0, lost: 0, rate: 1e-3, diskRate: 0 });
    const zoneOf = Array.from({ length: 40 }, (_, b) => b);
    const sets = Array.from({ length: 40 }, (_, p) => [p, (p + 1) % 40, (p + 2) % 40]);
    const result = fleetMetricsZones({
      brokers: Array(40).fill(perfectBroker),
      replicaSets: sets,
      minInsync: 3,
      zoneOfBroker: zoneOf,
      zones,
    });
    expect(result.zoneStates).toBe(41);
    expect(result.availabilityBound).toBe(0);
    const logAllUp = zones.reduce((sum, _, z) => sum - Math.log1p((z + 1) * 3e-5), 0);
    expectRelativelyClose(result.availability.complement, -Math.expm1(logAllUp), 1e-13, "P(some zone down)");
  });

  it("refuses at once, in one line, when the zone states needed pass the limit", () => {
    // 40 zones down 10 % of the time each: P(many down) stays large, far beyond 4 096 states
    const zones = Array.from({ length: 40 }, () => fleetZoneFromOutage(0.01, 11.11));
    const brokers = Array.from({ length: 40 }, () => broker({ intact: 1e-3, lost: 1e-4, rate: 1e-3, diskRate: 1e-5 }));
    const sets = randomSets(seeded(29), 40, 200, 3);
    const started = performance.now();
    expect(() =>
      fleetMetricsZones({ brokers, replicaSets: sets, minInsync: 2, zoneOfBroker: Array.from({ length: 40 }, (_, b) => b), zones }),
    ).toThrow(
      new RegExp(
        `^the exact fleet sums condition on the states of the 40 zones: .* more than the limit of ${MAX_ZONE_VECTORS}; simulate instead, or raise the tolerance$`,
      ),
    );
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
