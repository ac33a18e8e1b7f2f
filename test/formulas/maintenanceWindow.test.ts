import { describe, expect, it } from "vitest";
import { crewFreeWindowStates } from "../../src/formulas/_internal/maintenanceWindow.js";
import { MAX_WINDOW_STATES, type MaintenanceParams, maintenanceAvailability } from "../../src/formulas/index.js";

describe("the restart slots' size, counted before anything is solved", () => {
  const Y = 8766; // hours per year
  /** the presets' shape: N nodes round-robin over 3 zones, 3 crew-free modes, a common cause */
  const presetShape = (n: number): MaintenanceParams => ({
    nodes: n,
    quorum: Math.floor(n / 2) + 1,
    modes: [
      { failureRate: 0.5 / Y, repairRate: 2, needsCrew: false },
      { failureRate: 0.2 / Y, repairRate: 6, needsCrew: false },
      { failureRate: 2 / Y, repairRate: 30, needsCrew: false },
    ],
    zones: { placement: [0, 1, 2].map((z) => Math.floor(n / 3) + (z < n % 3 ? 1 : 0)), outageRate: 0.2 / Y, restoreRate: 0.5 },
    commonCause: { rate: 1 / Y, restoreRate: 2 },
    everyHours: 720,
    durationHours: 0.05,
    restartOrder: Array.from({ length: n }, (_, i) => i % 3),
  });

  it("when the modes are crew-free then the count is the explored process window's size (the common cause aside)", () => {
    for (const n of [3, 4, 5]) {
      const params = presetShape(n);
      const r = maintenanceAvailability(params);
      const counted = crewFreeWindowStates(params.zones?.placement ?? [], params.restartOrder ?? [], 3);
      expect(counted + 1, `${n} nodes`).toBe(r.work.processStates);
    }
  });

  it("when 10 nodes over 4+3+3 would need a slot beyond 200 000 states then it refuses before solving anything", () => {
    const params = presetShape(10);
    expect(crewFreeWindowStates(params.zones?.placement ?? [], params.restartOrder ?? [], 3)).toBeGreaterThan(MAX_WINDOW_STATES);
    expect(() => maintenanceAvailability(params)).toThrow(/a restart slot's chain has more than 200000 states/);
  });
});
