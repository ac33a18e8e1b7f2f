import {
  ClusterSolveCache,
  type ClusterSolveSpec,
  MAX_PROCESS_STATES,
  MAX_UP_STATES,
  meanTimeToQuorumLoss,
  queueSteadyState,
  solveSteadyState,
} from "./_internal/clusterSolve.js";
import { ChainTooLargeError } from "./_internal/markovChain.js";
import type { Probability } from "./probability.js";

/** One way a node goes down, with its own rates. */
export interface FailureMode {
  /** failures per hour of one up node in this mode (0: the mode never strikes) */
  readonly failureRate: number;
  /** recoveries per hour: per crew for a crew mode, per node for a crew-free one */
  readonly repairRate: number;
  /** the node waits for one of the shared repair crews (else it recovers by itself) */
  readonly needsCrew: boolean;
}

/** A k-of-n cluster with failure modes, shared crews, zones, a common cause and failover. */
export interface ClusterChainParams {
  /** n: nodes (the sum of the placement when zones are given) */
  readonly nodes: number;
  /** k: nodes that must be up */
  readonly quorum: number;
  readonly modes: readonly FailureMode[];
  /** crews shared by the crew modes (default n: no node ever waits) */
  readonly repairCrews?: number;
  /** failure domains: nodes per zone, and each zone's outage and restore rates */
  readonly zones?: { readonly placement: readonly number[]; readonly outageRate: number; readonly restoreRate: number };
  /** events that take every node down at once, and the rate of restoring the whole cluster */
  readonly commonCause?: { readonly rate: number; readonly restoreRate: number };
  /** leader election after an unplanned failure of the leader: elections per hour (1 / failover time) */
  readonly failover?: { readonly electionRate: number };
  /**
   * the control plane: its own crew-free nodes (each mode: failures per hour of an up node,
   * recoveries per hour of a node down in it) and quorum; no election while fewer than
   * `quorum` of them are up (needs failover with an election rate)
   */
  readonly controller?: {
    readonly nodes: number;
    readonly quorum: number;
    readonly modes: readonly { readonly failureRate: number; readonly repairRate: number }[];
  };
}

export interface ClusterChainResult extends Probability {
  /** mean time from all-up to the first loss of quorum (hours) */
  readonly meanTimeToFailure: number;
  /** quorum losses per hour: the rate of entering the down set, Σ_{s up} π_s·q(s → down) */
  readonly outageFrequency: number;
  /** with failover: P(quorum up and the queue's leader elected), and its complement */
  readonly queue?: Probability;
  /** sizes of the chains solved: the process chain, its up states with zones, and the leader chain */
  readonly states: { readonly process: number; readonly up: number; readonly queue?: number };
}

/**
 * Exact steady state of a k-of-n cluster whose nodes fail in several modes, share repair
 * crews, sit in failure zones, can all be taken down by a common cause, and serve a queue
 * whose leader must be re-elected after an unplanned failure.
 *
 * The continuous-time Markov chain (docs/design.md §3a, "Failure modes, zones, maintenance
 * and failover", states the semantics the simulator follows):
 * - an up node fails in mode j at rate λ_j (modes compete); a down node does not fail
 *   again until it is back;
 * - a crew mode's failure joins a FIFO queue for `crews` shared crews, each repairing one
 *   node at rate μ_j; a crew-free mode's node recovers by itself at rate μ_j, in parallel;
 * - each zone goes down at rate α and comes back at rate β, independently of everything
 *   else (no crew; a node's process keeps failing and being repaired meanwhile); a node is
 *   up while its process and its zone are up;
 * - a common cause (rate λ_cc) takes every node down, voiding pending repairs, and the
 *   cluster is restored as a whole at rate μ_cc (zones are left alone);
 * - the cluster is up while at least k nodes are up;
 * - failover: the queue's leader is equally likely on each up node, so an unplanned loss
 *   of m of the u up nodes (a node failure, a zone outage) takes the leader with
 *   probability m/u; a common cause or a loss of quorum always does. A new leader is
 *   elected at rate 1/failover.time while the quorum is up. queue availability =
 *   P(quorum up and leader elected).
 * - control plane (optional): the controller's nodes fail and recover on their own,
 *   independently of the brokers (controllerChain.ts); the election is made only while
 *   its quorum is up — one under way when it is lost starts over once it is back. It
 *   moves the queue's availability, never the cluster's (the brokers' quorum does not
 *   need it).
 *
 * State: per zone, nodes down per crew-free mode and in repair per crew mode, the FIFO
 * queue of waiting nodes as a sequence of (zone, mode) — exact, since with two kinds of
 * waiting node the order decides who comes back first —, zones down, common cause, leader.
 * States are explored breadth-first from all-up. Zones being independent of the node
 * processes, the stationary distribution is π_P ⊗ π_Z: the process chain is solved by
 * sparse GTH state reduction (subtraction-free: every probability keeps its relative
 * accuracy), availability and outage frequency are summed over zone states; MTTF comes
 * from renewal-reward on the up states; the leader from the up states aggregated with
 * one down state leaving at the exact stationary flows.
 *
 * Units: rates per hour, times in hours (any one unit works).
 * Source: Trivedi, Probability and Statistics with Reliability, Queuing, and Computer
 * Science Applications (2nd ed., 2002), ch. 8–9 (availability models, shared repair);
 * Grassmann, Taksar & Heyman, Operations Research 33(5), 1985 (GTH); Ross, Stochastic
 * Processes (2nd ed., 1996), §3.6 (renewal-reward for the MTTF).
 *
 * @throws RangeError on out-of-domain parameters, and when a chain is larger than
 *   20000 process states or 20000 up states (ChainTooLargeError)
 * @example clusterChain({nodes: 3, quorum: 2, modes: [{failureRate: 1e-4, repairRate: 0.125, needsCrew: true},
 *   {failureRate: 7e-4, repairRate: 30, needsCrew: false}], repairCrews: 1}).complement // ≈ 2.5e-6
 */
export function clusterChain(params: ClusterChainParams, options: ChainSolveOptions = {}): ClusterChainResult {
  const spec = solveSpec(params, "clusterChain");
  const steady = solveSteadyState(spec, options.cache);
  const { mttf, upStates } = meanTimeToQuorumLoss(steady);
  const base = {
    value: steady.availability,
    complement: steady.unavailability,
    meanTimeToFailure: mttf,
    outageFrequency: steady.outageFrequency,
  };
  if (params.failover === undefined) return { ...base, states: { process: steady.chain.size, up: upStates } };
  if (spec.electionRate === undefined) {
    // an instant election: the queue is available exactly when the cluster is
    return {
      ...base,
      queue: { value: steady.availability, complement: steady.unavailability },
      states: { process: steady.chain.size, up: upStates },
    };
  }
  const queue = queueSteadyState(steady);
  return {
    ...base,
    queue: { value: queue.availability, complement: queue.unavailability },
    states: { process: steady.chain.size, up: upStates, queue: queue.count + 1 },
  };
}

export { ChainTooLargeError, ClusterSolveCache, MAX_PROCESS_STATES, MAX_UP_STATES };

/** How the chain formulas may reuse work across calls. */
export interface ChainSolveOptions {
  /** process chains solved before, owned by the caller (none: every call solves afresh) */
  readonly cache?: ClusterSolveCache;
}

/**
 * Check the parameters and put them in the solver's form.
 *
 * @internal shared with the maintenance formula
 */
export function solveSpec(params: ClusterChainParams, fn: string): ClusterSolveSpec {
  const n = params.nodes;
  const k = params.quorum;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${fn} requires n ≥ 1 nodes, got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`${fn} requires a whole quorum k in 1..n (n = ${n}), got ${k}`);
  if (params.modes.length === 0) throw new RangeError(`${fn} requires at least one failure mode`);
  params.modes.forEach((mode, i) => {
    if (!(Number.isFinite(mode.failureRate) && mode.failureRate >= 0)) {
      throw new RangeError(`${fn} requires mode ${i + 1}'s failure rate ≥ 0, got ${mode.failureRate}`);
    }
    if (!(Number.isFinite(mode.repairRate) && mode.repairRate > 0)) {
      throw new RangeError(`${fn} requires mode ${i + 1}'s repair rate > 0, got ${mode.repairRate}`);
    }
  });
  const crews = params.repairCrews ?? n;
  if (!Number.isInteger(crews) || crews < 1) throw new RangeError(`${fn} requires at least one whole repair crew, got ${crews}`);
  const placement = params.zones?.placement ?? [n];
  if (placement.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new RangeError(`${fn} requires every zone to hold a whole number ≥ 1 of nodes, got [${placement.join(", ")}]`);
  }
  const placed = placement.reduce((a, b) => a + b, 0);
  if (placed !== n) throw new RangeError(`${fn} requires the placement to add up to the ${n} nodes, got ${placed}`);
  if (placement.length > 12) throw new RangeError(`${fn} handles at most 12 zones, got ${placement.length}`);
  const zoneOutageRate = params.zones?.outageRate ?? 0;
  const zoneRestoreRate = params.zones?.restoreRate ?? 1;
  if (!(Number.isFinite(zoneOutageRate) && zoneOutageRate >= 0))
    throw new RangeError(`${fn} requires a zone outage rate ≥ 0, got ${zoneOutageRate}`);
  if (!(Number.isFinite(zoneRestoreRate) && zoneRestoreRate > 0))
    throw new RangeError(`${fn} requires a zone restore rate > 0, got ${zoneRestoreRate}`);
  const ccRate = params.commonCause?.rate ?? 0;
  const ccRestore = params.commonCause?.restoreRate ?? 1;
  if (!(Number.isFinite(ccRate) && ccRate >= 0)) throw new RangeError(`${fn} requires a common-cause rate ≥ 0, got ${ccRate}`);
  if (!(Number.isFinite(ccRestore) && ccRestore > 0))
    throw new RangeError(`${fn} requires a common-cause restore rate > 0, got ${ccRestore}`);
  const election = params.failover?.electionRate;
  if (election !== undefined && !(election > 0)) throw new RangeError(`${fn} requires an election rate > 0, got ${election}`);
  const controller = params.controller;
  if (controller !== undefined) checkController(controller, election, fn);
  // With crews for every node, order and crews do not matter: keep the chain small.
  const crewModes = params.modes.filter((m) => m.needsCrew).length;
  return {
    nodes: n,
    quorum: k,
    modes: params.modes.filter((m) => m.failureRate > 0),
    repairCrews: crewModes === 0 ? n : Math.min(crews, n),
    placement,
    zoneOutageRate,
    zoneRestoreRate,
    commonCauseRate: ccRate,
    commonCauseRestoreRate: ccRestore,
    ...(election !== undefined && Number.isFinite(election) ? { electionRate: election } : {}),
    ...(controller !== undefined ? { controller } : {}),
  };
}

function checkController(c: NonNullable<ClusterChainParams["controller"]>, election: number | undefined, fn: string): void {
  if (!Number.isInteger(c.nodes) || c.nodes < 1 || c.nodes > 15) {
    throw new RangeError(`${fn} requires 1..15 whole controller nodes, got ${c.nodes}`);
  }
  if (!Number.isInteger(c.quorum) || c.quorum < 1 || c.quorum > c.nodes) {
    throw new RangeError(`${fn} requires a whole controller quorum in 1..${c.nodes}, got ${c.quorum}`);
  }
  if (c.modes.length === 0 || c.modes.length > 8)
    throw new RangeError(`${fn} requires 1..8 controller failure modes, got ${c.modes.length}`);
  c.modes.forEach((mode, i) => {
    if (!(Number.isFinite(mode.failureRate) && mode.failureRate >= 0)) {
      throw new RangeError(`${fn} requires controller mode ${i + 1}'s failure rate ≥ 0, got ${mode.failureRate}`);
    }
    if (!(Number.isFinite(mode.repairRate) && mode.repairRate > 0)) {
      throw new RangeError(`${fn} requires controller mode ${i + 1}'s repair rate > 0, got ${mode.repairRate}`);
    }
  });
  if (election === undefined || !Number.isFinite(election)) {
    throw new RangeError(`${fn} requires a failover time > 0 with a control plane (it gates the leader election)`);
  }
}
