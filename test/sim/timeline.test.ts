import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contains, intersect, lossTimeline, measure, union, windowsBefore } from "../../src/sim/kernel/timeline.js";

/** Reference: is t bad? Every replica has a crash in (t, t + w], or a correlated crash does. */
function badAt(t: number, replicas: number[][], correlated: number[], w: number): boolean {
  const hit = (crashes: number[]) => crashes.some((c) => c > t && c <= t + w);
  return replicas.every(hit) || hit(correlated);
}

describe("loss timeline", () => {
  it("property: the measured bad set equals a fine grid count of bad publish instants", () => {
    const times = fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 15 }).map((xs) => [...new Set(xs)].sort((a, b) => a - b));
    fc.assert(
      fc.property(fc.array(times, { minLength: 1, maxLength: 3 }), times, fc.integer({ min: 1, max: 60 }), (replicas, correlated, w) => {
        const horizon = 1000;
        const result = lossTimeline(
          replicas.map((r) => Float64Array.from(r)),
          Float64Array.from(correlated),
          w,
          horizon,
        );
        // midpoints of a grid of step 0.5: crash times are integers, so each cell is all bad or all good
        let grid = 0;
        for (let t = 0.25; t < horizon; t += 0.5) if (badAt(t, replicas, correlated, w)) grid += 0.5;
        expect(result.lostMeasure).toBeCloseTo(grid, 9);
      }),
    );
  });

  it("has no loss with a zero window", () => {
    expect(lossTimeline([Float64Array.from([5])], Float64Array.from([6]), 0, 10)).toEqual({ lostMeasure: 0, episodes: 0 });
  });

  it("intersects, unites, measures and searches intervals", () => {
    const a = Float64Array.from([0, 2, 5, 8]);
    const b = Float64Array.from([1, 6, 7, 9]);
    expect([...intersect(a, b)]).toEqual([1, 2, 5, 6, 7, 8]);
    expect([...union(a, b)]).toEqual([0, 9]);
    expect(measure(a)).toBe(5);
    expect(contains(a, 5)).toBe(true);
    expect(contains(a, 8)).toBe(false);
    expect(contains(a, 3)).toBe(false);
    expect([...windowsBefore([3, 4, 10], 2, 9)]).toEqual([1, 4, 8, 9]);
  });
});
