import { RatioSums, type RatioSumsData } from "./ratioSums.js";

/**
 * Merge the ratio-estimator sums of two disjoint sets of cycles (e.g. two shards of runs).
 *
 *   count = a.count + b.count, and each of ΣY, Στ, ΣY², Στ², ΣYτ likewise a + b
 *
 * Nothing is lost: the merged sums are exactly the sums over the union, up to the one
 * rounding of each addition (none at all while the sums are exactly representable, e.g.
 * whole numbers below 2^53), so a sharded run combined in a fixed order gives the same
 * bits however it was sharded as long as the shards' sums are exact, and agrees to
 * rounding otherwise. Merging is commutative exactly and associative up to rounding.
 *
 * Assumptions: the two sets of cycles are disjoint.
 * Source: the sums are additive by definition; Asmussen & Glynn, Stochastic Simulation
 * (2007), §IV.4 for the estimator they feed ({@link ratioEstimate}).
 *
 * @throws RangeError when a count is not a whole number ≥ 0
 * @example mergeRatioSums(shardA, shardB) // a new RatioSums with the summed fields
 */
export function mergeRatioSums(a: RatioSumsData, b: RatioSumsData): RatioSums {
  for (const sums of [a, b]) {
    if (!Number.isSafeInteger(sums.count) || sums.count < 0) {
      throw new RangeError(`mergeRatioSums requires whole counts ≥ 0, got ${sums.count}`);
    }
  }
  return RatioSums.from({
    count: a.count + b.count,
    sumNumerator: a.sumNumerator + b.sumNumerator,
    sumDenominator: a.sumDenominator + b.sumDenominator,
    sumNumeratorSquared: a.sumNumeratorSquared + b.sumNumeratorSquared,
    sumDenominatorSquared: a.sumDenominatorSquared + b.sumDenominatorSquared,
    sumProduct: a.sumProduct + b.sumProduct,
  });
}
