import { describe, expect, it } from "vitest";
import { type FailureMode, type MaintenanceParams, maintenanceAvailability } from "../../src/formulas/index.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { fullQueueWindow } from "../helpers/fullQueueWindow.js";

const Y = 8766; // hours per year
const HW: FailureMode = { failureRate: 1 / (2 * Y), repairRate: 1 / 8, needsCrew: true };
const CRASH: FailureMode = { failureRate: 6 / Y, repairRate: 30, needsCrew: false };

/**
 * The queue's window is evolved as the process window ⊗ the zones' stationary law plus
 * the up part with the leader (src/formulas/_internal/queueWindow.ts). Reference: the
 * same window with every slot's full chain — processes, zones, leader — explored and
 * uniformized as a whole (test/helpers/fullQueueWindow.ts, mqrel's method before the
 * split). Both are exact; they may differ by rounding only.
 */
const CASES: { name: string; params: MaintenanceParams }[] = [
  {
    name: "3 crash-only nodes over zones 2+1 that fail every 100 h, a common cause, 2-h restarts every 2 days",
    params: {
      nodes: 3,
      quorum: 2,
      modes: [CRASH],
      repairCrews: 3,
      zones: { placement: [2, 1], outageRate: 1 / 100, restoreRate: 1 / 2 },
      commonCause: { rate: 0.05 / Y, restoreRate: 1 / 4 },
      failover: { electionRate: 240 },
      everyHours: 48,
      durationHours: 2,
    },
  },
  {
    name: "5 nodes over 2+2+1, a crew mode on one crew and crashes, monthly 10-minute restarts",
    params: {
      nodes: 5,
      quorum: 3,
      modes: [HW, CRASH],
      repairCrews: 1,
      zones: { placement: [2, 2, 1], outageRate: 1 / Y, restoreRate: 1 / 2 },
      commonCause: { rate: 0.05 / Y, restoreRate: 1 / 4 },
      failover: { electionRate: 240 },
      everyHours: 720,
      durationHours: 1 / 6,
    },
  },
  {
    name: "zones that never fail, a slow election (3 min) and 4-hour restarts",
    params: {
      nodes: 3,
      quorum: 2,
      modes: [{ failureRate: 1e-2, repairRate: 1 / 4, needsCrew: true }, CRASH],
      repairCrews: 1,
      zones: { placement: [1, 1, 1], outageRate: 0, restoreRate: 1 },
      failover: { electionRate: 20 },
      everyHours: 100,
      durationHours: 4,
    },
  },
  {
    name: "zones 2+1 restarted in the order 1, 2, 1, modes of different repair rates in one line",
    params: {
      nodes: 3,
      quorum: 2,
      modes: [
        { failureRate: 1e-2, repairRate: 1 / 4, needsCrew: true },
        { failureRate: 1e-2, repairRate: 1 / 3, needsCrew: true },
      ],
      repairCrews: 1,
      zones: { placement: [2, 1], outageRate: 1e-2, restoreRate: 1 / 2 },
      failover: { electionRate: 20 },
      everyHours: 48,
      durationHours: 2,
      restartOrder: [0, 1, 0],
    },
  },
];

describe("the queue's maintenance window with zones against the unlumped mpmath computation", () => {
  it("when crash-only nodes over zones 2+1 that fail every 100 h fail over in 15 s then U, A, outages and the queue agree", () => {
    // R4 of test/reference/cluster_chain_reference.py: every node, zone and the leader's node
    // explicit, each slot evolved by mpmath's expm (6 minutes):
    //
    //   python3 test/reference/cluster_chain_reference.py R4
    //
    // R4 U 0.02123833352664932206157265914964585106679
    // R4 A 0.9787616664733506779384273408503541489332
    // R4 F 0.01158589033798539764761938091776965391643
    // R4 relaxation -6.94799873759276770620092851314065616256e-13
    // R4 QU 0.02129900599458097790195677943816115797462
    const r = maintenanceAvailability(CASES[0]?.params as MaintenanceParams);
    expect(r.queueMethod).toBe("exact");
    expectRelativelyClose(r.complement, Number("0.02123833352664932206157265914964585106679"), 1e-13, "U");
    expectRelativelyClose(r.value, Number("0.9787616664733506779384273408503541489332"), 1e-14, "A");
    expectRelativelyClose(r.outageFrequency, Number("0.01158589033798539764761938091776965391643"), 1e-13, "F");
    expectRelativelyClose(
      (r.queue as { complement: number }).complement,
      Number("0.02129900599458097790195677943816115797462"),
      1e-13,
      "queue U",
    );
    // the relaxation is a signed correction, accurate against the unavailability it corrects
    expect(Math.abs(r.relaxation - Number("-6.94799873759276770620092851314065616256e-13"))).toBeLessThan(1e-15 * r.complement);
  });
});

describe("the queue's maintenance window against its full chain", () => {
  for (const { name, params } of CASES) {
    it(`when ${name} then the queue's figures are the full chain's`, () => {
      const r = maintenanceAvailability(params);
      const full = fullQueueWindow(params);
      expect(r.queueMethod).toBe("exact");
      const steadyQueue = r.steady.queue as { value: number; complement: number };
      const queue = r.queue as { value: number; complement: number };
      const rest = params.everyHours - params.nodes * params.durationHours;
      const relaxDown = r.relaxation * params.everyHours;
      expectRelativelyClose(
        queue.complement,
        (full.down + rest * steadyQueue.complement + relaxDown) / params.everyHours,
        1e-13,
        "queue U",
      );
      expectRelativelyClose(queue.value, (full.up + rest * steadyQueue.value - relaxDown) / params.everyHours, 1e-13, "queue A");
      // the size reported is the full chain's, counted without building it
      expect(r.work.windowStates).toBe(full.states);
    });
  }
});
