/**
 * What an evaluation of many models may reuse, owned by whoever evaluates the batch (eval
 * of several files, a sweep, solve, sensitivity, report, the contributions) and passed
 * down; src keeps no cache of its own, so a model evaluated without one is computed
 * afresh.
 */
import { ClusterSolveCache } from "../formulas/index.js";
import type { MetricId } from "../metrics/index.js";
import type { MetricValue } from "./evaluate.js";

/** Most cluster blocks whose chain metrics an EvaluationCache keeps. */
const RECENT_CLUSTERS = 64;

export class EvaluationCache {
  /** process chains solved (the chain formulas' costly part) */
  readonly chains = new ClusterSolveCache();
  /** chain metrics by cluster block (JSON), most recently used last; the values are frozen */
  private readonly clusters = new Map<string, ReadonlyMap<MetricId, MetricValue>>();

  /**
   * The chain metrics of a cluster block, computed by `compute` the first time. The values
   * are deterministic functions of the block, so a hit gives exactly what a new
   * computation would; each call gets its own Map of frozen values.
   */
  clusterMetrics(key: string, compute: () => Map<MetricId, MetricValue>): Map<MetricId, MetricValue> {
    const known = this.clusters.get(key);
    if (known !== undefined) {
      this.clusters.delete(key);
      this.clusters.set(key, known);
      return new Map(known);
    }
    const computed = compute();
    for (const value of computed.values()) deepFreeze(value);
    this.clusters.set(key, computed);
    if (this.clusters.size > RECENT_CLUSTERS) this.clusters.delete(this.clusters.keys().next().value as string);
    return new Map(computed);
  }
}

/** Freeze a plain value (objects and arrays of numbers and strings) all the way down. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
