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
import { InputError } from "../../common/errors.js";
import { HOURS_PER_YEAR } from "../../expr/units.js";
import { DEFAULT_PROCESSING_HOURS } from "../../model/messages.js";
import type { Model } from "../../model/types.js";
import type { ClusterSimConfig, FleetSimConfig, SimConfig, SimulationMode } from "../kernel/config.js";
import { MAX_FLEET_REPLICATION } from "../kernel/fleetTracker.js";

export const DEFAULT_RUNS = 100;
export const DEFAULT_HORIZON_HOURS = 1000 * HOURS_PER_YEAR; // 1000 years per run
export const DEFAULT_RETRY_SAMPLES = 200_000;
const REALISTIC_REPAIR_SIGMA = 1;

export interface SimulationChoices {
  readonly mode: SimulationMode;
  readonly horizonHours?: number;
  readonly runs?: number;
}

export interface SimulationPlan {
  readonly config: SimConfig;
  readonly runs: number;
  /** what the work estimate found worth saying before a long simulation starts (one line each) */
  readonly warnings: readonly string[];
  readonly work: WorkEstimate;
}

export function simConfigFromModel(model: Model, choices: SimulationChoices): SimulationPlan {
  const { cluster } = model;
  const fleet = model.fleet;
  if (fleet !== undefined) refuseBesideFleet(model);
  const modes = cluster.failureModes;
  if (modes === undefined || modes.length === 0) {
    throw new InputError(
      "the simulator needs node.mtbf and node.mttr, or node.failures (a node given only as an availability has no failure timeline)",
      {
        file: model.file,
        path: "cluster.node",
      },
    );
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
  const zones = cluster.zones;
  const clusterConfig = {
    nodes: cluster.nodes,
    quorum: cluster.quorum,
    repairCrews: cluster.repairCrews,
    modes: modes.map((m) => ({
      name: m.name,
      mtbfHours: 1 / m.ratePerHour,
      mttrHours: m.mttrHours,
      crew: m.crew,
      losesUnflushed: m.loses !== "nothing",
      losesDisk: m.loses === "disk",
    })),
    failure,
    repair,
    commonCauseRatePerHour: cluster.commonCause?.ratePerHour ?? 0,
    commonCauseMttrHours: cluster.commonCause?.mttrHours ?? 1,
    commonCauseLosesUnflushed: cluster.commonCause?.loses !== "nothing",
    commonCauseLosesDisk: cluster.commonCause?.loses === "disk",
    ...(zones
      ? {
          zones: {
            zoneOfNode: zones.zoneOfNode,
            count: zones.placement.length,
            outageRatePerHour: zones.outage?.ratePerHour ?? 0,
            mttrHours: zones.outage?.mttrHours ?? 1,
            losesUnflushed: zones.outage?.loses !== "nothing",
            losesDisk: zones.outage?.loses === "disk",
          },
        }
      : {}),
    ...(cluster.maintenance ? { maintenance: cluster.maintenance } : {}),
    // an election is exponential under the formula's assumption, a fixed delay in realistic
    // mode; a fleet has no one queue leader (its elections are counted per partition)
    ...(cluster.failover && !fleet ? { failover: { meanHours: cluster.failover.timeHours, fixed: realistic } } : {}),
    ...(fleet ? { fleet: fleetSimConfig(fleet.replicaSets, cluster.nodes, fleet.minInsync) } : {}),
    ...(cluster.controller && cluster.failover && !fleet ? { controller: cluster.controller } : {}),
    ...(model.messages?.isr && cluster.failover && !fleet
      ? {
          isr: {
            shrinkPerHour: model.messages.isr.shrinkPerHour,
            recoverHours: model.messages.isr.recoverHours,
            unclean: model.messages.uncleanElection,
            gateWrites: model.messages.ack === "all",
          },
        }
      : {}),
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
            commonCauseDestroysPageCache: realistic && cluster.commonCause?.loses !== "nothing",
          },
        }
      : {}),
    ...(model.messages
      ? {
          messages: {
            // a quorum of 1, or a single node, confirms on the leader's write alone: ack leader
            ack: cluster.nodes === 1 || (model.messages.ack === "quorum" && cluster.quorum === 1) ? "leader" : model.messages.ack,
            quorum: cluster.quorum,
            lagHours: model.messages.replicationLagHours,
            fsync: model.messages.fsync,
            windowHours: model.messages.fsync === "os" ? model.messages.writebackHours : model.messages.fsyncIntervalHours,
            resendDuplicates: model.messages.publisher.confirms && !model.messages.publisher.idempotent,
            ...(model.messages.isr && model.messages.ack === "all" ? { refusedBelowQuorum: true } : {}),
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
    ...(model.traffic || model.messages
      ? {
          duplicates: {
            processingHours: model.traffic?.processingHours ?? DEFAULT_PROCESSING_HOURS,
            consumerCrashRatePerHour: model.traffic?.consumerCrashRatePerHour ?? 0,
          },
        }
      : {}),
  };
  const work = estimateWork(config, runs);
  return { config, runs, work, warnings: guardWork(model, config, work) };
}

/**
 * A fleet's replica sets, indexed by broker for the tracker (kernel/config.ts
 * FleetSimConfig): broker b's replicas in partition order, each with its place in the
 * partition's preference order.
 */
export function fleetSimConfig(replicaSets: readonly (readonly number[])[], brokers: number, minInsync: number): FleetSimConfig {
  const replication = replicaSets[0]?.length ?? 0;
  const brokerStart = new Int32Array(brokers + 1);
  for (const set of replicaSets) for (const b of set) brokerStart[b + 1] = (brokerStart[b + 1] as number) + 1;
  for (let b = 0; b < brokers; b++) brokerStart[b + 1] = (brokerStart[b + 1] as number) + (brokerStart[b] as number);
  const filled = brokerStart.slice(0, brokers);
  const brokerPartition = new Int32Array(brokerStart[brokers] as number);
  const brokerPosition = new Int32Array(brokerStart[brokers] as number);
  replicaSets.forEach((set, p) => {
    set.forEach((b, position) => {
      const slot = filled[b] as number;
      filled[b] = slot + 1;
      brokerPartition[slot] = p;
      brokerPosition[slot] = position;
    });
  });
  const partitionBrokers = Int32Array.from(replicaSets.flat());
  return { partitions: replicaSets.length, replication, minInsync, brokerStart, brokerPartition, brokerPosition, partitionBrokers };
}

/**
 * What a fleet is simulated without: the blocks that describe one replica set or one
 * consumer (a durability window, retries, redeliveries) would run on a timeline of no
 * partition in particular; and more replicas per partition than the tracker's masks hold.
 * Refused in one line rather than answered for the wrong thing.
 */
function refuseBesideFleet(model: Model): void {
  const replication = model.fleet?.replication ?? 0;
  if (replication > MAX_FLEET_REPLICATION) {
    throw new InputError(
      `the simulator tracks at most ${MAX_FLEET_REPLICATION} replicas per partition (a partition's replicas are the bits of an int), got ${replication}`,
      { file: model.file, path: "fleet.replication" },
    );
  }
  const block = model.durability ? "durability" : model.retry ? "retry" : model.traffic ? "traffic" : undefined;
  if (block === undefined) return;
  throw new InputError(
    `a fleet is simulated as brokers and partitions; ${block} describes one replica set and is not simulated beside fleet (eval computes it): remove it to simulate the fleet`,
    { file: model.file, path: block },
  );
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
  // the in-sync set relaxes at rate shrink + 1/recover: within `recover`
  const inSync = cluster.isr ? cluster.isr.recoverHours : 0;
  const restore = cluster.commonCauseRatePerHour > 0 ? cluster.commonCauseMttrHours : 0;
  const zone = cluster.zones && cluster.zones.outageRatePerHour > 0 ? cluster.zones.mttrHours : 0;
  const bad = cluster.maintenance?.badRelease;
  const round = cluster.maintenance
    ? Math.max(
        cluster.nodes * cluster.maintenance.durationHours,
        bad ? cluster.maintenance.durationHours + bad.detectHours + bad.rollbackHours : 0,
      )
    : 0;
  const controller = cluster.controller ? Math.max(...cluster.controller.modes.map((m) => m.mttrHours)) : 0;
  return 10 * (backlog + selfRecovery + restore + zone + round + controller + inSync);
}

/** What one run, and the whole simulation, will cost: expected counts, before anything runs. */
export interface WorkEstimate {
  /** node failures, repairs and common-cause strikes and restores in one run */
  readonly nodeEventsPerRun: number;
  /** retry attempts simulated in one run (sequences × attempts each, at most) */
  readonly retryAttemptsPerRun: number;
  /** crash and failure times one run keeps in memory (loss and redelivery timelines) */
  readonly timelinePerRun: number;
  /** a fleet's replica updates in one run: each broker event touches the replicas on that broker */
  readonly replicaUpdatesPerRun: number;
  /** node events and retry attempts over every run, a replica update counted as {@link REPLICA_UPDATE_WORK} of an event */
  readonly total: number;
}

/**
 * What a fleet's replica update costs against a node event: measured 133 M replica
 * updates against 9.7 M node events a second on one worker (bench/fleetSimulate.mjs,
 * 100 brokers × 10 000 partitions, December 2026; 71–76 M against 5–7 M when busy).
 */
export const REPLICA_UPDATE_WORK = 0.1;
/** One run may update at most this many replicas (about two minutes at 70 M a second). */
export const MAX_REPLICA_UPDATES_PER_RUN = 1e10;

/**
 * One run may do at most this much work (node events plus retry attempts): at the few
 * million events per second one worker manages, a few minutes. Ctrl-C reaches a run in
 * progress, but a run this long means a model that fails every few milliseconds or a
 * horizon far beyond what the interval needs.
 */
export const MAX_WORK_PER_RUN = 1e9;
/** Crash and failure times are kept per run; refuse runs whose timelines would not fit in memory. */
const MAX_TIMELINE_EVENTS = 20_000_000;
/** Above this much work in all, say so before starting (it will take minutes or more). */
export const WARN_TOTAL_WORK = 2e9;

/**
 * Expected work, from the model's rates: each node alternates up and down, two events a
 * cycle of mean MTBF + MTTR (queueing for crews only lengthens cycles, and a Weibull or
 * lognormal of the same mean gives the same long-run count); a common cause adds a
 * strike and a restore; each retry sequence makes at most `attempts` attempts, and no
 * more than fit before its deadline.
 */
export function estimateWork(config: SimConfig, runs: number): WorkEstimate {
  const horizon = config.horizonHours;
  const c = config.cluster;
  // A node's cycle: up for 1/Λ (Λ the modes' total rate), then down for the mean recovery
  // of the mode that struck; the warm-up is simulated too.
  const failureRate = nodeFailureRate(c);
  const meanDown = c.modes.reduce((sum, m) => sum + (1 / m.mtbfHours / failureRate) * m.mttrHours, 0);
  const simulated = horizon + c.warmupHours;
  const nodeEventsPerRun =
    (2 * c.nodes * simulated) / (1 / failureRate + meanDown) +
    2 * c.commonCauseRatePerHour * simulated +
    2 * (c.zones ? c.zones.count * c.zones.outageRatePerHour * simulated : 0) +
    (c.maintenance ? (2 * c.nodes * simulated) / c.maintenance.everyHours : 0);
  let retryAttemptsPerRun = 0;
  const retry = config.retry;
  if (retry) {
    const step = retry.timeoutHours + Math.min(retry.backoffInitialHours, retry.backoffMaxHours);
    const fitting = Number.isFinite(retry.deadlineHours) && step > 0 ? Math.ceil(retry.deadlineHours / step) + 1 : retry.attempts;
    retryAttemptsPerRun = retry.samplesPerRun * Math.min(retry.attempts, fitting);
  }
  const durability = config.durability;
  const crashes = durability
    ? (durability.replicas * durability.crashRatePerHour + durability.correlatedCrashRatePerHour) * (horizon + durability.windowHours)
    : 0;
  const nodeFailures = config.duplicates ? horizon * nodeFailureRate(c) + horizon * config.duplicates.consumerCrashRatePerHour : 0;
  const fleet = c.fleet;
  const replicaUpdatesPerRun = fleet ? (nodeEventsPerRun * fleet.brokerPartition.length) / c.nodes : 0;
  const perRun = nodeEventsPerRun + retryAttemptsPerRun + REPLICA_UPDATE_WORK * replicaUpdatesPerRun;
  return {
    nodeEventsPerRun,
    retryAttemptsPerRun,
    timelinePerRun: Math.max(crashes, nodeFailures),
    replicaUpdatesPerRun,
    total: perRun * runs,
  };
}

/** Σ over the failure modes of their rates: how often an up node fails. */
function nodeFailureRate(cluster: ClusterSimConfig): number {
  return cluster.modes.reduce((rate, m) => rate + 1 / m.mtbfHours, 0);
}

const e1 = (x: number) => x.toExponential(1).replace("e+", "e");

/** Refuse what one run cannot do (time, memory); warn about a long simulation. */
function guardWork(model: Model, config: SimConfig, work: WorkEstimate): string[] {
  const at = (path: string) => ({ file: model.file, path });
  if (work.timelinePerRun > MAX_TIMELINE_EVENTS) {
    throw new InputError(
      `one run would hold about ${e1(work.timelinePerRun)} crash or failure times (at most ${e1(MAX_TIMELINE_EVENTS)}); shorten --horizon and raise --runs instead`,
      at("simulation.horizon"),
    );
  }
  if (work.nodeEventsPerRun > MAX_WORK_PER_RUN) {
    const c = config.cluster;
    throw new InputError(
      `one run would process about ${e1(work.nodeEventsPerRun)} node events (${c.nodes} nodes failing about every ${e1(1 / nodeFailureRate(c))} h over ${e1(config.horizonHours)} h; at most ${e1(MAX_WORK_PER_RUN)} a run, which takes minutes): shorten --horizon and raise --runs, or check cluster.node.mtbf`,
      at("simulation.horizon"),
    );
  }
  if (work.replicaUpdatesPerRun > MAX_REPLICA_UPDATES_PER_RUN) {
    const c = config.cluster;
    throw new InputError(
      `one run would update about ${e1(work.replicaUpdatesPerRun)} partition replicas (${e1(work.nodeEventsPerRun)} broker events, each over the ${e1((c.fleet?.brokerPartition.length ?? 0) / c.nodes)} replicas a broker holds; at most ${e1(MAX_REPLICA_UPDATES_PER_RUN)} a run, about two minutes): shorten --horizon and raise --runs`,
      at("simulation.horizon"),
    );
  }
  if (work.retryAttemptsPerRun > MAX_WORK_PER_RUN) {
    throw new InputError(
      `one run would simulate about ${e1(work.retryAttemptsPerRun)} retry attempts (${e1(config.retry?.samplesPerRun ?? 0)} sequences of up to ${config.retry?.attempts} attempts; at most ${e1(MAX_WORK_PER_RUN)} a run): lower simulation.retry_samples or raise --runs`,
      at("simulation.retry_samples"),
    );
  }
  if (work.total > WARN_TOTAL_WORK) {
    return [
      `this simulation will process about ${e1(work.total)} events and attempts in all (${e1(work.nodeEventsPerRun + work.retryAttemptsPerRun + REPLICA_UPDATE_WORK * work.replicaUpdatesPerRun)} a run${work.replicaUpdatesPerRun > 0 ? `, a fleet's replica update counted as ${REPLICA_UPDATE_WORK} of an event` : ""}): expect minutes or more; Ctrl-C stops it with the runs finished so far`,
    ];
  }
  return [];
}
