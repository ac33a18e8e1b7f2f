/**
 * Targets given on the command line — `solve --target` and `check --target`, each
 * repeatable: a metric id, then a threshold in the grammar of the model's `slo:` block
 * (src/metrics/threshold.ts), e.g. "cluster.availability >= 99.99%", "message.loss <= 1e-12".
 * `solve` also takes a bare threshold (">= 99.99%") whose metric is given by --metric.
 *
 * Several targets are a conjunction: all must be met. A metric may be bounded twice, once
 * from below and once from above, when some value meets both; anything else that names a
 * metric twice is refused ({@link checkTargetSet}): two bounds on the same side say one of
 * them for nothing, and bounds that leave no value can never be met.
 */
import { InputError } from "../common/errors.js";
import { closestName } from "../common/suggest.js";
import { ExpressionError } from "../expr/expression.js";
import { compare, isMetricId, METRIC_IDS, type MetricId, metricSpec, parseThreshold, type Threshold } from "../metrics/index.js";
import type { Model, Override } from "../model/index.js";

/** One target: a threshold on a metric. */
export interface Target {
  readonly metric: MetricId;
  readonly threshold: Threshold;
}

/** A target as written: the metric it names (if any), and the threshold's text after it. */
export interface TargetText {
  readonly metric?: MetricId;
  readonly threshold: string;
}

// A metric id is letters, digits, dots and underscores, starting with a letter; a threshold
// starts with an operator, never a letter. Anchored, one quantifier per character class:
// linear in the text's length.
const NAMED = /^\s*([A-Za-z_][\w.]*)/;

/**
 * Split a target into the metric it names and its threshold's text.
 * @throws InputError for an unknown metric (with the closest id) or a metric with no operator after it
 */
export function splitTarget(text: string, flag = "--target"): TargetText {
  const match = NAMED.exec(text);
  if (match === null) return { threshold: text };
  const name = match[1] as string;
  if (!isMetricId(name)) {
    throw new InputError(
      `unknown metric "${name}"; expected one of ${METRIC_IDS.join(", ")}`,
      { path: flag },
      closestName(name, METRIC_IDS),
    );
  }
  const threshold = text.slice(match[0].length).trimStart();
  if (!/^[<>=≥≤]/.test(threshold)) {
    throw new InputError(`expected an operator and a value after ${name}, e.g. "${name} ${example(name)}", got "${shown(text)}"`, {
      path: flag,
    });
  }
  return { metric: name, threshold };
}

/**
 * A target's threshold read with its metric's SLO grammar.
 * @throws InputError naming the flag
 */
export function parseTarget(metric: MetricId, threshold: string, flag = "--target"): Target {
  try {
    return { metric, threshold: parseThreshold(threshold, metricSpec(metric).slo) };
  } catch (error) {
    if (error instanceof ExpressionError) throw new InputError(error.message, { path: flag });
    throw error;
  }
}

/**
 * Refuse a set of targets that names a metric twice on the same side (two lower or two
 * upper bounds), or bounds a metric from both sides with no value between. The check uses
 * the comparison itself (src/metrics/threshold.ts `compare`): the lower bound's value must
 * meet the upper bound, strictly when either is strict.
 * @throws InputError naming the flag
 */
export function checkTargetSet(targets: readonly Target[], flag = "--target"): void {
  for (let i = 0; i < targets.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [targets[j] as Target, targets[i] as Target];
      if (a.metric !== b.metric) continue;
      const both = `"${a.metric} ${a.threshold.text.trim()}" and "${b.metric} ${b.threshold.text.trim()}"`;
      if (isLower(a.threshold) === isLower(b.threshold)) {
        throw new InputError(
          `${both} bound ${a.metric} twice from ${isLower(a.threshold) ? "below" : "above"}: give the stricter one once`,
          {
            path: flag,
          },
        );
      }
      const [lower, upper] = isLower(a.threshold) ? [a.threshold, b.threshold] : [b.threshold, a.threshold];
      const outcome = compare(upper, lower.target, lower.targetComplement);
      const strict = lower.operator === ">" || upper.operator === "<";
      if (!outcome.pass || (strict && outcome.margin === 0)) {
        throw new InputError(`${both} contradict: no value of ${a.metric} meets both`, { path: flag });
      }
    }
  }
}

/** A lower bound (≥, >): the metric must be at least the value. */
function isLower(threshold: Threshold): boolean {
  return threshold.operator === ">=" || threshold.operator === ">";
}

/** A threshold a metric takes, for the error line's example. */
function example(metric: MetricId): string {
  switch (metricSpec(metric).slo) {
    case "availability-like":
      return ">= 99.99%";
    case "probability":
      return "<= 1e-9";
    case "duration":
      return metricSpec(metric).better === "lower" ? "<= 1 h" : ">= 10 years";
    case "rate-per-year":
      return "<= 0.5 / year";
    case "count":
      return "<= 1";
  }
}

function shown(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed;
}

/** The field path of a `check --target` threshold's place (the model's own are `slo.<metric>`). */
export const TARGET_PATH = "--target";

/**
 * The model with the targets checked beside its own `slo:` thresholds (`check --target`):
 * appended to its entries, each placed at the model's file and {@link TARGET_PATH}. A
 * target on a metric the block already bounds is checked as well, not instead.
 */
export function withTargets(model: Model, targets: readonly Target[]): Model {
  if (targets.length === 0) return model;
  const extra = targets.map((t) => ({ metric: t.metric, threshold: t.threshold, place: { file: model.file, path: TARGET_PATH } }));
  return { ...model, slo: [...model.slo, ...extra] };
}

/**
 * A target as the override `--set slo.<metric>="<threshold>"` would write it: the model
 * loader's own check of a threshold on a metric the model may not compute (its one-line
 * reason: no such block, only simulated, one replica set's) is then the reason given for a
 * --target too.
 */
export function targetOverride(target: Target): Override {
  return { path: `slo.${target.metric}`, value: JSON.stringify(target.threshold.text.trim()), flag: TARGET_PATH };
}
