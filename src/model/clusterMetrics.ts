/**
 * Cluster metrics for models that use the keys of docs/design.md §3a — several failure modes,
 * crew-free modes, zones, maintenance, failover — computed by the catalog's chain
 * formulas (availability.modes, availability.zones, availability.queue,
 * availability.maintenance), so that the formula named beside a number is the one that
 * produced it. Plain models (one crew mode, none of those keys) keep the formulas of
 * metrics.ts.
 */
import { type FormulaResult, findFormula, type ParamValue } from "../catalog/index.js";
import { InputError, InternalError } from "../common/errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { type ClusterSolveCache, complementOf, type Probability, zoneLossSurvival } from "../formulas/index.js";
import { downtimeHoursPerYear, METRIC, type MetricId, nines } from "../metrics/index.js";
import type { Alternative, MetricValue } from "./evaluate.js";
import type { EvaluationCache } from "./evaluationCache.js";
import type { ClusterModel, Model } from "./types.js";

/** Does the model need the general chain (anything beyond one crew mode without zones, maintenance, failover)? */
export function usesClusterChain(cluster: ClusterModel): boolean {
  const modes = cluster.failureModes;
  const plainModes = modes === undefined || (modes.length === 1 && (modes[0] as NonNullable<typeof modes>[number]).crew);
  return !plainModes || cluster.zones !== undefined || cluster.maintenance !== undefined || cluster.failover !== undefined;
}

function compute(id: string, params: Record<string, ParamValue>, cache: ClusterSolveCache | undefined): FormulaResult {
  const entry = findFormula(id);
  if (entry === undefined) throw new InternalError(`no formula ${id} in the catalog`);
  return entry.compute(new Map(Object.entries(params)), cache === undefined ? {} : { cache });
}

/** The chain formulas' parameters for this cluster (rates per hour, times in hours). */
function chainParams(cluster: ClusterModel): Record<string, ParamValue> {
  const modes = cluster.failureModes ?? [];
  const zones = cluster.zones;
  const outage = zones?.outage;
  return {
    k: cluster.quorum,
    ...(zones ? { placement: zones.placement } : { n: cluster.nodes }),
    lambda: modes.map((m) => m.ratePerHour),
    mu: modes.map((m) => 1 / m.mttrHours),
    crew: modes.map((m) => (m.crew ? 1 : 0)),
    crews: cluster.repairCrews,
    lambda_cc: cluster.commonCause?.ratePerHour ?? 0,
    ...(cluster.commonCause ? { mu_cc: 1 / cluster.commonCause.mttrHours } : {}),
    ...(zones ? { lambda_zone: outage?.ratePerHour ?? 0, ...(outage ? { mu_zone: 1 / outage.mttrHours } : {}) } : {}),
  };
}

/** availability.queue's control-plane parameters (none without cluster.controller). */
function controllerParams(cluster: ClusterModel): Record<string, ParamValue> {
  const c = cluster.controller;
  if (c === undefined) return {};
  return {
    controller_n: c.nodes,
    controller_k: c.quorum,
    controller_lambda: c.modes.map((m) => m.ratePerHour),
    controller_mu: c.modes.map((m) => 1 / m.mttrHours),
  };
}

function probabilityMetric(formula: string, result: Probability, extra: Partial<MetricValue> = {}): MetricValue {
  return { value: result.value, complement: result.complement, formula, nines: nines(result.complement), ...extra };
}

/**
 * cluster.availability, downtime, MTTF, outages per year and queue.availability from the
 * chain formulas. A cluster whose chain is beyond mqrel's limits is bad input about the
 * model's cluster block (the formula's message says which limit). With a cache: the
 * planning commands and the contributions evaluate many variants of one model, and half
 * of them (a retry or durability field moved) leave the cluster as it was — its chains (a
 * second or more with a maintenance schedule over five nodes) are solved once.
 */
export function clusterChainMetrics(model: Model, cache?: EvaluationCache): Map<MetricId, MetricValue> {
  try {
    if (cache === undefined) return chainMetrics(model);
    return cache.clusterMetrics(JSON.stringify(model.cluster), () => chainMetrics(model, cache.chains));
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message, { file: model.file, path: "cluster" });
    throw error;
  }
}

function chainMetrics(model: Model, chains?: ClusterSolveCache): Map<MetricId, MetricValue> {
  const { cluster } = model;
  const metrics = new Map<MetricId, MetricValue>();
  const hasRates = cluster.failureModes !== undefined;
  const zoned = cluster.zones !== undefined;
  const params = chainParams(cluster);
  const failover: Record<string, ParamValue> = cluster.failover ? { failover: cluster.failover.timeHours } : {};
  let formula: string;
  let result: FormulaResult;
  let queue: { formula: string; result: Probability } | undefined;
  if (cluster.maintenance) {
    formula = "availability.maintenance";
    const order: Record<string, ParamValue> = cluster.zones ? { order: cluster.zones.zoneOfNode.map((z) => z + 1) } : {};
    result = compute(
      formula,
      {
        ...params,
        ...failover,
        every: cluster.maintenance.everyHours,
        duration: cluster.maintenance.durationHours,
        ...order,
        ...(cluster.maintenance.badRelease
          ? {
              bad_p: { value: cluster.maintenance.badRelease.p, complement: 1 - cluster.maintenance.badRelease.p },
              bad_detect: cluster.maintenance.badRelease.detectHours,
              bad_rollback: cluster.maintenance.badRelease.rollbackHours,
            }
          : {}),
      },
      chains,
    );
    if (result.queue) queue = { formula, result: result.queue };
  } else {
    formula = zoned ? "availability.zones" : "availability.modes";
    if (!hasRates) {
      // zones over nodes given as an availability: the exact convolution, nothing else
      const { lambda: _l, mu: _m, crew: _c, ...rest } = params;
      result = compute(formula, { ...rest, a: [cluster.node.availability] }, chains);
    } else result = compute(formula, params, chains);
    if (cluster.failover)
      queue = {
        formula: "availability.queue",
        result: compute("availability.queue", { ...params, ...failover, ...controllerParams(cluster) }, chains).queue as Probability,
      };
  }
  const zoneCheck = cluster.zones ? zoneLossSurvival(cluster.zones.placement, cluster.quorum) : undefined;
  metrics.set(
    METRIC.clusterAvailability,
    probabilityMetric(formula, result, {
      ...(result.method !== undefined ? { method: result.method } : {}),
      alternatives: simplerFormulaClaims(cluster, result),
      ...(zoneCheck ? { zoneCheck } : {}),
      ...(result.details?.error_estimate !== undefined ? { errorEstimate: result.details.error_estimate as number } : {}),
    }),
  );
  metrics.set(METRIC.clusterDowntimePerYear, { value: downtimeHoursPerYear(result.complement), formula });
  if (hasRates) {
    const mttf = cluster.maintenance ? (result.details?.mean_up_time_hours as number) : (result.mttf as number);
    metrics.set(METRIC.clusterMttf, { value: mttf, formula });
    metrics.set(METRIC.clusterOutagesPerYear, { value: (result.outagesPerHour as number) * HOURS_PER_YEAR, formula });
  }
  if (queue) metrics.set(METRIC.queueAvailability, probabilityMetric(queue.formula, queue.result));
  return metrics;
}

/**
 * What the simpler formulas claim for the same nodes — independent k-of-n (when the
 * model's own formula is a chain) and the article's parallel formula — with what each
 * leaves out of the model, in words.
 */
export function simplerFormulaClaims(cluster: ClusterModel, result: Probability, withKofn = true): Alternative[] {
  const node = cluster.node.availability;
  const commonCause = cluster.commonCause !== undefined && cluster.commonCause.ratePerHour > 0;
  const crewModes = (cluster.failureModes ?? [{ crew: true }]).some((m) => m.crew);
  const leftOut = [
    ...(commonCause ? ["the common cause"] : []),
    ...(crewModes && cluster.repairCrews < cluster.nodes
      ? [`the shared repair crews (${cluster.repairCrews} for ${cluster.nodes} nodes)`]
      : []),
    ...(cluster.zones && (cluster.zones.outage?.ratePerHour ?? 0) > 0 ? ["the zone outages"] : []),
    ...(cluster.maintenance ? ["the rolling restarts"] : []),
  ];
  const list: Alternative[] = [];
  const add = (formula: string, other: FormulaResult, ignores: readonly string[]) =>
    list.push({
      formula,
      value: other.value,
      complement: other.complement,
      nines: nines(other.complement),
      overstatesNines: nines(other.complement) - nines(result.complement),
      ignores,
    });
  if (withKofn && cluster.quorum > 1) {
    add("availability.kofn", compute("availability.kofn", { k: cluster.quorum, n: cluster.nodes, a: [node] }, undefined), leftOut);
  }
  add(
    "availability.parallel",
    compute("availability.parallel", { u: Array.from({ length: cluster.nodes }, () => complementOf(node)) }, undefined),
    [...(cluster.quorum > 1 ? [`the quorum (it counts one node up as enough; ${cluster.quorum} are needed)`] : []), ...leftOut],
  );
  return list;
}
