import { describe, expect, it } from "vitest";
import { type FleetMetrics, fleetBrokerFromModes, fleetMetricsIndependent } from "../../src/formulas/fleet.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { broker, bruteForce, randomSets, seeded, type Triple } from "../helpers/fleetBruteForce.js";

function expectAgrees(actual: FleetMetrics, expected: ReturnType<typeof bruteForce>, rel: number, label: string): void {
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
  expect(actual.lossEventsBound).toBeLessThanOrEqual(1e-13 * actual.lossEventsPerHour);
}

/** Skewed brokers: each state probability spread over orders of magnitude around `scale`. */
function skewedTriples(random: () => number, B: number, scale: number): Triple[] {
  return Array.from({ length: B }, () => ({
    intact: scale * 10 ** (2 * random() - 1),
    lost: scale * 10 ** (2 * random() - 1.5),
    rate: 10 ** (-4 + 2 * random()),
    diskRate: 10 ** (-6 + 2 * random()),
  }));
}

describe("fleetMetricsIndependent against a brute-force enumeration of all 3^B broker states", () => {
  const cases: { B: number; P: number; rf: number; scale: number; seed: number }[] = [
    { B: 4, P: 5, rf: 2, scale: 0.05, seed: 1 },
    { B: 5, P: 8, rf: 3, scale: 0.05, seed: 2 },
    { B: 6, P: 12, rf: 3, scale: 0.02, seed: 3 },
    { B: 7, P: 10, rf: 4, scale: 0.03, seed: 4 },
    { B: 8, P: 20, rf: 3, scale: 0.01, seed: 5 },
    { B: 8, P: 6, rf: 2, scale: 0.04, seed: 6 },
    { B: 8, P: 15, rf: 4, scale: 1e-3, seed: 7 },
  ];
  for (const { B, P, rf, scale, seed } of cases) {
    for (let minInsync = 1; minInsync <= rf; minInsync++) {
      it(`B=${B}, ${P} partitions, RF ${rf}, min ISR ${minInsync}, state probabilities ≈ ${scale}`, () => {
        const random = seeded(seed);
        const triples = skewedTriples(random, B, scale);
        const sets = randomSets(random, B, P, rf);
        const actual = fleetMetricsIndependent({ brokers: triples.map(broker), replicaSets: sets, minInsync });
        expectAgrees(actual, bruteForce(triples, sets, minInsync), 1e-12, `B=${B} m=${minInsync}`);
      });
    }
  }

  it("keeps every digit where 1 − x would lose them all (unavailability 1e-9 per broker)", () => {
    const random = seeded(11);
    const triples = skewedTriples(random, 7, 1e-9);
    const sets = randomSets(random, 7, 14, 3);
    for (let minInsync = 1; minInsync <= 3; minInsync++) {
      const actual = fleetMetricsIndependent({ brokers: triples.map(broker), replicaSets: sets, minInsync });
      const expected = bruteForce(triples, sets, minInsync);
      expectAgrees(actual, expected, 1e-12, `tiny m=${minInsync}`);
      // the complement is far below the rounding of the value near 1
      expect(actual.availability.complement).toBeLessThan(1e-7);
      expect(actual.availability.complement).toBeGreaterThan(0);
    }
  });
});

describe("fleetMetricsIndependent on hand-derived fleets", () => {
  const q = 1e-3;
  const lost = 4e-4;
  const rate = 2e-3;
  const diskRate = 3e-5;
  const same: Triple = { intact: q - lost, lost, rate, diskRate };
  const u = 1 - q;

  it("one partition over exactly 3 brokers is a k-of-3 structure", () => {
    const brokers = [same, same, same].map(broker);
    const m2 = fleetMetricsIndependent({ brokers, replicaSets: [[0, 1, 2]], minInsync: 2 });
    // fewer than 2 of 3 up: 3q²u + q³ (binomial)
    expectRelativelyClose(m2.availability.complement, 3 * q * q * u + q ** 3, 1e-14, "2-of-3 unavailability");
    expectRelativelyClose(m2.partitionsUnavailable, 3 * q * q * u + q ** 3, 1e-14, "2-of-3 partitions unavailable");
    const m3 = fleetMetricsIndependent({ brokers, replicaSets: [[0, 1, 2]], minInsync: 3 });
    // any down: 3q − 3q² + q³ = q(3 − 3q + q²)
    expectRelativelyClose(m3.availability.complement, q * (3 - 3 * q + q * q), 1e-14, "3-of-3 unavailability");
    const m1 = fleetMetricsIndependent({ brokers, replicaSets: [[0, 1, 2]], minInsync: 1 });
    expectRelativelyClose(m1.availability.complement, q ** 3, 1e-14, "1-of-3 unavailability");
    // each broker's disk failure while up loses the partition when both others are destroyed
    expectRelativelyClose(m2.lossEventsPerHour, 3 * diskRate * u * lost * lost, 1e-14, "loss events");
    expectRelativelyClose(m2.partitionsLostPerHour, 3 * diskRate * u * lost * lost, 1e-14, "partitions lost");
    // the leader is broker 0 while up, broker 1 while 0 is down, broker 2 while both are
    expectRelativelyClose(m2.electionsPerHour, rate * u * (1 + q + q * q), 1e-14, "elections");
  });

  it("two disjoint partitions multiply (complements combine as c₁ + c₂ − c₁c₂)", () => {
    const brokers = [same, same, same, same].map(broker);
    const one = 2 * q * u + 0; // a 2-of-2 partition is down when either broker is: 1 − u² = q(2 − q)
    const c = q * (2 - q);
    const both = fleetMetricsIndependent({
      brokers,
      replicaSets: [
        [0, 1],
        [2, 3],
      ],
      minInsync: 2,
    });
    expect(one).toBeGreaterThan(0);
    expectRelativelyClose(both.availability.complement, 2 * c - c * c, 1e-14, "two disjoint 2-of-2");
    expectRelativelyClose(both.availability.value, (1 - c) ** 2, 1e-14, "availability");
    expectRelativelyClose(both.partitionsUnavailable, 2 * c, 1e-14, "partitions unavailable");
  });

  it("RF 3 over exactly 3 brokers is one replica set however many partitions (and their orders)", () => {
    const brokers = [same, same, same].map(broker);
    const single = fleetMetricsIndependent({ brokers, replicaSets: [[0, 1, 2]], minInsync: 2 });
    const many = fleetMetricsIndependent({
      brokers,
      replicaSets: [
        [0, 1, 2],
        [1, 2, 0],
        [2, 0, 1],
        [0, 2, 1],
      ],
      minInsync: 2,
    });
    expectRelativelyClose(many.availability.complement, single.availability.complement, 1e-15, "availability");
    expectRelativelyClose(many.lossEventsPerHour, single.lossEventsPerHour, 1e-15, "loss events: one set, one event");
    expectRelativelyClose(many.partitionsLostPerHour, 4 * single.partitionsLostPerHour, 1e-14, "partitions lost: four per event");
    expectRelativelyClose(many.partitionsUnavailable, 4 * single.partitionsUnavailable, 1e-14, "partitions unavailable");
    expectRelativelyClose(many.partitionAvailability.complement, single.partitionAvailability.complement, 1e-14, "partition availability");
  });

  it("derives a broker's state probabilities from competing crew-free modes", () => {
    const perYear = 1 / 8766;
    const b = fleetBrokerFromModes([
      { ratePerHour: 0.25 * perYear, mttrHours: 24, loses: "disk" },
      { ratePerHour: 6 * perYear, mttrHours: 1 / 6, loses: "nothing" },
    ]);
    // loads ρ = λ·mttr; P(up) = 1/(1 + Σρ), P(in disk mode) = ρ_disk/(1 + Σρ)
    const disk = (0.25 * 24) / 8766;
    const crash = 1 / 8766;
    expectRelativelyClose(b.up.complement, (disk + crash) / (1 + disk + crash), 1e-15, "unavailability");
    expectRelativelyClose(b.destroyed, disk / (1 + disk + crash), 1e-15, "destroyed");
    expectRelativelyClose(b.failureRatePerHour, 6.25 * perYear, 1e-15, "failure rate");
    expectRelativelyClose(b.diskFailureRatePerHour, 0.25 * perYear, 1e-15, "disk failure rate");
  });

  it("refuses bad replica sets and minInsync with one line", () => {
    const brokers = [same, same, same].map(broker);
    expect(() => fleetMetricsIndependent({ brokers, replicaSets: [[0, 0, 1]], minInsync: 2 })).toThrow(/names broker 0 twice/);
    expect(() => fleetMetricsIndependent({ brokers, replicaSets: [[0, 1, 3]], minInsync: 2 })).toThrow(/broker 3 is not in 0..2/);
    expect(() => fleetMetricsIndependent({ brokers, replicaSets: [[0, 1, 2]], minInsync: 4 })).toThrow(/minInsync/);
  });
});

describe("fleet effects (properties)", () => {
  const perYear = 1 / 8766;
  const kafkaBroker = fleetBrokerFromModes([
    { ratePerHour: 0.25 * perYear, mttrHours: 24, loses: "disk" },
    { ratePerHour: 6 * perYear, mttrHours: 1 / 6, loses: "nothing" },
  ]);

  it("Kleppmann: loss events per year grow with the broker count at fixed RF and partitions per broker", () => {
    const random = seeded(21);
    const rates = [6, 12, 18, 24].map((B) => {
      const sets = randomSets(random, B, 10 * B, 3);
      return fleetMetricsIndependent({ brokers: Array(B).fill(kafkaBroker), replicaSets: sets, minInsync: 2 }).lossEventsPerHour;
    });
    for (let i = 1; i < rates.length; i++) expect(rates[i] as number).toBeGreaterThan(rates[i - 1] as number);
    // …and faster than the broker count: each broker's partitions spread over more distinct sets
    expect((rates[3] as number) / (rates[0] as number)).toBeGreaterThan(4);
  });

  it("copysets: fewer loss events than random placement, equal expected partitions lost", () => {
    const B = 12;
    const P = 120;
    const copysets = [
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
      [9, 10, 11],
    ];
    const placed = Array.from({ length: P }, (_, p) => copysets[p % copysets.length] as number[]);
    const random = randomSets(seeded(31), B, P, 3);
    const brokers = Array(B).fill(kafkaBroker);
    const few = fleetMetricsIndependent({ brokers, replicaSets: placed, minInsync: 2 });
    const spread = fleetMetricsIndependent({ brokers, replicaSets: random, minInsync: 2 });
    expect(few.lossEventsPerHour).toBeLessThan(spread.lossEventsPerHour / 5);
    // identical brokers: partitions lost = δ·P(up)·x²·3·P whatever the placement
    expectRelativelyClose(few.partitionsLostPerHour, spread.partitionsLostPerHour, 1e-12, "partitions lost");
    expectRelativelyClose(
      few.partitionsLostPerHour,
      kafkaBroker.diskFailureRatePerHour * kafkaBroker.up.value * kafkaBroker.destroyed ** 2 * 3 * P,
      1e-12,
      "partitions lost, closed form",
    );
  });
});

describe("fleetMetricsIndependent truncation", () => {
  const perYear = 1 / 8766;
  const kafkaBroker = fleetBrokerFromModes([
    { ratePerHour: 0.25 * perYear, mttrHours: 24, loses: "disk" },
    { ratePerHour: 6 * perYear, mttrHours: 1 / 6, loses: "nothing" },
  ]);

  it("stays within its stated bound of the untruncated sum (tolerance 0) on a fleet too large to enumerate", () => {
    // 16 brokers: 3^16 states are too many for the brute force; tolerance 0 explores every
    // branch of the same recursion without pruning, a reference for the truncated one.
    const random = seeded(41);
    const triples = skewedTriples(random, 16, 3e-3);
    const sets = randomSets(random, 16, 60, 3);
    for (const minInsync of [1, 2]) {
      const input = { brokers: triples.map(broker), replicaSets: sets, minInsync };
      const exact = fleetMetricsIndependent({ ...input, tolerance: 0 });
      const truncated = fleetMetricsIndependent(input);
      expect(exact.availabilityBound).toBe(0);
      expect(exact.lossEventsBound).toBe(0);
      expect(Math.abs(truncated.availability.complement - exact.availability.complement)).toBeLessThanOrEqual(
        truncated.availabilityBound + 1e-15 * exact.availability.complement,
      );
      expect(Math.abs(truncated.lossEventsPerHour - exact.lossEventsPerHour)).toBeLessThanOrEqual(
        truncated.lossEventsBound + 1e-15 * exact.lossEventsPerHour,
      );
      expectRelativelyClose(truncated.availability.complement, exact.availability.complement, 1e-12, `m=${minInsync} availability`);
      expectRelativelyClose(truncated.lossEventsPerHour, exact.lossEventsPerHour, 1e-12, `m=${minInsync} loss events`);
    }
  });

  it("refuses at once, with one line, a fleet whose loss sum is too large (200 brokers × 20 000 partitions)", () => {
    const sets = randomSets(seeded(1), 200, 20_000, 3);
    const started = performance.now();
    expect(() => fleetMetricsIndependent({ brokers: Array(200).fill(kafkaBroker), replicaSets: sets, minInsync: 2 })).toThrow(
      /^the exact sum over broker states for loss events .* simulate instead, or raise the tolerance$/,
    );
    // measured 0.9 s of CPU; generous for a loaded machine
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
