/**
 * Ratio estimators r = Σa/Σb with Student's t intervals, over runs or regeneration cycles
 * (estimate.ts's module comment says when each is the unit). Over runs, whose third
 * moments are kept, the interval is corrected for the residuals' skewness by Hall's
 * transformation (src/stats/hallInterval.ts): with t at the same degrees of freedom, it is
 * the t interval when the skewness is 0, and shifts towards the long tail otherwise
 * (issue 22: a rare, long mechanism skews the studentized ratio, and a symmetric t
 * interval covered 91 % on a zones model at 100 runs).
 */
import { CONFIDENCE } from "../../stats/confidence.js";
import { hallInterval } from "../../stats/hallInterval.js";
import type { RatioSumsData } from "../../stats/ratioEstimate.js";
import { ratioEstimate, ratioResidualSkewness } from "../../stats/ratioEstimate.js";
import { studentTQuantile } from "../../stats/studentTQuantile.js";
import { RUN_RECORD } from "../kernel/plainRun.js";
import type { EstimateBasis } from "./estimate.js";
import type { RunPair, RunTotals } from "./runTotals.js";

/** A ratio estimate with the units its standard error came from. */
export interface Ratio {
  readonly value: number;
  readonly standardError: number;
  readonly degreesOfFreedom: number;
  readonly unit: "runs" | "regeneration cycles";
  readonly units: number;
  /** the residuals' skewness (runs as units, where the third moments are kept and numerically sound) */
  readonly skewness?: number;
}

export function ratio(sums: RatioSumsData, unit: Ratio["unit"]): Ratio {
  const degreesOfFreedom = Math.max(1, sums.count - 1);
  if (sums.count < 2 || !(sums.sumDenominator > 0)) {
    // One unit, or nothing in the denominator (no quorum loss yet for an MTTF): no interval.
    const value =
      sums.sumDenominator > 0 ? sums.sumNumerator / sums.sumDenominator : sums.sumNumerator > 0 ? Number.POSITIVE_INFINITY : Number.NaN;
    return { value, standardError: Number.POSITIVE_INFINITY, degreesOfFreedom, unit, units: sums.count };
  }
  const r = ratioEstimate(sums);
  const skewness = ratioResidualSkewness(sums);
  return {
    value: r.value,
    standardError: r.standardError,
    degreesOfFreedom,
    unit,
    units: sums.count,
    ...(skewness !== undefined ? { skewness } : {}),
  };
}

/** The segment (regeneration cycle) sums of a per-time quantity, from the totals. */
export function segmentRatio(totals: RunTotals, sum: number, sumSquares: number, sumWithLength: number): Ratio {
  return ratio(
    {
      count: totals.sum(RUN_RECORD.segments),
      sumNumerator: totals.sum(sum),
      sumDenominator: totals.sum(RUN_RECORD.sumSegmentLength),
      sumNumeratorSquared: totals.sum(sumSquares),
      sumDenominatorSquared: totals.sum(RUN_RECORD.sumSegmentLengthSquared),
      sumProduct: totals.sum(sumWithLength),
    },
    "regeneration cycles",
  );
}

export function runRatio(totals: RunTotals, pair: RunPair): Ratio {
  return ratio(totals.runRatio(pair), "runs");
}

/**
 * value ± t·SE — skewness-corrected by Hall's transformation when the ratio's skewness is
 * known — clipped to [low, high]; null when there is no standard error.
 */
export function interval(r: Ratio, low = 0, high = Number.POSITIVE_INFINITY): readonly [number, number] | null {
  if (!Number.isFinite(r.standardError) || !Number.isFinite(r.value)) return null;
  const t = studentTQuantile((1 + CONFIDENCE) / 2, r.degreesOfFreedom);
  const [a, b] =
    r.skewness !== undefined && r.standardError > 0
      ? hallInterval(r.value, r.standardError, r.skewness, r.units, t)
      : [r.value - t * r.standardError, r.value + t * r.standardError];
  return [Math.max(low, a), Math.min(high, b)];
}

/** A ratio's units, as an estimate's basis says them (with the skewness its interval was corrected for). */
export function unitsOf(r: Ratio): Pick<EstimateBasis, "unit" | "units" | "degreesOfFreedom" | "skewness"> {
  return {
    unit: r.unit,
    units: r.units,
    degreesOfFreedom: r.degreesOfFreedom,
    ...(r.skewness !== undefined ? { skewness: r.skewness } : {}),
  };
}
