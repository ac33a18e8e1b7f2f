/**
 * `mqrel sweep`: the model's metrics at every value of one or two varied fields.
 *
 * Each point is the model file with the user's `--set` overrides and the point's values
 * applied, resolved and evaluated exactly as `mqrel eval --set` would. A point the
 * loader refuses (4 nodes with a quorum of 5) is kept as a row with the reason. For each
 * metric with an SLO in the model, every row says whether it meets it, and the first
 * row that does (along the first varied field, for each value of the second) is marked.
 * The chart data — the metric to plot, on which scale — is decided here too, so that
 * the renderers only draw.
 */
import { InputError } from "../common/errors.js";
import { inDisplayOrder, METRIC, type MetricId, metricSpec, nines, type Threshold } from "../metrics/index.js";
import type { Model } from "../model/index.js";
import type { Estimate, EstimateBasis, SimulationSummary } from "../sim/estimate/estimate.js";
import { type Evaluator, judge, type MetricReading, missingMetric, readMetric, score } from "./evaluate.js";
import type { Variation, VariedValue } from "./vary.js";

/** A simulated estimate at a point, beside the analytic value. */
export interface SimulatedReading {
  readonly estimate: number;
  readonly ci: readonly [number, number] | null;
  readonly complement?: number;
  readonly complementCi?: readonly [number, number] | null;
  readonly events: number;
  readonly enough: boolean;
  /** how the estimate was made (src/report writes the sentence) */
  readonly basis: EstimateBasis;
  readonly varianceReduction?: number;
  /** the estimate's score in decades, as {@link MetricReading.score} */
  readonly score: number;
  /** the interval as scores (nines for availability-like metrics), low to high; null ends: no failure seen */
  readonly scoreCi?: readonly [number | null, number | null];
}

export interface SweepCell extends MetricReading {
  /** the model's SLO for this metric, met here? (absent: no SLO) */
  readonly meets?: boolean;
  readonly margin?: number;
  /** the first value of the first varied field, in this series, that meets the SLO */
  readonly firstToMeet?: boolean;
  readonly simulated?: SimulatedReading;
}

export interface SweepRow {
  /** the varied fields' values, in --vary order */
  readonly params: readonly { readonly path: string; readonly value: VariedValue }[];
  /** index of the second varied field's value (0 with one --vary) */
  readonly series: number;
  readonly metrics: ReadonlyMap<MetricId, SweepCell>;
  /** why the model loader refused this point */
  readonly error?: string;
  /** the resolved model (for simulating the point) */
  readonly model?: Model;
}

export type ChartScale = "nines" | "log10" | "linear";

export interface SweepChart {
  readonly metric: MetricId;
  readonly scale: ChartScale;
  /** one line per value of the second varied field */
  readonly series: readonly { readonly label: string; readonly y: readonly (number | null)[] }[];
  /** the first varied field's values, in order (the x axis) */
  readonly x: readonly VariedValue[];
  /** the SLO threshold on the same scale */
  readonly threshold?: number;
}

export interface SweepResult {
  readonly model: { readonly name: string; readonly file: string };
  readonly varies: readonly Variation[];
  readonly metrics: readonly MetricId[];
  readonly thresholds: ReadonlyMap<MetricId, Threshold>;
  readonly rows: readonly SweepRow[];
  readonly chart?: SweepChart;
  /** true when Ctrl-C stopped a simulated sweep: the rows after the last simulated one have no estimates */
  readonly interrupted?: boolean;
}

/**
 * At most this many points in one sweep (two fields of 100 values): 1000 × 1000 points
 * run for hours and print a table nobody reads.
 */
export const MAX_SWEEP_POINTS = 10_000;

/**
 * One or two different fields, at most {@link MAX_SWEEP_POINTS} points in all.
 * @throws InputError naming --vary
 */
export function checkSweepSize(varies: readonly Variation[]): void {
  if (varies.length === 0 || varies.length > 2) throw new InputError("give one or two --vary", { path: "--vary" });
  if (varies.length === 2 && varies[0]?.path === varies[1]?.path)
    throw new InputError("the two --vary name the same field", { path: "--vary" });
  const counts = varies.map((v) => v.values.length);
  const points = counts.reduce((a, b) => a * b, 1);
  if (points > MAX_SWEEP_POINTS) {
    throw new InputError(
      `${counts.join(" × ")} = ${points} points; a sweep has at most ${MAX_SWEEP_POINTS}: take a coarser step (from..to:step, from..to:*factor) or fewer values`,
      { path: "--vary" },
    );
  }
}

/**
 * Evaluate the model across the variations.
 * @throws InputError when a requested metric is not computed at any point, or every point is refused
 */
export function sweep(evaluator: Evaluator, varies: readonly Variation[], requested: readonly MetricId[] = []): SweepResult {
  checkSweepSize(varies);
  const { model: base } = evaluator.base();
  const [first, second] = varies as [Variation, Variation | undefined];
  const rows: SweepRow[] = [];
  const secondValues = second?.values ?? [undefined];
  secondValues.forEach((secondValue, series) => {
    for (const value of first.values) {
      const params = [{ path: first.path, value }, ...(second && secondValue ? [{ path: second.path, value: secondValue }] : [])];
      const point = evaluator.at(params.map((p) => ({ path: p.path, value: p.value.text, flag: "--vary" })));
      if (!point.ok) {
        rows.push({ params, series, metrics: new Map(), error: point.reason });
        continue;
      }
      const metrics = new Map<MetricId, SweepCell>();
      for (const [id] of inDisplayOrder(point.metrics)) {
        const reading = readMetric(point.metrics, id) as MetricReading;
        const threshold = base.slo.find((entry) => entry.metric === id)?.threshold;
        if (threshold === undefined) metrics.set(id, reading);
        else {
          const { pass, margin } = judge(threshold, reading);
          metrics.set(id, { ...reading, meets: pass, margin });
        }
      }
      rows.push({ params, series, metrics, model: point.model });
    }
  });
  const valid = rows.filter((row) => row.error === undefined);
  if (valid.length === 0) {
    const refused = evaluator.at(rows[0]?.params.map((p) => ({ path: p.path, value: p.value.text, flag: "--vary" })) ?? []);
    if (!refused.ok) throw refused.error;
  }
  const computed = new Set(valid.flatMap((row) => [...row.metrics.keys()]));
  for (const id of requested) if (!computed.has(id)) throw missingMetric(evaluator.source, id);
  const metrics = inDisplayOrder(
    [...computed].filter((id) => requested.length === 0 || requested.includes(id)).map((id) => [id, 0] as const),
  ).map(([id]) => id);
  const thresholds = new Map(base.slo.filter((entry) => metrics.includes(entry.metric)).map((entry) => [entry.metric, entry.threshold]));
  const marked = markFirstToMeet(rows, metrics);
  // without --metric: the cluster's availability, or a fleet's, else the first metric
  const chartMetric =
    requested[0] ?? [METRIC.clusterAvailability, METRIC.fleetAvailability].find((id) => metrics.includes(id)) ?? metrics[0];
  return {
    model: { name: base.name, file: base.file },
    varies,
    metrics,
    thresholds,
    rows: marked,
    ...(chartMetric !== undefined ? { chart: chartOf(marked, varies, chartMetric, thresholds.get(chartMetric)) } : {}),
  };
}

function markFirstToMeet(rows: readonly SweepRow[], metrics: readonly MetricId[]): SweepRow[] {
  const found = new Set<string>();
  return rows.map((row) => {
    const cells = new Map<MetricId, SweepCell>();
    for (const [id, cell] of row.metrics) {
      if (!metrics.includes(id)) continue;
      const key = `${row.series}:${id}`;
      if (cell.meets === true && !found.has(key)) {
        found.add(key);
        cells.set(id, { ...cell, firstToMeet: true });
      } else cells.set(id, cell);
    }
    return { ...row, metrics: cells };
  });
}

/** The scale a metric is plotted on: nines for availability-like metrics, log10 when it spans two decades or more. */
function scaleOf(metric: MetricId, values: readonly number[]): ChartScale {
  if (metricSpec(metric).nines) return "nines";
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length >= 2 && Math.max(...positive) / Math.min(...positive) >= 100) return "log10";
  return "linear";
}

function onScale(scale: ChartScale, metric: MetricId, reading: { value: number; complement?: number }): number | null {
  let y: number;
  if (scale === "nines") y = score(metric, reading.value, reading.complement);
  else if (scale === "log10") y = reading.value > 0 ? Math.log10(reading.value) : Number.NaN;
  else y = reading.value;
  return Number.isFinite(y) ? y : null;
}

function chartOf(rows: readonly SweepRow[], varies: readonly Variation[], metric: MetricId, threshold: Threshold | undefined): SweepChart {
  const [first, second] = varies as [Variation, Variation | undefined];
  const values = rows.flatMap((row) => {
    const cell = row.metrics.get(metric);
    return cell ? [cell.value] : [];
  });
  const scale = scaleOf(metric, values);
  const series = (second?.values ?? [undefined]).map((secondValue, index) => ({
    label: secondValue === undefined ? metric : `${second?.path}=${secondValue.text}`,
    y: rows
      .filter((row) => row.series === index)
      .map((row) => {
        const cell = row.metrics.get(metric);
        return cell ? onScale(scale, metric, cell) : null;
      }),
  }));
  let thresholdY: number | undefined;
  if (threshold !== undefined) {
    if (scale === "nines")
      thresholdY = threshold.nines ?? (threshold.targetComplement !== undefined ? nines(threshold.targetComplement) : undefined);
    else thresholdY = onScale(scale, metric, { value: threshold.target }) ?? undefined;
  }
  return { metric, scale, series, x: first.values, ...(thresholdY !== undefined ? { threshold: thresholdY } : {}) };
}

/** The simulator's estimate of a metric, as a reading beside the analytic one. */
export function simulatedReading(metric: MetricId, estimate: Estimate): SimulatedReading {
  return {
    estimate: estimate.estimate,
    ci: estimate.ci,
    ...(estimate.complement !== undefined ? { complement: estimate.complement } : {}),
    ...(estimate.complementCi !== undefined ? { complementCi: estimate.complementCi } : {}),
    events: estimate.events,
    enough: estimate.enough,
    basis: estimate.basis,
    ...(estimate.varianceReduction !== undefined ? { varianceReduction: estimate.varianceReduction } : {}),
    score: score(metric, estimate.estimate, estimate.complement),
    ...(scoreInterval(metric, estimate) ? { scoreCi: scoreInterval(metric, estimate) } : {}),
  };
}

/** The estimate's interval as scores, low to high (more unavailability is fewer nines: the ends swap). */
function scoreInterval(metric: MetricId, estimate: Estimate): readonly [number | null, number | null] | undefined {
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  if (metricSpec(metric).onComplement) {
    const ci = estimate.complementCi;
    return ci ? [finite(score(metric, 1 - ci[1], ci[1])), finite(score(metric, 1 - ci[0], ci[0]))] : undefined;
  }
  const ci = estimate.ci;
  if (!ci) return undefined;
  const [a, b] = [finite(score(metric, ci[0], undefined)), finite(score(metric, ci[1], undefined))];
  return a !== null && b !== null && a > b ? [b, a] : [a, b];
}

/** Runs the simulator on one model; `interrupted` when the user pressed Ctrl-C. */
export type SimulateModel = (model: Model) => Promise<{ summary: SimulationSummary; interrupted: boolean }>;

/**
 * Add the simulator's estimates to every valid row, in row order; stops at an
 * interruption (the remaining rows keep their analytic values only).
 */
export async function simulateSweep(result: SweepResult, simulate: SimulateModel): Promise<SweepResult> {
  const rows: SweepRow[] = [];
  let interrupted = false;
  for (const row of result.rows) {
    if (interrupted || row.model === undefined) {
      rows.push(row);
      continue;
    }
    const run = await simulate(row.model);
    const cells = new Map<MetricId, SweepCell>();
    for (const [id, cell] of row.metrics) {
      const estimate = run.summary.metrics[id];
      cells.set(id, estimate ? { ...cell, simulated: simulatedReading(id, estimate) } : cell);
    }
    rows.push({ ...row, metrics: cells });
    if (run.interrupted) interrupted = true;
  }
  return { ...result, rows, ...(interrupted ? { interrupted } : {}) };
}
