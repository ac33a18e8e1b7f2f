/**
 * Command-line targets (src/slo/targets.ts): "<metric> <op> <value>" split and read with
 * the slo: grammar, and the sets of targets refused — a metric bounded twice on one side,
 * or from both sides with no value between. The expected verdicts are worked out by hand
 * in each case's comment (the bounds' values, and whether either is strict).
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { METRIC } from "../../src/metrics/index.js";
import { checkTargetSet, parseTarget, splitTarget, type Target } from "../../src/slo/targets.js";

function target(text: string): Target {
  const { metric, threshold } = splitTarget(text);
  if (metric === undefined) throw new Error(`no metric in ${text}`);
  return parseTarget(metric, threshold);
}

function refusal(texts: readonly string[]): string | undefined {
  try {
    checkTargetSet(texts.map(target));
    return undefined;
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
}

describe("splitTarget", () => {
  it("when a target names its metric then the metric and the threshold after it are returned, with or without spaces", () => {
    expect(splitTarget("message.loss <= 1e-12")).toEqual({ metric: METRIC.messageLoss, threshold: "<= 1e-12" });
    expect(splitTarget("  cluster.availability>=99.99%")).toEqual({ metric: METRIC.clusterAvailability, threshold: ">=99.99%" });
    expect(splitTarget("cluster.availability ≥ 4 nines")).toEqual({ metric: METRIC.clusterAvailability, threshold: "≥ 4 nines" });
  });

  it("when a target starts with an operator then it names no metric and is returned whole", () => {
    expect(splitTarget(">= 99.99%")).toEqual({ threshold: ">= 99.99%" });
  });

  it("when the metric is unknown then the error suggests the closest id; when no operator follows, it says so", () => {
    const unknown = (() => {
      try {
        splitTarget("message.los <= 1e-12");
      } catch (error) {
        return error as InputError;
      }
    })();
    expect(unknown?.suggestion).toBe(METRIC.messageLoss);
    expect(() => splitTarget("message.loss 1e-12")).toThrow(/expected an operator and a value after message\.loss/);
  });

  it("when the threshold does not fit the metric's grammar then parseTarget refuses it with the grammar's message", () => {
    expect(() => parseTarget(METRIC.messageLoss, "<= 3 nines")).toThrow(/"nines" apply to availability and reliability metrics only/);
    expect(parseTarget(METRIC.clusterMttf, ">= 10 years").threshold.target).toBe(87_660); // 10 × 8766 h
  });
});

describe("checkTargetSet", () => {
  it("when every target is on its own metric then the set is accepted", () => {
    expect(refusal(["cluster.availability >= 99.99%", "message.loss <= 1e-12", "cluster.mttf >= 1 year"])).toBeUndefined();
  });

  it("when a metric is bounded from both sides with room between then the set is accepted", () => {
    // 1e-15 ≤ loss ≤ 1e-12: a non-empty interval
    expect(refusal(["message.loss >= 1e-15", "message.loss <= 1e-12"])).toBeUndefined();
    // 4 nines is 1 − 1e-4 = 99.99%: both inclusive, the one value 99.99% meets both
    expect(refusal(["cluster.availability >= 4 nines", "cluster.availability <= 99.99%"])).toBeUndefined();
  });

  it("when the bounds leave no value then the set is refused as contradicting", () => {
    // loss ≤ 1e-12 and loss ≥ 1e-9: 1e-9 > 1e-12
    expect(refusal(["message.loss <= 1e-12", "message.loss >= 1e-9"])).toMatch(/contradict: no value of message\.loss meets both$/);
    // equal bounds, one strict: availability > 99.99% and ≤ 99.99% (compared on complements, 1e-4 both)
    expect(refusal(["cluster.availability > 99.99%", "cluster.availability <= 4 nines"])).toMatch(/contradict/);
    // a duration: mttf ≥ 2 years and < 1 year
    expect(refusal(["cluster.mttf >= 2 years", "cluster.mttf < 1 year"])).toMatch(/contradict/);
  });

  it("when a metric is bounded twice from the same side then the set is refused: give the stricter one once", () => {
    expect(refusal(["message.loss <= 1e-12", "message.loss < 1e-9"])).toMatch(
      /bound message\.loss twice from above: give the stricter one once$/,
    );
    expect(refusal(["cluster.availability >= 99.9%", "cluster.availability >= 99.9%"])).toMatch(/twice from below/);
  });
});
