/**
 * The SLO gate's pure core: judging a threshold on a simulated 95% interval
 * (check --simulate), and the verdict over many models (empty, inconclusive, invalid,
 * internal errors). Intervals below are hand-made; the verdicts follow from comparing
 * both ends with the threshold by hand.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { parseThreshold } from "../../src/metrics/threshold.js";
import type { Estimate } from "../../src/sim/estimate/estimate.js";
import { type CheckedModel, checkModels, type SloResult } from "../../src/slo/check.js";
import { judgeOnInterval } from "../../src/slo/simulated.js";

function estimate(fields: Partial<Estimate> & { estimate: number }): Estimate {
  return {
    ci: null,
    standardError: 0,
    degreesOfFreedom: Number.POSITIVE_INFINITY,
    basis: { kind: "ratio", estimand: "unavailability", level: 0.95 },
    events: 500,
    enough: true,
    ...fields,
  };
}

/** An availability estimate from an unavailability interval. */
const availability = (u: number, low: number, high: number, extra: Partial<Estimate> = {}) =>
  estimate({ estimate: 1 - u, ci: [1 - high, 1 - low], complement: u, complementCi: [low, high], ...extra });

describe("judgeOnInterval", () => {
  const atLeast4Nines = parseThreshold(">= 99.99%", "availability-like");

  it("when the whole unavailability interval is below 1e-4 then >= 99.99% passes", () => {
    expect(judgeOnInterval(atLeast4Nines, true, availability(5e-5, 4e-5, 6e-5)).verdict).toBe("pass");
  });

  it("when the whole interval is above 1e-4 then it fails", () => {
    expect(judgeOnInterval(atLeast4Nines, true, availability(2e-4, 1.5e-4, 2.5e-4)).verdict).toBe("fail");
  });

  it("when the interval straddles 1e-4 then it is inconclusive, and says how to decide", () => {
    const j = judgeOnInterval(atLeast4Nines, true, availability(9e-5, 7e-5, 1.2e-4));
    expect(j.verdict).toBe("inconclusive");
    expect(j.note).toMatch(/straddles/);
    expect(j.intervalOf).toBe("complement");
    expect(j.interval).toEqual([7e-5, 1.2e-4]);
  });

  it("when the threshold is in nines then the complement interval decides it the same way", () => {
    const nines = parseThreshold("> 4 nines", "availability-like");
    expect(judgeOnInterval(nines, true, availability(5e-5, 4e-5, 6e-5)).verdict).toBe("pass");
    expect(judgeOnInterval(nines, true, availability(1.1e-4, 1.05e-4, 1.2e-4)).verdict).toBe("fail");
  });

  it("when an estimate rests on too few events then it is inconclusive even if the interval clears the threshold", () => {
    const j = judgeOnInterval(atLeast4Nines, true, availability(5e-5, 4e-5, 6e-5, { events: 12, enough: false }));
    expect(j.verdict).toBe("inconclusive");
    expect(j.note).toMatch(/too few events \(12\)/);
  });

  it("when no event happened and the interval is a rule-of-three bound [0, 3/N] then it is judged on that bound", () => {
    const loss = parseThreshold("<= 1e-6", "probability");
    const bound = (upper: number) => estimate({ estimate: 0, ci: [0, upper], events: 0, enough: false });
    expect(judgeOnInterval(loss, false, bound(5e-7)).verdict).toBe("pass");
    expect(judgeOnInterval(loss, false, bound(5e-6)).verdict).toBe("inconclusive");
    // a degenerate [0, 0] interval from zero events is no bound at all
    expect(judgeOnInterval(loss, false, estimate({ estimate: 0, ci: [0, 0], events: 0, enough: false })).verdict).toBe("inconclusive");
  });

  it("when there is no interval then it is inconclusive", () => {
    const mttf = parseThreshold(">= 10 years", "duration");
    expect(judgeOnInterval(mttf, false, estimate({ estimate: Number.NaN, ci: null })).verdict).toBe("inconclusive");
  });

  it("when a duration interval lies above or below the threshold then it passes or fails", () => {
    const mttf = parseThreshold(">= 10 years", "duration");
    const years = (y: number) => y * 8766;
    expect(judgeOnInterval(mttf, false, estimate({ estimate: years(12), ci: [years(11), years(13)] })).verdict).toBe("pass");
    expect(judgeOnInterval(mttf, false, estimate({ estimate: years(8), ci: [years(7), years(9)] })).verdict).toBe("fail");
  });
});

describe("checkModels", () => {
  const model = (name: string, thresholds: number): CheckedModel => ({ file: `${name}.yaml`, name, thresholds });
  const result = (name: string, verdict: SloResult["verdict"]): SloResult => ({
    file: `${name}.yaml`,
    model: name,
    metric: "cluster.availability" as SloResult["metric"],
    threshold: ">= 99%",
    value: 0.999,
    verdict,
    pass: verdict === "pass",
    margin: 0,
    marginUnit: "probability",
    formula: "availability.node",
    place: { file: `${name}.yaml`, path: "slo.cluster.availability" },
    source: "formula",
  });

  it("when one model's evaluation throws a bug then the others are still checked and the exit code is 3", async () => {
    const report = await checkModels(["a", "boom", "c"], (file) => {
      if (file === "boom") throw new TypeError("cannot read properties of undefined");
      return { model: model(file, 1), results: [result(file, "pass")] };
    });
    expect(report.models.map((m) => m.name)).toEqual(["a", "c"]);
    expect(report.errors).toEqual([
      { file: "boom", message: "boom: internal error: cannot read properties of undefined", kind: "internal" },
    ]);
    expect(report.exitCode).toBe(3);
    expect(report.pass).toBe(false);
  });

  it("when a model is invalid then it is reported with its place and the exit code is 2", async () => {
    const report = await checkModels(["bad"], () => {
      throw new InputError("expected a whole number ≥ 1, got 0", { file: "bad.yaml", line: 3, column: 10, path: "cluster.nodes" });
    });
    expect(report.errors[0]).toMatchObject({ file: "bad.yaml", line: 3, column: 10, kind: "invalid" });
    expect(report.exitCode).toBe(2);
  });

  it("when a model has no thresholds then the gate fails (exit 1) unless empty models are allowed", async () => {
    const check = () => ({ model: model("m", 0), results: [] });
    expect((await checkModels(["m"], check)).exitCode).toBe(1);
    expect((await checkModels(["m"], check, { allowEmpty: true })).exitCode).toBe(0);
  });

  it("when a verdict is inconclusive then the gate fails unless inconclusive verdicts are allowed", async () => {
    const check = () => ({ model: model("m", 1), results: [result("m", "inconclusive")] });
    const report = await checkModels(["m"], check);
    expect([report.met, report.violated, report.inconclusive, report.exitCode]).toEqual([0, 0, 1, 1]);
    expect((await checkModels(["m"], check, { allowInconclusive: true })).exitCode).toBe(0);
  });
});
