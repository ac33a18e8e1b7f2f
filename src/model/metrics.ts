/**
 * A model's metrics (DESIGN.md §3), each computed by the catalog formula that fits the
 * model's structure, so that the "formula" reported beside a number is the one that
 * produced it.
 */
import { type FormulaResult, findFormula, type ParamValue } from "../catalog.js";
import { InternalError } from "../errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { complementOf, type Probability, type ZoneLossCheck } from "../formulas/index.js";
import { downtimeHoursPerYear, METRIC, type MetricId, metricSpec, nines } from "../metrics/index.js";
import { clusterChainMetrics, simplerFormulaClaims, usesClusterChain } from "./clusterMetrics.js";
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

/** Which formula gives cluster.availability for this cluster (DESIGN.md §3). */
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

export function evaluateMetrics(model: Model): Metrics {
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

  if (usesClusterChain(cluster)) {
    for (const [id, value] of clusterChainMetrics(model)) metrics.set(id, value);
  } else setPlainClusterMetrics(model, metrics, nodeUnavailabilities);
  setBlockMetrics(model, metrics);
  return metrics;
}

/** cluster.* for a plain cluster: parallel, k-of-n or the birth–death chain (DESIGN.md §3). */
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

/** Metrics of the blocks beside the cluster: persistence, ack, durability, retry. */
function setBlockMetrics(model: Model, metrics: Map<MetricId, MetricValue>): void {
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
