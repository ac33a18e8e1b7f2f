import { describe, expect, it } from "vitest";
import { type ModeShape, processStateCount, windowStateCount } from "../../src/formulas/_internal/maintenanceWindow.js";
import {
  clusterChain,
  type FailureMode,
  MAX_WINDOW_STATES,
  type MaintenanceParams,
  maintenanceAvailability,
} from "../../src/formulas/index.js";

const Y = 8766; // hours per year

/** N nodes round-robin over 3 zones, restarted round-robin, zone outages, a common cause, monthly restarts */
function shape(n: number, modes: FailureMode[], extra: Partial<MaintenanceParams> = {}): MaintenanceParams {
  return {
    nodes: n,
    quorum: Math.floor(n / 2) + 1,
    modes,
    zones: { placement: [0, 1, 2].map((z) => Math.floor(n / 3) + (z < n % 3 ? 1 : 0)), outageRate: 0.2 / Y, restoreRate: 0.5 },
    commonCause: { rate: 1 / Y, restoreRate: 2 },
    everyHours: 720,
    durationHours: 0.05,
    restartOrder: Array.from({ length: n }, (_, i) => i % 3),
    ...extra,
  };
}
/** the presets' shape: three crew-free modes */
const presetModes: FailureMode[] = [
  { failureRate: 0.5 / Y, repairRate: 2, needsCrew: false },
  { failureRate: 0.2 / Y, repairRate: 6, needsCrew: false },
  { failureRate: 2 / Y, repairRate: 30, needsCrew: false },
];
const hardware: FailureMode = { failureRate: 0.5 / Y, repairRate: 1 / 4, needsCrew: true };
const crash: FailureMode = { failureRate: 3 / Y, repairRate: 30, needsCrew: false };
/** models/default.yaml's shape: hardware waits for the one crew, os and crash recover by themselves */
const defaultModes: FailureMode[] = [hardware, { failureRate: 0.2 / Y, repairRate: 6, needsCrew: false }, crash];
/** two crew modes of different repair rates (the line's order matters) and one crew-free mode */
const twoCrewModes: FailureMode[] = [hardware, { ...hardware, repairRate: 1 }, crash];

/**
 * Brute force, independent of the count's sweep: every assignment of each node of each
 * class to up / a crew-free mode / repair in a crew mode / waiting in a crew mode (nodes of
 * a class exchangeable: counts per class), the line then ordered every distinct way; kept
 * when at most `crews` are in repair and a line exists only with every crew busy.
 */
function enumerate(classSizes: readonly number[], modes: ModeShape): number {
  const { free, crew, crews } = modes;
  const kinds = free + 2 * crew; // free modes, then repair per crew mode, then waiting per crew mode
  let states = 0;
  const lines: number[] = []; // waiting entries per (class, crew mode)
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const visit = (c: number, repair: number) => {
    if (c === classSizes.length) {
      const length = lines.reduce((a, b) => a + b, 0);
      if (repair > crews || (length > 0 && repair < crews)) return;
      // distinct orders of the line: length! / Π count!
      states += lines.reduce((orders, k) => orders / factorial(k), factorial(length));
      return;
    }
    const counts = new Array<number>(kinds).fill(0);
    const split = (kind: number, left: number, inRepair: number) => {
      if (kind === kinds) {
        for (let m = 0; m < crew; m++) lines.push(counts[free + crew + m] as number);
        visit(c + 1, repair + inRepair);
        lines.length -= crew;
        return;
      }
      for (let k = 0; k <= left; k++) {
        counts[kind] = k;
        const isRepair = kind >= free && kind < free + crew;
        split(kind + 1, left - k, inRepair + (isRepair ? k : 0));
      }
      counts[kind] = 0;
    };
    split(0, classSizes[c] as number, 0);
  };
  visit(0, 0);
  return states;
}

describe("the restart slots' size, counted before anything is solved", () => {
  it("when classes, modes and crews vary then the count equals the brute-force enumeration", () => {
    const cases: [number[], ModeShape][] = [
      [[3], { free: 2, crew: 0, crews: 3 }],
      [[2, 1, 0, 2], { free: 3, crew: 0, crews: 5 }],
      [[3], { free: 0, crew: 1, crews: 1 }],
      [[1, 1, 1], { free: 2, crew: 1, crews: 1 }],
      [[2, 0, 1, 1, 2, 0], { free: 2, crew: 1, crews: 1 }],
      [[2, 2, 1], { free: 1, crew: 2, crews: 2 }],
      [[3, 1, 2], { free: 0, crew: 2, crews: 1 }],
      [[1, 2, 1, 2], { free: 1, crew: 1, crews: 3 }],
    ];
    for (const [sizes, modes] of cases)
      expect(processStateCount(sizes, modes), JSON.stringify([sizes, modes])).toBe(enumerate(sizes, modes));
  });

  it("when the modes need a crew or not then the count is the explored process chain's size (the common cause aside)", () => {
    for (const n of [3, 4, 5]) {
      for (const [modes, crews, counted] of [
        [presetModes, n, { free: 3, crew: 0, crews: n }],
        [defaultModes, 1, { free: 2, crew: 1, crews: 1 }],
        [twoCrewModes, 2, { free: 1, crew: 2, crews: 2 }],
      ] as [FailureMode[], number, ModeShape][]) {
        const params = shape(n, modes, { repairCrews: crews });
        const placement = params.zones?.placement ?? [];
        expect(processStateCount(placement, counted) + 1, `${n} nodes, ${JSON.stringify(counted)}`).toBe(
          clusterChain(params).states.process,
        );
      }
    }
  });

  it("when the modes need a crew or not then the count is the explored process window's size (the common cause aside)", () => {
    const cases: [MaintenanceParams, ModeShape][] = [
      [shape(3, presetModes), { free: 3, crew: 0, crews: 3 }],
      [shape(5, presetModes), { free: 3, crew: 0, crews: 5 }],
      [shape(3, defaultModes, { repairCrews: 1 }), { free: 2, crew: 1, crews: 1 }],
      [shape(4, defaultModes, { repairCrews: 1 }), { free: 2, crew: 1, crews: 1 }],
      [shape(5, defaultModes, { repairCrews: 1, restartOrder: [0, 0, 1, 1, 2] }), { free: 2, crew: 1, crews: 1 }],
      [shape(4, twoCrewModes, { repairCrews: 2 }), { free: 1, crew: 2, crews: 2 }],
    ] as [MaintenanceParams, ModeShape][];
    for (const [params, modes] of cases) {
      const r = maintenanceAvailability(params);
      const counted = windowStateCount(params.zones?.placement ?? [], params.restartOrder ?? [], modes);
      expect(counted + 1, `${params.nodes} nodes, ${JSON.stringify(modes)}`).toBe(r.work.processStates);
    }
  });

  it("when 10 nodes over 4+3+3 would need a slot beyond 200 000 states then it refuses before solving anything", () => {
    const params = shape(10, presetModes);
    expect(windowStateCount(params.zones?.placement ?? [], params.restartOrder ?? [], { free: 3, crew: 0, crews: 10 })).toBeGreaterThan(
      MAX_WINDOW_STATES,
    );
    expect(() => maintenanceAvailability(params)).toThrow(/a restart slot's chain has more than 200000 states/);
  });

  it("when the default model's shape at 8 nodes (one crew) would need a slot beyond 200 000 states then it refuses before solving anything", () => {
    const params = shape(8, defaultModes, { repairCrews: 1, failover: { electionRate: 240 } });
    const counted = windowStateCount(params.zones?.placement ?? [], params.restartOrder ?? [], { free: 2, crew: 1, crews: 1 });
    expect(counted).toBeGreaterThan(MAX_WINDOW_STATES);
    // the process chain itself fits (20 000 states), so the refusal is the slot's
    expect(processStateCount(params.zones?.placement ?? [], { free: 2, crew: 1, crews: 1 }) + 1).toBeLessThanOrEqual(20_000);
    expect(() => maintenanceAvailability(params)).toThrow(/a restart slot's chain has more than 200000 states/);
  });
});
