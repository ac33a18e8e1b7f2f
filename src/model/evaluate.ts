/**
 * A model's metrics (docs/design.md §3), each computed by the catalog formula that fits the
 * model's structure, so that the "formula" reported beside a number is the one that
 * produced it.
 */
import { type FormulaResult, findFormula, type ParamValue } from "../catalog/index.js";
import { InputError, InternalError } from "../common/errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import {
  articleInputs,
  badRoundPhases,
  competingModesAvailability,
  complementOf,
  inSyncChain,
  type MessagePathParams,
  messagePathOutcomes,
  type Probability,
  redeliveryShare,
  type ZoneLossCheck,
} from "../formulas/index.js";
import { downtimeHoursPerYear, METRIC, type MetricId, metricSpec, nines } from "../metrics/index.js";
import { clusterChainMetrics, simplerFormulaClaims, usesClusterChain } from "./clusterMetrics.js";
import type { EvaluationCache } from "./evaluationCache.js";
import { fleetMetrics, fleetSimulatedOnly } from "./fleetMetrics.js";
import { DEFAULT_PROCESSING_HOURS } from "./messages.js";
import { regionMetrics, regionsSimulatedOnly } from "./regionsMetrics.js";
import type { Model } from "./types.js";

export interface MetricValue {
  readonly value: number;
  /** 1 − value for probabilities, computed directly; absent for times */
  readonly complement?: number;
  /** catalog id of the formula that produced it ("input" when the model gives it directly, "competing modes" for a node with failure modes) */
  readonly formula: string;
  /** −log10(complement), for metrics shown as nines */
  readonly nines?: number;
  /** message.loss with a traffic rate: the expected number of lost messages per year */
  readonly perYear?: number;
  /**
   * For cluster.availability: what the simpler formulas claim for the same nodes — the
   * article's parallel formula, and the independent k-of-n when the Markov model is used.
   */
  readonly alternatives?: readonly Alternative[];
  /** how the formula computed it, when it has more than one way (e.g. "convolution") */
  readonly method?: string;
  /** for cluster.availability of a zoned model: does the quorum survive losing any one zone, and which placement would */
  readonly zoneCheck?: ZoneLossCheck;
  /** for a method with a stated approximation (maintenance): the estimate of its error on the complement */
  readonly errorEstimate?: number;
  /**
   * figures behind the value worth printing: the article's inputs derived from the message
   * path (p_fault, p_unpersisted, p_unconfirmed, exposure_hours), the message path's other
   * outcomes (lost_unconfirmed, unconfirmed_survived), the parts of a duplicate share
   */
  readonly inputs?: Readonly<Record<string, number>>;
}

export interface Alternative {
  readonly formula: string;
  readonly value: number;
  readonly complement: number;
  readonly nines: number;
  /** nines this formula claims beyond the metric's own (positive: it overstates) */
  readonly overstatesNines: number;
  /** what this simpler formula leaves out of the model, in words ("it ignores the common cause") */
  readonly ignores: readonly string[];
}

export type Metrics = ReadonlyMap<MetricId, MetricValue>;

function compute(id: string, params: Record<string, ParamValue>): FormulaResult {
  const entry = findFormula(id);
  if (entry === undefined) throw new InternalError(`no formula ${id} in the catalog`);
  return entry.compute(new Map(Object.entries(params)));
}

/** A probability metric from a formula's result (or the model's input), with nines where the metric shows them. */
function probability(metric: MetricId, formula: string, result: Probability): MetricValue {
  return {
    value: result.value,
    complement: result.complement,
    formula,
    ...(metricSpec(metric).nines ? { nines: nines(result.complement) } : {}),
  };
}

/** Which formula gives cluster.availability for this cluster (docs/design.md §3). */
export function clusterFormula(model: Model): "availability.parallel" | "availability.kofn" | "availability.ctmc" {
  const { cluster } = model;
  const commonCause = cluster.commonCause !== undefined && cluster.commonCause.ratePerHour > 0;
  if (cluster.repairCrews < cluster.nodes || commonCause) return "availability.ctmc";
  return cluster.quorum === 1 ? "availability.parallel" : "availability.kofn";
}

function ctmcParams(model: Model): Record<string, ParamValue> {
  const { cluster } = model;
  const { mtbfHours, mttrHours } = cluster.node;
  if (mtbfHours === undefined || mttrHours === undefined) throw new InternalError("the Markov model needs node.mtbf and node.mttr");
  return {
    n: cluster.nodes,
    k: cluster.quorum,
    lambda: 1 / mtbfHours,
    mu: 1 / mttrHours,
    crews: cluster.repairCrews,
    lambda_cc: cluster.commonCause?.ratePerHour ?? 0,
    mu_cc: 1 / (cluster.commonCause?.mttrHours ?? mttrHours),
  };
}

/**
 * The model's metrics. `cache`: what an evaluation of many models may reuse, owned by the
 * caller (none: everything is computed afresh); the figures are the same either way.
 */
export function evaluateMetrics(model: Model, cache?: EvaluationCache): Metrics {
  const metrics = new Map<MetricId, MetricValue>();
  const { cluster } = model;
  const node = cluster.node.availability;
  const nodeUnavailabilities: Probability[] = Array.from({ length: cluster.nodes }, () => complementOf(node));

  if (cluster.node.mtbfHours !== undefined && cluster.node.mttrHours !== undefined) {
    const params = { mtbf: cluster.node.mtbfHours, mttr: cluster.node.mttrHours };
    metrics.set(METRIC.nodeAvailability, probability(METRIC.nodeAvailability, "availability.node", compute("availability.node", params)));
  } else {
    // with failure modes: the node on its own, 1 / (1 + Σ λ_j·mttr_j) (competingModesAvailability)
    const source = cluster.failureModes !== undefined ? "competing modes" : "input";
    metrics.set(METRIC.nodeAvailability, probability(METRIC.nodeAvailability, source, node));
  }

  // A fleet's cluster is its brokers, not one replica set: the cluster.* metrics (one
  // quorum over cluster.nodes) would describe no partition of it, so they are left out
  // (SINGLE_SET_METRICS), and the fleet's own metrics (docs/design.md §3c) are the exact
  // sums over its replica sets (fleetMetrics.ts).
  if (model.fleet !== undefined) {
    for (const [id, value] of fleetMetrics(model)) metrics.set(id, value);
  } else if (usesClusterChain(cluster)) {
    for (const [id, value] of clusterChainMetrics(model, cache)) metrics.set(id, value);
  } else setPlainClusterMetrics(model, metrics, nodeUnavailabilities);
  setBlockMetrics(model, metrics);
  // several sites serving one service (docs/design.md §3d): the exact region chain (regionsMetrics.ts)
  for (const [id, value] of regionMetrics(model)) metrics.set(id, value);
  return metrics;
}

/**
 * The metrics the model defines that no formula computes for it, each with the note
 * why — a fleet whose brokers are coupled beyond what the exact sums cover (docs/design.md §3c):
 * its six fleet.* metrics; a regions model whose chain cannot be solved (a site with rolling
 * restarts, a chain past the limits, §3d): its three region metrics. eval shows them
 * without a value.
 */
export function metricsOnlySimulated(model: Model): ReadonlyMap<MetricId, string> {
  return new Map([...fleetSimulatedOnly(model), ...regionsSimulatedOnly(model)]);
}

/** cluster.* for a plain cluster: parallel, k-of-n or the birth–death chain (docs/design.md §3). */
function setPlainClusterMetrics(model: Model, metrics: Map<MetricId, MetricValue>, nodeUnavailabilities: Probability[]): void {
  const { cluster } = model;
  const node = cluster.node.availability;
  const formula = clusterFormula(model);
  let result: FormulaResult;
  if (formula === "availability.ctmc") result = compute(formula, ctmcParams(model));
  else if (formula === "availability.parallel") result = compute(formula, { u: nodeUnavailabilities });
  else result = compute(formula, { k: cluster.quorum, n: cluster.nodes, a: [node] });
  const alternatives = formula === "availability.parallel" ? [] : simplerFormulaClaims(cluster, result, formula === "availability.ctmc");
  metrics.set(METRIC.clusterAvailability, {
    ...probability(METRIC.clusterAvailability, formula, result),
    ...(alternatives.length > 0 ? { alternatives } : {}),
  });
  metrics.set(METRIC.clusterDowntimePerYear, { value: downtimeHoursPerYear(result.complement), formula });
  if (cluster.node.mtbfHours !== undefined) {
    const chain = formula === "availability.ctmc" ? result : compute("availability.ctmc", ctmcParams(model));
    metrics.set(METRIC.clusterMttf, { value: chain.mttf as number, formula: "availability.ctmc" });
    metrics.set(METRIC.clusterOutagesPerYear, { value: (chain.outagesPerHour as number) * HOURS_PER_YEAR, formula: "availability.ctmc" });
  }
}

/**
 * The message path's parameters from the model: the leader's failure modes, its zone's
 * outages and the common cause, each with what it destroys (a dead disk counts as
 * unflushed on the message path: flushed data is at rest).
 */
export function messagePathParams(model: Model): MessagePathParams {
  const { cluster } = model;
  const messages = model.messages;
  if (messages === undefined || cluster.failureModes === undefined || cluster.failover === undefined) {
    throw new InternalError("the message path needs messages:, failure modes and failover");
  }
  return {
    nodes: cluster.nodes,
    quorum: cluster.quorum,
    acks: effectiveAcks(model),
    lag: messages.replicationLagHours,
    fsync: messages.fsync,
    window: messages.fsync === "os" ? messages.writebackHours : messages.fsyncIntervalHours,
    modes: cluster.failureModes.map((m) => ({ rate: m.ratePerHour, mttr: m.mttrHours, losesUnflushed: m.loses !== "nothing" })),
    failover: cluster.failover.timeHours,
    ...(cluster.zones?.outage && cluster.zones.outage.ratePerHour > 0
      ? {
          zones: {
            placement: cluster.zones.placement,
            rate: cluster.zones.outage.ratePerHour,
            mttr: cluster.zones.outage.mttrHours,
            losesUnflushed: cluster.zones.outage.loses !== "nothing",
          },
        }
      : {}),
    ...(cluster.commonCause && cluster.commonCause.ratePerHour > 0
      ? { commonCause: { rate: cluster.commonCause.ratePerHour, losesUnflushed: cluster.commonCause.loses !== "nothing" } }
      : {}),
    ...(cluster.maintenance ? { maintenance: maintenanceParams(cluster.nodes, cluster.maintenance) } : {}),
    ...(messages.isr
      ? { isr: { shrink: messages.isr.shrinkPerHour, recover: messages.isr.recoverHours, unclean: messages.uncleanElection } }
      : {}),
  };
}

/** The rolling restarts for the message path, with the slots a bad round reaches (formulas/maintenance.ts). */
function maintenanceParams(
  nodes: number,
  maintenance: NonNullable<Model["cluster"]["maintenance"]>,
): NonNullable<MessagePathParams["maintenance"]> {
  const { everyHours: every, durationHours: duration, badRelease: bad } = maintenance;
  if (bad === undefined || !(bad.p > 0)) return { every, duration };
  return { every, duration, badRelease: { p: bad.p, slots: badRoundPhases(nodes, duration, bad).slots } };
}

/**
 * Replicas that hold a record when it is confirmed: 1 for ack: leader — and for ack:
 * quorum with a quorum of 1, or a single node, which confirm on the leader's write alone
 * (the simulator treats them as ack: leader too).
 */
export function effectiveAcks(model: Model): number {
  const messages = model.messages;
  if (messages === undefined) return 1;
  const { nodes, quorum } = model.cluster;
  if (messages.ack === "leader" || nodes === 1) return 1;
  return messages.ack === "all" ? nodes : quorum;
}

/** message.loss, the article's two formulas and message.duplicates from the message path. */
function setMessagePathMetrics(model: Model, metrics: Map<MetricId, MetricValue>): void {
  const params = messagePathParams(model);
  const computed = messagePathOutcomes(params);
  // rolling restarts are outside the analysis: a follower under maintenance is one more
  // share of the time, (n − 1)·duration/every, in which it takes every follower as up
  const maintenance = model.cluster.maintenance;
  let restarting = maintenance ? ((model.cluster.nodes - 1) * maintenance.durationHours) / maintenance.everyHours : 0;
  // a bad release's broken nodes too: at most its slots' nodes, each down at most its window
  const bad = maintenance?.badRelease;
  if (maintenance && bad && bad.p > 0) {
    const phases = badRoundPhases(model.cluster.nodes, maintenance.durationHours, bad);
    restarting += (bad.p * phases.slots * phases.windowHours) / maintenance.everyHours;
  }
  const result = { ...computed, neglected: Math.min(1, computed.neglected + restarting) };
  const loss = probability(METRIC.messageLoss, "durability.message_path", result.lost);
  metrics.set(METRIC.messageLoss, {
    ...loss,
    errorEstimate: result.neglected * loss.value,
    ...(model.traffic ? { perYear: model.traffic.ratePerHour * HOURS_PER_YEAR * loss.value } : {}),
    inputs: {
      lost_unconfirmed: result.lostUnconfirmed,
      unconfirmed_survived: result.unconfirmedSurvived,
      leader_losses_per_year: result.leaderLossRate * HOURS_PER_YEAR,
      // durability.leader_ack's λ: the losses a follower takes over from (formulas/messagePath.ts handoverRate)
      ...(params.acks === 1 && params.nodes > 1
        ? {
            leader_handovers_per_year: result.handoverRate * HOURS_PER_YEAR,
            leader_ack: (compute("durability.leader_ack", { lambda: result.handoverRate, lag: params.lag }) as Probability).value,
          }
        : {}),
    },
  });
  const article = articleInputs(params, result);
  const derived = {
    p_fault: article.pFault.value,
    p_unpersisted: article.pUnpersisted.value,
    p_unconfirmed: article.pUnconfirmed.value,
    exposure_hours: article.exposureHours,
  };
  const persistence = compute("persistence.reliability", { p_unpersisted: article.pUnpersisted, p_fault: article.pFault });
  metrics.set(METRIC.persistenceReliability, {
    ...probability(METRIC.persistenceReliability, "persistence.reliability", persistence),
    errorEstimate: result.neglected * persistence.complement,
    inputs: derived,
  });
  const ack = compute("ack.reliability", { p_unconfirmed: article.pUnconfirmed, p_fault: article.pFault });
  metrics.set(METRIC.ackReliability, {
    ...probability(METRIC.ackReliability, "ack.reliability", ack),
    errorEstimate: result.neglected * ack.complement,
    inputs: derived,
  });
  const messages = model.messages as NonNullable<Model["messages"]>;
  const resend = messages.publisher.confirms && !messages.publisher.idempotent ? result.unconfirmedSurvived : 0;
  const redelivery = redeliveryShare(
    result.leaderLossRate,
    1,
    model.traffic?.consumerCrashRatePerHour ?? 0,
    model.traffic?.processingHours ?? DEFAULT_PROCESSING_HOURS,
  );
  metrics.set(METRIC.messageDuplicates, {
    value: resend + redelivery.value,
    complement: redelivery.complement - resend,
    formula: "duplicates.message_path",
    errorEstimate: result.neglected * (resend + redelivery.value),
    inputs: { resend_duplicates: resend, redeliveries: redelivery.value },
  });
}

/**
 * message.duplicates without a message path: redeliveries on failures of the consumer's
 * broker node (node 0: its modes, its zone, the common cause, its planned restarts — once
 * a round, taken as Poisson at 1/every: the same share p/every to first order; up a share
 * a of the time) and crashes of the consumer.
 */
function setRedeliveryMetric(model: Model, metrics: Map<MetricId, MetricValue>): void {
  const { cluster } = model;
  const modes = cluster.failureModes;
  if (modes === undefined || model.traffic === undefined) return;
  const zoneOutage = cluster.zones?.outage;
  const cc = cluster.commonCause;
  // a rolling restart takes node 0 down once a round: its consumers' deliveries too
  const restarts = cluster.maintenance ? 1 / cluster.maintenance.everyHours : 0;
  const rate = modes.reduce((sum, m) => sum + m.ratePerHour, 0) + (zoneOutage?.ratePerHour ?? 0) + (cc?.ratePerHour ?? 0) + restarts;
  // up: its process (competing modes), its zone and no common cause, taken as independent
  const process = competingModesAvailability(modes.map((m) => ({ failureRate: m.ratePerHour, repairRate: 1 / m.mttrHours })));
  const zone = zoneOutage ? 1 / (1 + zoneOutage.ratePerHour * zoneOutage.mttrHours) : 1;
  const free = cc ? 1 / (1 + cc.ratePerHour * cc.mttrHours) : 1;
  const params = {
    rate,
    a: { value: process.value * zone * free, complement: 1 - process.value * zone * free },
    consumer_crash_rate: model.traffic.consumerCrashRatePerHour ?? 0,
    processing_time: model.traffic.processingHours ?? DEFAULT_PROCESSING_HOURS,
  };
  metrics.set(METRIC.messageDuplicates, { ...compute("duplicates.redelivery", params), formula: "duplicates.redelivery" });
}

/**
 * queue.availability with the in-sync set (docs/formulas.md "The in-sync set"): the cluster's
 * own chain (zones, crews, common cause, maintenance, controller) plus what the set adds —
 * writes refused below the quorum in sync (ack all), elections that wait for a member (or,
 * unclean, do not) — the difference of the in-sync chain with and without the set
 * (inSyncChain.ts: alike nodes, self-recovering modes). Its error: the increment's
 * interaction with what only the cluster's chain has (a zone's, the common cause's,
 * the restarts' share of the time), stated as errorEstimate.
 */
function setInSyncQueueAvailability(model: Model, metrics: Map<MetricId, MetricValue>): void {
  const queue = metrics.get(METRIC.queueAvailability);
  const { cluster } = model;
  const isr = model.messages?.isr;
  if (queue === undefined || queue.complement === undefined || isr === undefined || cluster.failureModes === undefined) return;
  const chain = {
    nodes: cluster.nodes,
    quorum: cluster.quorum,
    modes: cluster.failureModes.map((m) => ({ rate: m.ratePerHour, mttr: m.mttrHours })),
    failover: cluster.failover?.timeHours ?? 0,
  };
  let withSet: number;
  let without: number;
  try {
    withSet = inSyncChain({
      ...chain,
      isr: {
        shrink: isr.shrinkPerHour,
        recover: isr.recoverHours,
        unclean: model.messages?.uncleanElection === true,
        gateWrites: model.messages?.ack === "all",
      },
    }).unavailability;
    without = inSyncChain(chain).unavailability;
  } catch (error) {
    if (error instanceof RangeError) throw new InputError(error.message, { file: model.file, path: "messages.isr" });
    throw error;
  }
  const increment = withSet - without;
  const complement = Math.min(1, Math.max(0, queue.complement + increment));
  const outage = cluster.zones?.outage;
  const elsewhere =
    (outage ? outage.ratePerHour * outage.mttrHours : 0) +
    (cluster.commonCause ? cluster.commonCause.ratePerHour * cluster.commonCause.mttrHours : 0) +
    (cluster.maintenance ? (cluster.nodes * cluster.maintenance.durationHours) / cluster.maintenance.everyHours : 0);
  metrics.set(METRIC.queueAvailability, {
    ...queue,
    value: 1 - complement,
    complement,
    nines: nines(complement),
    method: "the cluster's chain plus the in-sync set's increment (inSyncChain)",
    errorEstimate: (queue.errorEstimate ?? 0) + Math.abs(increment) * Math.min(1, elsewhere),
    inputs: { ...(queue.inputs ?? {}), in_sync_increment: increment },
  });
}

/** Metrics of the blocks beside the cluster: persistence, ack, durability, retry. */
function setBlockMetrics(model: Model, metrics: Map<MetricId, MetricValue>): void {
  if (model.messages?.isr) setInSyncQueueAvailability(model, metrics);
  if (model.messages) setMessagePathMetrics(model, metrics);
  else setRedeliveryMetric(model, metrics);
  if (model.persistence) {
    const params = { p_unpersisted: model.persistence.pUnpersisted, p_fault: model.persistence.pFault };
    const id = METRIC.persistenceReliability;
    metrics.set(id, probability(id, "persistence.reliability", compute("persistence.reliability", params)));
  }
  if (model.ack) {
    const params = { p_unconfirmed: model.ack.pUnconfirmed, p_fault: model.ack.pFault };
    const id = METRIC.ackReliability;
    metrics.set(id, probability(id, "ack.reliability", compute("ack.reliability", params)));
  }
  if (model.durability) {
    const d = model.durability;
    const params = { q: d.replicas, lambda: d.crashRatePerHour, window: d.windowHours, lambda_cc: d.correlatedCrashRatePerHour };
    const loss = probability(METRIC.messageLoss, "durability.replicated", compute("durability.replicated", params));
    // with Poisson arrivals at rate r, E[lost per year] = r · 8766 h · P(loss)
    metrics.set(METRIC.messageLoss, model.traffic ? { ...loss, perYear: model.traffic.ratePerHour * HOURS_PER_YEAR * loss.value } : loss);
  }
  if (model.retry) {
    const { retry } = model;
    if (retry.timing) {
      const t = retry.timing;
      const params = {
        p_success: retry.pSuccess,
        attempts: retry.attempts,
        timeout: t.timeoutHours,
        backoff_initial: t.backoffInitialHours,
        backoff_multiplier: t.backoffMultiplier,
        backoff_max: t.backoffMaxHours,
        deadline: t.deadlineHours,
      };
      metrics.set(METRIC.retrySuccess, probability(METRIC.retrySuccess, "retry.deadline", compute("retry.deadline", params)));
    } else {
      const params = { p_success: retry.pSuccess, attempts: retry.attempts };
      metrics.set(METRIC.retrySuccess, probability(METRIC.retrySuccess, "retry.fault_tolerance", compute("retry.fault_tolerance", params)));
    }
  }
}
