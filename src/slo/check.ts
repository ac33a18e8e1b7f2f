/** A model's SLOs against its computed metrics: pass or fail, with the margin. */
import type { Metrics } from "../model/metrics.js";
import type { Model, Place } from "../model/types.js";
import { compare } from "./threshold.js";

export interface SloResult {
  readonly file: string;
  readonly model: string;
  readonly metric: string;
  /** as written, e.g. ">= 99.99%" */
  readonly threshold: string;
  readonly value: number;
  readonly complement?: number;
  readonly pass: boolean;
  /** positive: inside the threshold by this much; negative: outside (metric's unit, or nines) */
  readonly margin: number;
  readonly marginUnit: "probability" | "hours" | "nines";
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
      marginUnit: entry.threshold.nines !== undefined ? "nines" : metric.unit,
      formula: metric.formula,
      place: entry.place,
    };
  });
}
