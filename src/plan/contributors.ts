/**
 * What the downtime (or the message loss) is made of: each failure mechanism of the
 * model is removed in turn, the metric is computed again by the same formula, and the
 * share of the small quantity that disappears is that mechanism's contribution.
 *
 *   share(m) = (q − q_without_m) / q         q: unavailability, or loss probability
 *
 * Mechanisms:
 * - cluster.availability (and so the downtime), and queue.availability: the common cause
 *   (removed), each failure mode (its rate set to 0; with one mode, the independent node
 *   failures: a plain cluster is then down only in the common cause's state,
 *   U = λ_cc / (λ_cc + μ_cc) exactly), the zone outages, bad releases (every release
 *   good: cluster.maintenance.bad_release removed), the rolling restarts (bad releases
 *   with them), and, as an
 *   aggravating factor, repair crews fewer than nodes (crews set to the node count); for
 *   the queue also the leader elections (made instant).
 * - message.loss: correlated crashes (their rate set to 0) and independent replica
 *   crashes (the per-replica rate set to 0).
 *
 * The shares need not add up to 100 %: mechanisms interact (a node failure during a
 * common-cause repair counts in neither alone). A mechanism with a share of at least
 * one half is *dominant*: removing it removes most of the unavailability. Contributions
 * are computed only when the metric has at least two mechanisms to tell apart.
 */
import { METRIC, type MetricId } from "../metrics/index.js";
import { usesClusterChain } from "../model/clusterMetrics.js";
import { evaluateMetrics, type Metrics } from "../model/evaluate.js";
import type { EvaluationCache } from "../model/evaluationCache.js";
import type { Model } from "../model/index.js";

/**
 * A mechanism's id: "common_cause", "node_failures", "failure_mode:<name>", "zone_outages",
 * "bad_releases", "maintenance", "repair_crews", "elections", "correlated_crashes", "replica_crashes".
 */
export type Mechanism = string;

export interface Contribution {
  readonly mechanism: Mechanism;
  /** in words: "the common cause", "crash failures" */
  readonly name: string;
  /** the name takes "is" (else "are") */
  readonly singular: boolean;
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

/** A removal: the mechanism, its name, and the model without it (or the value without it, when known exactly). */
interface Removal {
  readonly mechanism: Mechanism;
  readonly name: string;
  readonly singular: boolean;
  readonly model?: Model;
  readonly without?: number;
}

/**
 * The metrics of each model evaluated once: the cluster's and the queue's contributions
 * share their removals (one maintenance chain for both, the costly part); `cache`, the
 * caller's, shares the chains with its other evaluations.
 */
interface Evaluations {
  readonly done: WeakMap<Model, Metrics>;
  readonly cache: EvaluationCache | undefined;
}

function complementOf(model: Model, metric: MetricId, evaluations: Evaluations): number {
  let metrics = evaluations.done.get(model);
  if (metrics === undefined) {
    metrics = evaluateMetrics(model, evaluations.cache);
    evaluations.done.set(model, metrics);
  }
  const value = metrics.get(metric);
  return (metric === METRIC.messageLoss ? value?.value : value?.complement) as number;
}

function summarise(
  metric: MetricId,
  quantity: Contributors["quantity"],
  total: number,
  removals: readonly Removal[],
  evaluations: Evaluations,
): Contributors {
  const contributions = removals
    .map((r) => {
      const without = r.without ?? complementOf(r.model as Model, metric, evaluations);
      return { mechanism: r.mechanism, name: r.name, singular: r.singular, without, share: total > 0 ? (total - without) / total : 0 };
    })
    .sort((a, b) => b.share - a.share);
  const top = contributions[0];
  return { metric, quantity, total, contributions, ...(top !== undefined && top.share >= 0.5 ? { dominant: top } : {}) };
}

/** What can be taken out of a cluster, one mechanism at a time. */
function clusterRemovals(model: Model): Removal[] {
  const cluster = model.cluster;
  const removals: Removal[] = [];
  const withCluster = (changes: Partial<Model["cluster"]>, drop?: keyof Model["cluster"]): Model => {
    const next: Record<string, unknown> = { ...cluster, ...changes };
    if (drop !== undefined) delete next[drop];
    return { ...model, cluster: next as unknown as Model["cluster"] };
  };
  if (cluster.commonCause !== undefined && cluster.commonCause.ratePerHour > 0) {
    removals.push({ mechanism: "common_cause", name: "the common cause", singular: true, model: withCluster({}, "commonCause") });
  }
  const modes = cluster.failureModes ?? [];
  if (modes.length > 1) {
    for (const mode of modes) {
      removals.push({
        mechanism: `failure_mode:${mode.name}`,
        name: `${mode.name} failures`,
        singular: false,
        model: withCluster({ failureModes: modes.map((m) => (m === mode ? { ...m, ratePerHour: 0 } : m)) }),
      });
    }
  } else if (modes.length === 1) {
    // Without node failures a plain cluster is down only in the common cause's state: the
    // floor, exactly. The general chain takes a mode that never strikes.
    const floor = commonCauseFloor(model);
    removals.push({
      mechanism: "node_failures",
      name: "independent node failures",
      singular: false,
      ...(usesClusterChain(cluster)
        ? { model: withCluster({ failureModes: modes.map((m) => ({ ...m, ratePerHour: 0 })) }) }
        : { without: floor ?? 0 }),
    });
  }
  if (cluster.zones?.outage !== undefined && cluster.zones.outage.ratePerHour > 0) {
    const { outage: _outage, ...zones } = cluster.zones;
    removals.push({ mechanism: "zone_outages", name: "zone outages", singular: false, model: withCluster({ zones }) });
  }
  if (cluster.maintenance !== undefined) {
    const { badRelease, ...good } = cluster.maintenance;
    if (badRelease !== undefined && badRelease.p > 0) {
      // the releases that go wrong, apart from the restarts themselves (every release good)
      removals.push({ mechanism: "bad_releases", name: "bad releases", singular: false, model: withCluster({ maintenance: good }) });
    }
    const name = badRelease !== undefined && badRelease.p > 0 ? "the rolling restarts (bad releases included)" : "the rolling restarts";
    removals.push({ mechanism: "maintenance", name, singular: false, model: withCluster({}, "maintenance") });
  }
  if (cluster.repairCrews < cluster.nodes && modes.some((m) => m.crew)) {
    removals.push({
      mechanism: "repair_crews",
      name: "too few repair crews",
      singular: false,
      model: withCluster({ repairCrews: cluster.nodes }),
    });
  }
  return removals;
}

/**
 * The contributions to a model's unavailability (cluster, and queue with failover) and
 * message loss (see above). Computed when the metric has at least two mechanisms to tell
 * apart.
 */
export function contributors(model: Model, metrics: Metrics, cache?: EvaluationCache): Contributors[] {
  const found: Contributors[] = [];
  const evaluations: Evaluations = { done: new WeakMap(), cache };
  const removals = clusterRemovals(model);
  const cluster = metrics.get(METRIC.clusterAvailability);
  if (cluster?.complement !== undefined && cluster.complement > 0 && removals.length >= 2) {
    found.push(summarise(METRIC.clusterAvailability, "unavailability", cluster.complement, removals, evaluations));
  }
  const queue = metrics.get(METRIC.queueAvailability);
  const failover = model.cluster.failover;
  if (queue?.complement !== undefined && queue.complement > 0 && failover !== undefined && failover.timeHours > 0) {
    // an instant election waits for nothing: the control plane goes with it
    const { controller, ...withoutController } = model.cluster;
    const elections: Removal = {
      mechanism: "elections",
      name: "the leader elections",
      singular: false,
      model: { ...model, cluster: { ...withoutController, failover: { timeHours: 0 } } },
    };
    // the control plane delays elections only: the queue's metric alone
    const controlPlane: Removal[] =
      controller === undefined
        ? []
        : [{ mechanism: "control_plane", name: "the control plane", singular: true, model: { ...model, cluster: withoutController } }];
    found.push(
      summarise(METRIC.queueAvailability, "unavailability", queue.complement, [...removals, ...controlPlane, elections], evaluations),
    );
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
      summarise(
        METRIC.messageLoss,
        "loss probability",
        loss.value,
        [
          {
            mechanism: "correlated_crashes",
            name: "correlated crashes",
            singular: false,
            model: { ...model, durability: { ...durability, correlatedCrashRatePerHour: 0 } },
          },
          {
            mechanism: "replica_crashes",
            name: "independent replica crashes",
            singular: false,
            model: { ...model, durability: { ...durability, crashRatePerHour: 0 } },
          },
        ],
        evaluations,
      ),
    );
  }
  return found;
}
