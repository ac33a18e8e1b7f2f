/**
 * The steady state of mqrel's general cluster chain, computed in pieces that keep it
 * exact and small (see clusterChain.ts for the model and docs/design.md §3a for the semantics):
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
import { CC, type ClusterCodec, ClusterDynamics, clusterCodec, LEADER, type ModeRates, ZONES } from "./clusterStates.js";
import { type ControllerSpec, controllerChain, gateElections } from "./controllerChain.js";
import { addInitial, ChainTooLargeError, type CsrChain, exploreChain, TransitionBuffer } from "./markovChain.js";
import { type GthFactorization, gthFactorize, gthSolveZeroSum, gthStationaryFrom } from "./sparseGth.js";
import { StateTable } from "./stateTable.js";
import { type Lumping, lumpByZones, placementSymmetries } from "./zoneSymmetry.js";

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
  /** the control plane: elections only while it holds its quorum (controllerChain.ts) */
  readonly controller?: ControllerSpec;
}

/**
 * The deviation y·Q = b, Σy = 0 of the process chain, solved on the chain itself or, when
 * it is lumped by exchangeable zones (zoneSymmetry.ts), on its orbits: then y and b are
 * the orbit sums ȳ, b̄, and y·g = ȳ·ḡ for every g constant on orbits.
 */
export interface Deviation {
  readonly y: Float64Array;
  /** b over the same entries as y */
  readonly b: Float64Array;
  /** a process state of each entry (the state itself, or its orbit's first state) */
  readonly representative: Int32Array;
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
  /** the process chain; its states' keys (process.codec) are in `table`, in index order */
  readonly chain: CsrChain;
  readonly table: StateTable;
  /** π over the process chain's states */
  readonly pi: Float64Array;
  /** the solution of y·Q = b, Σy = 0, for b over the process states with Σb = 0 (see Deviation) */
  deviation(b: Float64Array): Deviation;
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

/** The codec shared by every chain of this cluster with one class per zone (process, full, up states). */
export function processCodec(spec: ClusterSolveSpec): ClusterCodec {
  return clusterCodec(spec.placement, spec.modes, spec.repairCrews, spec.nodes, spec.placement.length);
}

export function dynamics(spec: ClusterSolveSpec, withZones: boolean, withLeader: boolean, codec: ClusterCodec): ClusterDynamics {
  return new ClusterDynamics(
    {
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
    },
    codec,
  );
}

/**
 * Up nodes given the process-up count of each zone and the mask of down zones.
 */
export function upGivenZones(processUpByZone: Int32Array, mask: number): number {
  let up = 0;
  for (let z = 0; z < processUpByZone.length; z++) if ((mask & (1 << z)) === 0) up += processUpByZone[z] as number;
  return up;
}

/** Explore the chain of `dyn` from the states already in `table`. */
export function exploreDynamics(dyn: ClusterDynamics, table: StateTable, maxStates: number, what: string): CsrChain {
  const w = dyn.codec.words;
  const out = new TransitionBuffer(w, dyn.maxTransitions);
  return exploreChain(table, (s, buf) => dyn.expand(table.keys, s * w, buf), out, maxStates, what);
}

/**
 * Per state of a process-level chain (keys of dynamicsOfChain's codec): P(quorum up) and
 * P(quorum down) over the zones' stationary states, each a sum of its own terms.
 */
export function zoneWeights(
  dynamicsOfChain: ClusterDynamics,
  keys: Int32Array,
  size: number,
  zones: ZoneStates,
  zoneCount: number,
  quorum: number,
): { up: Float64Array; down: Float64Array } {
  const up = new Float64Array(size);
  const down = new Float64Array(size);
  const codec = dynamicsOfChain.codec;
  const u = new Int32Array(codec.fields);
  const counts = new Int32Array(zoneCount);
  const w = codec.words;
  for (let i = 0; i < size; i++) {
    codec.decode(keys, i * w, u);
    dynamicsOfChain.processUpByZone(u, counts);
    const cc = u[CC] === 1;
    let a = 0;
    let b = 0;
    for (let m = 0; m < zones.masks.length; m++) {
      if (!cc && upGivenZones(counts, zones.masks[m] as number) >= quorum) a += zones.probability[m] as number;
      else b += zones.probability[m] as number;
    }
    up[i] = a;
    down[i] = b;
  }
  return { up, down };
}

/**
 * Per state p of a process-level chain: the rate of losing the quorum, averaged over the
 * zones' stationary states, Σ_z π_Z(z)·[(p, z) up]·Σ rate((p, z) → down) — the flow into
 * quorum loss is Σ_p π(p)·w(p). `full` shares the chain's codec.
 */
export function lossFlowWeights(full: ClusterDynamics, keys: Int32Array, size: number, zones: ZoneStates, quorum: number): Float64Array {
  const weights = new Float64Array(size);
  const codec = full.codec;
  const w = codec.words;
  const u = full.u;
  const out = new TransitionBuffer(w, full.maxTransitions);
  const counts = new Int32Array(Math.max(1, full.spec.zoneCount));
  for (let i = 0; i < size; i++) {
    let total = 0;
    codec.decode(keys, i * w, u);
    full.processUpByZone(u, counts);
    const cc = u[CC] === 1;
    for (let m = 0; m < zones.masks.length; m++) {
      const mask = zones.masks[m] as number;
      if (cc || upGivenZones(counts, mask) < quorum) continue;
      u[ZONES] = mask;
      u[LEADER] = 0;
      const count = full.expandUnpacked(out);
      let flow = 0;
      for (let t = 0; t < count; t++) if ((out.up[t] as number) < quorum) flow += out.rates[t] as number;
      total += (zones.probability[m] as number) * flow;
    }
    weights[i] = total;
  }
  return weights;
}

/** The process chain solved: its states, the GTH factorisation and π — or those of its lumped chain. */
interface ProcessSolution {
  readonly chain: CsrChain;
  readonly table: StateTable;
  /** the factorisation of the chain solved: the process chain, or its lumped chain */
  readonly factorization: GthFactorization;
  /** π over the process states */
  readonly pi: Float64Array;
  /** with exchangeable zones and more than LUMP_ABOVE states: the orbits, and π̄ over them */
  readonly lumping?: Lumping & { readonly pi: Float64Array };
}

/**
 * Process chains of more states than this are solved on their orbits under the
 * permutations of zones of equal size (zoneSymmetry.ts) — exact, with its own rounding.
 * The smaller ones keep the plain chain, whose figures mqrel has always given to the bit.
 * Why not lump them all: every figure moves by a few ulps, but the maintenance
 * relaxation — a signed sum that cancels — moves by up to 1.4e-6 of itself (measured,
 * 7 nodes over 3+2+2: −2.8034440e-13 lumped against −2.8034402e-13, 7e-15 of U = 5.7e-5),
 * and the error estimate with it.
 */
const LUMP_ABOVE = 3000;

/** Most process chains a ClusterSolveCache keeps. */
const SOLVED_PROCESSES = 8;
/** Most entries (transitions and factorisation fill) a ClusterSolveCache keeps over all its chains. */
const SOLVED_BUDGET = 4_000_000;

/**
 * Process chains solved, by what they depend on: the modes, crews, placement and common
 * cause — not the quorum, the zones' rates or the election (the process chain has
 * neither zone nor leader). The planning commands and the contributions evaluate many
 * variants of one cluster (a maintenance schedule removed, zone outages removed, failover
 * made instant, a quorum moved) whose process chain is the same; with one cache passed
 * down, it is factorised once. Whoever evaluates a batch of models owns one (there is no
 * module-level cache): without it nothing is kept. A hit hands out copies of the arrays a
 * caller can see (chain, states, π), bit for bit those a new solution would compute; the
 * factorisation stays inside and is only read. The least recently used chains are
 * dropped past SOLVED_PROCESSES chains or SOLVED_BUDGET entries.
 */
export class ClusterSolveCache {
  private readonly solved = new Map<string, ProcessSolution>();

  /** process chains kept now */
  get size(): number {
    return this.solved.size;
  }

  /** The solution stored under `key`, solved by `solve` the first time. @internal */
  solution(key: string, solve: () => ProcessSolution): ProcessSolution {
    const known = this.solved.get(key);
    if (known !== undefined) {
      // most recently used last
      this.solved.delete(key);
      this.solved.set(key, known);
      return known;
    }
    const solution = solve();
    this.solved.set(key, solution);
    let total = 0;
    for (const x of this.solved.values()) total += solutionWeight(x);
    for (const [k, x] of this.solved) {
      if (this.solved.size <= 1 || (this.solved.size <= SOLVED_PROCESSES && total <= SOLVED_BUDGET)) break;
      this.solved.delete(k);
      total -= solutionWeight(x);
    }
    return solution;
  }
}

function solutionWeight(x: ProcessSolution): number {
  return x.chain.target.length + x.factorization.fill + (x.lumping?.chain.target.length ?? 0) + x.chain.size;
}

function copyChain(chain: CsrChain): CsrChain {
  return { size: chain.size, rowStart: chain.rowStart.slice(), target: chain.target.slice(), rate: chain.rate.slice() };
}

function processSolution(spec: ClusterSolveSpec, process: ClusterDynamics, cache: ClusterSolveCache | undefined): ProcessSolution {
  if (cache === undefined) return solveProcess(spec, process);
  const key = JSON.stringify([
    spec.nodes,
    spec.placement,
    spec.modes.map((m) => [m.failureRate, m.repairRate, m.needsCrew]),
    spec.repairCrews,
    spec.commonCauseRate,
    spec.commonCauseRestoreRate,
  ]);
  const kept = cache.solution(key, () => solveProcess(spec, process));
  // what leaves this module is the caller's own copy; the factorisation and lumping are only read here
  return { ...kept, chain: copyChain(kept.chain), table: kept.table.clone(), pi: kept.pi.slice() };
}

function solveProcess(spec: ClusterSolveSpec, process: ClusterDynamics): ProcessSolution {
  const table = new StateTable(process.codec.words);
  const what = "the process chain (failure modes × crews × zones)";
  addInitial(table, new Int32Array(process.codec.words), 0, MAX_PROCESS_STATES, what);
  const chain = exploreDynamics(process, table, MAX_PROCESS_STATES, what);
  const perms = chain.size > LUMP_ABOVE ? placementSymmetries(spec.placement) : undefined;
  const lumped = perms ? lumpByZones(chain, table.keys, process.codec, perms) : undefined;
  if (lumped !== undefined) {
    const factorization = gthFactorize(lumped.chain);
    const piLumped = gthStationaryFrom(factorization);
    const pi = Float64Array.from(lumped.orbitOf, (o) => (piLumped[o] as number) / (lumped.orbitSize[o] as number));
    return { chain, table, factorization, pi, lumping: { ...lumped, pi: piLumped } };
  }
  const factorization = chain.size > 1 ? gthFactorize(chain) : trivialFactorization();
  const pi = chain.size > 1 ? gthStationaryFrom(factorization) : Float64Array.of(1);
  return { chain, table, factorization, pi };
}

/**
 * Solve the process chain and sum availability and outage frequency over the zones; with
 * a cache, a process chain solved before is not solved again.
 */
export function solveSteadyState(spec: ClusterSolveSpec, cache?: ClusterSolveCache): SteadyState {
  const codec = processCodec(spec);
  const process = dynamics(spec, false, false, codec);
  const full = dynamics(spec, true, true, codec);
  const solved = processSolution(spec, process, cache);
  const { chain, table, pi } = solved;
  const zoneCount = spec.placement.length;
  const zones = zoneStates(zoneCount, spec.zoneOutageRate, spec.zoneRestoreRate);
  if (chain.size * zones.masks.length > MAX_PAIRS) {
    throw new RangeError(
      `the cluster has ${chain.size} process states × ${zones.masks.length} zone states, more than the ${MAX_PAIRS} pairs mqrel sums over`,
    );
  }
  const weights = zoneWeights(process, table.keys, chain.size, zones, zoneCount, spec.quorum);
  const flows = lossFlowWeights(dynamics(spec, true, false, codec), table.keys, chain.size, zones, spec.quorum);
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
    table,
    pi,
    deviation: (b) => deviation(solved, b),
    zones,
    availability,
    unavailability,
    outageFrequency,
  };
}

function deviation(solved: ProcessSolution, b: Float64Array): Deviation {
  const lumping = solved.lumping;
  if (lumping === undefined) {
    const size = solved.chain.size;
    const y = size > 1 ? gthSolveZeroSum(solved.factorization, b, solved.pi) : new Float64Array(1);
    return { y, b, representative: Int32Array.from({ length: size }, (_, i) => i) };
  }
  const folded = new Float64Array(lumping.chain.size);
  for (let s = 0; s < b.length; s++) {
    const o = lumping.orbitOf[s] as number;
    folded[o] = (folded[o] as number) + (b[s] as number);
  }
  return { y: gthSolveZeroSum(solved.factorization, folded, lumping.pi), b: folded, representative: lumping.representative.slice() };
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

/**
 * Mean time from all-up to the first loss of quorum: renewal-reward on the up states of
 * the full chain with every loss sent back to all-up (Ross, Stochastic Processes, 2nd ed.,
 * §3.6). Infinite when the quorum can never be lost.
 */
export function meanTimeToQuorumLoss(steady: SteadyState): { mttf: number; upStates: number } {
  const d = dynamics(steady.spec, true, false, steady.process.codec);
  const quorum = steady.spec.quorum;
  const w = d.codec.words;
  const table = new StateTable(w);
  const what = "the up states of the cluster chain";
  const start = addInitial(table, new Int32Array(w), 0, MAX_UP_STATES, what);
  let exitRate = new Float64Array(64);
  const out = new TransitionBuffer(w, d.maxTransitions);
  const chain = exploreChain(
    table,
    (s, buf) => {
      const count = d.expand(table.keys, s * w, buf);
      let kept = 0;
      let lost = 0;
      for (let t = 0; t < count; t++) {
        if ((buf.up[t] as number) >= quorum) {
          if (kept !== t) {
            buf.keys.copyWithin(kept * w, t * w, (t + 1) * w);
            buf.rates[kept] = buf.rates[t] as number;
            buf.up[kept] = buf.up[t] as number;
            buf.index[kept] = buf.index[t] as number;
          }
          kept++;
        } else lost += buf.rates[t] as number;
      }
      if (s >= exitRate.length) {
        const grown = new Float64Array(2 * exitRate.length);
        grown.set(exitRate);
        exitRate = grown;
      }
      exitRate[s] = lost;
      if (lost > 0) {
        buf.rates[kept] = lost;
        buf.index[kept] = start;
        kept++;
      }
      return kept;
    },
    out,
    MAX_UP_STATES,
    what,
  );
  let anyExit = false;
  for (let i = 0; i < chain.size; i++) if ((exitRate[i] as number) !== 0) anyExit = true;
  if (!anyExit) return { mttf: Number.POSITIVE_INFINITY, upStates: chain.size };
  const pi = chain.size > 1 ? gthStationaryFrom(gthFactorize(chain)) : Float64Array.of(1);
  let flow = 0;
  for (let i = 0; i < chain.size; i++) flow += (pi[i] as number) * (exitRate[i] as number);
  return { mttf: 1 / flow, upStates: chain.size };
}

/** The queue's steady state: the up states with the leader elected or lost, and D. */
export interface QueueSteadyState {
  /** up states of the full chain with the leader flag: keys of the process codec, in order */
  readonly keys: Int32Array;
  readonly count: number;
  /** their stationary probabilities (D's is the cluster unavailability) */
  readonly probability: Float64Array;
  /** P(quorum up and leader elected) */
  readonly availability: number;
  /** P(quorum lost) + P(quorum up, no leader yet) */
  readonly unavailability: number;
}

export function queueSteadyState(steady: SteadyState): QueueSteadyState {
  const { full, chain, pi, zones, table } = steady;
  const quorum = steady.spec.quorum;
  const codec = full.codec;
  const w = codec.words;
  const u = full.u;
  const out = new TransitionBuffer(w, full.maxTransitions);
  // Exact stationary flows from the down states into the up states.
  const returns = new StateTable(w);
  let returnFlow = new Float64Array(64);
  for (let i = 0; i < chain.size; i++) {
    for (let m = 0; m < zones.masks.length; m++) {
      codec.decode(table.keys, i * w, u);
      u[ZONES] = zones.masks[m] as number;
      u[LEADER] = 1;
      full.normalize(u);
      if (full.upNodes(u) >= quorum) continue;
      const weight = (pi[i] as number) * (zones.probability[m] as number);
      if (weight === 0) continue;
      const count = full.expandUnpacked(out);
      for (let t = 0; t < count; t++) {
        if ((out.up[t] as number) < quorum) continue;
        const r = returns.add(out.keys, t * w);
        if (r >= returnFlow.length) {
          const grown = new Float64Array(2 * returnFlow.length);
          grown.set(returnFlow);
          returnFlow = grown;
        }
        const flow = weight * (out.rates[t] as number);
        returnFlow[r] = returns.added ? flow : (returnFlow[r] as number) + flow;
      }
    }
  }
  const down = steady.unavailability;
  // D exists only when the quorum can be lost at all.
  const hasDown = down > 0 && returns.size > 0;
  const what = "the up states of the cluster chain with the queue's leader";
  const limit = 2 * MAX_UP_STATES;
  const agg = new StateTable(w);
  addInitial(agg, new Int32Array(w), 0, limit, what);
  const returnIndex = new Int32Array(returns.size);
  for (let r = 0; r < returns.size; r++) returnIndex[r] = addInitial(agg, returns.keys, r * w, limit, what);
  let downIndex = -1;
  const reserveDown = () => {
    if (agg.size >= limit) throw new ChainTooLargeError(limit, what);
    downIndex = agg.reserve();
  };
  if (hasDown) reserveDown();
  const aggChain = exploreChain(
    agg,
    (s, buf) => {
      if (s === downIndex) {
        buf.reserve(returns.size);
        for (let r = 0; r < returns.size; r++) {
          buf.rates[r] = (returnFlow[r] as number) / down;
          buf.index[r] = returnIndex[r] as number;
        }
        return returns.size;
      }
      const count = full.expand(agg.keys, s * w, buf);
      for (let t = 0; t < count; t++) {
        if ((buf.up[t] as number) >= quorum) continue;
        // (without D — no down state has probability — a way down leads to an absorbing D: a reducible chain)
        if (downIndex < 0 && (buf.rates[t] as number) > 0) reserveDown();
        buf.index[t] = downIndex;
      }
      return count;
    },
    out,
    limit,
    what,
  );
  const p =
    steady.spec.controller === undefined
      ? aggChain.size > 1
        ? gthStationaryFrom(gthFactorize(aggChain))
        : Float64Array.of(1)
      : withController(aggChain, agg.keys, downIndex, full, steady.spec.controller);
  let availability = 0;
  let lostLeader = 0;
  let downShare = 0;
  const count = aggChain.size - (downIndex >= 0 ? 1 : 0);
  const keys = new Int32Array(count * w);
  const probability = new Float64Array(count);
  let j = 0;
  for (let s = 0; s < aggChain.size; s++) {
    const value = p[s] as number;
    if (s === downIndex) {
      downShare = value;
      continue;
    }
    keys.set(agg.keys.subarray(s * w, (s + 1) * w), j * w);
    probability[j] = value;
    j++;
    codec.decode(agg.keys, s * w, u);
    if (u[LEADER] === 1) lostLeader += value;
    else availability += value;
  }
  return { keys, count, probability, availability, unavailability: downShare + lostLeader };
}

/**
 * Most states of the leader chain times the controller's chain that mqrel solves: the
 * product fills in (its dense tail sets the time — 6 657 states take 10 s), so beyond
 * this it is refused rather than left to run for minutes.
 */
export const MAX_CONTROLLED_STATES = 20_000;

/**
 * The leader chain's stationary probabilities with elections only while the controller
 * holds its quorum: the product chain (controllerChain.ts) solved by GTH and summed over
 * the controller's states. Exact: the brokers (P × zones) and the controller are
 * independent, so π(x, c) = π(x)·π(c) on them and the down set of each controller state c
 * lumps into one state (D, c) leaving for (y, c) at the same exact stationary flows as D
 * does (the lumping argument of queueSteadyState, once per c), and moving with the
 * controller's own rates. The election — the only transition from a lost leader to an
 * elected one with nothing else changed — is dropped in the controller's down states.
 */
function withController(
  aggChain: CsrChain,
  keys: Int32Array,
  downIndex: number,
  full: ClusterDynamics,
  spec: ControllerSpec,
): Float64Array {
  const controller = controllerChain(spec);
  const size = aggChain.size * controller.chain.size;
  if (size > MAX_CONTROLLED_STATES) throw new ChainTooLargeError(MAX_CONTROLLED_STATES, "the leader chain with the control plane");
  const codec = full.codec;
  const w = codec.words;
  const a = new Int32Array(codec.fields);
  const b = new Int32Array(codec.fields);
  const election = new Uint8Array(aggChain.target.length);
  for (let s = 0; s < aggChain.size; s++) {
    // (the lumped down state D has no key of its own; it holds no election: it leads to states with the leader lost)
    if (s === downIndex) continue;
    codec.decode(keys, s * w, a);
    if (a[LEADER] !== 1) continue;
    for (let e = aggChain.rowStart[s] as number; e < (aggChain.rowStart[s + 1] as number); e++) {
      const t = aggChain.target[e] as number;
      if (t === downIndex) continue;
      codec.decode(keys, t * w, b);
      if (b[LEADER] !== 0) continue;
      let same = true;
      for (let f = 0; f < codec.fields && same; f++) if (f !== LEADER && a[f] !== b[f]) same = false;
      if (same) election[e] = 1;
    }
  }
  const product = gateElections(aggChain, election, controller);
  const joint = product.size > 1 ? gthStationaryFrom(gthFactorize(product)) : Float64Array.of(1);
  const c = controller.chain.size;
  const p = new Float64Array(aggChain.size);
  for (let s = 0; s < aggChain.size; s++) {
    let sum = 0;
    for (let x = 0; x < c; x++) sum += joint[s * c + x] as number;
    p[s] = sum;
  }
  return p;
}
