/**
 * A model's `slo:` thresholds as OpenSLO v1 SLO documents (`apiVersion: openslo/v1`,
 * `kind: SLO`), one per threshold, for the SLO tools teams already run. Plain objects;
 * `mqrel export openslo` writes them as YAML documents.
 *
 * How a threshold maps (OpenSLO v1: github.com/OpenSLO/OpenSLO, README "SLO", "SLI",
 * "Objectives"):
 * - a probability bounded the way it is good — `cluster.availability >= 99.99%`,
 *   `message.loss <= 1e-8` — is a ratio objective: the indicator is mqrel's metric as a
 *   precomputed ratio (`ratioMetric.raw`, `rawType: success` for a good share, `failure`
 *   for a bad one), the target the share of good events or time: p for a good share,
 *   1 − p for a bad one; "N nines" is 1 − 10^−N;
 * - `cluster.downtime_per_year <= D` is the same objective on the cluster's availability,
 *   target 1 − D / 8 766 h (a year of 365.25 days; downtime per year is the
 *   unavailability times a year, docs/design.md §2);
 * - any other bound (an MTTF, a rate per year, a count, or a probability bounded the
 *   other way) is a threshold objective: `thresholdMetric` with `op` and `value` in the
 *   metric's unit (hours, per year, partitions), and a target — the share of evaluations
 *   in the window that must meet the bound — that the caller chooses: mqrel's bound is on
 *   the long-run value and says nothing about it.
 * Every document has the caller's time window (rolling) and `budgetingMethod: Occurrences`
 * (good events over all events: the only method that needs no time-slice settings the
 * model does not have). Annotations under the `mqrel/` prefix keep the model's file,
 * metric and threshold as written.
 */
import { stringify } from "yaml";
import { InputError } from "../common/errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { METRIC, type MetricId, metricSpec, type Threshold } from "../metrics/index.js";
import type { Model, SloEntry } from "../model/index.js";

/** OpenSLO's duration shorthand: a positive whole number and one of m h d w M Q Y. */
export const DURATION_SHORTHAND = /^[1-9]\d*[mhdwMQY]$/;

export interface OpensloOptions {
  /** the rolling time window, duration shorthand ("30d") */
  readonly window: string;
  /** `spec.service`; default: the model's name, as an RFC 1123 label */
  readonly service?: string;
  /** the target of a threshold objective (a bound that is no share), in [0, 1) */
  readonly thresholdTarget: number;
}

const OPS: Readonly<Record<Threshold["operator"], string>> = { ">=": "gte", ">": "gt", "<=": "lte", "<": "lt" };

/** An RFC 1123 label (OpenSLO's `metadata.name`): lower-case letters, digits and '-', at most 63, alphanumeric at both ends. */
export function rfc1123Label(text: string): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
  if (label.length <= 63) return label === "" ? "mqrel" : label;
  // cut, and keep two long names apart by a short hash of the whole
  let hash = 0;
  for (const char of text) hash = (Math.imul(hash, 31) + (char.codePointAt(0) ?? 0)) >>> 0;
  const suffix = hash.toString(36).padStart(7, "0").slice(0, 7);
  return `${label.slice(0, 55).replace(/-+$/, "")}-${suffix}`;
}

/** The target of a share: in [0, 1) as OpenSLO asks, or one line saying why not. */
function shareTarget(entry: SloEntry, target: number): number {
  if (!(target >= 0 && target < 1)) {
    throw new InputError(`an OpenSLO target must lie in [0, 1); this threshold makes it ${target}`, {
      file: entry.place.file,
      ...(entry.place.line !== undefined ? { line: entry.place.line } : {}),
      ...(entry.place.column !== undefined ? { column: entry.place.column } : {}),
      path: `slo.${entry.metric}`,
    });
  }
  return target;
}

interface Objective {
  readonly indicator: Record<string, unknown>;
  readonly objective: Record<string, unknown>;
}

/** The indicator's source: mqrel's own prediction of the metric for this model. */
function source(model: Model, metric: MetricId, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "mqrel", spec: { model: model.name, file: model.file, metric, ...extra } };
}

function objectiveOf(model: Model, entry: SloEntry, thresholdTarget: number): Objective {
  const spec = metricSpec(entry.metric);
  const { operator, text } = entry.threshold;
  const upward = operator === ">=" || operator === ">";
  const ratio = (metric: MetricId, rawType: "success" | "failure", target: number): Objective => ({
    indicator: { ratioMetric: { counter: false, rawType, raw: { metricSource: source(model, metric) } } },
    objective: { displayName: text.trim(), target: shareTarget(entry, target) },
  });
  if (spec.kind === "probability" && spec.better === "higher" && upward) return ratio(entry.metric, "success", entry.threshold.target);
  if (spec.kind === "probability" && spec.better === "lower" && !upward) {
    // 1 − p for a small p loses nothing a double can show near 1
    return ratio(entry.metric, "failure", 1 - entry.threshold.target);
  }
  if (entry.metric === METRIC.clusterDowntimePerYear && !upward) {
    return ratio(METRIC.clusterAvailability, "success", 1 - entry.threshold.target / HOURS_PER_YEAR);
  }
  return {
    indicator: { thresholdMetric: { metricSource: source(model, entry.metric, { unit: spec.unit }) } },
    objective: { displayName: text.trim(), op: OPS[operator], value: entry.threshold.target, target: thresholdTarget },
  };
}

/**
 * One OpenSLO v1 SLO document per threshold of the model's `slo:` block, in the block's order.
 * @throws InputError when the model has no thresholds, or a threshold makes a target outside [0, 1)
 */
export function opensloDocuments(model: Model, options: OpensloOptions): Record<string, unknown>[] {
  if (model.slo.length === 0) {
    throw new InputError("has no slo: thresholds; OpenSLO documents are made from them (docs/ci.md)", { file: model.file, path: "slo" });
  }
  const service = options.service ?? rfc1123Label(model.name);
  return model.slo.map((entry) => {
    const { indicator, objective } = objectiveOf(model, entry, options.thresholdTarget);
    const spec = metricSpec(entry.metric);
    const name = rfc1123Label(`${model.name}-${entry.metric}`);
    return {
      apiVersion: "openslo/v1",
      kind: "SLO",
      metadata: {
        name,
        displayName: `${model.name}: ${entry.metric} ${entry.threshold.text.trim()}`,
        annotations: { "mqrel/file": model.file, "mqrel/metric": entry.metric, "mqrel/threshold": entry.threshold.text.trim() },
      },
      spec: {
        description: `${spec.title} of ${model.name}, as mqrel models it (${entry.metric} ${entry.threshold.text.trim()})`.slice(0, 1050),
        service,
        indicator: { metadata: { name: rfc1123Label(`${model.name}-${entry.metric}-sli`) }, spec: indicator },
        timeWindow: [{ duration: options.window, isRolling: true }],
        budgetingMethod: "Occurrences",
        objectives: [objective],
      },
    };
  });
}

/** The documents as one YAML stream: `---` between documents. */
export function opensloYaml(documents: readonly Record<string, unknown>[]): string {
  return documents.map((document) => stringify(document, { lineWidth: 0 })).join("---\n");
}
