import { expect } from "vitest";

/** Assert |actual − expected| ≤ rel·|expected| (and exact equality when expected is 0). */
export function expectRelativelyClose(actual: number, expected: number, rel: number, label = ""): void {
  if (expected === 0) {
    expect(actual, label).toBe(0);
    return;
  }
  const error = Math.abs(actual - expected) / Math.abs(expected);
  if (!(error <= rel)) {
    throw new Error(`${label} expected ${expected}, got ${actual}: relative error ${error} > ${rel}`);
  }
}
