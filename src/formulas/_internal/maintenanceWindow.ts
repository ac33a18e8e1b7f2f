/**
 * The pieces of the maintenance window shared by the cluster's and the queue's
 * computations (maintenance.ts): distributions over packed states, the layout of a
 * window's classes (zone z: 2z not yet restarted, 2z + 1 done), the restart at the start
 * of a slot and the release at its end.
 *
 * @internal
 */
import { exploreDynamics } from "./clusterSolve.js";
import { CC, type ClusterCodec, type ClusterDynamics, FREE, HELD, LEADER, ZONES } from "./clusterStates.js";
import { addInitial, type CsrChain } from "./markovChain.js";
import { StateTable } from "./stateTable.js";

/** Most states of one restart slot's chain that mqrel evolves. */
export const MAX_WINDOW_STATES = 200_000;

/** C(a, b), exact while it stays below 2^53 (each partial product is itself a binomial). */
function binomial(a: number, b: number): number {
  if (b < 0 || b > a) return 0;
  let c = 1;
  for (let i = 1; i <= b; i++) c = (c * (a - b + i)) / i;
  return c;
}

/** The modes of a chain as its states see them: crew-free modes, crew modes, and the crews. */
export interface ModeShape {
  /** crew-free modes (that can strike: failure rate > 0) */
  readonly free: number;
  /** crew modes (that can strike) */
  readonly crew: number;
  /** repair crews shared by the crew modes */
  readonly crews: number;
}

/**
 * States of a chain of node processes over classes of exchangeable nodes (`classSizes`),
 * the common cause aside: each class's nodes split into up, down per crew-free mode, in
 * repair per crew mode, and waiting in the FIFO line, with at most `crews` in repair and a
 * line only while every crew is busy; the line is a sequence of (class, crew mode)
 * entries, so the orders of its entries count. Each such state is reachable from all-up
 * (the modes strike independently; failing the nodes in the line's order builds it), so
 * this is the chain's exact size.
 *
 * Counted by a sweep over the classes on (nodes in repair r, line length L): a class of
 * s nodes with ρ in repair and w in the line adds C(ρ + C − 1, C − 1) splits of ρ over the
 * C crew modes, C^w mode sequences of its w entries, C(s − ρ − w + F, F) splits of at most
 * the rest over the F crew-free modes, and C(L + w, w) ways to interleave its entries with
 * the line so far. Crew-free only: Π C(s + F, F).
 */
export function processStateCount(classSizes: readonly number[], modes: ModeShape): number {
  const total = classSizes.reduce((a, b) => a + b, 0);
  const C = modes.crew;
  const F = modes.free;
  const crews = C > 0 ? Math.min(modes.crews, total) : 0;
  const width = total + 1;
  let dp = new Float64Array((crews + 1) * width);
  dp[0] = 1;
  for (const s of classSizes) {
    const next = new Float64Array(dp.length);
    for (let r = 0; r <= crews; r++) {
      for (let L = 0; L < width; L++) {
        const ways = dp[r * width + L] as number;
        if (ways === 0) continue;
        const maxRho = C > 0 ? Math.min(crews - r, s) : 0;
        for (let rho = 0; rho <= maxRho; rho++) {
          const inRepair = C > 0 ? binomial(rho + C - 1, C - 1) : 1;
          const maxW = C > 0 ? s - rho : 0;
          for (let w = 0; w <= maxW; w++) {
            const g = inRepair * C ** w * binomial(s - rho - w + F, F) * binomial(L + w, w);
            const at = (r + rho) * width + L + w;
            next[at] = (next[at] as number) + ways * g;
          }
        }
      }
    }
    dp = next;
  }
  let states = 0;
  for (let r = 0; r <= crews; r++) states += dp[r * width] as number;
  for (let L = 1; L < width; L++) states += dp[crews * width + L] as number;
  return states;
}

/**
 * States of the largest restart slot's process window, the common cause aside: the
 * process states of the window's classes (zone z: 2z not yet restarted, 2z + 1 done)
 * without a held node, plus those with the restarted zone's "done" class holding its held
 * node (one node fewer free to fail) — each reachable: the modes strike independently
 * from all-up, with or without the hold. `order`: the zone restarted in each slot.
 */
export function windowStateCount(placement: readonly number[], order: readonly number[], modes: ModeShape): number {
  const done = new Array<number>(placement.length).fill(0);
  let largest = 0;
  for (const zone of order) {
    done[zone] = (done[zone] as number) + 1;
    const sizes = placement.flatMap((size, z) => [size - (done[z] as number), done[z] as number]);
    const unheld = processStateCount(sizes, modes);
    sizes[2 * zone + 1] = (sizes[2 * zone + 1] as number) - 1;
    largest = Math.max(largest, unheld + processStateCount(sizes, modes));
  }
  return largest;
}

/** A distribution over states: keys in the order first added, with their probabilities. */
export class Distribution {
  readonly table: StateTable;
  p = new Float64Array(64);

  constructor(readonly codec: ClusterCodec) {
    this.table = new StateTable(codec.words);
  }

  get size(): number {
    return this.table.size;
  }

  /** add probability `p` to the state whose key is at buf[at …] (nothing when p = 0) */
  add(buf: Int32Array, at: number, p: number): void {
    if (p === 0) return;
    const i = this.table.add(buf, at);
    if (i >= this.p.length) {
      const grown = new Float64Array(2 * this.p.length);
      grown.set(this.p);
      this.p = grown;
    }
    this.p[i] = this.table.added ? p : (this.p[i] as number) + p;
  }

  /** add the state in unpacked form */
  addUnpacked(u: Int32Array, scratch: Int32Array, p: number): void {
    if (p === 0) return;
    this.codec.encode(u, scratch, 0);
    this.add(scratch, 0, p);
  }
}

/** The slot's chain, explored from the states the restart left (numbered first, in order). */
export function exploreFrom(moved: Distribution, dyn: ClusterDynamics): { chain: CsrChain; table: StateTable } {
  const what = "a restart slot's chain";
  const table = new StateTable(dyn.codec.words);
  for (let i = 0; i < moved.size; i++) addInitial(table, moved.table.keys, i * dyn.codec.words, MAX_WINDOW_STATES, what);
  const chain = exploreDynamics(dyn, table, MAX_WINDOW_STATES, what);
  return { chain, table };
}

/** p(0) on the slot's chain: the restart's distribution on its first states. */
export function initialVector(moved: Distribution, size: number): Float64Array {
  const p0 = new Float64Array(size);
  p0.set(moved.p.subarray(0, moved.size));
  return p0;
}

/** The distribution at the end of a slot, the held node released (back up, done). */
export function released(table: StateTable, size: number, p: Float64Array, dyn: ClusterDynamics, normalize: boolean): Distribution {
  const codec = dyn.codec;
  const w = codec.words;
  const result = new Distribution(codec);
  const key = new Int32Array(w);
  const u = dyn.u;
  for (let i = 0; i < size; i++) {
    codec.decode(table.keys, i * w, u);
    if ((u[HELD] as number) > 0) {
      u[HELD] = 0;
      if (normalize) dyn.normalize(u);
      result.addUnpacked(u, key, p[i] as number);
    } else result.add(table.keys, i * w, p[i] as number);
  }
  return result;
}

/**
 * The restart at the start of a slot: one uniformly random node of class `pending`
 * (of `pendingCount` nodes) moves to the zone's "done" class (pending + 1); held down if
 * its process is up, else moved with the state it is in. `onHeld(from, to, p)` sees each
 * hold (unpacked states before and after).
 */
export function restart(
  d: Distribution,
  pending: number,
  pendingCount: number,
  dyn: ClusterDynamics,
  onHeld?: (from: Int32Array, to: Int32Array, p: number) => void,
): Distribution {
  const codec = dyn.codec;
  const w = codec.words;
  const done = pending + 1;
  const modesF = codec.freeModes;
  const modesC = codec.crewModes;
  const result = new Distribution(codec);
  const key = new Int32Array(w);
  const u = new Int32Array(codec.fields);
  const v = new Int32Array(codec.fields);
  const emit = (p: number) => {
    dyn.normalize(v);
    result.addUnpacked(v, key, p);
  };
  for (let i = 0; i < d.size; i++) {
    codec.decode(d.table.keys, i * w, u);
    const p = d.p[i] as number;
    v.set(u);
    if (u[CC] === 1) {
      emit(p);
      continue;
    }
    const m = pendingCount;
    let down = 0;
    for (let f = 0; f < modesF; f++) {
      const count = u[FREE + pending * modesF + f] as number;
      if (count === 0) continue;
      down += count;
      v.set(u);
      v[FREE + pending * modesF + f] = count - 1;
      v[FREE + done * modesF + f] = (v[FREE + done * modesF + f] as number) + 1;
      emit((p * count) / m);
    }
    for (let c = 0; c < modesC; c++) {
      const count = u[codec.repairAt + pending * modesC + c] as number;
      if (count === 0) continue;
      down += count;
      v.set(u);
      v[codec.repairAt + pending * modesC + c] = count - 1;
      v[codec.repairAt + done * modesC + c] = (v[codec.repairAt + done * modesC + c] as number) + 1;
      emit((p * count) / m);
    }
    for (let j = 0; j < codec.maxWait; j++) {
      const entry = (u[codec.waitAt + j] as number) - 1;
      if (entry < 0) break;
      if (Math.floor(entry / modesC) !== pending) continue;
      down++;
      v.set(u);
      v[codec.waitAt + j] = done * modesC + (entry % modesC) + 1;
      emit(p / m);
    }
    const processUp = m - down;
    if (processUp > 0) {
      v.set(u);
      v[HELD] = done + 1;
      const q = (p * processUp) / m;
      emit(q);
      onHeld?.(u, v, q);
    }
  }
  return result;
}

/**
 * Process-chain states (one class per zone) ↔ window states (zone z: classes 2z not yet
 * restarted, 2z + 1 done). The window's codec may have crew-free modes beyond the process
 * chain's (a bad release's frozen "broken" mode, last): they are 0 in both directions.
 */
export class WindowLayout {
  constructor(
    readonly process: ClusterCodec,
    readonly window: ClusterCodec,
  ) {}

  toWindow(s: Int32Array, out: Int32Array): void {
    const p = this.process;
    const w = this.window;
    const modesF = p.freeModes;
    const windowF = w.freeModes;
    const modesC = p.crewModes;
    out.fill(0);
    out[CC] = s[CC] as number;
    out[ZONES] = s[ZONES] as number;
    out[LEADER] = s[LEADER] as number;
    out[HELD] = s[HELD] as number;
    for (let z = 0; z < p.classes; z++) {
      for (let f = 0; f < modesF; f++) out[FREE + 2 * z * windowF + f] = s[FREE + z * modesF + f] as number;
      for (let c = 0; c < modesC; c++) out[w.repairAt + 2 * z * modesC + c] = s[p.repairAt + z * modesC + c] as number;
    }
    for (let j = 0; j < p.maxWait; j++) {
      const e = (s[p.waitAt + j] as number) - 1;
      if (e < 0) break;
      out[w.waitAt + j] = 2 * Math.floor(e / modesC) * modesC + (e % modesC) + 1;
    }
  }

  /** after the window (nothing held, nothing broken): back to one class per zone, zones up, leader elected */
  fromWindow(s: Int32Array, out: Int32Array): void {
    const p = this.process;
    const w = this.window;
    const modesF = p.freeModes;
    const windowF = w.freeModes;
    const modesC = p.crewModes;
    out.fill(0);
    out[CC] = s[CC] as number;
    for (let z = 0; z < p.classes; z++) {
      for (let f = 0; f < modesF; f++) {
        out[FREE + z * modesF + f] = (s[FREE + 2 * z * windowF + f] as number) + (s[FREE + (2 * z + 1) * windowF + f] as number);
      }
      for (let c = 0; c < modesC; c++) {
        out[p.repairAt + z * modesC + c] =
          (s[w.repairAt + 2 * z * modesC + c] as number) + (s[w.repairAt + (2 * z + 1) * modesC + c] as number);
      }
    }
    for (let j = 0; j < w.maxWait; j++) {
      const e = (s[w.waitAt + j] as number) - 1;
      if (e < 0) break;
      out[p.waitAt + j] = Math.floor(Math.floor(e / modesC) / 2) * modesC + (e % modesC) + 1;
    }
  }
}

/**
 * A bad release's slot end: the held node stays down, broken — moved to the frozen
 * crew-free mode `brokenMode` of its class (it neither fails nor recovers until the
 * rollback). A state without a held node (its node was skipped, or a common cause ended
 * the hold) is carried over as it is.
 */
export function broken(table: StateTable, size: number, p: Float64Array, dyn: ClusterDynamics, brokenMode: number): Distribution {
  const codec = dyn.codec;
  const w = codec.words;
  const result = new Distribution(codec);
  const key = new Int32Array(w);
  const u = dyn.u;
  for (let i = 0; i < size; i++) {
    codec.decode(table.keys, i * w, u);
    const held = u[HELD] as number;
    if (held > 0) {
      u[HELD] = 0;
      const field = FREE + (held - 1) * codec.freeModes + brokenMode;
      u[field] = (u[field] as number) + 1;
      result.addUnpacked(u, key, p[i] as number);
    } else result.add(table.keys, i * w, p[i] as number);
  }
  return result;
}

/** The rollback: every broken node (frozen mode `brokenMode`, any class) up again. */
export function rolledBack(d: Distribution, dyn: ClusterDynamics, brokenMode: number): Distribution {
  const codec = dyn.codec;
  const w = codec.words;
  const result = new Distribution(codec);
  const key = new Int32Array(w);
  const u = dyn.u;
  for (let i = 0; i < d.size; i++) {
    codec.decode(d.table.keys, i * w, u);
    for (let c = 0; c < codec.classes; c++) u[FREE + c * codec.freeModes + brokenMode] = 0;
    dyn.normalize(u);
    result.addUnpacked(u, key, d.p[i] as number);
  }
  return result;
}
