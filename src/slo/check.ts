/**
 * SLO checking: a model's thresholds against its computed metrics, and the gate over
 * many model files (`mqrel check`). Pure: the caller supplies the loader, and gets back
 * every result, every model that could not be checked, and the overall verdict.
 */
import { InputError } from "../errors.js";
import { compare, type MetricId, type MetricUnit, metricSpec } from "../metrics/index.js";
import type { Metrics } from "../model/metrics.js";
import type { Model, Place } from "../model/types.js";

export interface SloResult {
  readonly file: string;
  readonly model: string;
  readonly metric: MetricId;
  /** as written, e.g. ">= 99.99%" */
  readonly threshold: string;
  readonly value: number;
  readonly complement?: number;
  readonly pass: boolean;
  /** positive: inside the threshold by this much; negative: outside (metric's unit, or nines) */
  readonly margin: number;
  readonly marginUnit: MetricUnit | "nines";
  readonly formula: string;
  readonly place: Place;
}

export function checkSlos(model: Model, metrics: Metrics): SloResult[] {
  return model.slo.map((entry) => {
    const metric = metrics.get(entry.metric);
    if (metric === undefined) throw new Error(`metric ${entry.metric} was not computed for ${model.file}`);
    const outcome = compare(entry.threshold, metric.value, metric.complement);
    return {
      file: model.file,
      model: model.name,
      metric: entry.metric,
      threshold: entry.threshold.text,
      value: metric.value,
      ...(metric.complement !== undefined ? { complement: metric.complement } : {}),
      pass: outcome.pass,
      margin: outcome.margin,
      marginUnit: entry.threshold.nines !== undefined ? "nines" : metricSpec(entry.metric).unit,
      formula: metric.formula,
      place: entry.place,
    };
  });
}

/** A model that could not be checked (bad input), reported beside the others. */
export interface CheckError {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** the one-line message, as printed on stderr */
  readonly message: string;
}

export interface CheckReport {
  readonly results: readonly SloResult[];
  readonly errors: readonly CheckError[];
  /** thresholds met and violated */
  readonly met: number;
  readonly violated: number;
  /** every threshold met and every model read */
  readonly pass: boolean;
}

/**
 * Check every file's SLOs. A file whose model is invalid is reported as an error and the
 * others are still checked; any other failure is a bug and propagates.
 */
export function checkModels(files: readonly string[], evaluate: (file: string) => { model: Model; metrics: Metrics }): CheckReport {
  const results: SloResult[] = [];
  const errors: CheckError[] = [];
  for (const file of files) {
    try {
      const { model, metrics } = evaluate(file);
      results.push(...checkSlos(model, metrics));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push({
        file: error.location.file ?? file,
        ...(error.location.line !== undefined ? { line: error.location.line } : {}),
        ...(error.location.column !== undefined ? { column: error.location.column } : {}),
        message: error.format(),
      });
    }
  }
  const violated = results.filter((r) => !r.pass).length;
  return { results, errors, met: results.length - violated, violated, pass: errors.length === 0 && violated === 0 };
}
