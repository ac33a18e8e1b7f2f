#!/usr/bin/env node
/**
 * Computes the jump polynomials of xoshiro128** for 2^(64+4j) steps, j = 0..15, and writes
 * them to src/sim/kernel/jumpTable.ts (`--check`: fails when the file differs from what this
 * computes). Run: `node scripts/jump-polynomials.mjs [--check]`.
 *
 * Why: run i of a simulation uses the seed's stream advanced by i·2^64 steps. Writing i in
 * base 16, i = Σ d_j·16^j, that advance is Σ d_j·2^(64+4j) steps: at most 15 applications of
 * each of 16 jump polynomials (15·16 = 240 jumps) reach any run index below 2^64, instead of
 * i applications of the 2^64 jump.
 *
 * How (independently of src/, which this script does not import):
 *
 * 1. The state update of xoshiro128 (Blackman & Vigna, "Scrambled linear pseudorandom number
 *    generators", ACM TOMS 47(4), 2021; the reference C at prng.di.unimi.it) is linear over
 *    GF(2): s' = T·s for a 128×128 bit matrix T. Its characteristic polynomial p(x) has degree
 *    128 (the period is 2^128 − 1, so p is primitive and is also the minimal polynomial of
 *    every nonzero bit sequence the engine produces).
 * 2. p is found by Berlekamp–Massey (Massey, "Shift-register synthesis and BCH decoding",
 *    IEEE Trans. Inf. Theory 15(1), 1969) on 512 successive values of one state bit, and
 *    checked: degree 128, and p annihilates 1024 successive values of every one of the 128
 *    state bits.
 * 3. Advancing by m steps is T^m; by Cayley–Hamilton, T^m = r(T) with r(x) = x^m mod p(x), a
 *    polynomial of degree < 128 whose 128 coefficients are the jump constant: the reference
 *    jump() adds (XOR) the current state into an accumulator for every set bit b of the
 *    constant (bit b of word w is the coefficient of x^(32w+b)) and steps the generator
 *    once per bit. x^(2^k) mod p is k successive squarings mod p.
 * 4. Checks: j = 0 (2^64) gives the reference JUMP constants, and 2^96 (j = 8) the reference
 *    LONG_JUMP constants of xoshiro128starstar.c.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "sim", "kernel", "jumpTable.ts");
const REFERENCE_JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b]; // 2^64 steps, xoshiro128starstar.c
const REFERENCE_LONG_JUMP = [0xb523952e, 0x0b6f099f, 0xccf5a0ef, 0x1c580662]; // 2^96 steps

/** One xoshiro128 state update (the reference C's next(), without the output scrambler). */
function step(s) {
  const t = (s[1] << 9) >>> 0;
  s[2] = (s[2] ^ s[0]) >>> 0;
  s[3] = (s[3] ^ s[1]) >>> 0;
  s[1] = (s[1] ^ s[2]) >>> 0;
  s[0] = (s[0] ^ s[3]) >>> 0;
  s[2] = (s[2] ^ t) >>> 0;
  s[3] = ((s[3] << 11) | (s[3] >>> 21)) >>> 0;
}

/** Successive values of state bit `bit` from a fixed nonzero start. */
function bitSequence(bit, length) {
  const s = [0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x1234567];
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = (s[bit >> 5] >>> (bit & 31)) & 1;
    step(s);
  }
  return out;
}

/** Berlekamp–Massey over GF(2): the connection polynomial C(x) (bit i = coefficient of x^i) and its length L. */
function berlekampMassey(seq) {
  let c = 1n;
  let b = 1n;
  let length = 0;
  let shift = 1;
  for (let n = 0; n < seq.length; n++) {
    let d = seq[n];
    for (let i = 1; i <= length; i++) d ^= Number((c >> BigInt(i)) & 1n) & seq[n - i];
    if (d === 0) {
      shift++;
    } else if (2 * length <= n) {
      const previous = c;
      c ^= b << BigInt(shift);
      length = n + 1 - length;
      b = previous;
      shift = 1;
    } else {
      c ^= b << BigInt(shift);
      shift++;
    }
  }
  return { c, length };
}

const degree = (a) => a.toString(2).length - 1;

/** a mod p over GF(2). */
function reduce(a, p) {
  const dp = degree(p);
  while (a !== 0n && degree(a) >= dp) a ^= p << BigInt(degree(a) - dp);
  return a;
}

/** a·b over GF(2) (carry-less). */
function multiply(a, b) {
  let out = 0n;
  let shift = 0n;
  while (b !== 0n) {
    if (b & 1n) out ^= a << shift;
    b >>= 1n;
    shift++;
  }
  return out;
}

/** The characteristic polynomial p(x) = x^L·C(1/x), the reverse of the connection polynomial. */
function characteristicPolynomial() {
  const { c, length } = berlekampMassey(bitSequence(0, 512));
  if (length !== 128) throw new Error(`Berlekamp–Massey found a recurrence of length ${length}, expected 128`);
  let p = 0n;
  for (let i = 0; i <= 128; i++) if ((c >> BigInt(i)) & 1n) p |= 1n << BigInt(128 - i);
  // p must annihilate every state bit's sequence: Σ_i p_i·s[n + i] = 0 for all n
  for (let bit = 0; bit < 128; bit++) {
    const seq = bitSequence(bit, 1024);
    for (let n = 0; n + 128 < seq.length; n++) {
      let sum = 0;
      for (let i = 0; i <= 128; i++) if ((p >> BigInt(i)) & 1n) sum ^= seq[n + i];
      if (sum !== 0) throw new Error(`the polynomial does not annihilate state bit ${bit} at ${n}`);
    }
  }
  return p;
}

/** The 128 coefficients of r(x) as four 32-bit words (bit b of word w: coefficient of x^(32w+b)). */
function words(r) {
  return [0, 1, 2, 3].map((w) => Number((r >> BigInt(32 * w)) & 0xffffffffn) >>> 0);
}

const hex = (w) => `0x${w.toString(16).padStart(8, "0")}`;

function compute() {
  const p = characteristicPolynomial();
  // x^(2^k) mod p for k = 0..124
  const powers = [2n];
  for (let k = 1; k <= 124; k++) powers.push(reduce(multiply(powers[k - 1], powers[k - 1]), p));
  const table = Array.from({ length: 16 }, (_, j) => words(powers[64 + 4 * j]));
  const same = (a, b) => a.every((w, i) => w === b[i]);
  if (!same(table[0], REFERENCE_JUMP)) throw new Error(`2^64: ${table[0].map(hex)} is not the reference JUMP`);
  if (!same(table[8], REFERENCE_LONG_JUMP)) throw new Error(`2^96: ${table[8].map(hex)} is not the reference LONG_JUMP`);
  return { p, table };
}

function render({ p, table }) {
  const pHex = `0x${p.toString(16)}`;
  const rows = table.map((row, j) => `  [${row.map(hex).join(", ")}], // 2^${64 + 4 * j}`).join("\n");
  return `/**
 * Jump polynomials of xoshiro128**: row j advances a state by 2^(64+4j) steps (j = 0..15),
 * applied the way the reference jump() applies its constant (rng.ts). Row 0 is the reference
 * JUMP (2^64) and row 8 the reference LONG_JUMP (2^96).
 *
 * GENERATED by scripts/jump-polynomials.mjs — do not edit. The characteristic polynomial of
 * the generator's linear engine (from Berlekamp–Massey on its state bits) is
 * p(x) = ${pHex}
 * (bit i = coefficient of x^i), and row j holds x^(2^(64+4j)) mod p(x).
 */
export const JUMP_TABLE: readonly (readonly [number, number, number, number])[] = [
${rows}
];
`;
}

const text = render(compute());
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(OUT, "utf8");
  } catch {
    // missing: differs
  }
  if (current !== text) {
    console.error(`${OUT} is not what scripts/jump-polynomials.mjs computes; run it without --check`);
    process.exit(1);
  }
  console.log("jump table up to date (2^64 and 2^96 rows equal the reference JUMP and LONG_JUMP)");
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
}
