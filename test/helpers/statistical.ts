/**
 * Statistical assertions for seeded simulations: an estimate within k = 4 standard errors of
 * an exact value, with a test that is sized to be able to fail (4·SE at most 10 % of the
 * value), and the seed in every failure message.
 */
import { expect } from "vitest";
import type { Estimate } from "../../src/sim/estimate/estimate.js";

/** Standard errors allowed between an estimate and the exact value. */
const K = 4;
/** Each test is sized so that 4·SE ≤ 10 % of the exact value: it would notice a 10 % error. */
const RESOLUTION = 0.1;

/** |value − exact| ≤ 4·SE, with 4·SE ≤ 10 % of the exact value. Says the seed when it fails. */
export function expectWithinStandardErrors(
  what: string,
  value: number | undefined,
  standardError: number | undefined,
  exact: number,
  seed: number,
): void {
  const context = `${what} (seed ${seed}): estimate ${value}, exact ${exact}, SE ${standardError}`;
  expect(Number.isFinite(value) && Number.isFinite(standardError) && (standardError as number) > 0, context).toBe(true);
  const se = standardError as number;
  expect(K * se, `${context}: 4·SE is more than ${RESOLUTION} of the exact value; the test could not fail`).toBeLessThanOrEqual(
    RESOLUTION * Math.abs(exact),
  );
  const z = ((value as number) - exact) / se;
  expect(Math.abs(z), `${context}: ${z.toFixed(2)} standard errors off`).toBeLessThanOrEqual(K);
}

/** The small complement of an availability-like estimate (unavailability, retry failure). */
export function expectComplement(what: string, estimate: Estimate | undefined, exact: number, seed: number) {
  expectWithinStandardErrors(what, estimate?.complement, estimate?.standardError, exact, seed);
}

export function expectValue(what: string, estimate: Estimate | undefined, exact: number, seed: number) {
  expectWithinStandardErrors(what, estimate?.estimate, estimate?.standardError, exact, seed);
}
