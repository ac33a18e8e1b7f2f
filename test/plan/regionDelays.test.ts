/**
 * The region chart's failover delays (src/plan/reportData.ts failoverDelays): 13 points
 * evenly spread on a log scale from min(1 min, after/4) to max(24 h, 4 × after), and the
 * model's own delay. Reference: the geometric grid written out by hand.
 */
import { describe, expect, it } from "vitest";
import { failoverDelays } from "../../src/plan/reportData.js";

describe("failoverDelays", () => {
  it("when after is 30 min then the grid runs from 1 min to 24 h in twelve equal ratios, with 30 min added", () => {
    const xs = failoverDelays(0.5);
    // 1 min × (1440)^(i/12): 1 min, 1.833 min, …, 24 h; 30 min is not on it
    const grid = Array.from({ length: 13 }, (_, i) => (1 / 60) * 1440 ** (i / 12));
    expect(xs).toHaveLength(14);
    expect(xs).toContain(0.5);
    const onGrid = xs.filter((x) => x !== 0.5);
    for (const [i, x] of onGrid.entries()) expect(Math.abs(x - (grid[i] as number))).toBeLessThanOrEqual(1e-11 * (grid[i] as number));
    for (let i = 1; i < xs.length; i++) expect(xs[i] as number).toBeGreaterThan(xs[i - 1] as number);
  });

  it("when after is 0 (instant failover) then the grid still starts at 1 min and holds no zero (a log scale)", () => {
    const xs = failoverDelays(0);
    expect(xs).toHaveLength(13);
    expect(xs[0]).toBeCloseTo(1 / 60, 12);
    expect(xs[12]).toBeCloseTo(24, 10);
  });

  it("when after is longer than 6 h then the grid reaches 4 × after and starts at 1 min", () => {
    const xs = failoverDelays(10);
    expect(xs[0]).toBeCloseTo(1 / 60, 12);
    expect(xs[xs.length - 1]).toBeCloseTo(40, 10);
    expect(xs).toContain(10);
  });
});
