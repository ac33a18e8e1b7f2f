/**
 * One run of the cluster over simulated time: nodes fail and are repaired, repairs queue
 * for crews, common-cause events take every node down until the cluster is restored,
 * the cluster is up while at least `quorum` nodes are up.
 *
 * This is the hot loop: state lives in locals and typed arrays, events in an indexed
 * heap (one pending event per node, plus the common-cause strike and restore), and
 * nothing is allocated per event. Statistics are accumulated per regeneration cycle
 * (from one entry to the all-up state to the next) for the regenerative estimators.
 */
import type { ClusterSimConfig } from "./config.js";
import {
  lognormalLogMeanForMean,
  sampleExponential,
  sampleLognormal,
  sampleWeibull,
  sampleWeibullEquilibriumResidual,
  weibullScaleForMean,
} from "./distributions.js";
import { GrowableFloat64 } from "./growable.js";
import { EventHeap } from "./heap.js";
import type { RngState } from "./rng.js";

/**
 * Indices into {@link ClusterRun.stats}: what one run of the cluster adds up.
 *
 * A regeneration cycle runs from one entry to the all-up state to the next (with
 * exponential failures all-up is a regeneration point). The run is cut into *segments*:
 * its complete cycles, and the unfinished cycle at the horizon as one more segment, so
 * that every simulated hour is counted (dropping the unfinished cycle biases short runs:
 * it is usually a long stretch of all-up). Per segment: its length τ, downtime Y, quorum
 * losses O, and X, the time from its start to its first quorum loss (or its whole
 * length, censored, when it has none), with D = 1 when it has one.
 */
export const CLUSTER_STATS = {
  /** simulated time of the run (the horizon, or less when the run was stopped) */
  horizonHours: 0,
  /** time the cluster spent without quorum */
  downtimeHours: 1,
  /** quorum losses (outages) in the run */
  outages: 2,
  /** node failure, repair and common-cause events processed */
  nodeEvents: 3,
  /** complete regeneration cycles (from one entry to all-up to the next) */
  cycles: 4,
  /**
   * segments: the complete cycles, plus the one under way when the warm-up ended (unless
   * it ended at all-up) and the unfinished one at the horizon
   */
  segments: 5,
  /** Σ τ, Σ Y, Σ τ², Σ Y², Σ τ·Y over segments */
  sumSegmentLength: 6,
  sumSegmentDowntime: 7,
  sumSegmentLengthSquared: 8,
  sumSegmentDowntimeSquared: 9,
  sumSegmentLengthTimesDowntime: 10,
  /** Σ X (exposure before the first quorum loss), Σ D (segments that lost quorum), Σ X², Σ X·D */
  sumExposure: 11,
  lossSegments: 12,
  sumExposureSquared: 13,
  sumExposureInLossSegments: 14,
  /** Σ O, Σ O², Σ τ·O over segments */
  sumSegmentOutages: 15,
  sumSegmentOutagesSquared: 16,
  sumSegmentLengthTimesOutages: 17,
  /** time of the run's first quorum loss, or its end when there was none; and 1 if there was one */
  firstLossTime: 18,
  firstLossSeen: 19,
  /** 1 when the run was stopped before its horizon (Ctrl-C) */
  stopped: 20,
  size: 21,
} as const;

/**
 * Shared with the thread that started the run: a stop flag it may raise (Ctrl-C) and a
 * slot where the run reports how far it has got, both looked at every few thousand
 * events.
 */
export interface RunControl {
  /** [0] ≠ 0: stop at the current simulated time */
  readonly stop: Int32Array;
  /** progress[slot] = base + simulated hours reached in the current run */
  readonly progress: Float64Array;
  readonly slot: number;
  /** hours already simulated by earlier runs of the same block (set by the caller) */
  base: number;
}

/** Events between looks at the stop flag (a power of two minus one, as a mask). */
const CONTROL_MASK = 4095;

export interface ClusterRun {
  readonly stats: Float64Array;
  /** [start, end) of every down period, flattened (when recorded) */
  readonly downIntervals: Float64Array | undefined;
  /** failure times of node 0 (the consumer's node), when recorded */
  readonly nodeZeroFailures: Float64Array | undefined;
  /** times of common-cause events, when recorded */
  readonly commonCauseTimes: Float64Array | undefined;
}

export interface Recording {
  readonly downIntervals?: boolean;
  readonly nodeZeroFailures?: boolean;
  readonly commonCause?: boolean;
}

const UP = 0;
const WAITING = 1;
const REPAIRING = 2;

/**
 * Simulate the cluster for `horizon` hours of measured time, after a warm-up.
 *
 * Start: every node up, with exponential failures (the all-up regeneration state) or, with
 * Weibull failures, each node with a residual life drawn from the equilibrium
 * (stationary) distribution of its failure process, as if it had been running for ever
 * rather than brand new (new wear-out nodes would hardly fail early and bias the
 * unavailability down). Then `config.warmupHours` are simulated and thrown away, so that
 * the measured window starts in (very nearly) the stationary state: starting the window
 * at all-up would bias a short run's downtime low by about the recovery time over the
 * horizon (a 3 % bias at a 200 h horizon with a 4 h repair and one crew). The warm-up is
 * a few times the slowest recovery (fromModel.ts), after which the start's influence has
 * decayed like e^(−warm-up/relaxation time).
 *
 * Times in the output (down intervals, failures of node 0, common-cause events, the first
 * quorum loss) are measured from the end of the warm-up.
 */
export function simulateCluster(
  config: ClusterSimConfig,
  horizonHours: number,
  rng: RngState,
  record: Recording = {},
  control?: RunControl,
): ClusterRun {
  const n = config.nodes;
  const k = config.quorum;
  const crews = config.repairCrews;
  const ccRate = config.commonCauseRatePerHour;
  const ccMean = config.commonCauseMttrHours;
  const mtbf = config.mtbfHours;
  const mttr = config.mttrHours;
  // Failure and repair samplers, specialised by distribution outside the loop.
  const weibull = config.failure.kind === "weibull";
  const shape = config.failure.kind === "weibull" ? config.failure.shape : 1;
  const weibullScale = weibullScaleForMean(mtbf, shape);
  const inverseShape = 1 / shape;
  const sigma = config.repair.kind === "lognormal" ? config.repair.sigma : 0;
  const lognormalRepairs = config.repair.kind === "lognormal";
  const repairLogMean = lognormalLogMeanForMean(mttr, sigma);
  const restoreLogMean = lognormalLogMeanForMean(ccMean, sigma);
  const sampleFailure = (): number => (weibull ? sampleWeibull(rng, weibullScale, inverseShape) : sampleExponential(rng, mtbf));
  const sampleRepair = (): number => (lognormalRepairs ? sampleLognormal(rng, repairLogMean, sigma) : sampleExponential(rng, mttr));
  // A common-cause restore follows the same kind of distribution as a node repair.
  const sampleRestore = (): number => (lognormalRepairs ? sampleLognormal(rng, restoreLogMean, sigma) : sampleExponential(rng, ccMean));

  const STRIKE = n;
  const RESTORE = n + 1;
  const heap = new EventHeap(n + 2);
  const state = new Uint8Array(n);
  const queue = new Int32Array(n);
  let queueHead = 0;
  let queueLength = 0;
  let busyCrews = 0;
  let upCount = n;
  let inCommonCause = false;

  const stats = new Float64Array(CLUSTER_STATS.size);
  const downIntervals = record.downIntervals ? new GrowableFloat64() : undefined;
  const nodeZeroFailures = record.nodeZeroFailures ? new GrowableFloat64() : undefined;
  const commonCauseTimes = record.commonCause ? new GrowableFloat64() : undefined;

  for (let i = 0; i < n; i++) heap.schedule(i, weibull ? sampleWeibullEquilibriumResidual(rng, weibullScale, shape) : sampleFailure());
  if (ccRate > 0) heap.schedule(STRIKE, sampleExponential(rng, 1 / ccRate));

  // The warm-up runs from 0 to `origin`; the measured window from `origin` to `end`.
  const origin = config.warmupHours;
  let end = origin + horizonHours;
  let measuring = origin === 0;
  /** the current segment did not start at an entry to all-up (the one under way at the end of the warm-up) */
  let headSegment = false;
  let stopped = 0;
  let t = 0;
  let clusterUp = true;
  let allUp = true;
  let downtime = 0;
  let outages = 0;
  let events = 0;
  let firstLossTime = -1;
  // the current segment (regeneration cycle)
  let cycleStart = 0;
  let cycleDown = 0;
  let cycleOutages = 0;
  let cycleFirstDown = -1;
  // accumulated over segments
  let cycles = 0;
  let segments = 0;
  let sumLength = 0;
  let sumDowntime = 0;
  let sumLength2 = 0;
  let sumDowntime2 = 0;
  let sumLengthTimesDowntime = 0;
  let sumExposure = 0;
  let lossSegments = 0;
  let sumExposure2 = 0;
  let sumExposureInLoss = 0;
  let sumOutages = 0;
  let sumOutages2 = 0;
  let sumLengthTimesOutages = 0;

  while (heap.size > 0) {
    const at = heap.peekTime();
    if (!measuring && at >= origin) {
      // The measured window opens: what happened before is the warm-up.
      measuring = true;
      t = origin;
      cycleStart = origin;
      headSegment = !allUp;
      if (!clusterUp) downIntervals?.push(0);
    }
    if (at > end) break;
    if (control !== undefined && (events & CONTROL_MASK) === 0) {
      control.progress[control.slot] = control.base + Math.max(0, t - origin);
      if (Atomics.load(control.stop, 0) !== 0) {
        end = Math.max(t, origin);
        stopped = 1;
        break;
      }
    }
    // The event stays at the root: most events reschedule their own id, which then costs
    // one sift instead of a pop and a push. Every branch below reschedules or cancels it.
    const id = heap.peekId();
    if (!clusterUp && measuring) {
      downtime += at - t;
      cycleDown += at - t;
    }
    t = at;
    events++;
    if (id < n) {
      if (state[id] === UP) {
        upCount--;
        if (id === 0 && nodeZeroFailures && measuring) nodeZeroFailures.push(t - origin);
        if (busyCrews < crews) {
          busyCrews++;
          state[id] = REPAIRING;
          heap.schedule(id, t + sampleRepair());
        } else {
          heap.cancel(id);
          state[id] = WAITING;
          queue[(queueHead + queueLength) % n] = id;
          queueLength++;
        }
      } else {
        upCount++;
        state[id] = UP;
        heap.schedule(id, t + sampleFailure());
        if (queueLength > 0) {
          const next = queue[queueHead] as number;
          queueHead = (queueHead + 1) % n;
          queueLength--;
          state[next] = REPAIRING;
          heap.schedule(next, t + sampleRepair());
        } else busyCrews--;
      }
    } else if (id === STRIKE) {
      // Every node goes down; pending failures and repairs are void.
      heap.clear();
      if (commonCauseTimes && measuring) commonCauseTimes.push(t - origin);
      if (nodeZeroFailures && measuring && state[0] === UP) nodeZeroFailures.push(t - origin);
      inCommonCause = true;
      upCount = 0;
      state.fill(WAITING);
      queueHead = 0;
      queueLength = 0;
      busyCrews = 0;
      heap.schedule(RESTORE, t + sampleRestore());
    } else {
      heap.cancel(RESTORE);
      inCommonCause = false;
      upCount = n;
      state.fill(UP);
      for (let i = 0; i < n; i++) heap.schedule(i, t + sampleFailure());
      heap.schedule(STRIKE, t + sampleExponential(rng, 1 / ccRate));
    }

    const nowUp = !inCommonCause && upCount >= k;
    if (clusterUp !== nowUp) {
      if (!nowUp && measuring) {
        outages++;
        cycleOutages++;
        if (cycleFirstDown < 0) cycleFirstDown = t - cycleStart;
        if (firstLossTime < 0) firstLossTime = t - origin;
      }
      if (measuring) downIntervals?.push(t - origin);
      clusterUp = nowUp;
    }
    const nowAllUp = !inCommonCause && upCount === n;
    if (nowAllUp && !allUp && measuring) {
      const length = t - cycleStart;
      // A head segment did not start from all-up: its time counts for the time averages,
      // but it is no exposure for the MTTF (which is measured from all-up).
      const exposure = headSegment ? 0 : cycleFirstDown < 0 ? length : cycleFirstDown;
      const lost = headSegment || cycleFirstDown < 0 ? 0 : 1;
      if (!headSegment) cycles++;
      segments++;
      headSegment = false;
      sumLength += length;
      sumDowntime += cycleDown;
      sumLength2 += length * length;
      sumDowntime2 += cycleDown * cycleDown;
      sumLengthTimesDowntime += length * cycleDown;
      sumExposure += exposure;
      lossSegments += lost;
      sumExposure2 += exposure * exposure;
      sumExposureInLoss += exposure * lost;
      sumOutages += cycleOutages;
      sumOutages2 += cycleOutages * cycleOutages;
      sumLengthTimesOutages += length * cycleOutages;
      cycleStart = t;
      cycleDown = 0;
      cycleOutages = 0;
      cycleFirstDown = -1;
    }
    allUp = nowAllUp;
  }
  if (!measuring) {
    // no event reached the end of the warm-up: the whole window is in the warm-up's state
    measuring = true;
    t = origin;
    cycleStart = origin;
    headSegment = !allUp;
    if (!clusterUp) downIntervals?.push(0);
  }
  const horizon = end - origin;
  if (!clusterUp) {
    downtime += end - t;
    cycleDown += end - t;
    downIntervals?.push(horizon);
  }
  // The unfinished cycle at the horizon is one more segment: its time and downtime count,
  // and its time to a first quorum loss is exposure, censored when it had none.
  const tail = end - cycleStart;
  if (tail > 0) {
    const exposure = headSegment ? 0 : cycleFirstDown < 0 ? tail : cycleFirstDown;
    const lost = headSegment || cycleFirstDown < 0 ? 0 : 1;
    segments++;
    sumLength += tail;
    sumDowntime += cycleDown;
    sumLength2 += tail * tail;
    sumDowntime2 += cycleDown * cycleDown;
    sumLengthTimesDowntime += tail * cycleDown;
    sumExposure += exposure;
    lossSegments += lost;
    sumExposure2 += exposure * exposure;
    sumExposureInLoss += exposure * lost;
    sumOutages += cycleOutages;
    sumOutages2 += cycleOutages * cycleOutages;
    sumLengthTimesOutages += tail * cycleOutages;
  }
  if (control !== undefined) control.progress[control.slot] = control.base + horizon;

  stats[CLUSTER_STATS.horizonHours] = horizon;
  stats[CLUSTER_STATS.downtimeHours] = downtime;
  stats[CLUSTER_STATS.outages] = outages;
  stats[CLUSTER_STATS.nodeEvents] = events;
  stats[CLUSTER_STATS.cycles] = cycles;
  stats[CLUSTER_STATS.segments] = segments;
  stats[CLUSTER_STATS.sumSegmentLength] = sumLength;
  stats[CLUSTER_STATS.sumSegmentDowntime] = sumDowntime;
  stats[CLUSTER_STATS.sumSegmentLengthSquared] = sumLength2;
  stats[CLUSTER_STATS.sumSegmentDowntimeSquared] = sumDowntime2;
  stats[CLUSTER_STATS.sumSegmentLengthTimesDowntime] = sumLengthTimesDowntime;
  stats[CLUSTER_STATS.sumExposure] = sumExposure;
  stats[CLUSTER_STATS.lossSegments] = lossSegments;
  stats[CLUSTER_STATS.sumExposureSquared] = sumExposure2;
  stats[CLUSTER_STATS.sumExposureInLossSegments] = sumExposureInLoss;
  stats[CLUSTER_STATS.sumSegmentOutages] = sumOutages;
  stats[CLUSTER_STATS.sumSegmentOutagesSquared] = sumOutages2;
  stats[CLUSTER_STATS.sumSegmentLengthTimesOutages] = sumLengthTimesOutages;
  stats[CLUSTER_STATS.firstLossTime] = firstLossTime < 0 ? horizon : firstLossTime;
  stats[CLUSTER_STATS.firstLossSeen] = firstLossTime < 0 ? 0 : 1;
  stats[CLUSTER_STATS.stopped] = stopped;
  // One object shape whatever was recorded: keeps the optimised code monomorphic.
  return {
    stats,
    downIntervals: downIntervals?.view(),
    nodeZeroFailures: nodeZeroFailures?.view(),
    commonCauseTimes: commonCauseTimes?.view(),
  };
}
