import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventHeap } from "../../src/sim/heap.js";
import { jump, nextOpenUnit, nextUint32, RunStreams, seedState, streamForRun } from "../../src/sim/rng.js";

describe("xoshiro128**", () => {
  it("matches the reference C output from state {1, 2, 3, 4} (the rand_xoshiro crate's test vector)", () => {
    const state = new Uint32Array([1, 2, 3, 4]);
    const out = Array.from({ length: 10 }, () => nextUint32(state));
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
  });

  it("gives the same stream for the same seed and different streams for different seeds", () => {
    const a = seedState(42);
    const b = seedState(42);
    const c = seedState(43);
    const draw = (s: Uint32Array) => Array.from({ length: 8 }, () => nextUint32(s));
    expect(draw(a)).toEqual(draw(b));
    expect(draw(seedState(42))).not.toEqual(draw(c));
  });

  it("jumped streams do not overlap the original in their first 100000 outputs", () => {
    const base = seedState(7);
    const jumped = base.slice();
    jump(jumped);
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(nextUint32(base));
    let shared = 0;
    for (let i = 0; i < 1000; i++) if (seen.has(nextUint32(jumped))) shared++;
    // 1000 draws against 1e5 of 2^32 values: about 0.02 chance coincidences expected
    expect(shared).toBeLessThanOrEqual(2);
  });

  it("RunStreams hands out the same stream as jumping from the seed, in any order", () => {
    const streams = new RunStreams(5);
    for (const index of [0, 3, 4, 9, 2, 2, 7]) expect(streams.forRun(index)).toEqual(streamForRun(5, index));
  });

  it("draws uniforms in (0, 1) with mean 1/2 and variance 1/12 (within 5 standard errors, n = 1e6)", () => {
    const s = seedState(1);
    const n = 1_000_000;
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < n; i++) {
      const u = nextOpenUnit(s);
      expect(u > 0 && u < 1).toBe(true);
      sum += u;
      sum2 += u * u;
    }
    const mean = sum / n;
    const variance = sum2 / n - mean * mean;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
  });
});

describe("EventHeap", () => {
  it("property: pops ids in (time, id) order after any schedule/move/cancel sequence (reference: a sorted list)", () => {
    const op = fc.record({
      kind: fc.constantFrom("schedule", "cancel", "pop"),
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
});
