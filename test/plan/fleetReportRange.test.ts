import { describe, expect, it } from "vitest";
import { fleetBrokerCounts } from "../../src/plan/reportData.js";

describe("the fleet chart's broker counts", () => {
  it("when the model has 12 brokers and RF 3 then 11 counts spread over 3…24 and the model's 12: a dozen", () => {
    // by hand: 3 + round(21·i/10) for i = 0…10 is 3 5 7 9 11 14 16 18 20 22 24 (round half up: 13.5 → 14)
    expect(fleetBrokerCounts(12, 3)).toEqual([3, 5, 7, 9, 11, 12, 14, 16, 18, 20, 22, 24]);
  });

  it("when the range is narrow then every count in it, from max(R, 3) to twice the brokers", () => {
    expect(fleetBrokerCounts(3, 3)).toEqual([3, 4, 5, 6]);
    expect(fleetBrokerCounts(2, 2)).toEqual([3, 4]);
    expect(fleetBrokerCounts(5, 5)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it("when the fleet is large then never more than 12 points, the model's own among them", () => {
    for (const brokers of [13, 60, 200]) {
      const xs = fleetBrokerCounts(brokers, 3);
      expect(xs.length).toBeLessThanOrEqual(12);
      expect(xs).toContain(brokers);
      expect(xs[0]).toBe(3);
      expect(xs[xs.length - 1]).toBe(2 * brokers);
    }
  });
});
