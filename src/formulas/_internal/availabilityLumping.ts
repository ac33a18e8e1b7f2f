/**
 * The smallest exact chain that still tells when a component is available: the coarsest
 * partition of a chain's states that is *ordinarily lumpable* and keeps available and
 * unavailable states apart, and the chain over its blocks.
 *
 * Ordinary lumpability (Kemeny & Snell, Finite Markov Chains, 1960, §6.3; Buchholz,
 * "Exact and ordinary lumpability in finite Markov chains", J. Appl. Prob. 31, 1994): a
 * partition is lumpable when every state of a block has the same total rate into each
 * other block; then the block process is itself a Markov chain with those rates, for
 * every initial law — so it may be composed with other chains (the region chain's sites)
 * in place of the full one, exactly. The coarsest such partition refining a labelling is
 * found by splitting blocks by their states' rate signatures until nothing splits (partition
 * refinement, as for bisimulation). When it has two blocks the component's availability is
 * itself a two-state chain ("lumped to available / unavailable"); otherwise the blocks are
 * whatever the dynamics needs, often the full chain.
 *
 * Rates compare equal to 12 significant digits (sums taken in different orders differ in
 * the last bits), so a lumped rate is exact to about 1e-12 of itself.
 *
 * @internal
 */
import type { CsrChain } from "./markovChain.js";

export interface Lumped {
  /** the chain over the blocks: block b's row holds its total rates into the other blocks */
  readonly chain: CsrChain;
  /** each block's label (available or not), from its states' */
  readonly available: Uint8Array;
  /** the block of each state of the original chain */
  readonly blockOf: Int32Array;
}

/** Significant digits to which two rates into a block count as equal. */
const DIGITS = 12;

/**
 * Lump `chain` as coarsely as is exact while keeping `available` states apart from the
 * others.
 */
export function lumpByAvailability(chain: CsrChain, available: Uint8Array): Lumped {
  const n = chain.size;
  let blockOf = Int32Array.from(available, (a) => (a === 1 ? 0 : 1));
  let blocks = new Set(blockOf).size;
  for (;;) {
    const ids = new Map<string, number>();
    const next = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const into = new Map<number, number>();
      for (let e = chain.rowStart[s] as number; e < (chain.rowStart[s + 1] as number); e++) {
        const b = blockOf[chain.target[e] as number] as number;
        if (b !== blockOf[s]) into.set(b, (into.get(b) ?? 0) + (chain.rate[e] as number));
      }
      const signature = [
        blockOf[s],
        ...[...into.entries()].sort((x, y) => x[0] - y[0]).map(([b, r]) => `${b}:${r.toPrecision(DIGITS)}`),
      ].join(" ");
      let id = ids.get(signature);
      if (id === undefined) {
        id = ids.size;
        ids.set(signature, id);
      }
      next[s] = id;
    }
    blockOf = next;
    if (ids.size === blocks) break;
    blocks = ids.size;
  }
  return { chain: quotient(chain, blockOf, blocks), available: labels(available, blockOf, blocks), blockOf };
}

/** The chain over the blocks, each block's rates read off its first state (all its states agree). */
function quotient(chain: CsrChain, blockOf: Int32Array, blocks: number): CsrChain {
  const first = new Int32Array(blocks).fill(-1);
  for (let s = 0; s < chain.size; s++) if (first[blockOf[s] as number] === -1) first[blockOf[s] as number] = s;
  const rowStart = new Int32Array(blocks + 1);
  const target: number[] = [];
  const rate: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const s = first[b] as number;
    const into = new Map<number, number>();
    for (let e = chain.rowStart[s] as number; e < (chain.rowStart[s + 1] as number); e++) {
      const c = blockOf[chain.target[e] as number] as number;
      if (c !== b) into.set(c, (into.get(c) ?? 0) + (chain.rate[e] as number));
    }
    for (const [c, r] of into) {
      target.push(c);
      rate.push(r);
    }
    rowStart[b + 1] = target.length;
  }
  return { size: blocks, rowStart, target: Int32Array.from(target), rate: Float64Array.from(rate) };
}

function labels(available: Uint8Array, blockOf: Int32Array, blocks: number): Uint8Array {
  const out = new Uint8Array(blocks);
  for (let s = 0; s < blockOf.length; s++) out[blockOf[s] as number] = available[s] as number;
  return out;
}
