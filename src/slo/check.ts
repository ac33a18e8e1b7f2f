/**
 * SLO checking: a model's thresholds against its computed metrics (or, with
 * `check --simulate`, against the simulation's 95 % intervals: src/slo/simulated.ts), and
 * the gate over many model files (`mqrel check`). Pure: the caller supplies the loader,
 * and gets back every result, every model that could not be checked, and the verdict
 * with its exit code.
 */
import { InputError } from "../common/errors.js";
import { compare, type MetricId, type MetricUnit, metricSpec } from "../metrics/index.js";
import { type Metrics, metricsOnlySimulated } from "../model/evaluate.js";
import type { Model, Place } from "../model/types.js";
import { TARGET_PATH } from "./targets.js";

/** pass / fail, or — judged on a simulated interval that straddles the threshold — inconclusive. */
export type Verdict = "pass" | "fail" | "inconclusive";

export interface SloResult {
  readonly file: string;
  readonly model: string;
  readonly metric: MetricId;
  /** as written, e.g. ">= 99.99%" */
  readonly threshold: string;
  readonly value: number;
  readonly complement?: number;
  readonly verdict: Verdict;
  /** verdict === "pass" */
  readonly pass: boolean;
  /** positive: inside the threshold by this much; negative: outside (metric's unit, or nines) */
  readonly margin: number;
  readonly marginUnit: MetricUnit | "nines";
  /** the catalog formula behind the value, or "simulation" */
  readonly formula: string;
  readonly place: Place;
  /** "simulation": judged on the simulated estimate's 95 % interval (`check --simulate`) */
  readonly source: "formula" | "simulation";
  /** the 95 % interval judged: of the value, or of the complement for availability-like metrics */
  readonly interval?: readonly [number, number];
  readonly intervalOf?: "value" | "complement";
  /** why a simulated verdict is inconclusive, or why a metric was judged on its formula */
  readonly note?: string;
  /** "target": given by `check --target`, beside the model's slo: block (absent: from the block) */
  readonly from?: "target";
}

export function checkSlos(model: Model, metrics: Metrics): SloResult[] {
  const onlySimulated = metricsOnlySimulated(model);
  return model.slo.map((entry) => {
    const metric = metrics.get(entry.metric);
    const from = entry.place.path === TARGET_PATH ? { from: "target" as const } : {};
    const note = onlySimulated.get(entry.metric);
    const why = note?.replace(/^simulated only: /, "").replace(/ — mqrel simulate estimates it$/, "");
    if (metric === undefined && why !== undefined) {
      // no exact value (a coupled fleet §3c, an unsolvable region chain §3d): not a pass — check --simulate judges it
      return {
        file: model.file,
        model: model.name,
        metric: entry.metric,
        threshold: entry.threshold.text,
        value: Number.NaN,
        verdict: "inconclusive",
        pass: false,
        margin: Number.NaN,
        marginUnit: entry.threshold.nines !== undefined ? "nines" : metricSpec(entry.metric).unit,
        formula: "—",
        place: entry.place,
        source: "formula",
        note: `only simulated (${why}): check --simulate judges it`,
        ...from,
      };
    }
    if (metric === undefined) throw new Error(`metric ${entry.metric} was not computed for ${model.file}`);
    const outcome = compare(entry.threshold, metric.value, metric.complement);
    return {
      file: model.file,
      model: model.name,
      metric: entry.metric,
      threshold: entry.threshold.text,
      value: metric.value,
      ...(metric.complement !== undefined ? { complement: metric.complement } : {}),
      verdict: outcome.pass ? "pass" : "fail",
      pass: outcome.pass,
      margin: outcome.margin,
      marginUnit: entry.threshold.nines !== undefined ? "nines" : metricSpec(entry.metric).unit,
      formula: metric.formula,
      place: entry.place,
      source: "formula",
      ...from,
    };
  });
}

/** A model that could not be checked, reported beside the others. */
export interface CheckError {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** the one-line message, as printed on stderr */
  readonly message: string;
  /** invalid: bad input (exit 2); internal: a bug in mqrel (exit 3) */
  readonly kind: "invalid" | "internal";
}

/** A model that was read and checked. */
export interface CheckedModel {
  readonly file: string;
  readonly name: string;
  /** its thresholds (0: the model checks nothing) */
  readonly thresholds: number;
  /** with `check --simulate`: what was simulated */
  readonly simulation?: { readonly runs: number; readonly seed: number; readonly mode: string; readonly horizonHours: number };
  /** seconds spent evaluating (or simulating) it, for JUnit's `time` */
  readonly seconds?: number;
}

export interface CheckOptions {
  /** a model without thresholds does not fail the gate */
  readonly allowEmpty?: boolean;
  /** an inconclusive simulated verdict does not fail the gate */
  readonly allowInconclusive?: boolean;
}

export interface CheckReport {
  readonly models: readonly CheckedModel[];
  readonly results: readonly SloResult[];
  readonly errors: readonly CheckError[];
  /** thresholds met, violated and undecided */
  readonly met: number;
  readonly violated: number;
  readonly inconclusive: number;
  /** models with no threshold at all */
  readonly empty: readonly CheckedModel[];
  readonly options: CheckOptions;
  /** every model read, every threshold met, nothing empty or inconclusive (unless allowed) */
  readonly pass: boolean;
  /** 3 an internal error, 2 an invalid model, 1 a threshold not met (or empty/inconclusive), 0 pass */
  readonly exitCode: 0 | 1 | 2 | 3;
}

/** What checking one file gave: its model and results, or why it could not be checked. */
export type CheckEntry =
  | { readonly file: string; readonly model: CheckedModel; readonly results: readonly SloResult[] }
  | { readonly file: string; readonly error: CheckError };

/** One file's error, as a report entry: bad input is "invalid", anything else a bug. */
export function errorEntry(file: string, error: unknown): CheckEntry {
  if (error instanceof InputError) {
    return {
      file,
      error: {
        file: error.location.file ?? file,
        ...(error.location.line !== undefined ? { line: error.location.line } : {}),
        ...(error.location.column !== undefined ? { column: error.location.column } : {}),
        message: error.format(),
        kind: "invalid",
      },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { file, error: { file, message: `${file}: internal error: ${message}`, kind: "internal" } };
}

/** The gate's verdict over every file's entry. */
export function summarizeCheck(entries: readonly CheckEntry[], options: CheckOptions = {}): CheckReport {
  const models: CheckedModel[] = [];
  const results: SloResult[] = [];
  const errors: CheckError[] = [];
  for (const entry of entries) {
    if ("error" in entry) errors.push(entry.error);
    else {
      models.push(entry.model);
      results.push(...entry.results);
    }
  }
  const met = results.filter((r) => r.verdict === "pass").length;
  const violated = results.filter((r) => r.verdict === "fail").length;
  const inconclusive = results.filter((r) => r.verdict === "inconclusive").length;
  const empty = models.filter((m) => m.thresholds === 0);
  const gateFails = violated > 0 || (empty.length > 0 && !options.allowEmpty) || (inconclusive > 0 && !options.allowInconclusive);
  const exitCode = errors.some((e) => e.kind === "internal") ? 3 : errors.length > 0 ? 2 : gateFails ? 1 : 0;
  return { models, results, errors, met, violated, inconclusive, empty, options, pass: exitCode === 0, exitCode };
}

/**
 * Check every file's SLOs. A file that cannot be checked — invalid input, or a bug in one
 * model's evaluation — is reported as an error and the others are still checked.
 */
export async function checkModels(
  files: readonly string[],
  check: (
    file: string,
  ) => Promise<{ model: CheckedModel; results: readonly SloResult[] }> | { model: CheckedModel; results: readonly SloResult[] },
  options: CheckOptions = {},
): Promise<CheckReport> {
  const entries: CheckEntry[] = [];
  for (const file of files) {
    try {
      entries.push({ file, ...(await check(file)) });
    } catch (error) {
      entries.push(errorEntry(file, error));
    }
  }
  return summarizeCheck(entries, options);
}

/** The checked-model entry of a model (its name and threshold count). */
export function checkedModel(model: Model, extra: Pick<CheckedModel, "simulation" | "seconds"> = {}): CheckedModel {
  return { file: model.file, name: model.name, thresholds: model.slo.length, ...extra };
}
