/**
 * From a model to what the simulator simulates, in one of two settings:
 *
 * - "formula": the simulator is held to each formula's own assumptions — exponential
 *   times to failure and repair, the model's repair crews and common cause exactly as
 *   the Markov chain has them, crashes independent across replicas apart from the
 *   model's correlated ones, retry attempts independent of each other and of outages.
 *   Here every formula must agree with the simulation; a disagreement is a bug.
 * - "realistic" (default): the model's mechanics with what the simple formulas leave
 *   out — repair times lognormal (σ = 1 unless the model says otherwise; exponential
 *   fits repair data poorly, Schroeder & Gibson FAST'07), optional Weibull failures, a
 *   common-cause event also destroys every page cache (a shared power loss drops the
 *   unflushed window everywhere), the restore after a common cause is lognormal too
 *   (same σ, mean = its mttr), and a retry attempt fails while the cluster is down
 *   (time-correlated outages).
 */
import { InputError } from "../errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import type { Model } from "../model/types.js";
import type { ClusterSimConfig, SimConfig, SimulationMode } from "./config.js";

export const DEFAULT_RUNS = 100;
export const DEFAULT_HORIZON_HOURS = 1000 * HOURS_PER_YEAR; // 1000 years per run
export const DEFAULT_RETRY_SAMPLES = 200_000;
export const DEFAULT_PROCESSING_HOURS = 0.1 / 3600; // 100 ms between delivery and ack [assumption]
const REALISTIC_REPAIR_SIGMA = 1;

export interface SimulationChoices {
  readonly mode: SimulationMode;
  readonly horizonHours?: number;
  readonly runs?: number;
}

export function simConfigFromModel(model: Model, choices: SimulationChoices): { config: SimConfig; runs: number } {
  const { cluster } = model;
  const { mtbfHours, mttrHours } = cluster.node;
  if (mtbfHours === undefined || mttrHours === undefined) {
    throw new InputError("the simulator needs node.mtbf and node.mttr (a node given only as an availability has no failure timeline)", {
      file: model.file,
      path: "cluster.node",
    });
  }
  const realistic = choices.mode === "realistic";
  const sim = model.simulation;
  const runs = choices.runs ?? sim.runs ?? DEFAULT_RUNS;
  const horizonHours = choices.horizonHours ?? sim.horizonHours ?? DEFAULT_HORIZON_HOURS;
  const failure =
    realistic && sim.failure?.distribution === "weibull"
      ? { kind: "weibull" as const, shape: sim.failure.shape }
      : { kind: "exponential" as const };
  const repair = !realistic
    ? { kind: "exponential" as const }
    : sim.repair?.distribution === "exponential"
      ? { kind: "exponential" as const }
      : { kind: "lognormal" as const, sigma: sim.repair?.distribution === "lognormal" ? sim.repair.sigma : REALISTIC_REPAIR_SIGMA };
  const clusterConfig = {
    nodes: cluster.nodes,
    quorum: cluster.quorum,
    repairCrews: cluster.repairCrews,
    modes: [{ name: "node", mtbfHours, mttrHours, crew: true }],
    failure,
    repair,
    commonCauseRatePerHour: cluster.commonCause?.ratePerHour ?? 0,
    commonCauseMttrHours: cluster.commonCause?.mttrHours ?? mttrHours,
  };
  const config: SimConfig = {
    mode: choices.mode,
    horizonHours,
    cluster: { ...clusterConfig, warmupHours: warmupHours(clusterConfig) },
    ...(model.durability
      ? {
          durability: {
            replicas: model.durability.replicas,
            windowHours: model.durability.windowHours,
            crashRatePerHour: model.durability.crashRatePerHour,
            correlatedCrashRatePerHour: model.durability.correlatedCrashRatePerHour,
            commonCauseDestroysPageCache: realistic,
          },
        }
      : {}),
    ...(model.retry
      ? {
          retry: {
            attempts: model.retry.attempts,
            pSuccess: model.retry.pSuccess.value,
            timeoutHours: model.retry.timing?.timeoutHours ?? 0,
            backoffInitialHours: model.retry.timing?.backoffInitialHours ?? 0,
            backoffMultiplier: model.retry.timing?.backoffMultiplier ?? 1,
            backoffMaxHours: model.retry.timing?.backoffMaxHours ?? 0,
            deadlineHours: model.retry.timing?.deadlineHours ?? Number.POSITIVE_INFINITY,
            failDuringOutages: realistic,
            // retry_samples is spread over the model's own run count, so that a run samples
            // the same number of sequences however many runs are made: more runs (or an
            // early stop) sample proportionally more (or fewer) sequences.
            samplesPerRun: Math.max(1, Math.ceil((sim.retrySamples ?? DEFAULT_RETRY_SAMPLES) / (sim.runs ?? DEFAULT_RUNS))),
          },
        }
      : {}),
    ...(model.traffic
      ? {
          duplicates: {
            processingHours: model.traffic.processingHours ?? DEFAULT_PROCESSING_HOURS,
            consumerCrashRatePerHour: model.traffic.consumerCrashRatePerHour ?? 0,
          },
        }
      : {}),
  };
  guardTimelineSize(model, config);
  return { config, runs };
}

/**
 * How long each run is simulated before its measured window opens, so that the window
 * starts in (very nearly) the stationary state: ten times the longest recovery — a full
 * backlog of failed nodes worked off by the crews, plus the longest crew-free recovery,
 * zone restore, common-cause restore and maintenance round. The start's influence decays
 * roughly like e^(−t/recovery), so it is then below e^(−10) of its size at all-up. Cheap
 * next to any useful horizon (60 h for models/default.yaml).
 */
export function warmupHours(cluster: Omit<ClusterSimConfig, "warmupHours">): number {
  const crewModes = cluster.modes.filter((m) => m.crew);
  const crewFree = cluster.modes.filter((m) => !m.crew);
  const backlog =
    crewModes.length > 0 ? Math.ceil(cluster.nodes / cluster.repairCrews) * Math.max(...crewModes.map((m) => m.mttrHours)) : 0;
  const selfRecovery = crewFree.length > 0 ? Math.max(...crewFree.map((m) => m.mttrHours)) : 0;
  const restore = cluster.commonCauseRatePerHour > 0 ? cluster.commonCauseMttrHours : 0;
  const zone = cluster.zones && cluster.zones.outageRatePerHour > 0 ? cluster.zones.mttrHours : 0;
  const round = cluster.maintenance ? cluster.nodes * cluster.maintenance.durationHours : 0;
  return 10 * (backlog + selfRecovery + restore + zone + round);
}

/** Crash and failure times are kept per run; refuse runs whose timelines would not fit in memory. */
const MAX_TIMELINE_EVENTS = 20_000_000;

function guardTimelineSize(model: Model, config: SimConfig): void {
  const horizon = config.horizonHours;
  const durability = config.durability;
  const crashes = durability
    ? (durability.replicas * durability.crashRatePerHour + durability.correlatedCrashRatePerHour) * (horizon + durability.windowHours)
    : 0;
  const nodeFailureRate = config.cluster.modes.reduce((rate, m) => rate + 1 / m.mtbfHours, 0);
  const nodeFailures = config.duplicates ? horizon * nodeFailureRate + horizon * config.duplicates.consumerCrashRatePerHour : 0;
  const expected = Math.max(crashes, nodeFailures);
  if (expected > MAX_TIMELINE_EVENTS) {
    throw new InputError(
      `one run would hold about ${expected.toExponential(1)} crash or failure times (at most ${MAX_TIMELINE_EVENTS.toExponential(0)}); shorten --horizon and raise --runs instead`,
      { file: model.file, path: "simulation.horizon" },
    );
  }
}
