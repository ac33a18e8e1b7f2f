/**
 * GTH state reduction on a sparse chain (Grassmann, Taksar & Heyman, "Regenerative
 * analysis and steady state distributions for Markov chains", Operations Research
 * 33(5), 1985), with the states eliminated in a fill-reducing order.
 *
 * Eliminating state k replaces every path i → k → j by a direct rate
 * R[i][j] += R[i][k]·R[k][j]/out_k, where out_k is the *sum* of k's remaining
 * off-diagonal rates (never −q_kk): the reduction does no subtraction, so every
 * stationary probability keeps its relative accuracy however small (O'Cinneide, Numer.
 * Math. 65, 1993). Any elimination order is valid for an irreducible chain (the censored
 * chain on the remaining states is again irreducible); the order only decides how many
 * new entries appear. States are taken by least Markowitz cost (in-degree × out-degree
 * in the remaining chain), the minimum-degree heuristic of sparse Gaussian elimination
 * (Tinney & Walker 1967; Duff, Erisman & Reid, Direct Methods for Sparse Matrices, ch. 7).
 *
 * The reduction is kept as a factorisation, so that besides π it solves y·Q = b for any
 * b with Σb = 0 (the deviation of a transient distribution from π, used after a
 * maintenance window).
 *
 * @internal
 */
import { type CsrChain, type SparseChain, toCsr } from "./markovChain.js";

export interface GthFactorization {
  readonly size: number;
  /** states in the order they were eliminated; the last one (the root) is never eliminated */
  readonly order: Int32Array;
  /** per state: its remaining out-rate when it was eliminated */
  readonly exit: Float64Array;
  /** per state: the remaining states that led into it when it was eliminated, and the rates */
  readonly inFrom: readonly Int32Array[];
  readonly inRate: readonly Float64Array[];
  /** per state: the remaining states it led to when it was eliminated, and the rates */
  readonly outTo: readonly Int32Array[];
  readonly outRate: readonly Float64Array[];
  /** entries created by the elimination (a measure of the work done) */
  readonly fill: number;
}

/** Switch to dense elimination when at most this many states remain … */
const DENSE_SWITCH_MAX = 3000;
/** … and at least this share of their pairs are connected. */
const DENSE_SWITCH_DENSITY = 0.1;
/**
 * A chain whose elimination fills in (a quorum of 1 over many nodes: almost every state
 * reaches every other) goes dense as soon as its live entries pass this many — sparse
 * elimination of a nearly full chain took minutes and gigabytes (7 809 states of
 * kafka-acks1 at 6 nodes: 2 million entries with 3 800 states left, and growing). The
 * chains of the presets stay below 200 000 entries, so their elimination order, and
 * every figure, is unchanged.
 */
const FILL_SWITCH_ENTRIES = 1_000_000;
/**
 * At most this many states are eliminated densely when the fill forces it (a 3 000²
 * array is 72 MB, the stored factors as much again, a few seconds of work); with more
 * states left the chain is refused rather than solved for minutes (4 000 states took
 * 8 s a chain, 80 s for an eval that solves one per contribution).
 */
const DENSE_FILL_MAX = 3000;

/** A binary min-heap of (cost, state) with lazy deletion. */
class CostHeap {
  private costs: number[] = [];
  private items: number[] = [];
  push(cost: number, item: number): void {
    let i = this.costs.length;
    this.costs.push(cost);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.costs[parent] as number) <= cost) break;
      this.costs[i] = this.costs[parent] as number;
      this.items[i] = this.items[parent] as number;
      i = parent;
    }
    this.costs[i] = cost;
    this.items[i] = item;
  }
  get size(): number {
    return this.costs.length;
  }
  /** remove the cheapest entry and return its item; its cost is left in `lastCost` */
  pop(): number {
    const item = this.items[0] as number;
    this.lastCost = this.costs[0] as number;
    const movedCost = this.costs.pop() as number;
    const movedItem = this.items.pop() as number;
    const n = this.costs.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && (this.costs[child + 1] as number) < (this.costs[child] as number)) child++;
        if ((this.costs[child] as number) >= movedCost) break;
        this.costs[i] = this.costs[child] as number;
        this.items[i] = this.items[child] as number;
        i = child;
      }
      this.costs[i] = movedCost;
      this.items[i] = movedItem;
    }
    return item;
  }
  lastCost = 0;
}

/** A growable row of (column, value) pairs, unordered. */
interface Row {
  cols: Int32Array;
  vals: Float64Array;
  length: number;
}

function pushEntry(row: Row, col: number, value: number): void {
  if (row.length === row.cols.length) {
    const capacity = Math.max(4, row.cols.length * 2);
    const cols = new Int32Array(capacity);
    cols.set(row.cols);
    const vals = new Float64Array(capacity);
    vals.set(row.vals);
    row.cols = cols;
    row.vals = vals;
  }
  row.cols[row.length] = col;
  row.vals[row.length] = value;
  row.length++;
}

/** A growable list of state numbers. */
interface List {
  items: Int32Array;
  length: number;
}

function pushItem(list: List, item: number): void {
  if (list.length === list.items.length) {
    const items = new Int32Array(Math.max(4, list.items.length * 2));
    items.set(list.items);
    list.items = items;
  }
  list.items[list.length++] = item;
}

/**
 * Reduce an irreducible chain to one state, recording the factorisation. Rows are kept
 * as unordered (column, value) arrays and updated through a scatter array, the usual
 * layout of sparse elimination; the columns (who leads into a state) are lists from which
 * eliminated states are skipped.
 *
 * @throws RangeError when a state has no way out to the states that remain (the chain is
 * not irreducible)
 */
export function gthFactorize(chain: CsrChain): GthFactorization {
  const n = chain.size;
  const rows: Row[] = [];
  const cols: List[] = [];
  const inCount = new Int32Array(n);
  for (let s = 0; s < n; s++) cols.push({ items: new Int32Array(4), length: 0 });
  for (let s = 0; s < n; s++) {
    const from = chain.rowStart[s] as number;
    const to = chain.rowStart[s + 1] as number;
    const targets = chain.target.slice(from, to);
    rows.push({ cols: targets, vals: chain.rate.slice(from, to), length: targets.length });
    for (let t = 0; t < targets.length; t++) {
      pushItem(cols[targets[t] as number] as List, s);
      const j = targets[t] as number;
      inCount[j] = (inCount[j] as number) + 1;
    }
  }
  let entries = 0;
  for (const row of rows) entries += row.length;
  const cost = (s: number) => (rows[s] as Row).length * (inCount[s] as number);
  const current = new Float64Array(n);
  const heap = new CostHeap();
  for (let s = 0; s < n; s++) {
    current[s] = cost(s);
    heap.push(current[s] as number, s);
  }
  const eliminated = new Uint8Array(n);
  const position = new Int32Array(n).fill(-1);
  const touchedMark = new Uint8Array(n);
  const order = new Int32Array(n);
  const exit = new Float64Array(n);
  const inFrom: Int32Array[] = new Array(n);
  const inRate: Float64Array[] = new Array(n);
  const outTo: Int32Array[] = new Array(n);
  const outRate: Float64Array[] = new Array(n);
  let fill = 0;
  let step = 0;
  for (; step < n - 1; step++) {
    const remaining = n - step;
    // Once the remaining chain is dense enough, dense elimination is faster.
    if (remaining <= DENSE_SWITCH_MAX && entries >= DENSE_SWITCH_DENSITY * remaining * remaining) break;
    if (entries > FILL_SWITCH_ENTRIES) {
      if (remaining <= DENSE_FILL_MAX) break;
      throw new RangeError(
        `the chain's elimination fills in past ${FILL_SWITCH_ENTRIES} entries with ${remaining} of its ${n} states left (more than ${DENSE_FILL_MAX} to solve densely), beyond what mqrel solves exactly`,
      );
    }
    let k = -1;
    while (heap.size > 0) {
      const s = heap.pop();
      if (eliminated[s] === 0 && heap.lastCost === current[s]) {
        k = s;
        break;
      }
    }
    const rowK = rows[k] as Row;
    const kLength = rowK.length;
    const kCols = rowK.cols.slice(0, kLength);
    const kVals = rowK.vals.slice(0, kLength);
    let out = 0;
    for (let t = 0; t < kLength; t++) out += kVals[t] as number;
    if (!(out > 0)) throw new RangeError(`gthFactorize: state ${k} cannot reach the states that remain (the chain is reducible)`);
    const colK = cols[k] as List;
    const sources: number[] = [];
    const sourceRates: number[] = [];
    for (let c = 0; c < colK.length; c++) {
      const i = colK.items[c] as number;
      if (eliminated[i] === 1) continue;
      const rowI = rows[i] as Row;
      for (let t = 0; t < rowI.length; t++) position[rowI.cols[t] as number] = t;
      const at = position[k] as number;
      const rik = rowI.vals[at] as number;
      sources.push(i);
      sourceRates.push(rik);
      // drop k from row i: move the last entry into its place
      const last = rowI.length - 1;
      position[rowI.cols[last] as number] = at;
      rowI.cols[at] = rowI.cols[last] as number;
      rowI.vals[at] = rowI.vals[last] as number;
      rowI.length = last;
      position[k] = -1;
      const factor = rik / out;
      for (let t = 0; t < kLength; t++) {
        const j = kCols[t] as number;
        if (j === i) continue;
        const p = position[j] as number;
        const add = factor * (kVals[t] as number);
        if (p >= 0) rowI.vals[p] = (rowI.vals[p] as number) + add;
        else {
          fill++;
          position[j] = rowI.length;
          pushEntry(rowI, j, add);
          pushItem(cols[j] as List, i);
          inCount[j] = (inCount[j] as number) + 1;
          entries++;
        }
      }
      for (let t = 0; t < rowI.length; t++) position[rowI.cols[t] as number] = -1;
    }
    for (let t = 0; t < kLength; t++) {
      const j = kCols[t] as number;
      inCount[j] = (inCount[j] as number) - 1;
    }
    entries -= kLength + sources.length;
    eliminated[k] = 1;
    order[step] = k;
    exit[k] = out;
    inFrom[k] = Int32Array.from(sources);
    inRate[k] = Float64Array.from(sourceRates);
    outTo[k] = kCols;
    outRate[k] = kVals;
    rows[k] = { cols: new Int32Array(0), vals: new Float64Array(0), length: 0 };
    cols[k] = { items: new Int32Array(0), length: 0 };
    const touched: number[] = [];
    const touch = (s: number) => {
      if (touchedMark[s] === 1) return;
      touchedMark[s] = 1;
      touched.push(s);
    };
    for (const s of sources) touch(s);
    for (let t = 0; t < kLength; t++) touch(kCols[t] as number);
    for (const s of touched) {
      touchedMark[s] = 0;
      if (eliminated[s] === 1) continue;
      const c = cost(s);
      if (c !== current[s]) {
        current[s] = c;
        heap.push(c, s);
      }
    }
  }
  if (step < n - 1) {
    // Dense phase: the remaining states in a square array, eliminated in index order.
    const rest: number[] = [];
    for (let s = 0; s < n; s++) if (eliminated[s] === 0) rest.push(s);
    const m = rest.length;
    const local = new Int32Array(n).fill(-1);
    rest.forEach((s, i) => {
      local[s] = i;
    });
    const a = new Float64Array(m * m);
    const batchRow = new Int32Array(4);
    const batchFactor = new Float64Array(4);
    rest.forEach((s, i) => {
      const row = rows[s] as Row;
      for (let t = 0; t < row.length; t++) a[i * m + (local[row.cols[t] as number] as number)] = row.vals[t] as number;
    });
    for (let kk = m - 1; kk >= 1; kk--) {
      const k = rest[kk] as number;
      let out = 0;
      const kTargets: number[] = [];
      const kRates: number[] = [];
      for (let j = 0; j < kk; j++) {
        const v = a[kk * m + j] as number;
        if (v !== 0) {
          out += v;
          kTargets.push(j);
          kRates.push(v);
        }
      }
      if (!(out > 0)) throw new RangeError(`gthFactorize: state ${k} cannot reach the states that remain (the chain is reducible)`);
      const sources: number[] = [];
      const sourceRates: number[] = [];
      // a row of k with a quarter or more of its entries set is applied whole (contiguous)
      const dense = 4 * kTargets.length >= kk;
      const rowK = kk * m;
      let batched = 0;
      for (let i = 0; i < kk; i++) {
        const rik = a[i * m + kk] as number;
        if (rik === 0) continue;
        sources.push(rest[i] as number);
        sourceRates.push(rik);
        const factor = rik / out;
        const rowI = i * m;
        if (dense) {
          // the whole row at once: where row k is 0 the term adds +0 (no change), and the
          // diagonal entry a[i][i] it also updates is never read. Four rows per pass over
          // row k: each entry still gets its one update (this step reads only row k and
          // column k, which it does not write), so the values are the same to the bit
          batchRow[batched] = rowI;
          batchFactor[batched] = factor;
          if (++batched === 4) {
            applyFour(a, rowK, kk, batchRow, batchFactor);
            batched = 0;
          }
        } else {
          for (let t = 0; t < kTargets.length; t++) {
            const j = kTargets[t] as number;
            if (j !== i) a[rowI + j] = (a[rowI + j] as number) + factor * (kRates[t] as number);
          }
        }
      }
      for (let b = 0; b < batched; b++) {
        const rowI = batchRow[b] as number;
        const factor = batchFactor[b] as number;
        for (let j = 0; j < kk; j++) a[rowI + j] = (a[rowI + j] as number) + factor * (a[rowK + j] as number);
      }
      order[step++] = k;
      exit[k] = out;
      inFrom[k] = Int32Array.from(sources);
      inRate[k] = Float64Array.from(sourceRates);
      outTo[k] = Int32Array.from(kTargets, (j) => rest[j] as number);
      outRate[k] = Float64Array.from(kRates);
      eliminated[k] = 1;
    }
  }
  let root = 0;
  for (let s = 0; s < n; s++) if (eliminated[s] === 0) root = s;
  order[n - 1] = root;
  inFrom[root] = new Int32Array(0);
  inRate[root] = new Float64Array(0);
  outTo[root] = new Int32Array(0);
  outRate[root] = new Float64Array(0);
  return { size: n, order, exit, inFrom, inRate, outTo, outRate, fill };
}

/** The stationary distribution π (πQ = 0, Σπ = 1) from a factorisation; no subtraction. */
export function gthStationaryFrom(f: GthFactorization): Float64Array {
  const pi = new Float64Array(f.size);
  pi[f.order[f.size - 1] as number] = 1;
  let total = 1;
  for (let step = f.size - 2; step >= 0; step--) {
    const k = f.order[step] as number;
    const from = f.inFrom[k] as Int32Array;
    const rate = f.inRate[k] as Float64Array;
    let inflow = 0;
    for (let t = 0; t < from.length; t++) inflow += (pi[from[t] as number] as number) * (rate[t] as number);
    const value = inflow / (f.exit[k] as number);
    pi[k] = value;
    total += value;
  }
  for (let s = 0; s < f.size; s++) pi[s] = (pi[s] as number) / total;
  return pi;
}

/** Stationary distribution of an irreducible sparse chain by GTH. */
export function sparseGthStationary(chain: SparseChain | CsrChain): Float64Array {
  return gthStationaryFrom(gthFactorize("rowStart" in chain ? chain : toCsr(chain)));
}

/**
 * Solve y·Q = b with Σ y = 0, for b with Σ b = 0 (then a solution exists and is unique
 * up to a multiple of π, fixed by Σ y = 0). The reduction of Q is subtraction-free; the
 * right-hand side is signed, so y is accurate relative to the size of b, not entry by
 * entry. `pi` is the chain's stationary distribution.
 */
export function gthSolveZeroSum(f: GthFactorization, b: Float64Array, pi: Float64Array): Float64Array {
  const rhs = Float64Array.from(b);
  for (let step = 0; step < f.size - 1; step++) {
    const k = f.order[step] as number;
    const to = f.outTo[k] as Int32Array;
    const rate = f.outRate[k] as Float64Array;
    const scaled = (rhs[k] as number) / (f.exit[k] as number);
    if (scaled === 0) continue;
    for (let t = 0; t < to.length; t++) rhs[to[t] as number] = (rhs[to[t] as number] as number) + scaled * (rate[t] as number);
  }
  const y = new Float64Array(f.size);
  for (let step = f.size - 2; step >= 0; step--) {
    const k = f.order[step] as number;
    const from = f.inFrom[k] as Int32Array;
    const rate = f.inRate[k] as Float64Array;
    let inflow = 0;
    for (let t = 0; t < from.length; t++) inflow += (y[from[t] as number] as number) * (rate[t] as number);
    y[k] = (inflow - (rhs[k] as number)) / (f.exit[k] as number);
  }
  let sum = 0;
  for (let s = 0; s < f.size; s++) sum += y[s] as number;
  for (let s = 0; s < f.size; s++) y[s] = (y[s] as number) - sum * (pi[s] as number);
  return y;
}

/** a[row_b][j] += factor_b · a[k][j] for j < kk and the four rows b (one pass over row k). */
function applyFour(a: Float64Array, rowK: number, kk: number, rows: Int32Array, factors: Float64Array): void {
  const r0 = rows[0] as number;
  const r1 = rows[1] as number;
  const r2 = rows[2] as number;
  const r3 = rows[3] as number;
  const f0 = factors[0] as number;
  const f1 = factors[1] as number;
  const f2 = factors[2] as number;
  const f3 = factors[3] as number;
  for (let j = 0; j < kk; j++) {
    const v = a[rowK + j] as number;
    a[r0 + j] = (a[r0 + j] as number) + f0 * v;
    a[r1 + j] = (a[r1 + j] as number) + f1 * v;
    a[r2 + j] = (a[r2 + j] as number) + f2 * v;
    a[r3 + j] = (a[r3 + j] as number) + f3 * v;
  }
}
