/**
 * Exact summation of doubles: the running sum is kept as a non-overlapping expansion
 * (a few doubles whose exact sum is the exact sum of everything added), and read out
 * correctly rounded.
 *
 *   add(x):  for each partial y: hi = x + y, lo = the rounding error of that addition
 *            (TwoSum, exact); keep lo if non-zero; carry hi        (Shewchuk 1997)
 *   value(): the partials summed from the largest down, with the round-half-even
 *            correction of the last step, so the result is the double nearest to the
 *            exact sum                                                 (CPython fsum)
 *
 * Because the sum is exact, the result does not depend on the order in which values are
 * added or accumulators merged: runs folded in any order, on any number of workers or
 * machine shards, give the same bits. That is what makes `--workers` and
 * `--shard i/N` + `merge` reproducible.
 *
 * Source: J. R. Shewchuk, "Adaptive Precision Floating-Point Arithmetic and Fast Robust
 * Geometric Predicates", Discrete & Computational Geometry 18 (1997), §2 (Grow-Expansion
 * with zero elimination); the final rounding follows CPython's math.fsum
 * (Modules/mathmodule.c, msum by R. Hettinger).
 *
 * Assumptions: every value added is finite and no partial sum overflows (|Σ| < 2^1023).
 * Cost: O(p) per add for p partials; p stays at 1–4 for the sums a simulation makes.
 */
export class ExactSum {
  private partials: number[] = [];

  /** @throws when x is not finite */
  add(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`ExactSum requires finite values, got ${x}`);
    // adding 0 leaves the exact sum as it is (most of a run's record is 0 in most models)
    if (x === 0) return;
    const partials = this.partials;
    let kept = 0;
    for (let i = 0; i < partials.length; i++) {
      let y = partials[i] as number;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[kept++] = lo;
      x = hi;
    }
    partials.length = kept;
    partials.push(x);
  }

  /** Add everything another accumulator holds (exactly). */
  merge(other: ExactSum): void {
    for (const partial of other.partials) this.add(partial);
  }

  /** The double nearest to the exact sum. */
  value(): number {
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n] as number;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n] as number;
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // Round half to even across the remaining partials: if the next partial has the same
    // sign as lo, the exact sum lies beyond the halfway point.
    if (n > 0 && ((lo < 0 && (p[n - 1] as number) < 0) || (lo > 0 && (p[n - 1] as number) > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
    return hi;
  }

  /** The partials, exactly (for saving a shard's sums and merging them elsewhere). */
  toJSON(): number[] {
    return [...this.partials];
  }

  /** @throws when the partials are not finite numbers */
  static fromJSON(partials: readonly number[]): ExactSum {
    const sum = new ExactSum();
    for (const partial of partials) sum.add(partial);
    return sum;
  }
}
