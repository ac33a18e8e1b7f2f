/**
 * The `count` SLO grammar (fleet.partitions_unavailable): a plain number ≥ 0, compared as
 * it is; units, negative numbers and nines are refused. Expected values by hand.
 */
import { describe, expect, it } from "vitest";
import { ExpressionError } from "../../src/expr/expression.js";
import { METRIC, metricSpec } from "../../src/metrics/registry.js";
import { compare, parseThreshold } from "../../src/metrics/threshold.js";

describe("count thresholds", () => {
  it("reads a plain number and compares the value itself", () => {
    const threshold = parseThreshold("<= 0.5", metricSpec(METRIC.fleetPartitionsUnavailable).slo);
    expect(threshold.target).toBe(0.5);
    expect(compare(threshold, 0.25, undefined)).toEqual({ pass: true, margin: 0.25 });
    expect(compare(threshold, 2, undefined)).toEqual({ pass: false, margin: -1.5 });
  });

  it("refuses units, negative counts and nines with one line", () => {
    expect(() => parseThreshold("<= 2 h", "count")).toThrow(ExpressionError);
    expect(() => parseThreshold("<= -1", "count")).toThrow(/a plain number ≥ 0/);
    expect(() => parseThreshold(">= 3 nines", "count")).toThrow(/nines/);
  });

  it("registers the six fleet metrics of the fleet block", () => {
    const ids = Object.values(METRIC).filter((id) => id.startsWith("fleet."));
    expect(ids).toHaveLength(6);
    for (const id of ids) expect(metricSpec(id).block).toBe("fleet");
  });
});
