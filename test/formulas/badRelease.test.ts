/**
 * Bad releases in availability.maintenance (docs/design.md §3e): each round's release is
 * bad with probability p; a node still held when its slot ends stays down (broken) until
 * the rollback, `rollback` after the detection, which comes `detect` after the end of the
 * first slot and stops the round.
 */
import { describe, expect, it } from "vitest";
import { badRoundPhases, type FailureMode, maintenanceAvailability } from "../../src/formulas/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

const Y = 8766; // hours per year
const MIN = 1 / 60; // one minute in hours
/** nodes that (nearly) never fail: once in a million years, 8 h to repair */
const RARE: FailureMode = { failureRate: 1 / (1e6 * Y), repairRate: 1 / 8, needsCrew: true };

describe("badRoundPhases", () => {
  // slots start at (i − 1)·d and run while before D = d + detect; R = D + rollback
  it.each([
    // detect after the round ends: all 3 slots; from the end of the third (30 min) to R = 55 min held
    { detect: 30, slots: 3, last: 10, hold: 25, window: 55 },
    // detect inside slot 2: D = 15 min cuts it to 5 min; then the rollback's 15 min
    { detect: 5, slots: 2, last: 5, hold: 15, window: 30 },
    // detect exactly when slot 3 is due (D = 20 min): slot 3 does not start
    { detect: 10, slots: 2, last: 10, hold: 15, window: 35 },
    // caught at once: only the first node
    { detect: 0, slots: 1, last: 10, hold: 15, window: 25 },
  ])("when three 10-minute slots meet detect = $detect min (rollback 15 min) then $slots slots run, the last $last min", (c) => {
    const phases = badRoundPhases(3, 10 * MIN, { p: 0.1, detectHours: c.detect * MIN, rollbackHours: 15 * MIN });
    expect(phases.slots).toBe(c.slots);
    expectRelativelyClose(phases.lastSlotHours, c.last * MIN, 1e-12, "last slot");
    expectRelativelyClose(phases.holdHours, c.hold * MIN, 1e-12, "hold");
    expectRelativelyClose(phases.windowHours, c.window * MIN, 1e-12, "window");
  });
});

/**
 * Derived by hand. Nodes that never fail (rate once in 10^6 years: see the bound below);
 * restarts of d = 10 min every 720 h.
 *
 * Three nodes, quorum 2, p = 0.1, detect 30 min, rollback 15 min. A good round holds one
 * node down at a time: 2 of 3 stay up, never a quorum loss. A bad round: D = d + detect
 * = 40 min ≥ 3d, so all three slots run: at 10 min node 1 is broken and node 2 held — one
 * node up, quorum lost — and it stays lost (at 20 and 30 min the next nodes are broken)
 * until the rollback at R = D + rollback = 55 min: 45 min (= detect + rollback) down, one
 * outage, per bad round. So
 *
 *   U = p · 45 min / 720 h = 0.1 · 0.75 / 720 = 1.0416…e-4,  outages = p · 8766/720 per year.
 *
 * Five nodes, quorum 3, p = 0.2, detect 15 min, rollback 30 min (the round stopped
 * early): D = 25 min, so slots start at 0, 10, 20 min and the third is cut at 25 min;
 * at 10 min one broken and one held (3 up), at 20 min two broken and one held (2 up <
 * 3): lost until R = 55 min, 35 min per bad round; nodes 4 and 5 are not restarted.
 *
 *   U = 0.2 · 35 min / 720 h.
 *
 * Neglected by the hand values, included by the formula: the nodes' own failures. A node
 * is failed with probability ≈ n·λ·mttr ≈ 5·1.1e-10·8 = 4.6e-9, and only matters while
 * another is held or broken — at most (n·d + R ≈ 1.4 h) per 720 h — so it moves U by
 * ≲ 1e-11 (relative 1e-7) and the outages likewise.
 */
describe("maintenanceAvailability with bad releases, against the hand derivation", () => {
  const base = { quorum: 2, nodes: 3, modes: [RARE], repairCrews: 1, everyHours: 720, durationHours: 10 * MIN };

  it("when three nodes' bad release is caught after the round ends then quorum is lost from the second broken node until the rollback", () => {
    const r = maintenanceAvailability({ ...base, badRelease: { p: 0.1, detectHours: 30 * MIN, rollbackHours: 15 * MIN } });
    const hand = (0.1 * 0.75) / 720;
    expect(Math.abs(r.complement - hand)).toBeLessThanOrEqual(1e-11);
    expectRelativelyClose(r.outageFrequency * Y, (0.1 * Y) / 720, 1e-7, "outages per year");
    expect(r.badRelease?.phases.slots).toBe(3);
    expectRelativelyClose(r.badRelease?.addedUnavailability as number, hand, 1e-6, "added by bad releases");
  });

  it("when five nodes' bad release is caught during the third slot then the round stops and quorum is lost for 35 minutes", () => {
    const r = maintenanceAvailability({
      ...base,
      nodes: 5,
      quorum: 3,
      badRelease: { p: 0.2, detectHours: 15 * MIN, rollbackHours: 30 * MIN },
    });
    const hand = (0.2 * (35 * MIN)) / 720;
    expect(Math.abs(r.complement - hand)).toBeLessThanOrEqual(1e-11);
    expectRelativelyClose(r.outageFrequency * Y, (0.2 * Y) / 720, 1e-7, "outages per year");
    expect(r.badRelease?.phases.slots).toBe(3);
  });

  it("when the queue's leader is elected in 1 minute then the queue also waits for the election after the rollback", () => {
    // By hand: planned restarts hand leadership over (no election), so the queue is down
    // only in bad rounds: the 45 min without quorum, then the election the rollback's
    // quorum waits for, 1 min on average (exponential, rate 60/h): U_queue = p·(45 + 1) min / 720 h
    const r = maintenanceAvailability({
      ...base,
      failover: { electionRate: 60 },
      badRelease: { p: 0.1, detectHours: 30 * MIN, rollbackHours: 15 * MIN },
    });
    expect(r.queueMethod).toBe("exact");
    expect(Math.abs((r.queue?.complement as number) - (0.1 * (46 * MIN)) / 720)).toBeLessThanOrEqual(1e-11);
    expect(Math.abs(r.complement - (0.1 * 0.75) / 720)).toBeLessThanOrEqual(1e-11);
  });

  it("when p is 0 then every figure is the one without bad releases, to the last bit", () => {
    const params = { ...base, modes: [{ failureRate: 1 / (2 * Y), repairRate: 1 / 8, needsCrew: true }] };
    const without = maintenanceAvailability(params);
    const zero = maintenanceAvailability({ ...params, badRelease: { p: 0, detectHours: 0.5, rollbackHours: 0.25 } });
    expect(zero).toEqual(without);
  });

  it("when every release is bad (p = 1) then U is the bad round's alone: 45 min per 720 h", () => {
    const r = maintenanceAvailability({ ...base, badRelease: { p: 1, detectHours: 30 * MIN, rollbackHours: 15 * MIN } });
    expect(Math.abs(r.complement - 0.75 / 720)).toBeLessThanOrEqual(1e-10);
  });

  it("when a bad round does not fit in every, or p is out of [0, 1], then it is refused", () => {
    expect(() => maintenanceAvailability({ ...base, everyHours: 1, badRelease: { p: 0.1, detectHours: 0.5, rollbackHours: 0.5 } })).toThrow(
      /bad round/,
    );
    expect(() => maintenanceAvailability({ ...base, badRelease: { p: 1.5, detectHours: 0.5, rollbackHours: 0.5 } })).toThrow(
      /p in \[0, 1\]/,
    );
  });
});
