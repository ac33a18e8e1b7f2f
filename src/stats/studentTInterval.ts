import { studentTQuantile } from "./studentTQuantile.js";

/** What {@link studentTInterval} needs of a sample: a {@link RunningMoments} fits. */
export interface SampleMoments {
  readonly count: number;
  readonly mean: number;
  /** s/√n */
  readonly standardError: number;
}

/** A two-sided Student t confidence interval for a mean. */
export interface StudentTInterval {
  readonly low: number;
  readonly high: number;
  readonly halfWidth: number;
  readonly degreesOfFreedom: number;
}

/**
 * Student t confidence interval for the mean of i.i.d. normal-ish values, e.g. one value
 * per independent simulation run ("runs as independent replications").
 *
 *   x̄ ± t_{(1 + c)/2, n − 1} · s/√n
 *
 * Assumptions: n ≥ 2 independent, identically distributed values; exact coverage c for
 * normal values, asymptotically c otherwise (central limit theorem).
 * Source: W. S. Gosset ("Student"), "The probable error of a mean", Biometrika 6 (1908)
 * 1–25; the replication method: A. M. Law, Simulation Modeling and Analysis (5th ed.,
 * 2015), §9.4.1; Asmussen & Glynn, Stochastic Simulation (2007), §III.1.
 *
 * @throws RangeError when count is not a whole number ≥ 2, mean or standardError is not
 *   finite, standardError < 0, or confidence is not in (0, 1)
 * @example studentTInterval({ count: 10, mean: 5, standardError: 1 }) // low 2.737…, high 7.262…, halfWidth 2.262157162798205, degreesOfFreedom 9
 */
export function studentTInterval(moments: SampleMoments, confidence = 0.95): StudentTInterval {
  const n = moments.count;
  if (!Number.isSafeInteger(n) || n < 2) {
    throw new RangeError(`studentTInterval requires a whole count ≥ 2, got ${n}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`studentTInterval requires a confidence 0 < confidence < 1, got ${confidence}`);
  }
  const { mean, standardError } = moments;
  if (!Number.isFinite(mean)) throw new RangeError(`studentTInterval requires a finite mean, got ${mean}`);
  if (!(standardError >= 0 && standardError < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`studentTInterval requires a finite standard error ≥ 0, got ${standardError}`);
  }
  const degreesOfFreedom = n - 1;
  const halfWidth = studentTQuantile((1 + confidence) / 2, degreesOfFreedom) * standardError;
  return { low: mean - halfWidth, high: mean + halfWidth, halfWidth, degreesOfFreedom };
}
