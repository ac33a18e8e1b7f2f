/**
 * Analytic against simulated, metric by metric, with a verdict. For the model's own
 * formula of a metric (a *primary* row):
 *
 *   agrees          |t| ≤ t*, t = (simulated − analytic) / standard error of the simulation
 *   disagrees       |t| > t*: by how many standard errors, and which way — the formula is
 *                   optimistic (it claims less unavailability, loss or retry failure, or
 *                   a longer MTTF, than the simulation shows) or pessimistic
 *   too few events  the simulation rests on fewer events than its interval needs
 *
 * For the simpler formulas shown beside it (k-of-n and the article's parallel formula
 * beside the Markov chain), which leave part of the model out on purpose, the row is a
 * *comparison*: "agrees", or "optimistic"/"pessimistic" by so many nines, with what the
 * formula ignores — never a "disagrees", which is reserved for the model's own formula.
 *
 * t* is Bonferroni-corrected so that a correct model gets a false "disagrees" anywhere in
 * one report with probability at most 1 %: t* = the Student-t quantile at 1 − 0.005/(2m)
 * for m metrics compared, with the degrees of freedom of that metric's interval (the
 * normal quantile for Wilson intervals), and never below 3. The printed interval is still
 * the 95 % one. Comparisons are made on the small complements (unavailability, loss,
 * retry failure).
 */
import { inDisplayOrder, type MetricId, metricSpec, nines } from "../metrics/index.js";
import type { Metrics, MetricValue } from "../model/evaluate.js";
import type { Estimate, SimulationSummary } from "../sim/estimate/estimate.js";
import { normalQuantile } from "../stats/normalQuantile.js";
import { studentTQuantile } from "../stats/studentTQuantile.js";
import { wilsonInterval } from "../stats/wilsonInterval.js";

/**
 * Nominal family-wise probability of a false disagreement in one report. Half the 1 % the
 * manual promises (docs/simulator.md "Reading a verdict"): ratio estimators (MTTF, per-run shares) are skewed, which pushes the
 * realised rate above nominal (bench/coverage.mjs measured 1.25 % at a nominal 1 %).
 */
export const FAMILY_ERROR = 0.005;

/** t* for m comparisons at the given degrees of freedom (Infinity: the normal quantile). */
export function agreementThreshold(comparisons: number, degreesOfFreedom = Number.POSITIVE_INFINITY): number {
  const p = 1 - FAMILY_ERROR / (2 * Math.max(1, comparisons));
  return Math.max(3, Number.isFinite(degreesOfFreedom) ? studentTQuantile(p, degreesOfFreedom) : normalQuantile(p));
}

export type Verdict = "agrees" | "disagrees" | "optimistic" | "pessimistic" | "too few events" | "not simulated" | "simulated only";

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
  /** for comparison rows: what the simpler formula leaves out */
  readonly ignores?: readonly string[];
  readonly note?: string;
}

/** Everything `validate` concludes: the rows and what they add up to. */
export interface Validation {
  readonly rows: readonly Comparison[];
  /** metrics compared (the m of the Bonferroni correction) */
  readonly compared: number;
  /** does a model's own formula disagree with the simulation? */
  readonly disagreement: boolean;
  /** primary rows that could be judged (agrees or disagrees); 0: the report made no claim */
  readonly judged: number;
  /** metrics whose simulation rests on too few events to judge */
  readonly tooFewEvents: readonly MetricId[];
}

export function compareMetrics(
  analytic: Metrics,
  summary: SimulationSummary,
  /** why the model has no exact value for a metric it simulates (model/evaluate.ts metricsOnlySimulated) */
  onlySimulated: ReadonlyMap<MetricId, string> = new Map(),
): Validation {
  const rows: Comparison[] = [];
  const simulatedIds = (Object.keys(summary.metrics) as MetricId[]).filter((id) => summary.metrics[id] !== undefined);
  const compared = [...analytic.keys()].filter((metric) => summary.metrics[metric] !== undefined).length;
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
    rows.push(compareOne(metric, value, simulated, compared, true));
    for (const alternative of value.alternatives ?? []) {
      const { formula, value: claimed, complement, nines: claimedNines, ignores } = alternative;
      rows.push({
        ...compareOne(metric, { formula, value: claimed, complement, nines: claimedNines }, simulated, compared, false),
        ignores,
      });
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
      // eval's note says "simulated only: …"; the verdict says that already
      note:
        onlySimulated
          .get(metric)
          ?.replace(/^simulated only: /, "")
          .replace(/ — mqrel simulate estimates it$/, "") ??
        metricSpec(metric).noFormula ??
        "no closed-form model in the catalog",
    });
  }
  return {
    rows,
    compared,
    disagreement: rows.some((row) => row.primary && row.verdict === "disagrees"),
    judged: rows.filter((row) => row.primary && (row.verdict === "agrees" || row.verdict === "disagrees")).length,
    tooFewEvents: [...new Set(rows.filter((row) => row.verdict === "too few events").map((row) => row.metric))],
  };
}

function compareOne(metric: MetricId, value: MetricValue, simulated: Estimate, compared: number, primary: boolean): Comparison {
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
  const threshold = agreementThreshold(compared, simulated.degreesOfFreedom);
  // Proportions of independent trials: the Wilson interval at t*, which, unlike z, stays
  // honest when only a few failures were seen.
  // A formula that states the error of its own approximation (errorEstimate, on the
  // compared quantity) agrees when the gap is within the statistical band plus that error.
  const stated = value.errorEstimate ?? 0;
  const agrees =
    simulated.trials !== undefined
      ? proportionAgrees(analytic, simulated.events, simulated.trials, threshold)
      : Math.abs(z) <= threshold || (stated > 0 && Math.abs(difference) <= threshold * se + stated);
  if (agrees) return { ...base, z, verdict: "agrees" };
  // The compared quantity is worse when larger (a complement, a loss, a downtime) unless
  // the metric itself is better when higher (an MTTF).
  const largerIsWorse = onComplement || spec.better === "lower";
  const direction = (largerIsWorse ? difference > 0 : difference < 0) ? "optimistic" : "pessimistic";
  return { ...base, z, verdict: primary ? "disagrees" : direction, direction };
}

/**
 * Does a count of failures in independent trials agree with the analytic probability?
 * Wilson's interval at t*; but when few failures are expected its coverage fails (one
 * failure where 0.06 are expected puts p below Wilson's lower bound, which happens 6 % of
 * the time), so a count of at most {@link EXACT_COUNT} is judged by the exact binomial
 * tails instead: it agrees unless P(X ≥ k) or P(X ≤ k) under p is below the two-sided
 * level t* stands for, 2·(1 − Φ(t*)).
 */
function proportionAgrees(p: number, failures: number, trials: number, threshold: number): boolean {
  if (failures > EXACT_COUNT || !(p > 0 && p < 1)) return within(p, wilsonInterval(failures, trials, threshold));
  const level = 2 * normalUpperTail(threshold);
  // P(X ≤ k − 1) and P(X = k) by the pmf's recurrence from (1 − p)^n
  let pmf = Math.exp(trials * Math.log1p(-p));
  let below = 0;
  for (let j = 0; j < failures; j++) {
    below += pmf;
    pmf *= ((trials - j) / (j + 1)) * (p / (1 - p));
  }
  const atMost = below + pmf; // P(X ≤ k)
  const atLeast = 1 - below; // P(X ≥ k)
  return atMost > level / 2 && atLeast > level / 2;
}

/** Counts up to this are judged by exact binomial tails. */
const EXACT_COUNT = 1000;

/**
 * 1 − Φ(z) for z ≥ 3 (t* never goes below 3): φ(z) times Mills' ratio by its continued
 * fraction 1/(z + 1/(z + 2/(z + 3/(z + …)))) (Abramowitz & Stegun 26.2.14), 80 terms
 * evaluated from the tail: below 1e-15 relative error there.
 */
function normalUpperTail(z: number): number {
  let tail = z;
  for (let i = 80; i >= 1; i--) tail = z + i / tail;
  return Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI) / tail;
}

function within(x: number, [low, high]: readonly [number, number]): boolean {
  return x >= low && x <= high;
}
