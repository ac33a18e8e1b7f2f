/**
 * A continuous-time Markov chain built by exploring its states breadth-first from a
 * set of initial states: the caller writes one state's outgoing transitions into a
 * buffer (targets as packed keys, see stateTable.ts), the builder numbers the states it
 * reaches and collects the rates. The chain is stored in compressed sparse rows (CSR:
 * state s leads to target[e] at rate[e] for e in rowStart[s] … rowStart[s + 1]; parallel
 * transitions merged in the order they were first emitted, self loops dropped), which is
 * what the subtraction-free solvers in sparseGth.ts and uniformization.ts work on.
 *
 * @internal
 */
import type { StateTable } from "./stateTable.js";

/** A chain of `size` states in rows: `targets[s][t]` is reached from s at rate `rates[s][t]` (> 0). */
export interface SparseChain {
  readonly size: number;
  readonly targets: readonly Int32Array[];
  readonly rates: readonly Float64Array[];
}

/** A chain of `size` states in compressed sparse rows. */
export interface CsrChain {
  readonly size: number;
  /** row s is rowStart[s] … rowStart[s + 1] − 1 (size + 1 entries) */
  readonly rowStart: Int32Array;
  readonly target: Int32Array;
  /** rates > 0 */
  readonly rate: Float64Array;
}

/** Rows → CSR. */
export function toCsr(chain: SparseChain): CsrChain {
  const rowStart = new Int32Array(chain.size + 1);
  for (let s = 0; s < chain.size; s++) rowStart[s + 1] = (rowStart[s] as number) + (chain.targets[s] as Int32Array).length;
  const target = new Int32Array(rowStart[chain.size] as number);
  const rate = new Float64Array(target.length);
  for (let s = 0; s < chain.size; s++) {
    target.set(chain.targets[s] as Int32Array, rowStart[s] as number);
    rate.set(chain.rates[s] as Float64Array, rowStart[s] as number);
  }
  return { size: chain.size, rowStart, target, rate };
}

/** Thrown when a chain would have more states than the caller allows. */
export class ChainTooLargeError extends RangeError {
  constructor(
    readonly limit: number,
    what: string,
  ) {
    super(`${what} has more than ${limit} states, beyond what mqrel solves exactly`);
  }
}

/**
 * Where a state's transitions are written: transition i goes to the state whose key is
 * keys[i·words …] — or, when index[i] ≥ 0, to that state number directly — at rate
 * rates[i]; up[i] is free for the writer (the cluster chain puts the target's up nodes).
 */
export class TransitionBuffer {
  keys: Int32Array;
  rates: Float64Array;
  up: Int32Array;
  index: Int32Array;

  constructor(
    readonly words: number,
    private capacity = 64,
  ) {
    this.keys = new Int32Array(capacity * words);
    this.rates = new Float64Array(capacity);
    this.up = new Int32Array(capacity);
    this.index = new Int32Array(capacity);
  }

  /** Make room for `count` transitions (keeping the first `keep`). */
  reserve(count: number, keep = 0): void {
    if (count <= this.capacity) return;
    let capacity = this.capacity;
    while (capacity < count) capacity *= 2;
    const keys = new Int32Array(capacity * this.words);
    keys.set(this.keys.subarray(0, keep * this.words));
    const rates = new Float64Array(capacity);
    rates.set(this.rates.subarray(0, keep));
    const up = new Int32Array(capacity);
    up.set(this.up.subarray(0, keep));
    const index = new Int32Array(capacity);
    index.set(this.index.subarray(0, keep));
    this.keys = keys;
    this.rates = rates;
    this.up = up;
    this.index = index;
    this.capacity = capacity;
  }
}

/** Writes the transitions out of state `s` (its key is table.keys[s·words …]); returns how many. */
export type Expander = (s: number, out: TransitionBuffer) => number;

/** Add an initial state (before exploring), within the limit. */
export function addInitial(table: StateTable, buf: Int32Array, at: number, maxStates: number, what: string): number {
  const known = table.find(buf, at);
  if (known >= 0) return known;
  if (table.size >= maxStates) throw new ChainTooLargeError(maxStates, what);
  return table.add(buf, at);
}

/**
 * Explore every state reachable from the states already in `table`, breadth-first,
 * numbering new states in the order they are found. Transitions with a rate that is not
 * > 0 are ignored (their target is not added).
 *
 * @throws ChainTooLargeError when more than `maxStates` states are reachable
 */
export function exploreChain(
  table: StateTable,
  expand: Expander,
  out: TransitionBuffer,
  maxStates: number,
  what = "the Markov chain",
): CsrChain {
  const w = table.words;
  let rowStart = new Int32Array(Math.max(16, table.size + 1));
  let target = new Int32Array(Math.max(64, 8 * table.size));
  let rate = new Float64Array(target.length);
  // mark[t] = s + 1 while row s has an entry for t, at position[t]
  let mark = new Int32Array(Math.max(16, 2 * table.size));
  let position = new Int32Array(mark.length);
  let nnz = 0;
  for (let s = 0; s < table.size; s++) {
    const count = expand(s, out);
    if (s + 2 > rowStart.length) rowStart = grow32(rowStart, 2 * rowStart.length);
    rowStart[s] = nnz;
    if (nnz + count > target.length) {
      const capacity = Math.max(2 * target.length, nnz + count);
      target = grow32(target, capacity);
      const grown = new Float64Array(capacity);
      grown.set(rate);
      rate = grown;
    }
    const keys = out.keys;
    const rates = out.rates;
    const direct = out.index;
    for (let i = 0; i < count; i++) {
      const r = rates[i] as number;
      if (!(r > 0)) continue;
      let t = direct[i] as number;
      if (t < 0) {
        t = table.find(keys, i * w);
        if (t < 0) {
          if (table.size >= maxStates) throw new ChainTooLargeError(maxStates, what);
          t = table.add(keys, i * w);
        }
      }
      if (t === s) continue;
      if (t >= mark.length) {
        const capacity = Math.max(2 * mark.length, t + 1);
        mark = grow32(mark, capacity);
        position = grow32(position, capacity);
      }
      if (mark[t] === s + 1) {
        const p = position[t] as number;
        rate[p] = (rate[p] as number) + r;
      } else {
        mark[t] = s + 1;
        position[t] = nnz;
        target[nnz] = t;
        rate[nnz] = r;
        nnz++;
      }
    }
  }
  const size = table.size;
  if (size + 1 > rowStart.length) rowStart = grow32(rowStart, size + 1);
  rowStart[size] = nnz;
  return { size, rowStart: rowStart.subarray(0, size + 1), target: target.subarray(0, nnz), rate: rate.subarray(0, nnz) };
}

function grow32(a: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(a);
  return grown;
}

/** Total rate out of each state (a sum of positive rates, in row order: no subtraction). */
export function exitRates(chain: CsrChain): Float64Array {
  const out = new Float64Array(chain.size);
  const { rowStart, rate } = chain;
  for (let s = 0; s < chain.size; s++) {
    let total = 0;
    for (let e = rowStart[s] as number; e < (rowStart[s + 1] as number); e++) total += rate[e] as number;
    out[s] = total;
  }
  return out;
}
