/**
 * One run of the cluster over simulated time (docs/design.md §3a, "Failure modes, zones, maintenance, failover"):
 *
 * - each node's failure modes compete while it is up (one clock per mode; a down node does
 *   not fail again, and its other clocks are frozen until it is back); a mode with
 *   `crew` waits FIFO for one of the shared repair crews, a crew-free mode recovers on its
 *   own, in parallel with everything else;
 * - zones: a node is up while its own process is up AND its zone is up; zone outages are
 *   independent of the nodes' processes, which go on failing and recovering meanwhile;
 * - a common cause takes every node down at once: pending failures and repairs are void,
 *   and the cluster is restored as a whole;
 * - maintenance: every `every`, a round of n back-to-back slots of `duration`, one per node
 *   in node order: the node is restarted (held down for its slot) when its process is up —
 *   a node whose zone is out is still restarted — and a node down for a failure or the
 *   common cause is skipped, its slot passing idle; the round starts at a random phase of
 *   the period in each run. With a bad release (drawn per round, probability p) a node
 *   still held when its slot ends stays down, broken, until the rollback; no slot starts
 *   after the detection (the one under way ends there) — fixed times, in both modes;
 * - failover: the queue's leader sits on a uniformly chosen up node. An unplanned loss of
 *   its node (a failure mode, its zone, the common cause) or of the quorum starts an
 *   election, which completes after `failover.time` of quorum (exponential under
 *   `--assume formula`, a fixed delay in realistic mode; it starts over when the quorum
 *   is lost meanwhile). A planned restart hands leadership to another up node first.
 *
 * The cluster is up while at least `quorum` nodes are up; the queue while the cluster is
 * up and its leader is elected. With a fleet (config.fleet), the nodes are its brokers:
 * after each event the tracker (fleetTracker.ts) updates the partitions of the brokers
 * that changed — the node's own for its events, every broker for the others.
 *
 * This is the hot loop: state lives in locals and typed arrays, events in an indexed
 * heap (one pending event per node, zone, common cause, maintenance step and election),
 * and nothing is allocated per event. Statistics are accumulated per segment of the
 * regeneration cycles (from one entry to all-up to the next) for the regenerative
 * estimators.
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
import { FleetTracker } from "./fleetTracker.js";
import { GrowableFloat64 } from "./growable.js";
import { EventHeap } from "./heap.js";
import { InSyncSet, liveNodes } from "./inSyncSet.js";
import { COMMON_CAUSE, MAINTENANCE, RECOVERING, REPAIRING, UP, WAITING } from "./nodeState.js";
import { CLUSTER_STATS, LEADERSHIP, LEADERSHIP_NODE } from "./records.js";
import { nextOpenUnit, type RngState } from "./rng.js";

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

/** A control of its own for warm-up runs (never stopped), so that they take the same paths as the real runs. */
export function warmUpControl(): RunControl {
  return { stop: new Int32Array(1), progress: new Float64Array(1), slot: 0, base: 0 };
}

/** Events between looks at the stop flag (a power of two minus one, as a mask); the importance sampler and the runs' retry loop look as often. */
export const CONTROL_MASK = 4095;

export interface ClusterRun {
  /** slots of {@link CLUSTER_STATS} */
  readonly stats: Float64Array;
  /** [start, end) of every period the queue took no writes (no quorum or no leader), flattened (when recorded) */
  readonly downIntervals: Float64Array | undefined;
  /** [start, end) of every period some partition of the fleet was not writable, flattened (when recorded; needs config.fleet) */
  readonly fleetDownIntervals: Float64Array | undefined;
  /** times node 0 (the consumer's node) went down, when recorded */
  readonly nodeZeroFailures: Float64Array | undefined;
  /** times of common-cause events, when recorded */
  readonly commonCauseTimes: Float64Array | undefined;
  /** every unplanned loss of the queue's leader resolved by an election, when recorded: {@link LEADERSHIP} records (records.ts) */
  readonly leadership: Float64Array | undefined;
}

/** How a loss hit a node (the `hit` field of a LEADERSHIP record, records.ts). */
export const HIT_NONE = 0;
export const HIT_KEEPS_CACHE = 1;
export const HIT_LOSES_UNFLUSHED = 2;

export interface Recording {
  /** record the leader's unplanned losses for the message path (needs config.failover and the `losesUnflushed` flags) */
  readonly leadership?: boolean;
  readonly downIntervals?: boolean;
  /** with config.fleet: the periods some partition is not writable (a region's fleet site, docs/model-files.md "Regions") */
  readonly fleetDownIntervals?: boolean;
  readonly nodeZeroFailures?: boolean;
  readonly commonCause?: boolean;
}

/**
 * Simulate the cluster for `horizon` hours of measured time, after a warm-up.
 *
 * Start: every node up, each failure clock exponential (memoryless) or, with Weibull
 * failures, drawn from the equilibrium (stationary) residual life of its mode, as if the
 * node had been running for ever rather than brand new (new wear-out nodes would hardly
 * fail early and bias the unavailability down). Then `config.warmupHours` are simulated
 * and thrown away, so that the measured window starts in (very nearly) the stationary
 * state: starting the window at all-up would bias a short run's downtime low by about
 * the recovery time over the horizon (a 3 % bias at a 200 h horizon with a 4 h repair and
 * one crew). The warm-up is ten times the slowest recovery (run/fromModel.ts).
 *
 * Times in the output (down intervals, node 0's failures, common-cause events, the first
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
  const modes = config.modes;
  const modeCount = modes.length;
  const multiMode = modeCount > 1;
  const ccRate = config.commonCauseRatePerHour;
  // The draws, specialised by distribution outside the loop; the hottest are written out
  // in the loop below from these locals.
  const draws = new ClusterDraws(config, rng);
  const weibull = draws.weibull;
  const inverseShape = draws.inverseShape;
  const lognormal = draws.lognormal;
  const sigma = draws.sigma;
  const modeMtbf = draws.modeMtbf;
  const modeScale = draws.modeScale;
  const modeMttr = draws.modeMttr;
  const modeLogMean = draws.modeLogMean;
  const modeCrew = Uint8Array.from(modes, (m) => (m.crew ? 1 : 0));
  const zones = config.zones;
  const zoneCount = zones?.count ?? 1;
  /** without zones every node is in the one zone that never fails: its bookkeeping is skipped in the loop */
  const zoned = zones !== undefined;
  const zoneOf = Int32Array.from(zones?.zoneOfNode ?? new Array<number>(n).fill(0));
  const zoneRate = zones?.outageRatePerHour ?? 0;
  const maintenance = config.maintenance;
  const failover = config.failover;

  // Event ids: nodes 0..n−1, zones n..n+Z−1, then the common cause's strike and restore,
  // the maintenance step, the election and the controller's nodes (a failure or a recovery each).
  const ZONE0 = n;
  const STRIKE = n + zoneCount;
  const RESTORE = STRIKE + 1;
  const MAINTAIN = STRIKE + 2;
  const ELECT = STRIKE + 3;
  const CONTROLLER0 = ELECT + 1;
  const controller = failover ? config.controller : undefined;
  const controllerNodes = controller?.nodes ?? 0;
  // the queue's in-sync set (messages.isr): one event per node, after the controller's
  const SYNC0 = CONTROLLER0 + controllerNodes;
  const isr =
    failover && config.isr ? new InSyncSet(n, SYNC0, config.isr.shrinkPerHour, config.isr.recoverHours, config.isr.unclean) : undefined;
  const gateWrites = isr !== undefined && config.isr?.gateWrites === true;
  const live = new Uint8Array(isr ? n : 0);
  // Ids are looked up in the heap (cancelled, tested, moved when not at the root) only by a
  // node that waits for a crew, the common cause, maintenance and elections; without them
  // the heap need not keep each id's slot (about 4 % at 7 nodes).
  const crewsCanRunOut = crews < n && modes.some((m) => m.crew);
  const heap = new EventHeap(SYNC0 + (isr ? n : 0), crewsCanRunOut || ccRate > 0 || maintenance !== undefined || failover !== undefined);
  const state = new Uint8Array(n);
  const failedMode = new Int32Array(n);
  /** per (node, mode): absolute time of the next failure while the node is up; the time left while it is down */
  const clock = new Float64Array(n * modeCount);
  const queue = new Int32Array(n);
  let queueHead = 0;
  let queueLength = 0;
  let busyCrews = 0;
  const zoneUp = new Uint8Array(zoneCount).fill(1);
  /** processes up in each zone (whatever the zone's own state); not kept up to date without zones (never read then) */
  const zoneProcessesUp = new Int32Array(zoneCount);
  for (let i = 0; i < n; i++) zoneProcessesUp[zoneOf[i] as number] = (zoneProcessesUp[zoneOf[i] as number] as number) + 1;
  /** a fleet's partitions over these nodes, kept up to date after each event (fleetTracker.ts) */
  const fleet = config.fleet ? new FleetTracker(config, config.fleet, state, failedMode, zoneUp, zoneOf) : undefined;
  let upCount = n; // nodes whose process and zone are up, outside a common cause
  let inCommonCause = false;
  let leader = failover ? Math.floor(nextOpenUnit(rng) * n) : 0;
  // The control plane: each controller node's mode while it is down (−1: up), and whether a
  // quorum of them is up (no election is held without it; always true without a controller).
  const controllerMode = new Int32Array(controllerNodes).fill(-1);
  const controllerRate = controller ? controller.modes.reduce((sum, m) => sum + m.ratePerHour, 0) : 0;
  let controllerUp = controllerNodes;
  let controllerQuorum = true;
  let maintained = -1; // the node under a planned restart
  let roundNext = 0; // the next node of the current maintenance round
  let roundStart = 0;
  // A bad release (docs/design.md §3e): drawn once per round; its phases are fixed — slots
  // start at (i − 1)·duration while before the detection at D = duration + detect, the
  // slot under way at D ends there, and the rollback comes at D + rollback (the formula's
  // badRoundPhases, computed here: src/sim never imports src/formulas).
  const bad = maintenance?.badRelease !== undefined && maintenance.badRelease.p > 0 ? maintenance.badRelease : undefined;
  let badSlots = n;
  let badLastSlot = 0;
  let badHold = 0;
  if (bad && maintenance) {
    const d = maintenance.durationHours;
    const detectAt = d + bad.detectHours;
    badSlots = 0;
    while (badSlots < n && badSlots * d < detectAt) badSlots++;
    badLastSlot = Math.min(d, detectAt - (badSlots - 1) * d);
    badHold = detectAt + bad.rollbackHours - ((badSlots - 1) * d + badLastSlot);
  }
  let roundBad = false; // this round's release is bad
  let rollbackDue = false; // a bad round stopped: its broken nodes wait for the rollback

  // The warm-up runs from 0 to `origin`; the measured window from `origin` to `end`.
  const origin = config.warmupHours;
  const stats = new Float64Array(CLUSTER_STATS.size);
  const downIntervals = record.downIntervals ? new GrowableFloat64() : undefined;
  const fleetDownIntervals = record.fleetDownIntervals && fleet !== undefined ? new GrowableFloat64() : undefined;
  /** some partition of the fleet not writable (kept only while its intervals are recorded) */
  let fleetDown = false;
  const nodeZeroFailures = record.nodeZeroFailures ? new GrowableFloat64() : undefined;
  const commonCauseTimes = record.commonCause ? new GrowableFloat64() : undefined;
  // The message path's record of leader losses: per node, whether it is up (process, zone,
  // no common cause), since when, and when it last went down; the loss under way.
  const leadership = record.leadership && failover ? new GrowableFloat64() : undefined;
  const wasUp = new Uint8Array(n).fill(1);
  const upSince = new Float64Array(n);
  const downAt = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const lossUpSince = new Float64Array(n);
  const lossHit = new Uint8Array(n);
  const lossDownAt = new Float64Array(n);
  const modeLoses = Uint8Array.from(modes, (m) => (m.losesUnflushed ? HIT_LOSES_UNFLUSHED : HIT_KEEPS_CACHE));
  const zoneHit = zones?.losesUnflushed === false ? HIT_KEEPS_CACHE : HIT_LOSES_UNFLUSHED;
  const ccHit = config.commonCauseLosesUnflushed === false ? HIT_KEEPS_CACHE : HIT_LOSES_UNFLUSHED;
  let leaderSince = 0;
  let lossPending = false;
  let lossAt = 0;
  let lossLeader = -1;
  let lossTenure = 0;

  for (let i = 0; i < n; i++) {
    for (let m = 0; m < modeCount; m++) clock[i * modeCount + m] = draws.initialLife(m);
    heap.schedule(i, earliestClock(clock, i, modeCount));
  }
  if (zones && zoneRate > 0) for (let z = 0; z < zoneCount; z++) heap.schedule(ZONE0 + z, sampleExponential(rng, 1 / zoneRate));
  if (ccRate > 0) heap.schedule(STRIKE, sampleExponential(rng, 1 / ccRate));
  if (controller && controllerRate > 0) {
    for (let c = 0; c < controllerNodes; c++) heap.schedule(CONTROLLER0 + c, sampleExponential(rng, 1 / controllerRate));
  }
  if (maintenance) {
    // each run meets the schedule at a random phase
    roundStart = nextOpenUnit(rng) * maintenance.everyHours;
    heap.schedule(MAINTAIN, roundStart);
  }
  // the in-sync set starts whole, under the first leader: each follower's first shrink pending
  if (isr) isr.update(0, leader, live.fill(1), heap, rng);

  let end = origin + horizonHours;
  let measuring = origin === 0;
  /** the current segment did not start at an entry to all-up (the one under way at the end of the warm-up) */
  let headSegment = false;
  let stopped = 0;
  let t = 0;
  let clusterUp = true;
  let queueUp = true;
  let allUp = true;
  let downtime = 0;
  let queueDowntime = 0;
  let outages = 0;
  let queueOutages = 0;
  let elections = 0;
  let events = 0;
  // the current segment (regeneration cycle)
  let cycleStart = 0;
  let cycleDown = 0;
  let cycleOutages = 0;
  let cycleFirstDown = -1;
  // The segments' sums: the ones every cycle adds to in locals (a slot of `stats` read and
  // written back per cycle cost about 3 % at 7 nodes), copied into `stats` after the loop;
  // the others, which only a cycle with an outage or a head segment adds to, accumulate in
  // `stats` (addSegmentOutageSums). Each sum gets the same terms in the same order.
  let cycles = 0;
  let segments = 0;
  let sumSegmentLength = 0;
  let sumSegmentLengthSquared = 0;
  let sumExposure = 0;
  let sumExposureSquared = 0;

  while (heap.size > 0) {
    const at = heap.peekTime();
    if (!measuring && at >= origin) {
      // The measured window opens: what happened before is the warm-up.
      measuring = true;
      t = origin;
      cycleStart = origin;
      headSegment = !allUp;
      if (!(failover ? queueUp : clusterUp)) downIntervals?.push(0);
      if (fleetDown) fleetDownIntervals?.push(0);
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
    const leaderBefore = leader;
    const upBefore = inCommonCause ? -1 : upCount;
    if (measuring) {
      if (!clusterUp) {
        downtime += at - t;
        cycleDown += at - t;
      }
      if (failover && !queueUp) queueDowntime += at - t;
    }
    t = at;
    events++;
    if (id < n) {
      const s = state[id] as number;
      if (s === UP) {
        // A failure: the mode whose clock ran out; the node's other clocks freeze (with
        // one mode there is nothing to keep: its clock restarts when the node is back).
        const mode = multiMode ? earliestMode(clock, id, modeCount) : 0;
        if (multiMode) freezeClocks(clock, id, modeCount, t);
        failedMode[id] = mode;
        let zoneIsUp = true;
        if (zoned) {
          const z = zoneOf[id] as number;
          zoneProcessesUp[z] = (zoneProcessesUp[z] as number) - 1;
          zoneIsUp = zoneUp[z] === 1;
        }
        if (zoneIsUp) {
          upCount--;
          if (id === 0 && nodeZeroFailures && measuring) nodeZeroFailures.push(t - origin);
        }
        if (failover && leader === id) leader = -1;
        const crewFree = modeCrew[mode] === 0;
        if (crewFree || busyCrews < crews) {
          if (crewFree) state[id] = RECOVERING;
          else {
            busyCrews++;
            state[id] = REPAIRING;
          }
          // the hottest draws are written out here, not through draws.recovery/draws.life:
          // V8 does not inline those calls into this large loop (a call and a boxed double
          // per event, 1.1× slower)
          const recovery = lognormal
            ? sampleLognormal(rng, modeLogMean[mode] as number, sigma)
            : -(modeMttr[mode] as number) * Math.log(nextOpenUnit(rng));
          heap.delayTop(t + recovery);
        } else {
          heap.cancel(id);
          state[id] = WAITING;
          queue[(queueHead + queueLength) % n] = id;
          queueLength++;
        }
      } else if (s === MAINTENANCE) {
        // never scheduled on the node itself (the maintenance step ends it)
        heap.cancel(id);
      } else {
        // Back from a failure (repair done, or recovered on its own).
        const crewed = s === REPAIRING;
        state[id] = UP;
        if (zoned) {
          const z = zoneOf[id] as number;
          zoneProcessesUp[z] = (zoneProcessesUp[z] as number) + 1;
          if (zoneUp[z] === 1) upCount++;
        } else upCount++;
        if (multiMode) {
          renewClocks(clock, id, modeCount, t, failedMode[id] as number, draws);
          heap.delayTop(earliestClock(clock, id, modeCount));
        } else {
          const life = weibull
            ? sampleWeibull(rng, modeScale[0] as number, inverseShape)
            : -(modeMtbf[0] as number) * Math.log(nextOpenUnit(rng));
          const next = t + life;
          clock[id] = next;
          heap.delayTop(next);
        }
        if (crewed) {
          if (queueLength > 0) {
            const next = queue[queueHead] as number;
            queueHead = (queueHead + 1) % n;
            queueLength--;
            state[next] = REPAIRING;
            heap.schedule(next, t + draws.recovery(failedMode[next] as number));
          } else busyCrews--;
        }
      }
    } else if (id < STRIKE) {
      const z = id - ZONE0;
      if (zoneUp[z] === 1) {
        zoneUp[z] = 0;
        if (!inCommonCause) upCount -= zoneProcessesUp[z] as number;
        if (failover && leader >= 0 && zoneOf[leader] === z) leader = -1;
        if (nodeZeroFailures && measuring && zoneOf[0] === z && state[0] === UP && !inCommonCause) nodeZeroFailures.push(t - origin);
        heap.delayTop(t + draws.zoneRestore());
      } else {
        zoneUp[z] = 1;
        if (!inCommonCause) upCount += zoneProcessesUp[z] as number;
        heap.delayTop(t + sampleExponential(rng, 1 / zoneRate));
      }
    } else if (id === STRIKE) {
      // Every node goes down; pending failures, repairs and restarts are void.
      if (commonCauseTimes && measuring) commonCauseTimes.push(t - origin);
      if (nodeZeroFailures && measuring && state[0] === UP && zoneUp[zoneOf[0] as number] === 1) nodeZeroFailures.push(t - origin);
      for (let i = 0; i < n; i++) {
        heap.cancel(i);
        if (state[i] === UP) freezeClocks(clock, i, modeCount, t);
        // a node that was down for a failure comes back renewed in that mode; the others resume
        if (state[i] === UP || state[i] === MAINTENANCE) failedMode[i] = -1;
        state[i] = COMMON_CAUSE;
      }
      zoneProcessesUp.fill(0);
      inCommonCause = true;
      upCount = 0;
      queueHead = 0;
      queueLength = 0;
      busyCrews = 0;
      leader = -1;
      // a node held for its restart is now down with everything else: its hold ends (the
      // round's later slots go on, skipping the nodes that are still down)
      maintained = -1;
      heap.cancel(STRIKE);
      heap.schedule(RESTORE, t + draws.restore());
    } else if (id === RESTORE) {
      heap.cancel(RESTORE);
      inCommonCause = false;
      upCount = 0;
      for (let i = 0; i < n; i++) {
        state[i] = UP;
        renewClocks(clock, i, modeCount, t, failedMode[i] as number, draws);
        heap.schedule(i, earliestClock(clock, i, modeCount));
        const z = zoneOf[i] as number;
        zoneProcessesUp[z] = (zoneProcessesUp[z] as number) + 1;
        if (zoneUp[z] === 1) upCount++;
      }
      heap.schedule(STRIKE, t + sampleExponential(rng, 1 / ccRate));
    } else if (id === MAINTAIN) {
      const m = maintenance as { everyHours: number; durationHours: number };
      if (maintained >= 0) {
        // the planned restart is over; after a bad release the node stays down, broken
        // (state MAINTENANCE, clocks frozen) until the rollback — a common cause meanwhile
        // ends it like a hold, its restore bringing every node up
        if (!roundBad) {
          const i = maintained;
          state[i] = UP;
          // the in-sync set: a rolling restart waits for the node to catch up (its slot
          // includes it) — back under a leader, it is back in the set at once
          if (isr && leader >= 0) isr.member[i] = 1;
          renewClocks(clock, i, modeCount, t, -1, draws);
          const z = zoneOf[i] as number;
          zoneProcessesUp[z] = (zoneProcessesUp[z] as number) + 1;
          if (zoneUp[z] === 1) upCount++;
          heap.schedule(i, earliestClock(clock, i, modeCount));
        }
        maintained = -1;
        // The next restart is its own event at the same time: the restarted node rejoins
        // first (a rolling restart waits for it), so a quorum that cannot spare a node is
        // regained in between and each restart that breaks it is one outage.
        heap.schedule(MAINTAIN, t);
      } else if (rollbackDue) {
        // the rollback: every broken node up again, then the next round as usual
        rollbackDue = false;
        for (let i = 0; i < n; i++) {
          if (state[i] !== MAINTENANCE) continue;
          state[i] = UP;
          if (isr && leader >= 0) isr.member[i] = 1;
          renewClocks(clock, i, modeCount, t, -1, draws);
          const z = zoneOf[i] as number;
          zoneProcessesUp[z] = (zoneProcessesUp[z] as number) + 1;
          if (zoneUp[z] === 1) upCount++;
          heap.schedule(i, earliestClock(clock, i, modeCount));
        }
        roundStart += m.everyHours;
        roundNext = 0;
        heap.schedule(MAINTAIN, Math.max(t, roundStart));
      } else {
        // Node i's slot of the round: restarted when its process is up (a node whose zone
        // is out is still restarted: its process goes on independently of its zone); a node
        // down for a failure or the common cause is skipped and its slot passes idle. A bad
        // round has only its first badSlots slots (the last cut at the detection).
        if (bad && roundNext === 0) roundBad = nextOpenUnit(rng) < bad.p;
        if (roundNext < (roundBad ? badSlots : n)) {
          const i = roundNext++;
          if (state[i] === UP) {
            if (failover && leader === i) {
              // handed over: no election (an in-sync successor, else one that catches up first)
              leader = isr
                ? isr.choose(liveNodes(live, state, zoneUp, zoneOf, inCommonCause), i, true, rng)
                : randomUpNode(state, zoneUp, zoneOf, inCommonCause, i, rng);
              leaderSince = t;
            }
            heap.cancel(i);
            freezeClocks(clock, i, modeCount, t);
            failedMode[i] = -1;
            state[i] = MAINTENANCE;
            const z = zoneOf[i] as number;
            zoneProcessesUp[z] = (zoneProcessesUp[z] as number) - 1;
            if (zoneUp[z] === 1) upCount--;
            if (i === 0 && nodeZeroFailures && measuring) nodeZeroFailures.push(t - origin);
            maintained = i;
          }
          heap.schedule(MAINTAIN, t + (roundBad && roundNext === badSlots ? badLastSlot : m.durationHours));
        } else if (roundBad) {
          // detected: the round stops, its broken nodes held until the rollback
          roundBad = false;
          rollbackDue = true;
          heap.schedule(MAINTAIN, t + badHold);
        } else {
          roundStart += m.everyHours;
          roundNext = 0;
          heap.schedule(MAINTAIN, Math.max(t, roundStart));
        }
      }
    } else if (isr !== undefined && id >= SYNC0) {
      // a follower of the queue's leader falls out of the in-sync set, or is back in
      isr.fire(id, heap);
    } else if (id >= CONTROLLER0) {
      // A controller node fails (its mode drawn in proportion to the modes' rates) or is back.
      const c = id - CONTROLLER0;
      const cm = controller as NonNullable<typeof controller>;
      if (controllerMode[c] === -1) {
        let pick = nextOpenUnit(rng) * controllerRate;
        let mode = 0;
        while (mode < cm.modes.length - 1 && pick >= (cm.modes[mode] as { ratePerHour: number }).ratePerHour) {
          pick -= (cm.modes[mode] as { ratePerHour: number }).ratePerHour;
          mode++;
        }
        controllerMode[c] = mode;
        controllerUp--;
        heap.delayTop(t + sampleExponential(rng, (cm.modes[mode] as { mttrHours: number }).mttrHours));
      } else {
        controllerMode[c] = -1;
        controllerUp++;
        heap.delayTop(t + sampleExponential(rng, 1 / controllerRate));
      }
      controllerQuorum = controllerUp >= cm.quorum;
      // an election under way is abandoned, and starts over once the quorum is back (below)
      if (!controllerQuorum) heap.cancel(ELECT);
    } else {
      // ELECT: a new leader on a uniformly chosen up node (with the in-sync set: an up
      // member, or — unclean — any up node; none when the members went down meanwhile)
      heap.cancel(ELECT);
      leader = isr
        ? isr.choose(liveNodes(live, state, zoneUp, zoneOf, inCommonCause), -1, false, rng)
        : randomUpNode(state, zoneUp, zoneOf, inCommonCause, -1, rng);
      if (measuring && leader >= 0) elections++;
      if (leader >= 0) leaderSince = t;
      if (leadership && lossPending && leader >= 0) {
        const r = leadership.extend(LEADERSHIP.stride(n));
        const out = leadership.data;
        out[r + LEADERSHIP.lostAt] = lossAt - origin;
        out[r + LEADERSHIP.electedAt] = t - origin;
        out[r + LEADERSHIP.oldLeader] = lossLeader;
        out[r + LEADERSHIP.newLeader] = leader;
        out[r + LEADERSHIP.tenureStart] = lossTenure - origin;
        for (let j = 0; j < n; j++) {
          const upNow = !inCommonCause && state[j] === UP && zoneUp[zoneOf[j] as number] === 1;
          // with the in-sync set the candidates are its up members; an unclean election's
          // leader is the only one (the queue goes on from its log)
          const candidate = isr ? (isr.lastUnclean ? j === leader : upNow && isr.member[j] === 1) : upNow;
          out[r + LEADERSHIP.node(j, LEADERSHIP_NODE.upSince)] = lossUpSince[j] as number;
          out[r + LEADERSHIP.node(j, LEADERSHIP_NODE.hit)] = lossHit[j] as number;
          out[r + LEADERSHIP.node(j, LEADERSHIP_NODE.candidate)] = candidate ? 1 : 0;
          out[r + LEADERSHIP.node(j, LEADERSHIP_NODE.downAt)] = lossDownAt[j] as number;
        }
        lossPending = false;
      }
    }

    if (fleet !== undefined) {
      // a node's own event changes that node only; the others may change any number
      if (id < n) fleet.sync(t, measuring, id, id + 1, inCommonCause);
      else if (id !== ELECT) fleet.sync(t, measuring, 0, n, inCommonCause);
      if (fleetDownIntervals !== undefined && fleet.unwritablePartitions > 0 !== fleetDown) {
        fleetDown = !fleetDown;
        if (measuring) fleetDownIntervals.push(t - origin);
      }
    }
    const nowUp = !inCommonCause && upCount >= k;
    if (failover) {
      if (!nowUp) {
        leader = -1;
        heap.cancel(ELECT);
      } else if (leader >= 0 && !(state[leader] === UP && zoneUp[zoneOf[leader] as number] === 1)) {
        leader = -1;
      }
      if (isr !== undefined) {
        // the set follows the leader (or freezes without one); an election needs a member up (or unclean)
        liveNodes(live, state, zoneUp, zoneOf, inCommonCause);
        isr.update(t, leader, live, heap, rng);
        if (leader < 0 && !isr.electable(live)) heap.cancel(ELECT);
        else if (nowUp && leader < 0 && controllerQuorum && !heap.has(ELECT)) heap.schedule(ELECT, t + electionDelay(failover, rng));
      } else if (nowUp && leader < 0 && controllerQuorum && !heap.has(ELECT)) heap.schedule(ELECT, t + electionDelay(failover, rng));
    }
    if (leadership) {
      // which nodes this event took down or brought back, and how it hit them
      const hit =
        id < n
          ? state[id] === MAINTENANCE
            ? HIT_KEEPS_CACHE
            : (modeLoses[failedMode[id] as number] ?? HIT_KEEPS_CACHE)
          : id < STRIKE
            ? zoneHit
            : id === STRIKE
              ? ccHit
              : HIT_KEEPS_CACHE;
      const lost = leaderBefore >= 0 && leader < 0;
      // one event moves nodes one way only, so an unchanged count of up nodes means no node
      // changed (with the in-sync set, a follower may change sides at any event)
      const changed = lost || isr !== undefined || upBefore !== (inCommonCause ? -1 : upCount);
      if (lost) {
        lossPending = t >= origin;
        lossAt = t;
        lossLeader = leaderBefore;
        lossTenure = leaderSince;
      }
      for (let j = 0; changed && j < n; j++) {
        const physical = !inCommonCause && state[j] === UP && zoneUp[zoneOf[j] as number] === 1 ? 1 : 0;
        // with the in-sync set, "up" for the message path is up and in the set: a follower
        // out of it receives nothing new until it is back in (then it holds what it missed)
        const up = isr !== undefined && isr.member[j] === 0 ? 0 : physical;
        if (lost) {
          lossUpSince[j] = wasUp[j] === 1 ? (upSince[j] as number) - origin : Number.NaN;
          lossHit[j] = wasUp[j] === 1 && physical === 0 ? hit : HIT_NONE;
          lossDownAt[j] = (downAt[j] as number) - origin;
        }
        if (up !== wasUp[j]) {
          if (up === 1) upSince[j] = t;
          else downAt[j] = t;
          wasUp[j] = up;
        }
      }
    }
    if (clusterUp !== nowUp) {
      if (measuring) {
        if (!nowUp) {
          outages++;
          cycleOutages++;
          if (cycleFirstDown < 0) cycleFirstDown = t - cycleStart;
        }
        if (!failover) downIntervals?.push(t - origin);
      }
      clusterUp = nowUp;
    }
    if (failover) {
      // Without failover the queue is up exactly when the cluster is: its state, downtime
      // and outages mirror the cluster's (the same sums in the same order, the same bits),
      // copied after the loop rather than kept here.
      // ack: all with the in-sync set: no writes while fewer than the quorum are in sync
      const nowQueueUp = nowUp && leader >= 0 && (!gateWrites || (isr as InSyncSet).upMembers(live) >= k);
      if (queueUp !== nowQueueUp) {
        if (measuring) {
          if (!nowQueueUp) queueOutages++;
          downIntervals?.push(t - origin);
        }
        queueUp = nowQueueUp;
      }
    }
    const nowAllUp = upCount === n && !inCommonCause && maintained < 0;
    if (nowAllUp && !allUp && measuring) {
      const length = t - cycleStart;
      // A head segment did not start from all-up: its time counts for the time averages,
      // but it is no exposure for the MTTF (which is measured from all-up).
      if (!headSegment) cycles++;
      // written out here, not through a call: as a call, V8 would box its doubles — an
      // allocation per cycle, about one per two events
      const exposure = headSegment ? 0 : cycleFirstDown < 0 ? length : cycleFirstDown;
      segments++;
      sumSegmentLength += length;
      sumSegmentLengthSquared += length * length;
      sumExposure += exposure;
      sumExposureSquared += exposure * exposure;
      // the common cycle, quorum kept throughout, would add zeros to the others (the same bits)
      if (headSegment || cycleOutages !== 0 || cycleDown !== 0) {
        addSegmentOutageSums(stats, length, cycleDown, cycleOutages, headSegment, cycleFirstDown);
      }
      fleet?.closeSegment(stats, length);
      headSegment = false;
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
    if (!(failover ? queueUp : clusterUp)) downIntervals?.push(0);
    if (fleetDown) fleetDownIntervals?.push(0);
  }
  if (!failover) {
    queueUp = clusterUp;
    queueDowntime = downtime;
    queueOutages = outages;
  }
  const horizon = end - origin;
  if (!clusterUp) {
    downtime += end - t;
    cycleDown += end - t;
  }
  if (!queueUp) {
    queueDowntime += end - t;
    downIntervals?.push(horizon);
  }
  if (fleetDown) fleetDownIntervals?.push(horizon);
  const S = CLUSTER_STATS;
  stats[S.cycles] = cycles;
  stats[S.segments] = segments;
  stats[S.sumSegmentLength] = sumSegmentLength;
  stats[S.sumSegmentLengthSquared] = sumSegmentLengthSquared;
  stats[S.sumExposure] = sumExposure;
  stats[S.sumExposureSquared] = sumExposureSquared;
  // The unfinished cycle at the horizon is one more segment: its time and downtime count,
  // and its time to a first quorum loss is exposure, censored when it had none.
  const tail = end - cycleStart;
  fleet?.finish(end);
  if (tail > 0) {
    addSegment(stats, tail, cycleDown, cycleOutages, headSegment, cycleFirstDown);
    fleet?.closeSegment(stats, tail);
  }
  if (control !== undefined) control.progress[control.slot] = control.base + horizon;

  stats[CLUSTER_STATS.horizonHours] = horizon;
  stats[CLUSTER_STATS.downtimeHours] = downtime;
  stats[CLUSTER_STATS.outages] = outages;
  stats[CLUSTER_STATS.nodeEvents] = events;
  stats[CLUSTER_STATS.upTimeHours] = horizon - downtime;
  stats[CLUSTER_STATS.stopped] = stopped;
  stats[CLUSTER_STATS.queueDowntimeHours] = queueDowntime;
  stats[CLUSTER_STATS.queueOutages] = queueOutages;
  stats[CLUSTER_STATS.elections] = elections;
  fleet?.write(stats);
  // One object shape whatever was recorded: keeps the optimised code monomorphic.
  return {
    stats,
    downIntervals: downIntervals?.view(),
    fleetDownIntervals: fleetDownIntervals?.view(),
    nodeZeroFailures: nodeZeroFailures?.view(),
    commonCauseTimes: commonCauseTimes?.view(),
    leadership: leadership?.view(),
  };
}

/**
 * One finished segment (a regeneration cycle, or the head or tail piece of the window)
 * into the run's sums: its time and downtime count for the time averages; its time to a
 * first quorum loss is exposure for the MTTF — censored (no loss) when it had none, and
 * none at all for a head segment, which did not start from all-up.
 */
function addSegment(stats: Float64Array, length: number, down: number, outages: number, headSegment: boolean, firstDown: number): void {
  const exposure = headSegment ? 0 : firstDown < 0 ? length : firstDown;
  const S = CLUSTER_STATS;
  stats[S.segments] = (stats[S.segments] as number) + 1;
  stats[S.sumSegmentLength] = (stats[S.sumSegmentLength] as number) + length;
  stats[S.sumSegmentLengthSquared] = (stats[S.sumSegmentLengthSquared] as number) + length * length;
  stats[S.sumExposure] = (stats[S.sumExposure] as number) + exposure;
  stats[S.sumExposureSquared] = (stats[S.sumExposureSquared] as number) + exposure * exposure;
  addSegmentOutageSums(stats, length, down, outages, headSegment, firstDown);
}

/** The sums of {@link addSegment} that a segment without downtime, outages or head adds zeros to. */
function addSegmentOutageSums(
  stats: Float64Array,
  length: number,
  down: number,
  outages: number,
  headSegment: boolean,
  firstDown: number,
): void {
  const exposure = headSegment ? 0 : firstDown < 0 ? length : firstDown;
  const lost = headSegment || firstDown < 0 ? 0 : 1;
  const S = CLUSTER_STATS;
  stats[S.sumSegmentDowntime] = (stats[S.sumSegmentDowntime] as number) + down;
  stats[S.sumSegmentDowntimeSquared] = (stats[S.sumSegmentDowntimeSquared] as number) + down * down;
  stats[S.sumSegmentLengthTimesDowntime] = (stats[S.sumSegmentLengthTimesDowntime] as number) + length * down;
  stats[S.lossSegments] = (stats[S.lossSegments] as number) + lost;
  stats[S.sumExposureInLossSegments] = (stats[S.sumExposureInLossSegments] as number) + exposure * lost;
  stats[S.sumSegmentOutages] = (stats[S.sumSegmentOutages] as number) + outages;
  stats[S.sumSegmentOutagesSquared] = (stats[S.sumSegmentOutagesSquared] as number) + outages * outages;
  stats[S.sumSegmentLengthTimesOutages] = (stats[S.sumSegmentLengthTimesOutages] as number) + length * outages;
}

/**
 * One run's draws of failure, recovery and restore times, specialised by distribution once,
 * before the loop. An object of its own rather than closures inside simulateCluster: a
 * closure over the loop's locals would move them into a heap context, and every read of
 * them in the loop would be a load from there.
 */
class ClusterDraws {
  readonly weibull: boolean;
  readonly shape: number;
  readonly inverseShape: number;
  readonly lognormal: boolean;
  readonly sigma: number;
  readonly modeMtbf: Float64Array;
  /** Weibull scales for the modes' means (with exponential failures, shape 1: the means) */
  readonly modeScale: Float64Array;
  readonly modeMttr: Float64Array;
  /** lognormal log-means for the modes' means */
  readonly modeLogMean: Float64Array;
  /** restores of the whole cluster after a common cause, and of a zone: the repairs' kind of distribution */
  readonly restoreMean: number;
  readonly restoreLogMean: number;
  readonly zoneMean: number;
  readonly zoneLogMean: number;

  constructor(
    config: ClusterSimConfig,
    readonly rng: RngState,
  ) {
    const modes = config.modes;
    this.weibull = config.failure.kind === "weibull";
    const shape = config.failure.kind === "weibull" ? config.failure.shape : 1;
    this.shape = shape;
    this.inverseShape = 1 / shape;
    const sigma = config.repair.kind === "lognormal" ? config.repair.sigma : 0;
    this.lognormal = config.repair.kind === "lognormal";
    this.sigma = sigma;
    this.modeMtbf = Float64Array.from(modes, (m) => m.mtbfHours);
    this.modeScale = Float64Array.from(modes, (m) => weibullScaleForMean(m.mtbfHours, shape));
    this.modeMttr = Float64Array.from(modes, (m) => m.mttrHours);
    this.modeLogMean = Float64Array.from(modes, (m) => lognormalLogMeanForMean(m.mttrHours, sigma));
    this.restoreMean = config.commonCauseMttrHours;
    this.restoreLogMean = lognormalLogMeanForMean(this.restoreMean, sigma);
    this.zoneMean = config.zones?.mttrHours ?? 1;
    this.zoneLogMean = lognormalLogMeanForMean(this.zoneMean, sigma);
  }

  /** A fresh life in a mode: time to its next failure. */
  life(mode: number): number {
    return this.weibull
      ? sampleWeibull(this.rng, this.modeScale[mode] as number, this.inverseShape)
      : -(this.modeMtbf[mode] as number) * Math.log(nextOpenUnit(this.rng));
  }

  /** A mode's clock at the start of a run: memoryless, or the Weibull's equilibrium residual life. */
  initialLife(mode: number): number {
    return this.weibull ? sampleWeibullEquilibriumResidual(this.rng, this.modeScale[mode] as number, this.shape) : this.life(mode);
  }

  /** The repair or self-recovery after a failure in a mode. */
  recovery(mode: number): number {
    return this.lognormal
      ? sampleLognormal(this.rng, this.modeLogMean[mode] as number, this.sigma)
      : -(this.modeMttr[mode] as number) * Math.log(nextOpenUnit(this.rng));
  }

  /** The restore of the whole cluster after a common cause. */
  restore(): number {
    return this.lognormal ? sampleLognormal(this.rng, this.restoreLogMean, this.sigma) : sampleExponential(this.rng, this.restoreMean);
  }

  /** The end of a zone's outage. */
  zoneRestore(): number {
    return this.lognormal ? sampleLognormal(this.rng, this.zoneLogMean, this.sigma) : sampleExponential(this.rng, this.zoneMean);
  }
}

/** The time an election takes: fixed, or exponential with its mean. */
function electionDelay(failover: NonNullable<ClusterSimConfig["failover"]>, rng: RngState): number {
  return failover.fixed ? failover.meanHours : sampleExponential(rng, failover.meanHours);
}

/** Node i is back at `at`: the mode that failed (if any) starts a fresh life, the others resume the time they had left. */
function renewClocks(clock: Float64Array, i: number, modeCount: number, at: number, renewed: number, draws: ClusterDraws): void {
  for (let m = 0; m < modeCount; m++) {
    const slot = i * modeCount + m;
    clock[slot] = m === renewed ? at + draws.life(m) : at + (clock[slot] as number);
  }
}

/** Node i's next failure: the earliest of its modes' clocks. */
function earliestClock(clock: Float64Array, i: number, modeCount: number): number {
  let at = clock[i * modeCount] as number;
  for (let m = 1; m < modeCount; m++) at = Math.min(at, clock[i * modeCount + m] as number);
  return at;
}

/** The mode whose clock runs out first on node i. */
function earliestMode(clock: Float64Array, i: number, modeCount: number): number {
  let mode = 0;
  for (let m = 1; m < modeCount; m++) if ((clock[i * modeCount + m] as number) < (clock[i * modeCount + mode] as number)) mode = m;
  return mode;
}

/** Node i goes down at t: its clocks now hold the time each mode had left. */
function freezeClocks(clock: Float64Array, i: number, modeCount: number, t: number): void {
  for (let m = 0; m < modeCount; m++) clock[i * modeCount + m] = (clock[i * modeCount + m] as number) - t;
}

/** A uniformly chosen up node other than `except`, or −1 when there is none. */
function randomUpNode(
  state: Uint8Array,
  zoneUp: Uint8Array,
  zoneOf: Int32Array,
  inCommonCause: boolean,
  except: number,
  rng: RngState,
): number {
  if (inCommonCause) return -1;
  const n = state.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (i !== except && state[i] === UP && zoneUp[zoneOf[i] as number] === 1) count++;
  if (count === 0) return -1;
  let pick = Math.floor(nextOpenUnit(rng) * count);
  for (let i = 0; i < n; i++) {
    if (i === except || state[i] !== UP || zoneUp[zoneOf[i] as number] !== 1) continue;
    if (pick-- === 0) return i;
  }
  return -1;
}
