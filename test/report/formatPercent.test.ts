/**
 * formatPercent: as many decimals as the nines need, and never a rounding up to 100% of a
 * value whose complement is not 0. References by hand: 1 − 3e-4 is 99.97% with 2 + 2 decimals
 * (⌈−log10 3e-4⌉ + 1 = 5 → 99.97000%); 1 − 1e-15 needs 16 decimals, more than the 12 shown,
 * so the text is 99.999999999999% (twelve 9s), not 100.000000000000%.
 */
import { describe, expect, it } from "vitest";
import { formatPercent } from "../../src/report/format.js";

describe("formatPercent", () => {
  it("when the complement is 3e-4 then the nines show with one decimal to spare", () => {
    expect(formatPercent(1 - 3e-4, 3e-4)).toBe("99.97000%");
  });

  it("when the complement is below what 12 decimals show then it reads 99.999999999999%, never 100%", () => {
    expect(formatPercent(0.999999999999999, 1e-15)).toBe(`99.${"9".repeat(12)}%`);
    expect(formatPercent(1, 1e-300)).toBe(`99.${"9".repeat(12)}%`);
  });

  it("when the complement is exactly 0 then it reads 100%", () => {
    expect(formatPercent(1, 0)).toBe("100%");
  });
});
