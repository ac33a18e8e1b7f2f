/**
 * The exact fleet metrics over exchangeable coupled brokers (src/formulas/fleetSymmetric.ts):
 * - with nothing coupling the brokers (crew-free modes, or as many crews as brokers, no
 *   common cause) they must equal the product-form sums of fleetMetricsIndependent — a
 *   different method (a factoring recursion over independent brokers against a chain over
 *   counts with uniform labellings) — to 1e-12;
 * - coupled (one crew for all, a common cause), they must agree with the simulator, which
 *   moves labelled brokers event by event (within 4 standard errors, seeded).
 */
import { describe, expect, it } from "vitest";
import { fleetMetricsSymmetric, type SymmetricFleetMode } from "../../src/formulas/fleetSymmetric.js";
import { fleetBrokerFromModes, fleetMetricsIndependent } from "../../src/formulas/index.js";
import { METRIC } from "../../src/metrics/index.js";
import { copysetPlacement, kafkaPlacement, randomPlacement } from "../../src/model/replicaPlacement.js";
import type { SimConfig } from "../../src/sim/kernel/config.js";
import { fleetSimConfig, warmupHours } from "../../src/sim/run/fromModel.js";
import { runSimulation } from "../../src/sim/run/scheduler.js";
import { expectComplement, expectValue } from "../helpers/statistical.js";

const Y = 8766;

function relative(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

const DISK_AND_CRASH = [
  { ratePerHour: 0.25 / Y, mttrHours: 24, loses: "disk" as const },
  { ratePerHour: 6 / Y, mttrHours: 1 / 6, loses: "nothing" as const },
];

function symmetricModes(crew: boolean[]): SymmetricFleetMode[] {
  return DISK_AND_CRASH.map((m, i) => ({
    failureRate: m.ratePerHour,
    repairRate: 1 / m.mttrHours,
    needsCrew: crew[i] as boolean,
    losesDisk: m.loses === "disk",
  }));
}

describe("fleetMetricsSymmetric with independent brokers", () => {
  const placements = [
    ["random 12 × 600", 12, randomPlacement(12, 600, 3, 1)],
    ["kafka 9 × 90", 9, kafkaPlacement(9, 90, 3, 1)],
    ["copyset 10 × 200", 10, copysetPlacement(10, 200, 3, 4, 2)],
    ["random RF 2, 6 × 30", 6, randomPlacement(6, 30, 2, 5)],
  ] as const;
  it.each(
    placements.flatMap(([name, brokers, sets]) =>
      [1, 2, 3].filter((m) => m <= (sets[0]?.length ?? 0)).map((m) => [name, m, brokers, sets] as const),
    ),
  )(
    "when %s (min ISR %i) has crew-free modes, or a crew per broker, then every metric equals the product form to 1e-12",
    (_, minInsync, brokers, sets) => {
      // Arrange
      const reference = fleetMetricsIndependent({
        brokers: new Array(brokers).fill(fleetBrokerFromModes(DISK_AND_CRASH)),
        replicaSets: sets,
        minInsync,
      });

      for (const [crew, crews] of [
        [[false, false], 1],
        [[true, false], brokers],
        [[true, true], brokers],
      ] as const) {
        // Act
        const symmetric = fleetMetricsSymmetric({
          brokers,
          modes: symmetricModes([...crew]),
          repairCrews: crews,
          replicaSets: sets,
          minInsync,
        });

        // Assert
        const what = `crews ${crews}, crew modes ${crew}`;
        expect(relative(symmetric.availability.complement, reference.availability.complement), what).toBeLessThan(1e-12);
        expect(relative(symmetric.availability.value, reference.availability.value), what).toBeLessThan(1e-12);
        expect(relative(symmetric.partitionsUnavailable, reference.partitionsUnavailable), what).toBeLessThan(1e-12);
        expect(relative(symmetric.lossEventsPerHour, reference.lossEventsPerHour), what).toBeLessThan(1e-12);
        expect(relative(symmetric.partitionsLostPerHour, reference.partitionsLostPerHour), what).toBeLessThan(1e-12);
        expect(relative(symmetric.electionsPerHour, reference.electionsPerHour), what).toBeLessThan(1e-12);
      }
    },
  );

  it("when the subset counts run out of budget then monotone bounds stand in, within the stated bound of the full counts", () => {
    // Arrange: a common cause over 14 brokers holding 12 partitions; the full counts, and the same with a budget
    // that stops them early (U(k) ≥ U(K) and L(d) ≥ L(D) beyond the last counted)
    const sets = randomPlacement(14, 12, 3, 3);
    const input = {
      brokers: 14,
      modes: symmetricModes([true, false]),
      repairCrews: 1,
      commonCause: { rate: 0.5 / Y, restoreRate: 1, losesDisk: false },
      replicaSets: sets,
      minInsync: 2,
    };
    const full = fleetMetricsSymmetric(input);

    // Act
    const early = fleetMetricsSymmetric({ ...input, maxLookups: 10_000, tolerance: 0.1 });

    // Assert: the early sums are below the full ones by at most their stated bounds
    expect(early.availabilityBound).toBeGreaterThan(0);
    expect(early.availability.complement).toBeLessThanOrEqual(full.availability.complement);
    expect(full.availability.complement - early.availability.complement).toBeLessThanOrEqual(early.availabilityBound);
    expect(early.lossEventsPerHour).toBeLessThanOrEqual(full.lossEventsPerHour * (1 + 1e-12));
    expect(full.lossEventsPerHour - early.lossEventsPerHour).toBeLessThanOrEqual(early.lossEventsBound * (1 + 1e-12));
    // and the full counts stated no bound at all
    expect(full.availabilityBound).toBe(0);
    // with the default tolerance, the early stop is refused in one sentence that says what to do
    expect(() => fleetMetricsSymmetric({ ...input, maxLookups: 10_000 })).toThrow(/subset lookups .* — mqrel simulate estimates it$/);
  });

  it("when the input is out of domain then it throws a RangeError naming it", () => {
    const sets = randomPlacement(6, 10, 3, 1);
    const base = { brokers: 6, modes: symmetricModes([false, false]), repairCrews: 1, replicaSets: sets, minInsync: 2 };
    expect(() => fleetMetricsSymmetric({ ...base, minInsync: 4 })).toThrow(/min ISR/);
    expect(() => fleetMetricsSymmetric({ ...base, replicaSets: [[0, 0, 1]] })).toThrow(/distinct brokers/);
  });
});

describe("fleetMetricsSymmetric with coupled brokers, against the simulator", () => {
  // frequent failures, so that a short simulation pins every metric down
  const fast = [
    { failureRate: 1 / (30 * 24), repairRate: 1 / 24, needsCrew: true, losesDisk: true },
    { failureRate: 40 / Y, repairRate: 1, needsCrew: false, losesDisk: false },
  ];
  const cases = [
    { name: "one crew for 6 brokers", brokers: 6, crews: 1, cc: undefined },
    { name: "a common cause (2 a year, 12 h)", brokers: 6, crews: 6, cc: { rate: 2 / Y, restoreRate: 1 / 12, losesDisk: false } },
    {
      name: "one crew and a common cause that loses the disks",
      brokers: 5,
      crews: 1,
      cc: { rate: 1 / Y, restoreRate: 1 / 6, losesDisk: true },
    },
  ];
  it.each(cases)("when $name then every metric is within 4 SE of the simulated one", async ({ brokers, crews, cc }) => {
    // Arrange
    const seed = 3;
    const sets = randomPlacement(brokers, 20, 3, 7);
    const exact = fleetMetricsSymmetric({
      brokers,
      modes: fast,
      repairCrews: crews,
      replicaSets: sets,
      minInsync: 2,
      ...(cc ? { commonCause: cc } : {}),
    });
    const clusterBase = {
      nodes: brokers,
      quorum: 2,
      repairCrews: crews,
      modes: fast.map((m, i) => ({
        name: `mode${i}`,
        mtbfHours: 1 / m.failureRate,
        mttrHours: 1 / m.repairRate,
        crew: m.needsCrew,
        losesDisk: m.losesDisk,
      })),
      failure: { kind: "exponential" as const },
      repair: { kind: "exponential" as const },
      commonCauseRatePerHour: cc?.rate ?? 0,
      commonCauseMttrHours: cc ? 1 / cc.restoreRate : 1,
      commonCauseLosesDisk: cc?.losesDisk ?? false,
      fleet: fleetSimConfig(sets, brokers, 2),
    };
    const config: SimConfig = {
      mode: "formula",
      horizonHours: 300 * Y,
      cluster: { ...clusterBase, warmupHours: warmupHours(clusterBase) },
    };

    // Act
    const { summary } = await runSimulation(config, { runs: 40, seed, workers: 1 });
    const m = summary.metrics;

    // Assert
    expectComplement("fleet unavailability", m[METRIC.fleetAvailability], exact.availability.complement, seed);
    expectValue("partitions unavailable", m[METRIC.fleetPartitionsUnavailable], exact.partitionsUnavailable, seed);
    expectValue("loss events per year", m[METRIC.fleetLossEventsPerYear], exact.lossEventsPerHour * Y, seed);
    expectValue("partitions lost per year", m[METRIC.fleetPartitionsLostPerYear], exact.partitionsLostPerHour * Y, seed);
    expectValue("elections per year", m[METRIC.fleetElectionsPerYear], exact.electionsPerHour * Y, seed);
  });
});
