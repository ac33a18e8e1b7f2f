/**
 * The fleet's metrics (docs/design.md §3c) from the resolved model: each broker's factor of
 * the product form from its failure modes (`fleetBrokerFromModes`), the replica sets as
 * placed at resolve time, and the exact sums of src/formulas/fleet.ts:
 *
 * - independent brokers (no zone outages, or their rate 0): `fleetMetricsIndependent`,
 *   named `fleet.independent`;
 * - zone outages: `fleetMetricsZones` (src/formulas/fleetZones.ts), the same sums
 *   conditioned on the zones' states, named `fleet.zones`;
 * - a common cause or crew modes sharing fewer crews than brokers (no zone outages):
 *   `fleetMetricsSymmetric` (src/formulas/fleetSymmetric.ts) over exchangeable brokers,
 *   named `fleet.exchangeable`;
 * - brokers coupled beyond what the sums cover (rolling restarts, or a common cause or
 *   shared crews beside zone outages: `FleetModel.simulatedOnly`, see `fleetCoupling` in
 *   fleet.ts): no exact value — the six fleet.* metrics are only simulated, and
 *   {@link fleetSimulatedOnly} says so, for eval to show in their place.
 */
import { InputError } from "../common/errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import {
  type FleetMetrics,
  fleetBrokerFromModes,
  fleetMetricsIndependent,
  fleetMetricsSymmetric,
  fleetMetricsZones,
  fleetZoneFromOutage,
} from "../formulas/index.js";
import { METRIC, type MetricId, metricSpec, nines } from "../metrics/index.js";
import type { MetricValue } from "./evaluate.js";
import { simulatedOnlyNote } from "./fleet.js";
import type { Model } from "./types.js";

/** The formula named beside every fleet metric of independent brokers. */
export const FLEET_FORMULA = "fleet.independent";
/** The formula named beside every fleet metric with zone outages (conditioned on the zones' states). */
export const FLEET_ZONES_FORMULA = "fleet.zones";
/** The formula named beside every fleet metric with a common cause or shared crews (exchangeable brokers). */
export const FLEET_EXCHANGEABLE_FORMULA = "fleet.exchangeable";

/** The fleet's metrics, in the registry's order. */
export const FLEET_METRICS: readonly MetricId[] = [
  METRIC.fleetAvailability,
  METRIC.fleetPartitionAvailability,
  METRIC.fleetPartitionsUnavailable,
  METRIC.fleetLossEventsPerYear,
  METRIC.fleetPartitionsLostPerYear,
  METRIC.fleetElectionsPerYear,
];

/**
 * For a fleet whose brokers are coupled beyond what the exact sums cover: each fleet metric with the
 * note that it is only simulated and why; empty for any other model.
 */
export function fleetSimulatedOnly(model: Model): ReadonlyMap<MetricId, string> {
  const simulatedOnly = model.fleet?.simulatedOnly;
  if (simulatedOnly === undefined) return new Map();
  const note = simulatedOnlyNote(simulatedOnly);
  return new Map(FLEET_METRICS.map((id) => [id, note]));
}

export function fleetMetrics(model: Model): Map<MetricId, MetricValue> {
  const { cluster, fleet } = model;
  const modes = cluster.failureModes;
  if (fleet === undefined || modes === undefined) {
    throw new InputError("a fleet needs its brokers' failure modes (node.failures, or node.mtbf and node.mttr)", {
      file: model.file,
      path: "cluster.node",
    });
  }
  const metrics = new Map<MetricId, MetricValue>();
  if (fleet.simulatedOnly !== undefined) return metrics;
  const broker = fleetBrokerFromModes(modes);
  const input = {
    brokers: Array.from({ length: cluster.nodes }, () => broker),
    replicaSets: fleet.replicaSets,
    minInsync: fleet.minInsync,
  };
  const zones = cluster.zones;
  const outage = zones?.outage !== undefined && zones.outage.ratePerHour > 0 ? zones.outage : undefined;
  let result: FleetMetrics;
  let formula: string;
  try {
    const commonCause = cluster.commonCause !== undefined && cluster.commonCause.ratePerHour > 0 ? cluster.commonCause : undefined;
    const sharedCrews = cluster.repairCrews < cluster.nodes && modes.some((mode) => mode.crew);
    if (zones !== undefined && outage !== undefined) {
      const zone = fleetZoneFromOutage(outage.ratePerHour, outage.mttrHours);
      result = fleetMetricsZones({ ...input, zoneOfBroker: zones.zoneOfNode, zones: zones.placement.map(() => zone) });
      formula = FLEET_ZONES_FORMULA;
    } else if (commonCause !== undefined || sharedCrews) {
      result = fleetMetricsSymmetric({
        brokers: cluster.nodes,
        modes: modes.map((mode) => ({
          failureRate: mode.ratePerHour,
          repairRate: 1 / mode.mttrHours,
          needsCrew: mode.crew,
          losesDisk: mode.loses === "disk",
        })),
        repairCrews: cluster.repairCrews,
        ...(commonCause
          ? {
              commonCause: {
                rate: commonCause.ratePerHour,
                restoreRate: 1 / commonCause.mttrHours,
                losesDisk: commonCause.loses === "disk",
              },
            }
          : {}),
        replicaSets: fleet.replicaSets,
        minInsync: fleet.minInsync,
      });
      formula = FLEET_EXCHANGEABLE_FORMULA;
    } else {
      result = fleetMetricsIndependent(input);
      formula = FLEET_FORMULA;
    }
  } catch (error) {
    // the exact sums' work limits: one line, the limit in it (docs/design.md §2: never an approximate number)
    if (error instanceof RangeError) throw new InputError(error.message, { file: model.file, path: "fleet" });
    throw error;
  }
  metrics.set(METRIC.fleetAvailability, {
    value: result.availability.value,
    complement: result.availability.complement,
    formula,
    ...(metricSpec(METRIC.fleetAvailability).nines ? { nines: nines(result.availability.complement) } : {}),
    ...(result.availabilityBound > 0 ? { errorEstimate: result.availabilityBound } : {}),
  });
  metrics.set(METRIC.fleetPartitionAvailability, {
    value: result.partitionAvailability.value,
    complement: result.partitionAvailability.complement,
    formula,
    ...(metricSpec(METRIC.fleetPartitionAvailability).nines ? { nines: nines(result.partitionAvailability.complement) } : {}),
  });
  metrics.set(METRIC.fleetPartitionsUnavailable, { value: result.partitionsUnavailable, formula });
  metrics.set(METRIC.fleetLossEventsPerYear, {
    value: result.lossEventsPerHour * HOURS_PER_YEAR,
    formula,
    ...(result.lossEventsBound > 0 ? { errorEstimate: result.lossEventsBound * HOURS_PER_YEAR } : {}),
  });
  metrics.set(METRIC.fleetPartitionsLostPerYear, { value: result.partitionsLostPerHour * HOURS_PER_YEAR, formula });
  metrics.set(METRIC.fleetElectionsPerYear, { value: result.electionsPerHour * HOURS_PER_YEAR, formula });
  return metrics;
}
