/**
 * The control plane (docs/design.md §3e, "Control plane"): the controller quorum — KRaft or
 * ZooKeeper, RabbitMQ's Khepri, the NATS meta leader — is a small cluster of its own whose
 * nodes fail and recover independently of the brokers, and no leader can be elected while
 * fewer than its quorum are up.
 *
 * Its chain: `nodes` exchangeable nodes, each failing in mode j at rate λ_j while up (modes
 * compete; a down node does not fail again until it is back) and recovering by itself at
 * rate μ_j, in parallel with the others (crew-free: no shared crew, no common cause, no
 * zone — the model refuses the rest). The state is the number of nodes down in each mode,
 * (d_1, …, d_M) with Σ d_j ≤ nodes; from it a node fails in mode j at rate (nodes − Σd)·λ_j
 * and one of mode j recovers at d_j·μ_j. With one mode this is the birth–death chain of
 * independent two-state nodes; with several, the mode of each down node decides when it is
 * back, so its up/down is not a two-state process and the whole chain is kept.
 *
 * {@link gateElections} joins it to the queue's leader chain: the two move independently
 * (the product of their generators), except that the election — the only transition that
 * turns a lost leader into an elected one — is made only in the controller's up states.
 * An election under way when the controller loses its quorum is abandoned and starts over
 * once the quorum is back; with exponential elections that is the same chain as pausing it.
 *
 * @internal
 */
import type { CsrChain } from "./markovChain.js";

export interface ControllerSpec {
  readonly nodes: number;
  /** controller nodes that must be up for an election */
  readonly quorum: number;
  /** per mode: failures per hour of an up node, recoveries per hour of a node down in it */
  readonly modes: readonly { readonly failureRate: number; readonly repairRate: number }[];
}

/** The controller's chain: its states' transitions and which states hold the quorum. */
export interface ControllerChain {
  readonly chain: CsrChain;
  /** 1 where at least `quorum` controller nodes are up */
  readonly up: Uint8Array;
}

/** Build the controller's chain; state 0 is all up. */
export function controllerChain(spec: ControllerSpec): ControllerChain {
  const modes = spec.modes.filter((m) => m.failureRate > 0);
  const n = spec.nodes;
  const m = modes.length;
  // every (d_1..d_M) with Σ ≤ n, indexed in a map from its text
  const states: number[][] = [];
  const index = new Map<string, number>();
  const visit = (d: number[], j: number, left: number) => {
    if (j === m) {
      index.set(d.join(","), states.length);
      states.push(d.slice());
      return;
    }
    for (let x = 0; x <= left; x++) {
      d[j] = x;
      visit(d, j + 1, left - x);
    }
    d[j] = 0;
  };
  visit(new Array<number>(m).fill(0), 0, n);
  const rowStart = new Int32Array(states.length + 1);
  const target: number[] = [];
  const rate: number[] = [];
  const up = new Uint8Array(states.length);
  states.forEach((d, s) => {
    const down = d.reduce((a, b) => a + b, 0);
    up[s] = n - down >= spec.quorum ? 1 : 0;
    modes.forEach((mode, j) => {
      if (down < n) {
        const next = d.slice();
        next[j] = (next[j] as number) + 1;
        target.push(index.get(next.join(",")) as number);
        rate.push((n - down) * mode.failureRate);
      }
      if ((d[j] as number) > 0) {
        const next = d.slice();
        next[j] = (next[j] as number) - 1;
        target.push(index.get(next.join(",")) as number);
        rate.push((d[j] as number) * mode.repairRate);
      }
    });
    rowStart[s + 1] = target.length;
  });
  return { chain: { size: states.length, rowStart, target: Int32Array.from(target), rate: Float64Array.from(rate) }, up };
}

/**
 * The product of the leader chain `queue` and the controller's chain, with the transitions
 * flagged in `election` (one flag per entry of queue.target) kept only where the
 * controller holds its quorum. State (s, c) is s·C + c, C the controller's state count.
 */
export function gateElections(queue: CsrChain, election: Uint8Array, controller: ControllerChain): CsrChain {
  const c = controller.chain;
  const size = queue.size * c.size;
  const rowStart = new Int32Array(size + 1);
  const target: number[] = [];
  const rate: number[] = [];
  for (let s = 0; s < queue.size; s++) {
    for (let x = 0; x < c.size; x++) {
      for (let e = queue.rowStart[s] as number; e < (queue.rowStart[s + 1] as number); e++) {
        const t = queue.target[e] as number;
        if (t === s || (election[e] === 1 && controller.up[x] === 0)) continue;
        target.push(t * c.size + x);
        rate.push(queue.rate[e] as number);
      }
      for (let e = c.rowStart[x] as number; e < (c.rowStart[x + 1] as number); e++) {
        target.push(s * c.size + (c.target[e] as number));
        rate.push(c.rate[e] as number);
      }
      rowStart[s * c.size + x + 1] = target.length;
    }
  }
  return { size, rowStart, target: Int32Array.from(target), rate: Float64Array.from(rate) };
}
