/**
 * The region metrics (docs/design.md §3d) from the resolved model: each site's cluster put
 * in the form of clusterChain's parameters, its region's outage process, the failover
 * control, and the exact region chain of src/formulas/regions.ts, named `regions.chain`:
 *
 * - `service.availability`: the active site available and no switch under way;
 * - `regions.failovers_per_year`: failovers started per year (planned switches back are
 *   shown beside it, as an input, not counted);
 * - `regions.loss`: the share of confirmed records lost at failovers, ν·lag/(1 + ν·lag)
 *   with ν the failovers per hour of service (the derivation is in regions.ts); with
 *   `traffic:`, the records lost per year beside it.
 *
 * A chain beyond the formula's limits is bad input about the regions block (exit 2), its
 * message saying which limit.
 */
import { InputError } from "../common/errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { ChainTooLargeError, type ClusterChainParams, type RegionSite, regionsChain } from "../formulas/index.js";
import { METRIC, type MetricId, nines } from "../metrics/index.js";
import type { MetricValue } from "./evaluate.js";
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

/** service.availability, regions.failovers_per_year and regions.loss; none without `regions:`. */
export function regionMetrics(model: Model): Map<MetricId, MetricValue> {
  const metrics = new Map<MetricId, MetricValue>();
  const regions = model.regions;
  if (regions === undefined) return metrics;
  const sites: RegionSite[] = regions.sites.map((site) => ({
    cluster: siteClusterParams(site.cluster),
    outage: { rate: site.outage.ratePerHour, mttr: site.outage.mttrHours },
  }));
  let result: ReturnType<typeof regionsChain>;
  try {
    result = regionsChain({
      sites,
      after: regions.failover.afterHours,
      time: regions.failover.timeHours,
      lag: regions.replication.lagHours,
      ...(regions.failback ? { failback: { after: regions.failback.afterHours, time: regions.failback.timeHours } } : {}),
    });
  } catch (error) {
    if (error instanceof ChainTooLargeError) {
      // the sites' chains multiply: say what fits
      throw new InputError(
        `${error.message} (the sites' chains multiply: sites of fewer failure modes, or without zones, fit; see docs/formulas.md "Regions")`,
        { file: model.file, path: "regions" },
      );
    }
    if (error instanceof RangeError) throw new InputError(error.message, { file: model.file, path: "regions" });
    throw error;
  }
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
      ...(rate !== undefined ? { records_lost_per_failover: rate * regions.replication.lagHours } : {}),
    },
  });
  return metrics;
}
