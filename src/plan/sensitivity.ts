/**
 * `mqrel sensitivity`: how much one metric moves when each numeric input of the model
 * moves, ranked — the "what should we fix first?" view.
 *
 * Every numeric leaf of the model (after `--set`) and every param is an input; a field
 * that is just a param's name (`mttr: node_mttr`) is that param and is not counted
 * twice. Each input is moved down and up, and the metric computed at each end:
 *
 * - a continuous input (a time, a rate, a number) is multiplied by 1 − by and 1 + by,
 *   through its own expression (`(node_mttr) * 1.1`), so units and params stay intact;
 * - a probability usually near 1 (node availability, per-attempt success) moves by ±by
 *   on its complement: 0.9 → 0.89 and 0.91 for 10 %, since 0.9 × 1.1 is not a
 *   probability, and the failure probability is what an engineer can change;
 * - a count (nodes, crews, replicas, attempts, a numeric quorum) moves by ±1, since 3 ×
 *   1.1 nodes is still 3 nodes.
 *
 * The swing is the spread, in decades, of the metric's score (its nines for
 * availability-like metrics, −log10 for loss or downtime, log10 for MTTF) over the
 * low end, the model and the high end — a spread, not a difference of the ends, so that
 * an input the model sits at the optimum of (3 nodes: 2 and 4 are both worse) shows its
 * full effect. Continuous inputs and counts are ranked apart: a 10 % change and one
 * node more or fewer are not changes of the same size.
 */
import { InputError } from "../common/errors.js";
import { ExpressionError, evaluateExpression } from "../expr/expression.js";
import { METRIC, type MetricId } from "../metrics/index.js";
import { type Contributors, contributors } from "./contributors.js";
import { type Evaluator, type MetricReading, missingMetric, readMetric } from "./evaluate.js";
import { complementText, fieldQuantity, internalValue, modelLeaves } from "./fields.js";
import { type InputKind, inputSpec, isParamAlias } from "./inputs.js";
import { round12 } from "./vary.js";

export interface Perturbation {
  /** the text the loader reads for this end */
  readonly text: string;
  /** the input's value at this end, in internal units (hours, per hour, plain) */
  readonly value?: number;
  readonly reading?: MetricReading;
  /** why the loader refused this end (a probability above 1, fewer than one node…) */
  readonly error?: string;
}

export interface SensitivityRow {
  readonly path: string;
  readonly kind: InputKind;
  /** the input as written in the model (after --set) */
  readonly text: string;
  /** its value in internal units */
  readonly value?: number;
  /** how the ends were made */
  readonly step: "scale" | "complement" | "count";
  readonly low: Perturbation;
  readonly high: Perturbation;
  /** spread of the metric's score over low, model and high, in decades */
  readonly swing: number;
}

export interface SensitivityResult {
  readonly model: { readonly name: string; readonly file: string };
  readonly metric: MetricId;
  /** the relative change of continuous inputs (0.1 for 10 %) */
  readonly by: number;
  readonly base: MetricReading;
  /** continuous inputs and probabilities, largest swing first */
  readonly rows: readonly SensitivityRow[];
  /** counts, ±1, largest swing first */
  readonly countRows: readonly SensitivityRow[];
  /** what the metric's unavailability or loss is made of (src/plan/contributors.ts) */
  readonly contributors?: Contributors;
}

/** The smallest `--by`: six digits of the twelve the moved values are written with. */
export const MIN_BY = 1e-6;

/** Parse `--by`: "10%", "0.1". @throws InputError */
export function parseBy(text: string): number {
  let by: number;
  try {
    by = evaluateExpression(text).value;
  } catch (error) {
    if (error instanceof ExpressionError) throw new InputError(error.message, { path: "--by" });
    throw error;
  }
  if (!(by > 0 && by < 1))
    throw new InputError(`expected a relative change between 0 and 100 %, e.g. 10%, got "${text}"`, { path: "--by" });
  // the moved values are written with 12 significant digits (round12): a smaller change
  // can vanish in them, and an input that matters would be listed as having no effect
  if (by < MIN_BY) throw new InputError(`expected a relative change of at least 0.0001 % (1e-6), got "${text}"`, { path: "--by" });
  return by;
}

/** @throws InputError when the model does not compute the metric */
export function sensitivity(evaluator: Evaluator, metric: MetricId, by: number): SensitivityResult {
  const { model, metrics } = evaluator.base();
  const base = readMetric(metrics, metric);
  if (base === undefined) throw missingMetric(evaluator.source, metric);
  const { source, overrides } = evaluator;
  const rows: SensitivityRow[] = [];
  for (const leaf of modelLeaves(source, overrides)) {
    if (isParamAlias(source, overrides, leaf.path)) continue;
    const spec = inputSpec(source, overrides, leaf.path);
    const kind: InputKind = spec?.kind ?? "quantity";
    let value: number | undefined;
    let complement: number | undefined;
    try {
      const quantity = fieldQuantity(source, overrides, leaf.path);
      value = internalValue(quantity);
      complement = quantity.exactComplement ?? 1 - value;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    }
    const ends = perturbations(leaf.text, kind, spec?.nearOne === true && value !== undefined && value > 0.5, value, complement, by);
    const measure = (end: { text: string; value?: number }): Perturbation => {
      const point = evaluator.at([{ path: leaf.path, value: end.text }]);
      if (!point.ok) return { ...end, error: point.reason };
      const reading = readMetric(point.metrics, metric);
      return reading === undefined ? { ...end, error: `${metric} is not computed here` } : { ...end, reading };
    };
    const low = measure(ends.low);
    const high = measure(ends.high);
    const scores = [base.score, low.reading?.score, high.reading?.score].filter((s): s is number => s !== undefined && Number.isFinite(s));
    const swing = scores.length > 1 ? Math.max(...scores) - Math.min(...scores) : 0;
    rows.push({ path: leaf.path, kind, text: leaf.text, ...(value !== undefined ? { value } : {}), step: ends.step, low, high, swing });
  }
  const ranked = (subset: SensitivityRow[]) => subset.sort((a, b) => b.swing - a.swing);
  const about = metric === METRIC.clusterDowntimePerYear ? METRIC.clusterAvailability : metric;
  const found = contributors(model, metrics, evaluator.cache).find((c) => c.metric === about);
  return {
    model: { name: model.name, file: model.file },
    metric,
    by,
    base,
    rows: ranked(rows.filter((row) => row.kind !== "count")),
    countRows: ranked(rows.filter((row) => row.kind === "count")),
    ...(found !== undefined ? { contributors: found } : {}),
  };
}

/**
 * The low and high ends an input is moved to: ±1 for a count, ±by on the complement for
 * a probability near 1 (low is the higher failure probability), otherwise the input's own
 * text scaled by 1 ∓ by (so that units and params stay intact).
 */
export function perturbations(
  text: string,
  kind: InputKind,
  nearOne: boolean,
  value: number | undefined,
  complement: number | undefined,
  by: number,
): { step: SensitivityRow["step"]; low: { text: string; value?: number }; high: { text: string; value?: number } } {
  if (kind === "count" && value !== undefined) {
    return { step: "count", low: { text: String(value - 1), value: value - 1 }, high: { text: String(value + 1), value: value + 1 } };
  }
  if (nearOne && complement !== undefined) {
    // less failure is the higher probability
    const lower = Math.min(1, round12(complement * (1 + by)));
    const upper = round12(complement * (1 - by));
    return {
      step: "complement",
      low: { text: complementText(lower), value: 1 - lower },
      high: { text: complementText(upper), value: 1 - upper },
    };
  }
  const scaled = (factor: number) => ({ text: `(${text}) * ${factor}`, ...(value !== undefined ? { value: value * factor } : {}) });
  return { step: "scale", low: scaled(1 - by), high: scaled(1 + by) };
}
