/**
 * Exchangeable zones: the process chain lumped by permutations of zones of equal size.
 *
 * In the process chain (one class per zone, zones never fail) a zone is only a label on
 * its nodes: every zone has the same outage and restore rates, and the transitions of a
 * state depend on its zones' node counts, not on which zone holds them. So permuting
 * zones of equal size maps the chain onto itself (σ·Q = Q·σ, the FIFO line's entries
 * relabelled with their zones), and the partition into orbits {σx} is exactly lumpable
 * (Kemeny & Snell, Finite Markov Chains, 1960, §6.3): the lumped chain moves from orbit o
 * to o′ at Σ_{y ∈ o′} q(x, y), the same for every x ∈ o. Its stationary distribution is
 * π̄(o) = Σ_{x ∈ o} π(x), and π is constant on orbits (the chain has one stationary
 * distribution, and σ·π is one too), so π(x) = π̄(o)/|o| — exact. Sums over states of a
 * function constant on orbits (the zone weights) are sums over orbits; and the deviation
 * y·Q = b lumps to ȳ·Q̄ = b̄ with ȳ(o) = Σ_{x ∈ o} y(x), which gives y·g = ȳ·ḡ for any
 * such g.
 *
 * N nodes over three zones of N/3: 8 001 process states, 1 541 orbits.
 *
 * @internal
 */
import { type ClusterCodec, FREE } from "./clusterStates.js";
import type { CsrChain } from "./markovChain.js";
import { StateTable } from "./stateTable.js";

/** The process chain's states grouped into orbits, and the chain on the orbits. */
export interface Lumping {
  /** orbit of each process state */
  readonly orbitOf: Int32Array;
  /** states in each orbit */
  readonly orbitSize: Int32Array;
  /** the first process state (lowest index) of each orbit */
  readonly representative: Int32Array;
  /** the lumped chain (orbits numbered in the order of their first state) */
  readonly chain: CsrChain;
}

/** Most zone permutations tried per state (6 for three zones of one size; beyond, no lumping). */
const MAX_PERMUTATIONS = 720;

/** The permutations of zones that keep the placement (identity first); undefined if only the identity. */
export function placementSymmetries(placement: readonly number[]): number[][] | undefined {
  const perms: number[][] = [];
  const zones = placement.length;
  const current: number[] = [];
  const used = new Array<boolean>(zones).fill(false);
  const extend = (): boolean => {
    if (perms.length > MAX_PERMUTATIONS) return false;
    if (current.length === zones) {
      perms.push([...current]);
      return true;
    }
    const z = current.length;
    for (let t = 0; t < zones; t++) {
      if (used[t] || placement[t] !== placement[z]) continue;
      used[t] = true;
      current.push(t);
      const ok = extend();
      current.pop();
      used[t] = false;
      if (!ok) return false;
    }
    return true;
  };
  if (!extend() || perms.length <= 1) return undefined;
  return perms;
}

/**
 * Lump the process chain (keys of `codec`, one class per zone) by the zone permutations
 * `perms`. Undefined when no two states share an orbit.
 */
export function lumpByZones(chain: CsrChain, keys: Int32Array, codec: ClusterCodec, perms: readonly number[][]): Lumping | undefined {
  const n = chain.size;
  const w = codec.words;
  const f = codec.freeModes;
  const c = codec.crewModes;
  const u = new Int32Array(codec.fields);
  const v = new Int32Array(codec.fields);
  const image = new Int32Array(w);
  const best = new Int32Array(w);
  const orbits = new StateTable(w, Math.max(16, n >> 2));
  const orbitOf = new Int32Array(n);
  const sizes: number[] = [];
  const representative: number[] = [];
  for (let s = 0; s < n; s++) {
    codec.decode(keys, s * w, u);
    // the orbit's canonical key: the least of its images (word by word); the images counted
    let images = 0;
    const distinct = new StateTable(w, 8);
    for (let p = 0; p < perms.length; p++) {
      permute(u, v, perms[p] as number[], codec, f, c);
      codec.encode(v, image, 0);
      distinct.add(image, 0);
      if (distinct.added) images++;
      if (p === 0 || less(image, best, w)) best.set(image);
    }
    const o = orbits.add(best, 0);
    if (orbits.added) {
      sizes.push(images);
      representative.push(s);
    }
    orbitOf[s] = o;
  }
  const m = orbits.size;
  if (m === n) return undefined;
  // rows of the lumped chain: the representative's transitions, merged by orbit
  const rowStart = new Int32Array(m + 1);
  const target: number[] = [];
  const rate: number[] = [];
  const mark = new Int32Array(m).fill(-1);
  const position = new Int32Array(m);
  for (let o = 0; o < m; o++) {
    rowStart[o] = target.length;
    const r = representative[o] as number;
    for (let e = chain.rowStart[r] as number; e < (chain.rowStart[r + 1] as number); e++) {
      const t = orbitOf[chain.target[e] as number] as number;
      if (t === o) continue;
      if (mark[t] === o) {
        const at = position[t] as number;
        rate[at] = (rate[at] as number) + (chain.rate[e] as number);
      } else {
        mark[t] = o;
        position[t] = target.length;
        target.push(t);
        rate.push(chain.rate[e] as number);
      }
    }
  }
  rowStart[m] = target.length;
  return {
    orbitOf,
    orbitSize: Int32Array.from(sizes),
    representative: Int32Array.from(representative),
    chain: { size: m, rowStart, target: Int32Array.from(target), rate: Float64Array.from(rate) },
  };
}

/** v = the state u with zone z's nodes moved to zone perm[z] (process layout: class = zone). */
function permute(u: Int32Array, v: Int32Array, perm: readonly number[], codec: ClusterCodec, f: number, c: number): void {
  v.set(u);
  for (let z = 0; z < perm.length; z++) {
    const to = perm[z] as number;
    for (let m = 0; m < f; m++) v[FREE + to * f + m] = u[FREE + z * f + m] as number;
    for (let m = 0; m < c; m++) v[codec.repairAt + to * c + m] = u[codec.repairAt + z * c + m] as number;
  }
  for (let j = 0; j < codec.maxWait; j++) {
    const entry = (u[codec.waitAt + j] as number) - 1;
    if (entry < 0) break;
    v[codec.waitAt + j] = (perm[Math.floor(entry / c)] as number) * c + (entry % c) + 1;
  }
}

function less(a: Int32Array, b: Int32Array, w: number): boolean {
  for (let j = w - 1; j >= 0; j--) {
    if (a[j] !== b[j]) return (a[j] as number) >>> 0 < (b[j] as number) >>> 0;
  }
  return false;
}
