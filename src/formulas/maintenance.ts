import {
  type ClusterSolveSpec,
  lossFlowWeights,
  MAX_PROCESS_STATES,
  queueSteadyState,
  solveSteadyState,
  upGivenZones,
  zoneWeights,
} from "./_internal/clusterSolve.js";
import { CC, ClusterDynamics, clusterCodec, LEADER, ZONES } from "./_internal/clusterStates.js";
import {
  broken,
  Distribution,
  exploreFrom,
  initialVector,
  MAX_WINDOW_STATES,
  processStateCount,
  released,
  restart,
  rolledBack,
  WindowLayout,
  windowStateCount,
} from "./_internal/maintenanceWindow.js";
import { ChainTooLargeError } from "./_internal/markovChain.js";
import { QueueWindow } from "./_internal/queueWindow.js";
import { TooStiffError, transposeOf, uniformize } from "./_internal/uniformization.js";
import { type ChainSolveOptions, type ClusterChainParams, solveSpec } from "./clusterChain.js";
import type { Probability } from "./probability.js";

export { MAX_WINDOW_STATES } from "./_internal/maintenanceWindow.js";

/** Most multiply-adds for one slot of the process chain (beyond: refused). */
const MAX_PROCESS_WORK = 2e9;
/** Most multiply-adds for one slot of the queue's chain (beyond: the approximation). */
const MAX_QUEUE_WORK = 3e8;

export interface MaintenanceParams extends ClusterChainParams {
  /** hours between the starts of two rounds of rolling restarts */
  readonly everyHours: number;
  /** hours one node is down for its restart */
  readonly durationHours: number;
  /**
   * zone (0-based index into the placement) of the node restarted in each slot, in
   * order; default: zone by zone, as the placement lists them
   */
  readonly restartOrder?: readonly number[];
  /** change-induced failures: each round is a release, bad with probability p (see maintenanceAvailability) */
  readonly badRelease?: BadRelease;
}

/** A bad release (docs/design.md §3e): the round's draw and its two fixed delays. */
export interface BadRelease {
  /** probability that a round's release is bad (0 ≤ p ≤ 1) */
  readonly p: number;
  /** hours from the end of the round's first slot until the bad release is detected (≥ 0) */
  readonly detectHours: number;
  /** hours from the detection until every broken node is up again (≥ 0) */
  readonly rollbackHours: number;
}

/** The phases of a bad round: its slots, the last one's length, and the hold until the rollback. */
export interface BadRoundPhases {
  /** slots started before the detection (1 … n) */
  readonly slots: number;
  /** length of the last of them, cut at the detection (hours, ≤ duration) */
  readonly lastSlotHours: number;
  /** from the end of that slot to the rollback, every broken node held (hours) */
  readonly holdHours: number;
  /** the bad round's window: first restart to rollback (hours) */
  readonly windowHours: number;
}

/**
 * The deterministic phases of a bad round (the same in the formula and the simulator):
 * slots start at (i − 1)·duration; the detection comes at D = duration + detect (the
 * clock starts when the first slot ends, whether its node was restarted or skipped);
 * slot i is started iff (i − 1)·duration < D (so a slot due exactly at D is not); the
 * slot under way at D ends there (its node, running the bad release, is broken); every
 * broken node is up again at R = D + rollback.
 */
export function badRoundPhases(nodes: number, durationHours: number, bad: BadRelease): BadRoundPhases {
  const detectAt = durationHours + bad.detectHours;
  let slots = 0;
  while (slots < nodes && slots * durationHours < detectAt) slots++;
  const lastSlotHours = Math.min(durationHours, detectAt - (slots - 1) * durationHours);
  const windowHours = detectAt + bad.rollbackHours;
  return { slots, lastSlotHours, holdHours: windowHours - ((slots - 1) * durationHours + lastSlotHours), windowHours };
}

export interface MaintenanceResult extends Probability {
  /** quorum losses per hour, the restarts included */
  readonly outageFrequency: number;
  /** mean up time between quorum losses, A / outageFrequency (hours) */
  readonly meanUpTime: number;
  /** with failover: P(quorum up and leader elected) */
  readonly queue?: Probability;
  /**
   * how the queue's figure was found: "exact" (the window's full chain evolved), or
   * "approximation" when that chain is too stiff to evolve (an election much faster than a
   * restart): U_queue,steady + (U − U_steady) + failover.time × (outages − outages_steady);
   * with bad releases, also when the bad round's full chain is too large or too stiff to
   * evolve (then the bad rounds' share alone is approximated)
   */
  readonly queueMethod?: "exact" | "approximation";
  /** the same cluster without maintenance (the chain's steady state) */
  readonly steady: Probability & { readonly outageFrequency: number; readonly queue?: Probability };
  /** unavailability the rounds add (U − U_steady, summed from its parts) */
  readonly addedUnavailability: number;
  /** estimate of the method's own error on the unavailability (see the doc comment) */
  readonly errorEstimate: number;
  /** the post-window relaxation term included in the unavailability (hours per round / every) */
  readonly relaxation: number;
  /** with a bad release (p > 0): its phases and what its rounds add */
  readonly badRelease?: {
    readonly phases: BadRoundPhases;
    /** unavailability of a year of bad rounds only (down time of a bad round / every) */
    readonly roundUnavailability: number;
    /** quorum losses in one bad round's period (its window, the rest and the relaxation) */
    readonly roundOutages: number;
    /** the unavailability bad releases add: p × (bad round's − good round's), per hour of the period */
    readonly addedUnavailability: number;
    /** the quorum losses per hour they add */
    readonly addedOutageFrequency: number;
  };
  /** states of the largest slot chain evolved, and uniformization steps taken */
  readonly work: {
    /** states of the largest slot chain: the queue's full chain (processes, zones, leader) when it is evolved, else the process window's */
    readonly windowStates: number;
    readonly steps: number;
    /** states of the largest process window (zones summed exactly) */
    readonly processStates: number;
    /** states of the largest up part evolved with the leader (0 without the queue's window) */
    readonly leaderStates: number;
  };
}

/**
 * Availability of a k-of-n cluster under rolling maintenance: every `every` hours the
 * nodes are restarted one at a time, back to back, each held down for `duration`; a node
 * whose process is down (failed, or a common cause) when its turn comes is skipped; a
 * planned restart hands the queue's leadership over first (no election). The rest of the
 * cluster — modes, crews, zones, common cause, failover — is the chain of clusterChain.
 *
 * Method (a phase mixture over the schedule): a round starts from the chain's steady
 * state π. The n restart slots are evolved exactly by uniformization, slot by slot: at
 * the start of slot i the node to restart is a uniformly random one of the zone's nodes
 * not yet restarted in this round (the nodes of a zone are exchangeable, so the chain
 * splits each zone into "not yet" and "done" nodes to keep this exact); if its process is
 * up it is held down (it neither fails nor needs a crew) until the slot ends. After the
 * window the chain relaxes back to π; the extra down time of that relaxation,
 * y·U with y·Q = π − p(end of window), Σy = 0 (y = ∫(p(t) − π)dt), is included. So per
 * round:
 *
 *   down time = ∫_window U(t) dt + (every − n·duration)·U_π + y·U,
 *
 * and U = down time / every; outages likewise (entries into quorum loss in the window,
 * at the restarts, and y·w afterwards). The node processes do not depend on the zones
 * (a node in a zone that is out is still restarted), so all of this is done on the
 * process chain with the zones summed exactly. The queue's leader needs the full chain
 * (processes, zones, leader) in the window; it is evolved through its exact structure
 * (src/formulas/_internal/queueWindow.ts): its (process, zones) marginal is the process
 * window ⊗ the zones' stationary law at every uniformization step, so only the states
 * with the quorum up are evolved with the leader, fed by the returns from the down ones
 * — the same iterates as the whole chain's, on a few percent of its states. Large
 * process chains with zones of equal size are solved on their orbits under zone
 * permutations (src/formulas/_internal/zoneSymmetry.ts; exact).
 *
 * Assumption: every round starts in steady state — true when `every` is long against the
 * time the chain takes to relax (hours: repairs, zone and common-cause restores) — and
 * the relaxation is over before the next round. `errorEstimate` puts a number on what it
 * neglects: (a) the disturbance the round leaves is still e^(−L/t̄) of itself when the
 * next round starts (L = every − n·duration, t̄ = ‖y‖₁/‖p_end − π‖₁ the mean relaxation
 * time), so the added unavailability is uncertain by that fraction; (b) with failover, the
 * leader's own relaxation after the window is not evolved: at most
 * failover.time × (hits (Λ+α per unit up time) and quorum returns it shifts) per round.
 * Under `every` ≫ t̄ the estimate is far below 1e-15.
 *
 * Bad releases (`badRelease`, docs/design.md §3e): each round is a release, bad with
 * probability p, drawn independently per round. A bad round's phases are fixed given the
 * draw (badRoundPhases): slots start at (i − 1)·duration until the detection at
 * D = duration + detect (the end of the first slot plus detect); the slot under way at D
 * ends there; a node that was held down when its slot ends is broken — down, its clocks
 * frozen as during a restart (it neither fails nor needs a crew) — until the rollback at
 * R = D + rollback brings every broken node up at once. A node down when its turn comes
 * is skipped (not broken); a common cause ends holds and brokenness alike (its restore
 * brings every node up, as for a hold: the operators who restore the cluster roll back
 * with it). In the chain a broken node is one more crew-free mode with rates 0 (frozen):
 * the bad round's window is evolved like a good one's (slots, then a hold phase of
 * length R − end of the last slot), and relaxes back to π the same way. So, exactly
 * under the same assumptions, per period `every`:
 *
 *   down time = (1 − p)·(good round's) + p·(bad round's, window R, rest every − R),
 *
 * outages likewise; R ≤ every is required. The queue's bad round is evolved on its full
 * chain (processes, zones, leader; a bad round is rare enough that the structure the good
 * rounds' QueueWindow exploits is not needed), from the queue's steady state; the quorum
 * the rollback returns at R has its leader lost with probability L, and that election,
 * after the window, adds L/electionRate (another quorum loss meanwhile, neglected, is in
 * errorEstimate). When that chain is beyond MAX_WINDOW_STATES or too stiff, the bad
 * rounds' queue share falls back to the approximation above. Source of the mechanism: Beyer et
 * al., The Site Reliability Workbook (O'Reilly 2018), ch. "Canarying Releases"; Gunawi et
 * al., "Why Does the Cloud Stop Computing?", SoCC 2016 (upgrades and configuration
 * changes among the leading causes of outages).
 *
 * Source: uniformization — Grassmann, Computers & Operations Research 4 (1977);
 * Reibman & Trivedi, Computers & Operations Research 15 (1988); deviation y — Kemeny &
 * Snell, Finite Markov Chains (1960), the fundamental matrix; the cluster chain as in
 * clusterChain.
 *
 * @throws RangeError on out-of-domain parameters, a round longer than `every`, or a
 *   slot's process window (or the part of its chain with the quorum up, with the leader)
 *   beyond 200000 states
 * @example maintenanceAvailability({nodes: 3, quorum: 2, modes: [{failureRate: 1 / 17532, repairRate: 1 / 8, needsCrew: true}],
 *   everyHours: 720, durationHours: 1 / 6}).complement // ≈ 3.2e-6: restarts add ≈ 2.3e-6 to 9.6e-7
 */
export function maintenanceAvailability(params: MaintenanceParams, options: ChainSolveOptions = {}): MaintenanceResult {
  const fn = "maintenanceAvailability";
  const spec = solveSpec(params, fn);
  const every = params.everyHours;
  const duration = params.durationHours;
  const n = spec.nodes;
  if (!(Number.isFinite(every) && every > 0)) throw new RangeError(`${fn} requires every > 0 hours, got ${every}`);
  if (!(Number.isFinite(duration) && duration > 0)) throw new RangeError(`${fn} requires a duration > 0 hours, got ${duration}`);
  if (n * duration > every) {
    throw new RangeError(`${fn} requires the round (${n} nodes × ${duration} h) to fit in every = ${every} h`);
  }
  const zoneCount = spec.placement.length;
  const order = params.restartOrder ?? spec.placement.flatMap((size, z) => new Array<number>(size).fill(z));
  if (order.length !== n || order.some((z) => !Number.isInteger(z) || z < 0 || z >= zoneCount)) {
    throw new RangeError(`${fn} requires a restart order of ${n} zone indices in 0..${zoneCount - 1}`);
  }
  spec.placement.forEach((size, z) => {
    const slots = order.filter((x) => x === z).length;
    if (slots !== size) throw new RangeError(`${fn} requires the restart order to visit zone ${z} ${size} times, got ${slots}`);
  });

  const bad = params.badRelease !== undefined && params.badRelease.p > 0 ? params.badRelease : undefined;
  if (params.badRelease !== undefined) {
    const { p, detectHours, rollbackHours } = params.badRelease;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${fn} requires a bad release's p in [0, 1], got ${p}`);
    if (!(Number.isFinite(detectHours) && detectHours >= 0)) throw new RangeError(`${fn} requires detect ≥ 0 hours, got ${detectHours}`);
    if (!(Number.isFinite(rollbackHours) && rollbackHours >= 0)) {
      throw new RangeError(`${fn} requires rollback ≥ 0 hours, got ${rollbackHours}`);
    }
  }
  const phases = bad ? badRoundPhases(n, duration, bad) : undefined;
  if (phases && phases.windowHours > every) {
    throw new RangeError(
      `${fn} requires a bad round (duration + detect + rollback = ${phases.windowHours} h) to fit in every = ${every} h`,
    );
  }

  refuseEarly(spec.placement, order, spec);
  const steady = solveSteadyState(spec, options.cache);
  const queueSteady = spec.electionRate !== undefined && params.failover !== undefined ? queueSteadyState(steady) : undefined;

  // The window on the process chain (zones summed exactly), then the relaxation.
  const windowClasses = spec.placement.flatMap((_, z) => [z, z]);
  const sizesAt = (slot: number) => {
    const done = new Array<number>(zoneCount).fill(0);
    for (let j = 0; j < slot; j++) done[order[j] as number] = (done[order[j] as number] as number) + 1;
    return spec.placement.flatMap((size, z) => [size - (done[z] as number), done[z] as number]);
  };
  // one codec for every slot (each class sized for its whole zone), so that keys carry over
  const codec = clusterCodec(
    spec.placement.flatMap((size) => [size, size]),
    spec.modes,
    spec.repairCrews,
    n,
    zoneCount,
  );
  // a bad round's window: one more crew-free mode, frozen (rates 0), holding its broken nodes
  const brokenMode = spec.modes.filter((m) => !m.needsCrew).length;
  const badModes = [...spec.modes, { failureRate: 0, repairRate: 0, needsCrew: false }];
  const badCodec = bad
    ? clusterCodec(
        spec.placement.flatMap((size) => [size, size]),
        badModes,
        spec.repairCrews,
        n,
        zoneCount,
      )
    : codec;
  const windowDynamics = (slot: number, withZones: boolean, withLeader: boolean, badRound = false) =>
    new ClusterDynamics(
      {
        quorum: spec.quorum,
        modes: badRound ? badModes : spec.modes,
        repairCrews: spec.repairCrews,
        classZone: windowClasses,
        classSize: sizesAt(slot),
        zoneCount: withZones ? zoneCount : 0,
        zoneOutageRate: spec.zoneOutageRate,
        zoneRestoreRate: spec.zoneRestoreRate,
        commonCauseRate: spec.commonCauseRate,
        commonCauseRestoreRate: spec.commonCauseRestoreRate,
        ...(withLeader && spec.electionRate !== undefined ? { electionRate: spec.electionRate } : {}),
      },
      badRound ? badCodec : codec,
    );
  const layout = new WindowLayout(steady.process.codec, codec);
  const badLayout = new WindowLayout(steady.process.codec, badCodec);
  const pw = steady.process.codec.words;

  const uP = new Int32Array(steady.process.codec.fields);
  /** Process states (`count` keys, one probability each) carried into a window's distribution (good or bad round). */
  const intoWindow = (
    windowLayout: WindowLayout,
    windowCodec: typeof codec,
    keys: Int32Array,
    count: number,
    probability: ArrayLike<number>,
  ): Distribution => {
    const into = new Distribution(windowCodec);
    const u = new Int32Array(windowCodec.fields);
    const scratch = new Int32Array(windowCodec.words);
    for (let i = 0; i < count; i++) {
      steady.process.codec.decode(keys, i * pw, uP);
      windowLayout.toWindow(uP, u);
      into.addUnpacked(u, scratch, probability[i] as number);
    }
    return into;
  };
  let start = intoWindow(layout, codec, steady.table.keys, steady.chain.size, steady.pi);
  let windowDown = 0;
  let windowUp = 0;
  let windowOutages = 0;
  let steps = 0;
  let windowStates = 0;
  let processStates = 0;
  let leaderStates = 0;
  const masks = steady.zones.masks;
  const maskProbability = steady.zones.probability;
  const fromCounts = new Int32Array(zoneCount);
  const toCounts = new Int32Array(zoneCount);
  // the queue's window, slot by slot beside the process window (until it proves too stiff)
  let queueWindow: QueueWindow | undefined;
  if (queueSteady !== undefined) {
    const upStart = intoWindow(layout, codec, queueSteady.keys, queueSteady.count, queueSteady.probability);
    queueWindow = new QueueWindow(upStart, steady.zones, spec.quorum, duration, MAX_QUEUE_WORK);
  }
  for (let slot = 1; slot <= n; slot++) {
    const zone = order[slot - 1] as number;
    const before = windowDynamics(slot - 1, true, false);
    const dyn = windowDynamics(slot, false, false);
    const dynFull = windowDynamics(slot, true, false);
    // quorum lost by the restart itself: (s, z) up before, down after
    const onHeld = (from: Int32Array, to: Int32Array, p: number) => {
      before.processUpByZone(from, fromCounts);
      dynFull.processUpByZone(to, toCounts);
      for (let m = 0; m < masks.length; m++) {
        const mask = masks[m] as number;
        if (upGivenZones(fromCounts, mask) >= spec.quorum && upGivenZones(toCounts, mask) < spec.quorum) {
          windowOutages += p * (maskProbability[m] as number);
        }
      }
    };
    const pendingCount = (sizesAt(slot - 1)[2 * zone] as number) || 1;
    const moved = restart(start, 2 * zone, pendingCount, dyn, onHeld);
    const { chain, table } = exploreFrom(moved, dyn);
    windowStates = Math.max(windowStates, chain.size);
    processStates = Math.max(processStates, chain.size);
    // evolved alone here, then driving the queue's chain: one transpose for both
    const transpose = transposeOf(chain);
    let evolved: ReturnType<typeof uniformize>;
    try {
      evolved = uniformize(chain, initialVector(moved, chain.size), duration, MAX_PROCESS_WORK, transpose);
    } catch (error) {
      if (error instanceof TooStiffError) throw new RangeError(`${fn}: a restart slot is too stiff to evolve: ${error.message}`);
      throw error;
    }
    steps += evolved.steps;
    const weights = zoneWeights(dyn, table.keys, chain.size, steady.zones, zoneCount, spec.quorum);
    const flows = lossFlowWeights(dynFull, table.keys, chain.size, steady.zones, spec.quorum);
    for (let s = 0; s < chain.size; s++) {
      const t = evolved.integral[s] as number;
      windowDown += t * (weights.down[s] as number);
      windowUp += t * (weights.up[s] as number);
      windowOutages += t * (flows[s] as number);
    }
    if (queueWindow !== undefined) {
      try {
        queueWindow.slot({
          zone,
          pendingCount,
          dynamics: windowDynamics(slot, true, true),
          chain,
          transpose,
          keys: table.keys,
          start: initialVector(moved, chain.size),
          end: evolved.end,
          downWeight: weights.down,
        });
      } catch (error) {
        if (!(error instanceof TooStiffError)) throw error;
        queueWindow = undefined;
      }
    }
    start = released(table, chain.size, evolved.end, dyn, false);
  }
  /**
   * A bad round's window on the process chain (zones summed exactly), with the frozen
   * mode: slots 1 … phases.slots as above (the last cut at the detection), but at each
   * slot's end the held node is broken instead of released; then every broken node held
   * until the rollback brings them all up. Returns the window's down and up time, its
   * quorum losses and the distribution after the rollback.
   */
  const badWindow = (phases: BadRoundPhases) => {
    let d = intoWindow(badLayout, badCodec, steady.table.keys, steady.chain.size, steady.pi);
    let down = 0;
    let up = 0;
    let lost = 0;
    let work = 0;
    let states = 0;
    const evolve = (moved: Distribution, dyn: ClusterDynamics, dynFull: ClusterDynamics, hours: number) => {
      const { chain, table } = exploreFrom(moved, dyn);
      states = Math.max(states, chain.size);
      let evolved: ReturnType<typeof uniformize>;
      try {
        evolved = uniformize(chain, initialVector(moved, chain.size), hours, MAX_PROCESS_WORK);
      } catch (error) {
        if (error instanceof TooStiffError) throw new RangeError(`${fn}: a bad round's phase is too stiff to evolve: ${error.message}`);
        throw error;
      }
      work += evolved.steps;
      const weights = zoneWeights(dyn, table.keys, chain.size, steady.zones, zoneCount, spec.quorum);
      const flows = lossFlowWeights(dynFull, table.keys, chain.size, steady.zones, spec.quorum);
      for (let s = 0; s < chain.size; s++) {
        const t = evolved.integral[s] as number;
        down += t * (weights.down[s] as number);
        up += t * (weights.up[s] as number);
        lost += t * (flows[s] as number);
      }
      return { table, size: chain.size, end: evolved.end };
    };
    for (let slot = 1; slot <= phases.slots; slot++) {
      const zone = order[slot - 1] as number;
      const before = windowDynamics(slot - 1, true, false, true);
      const dyn = windowDynamics(slot, false, false, true);
      const dynFull = windowDynamics(slot, true, false, true);
      const onHeld = (from: Int32Array, to: Int32Array, p: number) => {
        before.processUpByZone(from, fromCounts);
        dynFull.processUpByZone(to, toCounts);
        for (let m = 0; m < masks.length; m++) {
          const mask = masks[m] as number;
          if (upGivenZones(fromCounts, mask) >= spec.quorum && upGivenZones(toCounts, mask) < spec.quorum) {
            lost += p * (maskProbability[m] as number);
          }
        }
      };
      const pendingCount = (sizesAt(slot - 1)[2 * zone] as number) || 1;
      const moved = restart(d, 2 * zone, pendingCount, dyn, onHeld);
      const hours = slot === phases.slots ? phases.lastSlotHours : duration;
      const e = evolve(moved, dyn, dynFull, hours);
      d = broken(e.table, e.size, e.end, dyn, brokenMode);
    }
    const dyn = windowDynamics(phases.slots, false, false, true);
    if (phases.holdHours > 0) {
      const e = evolve(d, dyn, windowDynamics(phases.slots, true, false, true), phases.holdHours);
      d = released(e.table, e.size, e.end, dyn, false);
    }
    return { down, up, outages: lost, end: rolledBack(d, dyn, brokenMode), steps: work, states };
  };

  /**
   * The queue's bad round: the same phases on the full chain (processes, zones, leader),
   * explored and uniformized as a whole — its start is the queue's steady state on the up
   * pairs and π(p)·π_Z(z) with the leader lost on the down ones (the (p, z) marginal is
   * π ⊗ π_Z). Returns the hours with the queue down (quorum lost or no leader) and up;
   * throws TooStiffError or ChainTooLargeError when that chain is beyond the limits (the
   * caller falls back to the approximation).
   */
  const badQueueWindow = (phases: BadRoundPhases, upStart: { keys: Int32Array; count: number; probability: Float64Array }) => {
    const startDyn = windowDynamics(0, true, true, true);
    let d = intoWindow(badLayout, badCodec, upStart.keys, upStart.count, upStart.probability);
    const uB = new Int32Array(badCodec.fields);
    const keyB = new Int32Array(badCodec.words);
    const counts = new Int32Array(zoneCount);
    for (let i = 0; i < steady.chain.size; i++) {
      steady.process.codec.decode(steady.table.keys, i * pw, uP);
      badLayout.toWindow(uP, uB);
      startDyn.processUpByZone(uB, counts);
      for (let m = 0; m < masks.length; m++) {
        const mask = masks[m] as number;
        if (uB[CC] !== 1 && upGivenZones(counts, mask) >= spec.quorum) continue;
        uB[ZONES] = mask;
        uB[LEADER] = 1;
        d.addUnpacked(uB, keyB, (steady.pi[i] as number) * (maskProbability[m] as number));
      }
    }
    let down = 0;
    let up = 0;
    let work = 0;
    let states = 0;
    const evolve = (moved: Distribution, dyn: ClusterDynamics, hours: number) => {
      const { chain, table } = exploreFrom(moved, dyn);
      states = Math.max(states, chain.size);
      const evolved = uniformize(chain, initialVector(moved, chain.size), hours, MAX_QUEUE_WORK);
      work += evolved.steps;
      const u = dyn.u;
      for (let s = 0; s < chain.size; s++) {
        dyn.codec.decode(table.keys, s * dyn.codec.words, u);
        const t = evolved.integral[s] as number;
        if (u[LEADER] === 1 || dyn.upNodes(u) < spec.quorum) down += t;
        else up += t;
      }
      return { table, size: chain.size, end: evolved.end };
    };
    for (let slot = 1; slot <= phases.slots; slot++) {
      const zone = order[slot - 1] as number;
      const dyn = windowDynamics(slot, true, true, true);
      const pendingCount = (sizesAt(slot - 1)[2 * zone] as number) || 1;
      const moved = restart(d, 2 * zone, pendingCount, dyn);
      const e = evolve(moved, dyn, slot === phases.slots ? phases.lastSlotHours : duration);
      d = broken(e.table, e.size, e.end, dyn, brokenMode);
    }
    const last = windowDynamics(phases.slots, true, true, true);
    if (phases.holdHours > 0) {
      const e = evolve(d, last, phases.holdHours);
      d = released(e.table, e.size, e.end, last, false);
    }
    // The rollback returns the quorum at R with the leader lost (mass L): its election,
    // 1/electionRate on average, falls after the window, where only the process chain
    // relaxes — added here (what it neglects, another quorum loss during that election,
    // is in the error estimate).
    d = rolledBack(d, last, brokenMode);
    let leaderless = 0;
    for (let i = 0; i < d.size; i++) {
      badCodec.decode(d.table.keys, i * badCodec.words, uB);
      if (uB[LEADER] === 1 && last.upNodes(uB) >= spec.quorum) leaderless += d.p[i] as number;
    }
    const election = leaderless / (spec.electionRate as number);
    return { down: down + election, up: up - election, steps: work, states, leaderless };
  };

  // back on the process chain: the relaxation y·Q = π − p_end, Σy = 0
  const pWeights = zoneWeights(steady.process, steady.table.keys, steady.chain.size, steady.zones, zoneCount, spec.quorum);
  const pFlows = lossFlowWeights(steady.full, steady.table.keys, steady.chain.size, steady.zones, spec.quorum);
  const relaxFrom = (final: Distribution, lay: WindowLayout) => {
    const c = final.codec;
    const end = new Float64Array(steady.chain.size);
    const pKey = new Int32Array(pw);
    const u = new Int32Array(c.fields);
    for (let i = 0; i < final.size; i++) {
      c.decode(final.table.keys, i * c.words, u);
      lay.fromWindow(u, uP);
      steady.process.codec.encode(uP, pKey, 0);
      const j = steady.table.find(pKey, 0);
      if (j < 0) throw new RangeError(`${fn}: a state after the window is not in the process chain (a bug)`);
      end[j] = (end[j] as number) + (final.p[i] as number);
    }
    const difference = Float64Array.from(steady.pi, (p, i) => p - (end[i] as number));
    const deviation = steady.deviation(difference);
    let down = 0;
    let outages = 0;
    let yNorm = 0;
    let deviationNorm = 0;
    for (let i = 0; i < deviation.y.length; i++) {
      const y = deviation.y[i] as number;
      const s = deviation.representative[i] as number;
      down += y * (pWeights.down[s] as number);
      outages += y * (pFlows[s] as number);
      yNorm += Math.abs(y);
      deviationNorm += Math.abs(deviation.b[i] as number);
    }
    return { down, outages, meanRelaxation: deviationNorm > 0 ? yNorm / deviationNorm : 0 };
  };
  const relaxed = relaxFrom(start, layout);
  const relaxDown = relaxed.down;
  const relaxOutages = relaxed.outages;
  const rest = every - n * duration;
  let downTime = windowDown + rest * steady.unavailability + relaxDown;
  let upTime = windowUp + rest * steady.availability - relaxDown;
  let outages = windowOutages + rest * steady.outageFrequency + relaxOutages;
  let added = (windowDown - n * duration * steady.unavailability + relaxDown) / every;
  const meanRelaxation = relaxed.meanRelaxation;
  let errorEstimate = meanRelaxation > 0 ? Math.abs(added) * Math.exp(-rest / meanRelaxation) : 0;
  let relaxation = relaxDown / every;

  // A bad round (probability p): its own window and relaxation; the year mixes the two.
  let badResult: MaintenanceResult["badRelease"];
  let badExtra = 0; // the bad round's added unavailability and outages per hour, for the queue's approximation
  let badRelaxDown = 0;
  let badRelaxOutages = 0;
  if (bad && phases) {
    const round = badWindow(phases);
    steps += round.steps;
    windowStates = Math.max(windowStates, round.states);
    processStates = Math.max(processStates, round.states);
    const badRelaxed = relaxFrom(round.end, badLayout);
    badRelaxDown = badRelaxed.down;
    badRelaxOutages = badRelaxed.outages;
    const badRest = every - phases.windowHours;
    const badDown = round.down + badRest * steady.unavailability + badRelaxed.down;
    const badUp = round.up + badRest * steady.availability - badRelaxed.down;
    const badOutages = round.outages + badRest * steady.outageFrequency + badRelaxed.outages;
    const badAdded = (round.down - phases.windowHours * steady.unavailability + badRelaxed.down) / every;
    const badError = badRelaxed.meanRelaxation > 0 ? Math.abs(badAdded) * Math.exp(-badRest / badRelaxed.meanRelaxation) : 0;
    const q = bad.p;
    const good = 1 - q;
    if (spec.electionRate !== undefined) badExtra = badAdded + (badOutages / every - steady.outageFrequency) / spec.electionRate;
    badResult = {
      phases,
      roundUnavailability: badDown / every,
      roundOutages: badOutages,
      addedUnavailability: q * (badAdded - added),
      addedOutageFrequency: (q * (badOutages - outages)) / every,
    };
    downTime = good * downTime + q * badDown;
    upTime = good * upTime + q * badUp;
    outages = good * outages + q * badOutages;
    errorEstimate = good * errorEstimate + q * badError;
    relaxation = good * relaxation + (q * badRelaxed.down) / every;
    added = good * added + q * badAdded;
  }

  let queue: Probability | undefined;
  let queueMethod: "exact" | "approximation" | undefined;
  if (params.failover !== undefined) {
    if (queueSteady === undefined) {
      queue = { value: upTime / every, complement: downTime / every };
      queueMethod = "exact";
    } else {
      const election = spec.electionRate as number;
      const hitRate = spec.modes.reduce((sum, m) => sum + m.failureRate, 0) + spec.zoneOutageRate;
      const q = queueWindow;
      if (q !== undefined) {
        steps += q.steps;
        windowStates = Math.max(windowStates, q.states);
        leaderStates = q.upStates;
        const qDown = q.down + rest * queueSteady.unavailability + relaxDown;
        const qUp = q.up + rest * queueSteady.availability - relaxDown;
        queue = { value: qUp / every, complement: qDown / every };
        queueMethod = "exact";
        if (bad && phases) {
          const good = 1 - bad.p;
          let badQueue: ReturnType<typeof badQueueWindow> | undefined;
          try {
            badQueue = badQueueWindow(phases, queueSteady);
          } catch (error) {
            if (!(error instanceof TooStiffError || error instanceof ChainTooLargeError)) throw error;
          }
          if (badQueue !== undefined) {
            // the bad round's full chain evolved: exact like the good rounds'
            steps += badQueue.steps;
            windowStates = Math.max(windowStates, badQueue.states);
            const badRest = every - phases.windowHours;
            const badQDown = badQueue.down + badRest * queueSteady.unavailability + badRelaxDown;
            const badQUp = badQueue.up + badRest * queueSteady.availability - badRelaxDown;
            queue = {
              value: (good * qUp + bad.p * badQUp) / every,
              complement: (good * qDown + bad.p * badQDown) / every,
            };
            errorEstimate +=
              (bad.p *
                (hitRate * Math.abs(badRelaxDown) + Math.abs(badRelaxOutages) + (spec.nodes * hitRate * badQueue.leaderless) / election)) /
              election /
              every;
          } else {
            // too large or too stiff: the bad rounds by the approximation below
            queue = {
              value: (good * qUp) / every + bad.p * (queueSteady.availability - badExtra),
              complement: (good * qDown) / every + bad.p * (queueSteady.unavailability + badExtra),
            };
            queueMethod = "approximation";
            errorEstimate += bad.p * (hitRate / election) * Math.abs(badExtra);
          }
        }
        errorEstimate += (hitRate * Math.abs(relaxDown) + Math.abs(relaxOutages)) / election / every;
      } else {
        const extraOutages = outages / every - steady.outageFrequency;
        const extra = added + extraOutages / election;
        queue = { value: queueSteady.availability - extra, complement: queueSteady.unavailability + extra };
        queueMethod = "approximation";
        // the window's hits are those of its up time; an election cut short by another quorum loss
        errorEstimate += (hitRate / election) * Math.abs(added) + (Math.abs(extraOutages) / election) * ((spec.nodes * hitRate) / election);
      }
    }
  }
  const availability = upTime / every;
  const outageFrequency = outages / every;
  return {
    value: availability,
    complement: downTime / every,
    outageFrequency,
    meanUpTime: outageFrequency > 0 ? availability / outageFrequency : Number.POSITIVE_INFINITY,
    ...(queue ? { queue } : {}),
    ...(queueMethod ? { queueMethod } : {}),
    steady: {
      value: steady.availability,
      complement: steady.unavailability,
      outageFrequency: steady.outageFrequency,
      ...(queueSteady ? { queue: { value: queueSteady.availability, complement: queueSteady.unavailability } } : {}),
    },
    addedUnavailability: added,
    errorEstimate,
    relaxation,
    ...(badResult ? { badRelease: badResult } : {}),
    work: { windowStates, steps, processStates, leaderStates },
  };
}

/**
 * Refuse at once a cluster whose restart slots are certainly beyond MAX_WINDOW_STATES,
 * instead of after solving its steady state and the slots before (the default model at
 * 8 nodes: 20 s; 10 nodes over 4+3+3 with crew-free modes: half a minute). The counts are
 * exact (see processStateCount and windowStateCount; the common cause's one state is left
 * out of the window's, so it never refuses a slot that fits); the error is the one
 * exploring the slot would throw. When the process chain itself is too large, nothing is
 * checked here: its own error comes first.
 */
function refuseEarly(placement: readonly number[], order: readonly number[], spec: ClusterSolveSpec): void {
  const crew = spec.modes.filter((m) => m.needsCrew).length;
  const modes = { free: spec.modes.length - crew, crew, crews: spec.repairCrews };
  const commonCause = spec.commonCauseRate > 0 ? 1 : 0;
  if (processStateCount(placement, modes) + commonCause > MAX_PROCESS_STATES) return;
  if (windowStateCount(placement, order, modes) > MAX_WINDOW_STATES)
    throw new ChainTooLargeError(MAX_WINDOW_STATES, "a restart slot's chain");
}
