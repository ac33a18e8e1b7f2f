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
import { GrowableFloat64 } from "./growable.js";
import { EventHeap } from "./heap.js";
import { nextOpenUnit, type RngState } from "./rng.js";

/**
 * Indices into {@link ClusterRun.stats}: what one run of the cluster adds up. A
 * regeneration cycle runs from one entry to the all-up state to the next; the sums over
 * complete cycles feed the regenerative ratio estimators (src/sim/estimate.ts).
 */
export const CLUSTER_STATS = {
  /** simulated time of the run */
  horizonHours: 0,
  /** time the cluster spent without quorum */
  downtimeHours: 1,
  /** complete regeneration cycles */
  cycles: 2,
  /** Σ cycle length τ */
  sumCycleLength: 3,
  /** Σ downtime inside a cycle Y */
  sumCycleDowntime: 4,
  sumCycleLengthSquared: 5,
  sumCycleDowntimeSquared: 6,
  /** Σ τ·Y */
  sumCycleLengthTimesDowntime: 7,
  /** Σ X, X = time from the cycle's start to its first quorum loss, or its length when it loses none */
  sumTimeToQuorumLoss: 8,
  /** cycles that lost quorum (Σ D, D = 1 when the cycle lost quorum) */
  quorumLossCycles: 9,
  sumTimeToQuorumLossSquared: 10,
  /** Σ X·D */
  sumTimeToQuorumLossInLossCycles: 11,
  /** Σ O, O = quorum losses (outages) inside a cycle */
  sumCycleOutages: 12,
  sumCycleOutagesSquared: 13,
  /** Σ τ·O */
  sumCycleLengthTimesOutages: 14,
  /** quorum losses in the whole run */
  outages: 15,
  /** node failure, repair and common-cause events processed */
  nodeEvents: 16,
  size: 17,
} as const;

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

/** Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-15). */
export function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < 9; i++) sum += (c[i] as number) / (z + i);
  const t = z + 7.5;
  return Math.sqrt(2 * Math.PI) * t ** (z + 0.5) * Math.exp(-t) * sum;
}

export function simulateCluster(config: ClusterSimConfig, horizon: number, rng: RngState, record: Recording = {}): ClusterRun {
  const n = config.nodes;
  const k = config.quorum;
  const crews = config.repairCrews;
  const ccRate = config.commonCauseRatePerHour;
  const ccMean = config.commonCauseMttrHours;
  const mtbf = config.mtbfHours;
  const mttr = config.mttrHours;
  // Failure and repair samplers, specialised by distribution outside the loop.
  const weibullShape = config.failure.kind === "weibull" ? config.failure.shape : 1;
  const weibullScale = mtbf / gamma(1 + 1 / weibullShape);
  const inverseShape = 1 / weibullShape;
  const exponentialFailures = config.failure.kind === "exponential";
  const sigma = config.repair.kind === "lognormal" ? config.repair.sigma : 0;
  const logMean = Math.log(mttr) - (sigma * sigma) / 2; // keeps E[repair] = mttr
  const exponentialRepairs = config.repair.kind === "exponential";
  const sampleFailure = (): number =>
    exponentialFailures ? -Math.log(nextOpenUnit(rng)) * mtbf : weibullScale * (-Math.log(nextOpenUnit(rng))) ** inverseShape;
  const sampleRepair = (): number => {
    if (exponentialRepairs) return -Math.log(nextOpenUnit(rng)) * mttr;
    const normal = Math.sqrt(-2 * Math.log(nextOpenUnit(rng))) * Math.cos(2 * Math.PI * nextOpenUnit(rng));
    return Math.exp(logMean + sigma * normal);
  };

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

  for (let i = 0; i < n; i++) heap.schedule(i, sampleFailure());
  if (ccRate > 0) heap.schedule(STRIKE, -Math.log(nextOpenUnit(rng)) / ccRate);

  let t = 0;
  let clusterUp = true;
  let allUp = true;
  let downtime = 0;
  let outages = 0;
  let events = 0;
  // the current regeneration cycle
  let cycleStart = 0;
  let cycleDown = 0;
  let cycleOutages = 0;
  let cycleFirstDown = -1;
  // accumulated over complete cycles
  let cycles = 0;
  let sumLength = 0;
  let sumDowntime = 0;
  let sumLength2 = 0;
  let sumDowntime2 = 0;
  let sumLengthTimesDowntime = 0;
  let sumTimeToLoss = 0;
  let lossCycles = 0;
  let sumTimeToLoss2 = 0;
  let sumTimeToLossInLossCycles = 0;
  let sumOutages = 0;
  let sumOutages2 = 0;
  let sumLengthTimesOutages = 0;

  while (heap.size > 0) {
    const at = heap.peekTime();
    if (at > horizon) break;
    // The event stays at the root: most events reschedule their own id, which then costs
    // one sift instead of a pop and a push. Every branch below reschedules or cancels it.
    const id = heap.peekId();
    if (!clusterUp) {
      downtime += at - t;
      cycleDown += at - t;
    }
    t = at;
    events++;
    if (id < n) {
      if (state[id] === UP) {
        upCount--;
        if (id === 0 && nodeZeroFailures) nodeZeroFailures.push(t);
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
      if (commonCauseTimes) commonCauseTimes.push(t);
      if (nodeZeroFailures && state[0] === UP) nodeZeroFailures.push(t);
      inCommonCause = true;
      upCount = 0;
      state.fill(WAITING);
      queueHead = 0;
      queueLength = 0;
      busyCrews = 0;
      heap.schedule(RESTORE, t - Math.log(nextOpenUnit(rng)) * ccMean);
    } else {
      heap.cancel(RESTORE);
      inCommonCause = false;
      upCount = n;
      state.fill(UP);
      for (let i = 0; i < n; i++) heap.schedule(i, t + sampleFailure());
      heap.schedule(STRIKE, t - Math.log(nextOpenUnit(rng)) / ccRate);
    }

    const nowUp = !inCommonCause && upCount >= k;
    if (clusterUp !== nowUp) {
      if (!nowUp) {
        outages++;
        cycleOutages++;
        if (cycleFirstDown < 0) cycleFirstDown = t - cycleStart;
      }
      downIntervals?.push(t);
      clusterUp = nowUp;
    }
    const nowAllUp = !inCommonCause && upCount === n;
    if (nowAllUp && !allUp) {
      const length = t - cycleStart;
      const timeToLoss = cycleFirstDown < 0 ? length : cycleFirstDown;
      const lost = cycleFirstDown < 0 ? 0 : 1;
      cycles++;
      sumLength += length;
      sumDowntime += cycleDown;
      sumLength2 += length * length;
      sumDowntime2 += cycleDown * cycleDown;
      sumLengthTimesDowntime += length * cycleDown;
      sumTimeToLoss += timeToLoss;
      lossCycles += lost;
      sumTimeToLoss2 += timeToLoss * timeToLoss;
      sumTimeToLossInLossCycles += timeToLoss * lost;
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
  if (!clusterUp) {
    downtime += horizon - t;
    downIntervals?.push(horizon);
  }

  stats[CLUSTER_STATS.horizonHours] = horizon;
  stats[CLUSTER_STATS.downtimeHours] = downtime;
  stats[CLUSTER_STATS.cycles] = cycles;
  stats[CLUSTER_STATS.sumCycleLength] = sumLength;
  stats[CLUSTER_STATS.sumCycleDowntime] = sumDowntime;
  stats[CLUSTER_STATS.sumCycleLengthSquared] = sumLength2;
  stats[CLUSTER_STATS.sumCycleDowntimeSquared] = sumDowntime2;
  stats[CLUSTER_STATS.sumCycleLengthTimesDowntime] = sumLengthTimesDowntime;
  stats[CLUSTER_STATS.sumTimeToQuorumLoss] = sumTimeToLoss;
  stats[CLUSTER_STATS.quorumLossCycles] = lossCycles;
  stats[CLUSTER_STATS.sumTimeToQuorumLossSquared] = sumTimeToLoss2;
  stats[CLUSTER_STATS.sumTimeToQuorumLossInLossCycles] = sumTimeToLossInLossCycles;
  stats[CLUSTER_STATS.sumCycleOutages] = sumOutages;
  stats[CLUSTER_STATS.sumCycleOutagesSquared] = sumOutages2;
  stats[CLUSTER_STATS.sumCycleLengthTimesOutages] = sumLengthTimesOutages;
  stats[CLUSTER_STATS.outages] = outages;
  stats[CLUSTER_STATS.nodeEvents] = events;
  // One object shape whatever was recorded: keeps the optimised code monomorphic.
  return {
    stats,
    downIntervals: downIntervals?.view(),
    nodeZeroFailures: nodeZeroFailures?.view(),
    commonCauseTimes: commonCauseTimes?.view(),
  };
}
