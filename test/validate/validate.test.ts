import { describe, expect, it } from "vitest";
import { METRIC } from "../../src/metrics/index.js";
import type { Metrics } from "../../src/model/evaluate.js";
import type { Estimate, SimulationSummary } from "../../src/sim/estimate/estimate.js";
import { wilsonInterval } from "../../src/stats/wilsonInterval.js";
import { agreementThreshold, compareMetrics } from "../../src/validate/validate.js";

function estimate(overrides: Partial<Estimate>): Estimate {
  return {
    estimate: 0,
    ci: [0, 0],
    standardError: 1,
    degreesOfFreedom: Number.POSITIVE_INFINITY,
    basis: { kind: "ratio", estimand: "unavailability", level: 0.95 },
    events: 1000,
    enough: true,
    ...overrides,
  };
}

function summary(metrics: SimulationSummary["metrics"]): SimulationSummary {
  return { runs: 10, simulatedHours: 1, nodeEvents: 1, regenerative: true, metrics };
}

const availability = (complement: number): Metrics =>
  new Map([
    [METRIC.clusterAvailability, { value: 1 - complement, complement, formula: "availability.kofn", nines: -Math.log10(complement) }],
  ]);

describe("verdicts", () => {
  it("when 5 or 10 metrics are compared at a nominal 0.5 % family-wise then t* is the Bonferroni quantile, never below 3", () => {
    // scipy: stats.norm.ppf(1 - 0.005/10) = 3.2905267314919255, stats.norm.ppf(1 - 0.005/20) = 3.4807564043462422,
    // stats.t.ppf(1 - 0.005/10, 9) = 4.780912585931217; one metric: stats.norm.ppf(1 - 0.005/2) = 2.807 < 3
    expect(agreementThreshold(5)).toBeCloseTo(3.2905267314919255, 10);
    expect(agreementThreshold(10)).toBeCloseTo(3.4807564043462422, 10);
    expect(agreementThreshold(5, 9)).toBeCloseTo(4.780912585931217, 10);
    expect(agreementThreshold(1)).toBe(3);
  });

  it("agrees within the threshold, disagrees beyond it and says the formula is optimistic when the simulation is worse", () => {
    const near = compareMetrics(
      availability(1e-5),
      summary({ "cluster.availability": estimate({ complement: 1.2e-5, standardError: 1e-6 }) }),
    );
    expect(near.rows[0]?.verdict).toBe("agrees");
    const far = compareMetrics(
      availability(1e-5),
      summary({ "cluster.availability": estimate({ complement: 2e-5, standardError: 1e-6 }) }),
    );
    expect(far.rows[0]).toMatchObject({ verdict: "disagrees", direction: "optimistic" });
    expect(far.rows[0]?.z).toBeCloseTo(10, 9);
    expect(far.disagreement).toBe(true);
    const pessimistic = compareMetrics(
      availability(1e-5),
      summary({ "cluster.availability": estimate({ complement: 5e-6, standardError: 1e-7 }) }),
    );
    expect(pessimistic.rows[0]?.direction).toBe("pessimistic");
  });

  it("says too few events instead of judging a thin estimate", () => {
    const rows = compareMetrics(
      availability(1e-5),
      summary({ "cluster.availability": estimate({ complement: 1, standardError: 1e-9, enough: false }) }),
    );
    expect(rows.rows[0]?.verdict).toBe("too few events");
    expect(rows.disagreement).toBe(false);
  });

  it("judges retry proportions with Wilson's interval at the threshold, not the Wald z", () => {
    const metrics: Metrics = new Map([
      [METRIC.retrySuccess, { value: 1 - 3e-7, complement: 3e-7, formula: "retry.deadline", nines: -Math.log10(3e-7) }],
    ]);
    // 8 failures in 200000: Wilson at z* excludes 3e-7, although the Wald z is only 2.8
    const rows = compareMetrics(
      metrics,
      summary({ "retry.success": estimate({ complement: 4e-5, standardError: 1.41e-5, events: 8, trials: 200_000 }) }),
    );
    expect(rows.rows[0]?.verdict).toBe("disagrees");
    expect(wilsonInterval(8, 200_000, 3)[0]).toBeGreaterThan(3e-7);
  });
});
