/**
 * What the downtime (or the message loss) is made of: each failure mechanism of the
 * model is removed in turn, the metric is computed again by the same formula, and the
 * share of the small quantity that disappears is that mechanism's contribution.
 *
 *   share(m) = (q − q_without_m) / q         q: unavailability, or loss probability
 *
 * Mechanisms:
 * - cluster.availability (and so the downtime): the common cause (rate set to 0), the
 *   independent node failures (node failure rate set to 0: only the common-cause state
 *   is left, U = λ_cc / (λ_cc + μ_cc) exactly), and, as an aggravating factor, repair
 *   crews fewer than nodes (crews set to the node count).
 * - message.loss: correlated crashes (their rate set to 0) and independent replica
 *   crashes (the per-replica rate set to 0).
 *
 * The shares need not add up to 100 %: mechanisms interact (a node failure during a
 * common-cause repair counts in neither alone). A mechanism with a share of at least
 * one half is *dominant*: removing it removes most of the unavailability. Contributions
 * are computed only when the metric has at least two mechanisms to tell apart.
 */
import { METRIC, type MetricId } from "../metrics/index.js";
import type { Model } from "../model/index.js";
import { evaluateMetrics, type Metrics } from "../model/metrics.js";

export type Mechanism = "common_cause" | "node_failures" | "repair_crews" | "correlated_crashes" | "replica_crashes";

export interface Contribution {
  readonly mechanism: Mechanism;
  /** the small quantity (unavailability or loss probability) with this mechanism removed */
  readonly without: number;
  /** (q − without) / q: the share of q this mechanism is responsible for */
  readonly share: number;
}

export interface Contributors {
  readonly metric: MetricId;
  /** what q is: the unavailability, or the loss probability */
  readonly quantity: "unavailability" | "loss probability";
  /** q with every mechanism in place */
  readonly total: number;
  /** largest share first */
  readonly contributions: readonly Contribution[];
  /** the mechanism whose removal removes at least half of q */
  readonly dominant?: Contribution;
}

/**
 * Unavailability of a cluster whose nodes never fail on their own, only through the
 * common cause: the Markov chain (src/formulas/ctmc.ts) keeps two states, all up and C,
 * with π_C = λ_cc / (λ_cc + μ_cc) — a lower bound on the unavailability for any node
 * count, quorum, crews or repair time, since U = Σ_{i<k} π_i + π_C ≥ π_C. Undefined
 * without a common cause.
 */
export function commonCauseFloor(model: Model): number | undefined {
  const cc = model.cluster.commonCause;
  if (cc === undefined || !(cc.ratePerHour > 0)) return undefined;
  const restore = 1 / cc.mttrHours;
  return cc.ratePerHour / (cc.ratePerHour + restore);
}

function clusterUnavailability(model: Model): number {
  return evaluateMetrics(model).get(METRIC.clusterAvailability)?.complement as number;
}

function lossProbability(model: Model): number {
  return evaluateMetrics(model).get(METRIC.messageLoss)?.value as number;
}

function summarise(metric: MetricId, quantity: Contributors["quantity"], total: number, removed: [Mechanism, number][]): Contributors {
  const contributions = removed
    .map(([mechanism, without]) => ({ mechanism, without, share: total > 0 ? (total - without) / total : 0 }))
    .sort((a, b) => b.share - a.share);
  const top = contributions[0];
  return { metric, quantity, total, contributions, ...(top !== undefined && top.share >= 0.5 ? { dominant: top } : {}) };
}

/** The contributions to a model's unavailability and message loss (see above). */
export function contributors(model: Model, metrics: Metrics): Contributors[] {
  const found: Contributors[] = [];
  const cluster = metrics.get(METRIC.clusterAvailability);
  const floor = commonCauseFloor(model);
  if (cluster?.complement !== undefined && cluster.complement > 0 && floor !== undefined) {
    const removed: [Mechanism, number][] = [
      ["common_cause", clusterUnavailability({ ...model, cluster: withoutCommonCause(model.cluster) })],
      ["node_failures", floor],
    ];
    if (model.cluster.repairCrews < model.cluster.nodes) {
      removed.push(["repair_crews", clusterUnavailability({ ...model, cluster: { ...model.cluster, repairCrews: model.cluster.nodes } })]);
    }
    found.push(summarise(METRIC.clusterAvailability, "unavailability", cluster.complement, removed));
  }
  const loss = metrics.get(METRIC.messageLoss);
  const durability = model.durability;
  if (
    loss !== undefined &&
    loss.value > 0 &&
    durability !== undefined &&
    durability.crashRatePerHour > 0 &&
    durability.correlatedCrashRatePerHour > 0
  ) {
    found.push(
      summarise(METRIC.messageLoss, "loss probability", loss.value, [
        ["correlated_crashes", lossProbability({ ...model, durability: { ...durability, correlatedCrashRatePerHour: 0 } })],
        ["replica_crashes", lossProbability({ ...model, durability: { ...durability, crashRatePerHour: 0 } })],
      ]),
    );
  }
  return found;
}

function withoutCommonCause(cluster: Model["cluster"]): Model["cluster"] {
  const { commonCause: _removed, ...rest } = cluster;
  return rest;
}
