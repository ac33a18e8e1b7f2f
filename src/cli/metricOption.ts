/** A metric id given on the command line (`--metric`, `--target-metric`), checked against the registry. */
import { InputError } from "../errors.js";
import { isMetricId, METRIC_IDS, type MetricId } from "../metrics/index.js";
import { closestName } from "../suggest.js";

export function parseMetricId(text: string, flag = "--metric"): MetricId {
  if (isMetricId(text)) return text;
  throw new InputError(`unknown metric "${text}"; expected one of ${METRIC_IDS.join(", ")}`, { path: flag }, closestName(text, METRIC_IDS));
}
