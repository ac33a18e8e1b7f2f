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
import { nines } from "../catalog.js";
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
  readonly metric: string;
  readonly formula: string;
  /** the model's own formula for the metric (false: a simpler alternative shown beside it) */
  readonly primary: boolean;
  /** analytic value and its complement */
  readonly analytic: number;
  readonly analyticComplement?: number;
  readonly simulated?: Estimate;
  readonly verdict: Verdict;
  /** (simulated − analytic) / standard error, on the compared quantity */
  readonly z?: number;
  /** "optimistic" or "pessimistic" for a disagreement */
  readonly direction?: "optimistic" | "pessimistic";
  /** how many nines the formula claims beyond the simulation (availability-like metrics) */
  readonly overstatesNines?: number;
  readonly note?: string;
}

/** For these metrics a larger compared value is worse (unavailability, loss, failure). */
const COMPARED_ON_COMPLEMENT = new Set(["cluster.availability", "retry.success"]);

export function compareMetrics(analytic: Metrics, summary: SimulationSummary): Comparison[] {
  const rows: Comparison[] = [];
  const threshold = agreementThreshold([...analytic.keys()].filter((metric) => summary.metrics[metric] !== undefined).length);
  for (const [metric, value] of analytic) {
    const simulated = summary.metrics[metric];
    if (simulated === undefined) {
      rows.push({
        metric,
        formula: value.formula,
        primary: true,
        analytic: value.value,
        ...(value.complement !== undefined ? { analyticComplement: value.complement } : {}),
        verdict: "not simulated",
        note: NOT_SIMULATED[metric] ?? "the simulator has no mechanism for this metric",
      });
      continue;
    }
    rows.push(compareOne(metric, value, simulated, threshold, true));
    if (metric === "cluster.availability") {
      for (const alternative of value.alternatives ?? []) {
        rows.push(
          compareOne(
            metric,
            { value: alternative.value, complement: alternative.complement, formula: alternative.formula, unit: "probability" },
            simulated,
            threshold,
            false,
          ),
        );
      }
    }
  }
  for (const [metric, simulated] of Object.entries(summary.metrics)) {
    if (!analytic.has(metric)) {
      rows.push({
        metric,
        formula: "—",
        primary: true,
        analytic: Number.NaN,
        simulated,
        verdict: "simulated only",
        note: "no closed-form model in the catalog",
      });
    }
  }
  return rows;
}

const NOT_SIMULATED: Record<string, string> = {
  "node.availability": "a single node's availability is the model's input",
  "persistence.reliability": "the article's persistence formula takes probabilities, not mechanics: see message.loss",
  "ack.reliability": "the article's ack formula takes probabilities, not mechanics: see message.loss and retry.success",
};

function compareOne(metric: string, value: MetricValue, simulated: Estimate, threshold: number, primary: boolean): Comparison {
  const onComplement = COMPARED_ON_COMPLEMENT.has(metric);
  const analytic = onComplement ? (value.complement as number) : value.value;
  const estimate = onComplement ? (simulated.complement as number) : simulated.estimate;
  const base = {
    metric,
    formula: value.formula,
    primary,
    analytic: value.value,
    ...(value.complement !== undefined ? { analyticComplement: value.complement } : {}),
    simulated,
    ...(onComplement && metric === "cluster.availability" ? { overstatesNines: nines(analytic) - nines(estimate) } : {}),
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
  // Larger is worse for every compared quantity except the MTTF.
  const simulationWorse = metric === "cluster.mttf" ? difference < 0 : difference > 0;
  return { ...base, z, verdict: "disagrees", direction: simulationWorse ? "optimistic" : "pessimistic" };
}

function within(x: number, [low, high]: readonly [number, number]): boolean {
  return x >= low && x <= high;
}

/** Does the model's own formula disagree anywhere? (exit 1 under `validate --assume formula`) */
export function anyDisagreement(rows: readonly Comparison[]): boolean {
  return rows.some((row) => row.primary && row.verdict === "disagrees");
}
