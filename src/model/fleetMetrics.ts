/**
 * The fleet's metrics (docs/design.md §3c) from the resolved model: each broker's factor of
 * the product form from its failure modes (`fleetBrokerFromModes`), the replica sets as
 * placed at resolve time, and the exact sums of `fleetMetricsIndependent`
 * (src/formulas/fleet.ts). The brokers are independent there by construction: the
 * resolver refuses a fleet whose brokers would be coupled (a common cause, zone outages,
 * rolling restarts, fewer crews than brokers for crew modes) — see `checkFleetIndependence`
 * in fleet.ts — since no fleet simulator exists yet to answer for them.
 */
import { InputError } from "../common/errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { fleetBrokerFromModes, fleetMetricsIndependent } from "../formulas/index.js";
import { METRIC, type MetricId, metricSpec, nines } from "../metrics/index.js";
import type { MetricValue } from "./evaluate.js";
import type { Model } from "./types.js";

/** The formula named beside every fleet metric. */
export const FLEET_FORMULA = "fleet.independent";

export function fleetMetrics(model: Model): Map<MetricId, MetricValue> {
  const { cluster, fleet } = model;
  const modes = cluster.failureModes;
  if (fleet === undefined || modes === undefined) {
    throw new InputError("a fleet needs its brokers' failure modes (node.failures, or node.mtbf and node.mttr)", {
      file: model.file,
      path: "cluster.node",
    });
  }
  const broker = fleetBrokerFromModes(modes);
  let result: ReturnType<typeof fleetMetricsIndependent>;
  try {
    result = fleetMetricsIndependent({
      brokers: Array.from({ length: cluster.nodes }, () => broker),
      replicaSets: fleet.replicaSets,
      minInsync: fleet.minInsync,
    });
  } catch (error) {
    // the exact sums' work limits: one line, the limit in it (docs/design.md §2: never an approximate number)
    if (error instanceof RangeError) throw new InputError(error.message, { file: model.file, path: "fleet" });
    throw error;
  }
  const metrics = new Map<MetricId, MetricValue>();
  metrics.set(METRIC.fleetAvailability, {
    value: result.availability.value,
    complement: result.availability.complement,
    formula: FLEET_FORMULA,
    ...(metricSpec(METRIC.fleetAvailability).nines ? { nines: nines(result.availability.complement) } : {}),
    ...(result.availabilityBound > 0 ? { errorEstimate: result.availabilityBound } : {}),
  });
  metrics.set(METRIC.fleetPartitionAvailability, {
    value: result.partitionAvailability.value,
    complement: result.partitionAvailability.complement,
    formula: FLEET_FORMULA,
    ...(metricSpec(METRIC.fleetPartitionAvailability).nines ? { nines: nines(result.partitionAvailability.complement) } : {}),
  });
  metrics.set(METRIC.fleetPartitionsUnavailable, { value: result.partitionsUnavailable, formula: FLEET_FORMULA });
  metrics.set(METRIC.fleetLossEventsPerYear, {
    value: result.lossEventsPerHour * HOURS_PER_YEAR,
    formula: FLEET_FORMULA,
    ...(result.lossEventsBound > 0 ? { errorEstimate: result.lossEventsBound * HOURS_PER_YEAR } : {}),
  });
  metrics.set(METRIC.fleetPartitionsLostPerYear, { value: result.partitionsLostPerHour * HOURS_PER_YEAR, formula: FLEET_FORMULA });
  metrics.set(METRIC.fleetElectionsPerYear, { value: result.electionsPerHour * HOURS_PER_YEAR, formula: FLEET_FORMULA });
  return metrics;
}
