import { describe, expect, it } from "vitest";
import { clusterChain, type FailureMode, maintenanceAvailability } from "../../src/formulas/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

const Y = 8766; // hours per year
const HW: FailureMode = { failureRate: 1 / (2 * Y), repairRate: 1 / 8, needsCrew: true };
const CRASH: FailureMode = { failureRate: 6 / Y, repairRate: 30, needsCrew: false };

/**
 * Reference: test/reference/cluster_chain_reference.py computes the same phase mixture
 * independently — on the unlumped chain (node ids explicit, node order[i] restarted in
 * slot i, the repair line as a tuple of ids), with the slot evolved by mpmath's expm of
 * the generator augmented for the integral, and the relaxation solved by lu_solve:
 *
 *   python3 test/reference/cluster_chain_reference.py R1 R2 R3
 *
 * R1 U 0.000001967437061309791310234184875070183455989
 * R1 A 0.9999980325629386902086897658151249298165
 * R1 F 0.000007040563669100431453140938395275647635505
 * R1 relaxation -0.0000000005806233845078476140207917373260426624519
 * R2 U 0.0000019674370613097913102341848750701834547
 * R2 A 0.9999980325629386902086897658151249298165
 * R2 F 0.000007040563669100431453140938395275647635505
 * R2 relaxation -0.0000000005806233845078476140207917373260440703597
 * R2 QU 0.000005068821383263230158577863071912631503265
 * R3 U 0.0006923527373631361531237335010448493370497
 * R3 A 0.9993076472626368638468762664989551506629
 * R3 F 0.0004015934931700013685834494685406694595307
 * R3 relaxation -0.0000005771602561209807023286350174841221339895
 *
 * This checks the implementation of the method (the "not yet / done" classes that keep a
 * uniformly chosen restart exact, uniformization, the relaxation); the method's own
 * approximation — rounds start in steady state — is measured below.
 */
describe("maintenanceAvailability against the unlumped mpmath computation", () => {
  const params = { nodes: 3, quorum: 2, modes: [HW, CRASH], repairCrews: 1, everyHours: 720, durationHours: 1 / 6 };

  it("when three nodes restart monthly for 10 minutes then U, A, outages and the relaxation agree", () => {
    const r = maintenanceAvailability(params);
    expectRelativelyClose(r.complement, Number("0.000001967437061309791310234184875070183455989"), 1e-12, "U");
    expectRelativelyClose(r.value, Number("0.9999980325629386902086897658151249298165"), 1e-14, "A");
    expectRelativelyClose(r.outageFrequency, Number("0.000007040563669100431453140938395275647635505"), 1e-12, "F");
    // the relaxation is a signed correction (y·U with y = ∫(p − π)): accurate relative to
    // the deviation it integrates, not to its own size
    expectRelativelyClose(r.relaxation, -Number("0.0000000005806233845078476140207917373260426624519"), 1e-9, "relaxation");
  });

  it("when the queue's leader fails over in 15 s then the queue's unavailability agrees", () => {
    const r = maintenanceAvailability({ ...params, modes: [CRASH, HW], failover: { electionRate: 240 } });
    expect(r.queueMethod).toBe("exact");
    expectRelativelyClose(r.complement, Number("0.0000019674370613097913102341848750701834547"), 1e-12, "U");
    expectRelativelyClose(
      (r.queue as { complement: number }).complement,
      Number("0.000005068821383263230158577863071912631503265"),
      1e-12,
      "queue U",
    );
  });
});

describe("maintenanceAvailability with zones against the unlumped mpmath computation", () => {
  it("when three nodes over zones 2+1 restart for 2 h every 2 days then U, A, outages and the relaxation agree", () => {
    // R3: the first zone is half restarted after slot 1, which the "not yet / done" split keeps exact
    const r = maintenanceAvailability({
      nodes: 3,
      quorum: 2,
      modes: [{ failureRate: 2 / Y, repairRate: 1 / 8, needsCrew: true }],
      repairCrews: 3,
      zones: { placement: [2, 1], outageRate: 1 / Y, restoreRate: 1 / 2 },
      commonCause: { rate: 0.05 / Y, restoreRate: 1 / 4 },
      everyHours: 48,
      durationHours: 2,
    });
    expectRelativelyClose(r.complement, Number("0.0006923527373631361531237335010448493370497"), 1e-12, "U");
    expectRelativelyClose(r.value, Number("0.9993076472626368638468762664989551506629"), 1e-14, "A");
    expectRelativelyClose(r.outageFrequency, Number("0.0004015934931700013685834494685406694595307"), 1e-12, "F");
    expectRelativelyClose(r.relaxation, Number("-0.0000005771602561209807023286350174841221339895"), 1e-9, "relaxation");
  });
});

describe("maintenanceAvailability, the method's own error", () => {
  it("when rounds are short against the relaxation then the estimate bounds the error against the exact periodic solution", () => {
    // The exact periodic steady state of R3 (no steady-start assumption: rounds repeated,
    // each window followed by mpmath's expm over every − n·duration, until the round-start
    // distribution is stationary):
    //   python3 test/reference/cluster_chain_reference.py R3periodic
    //   R3periodic U_periodic 0.0006920560417880258402593709065441443285641
    const r = maintenanceAvailability({
      nodes: 3,
      quorum: 2,
      modes: [{ failureRate: 2 / Y, repairRate: 1 / 8, needsCrew: true }],
      repairCrews: 3,
      zones: { placement: [2, 1], outageRate: 1 / Y, restoreRate: 1 / 2 },
      commonCause: { rate: 0.05 / Y, restoreRate: 1 / 4 },
      everyHours: 48,
      durationHours: 2,
    });
    const trueError = Math.abs(r.complement - Number("0.0006920560417880258402593709065441443285641"));
    expect(trueError).toBeGreaterThan(1e-7); // two-day rounds against 8 h repairs: the assumption shows
    expect(trueError).toBeLessThanOrEqual(r.errorEstimate);
    expect(r.errorEstimate).toBeLessThan(20 * trueError); // and the estimate is not vacuous
  });
});

describe("maintenanceAvailability, the method", () => {
  const cluster = {
    nodes: 5,
    quorum: 3,
    modes: [HW, CRASH],
    repairCrews: 1,
    zones: { placement: [2, 2, 1], outageRate: 1 / Y, restoreRate: 0.5 },
  };

  it("when restarts are very short then the cluster is as available as without them", () => {
    const steady = clusterChain(cluster);
    const r = maintenanceAvailability({ ...cluster, everyHours: 720, durationHours: 1e-9 });
    expectRelativelyClose(r.complement, steady.complement, 1e-6);
    expect(r.complement).toBeGreaterThan(steady.complement);
  });

  it("when the election is far faster than a restart then the queue falls back to the stated approximation", () => {
    // failover 0.1 s against 10-minute restarts: the leader's window chain is too stiff to evolve
    const r = maintenanceAvailability({ ...cluster, failover: { electionRate: 36_000 }, everyHours: 720, durationHours: 1 / 6 });
    expect(r.queueMethod).toBe("approximation");
    const queue = r.queue as { complement: number };
    const steadyQueue = r.steady.queue as { complement: number };
    // the documented fallback: U_queue = U_queue,steady + ΔU + failover.time × Δoutages
    const extraOutages = r.outageFrequency - r.steady.outageFrequency;
    expect(extraOutages).toBeGreaterThan(0);
    expectRelativelyClose(queue.complement, steadyQueue.complement + r.addedUnavailability + extraOutages / 36_000, 1e-12);
    expect(r.errorEstimate).toBeLessThan(1e-6 * r.addedUnavailability);
  });

  it("when a round cannot fit in the period then it refuses", () => {
    expect(() => maintenanceAvailability({ ...cluster, everyHours: 1, durationHours: 0.5 })).toThrow(/fit in every/);
  });

  it("when rounds are a month apart then the steady-start approximation is negligible", () => {
    const r = maintenanceAvailability({ ...cluster, failover: { electionRate: 240 }, everyHours: 720, durationHours: 1 / 6 });
    // the estimate (doc comment of maintenanceAvailability) against what the rounds add
    expect(r.errorEstimate).toBeLessThan(1e-6 * r.addedUnavailability);
    expect(r.queueMethod).toBe("exact");
  });

  it("when restarts come daily with 8 h repairs then the estimate says the approximation is no longer negligible", () => {
    const r = maintenanceAvailability({ ...cluster, everyHours: 1, durationHours: 0.1 });
    expect(r.errorEstimate).toBeGreaterThan(1e-3 * r.addedUnavailability);
  });
});
