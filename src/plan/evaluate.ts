/**
 * The planning commands' one way to compute a model at a point: the file as read once,
 * the user's `--set` overrides, then the point's own overrides, through the model
 * loader and the metric evaluator — the same path `mqrel eval --set` takes, so that a
 * sweep, a solve and an eval always agree.
 */
import { InputError } from "../common/errors.js";
import { compare, METRIC, type MetricId, metricSpec, nines, type Threshold } from "../metrics/index.js";
import { evaluateMetrics, type Metrics } from "../model/evaluate.js";
import { EvaluationCache } from "../model/evaluationCache.js";
import { type Model, type Override, type ResolveOptions, resolveModel, SINGLE_SET_METRICS } from "../model/index.js";
import type { SourceFile } from "../model/load.js";
import { regionsSimulatedOnly } from "../model/regionsMetrics.js";

export type PointResult =
  | { readonly ok: true; readonly model: Model; readonly metrics: Metrics }
  | { readonly ok: false; readonly reason: string; readonly error: InputError };

/**
 * Told before each point is computed: how many points came before it, and which point it
 * is (its overrides; undefined for the model as given, which is not one of the points).
 */
export type PointListener = (point: { readonly done: number; readonly label?: string }) => void;

export class Evaluator {
  /** models resolved so far (a measure of the work a search did) */
  evaluations = 0;
  /** the planning commands' progress (the CLI shows it; nothing here writes anywhere) */
  onPoint: PointListener | undefined;
  /** the chains solved for this evaluator's points: its variants of one model share them */
  readonly cache = new EvaluationCache();

  constructor(
    readonly source: SourceFile,
    readonly overrides: readonly Override[],
    /** how the loader reads the model at every point (`--strict-units`) */
    readonly options: ResolveOptions = {},
  ) {}

  /** The model with the `--set` overrides only. @throws InputError, also for a fleet that is only simulated */
  base(): { model: Model; metrics: Metrics } {
    this.onPoint?.({ done: this.evaluations });
    const model = resolveModel(this.source, this.overrides, this.options);
    const refused = onlySimulated(model);
    if (refused !== undefined) throw refused;
    return { model, metrics: evaluateMetrics(model, this.cache) };
  }

  /**
   * The model resolved with extra overrides; a point the loader refuses, or whose
   * metrics cannot be computed exactly (a chain beyond mqrel's limits), is reported,
   * not thrown.
   */
  at(extra: readonly Override[]): PointResult {
    this.onPoint?.({ done: this.evaluations, label: extra.map((o) => `${o.path}=${o.value}`).join(", ") });
    this.evaluations++;
    try {
      const model = resolveModel(this.source, [...this.overrides, ...extra], this.options);
      const refused = onlySimulated(model);
      if (refused !== undefined) return { ok: false, reason: refused.message, error: refused };
      return { ok: true, model, metrics: evaluateMetrics(model, this.cache) };
    } catch (error) {
      if (error instanceof InputError) return { ok: false, reason: error.message, error };
      throw error;
    }
  }

  /** The model alone, for checks cheaper than computing its metrics. */
  modelAt(extra: readonly Override[]): Model | InputError {
    try {
      return resolveModel(this.source, [...this.overrides, ...extra], this.options);
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
  }
}

/**
 * A fleet whose brokers are coupled beyond what the exact sums cover has no exact fleet metrics
 * (docs/design.md §3c, `FleetModel.simulatedOnly`): the planning commands, which compute
 * exact metrics point by point, refuse it in one line at the coupling's field.
 */
function onlySimulated(model: Model): InputError | undefined {
  const regions = regionsSimulatedOnly(model).get(METRIC.serviceAvailability);
  if (regions !== undefined) {
    // a regions model whose chain cannot be solved (docs/design.md §3d), as a coupled fleet
    return new InputError(
      `this model's region metrics are ${regions.replace(/ — mqrel simulate estimates it$/, "")}, and sweep, solve, sensitivity and report compute exact metrics — mqrel simulate estimates them`,
      model.regions?.simulatedOnly?.place ?? { file: model.file, path: "regions" },
    );
  }
  const simulatedOnly = model.fleet?.simulatedOnly;
  if (simulatedOnly === undefined) return undefined;
  return new InputError(
    `this fleet's metrics are only simulated: ${simulatedOnly.why}, and sweep, solve, sensitivity and report compute exact metrics — mqrel simulate estimates them`,
    simulatedOnly.place,
  );
}

/** A metric at one point, with its score in decades. */
export interface MetricReading {
  readonly value: number;
  readonly complement?: number;
  readonly nines?: number;
  /**
   * How good the value is, in decades, larger is better: −log10 of the complement for
   * availability-like metrics (their nines), −log10 of the value for metrics where lower
   * is better (loss, downtime), log10 of the value for those where higher is better
   * (MTTF). A change of 1 is a factor of ten either way.
   */
  readonly score: number;
}

export function score(id: MetricId, value: number, complement: number | undefined): number {
  const spec = metricSpec(id);
  if (spec.onComplement && complement !== undefined) return nines(complement);
  if (spec.better === "lower") return value > 0 ? -Math.log10(value) : Number.POSITIVE_INFINITY;
  return value > 0 ? Math.log10(value) : Number.NEGATIVE_INFINITY;
}

export function readMetric(metrics: Metrics, id: MetricId): MetricReading | undefined {
  const m = metrics.get(id);
  if (m === undefined) return undefined;
  return {
    value: m.value,
    ...(m.complement !== undefined ? { complement: m.complement } : {}),
    ...(m.nines !== undefined ? { nines: m.nines } : {}),
    score: score(id, m.value, m.complement),
  };
}

/** Does a reading meet a threshold, and by how much (the threshold's margin)? */
export function judge(threshold: Threshold, reading: MetricReading): { pass: boolean; margin: number } {
  return compare(threshold, reading.value, reading.complement);
}

/** "the model does not compute X" as bad input, for a --metric the model has no block for. */
export function missingMetric(source: SourceFile, metric: MetricId, flag = "--metric"): InputError {
  const spec = metricSpec(metric);
  const fleet = typeof source.data === "object" && source.data !== null && Object.hasOwn(source.data, "fleet");
  const why =
    spec.noFormula !== undefined
      ? `${metric} has no formula (${spec.noFormula}); it is only simulated`
      : fleet && SINGLE_SET_METRICS.includes(metric)
        ? `${metric} is one replica set's; a fleet model does not compute it (its fleet.* metrics describe the partitions)`
        : `the model does not compute ${metric} (it needs the ${spec.block}${spec.orBlock ? ` or ${spec.orBlock}` : ""} block${spec.needs ? `; ${spec.needs.why}` : ""})`;
  return new InputError(why, { file: source.file, path: flag });
}
