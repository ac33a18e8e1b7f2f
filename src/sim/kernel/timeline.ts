/**
 * Exact measures on a simulated timeline, for events too rare to count one message at a
 * time (a loss probability of 1e-8 would take ~1e10 simulated messages).
 *
 * A message published at t with an unflushed window w is lost when every replica holding
 * it crashes in (t, t + w]. For one replica with crash times c_1, c_2, … the bad publish
 * instants are ∪ [c − w, c); for q replicas the intersection of those sets; a correlated
 * crash at c makes [c − w, c) bad for all. With Poisson arrivals, the fraction of
 * messages lost equals the measure of the bad set divided by the horizon (PASTA), so the
 * share of lost messages is computed exactly from the crash timeline the run simulated.
 */
import { GrowableFloat64 } from "./growable.js";
import { nextOpenUnit, type RngState } from "./rng.js";

/** Poisson event times on [0, horizon) at `rate`. */
export function poissonTimes(rate: number, horizon: number, rng: RngState): Float64Array {
  const times = new GrowableFloat64();
  if (rate <= 0) return times.view();
  let t = -Math.log(nextOpenUnit(rng)) / rate;
  while (t < horizon) {
    times.push(t);
    t += -Math.log(nextOpenUnit(rng)) / rate;
  }
  return times.view();
}

/** Disjoint sorted intervals [start, end), flattened as [s0, e0, s1, e1, …]. */
export type Intervals = Float64Array;

/** Append [start, end) to sorted disjoint intervals, merging it with the last one if they touch. */
function appendMerged(out: GrowableFloat64, start: number, end: number): void {
  if (out.length > 0 && start <= (out.data[out.length - 1] as number)) {
    out.data[out.length - 1] = Math.max(out.data[out.length - 1] as number, end);
  } else {
    out.push(start);
    out.push(end);
  }
}

/** ∪ [c − before, c) for sorted times c, clipped to [0, horizon), overlapping ones merged. */
export function windowsBefore(times: ArrayLike<number>, before: number, horizon: number): Intervals {
  const out = new GrowableFloat64();
  for (let i = 0; i < times.length; i++) {
    const end = Math.min(times[i] as number, horizon);
    const start = Math.max(0, (times[i] as number) - before);
    if (end > start) appendMerged(out, start, end);
  }
  return out.view();
}

export function intersect(a: Intervals, b: Intervals): Intervals {
  const out = new GrowableFloat64();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i] as number, b[j] as number);
    const end = Math.min(a[i + 1] as number, b[j + 1] as number);
    if (start < end) {
      out.push(start);
      out.push(end);
    }
    if ((a[i + 1] as number) < (b[j + 1] as number)) i += 2;
    else j += 2;
  }
  return out.view();
}

export function union(a: Intervals, b: Intervals): Intervals {
  const out = new GrowableFloat64();
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let start: number;
    let end: number;
    if (j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number))) {
      start = a[i] as number;
      end = a[i + 1] as number;
      i += 2;
    } else {
      start = b[j] as number;
      end = b[j + 1] as number;
      j += 2;
    }
    appendMerged(out, start, end);
  }
  return out.view();
}

/** Total length of disjoint intervals. */
export function measure(intervals: Intervals): number {
  let total = 0;
  for (let i = 0; i < intervals.length; i += 2) total += (intervals[i + 1] as number) - (intervals[i] as number);
  return total;
}

/** Is t inside one of the sorted disjoint intervals? (binary search) */
export function contains(intervals: Intervals, t: number): boolean {
  let lo = 0;
  let hi = intervals.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t < (intervals[2 * mid] as number)) hi = mid - 1;
    else if (t >= (intervals[2 * mid + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
}

export interface LossTimeline {
  /** measure of publish instants whose message is lost */
  readonly lostMeasure: number;
  /** number of disjoint loss windows (episodes) */
  readonly episodes: number;
}

/**
 * The loss timeline of one run: q replicas with independent crash processes, correlated
 * crashes, and any extra all-replica crash times (a common cause that destroys the page
 * cache everywhere).
 */
export function lossTimeline(
  replicaCrashes: readonly Float64Array[],
  correlatedCrashes: ArrayLike<number>,
  windowLength: number,
  horizon: number,
): LossTimeline {
  if (windowLength <= 0) return { lostMeasure: 0, episodes: 0 };
  let bad: Intervals | undefined;
  for (const crashes of replicaCrashes) {
    const windows = windowsBefore(crashes, windowLength, horizon);
    bad = bad === undefined ? windows : intersect(bad, windows);
  }
  const all = union(bad ?? new Float64Array(0), windowsBefore(correlatedCrashes, windowLength, horizon));
  return { lostMeasure: measure(all), episodes: all.length / 2 };
}
