/** Metrics: the registry, their SLO thresholds, and how availability is read. */
export { downtimeHoursPerYear, nines } from "./nines.js";
export {
  inDisplayOrder,
  isMetricId,
  METRIC,
  METRIC_IDS,
  type MetricId,
  type MetricKind,
  type MetricSpec,
  type MetricUnit,
  type ModelBlock,
  metricOrder,
  metricSpec,
  type SloGrammar,
} from "./registry.js";
export { compare, parseThreshold, type Threshold, type ThresholdOutcome, TIE_TOLERANCE } from "./threshold.js";
