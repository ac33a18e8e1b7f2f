/**
 * The steady state of mqrel's general cluster chain, computed in pieces that keep it
 * exact and small (see clusterChain.ts for the model and README for the semantics):
 *
 * 1. The process chain P: node processes (failure modes, shared crews, FIFO queue) and
 *    the common cause, with nodes labelled by zone but zones always up. Zones are
 *    independent of P (a node's process fails and is repaired whatever its zone does;
 *    a zone outage needs no crew; the common cause leaves zones alone), so the
 *    stationary distribution of the full chain is the product π_P(p)·π_Z(z), π_Z a
 *    product of two-state zone distributions. π_P is found by sparse GTH.
 * 2. Availability and outage frequency are sums over (p, z) of that product: exact,
 *    with no chain over zones built at all.
 * 3. The mean time to failure needs the full chain, but only its up states: the
 *    renewal-reward chain on them (every quorum loss restarts at all-up) has
 *    stationary distribution π′ and MTTF = 1/Σ π′_s·(rate s → down).
 * 4. The queue's leader needs the full chain too. Its up states, each with the leader
 *    elected or lost, plus one state D that stands for all down states, leaving D for up
 *    state y at rate Σ_{x down} π(x)·q(x, y) / π(D): the balance equations of this
 *    aggregated chain are satisfied by the true stationary probabilities (the flows out
 *    of the down set are the true ones), and it is irreducible, so its stationary
 *    distribution is exactly the true one on the up states (Kemeny & Snell's lumping of
 *    a set of states, here with the exact stationary exit flows; Meyer's stochastic
 *    complement, SIAM Review 31, 1989).
 *
 * @internal
 */
import { ClusterDynamics, type ClusterState, type ModeRates, stateKey } from "./clusterStates.js";
import { type ExploredChain, exploreChain } from "./markovChain.js";
import { type GthFactorization, gthFactorize, gthStationaryFrom } from "./sparseGth.js";

/** Most states of the process chain P that mqrel solves. */
export const MAX_PROCESS_STATES = 20_000;
/** Most up states of the full chain (with the leader: twice as many) that mqrel solves. */
export const MAX_UP_STATES = 20_000;
/** Most (process state, zone state) pairs that mqrel sums over. */
export const MAX_PAIRS = 4_000_000;

export interface ClusterSolveSpec {
  readonly nodes: number;
  readonly quorum: number;
  readonly modes: readonly ModeRates[];
  readonly repairCrews: number;
  /** nodes per zone (one zone holding every node when the model has none) */
  readonly placement: readonly number[];
  readonly zoneOutageRate: number;
  readonly zoneRestoreRate: number;
  readonly commonCauseRate: number;
  readonly commonCauseRestoreRate: number;
  /** elections per hour; undefined: no leader modelled */
  readonly electionRate?: number;
}

export interface ZoneStates {
  /** masks of down zones with positive probability */
  readonly masks: readonly number[];
  readonly probability: readonly number[];
}

export interface SteadyState {
  readonly spec: ClusterSolveSpec;
  /** dynamics of P (zones never fail) */
  readonly process: ClusterDynamics;
  /** dynamics of the full chain (zones fail; leader tracked when failover is modelled) */
  readonly full: ClusterDynamics;
  readonly chain: ExploredChain<ClusterState>;
  readonly factorization: GthFactorization;
  readonly pi: Float64Array;
  readonly zones: ZoneStates;
  readonly availability: number;
  readonly unavailability: number;
  /** quorum losses per hour */
  readonly outageFrequency: number;
}

export function zoneStates(zoneCount: number, outageRate: number, restoreRate: number): ZoneStates {
  const total = outageRate + restoreRate;
  const up = restoreRate / total;
  const down = outageRate / total;
  const masks: number[] = [];
  const probability: number[] = [];
  for (let mask = 0; mask < 2 ** zoneCount; mask++) {
    let p = 1;
    for (let z = 0; z < zoneCount; z++) p *= (mask & (1 << z)) !== 0 ? down : up;
    if (p > 0) {
      masks.push(mask);
      probability.push(p);
    }
  }
  return { masks, probability };
}

function dynamics(spec: ClusterSolveSpec, withZones: boolean, withLeader: boolean): ClusterDynamics {
  return new ClusterDynamics({
    quorum: spec.quorum,
    modes: spec.modes,
    repairCrews: spec.repairCrews,
    classZone: spec.placement.map((_, z) => z),
    classSize: spec.placement,
    zoneCount: withZones ? spec.placement.length : 0,
    zoneOutageRate: spec.zoneOutageRate,
    zoneRestoreRate: spec.zoneRestoreRate,
    commonCauseRate: spec.commonCauseRate,
    commonCauseRestoreRate: spec.commonCauseRestoreRate,
    ...(withLeader && spec.electionRate !== undefined ? { electionRate: spec.electionRate } : {}),
  });
}

/**
 * Up nodes given the process-up count of each zone and the mask of down zones.
 */
export function upGivenZones(processUpByZone: readonly number[], mask: number): number {
  let up = 0;
  for (let z = 0; z < processUpByZone.length; z++) if ((mask & (1 << z)) === 0) up += processUpByZone[z] as number;
  return up;
}

/**
 * Per state of a process-level chain: P(quorum up) and P(quorum down) over the zones'
 * stationary states, each a sum of its own terms.
 */
export function zoneWeights(
  dynamicsOfChain: ClusterDynamics,
  states: readonly ClusterState[],
  zones: ZoneStates,
  zoneCount: number,
  quorum: number,
): { up: Float64Array; down: Float64Array } {
  const up = new Float64Array(states.length);
  const down = new Float64Array(states.length);
  states.forEach((s, i) => {
    const counts = dynamicsOfChain.processUpByZone(s, zoneCount);
    let a = 0;
    let u = 0;
    zones.masks.forEach((mask, m) => {
      if (!s.commonCause && upGivenZones(counts, mask) >= quorum) a += zones.probability[m] as number;
      else u += zones.probability[m] as number;
    });
    up[i] = a;
    down[i] = u;
  });
  return { up, down };
}

/**
 * Per state p of a process-level chain: the rate of losing the quorum, averaged over the
 * zones' stationary states, Σ_z π_Z(z)·[(p, z) up]·Σ rate((p, z) → down) — the flow into
 * quorum loss is Σ_p π(p)·w(p).
 */
export function lossFlowWeights(full: ClusterDynamics, states: readonly ClusterState[], zones: ZoneStates, quorum: number): Float64Array {
  const w = new Float64Array(states.length);
  states.forEach((s, i) => {
    let total = 0;
    zones.masks.forEach((mask, m) => {
      const x = { ...s, zonesDown: mask, leaderLost: false };
      if (full.upNodes(x) < quorum) return;
      let flow = 0;
      full.transitions(x, (target, rate) => {
        if (full.upNodes(target) < quorum) flow += rate;
      });
      total += (zones.probability[m] as number) * flow;
    });
    w[i] = total;
  });
  return w;
}

/** Solve the process chain and sum availability and outage frequency over the zones. */
export function solveSteadyState(spec: ClusterSolveSpec): SteadyState {
  const process = dynamics(spec, false, false);
  const full = dynamics(spec, true, true);
  const chain = exploreChain([process.allUp()], describe(process), MAX_PROCESS_STATES, "the process chain (failure modes × crews × zones)");
  const zoneCount = spec.placement.length;
  const zones = zoneStates(zoneCount, spec.zoneOutageRate, spec.zoneRestoreRate);
  if (chain.size * zones.masks.length > MAX_PAIRS) {
    throw new RangeError(
      `the cluster has ${chain.size} process states × ${zones.masks.length} zone states, more than the ${MAX_PAIRS} pairs mqrel sums over`,
    );
  }
  const factorization = chain.size > 1 ? gthFactorize(chain) : undefined;
  const pi = factorization ? gthStationaryFrom(factorization) : Float64Array.of(1);
  const weights = zoneWeights(process, chain.states, zones, zoneCount, spec.quorum);
  const flows = lossFlowWeights(dynamics(spec, true, false), chain.states, zones, spec.quorum);
  let availability = 0;
  let unavailability = 0;
  let outageFrequency = 0;
  for (let i = 0; i < chain.size; i++) {
    availability += (pi[i] as number) * (weights.up[i] as number);
    unavailability += (pi[i] as number) * (weights.down[i] as number);
    outageFrequency += (pi[i] as number) * (flows[i] as number);
  }
  return {
    spec,
    process,
    full,
    chain,
    factorization: factorization ?? trivialFactorization(),
    pi,
    zones,
    availability,
    unavailability,
    outageFrequency,
  };
}

function trivialFactorization(): GthFactorization {
  return {
    size: 1,
    order: Int32Array.of(0),
    exit: new Float64Array(1),
    inFrom: [new Int32Array(0)],
    inRate: [new Float64Array(0)],
    outTo: [new Int32Array(0)],
    outRate: [new Float64Array(0)],
    fill: 0,
  };
}

export function describe(d: ClusterDynamics) {
  return { key: stateKey, transitions: (s: ClusterState, emit: (t: ClusterState, r: number) => void) => d.transitions(s, emit) };
}

/**
 * Mean time from all-up to the first loss of quorum: renewal-reward on the up states of
 * the full chain with every loss sent back to all-up (Ross, Stochastic Processes, 2nd ed.,
 * §3.6). Infinite when the quorum can never be lost.
 */
export function meanTimeToQuorumLoss(steady: SteadyState): { mttf: number; upStates: number } {
  const d = dynamics(steady.spec, true, false);
  const start = d.allUp();
  const exitRate = new Map<string, number>();
  const chain = exploreChain(
    [start],
    {
      key: stateKey,
      transitions: (s, emit) => {
        let lost = 0;
        d.transitions(s, (target, rate) => {
          if (d.isUp(target)) emit(target, rate);
          else lost += rate;
        });
        exitRate.set(stateKey(s), lost);
        if (lost > 0) emit(start, lost);
      },
    },
    MAX_UP_STATES,
    "the up states of the cluster chain",
  );
  const exits = chain.states.map((s) => exitRate.get(stateKey(s)) as number);
  if (exits.every((x) => x === 0)) return { mttf: Number.POSITIVE_INFINITY, upStates: chain.size };
  const pi = chain.size > 1 ? gthStationaryFrom(gthFactorize(chain)) : Float64Array.of(1);
  let flow = 0;
  exits.forEach((x, i) => {
    flow += (pi[i] as number) * x;
  });
  return { mttf: 1 / flow, upStates: chain.size };
}

/** The queue's steady state: the up states with the leader elected or lost, and D. */
export interface QueueSteadyState {
  /** up states of the full chain with the leader flag */
  readonly states: readonly ClusterState[];
  /** their stationary probabilities (D's is the cluster unavailability) */
  readonly probability: Float64Array;
  /** P(quorum up and leader elected) */
  readonly availability: number;
  /** P(quorum lost) + P(quorum up, no leader yet) */
  readonly unavailability: number;
}

export function queueSteadyState(steady: SteadyState): QueueSteadyState {
  const { full, chain, pi, zones } = steady;
  // Exact stationary flows from the down states into the up states.
  const returnFlow = new Map<string, { state: ClusterState; flow: number }>();
  chain.states.forEach((p, i) => {
    zones.masks.forEach((mask, m) => {
      const x = full.normalize({ ...p, zonesDown: mask, leaderLost: true });
      if (full.isUp(x)) return;
      const weight = (pi[i] as number) * (zones.probability[m] as number);
      if (weight === 0) return;
      full.transitions(x, (target, rate) => {
        if (!full.isUp(target)) return;
        const key = stateKey(target);
        const known = returnFlow.get(key);
        if (known) known.flow += weight * rate;
        else returnFlow.set(key, { state: target, flow: weight * rate });
      });
    });
  });
  const down = steady.unavailability;
  // D exists only when the quorum can be lost at all.
  const hasDown = down > 0 && returnFlow.size > 0;
  const DOWN: ClusterState = { ...full.allUp(), commonCause: true, leaderLost: true };
  const agg = exploreChain<ClusterState>(
    [full.allUp(), ...[...returnFlow.values()].map((r) => r.state), ...(hasDown ? [DOWN] : [])],
    {
      key: (s) => (s === DOWN ? "D" : stateKey(s)),
      transitions: (s, emit) => {
        if (s === DOWN) {
          for (const r of returnFlow.values()) emit(r.state, r.flow / down);
          return;
        }
        full.transitions(s, (target, rate) => emit(full.isUp(target) ? target : DOWN, rate));
      },
    },
    2 * MAX_UP_STATES,
    "the up states of the cluster chain with the queue's leader",
  );
  const p = agg.size > 1 ? gthStationaryFrom(gthFactorize(agg)) : Float64Array.of(1);
  let availability = 0;
  let lostLeader = 0;
  let downShare = 0;
  const states: ClusterState[] = [];
  const probability: number[] = [];
  agg.states.forEach((s, i) => {
    const value = p[i] as number;
    if (s === DOWN) {
      downShare = value;
      return;
    }
    states.push(s);
    probability.push(value);
    if (s.leaderLost) lostLeader += value;
    else availability += value;
  });
  return { states, probability: Float64Array.from(probability), availability, unavailability: downShare + lostLeader };
}
