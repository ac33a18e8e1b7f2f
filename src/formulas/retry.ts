import { MAX_ATTEMPTS } from "./limits.js";
import { complementOf, type Probability, powerOf } from "./probability.js";

/**
 * Retry fault tolerance: the operation succeeds if any of n independent attempts does.
 *
 *   FT = 1 − (1 − p)^n,   failure = (1 − p)^n
 *
 * n counts *every* attempt, the first one included: with n = 1 the formula gives p. (The
 * article calls n the "retry count"; Kafka's `retries` counts resends, so Kafka's n is
 * retries + 1.) The failure probability is a power of the per-attempt failure
 * probability, taken from its own digits; the success probability is
 * −expm1(n·log1p(−p)) when the failure probability is large.
 *
 * Assumptions: attempts fail independently with the same probability (no outage that
 * makes every attempt in a row fail; see `retryWithinDeadline` and the simulator).
 * Source: message-queue-ha article §3.3.2 (容错性 = 1 − P_失败 = 1 − (1 − P_成功)^n).
 *
 * @throws when attempts is not a whole number ≥ 1
 * @example retryFaultTolerance({value: 0.9, complement: 0.1}, 3) // value 0.999, complement 1e-3
 */
export function retryFaultTolerance(success: Probability, attempts: number): Probability {
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`retryFaultTolerance requires a whole number of attempts ≥ 1, got ${attempts}`);
  }
  const allFail = powerOf(complementOf(success), attempts, "retryFaultTolerance");
  return { value: allFail.complement, complement: allFail.value };
}

export interface RetrySchedule {
  /** most attempts the client makes */
  readonly attempts: number;
  /** how long one attempt waits before it is given up */
  readonly timeout: number;
  /** backoff before the second attempt */
  readonly backoffInitial: number;
  /** factor between successive backoffs (≥ 1) */
  readonly backoffMultiplier: number;
  /** cap on one backoff */
  readonly backoffMax: number;
  /** no attempt starts at or after this time (measured from the first attempt) */
  readonly deadline: number;
}

export interface RetryDeadlineResult extends Probability {
  /** m: attempts that start before the deadline (at most `attempts`) */
  readonly attemptsMade: number;
  /** s_1..s_m: start times of those attempts */
  readonly startTimes: readonly number[];
}

/**
 * Start times of attempts closer to the deadline than this share of the deadline are
 * treated as *at* the deadline. Schedules built from decimal timeouts and backoffs
 * (0.1 + 0.2 …) carry rounding errors of a few ulps; without this a start that is
 * exactly at the deadline on paper could slip before it. The simulator's retry clients
 * use the same (src/sim/kernel/plainRun.ts; it may not import the formulas it checks).
 */
const DEADLINE_RELATIVE_TOLERANCE = 1e-12;

/**
 * Retry success within a deadline, for a client with timeouts and exponential backoff.
 *
 *   s_1 = 0,   s_(i+1) = s_i + timeout + min(initial · multiplier^(i−1), max)
 *   m   = #{ i ≤ attempts : s_i < deadline }
 *   FT  = 1 − (1 − p)^m
 *
 * Assumptions: as `retryFaultTolerance` (independent attempts), and a failed attempt is
 * only noticed when its timeout expires (the worst case for the schedule).
 * Units: any time unit, the same for every duration.
 * Source: mqrel docs/design.md §2 (retry.deadline); the schedule follows Kafka's producer
 * (retry.backoff.ms, retry.backoff.max.ms, delivery.timeout.ms; message-queues.md §2.6),
 * without jitter.
 *
 * @throws when a duration is negative, the deadline is not positive, the multiplier is
 * below 1, or attempts is not a whole number in 1..{@link MAX_ATTEMPTS}
 * @example retryWithinDeadline({value: 0.9, complement: 0.1}, {attempts: 5, timeout: 2, backoffInitial: 0.1, backoffMultiplier: 2, backoffMax: 10, deadline: 5})
 *          // starts 0, 2.1, 4.3 → m = 3, value 0.999
 */
export function retryWithinDeadline(success: Probability, schedule: RetrySchedule): RetryDeadlineResult {
  const { attempts, timeout, backoffInitial, backoffMultiplier, backoffMax, deadline } = schedule;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_ATTEMPTS) {
    throw new RangeError(`retryWithinDeadline requires a whole number of attempts in 1..${MAX_ATTEMPTS}, got ${attempts}`);
  }
  for (const [name, value] of [
    ["timeout", timeout],
    ["backoff_initial", backoffInitial],
    ["backoff_max", backoffMax],
  ] as const) {
    if (!(value >= 0) || Number.isNaN(value)) {
      throw new RangeError(`retryWithinDeadline requires ${name} ≥ 0, got ${value}`);
    }
  }
  if (!(backoffMultiplier >= 1) || !Number.isFinite(backoffMultiplier)) {
    throw new RangeError(`retryWithinDeadline requires backoff_multiplier ≥ 1, got ${backoffMultiplier}`);
  }
  if (!(deadline > 0) || !Number.isFinite(deadline)) {
    throw new RangeError(`retryWithinDeadline requires a deadline > 0, got ${deadline}`);
  }
  const startTimes = attemptStartTimes(schedule);
  const result = retryFaultTolerance(success, startTimes.length);
  return { ...result, attemptsMade: startTimes.length, startTimes };
}

/** s_1..s_m of `retryWithinDeadline` (see there). */
export function attemptStartTimes(schedule: RetrySchedule): number[] {
  const cutoff = schedule.deadline * (1 - DEADLINE_RELATIVE_TOLERANCE);
  const starts: number[] = [];
  let start = 0;
  let backoff = schedule.backoffInitial;
  while (starts.length < schedule.attempts && start < cutoff) {
    starts.push(start);
    start += schedule.timeout + Math.min(backoff, schedule.backoffMax);
    backoff *= schedule.backoffMultiplier;
  }
  return starts;
}
