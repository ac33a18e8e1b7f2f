/**
 * From a model's `regions:` block (docs/design.md §3d) to what the regions simulation reads
 * (kernel/regionRun.ts RegionsSimConfig), in one of the two settings (fromModel.ts says
 * what each holds to). Each site's cluster is built exactly as the model's own cluster
 * would be (simConfigFromModel, over the model with that site's cluster), so a site has
 * every mechanism and every setting (repair law, Weibull failures, warm-up) a cluster has.
 */
import type { ClusterModel, FleetModel, Model } from "../../model/types.js";
import type { RegionsSimConfig } from "../kernel/regionRun.js";
import { DEFAULT_HORIZON_HOURS, DEFAULT_RUNS, type SimulationChoices, simConfigFromModel } from "./fromModel.js";

/** What the simulation reads of a resolved `regions:` block (the shape of src/model's RegionsModel), in hours. */
export interface RegionsModelInput {
  readonly failover: { readonly afterHours: number; readonly timeHours: number };
  readonly replication: { readonly lagHours: number };
  readonly failback?: { readonly afterHours: number; readonly timeHours: number };
  readonly sites: readonly {
    readonly outage: { readonly ratePerHour: number; readonly mttrHours: number };
    readonly cluster: ClusterModel;
    /** a fleet site: partitions over the cluster's brokers (the site is available while every one is writable) */
    readonly fleet?: FleetModel;
  }[];
}

export interface RegionsSimulationPlan {
  readonly config: RegionsSimConfig;
  readonly runs: number;
  readonly horizonHours: number;
  /** the sites' work warnings (a site's cluster too costly to simulate), one line each */
  readonly warnings: readonly string[];
}

/**
 * The regions simulation of a model: its sites' clusters as the simulator builds a
 * cluster, their regions' outages, the failover's and failback's times and the copy lag;
 * `after` and `time` are exponential under `--assume formula`, fixed in realistic mode.
 * Runs and horizon: the choices, else the model's `simulation:` block, else the defaults.
 *
 * @throws InputError as simConfigFromModel does for a site's cluster it cannot simulate
 */
export function regionsSimConfigFromModel(model: Model, regions: RegionsModelInput, choices: SimulationChoices): RegionsSimulationPlan {
  const warnings: string[] = [];
  const sites = regions.sites.map((site) => {
    // the site's cluster alone (with its own fleet, if it is one): no message path, durability, retries or traffic beside it
    const plan = simConfigFromModel(
      {
        ...model,
        cluster: site.cluster,
        fleet: site.fleet,
        messages: undefined,
        durability: undefined,
        retry: undefined,
        traffic: undefined,
      },
      choices,
    );
    warnings.push(...plan.warnings);
    return { cluster: plan.config.cluster, outageRatePerHour: site.outage.ratePerHour, outageMttrHours: site.outage.mttrHours };
  });
  return {
    config: {
      sites,
      afterHours: regions.failover.afterHours,
      timeHours: regions.failover.timeHours,
      lagHours: regions.replication.lagHours,
      mode: choices.mode,
      ...(regions.failback ? { failback: regions.failback } : {}),
    },
    runs: choices.runs ?? model.simulation.runs ?? DEFAULT_RUNS,
    horizonHours: choices.horizonHours ?? model.simulation.horizonHours ?? DEFAULT_HORIZON_HOURS,
    warnings: [...new Set(warnings)],
  };
}
