/**
 * Analytic against simulated, metric by metric, with a verdict:
 *
 *   agrees          |z| ≤ z*, z = (simulated − analytic) / standard error of the simulation
 *   disagrees       |z| > z*: by how many standard errors, and which way — the formula is
 *                   optimistic (it claims less unavailability, loss or retry failure, or
 *                   a longer MTTF, than the simulation shows) or pessimistic
 *   too few events  the simulation rests on fewer events than its interval needs
 *
 * z* is Bonferroni-corrected so that a correct model gets a false "disagrees" anywhere in
 * one report with probability at most 1 %: z* = Φ⁻¹(1 − 0.01 / (2m)) for m metrics
 * compared (3.09 for five), and never below 3. The printed interval is still the 95 % one.
 * Comparisons are made on the small complements (unavailability, loss, retry failure).
 */
import { inDisplayOrder, type MetricId, metricSpec, nines } from "../metrics/index.js";
import type { Metrics, MetricValue } from "../model/metrics.js";
import { type Estimate, type SimulationSummary, wilson } from "../sim/estimate.js";

/** Family-wise probability of a false disagreement in one report. */
export const FAMILY_ERROR = 0.01;

/** z* for m comparisons (see above). */
export function agreementThreshold(comparisons: number): number {
  return Math.max(3, normalQuantile(1 - FAMILY_ERROR / (2 * Math.max(1, comparisons))));
}

/**
 * Φ⁻¹(p), the standard normal quantile (Acklam's rational approximation, relative error
 * below 1.15e-9; P. J. Acklam, "An algorithm for computing the inverse normal cumulative
 * distribution function", 2003).
 */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (coefficients: number[], x: number) => coefficients.reduce((acc, coefficient) => acc * x + coefficient, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

export type Verdict = "agrees" | "disagrees" | "too few events" | "not simulated" | "simulated only";

export interface Comparison {
  readonly metric: MetricId;
  readonly formula: string;
  /** the model's own formula for the metric (false: a simpler alternative shown beside it) */
  readonly primary: boolean;
  /** analytic value and its complement (NaN: no formula) */
  readonly analytic: number;
  readonly analyticComplement?: number;
  readonly simulated?: Estimate;
  readonly verdict: Verdict;
  /** (simulated − analytic) / standard error, on the compared quantity */
  readonly z?: number;
  /** "optimistic" or "pessimistic" for a disagreement */
  readonly direction?: "optimistic" | "pessimistic";
  /** nines the formula claims, and the simulation shows (metrics shown as nines) */
  readonly analyticNines?: number;
  readonly simulatedNines?: number;
  /** how many nines the formula claims beyond the simulation */
  readonly overstatesNines?: number;
  readonly note?: string;
}

/** Everything `validate` concludes: the rows and what they add up to. */
export interface Validation {
  readonly rows: readonly Comparison[];
  /** z* used for the verdicts */
  readonly agreementThreshold: number;
  /** does a model's own formula disagree with the simulation? */
  readonly disagreement: boolean;
  /** metrics whose simulation rests on too few events to judge */
  readonly tooFewEvents: readonly MetricId[];
}

export function compareMetrics(analytic: Metrics, summary: SimulationSummary): Validation {
  const rows: Comparison[] = [];
  const simulatedIds = (Object.keys(summary.metrics) as MetricId[]).filter((id) => summary.metrics[id] !== undefined);
  const threshold = agreementThreshold([...analytic.keys()].filter((metric) => summary.metrics[metric] !== undefined).length);
  for (const [metric, value] of inDisplayOrder(analytic)) {
    const simulated = summary.metrics[metric];
    if (simulated === undefined) {
      rows.push({
        metric,
        formula: value.formula,
        primary: true,
        analytic: value.value,
        ...(value.complement !== undefined ? { analyticComplement: value.complement } : {}),
        ...(value.nines !== undefined ? { analyticNines: value.nines } : {}),
        verdict: "not simulated",
        note: metricSpec(metric).notSimulated ?? "the simulator has no mechanism for this metric",
      });
      continue;
    }
    rows.push(compareOne(metric, value, simulated, threshold, true));
    for (const alternative of value.alternatives ?? []) {
      const { formula, value: claimed, complement, nines: claimedNines } = alternative;
      rows.push(compareOne(metric, { formula, value: claimed, complement, nines: claimedNines }, simulated, threshold, false));
    }
  }
  for (const metric of simulatedIds) {
    if (analytic.has(metric)) continue;
    rows.push({
      metric,
      formula: "—",
      primary: true,
      analytic: Number.NaN,
      simulated: summary.metrics[metric] as Estimate,
      verdict: "simulated only",
      note: metricSpec(metric).noFormula ?? "no closed-form model in the catalog",
    });
  }
  return {
    rows,
    agreementThreshold: threshold,
    disagreement: rows.some((row) => row.primary && row.verdict === "disagrees"),
    tooFewEvents: [...new Set(rows.filter((row) => row.verdict === "too few events").map((row) => row.metric))],
  };
}

function compareOne(metric: MetricId, value: MetricValue, simulated: Estimate, threshold: number, primary: boolean): Comparison {
  const spec = metricSpec(metric);
  const onComplement = spec.onComplement;
  const analytic = onComplement ? (value.complement as number) : value.value;
  const estimate = onComplement ? (simulated.complement as number) : simulated.estimate;
  const simulatedNines = spec.nines ? nines(simulated.complement as number) : undefined;
  const base = {
    metric,
    formula: value.formula,
    primary,
    analytic: value.value,
    ...(value.complement !== undefined ? { analyticComplement: value.complement } : {}),
    simulated,
    ...(value.nines !== undefined && simulatedNines !== undefined
      ? { analyticNines: value.nines, simulatedNines, overstatesNines: value.nines - simulatedNines }
      : {}),
  };
  const se = simulated.standardError;
  const difference = estimate - analytic;
  const z = se > 0 ? difference / se : difference === 0 ? 0 : Number.POSITIVE_INFINITY * Math.sign(difference);
  if (!simulated.enough) return { ...base, z, verdict: "too few events" };
  // Proportions of independent trials: the Wilson interval at z*, which, unlike z, stays
  // honest when only a few failures were seen.
  const agrees =
    simulated.trials !== undefined ? within(analytic, wilson(simulated.events, simulated.trials, threshold)) : Math.abs(z) <= threshold;
  if (agrees) return { ...base, z, verdict: "agrees" };
  // The compared quantity is worse when larger (a complement, a loss, a downtime) unless
  // the metric itself is better when higher (an MTTF).
  const largerIsWorse = onComplement || spec.better === "lower";
  const simulationWorse = largerIsWorse ? difference > 0 : difference < 0;
  return { ...base, z, verdict: "disagrees", direction: simulationWorse ? "optimistic" : "pessimistic" };
}

function within(x: number, [low, high]: readonly [number, number]): boolean {
  return x >= low && x <= high;
}
