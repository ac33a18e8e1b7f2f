/**
 * The region metrics (docs/design.md §3d) from the resolved model: each site's cluster put
 * in the form of clusterChain's parameters, its region's outage process, the failover
 * control, and the exact region chain of src/formulas/regions.ts, named `regions.chain`:
 *
 * - `service.availability`: the active site available and no switch under way;
 * - `regions.failovers_per_year`: failovers started per year (planned switches back are
 *   shown beside it, as an input, not counted);
 * - `regions.loss`: the share of confirmed records lost at failovers, the exact copy
 *   backlog at each failover over the records confirmed (the derivation is in regions.ts);
 *   with `traffic:`, the records lost per year beside it.
 *
 * A chain beyond the formula's limits, or a site with rolling restarts, leaves the region
 * metrics simulated only ({@link regionsSimulatedOnly}, as a coupled fleet's): the simulator
 * estimates them (docs/design.md §3d).
 */
import { InputError } from "../common/errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { ChainTooLargeError, type ClusterChainParams, type RegionsParams, regionsChain, regionsChainStates } from "../formulas/index.js";
import { METRIC, type MetricId, nines } from "../metrics/index.js";
import type { MetricValue } from "./evaluate.js";
import type { RegionsModel } from "./regions.js";
import type { ClusterModel, Model } from "./types.js";

/** The name given beside every region metric: the exact chain over the sites' states and the control. */
export const REGIONS_FORMULA = "regions.chain";

/** A site's cluster as the region chain reads it (rates per hour); the model checked it has rates. */
export function siteClusterParams(cluster: ClusterModel): ClusterChainParams {
  const modes = cluster.failureModes ?? [];
  const outage = cluster.zones?.outage;
  return {
    nodes: cluster.nodes,
    quorum: cluster.quorum,
    modes: modes.map((m) => ({ failureRate: m.ratePerHour, repairRate: 1 / m.mttrHours, needsCrew: m.crew })),
    repairCrews: cluster.repairCrews,
    ...(cluster.zones
      ? {
          zones: {
            placement: cluster.zones.placement,
            outageRate: outage?.ratePerHour ?? 0,
            restoreRate: outage ? 1 / outage.mttrHours : 1,
          },
        }
      : {}),
    ...(cluster.commonCause
      ? { commonCause: { rate: cluster.commonCause.ratePerHour, restoreRate: 1 / cluster.commonCause.mttrHours } }
      : {}),
  };
}

/** The region metrics' ids, in the registry's order. */
export const REGION_METRICS: readonly MetricId[] = [METRIC.serviceAvailability, METRIC.regionsFailoversPerYear, METRIC.regionsLoss];

/** The region chain's parameters of a model. */
function chainParams(regions: RegionsModel): RegionsParams {
  return {
    sites: regions.sites.map((site) => ({
      cluster: siteClusterParams(site.cluster),
      outage: { rate: site.outage.ratePerHour, mttr: site.outage.mttrHours },
    })),
    after: regions.failover.afterHours,
    time: regions.failover.timeHours,
    lag: regions.replication.lagHours,
    ...(regions.failback ? { failback: { after: regions.failback.afterHours, time: regions.failback.timeHours } } : {}),
  };
}

/**
 * `compute` on the model's region chain, or why the region metrics are simulated only (a
 * site with rolling restarts, a chain past the limits); other bad parameters are bad input.
 */
function onChain<T>(model: Model, regions: RegionsModel, compute: (params: RegionsParams) => T): { value: T } | { simulatedOnly: string } {
  if (regions.simulatedOnly !== undefined) return { simulatedOnly: regions.simulatedOnly.why };
  try {
    return { value: compute(chainParams(regions)) };
  } catch (error) {
    // the sites' chains multiply past what is solved exactly: the simulator still estimates them
    if (error instanceof ChainTooLargeError) {
      return { simulatedOnly: `${error.message} (sites of fewer failure modes, or without zones, fit; see docs/formulas.md "Regions")` };
    }
    if (error instanceof RangeError) throw new InputError(error.message, { file: model.file, path: "regions" });
    throw error;
  }
}

/**
 * For a `regions:` model whose region chain cannot be solved (a site with rolling restarts,
 * or a chain past the limits): each region metric with the note that it is only simulated
 * and why (eval shows it, check's SLO on it is inconclusive, check --simulate judges it);
 * empty for any other model.
 */
export function regionsSimulatedOnly(model: Model): ReadonlyMap<MetricId, string> {
  if (model.regions === undefined) return new Map();
  // explored, not solved: the limits are on the states, and exploring them is cheap
  const outcome = onChain(model, model.regions, regionsChainStates);
  if (!("simulatedOnly" in outcome)) return new Map();
  const note = `simulated only: ${outcome.simulatedOnly} — mqrel simulate estimates it`;
  return new Map(REGION_METRICS.map((id) => [id, note]));
}

/** service.availability, regions.failovers_per_year and regions.loss; none without `regions:`, nor when only simulated. */
export function regionMetrics(model: Model): Map<MetricId, MetricValue> {
  const metrics = new Map<MetricId, MetricValue>();
  const regions = model.regions;
  if (regions === undefined) return metrics;
  const outcome = onChain(model, regions, regionsChain);
  if ("simulatedOnly" in outcome) return metrics;
  const result = outcome.value;
  const formula = REGIONS_FORMULA;
  const failoversPerYear = result.failoversPerHour * HOURS_PER_YEAR;
  const states = { region_states: result.states.total };
  metrics.set(METRIC.serviceAvailability, {
    value: result.service.value,
    complement: result.service.complement,
    formula,
    nines: nines(result.service.complement),
    inputs: states,
  });
  metrics.set(METRIC.regionsFailoversPerYear, {
    value: failoversPerYear,
    formula,
    inputs: { ...states, failbacks_per_year: result.failbacksPerHour * HOURS_PER_YEAR },
  });
  const rate = model.traffic?.ratePerHour;
  metrics.set(METRIC.regionsLoss, {
    value: result.loss.value,
    complement: result.loss.complement,
    formula,
    // lost per year: the share of the r · availability · 8766 h records confirmed (≈ failovers × r·lag)
    ...(rate !== undefined ? { perYear: result.loss.value * rate * result.service.value * HOURS_PER_YEAR } : {}),
    inputs: {
      ...states,
      // the mean backlog lost at a failover (≤ rate × lag: a failover soon after a switch loses less)
      ...(rate !== undefined && failoversPerYear > 0
        ? { records_lost_per_failover: (result.loss.value * rate * result.service.value * HOURS_PER_YEAR) / failoversPerYear }
        : {}),
    },
  });
  return metrics;
}
