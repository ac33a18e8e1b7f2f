/**
 * Turning an evaluated {@link Quantity} into the kind of value a field expects, with
 * the messages users see when it is the wrong kind. Times come out in hours and rates
 * per hour (docs/design.md §2: a plain number for a time is hours, for a rate per hour).
 */
import { messageNumber } from "../common/numbers.js";
import type { Probability } from "../formulas/probability.js";
import { ExpressionError, type Quantity } from "./expression.js";
import { describeDimension, HOURS_PER_YEAR, isDimensionless, RATE, SECONDS_PER_HOUR, sameDimension, TIME } from "./units.js";

export interface Bounds {
  /** times and rates: may the value be 0? (default false for times, true for rates) */
  readonly allowZero?: boolean;
  /** counts: smallest allowed */
  readonly min?: number;
  /** counts: largest allowed (default 2^53 − 1, the largest whole number a double holds exactly) */
  readonly max?: number;
  /**
   * times and rates: skip the range check of {@link MIN_DURATION_HOURS} and
   * {@link MAX_DURATION_HOURS} (SLO thresholds, which only need to be finite)
   */
  readonly anyMagnitude?: boolean;
}

/**
 * The durations mqrel accepts (other than 0): from 1 ns to 10^12 years. Below and above
 * lie only typos and attacks (`mtbf: 1e-310` would make λ = ∞; `mtbf: 1e200, mttr:
 * 1e-200` would leave no digit of the unavailability), and within it every ratio and
 * product the formulas form — μ/λ, n·λ·horizon — stays far inside the double range.
 * Rates must lie between the reciprocals (or be 0).
 */
export const MIN_DURATION_HOURS = 1e-9 / SECONDS_PER_HOUR; // 1 ns
export const MAX_DURATION_HOURS = 1e12 * HOURS_PER_YEAR; // 10^12 years
const DURATION_RANGE = "between 1 ns and 1e12 years";
const RATE_RANGE = "between 1 / (1e12 years) and 1 / ns";
/** The values the range messages name, in hours and per hour (a shown value never crosses one). */
const DURATION_EDGES: readonly number[] = [MIN_DURATION_HOURS, MAX_DURATION_HOURS];
const RATE_EDGES: readonly number[] = [1 / MAX_DURATION_HOURS, 1 / MIN_DURATION_HOURS];

function show(q: Quantity): string {
  return isDimensionless(q.dimension) ? (q.literal ?? messageNumber(q.value)) : `${describeDimension(q.dimension)}`;
}

/**
 * A value as the user typed it when it was a literal ("150%", "1e-310", "-0"), else as
 * computed, with a unit — never rounded onto or across one of `edges`, the bounds the
 * message names (0.99999999 ns must not read as 2.77778e-13 h, which is more than 1 ns).
 */
function typed(q: Quantity, value: number, unit = "", edges: readonly number[] = []): string {
  const number = messageNumber(value, edges);
  if (q.literal === undefined) return `${number}${unit}`;
  if (Number(q.literal) === value) return `${q.literal}${unit}`;
  return `${q.literal}${unit !== "" ? ` (read as ${number}${unit})` : ""}`;
}

export function asProbability(q: Quantity): Probability {
  if (!isDimensionless(q.dimension)) {
    throw new ExpressionError(`expected a probability in [0, 1], got ${describeDimension(q.dimension)}`);
  }
  // The decimal text decides: 1.0000000000000001 rounds to the double 1, but its exact
  // complement is −1e-16, and it is not a probability.
  const complement = q.exactComplement ?? 1 - q.value;
  if (!(q.value >= 0 && q.value <= 1) || !(complement >= 0)) {
    const shown = q.literal ?? typed(q, q.value, "", [0, 1]);
    throw new ExpressionError(
      `expected a probability in [0, 1], got ${complement < 0 && q.value === 1 ? `${shown}, a value above 1` : shown}`,
    );
  }
  return { value: q.value, complement };
}

export function asHours(q: Quantity, bounds: Bounds = {}): number {
  let hours: number;
  if (isDimensionless(q.dimension)) hours = q.value;
  else if (sameDimension(q.dimension, TIME)) hours = q.value / SECONDS_PER_HOUR;
  else if (sameDimension(q.dimension, RATE)) {
    throw new ExpressionError(`expected a duration (e.g. 4 h, 30 min), got a rate; did you mean 1 / (…)?`);
  } else {
    // "1 m" reads as a metre: the one slip a unit system makes easy
    const metres = q.dimension.length === 1 && q.dimension.time === 0 && q.dimension.mass === 0 && q.dimension.data === 0;
    throw new ExpressionError(
      `expected a duration (e.g. 4 h, 30 min), got ${show(q)}${metres ? " (m is metres: write min for minutes)" : ""}`,
    );
  }
  const allowZero = bounds.allowZero ?? false;
  // −0 is negative here: 1 / −0 is −∞ (an election rate of −∞ from failover.time: -0)
  if (hours < 0 || Object.is(hours, -0) || (!allowZero && hours === 0)) {
    throw new ExpressionError(`expected a duration ${allowZero ? "≥ 0" : "> 0"}, got ${typed(q, hours, " h", [0])}`);
  }
  if (hours !== 0 && !bounds.anyMagnitude && !(hours >= MIN_DURATION_HOURS && hours <= MAX_DURATION_HOURS)) {
    throw new ExpressionError(
      `expected a duration ${DURATION_RANGE}${allowZero ? " (or 0)" : ""}, got ${typed(q, hours, " h", DURATION_EDGES)}`,
    );
  }
  return hours;
}

export function asRatePerHour(q: Quantity, bounds: Bounds = {}): number {
  let perHour: number;
  if (isDimensionless(q.dimension)) perHour = q.value;
  else if (sameDimension(q.dimension, RATE)) perHour = q.value * SECONDS_PER_HOUR;
  else if (sameDimension(q.dimension, TIME)) {
    throw new ExpressionError(`expected a rate (e.g. 2 / year, 0.5 / h), got a duration; did you mean 1 / (…)?`);
  } else throw new ExpressionError(`expected a rate (e.g. 2 / year, 0.5 / h), got ${show(q)}`);
  const allowZero = bounds.allowZero ?? true;
  if (perHour < 0 || Object.is(perHour, -0) || (!allowZero && perHour === 0)) {
    throw new ExpressionError(`expected a rate ${allowZero ? "≥ 0" : "> 0"}, got ${typed(q, perHour, " / h", [0])}`);
  }
  if (perHour !== 0 && !bounds.anyMagnitude && !(perHour >= 1 / MAX_DURATION_HOURS && perHour <= 1 / MIN_DURATION_HOURS)) {
    throw new ExpressionError(`expected a rate ${RATE_RANGE}${allowZero ? " (or 0)" : ""}, got ${typed(q, perHour, " / h", RATE_EDGES)}`);
  }
  return perHour;
}

export function asCount(q: Quantity, bounds: Bounds = {}): number {
  const min = bounds.min ?? 0;
  if (!isDimensionless(q.dimension)) throw new ExpressionError(`expected a whole number, got ${describeDimension(q.dimension)}`);
  if (!Number.isInteger(q.value)) throw new ExpressionError(`expected a whole number, got ${typed(q, q.value)}`);
  if (q.value < min) throw new ExpressionError(`expected a whole number ≥ ${min}, got ${typed(q, q.value, "", [min])}`);
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (q.value > max) {
    throw new ExpressionError(
      `expected a whole number ≤ ${max === Number.MAX_SAFE_INTEGER ? "2^53 − 1 (9007199254740991)" : max}, got ${typed(q, q.value, "", [max])}`,
    );
  }
  return q.value;
}

export function asNumber(q: Quantity, bounds: { readonly atLeast?: number } = {}): number {
  if (!isDimensionless(q.dimension)) throw new ExpressionError(`expected a plain number, got ${describeDimension(q.dimension)}`);
  if (bounds.atLeast !== undefined && q.value < bounds.atLeast) {
    throw new ExpressionError(`expected a number ≥ ${bounds.atLeast}, got ${typed(q, q.value, "", [bounds.atLeast])}`);
  }
  return q.value;
}

/**
 * Split a comma-separated list at its top-level commas (commas inside parentheses, as
 * in `min(1, 2)`, belong to a function call).
 */
export function splitList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}
