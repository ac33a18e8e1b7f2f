import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventHeap } from "../../src/sim/kernel/heap.js";
import { JUMP_TABLE } from "../../src/sim/kernel/jumpTable.js";
import { jump, jumpBy, jumpRuns, nextOpenUnit, nextUint32, RunStreams, seedState, streamForRun } from "../../src/sim/kernel/rng.js";

describe("xoshiro128**", () => {
  it("when started from state {1, 2, 3, 4} then it gives the reference C output (the rand_xoshiro crate's test vector)", () => {
    const state = new Uint32Array([1, 2, 3, 4]);
    const out = Array.from({ length: 10 }, () => nextUint32(state));
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
  });

  it("when the seed is the same then so is the stream, and when it differs then so does the stream", () => {
    const a = seedState(42);
    const b = seedState(42);
    const c = seedState(43);
    const draw = (s: Uint32Array) => Array.from({ length: 8 }, () => nextUint32(s));
    expect(draw(a)).toEqual(draw(b));
    expect(draw(seedState(42))).not.toEqual(draw(c));
  });

  it("when a state is jumped then it equals the state advanced 2^64 steps (GF(2) matrix power of one step)", () => {
    // Arrange: the xoshiro128 state update is linear over GF(2); T^(2^64) by 64 squarings,
    // T built from the paper's update rule (written out below, not taken from src), and
    // the squaring machinery first checked against 2^10 plain steps of the code.
    const t64 = matrixPower2(oneStepMatrix(), 64);
    const t10 = matrixPower2(oneStepMatrix(), 10);
    const plain = seedState(3);
    const expected10 = apply(t10, plain);
    for (let i = 0; i < 1024; i++) nextUint32(plain);

    for (const seed of [1, 7, 2 ** 40 + 5]) {
      const state = seedState(seed);
      const expected = apply(t64, state);

      // Act
      jump(state);

      // Assert: exactly 2^64 steps apart, so with period 2^128 − 1 the run streams cannot overlap
      expect([...state], `seed ${seed}`).toEqual([...expected]);
    }
    expect([...plain]).toEqual([...expected10]);
  });

  it("when RunStreams is asked for runs in any order then it hands out the seed's stream jumped run-index times", () => {
    const streams = new RunStreams(5);
    for (const index of [0, 3, 4, 9, 2, 2, 7, 300, 299, 1000, 90])
      expect([...streams.forRun(index)], `run ${index}`).toEqual([...jumped(5, index)]);
  });
});

/** The seed's state after `times` reference jumps, one after another (the definition of run streams). */
function jumped(seed: number, times: number): Uint32Array {
  const state = seedState(seed);
  for (let i = 0; i < times; i++) jump(state);
  return state;
}

describe("jump table (scripts/jump-polynomials.mjs)", () => {
  it("when row 0 and row 8 are read then they are the reference JUMP (2^64) and LONG_JUMP (2^96) constants of xoshiro128starstar.c", () => {
    // Reference: prng.di.unimi.it/xoshiro128starstar.c, jump() and long_jump()
    expect([...(JUMP_TABLE[0] as readonly number[])]).toEqual([0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b]);
    expect([...(JUMP_TABLE[8] as readonly number[])]).toEqual([0xb523952e, 0x0b6f099f, 0xccf5a0ef, 0x1c580662]);
  });

  it("when row j is applied once then the state is where 16 applications of row j − 1 take it, for every row", () => {
    for (let j = 1; j < 16; j++) {
      const a = seedState(11 + j);
      const b = a.slice();
      jumpBy(a, JUMP_TABLE[j] as readonly number[]);
      for (let i = 0; i < 16; i++) jumpBy(b, JUMP_TABLE[j - 1] as readonly number[]);
      expect([...a], `row ${j}`).toEqual([...b]);
    }
  });

  it("when row 1 is applied then it equals the GF(2) matrix of one step raised to 2^68 (independent of the table)", () => {
    const t68 = matrixPower2(oneStepMatrix(), 68);
    const state = seedState(9);
    const expected = apply(t68, state);
    jumpBy(state, JUMP_TABLE[1] as readonly number[]);
    expect([...state]).toEqual([...expected]);
  });

  it("when a run's stream is reached by random access then it equals the seed's state jumped run-index times", () => {
    for (const index of [0, 1, 15, 16, 17, 255, 256, 257, 1000, 4097]) {
      expect([...streamForRun(3, index)], `run ${index}`).toEqual([...jumped(3, index)]);
    }
  });

  it("when large indices are reached by random access then jumps add up: a then b is a + b, and 16^k is row k once", () => {
    // Arrange: indices far beyond what repeated jumping could check
    const a = 2 ** 40 + 12_345;
    const b = 2 ** 52 + 977;
    const viaSum = streamForRun(4, a + b);
    const viaSteps = streamForRun(4, a);

    // Act
    jumpRuns(viaSteps, b);

    // Assert
    expect([...viaSteps]).toEqual([...viaSum]);
    for (const k of [3, 9, 13]) {
      const direct = seedState(4);
      jumpBy(direct, JUMP_TABLE[k] as readonly number[]);
      expect([...streamForRun(4, 16 ** k)], `16^${k}`).toEqual([...direct]);
    }
  });

  it("when 200000 uniforms are drawn then all lie in (0, 1) with mean 1/2 and variance 1/12 within 4 standard errors", () => {
    // Arrange
    const seed = 1;
    const s = seedState(seed);
    const n = 200_000;
    let outside = 0;
    let sum = 0;
    let sum2 = 0;

    // Act
    for (let i = 0; i < n; i++) {
      const u = nextOpenUnit(s);
      if (!(u > 0 && u < 1)) outside++;
      sum += u;
      sum2 += u * u;
    }

    // Assert: SE of the mean √(1/12/n); of the variance √(Var((U − ½)²)/n) = √(1/180/n)
    const mean = sum / n;
    const variance = sum2 / n - mean * mean;
    expect(outside, `seed ${seed}`).toBe(0);
    expect(Math.abs(mean - 0.5) / Math.sqrt(1 / 12 / n), `mean ${mean}, seed ${seed}: standard errors off`).toBeLessThanOrEqual(4);
    expect(
      Math.abs(variance - 1 / 12) / Math.sqrt(1 / 180 / n),
      `variance ${variance}, seed ${seed}: standard errors off`,
    ).toBeLessThanOrEqual(4);
  });
});

/** A 128×128 matrix over GF(2) as 128 columns of four 32-bit words. */
type Matrix = Uint32Array[];

/** One xoshiro128 state update (Blackman & Vigna 2021), on a copy. */
function step(state: Uint32Array): Uint32Array {
  const s = state.slice();
  const t = (s[1] as number) << 9;
  s[2] = (s[2] as number) ^ (s[0] as number);
  s[3] = (s[3] as number) ^ (s[1] as number);
  s[1] = (s[1] as number) ^ (s[2] as number);
  s[0] = (s[0] as number) ^ (s[3] as number);
  s[2] = (s[2] as number) ^ t;
  s[3] = ((s[3] as number) << 11) | ((s[3] as number) >>> 21);
  return s;
}

function oneStepMatrix(): Matrix {
  return Array.from({ length: 128 }, (_, bit) => {
    const unit = new Uint32Array(4);
    unit[bit >> 5] = 1 << (bit & 31);
    return step(unit);
  });
}

function apply(m: Matrix, v: Uint32Array): Uint32Array {
  const out = new Uint32Array(4);
  for (let bit = 0; bit < 128; bit++) {
    if (((v[bit >> 5] as number) >>> (bit & 31)) & 1) {
      const column = m[bit] as Uint32Array;
      for (let w = 0; w < 4; w++) out[w] = (out[w] as number) ^ (column[w] as number);
    }
  }
  return out;
}

/** m^(2^k) by k squarings. */
function matrixPower2(m: Matrix, k: number): Matrix {
  let power = m;
  for (let i = 0; i < k; i++) {
    const square = power;
    power = square.map((column) => apply(square, column));
  }
  return power;
}

describe("EventHeap", () => {
  it("property: when any schedule/move/cancel/delayTop sequence is applied then ids pop in (time, id) order (reference: a sorted list)", () => {
    const op = fc.record({
      kind: fc.constantFrom("schedule", "cancel", "pop", "delayTop"),
      id: fc.integer({ min: 0, max: 9 }),
      t: fc.integer({ min: 0, max: 50 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const heap = new EventHeap(10);
        const reference = new Map<number, number>();
        for (const { kind, id, t } of ops) {
          if (kind === "schedule") {
            heap.schedule(id, t);
            reference.set(id, t);
          } else if (kind === "cancel") {
            heap.cancel(id);
            reference.delete(id);
          } else if (kind === "delayTop") {
            // the earliest event moves t later (what an event that reschedules itself does)
            if (reference.size > 0) {
              const [topId, topTime] = [...reference].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0] as [number, number];
              expect(heap.peekId()).toBe(topId);
              heap.delayTop(topTime + t);
              reference.set(topId, topTime + t);
            }
          } else if (reference.size > 0) {
            const [expectedId] = [...reference].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0] as [number, number];
            expect(heap.pop()).toBe(expectedId);
            reference.delete(expectedId);
          }
          expect(heap.size).toBe(reference.size);
        }
      }),
    );
  });

  it("property: when untracked and fed new ids and delayTop moves then the root is the (time, id) minimum (reference: a sorted list); cancel and has refuse", () => {
    const op = fc.record({ id: fc.integer({ min: 0, max: 9 }), t: fc.integer({ min: 0, max: 50 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const heap = new EventHeap(10, false);
        const reference = new Map<number, number>();
        for (const { id, t } of ops) {
          if (!reference.has(id)) {
            heap.schedule(id, t);
            reference.set(id, t);
          } else {
            // an id already in: the earliest event moves t later instead
            const [topId, topTime] = [...reference].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0] as [number, number];
            heap.delayTop(topTime + t);
            reference.set(topId, topTime + t);
          }
          const [minId, minTime] = [...reference].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0] as [number, number];
          expect([heap.peekId(), heap.peekTime()]).toEqual([minId, minTime]);
          expect(heap.size).toBe(reference.size);
        }
      }),
    );
    const heap = new EventHeap(2, false);
    heap.schedule(0, 1);
    expect(() => heap.cancel(0)).toThrow(/tracked/);
    expect(() => heap.has(0)).toThrow(/tracked/);
  });
});
