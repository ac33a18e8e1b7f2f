import { gthStationary } from "./_internal/gth.js";

/** One way a node goes down, for the in-sync chain: Poisson at `rate` while up, back after Exp(mean `mttr`) on its own. */
export interface InSyncMode {
  readonly rate: number;
  readonly mttr: number;
}

export interface InSyncChainParams {
  readonly nodes: number;
  /** nodes needed up for an election, and (gateWrites) in-sync replicas needed for a write */
  readonly quorum: number;
  readonly modes: readonly InSyncMode[];
  /** mean election time (exponential), hours */
  readonly failover: number;
  /** the in-sync set (absent: every up node is in sync and a candidate — the semantics without messages.isr) */
  readonly isr?: {
    /** per hour: an up, in-sync follower falls out */
    readonly shrink: number;
    /** hours: mean time for an out-of-sync follower to catch up and be back in */
    readonly recover: number;
    /** an out-of-sync node may be elected when no member of the set is up */
    readonly unclean: boolean;
    /** ack: all — writes refused while fewer than `quorum` replicas are in sync */
    readonly gateWrites: boolean;
  };
}

/** A state of the chain: led (the leader and its followers' counts) or leaderless (every node's counts). */
export interface InSyncState {
  readonly led: boolean;
  /**
   * led: [in sync, out of sync, down in mode 1 … M] over the n − 1 followers;
   * leaderless: [up member, up non-member, down member in mode 1 … M, down non-member in mode 1 … M] over the n nodes
   */
  readonly counts: readonly number[];
}

export interface InSyncChainResult {
  /** the queue takes no writes: no leader, no quorum, or (gateWrites) fewer than the quorum in sync */
  readonly unavailability: number;
  readonly states: readonly InSyncState[];
  /** stationary probabilities of `states` */
  readonly stationary: Float64Array;
}

/** Most states the chain is solved with (GTH is O(N³)). */
export const MAX_IN_SYNC_STATES = 2500;

/**
 * The queue's availability with the in-sync set, an exact Markov chain over the replicas'
 * states for alike nodes with independent self-recovering failure modes (no crews, zones,
 * common cause or maintenance: those are in the cluster's own chain, with which the
 * result is composed by the evaluator — docs/formulas.md "The in-sync set").
 *
 * The semantics (the simulator's, src/sim/kernel/inSyncSet.ts):
 * - led: the leader is up and in the set; each follower is in sync (I), up out of sync (O)
 *   or down in mode m (D_m): I → O at `shrink`, O → I at 1/recover, I/O → D_m at λ_m,
 *   D_m → O at μ_m (a follower back from down catches up first); the leader's failure in
 *   mode m, or a follower's that leaves fewer than `quorum` nodes up, ends the leadership;
 * - leaderless: the set is frozen — every node is an up member, an up non-member, or a down
 *   member / non-member in its mode (the old leader a member; the followers in sync at the
 *   loss members, the others not); nodes fail and return keeping their membership;
 *   an election completes at rate 1/failover while `quorum` nodes are up and a member is up
 *   (or, unclean, any node): it takes a member (the other up members stay in sync, every up
 *   non-member is out of sync) or, unclean with no member up, a non-member (every other up
 *   node out of sync);
 * - the queue takes writes while led with `quorum` nodes up and, with gateWrites, at least
 *   `quorum` replicas in sync (the leader and the followers in I).
 * Without `isr`, every up node is in sync: a follower back from down is in I at once, and
 * every up node is a candidate — the semantics of availability.queue, which this chain
 * then reproduces (the test checks it).
 *
 * States are counts (the nodes are alike); the stationary distribution by GTH (no
 * subtraction: each small probability keeps its relative accuracy), the unavailability
 * summed over the down states directly. Exact under its assumptions: Poisson failures,
 * exponential recoveries, elections, catch-ups and stalls.
 * Units: hours and per hour.
 * Source: mqrel (docs/design.md §3e); the in-sync set's mechanics after Kafka's replication
 * design (ISR, min.insync.replicas, replica.lag.time.max.ms, unclean.leader.election.enable),
 * docs/sources.md.
 *
 * @throws RangeError beyond {@link MAX_IN_SYNC_STATES} states, or on a rate or time out of its domain
 */
export function inSyncChain(params: InSyncChainParams): InSyncChainResult {
  const { nodes: n, quorum: k, modes, failover, isr } = params;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`inSyncChain requires nodes ≥ 2, got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`inSyncChain requires 1 ≤ quorum ≤ nodes, got ${k}`);
  for (const m of modes) {
    if (!(m.rate >= 0 && Number.isFinite(m.rate)) || !(m.mttr > 0 && Number.isFinite(m.mttr)))
      throw new RangeError(`inSyncChain requires rates ≥ 0 and mttr > 0, got ${m.rate}, ${m.mttr}`);
  }
  if (isr && (!(isr.shrink >= 0 && Number.isFinite(isr.shrink)) || !(isr.recover > 0 && Number.isFinite(isr.recover))))
    throw new RangeError(`inSyncChain requires shrink ≥ 0 and recover > 0, got ${isr.shrink}, ${isr.recover}`);
  const live = modes.filter((m) => m.rate > 0);
  const M = live.length;
  // an election of no duration: a rate far above every other (GTH needs no subtraction, so stiffness costs nothing)
  const elect = failover > 0 ? 1 / failover : 1e12 * Math.max(1, ...live.map((m) => m.rate + 1 / m.mttr));
  // the states reachable from the leader with every follower in sync, found breadth first
  const states: InSyncState[] = [];
  const index = new Map<string, number>();
  const edges: [number, number, number][] = [];
  const at = (led: boolean, counts: readonly number[]): number => {
    const name = key(led, counts);
    const known = index.get(name);
    if (known !== undefined) return known;
    if (states.length >= MAX_IN_SYNC_STATES)
      throw new RangeError(`the in-sync chain has more than ${MAX_IN_SYNC_STATES} states: fewer nodes or failure modes`);
    index.set(name, states.length);
    states.push({ led, counts });
    return states.length - 1;
  };
  const add = (from: number, to: number, rate: number) => {
    if (rate > 0 && from !== to) edges.push([from, to, rate]);
  };
  /** the leaderless state when a leadership ends: the leader (up, or down in mode m) and the followers' counts */
  const leaderless = (followers: readonly number[], leaderDownIn: number): number => {
    const counts = new Array<number>(2 + 2 * M).fill(0);
    counts[0] = (followers[0] as number) + (leaderDownIn < 0 ? 1 : 0);
    counts[1] = followers[1] as number;
    if (leaderDownIn >= 0) counts[2 + leaderDownIn] = 1;
    for (let m = 0; m < M; m++) counts[2 + M + m] = (counts[2 + M + m] as number) + (followers[2 + m] as number);
    return at(false, counts);
  };
  /** a led state, or the leaderless one when fewer than the quorum are up */
  const ledOrLost = (followers: readonly number[]): number =>
    1 + (followers[0] as number) + (followers[1] as number) >= k ? at(true, followers) : leaderless(followers, -1);
  const shrink = isr ? isr.shrink : 0;
  const catchUp = isr ? 1 / isr.recover : 0;
  // a follower back from down: out of sync with the set, in sync at once without it
  const backTo = isr ? 1 : 0;

  const start = new Array<number>(2 + M).fill(0);
  start[0] = n - 1;
  at(true, start);
  for (let from = 0; from < states.length; from++) {
    const s = states[from] as InSyncState;
    const c = s.counts;
    if (s.led) {
      const [inSync, out] = c as [number, number];
      const move = (x: number, y: number, count: number, rate: number) => {
        if (count === 0 || rate === 0) return;
        const next = c.slice();
        next[x] = (next[x] as number) - 1;
        next[y] = (next[y] as number) + 1;
        add(from, ledOrLost(next), count * rate);
      };
      move(0, 1, inSync, shrink);
      move(1, 0, out, catchUp);
      live.forEach((m, j) => {
        move(0, 2 + j, inSync, m.rate);
        move(1, 2 + j, out, m.rate);
        move(2 + j, backTo, c[2 + j] as number, 1 / m.mttr);
        // the leader's own failure: the set frozen as it stands
        add(from, leaderless(c, j), m.rate);
      });
      continue;
    }
    const [member, nonMember] = c as [number, number];
    const move = (x: number, y: number, count: number, rate: number) => {
      if (count === 0) return;
      const next = c.slice();
      next[x] = (next[x] as number) - 1;
      next[y] = (next[y] as number) + 1;
      add(from, at(false, next), count * rate);
    };
    live.forEach((m, j) => {
      move(0, 2 + j, member, m.rate);
      move(1, 2 + M + j, nonMember, m.rate);
      // without the set every node back is a candidate: a member
      move(2 + j, 0, c[2 + j] as number, 1 / m.mttr);
      move(2 + M + j, isr ? 1 : 0, c[2 + M + j] as number, 1 / m.mttr);
    });
    const up = member + nonMember;
    if (up < k) continue;
    const down = live.map((_, j) => (c[2 + j] as number) + (c[2 + M + j] as number));
    if (member > 0) add(from, at(true, [member - 1, nonMember, ...down]), elect);
    else if (isr?.unclean && nonMember > 0) add(from, at(true, [0, nonMember - 1, ...down]), elect);
  }
  const size = states.length;
  const rates = states.map(() => new Array<number>(size).fill(0));
  for (const [from, to, rate] of edges) (rates[from] as number[])[to] = ((rates[from] as number[])[to] as number) + rate;

  const stationary = gthStationary(rates);
  let unavailability = 0;
  states.forEach((s, i) => {
    const c = s.counts;
    const up = s.led ? 1 + (c[0] as number) + (c[1] as number) : 0;
    const writes = s.led && up >= k && (!isr?.gateWrites || 1 + (c[0] as number) >= k);
    if (!writes) unavailability += stationary[i] as number;
  });
  return { unavailability, states, stationary };
}

function key(led: boolean, counts: readonly number[]): string {
  return `${led ? "L" : "F"}${counts.join(",")}`;
}
