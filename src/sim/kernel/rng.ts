/**
 * xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4), 2021; reference C at prng.di.unimi.it/xoshiro128starstar.c): 128 bits
 * of state in a Uint32Array, 32-bit outputs, period 2^128 − 1, and a jump function that
 * advances the state by 2^64 steps. Run i of a simulation uses the seed's stream jumped
 * i times, so every run has its own non-overlapping stream and the numbers do not depend
 * on which worker runs it, or in what order. Any run's stream is reached directly (base-16
 * digits of its index, with the jump polynomials of jumpTable.ts), so a shard of a
 * simulation starts at its first run at once.
 *
 * The seed goes through splitmix32 first: small seeds (0, 1, 2, …) would otherwise give
 * nearly-zero states and poor first draws.
 */

import { JUMP_TABLE } from "./jumpTable.js";

/** State words of one generator; mutated in place by {@link nextUint32}. */
export type RngState = Uint32Array;

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator for a seed (any integer 0 ≤ seed < 2^53; the high bits are folded in). */
export function seedState(seed: number): RngState {
  const low = splitmix32(seed >>> 0);
  const high = splitmix32(Math.floor(seed / 2 ** 32) ^ 0x5bd1e995);
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) state[i] = (low() ^ high()) >>> 0;
  if (state[0] === 0 && state[1] === 0 && state[2] === 0 && state[3] === 0) state[0] = 1;
  return state;
}

/** The next 32-bit output; advances `s`. */
export function nextUint32(s: RngState): number {
  const s0 = s[0] as number;
  const s1 = s[1] as number;
  const s2 = s[2] as number;
  const s3 = s[3] as number;
  const product = Math.imul(s1, 5);
  const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  s[1] = s1 ^ n2;
  s[0] = s0 ^ n3;
  s[2] = n2 ^ t;
  s[3] = (n3 << 11) | (n3 >>> 21);
  return result;
}

/**
 * A uniform draw in (0, 1), never 0 or 1: (x + 0.5) / 2^32 for a 32-bit output x. The
 * resolution of 2^−32 bounds an exponential draw at 22.9 means, a truncation with
 * probability 2^−32 per draw.
 */
export function nextOpenUnit(s: RngState): number {
  return (nextUint32(s) + 0.5) * 2.3283064365386963e-10; // = 2^−32
}

/** Advance `s` in place by the steps a jump polynomial stands for (the reference jump() with another constant). */
export function jumpBy(s: RngState, poly: readonly number[]): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (const word of poly) {
    for (let b = 0; b < 32; b++) {
      if (word & (1 << b)) {
        s0 ^= s[0] as number;
        s1 ^= s[1] as number;
        s2 ^= s[2] as number;
        s3 ^= s[3] as number;
      }
      nextUint32(s);
    }
  }
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
}

const JUMP = JUMP_TABLE[0] as readonly number[];

/** Advance `s` by 2^64 steps in place (the reference jump()). */
export function jump(s: RngState): void {
  jumpBy(s, JUMP);
}

/**
 * Advance `s` in place by index·2^64 steps — the same as `index` calls of {@link jump} — in
 * at most 15 jumps per base-16 digit of the index (row j of the jump table is 2^(64+4j)
 * steps), so that any run of a simulation is reached in at most 15·14 jumps (runs < 2^53).
 */
export function jumpRuns(s: RngState, index: number): void {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`jumpRuns requires a whole index in [0, 2^53), got ${index}`);
  let rest = index;
  for (let j = 0; rest > 0; j++) {
    const digit = rest % 16;
    rest = Math.floor(rest / 16);
    const poly = JUMP_TABLE[j] as readonly number[];
    for (let d = 0; d < digit; d++) jumpBy(s, poly);
  }
}

/**
 * Streams of a seed are kept apart by purpose: domain 0 (plain Monte Carlo runs) starts at
 * the seed's state; domain 1 (importance-sampling cycles) 2^120 steps further on, beyond
 * every run stream of domain 0 (runs < 2^53 use the first 2^117 steps).
 */
export type StreamDomain = 0 | 1;
const DOMAIN_JUMP = JUMP_TABLE[14] as readonly number[]; // 2^120 steps

function domainState(seed: number, domain: StreamDomain): RngState {
  const state = seedState(seed);
  if (domain === 1) jumpBy(state, DOMAIN_JUMP);
  return state;
}

/** The stream of run `index` for `seed`: the seed's state jumped `index` times (random access). */
export function streamForRun(seed: number, index: number, domain: StreamDomain = 0): RngState {
  const state = domainState(seed, domain);
  jumpRuns(state, index);
  return state;
}

/** Ahead of the last stream handed out by at most this many runs, jumping on from it is cheaper than random access. */
const SEQUENTIAL_JUMPS = 64;

/**
 * Run streams for one seed, handed out in (mostly) increasing run order: a request a little
 * ahead of the last one jumps on from it (N runs in order cost N jumps); any other goes
 * straight to its index ({@link jumpRuns}).
 */
export class RunStreams {
  private index = 0;
  private readonly state: RngState;

  constructor(
    private readonly seed: number,
    private readonly domain: StreamDomain = 0,
  ) {
    this.state = domainState(seed, domain);
  }

  /** A fresh copy of run `index`'s stream. */
  forRun(index: number): RngState {
    if (index < this.index || index - this.index > SEQUENTIAL_JUMPS) {
      this.state.set(streamForRun(this.seed, index, this.domain));
      this.index = index;
    }
    while (this.index < index) {
      jump(this.state);
      this.index++;
    }
    return this.state.slice();
  }
}
