/** A metric id given on the command line (`--metric`, `--target-metric`), checked against the registry. */
import { InputError } from "../common/errors.js";
import { closestName } from "../common/suggest.js";
import { isMetricId, METRIC_IDS, type MetricId } from "../metrics/index.js";

export function parseMetricId(text: string, flag = "--metric"): MetricId {
  if (isMetricId(text)) return text;
  throw new InputError(`unknown metric "${text}"; expected one of ${METRIC_IDS.join(", ")}`, { path: flag }, closestName(text, METRIC_IDS));
}
