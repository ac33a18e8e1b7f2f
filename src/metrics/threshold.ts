/**
 * SLO thresholds, as written in a model's `slo:` block.
 *
 * Grammar (spaces optional):
 *
 *   threshold := operator value
 *   operator  := ">=" | ">" | "<=" | "<"          (also ≥ and ≤)
 *   value     := N "nines"                        availability and reliability metrics:
 *                                                 −log10(complement) compared with N
 *              | a probability                    "99.99%", "0.9999", "1e-9"
 *              | a duration                       cluster.mttf, cluster.downtime_per_year:
 *                                                 "10 years", "52 min", a plain number is hours
 *              | a rate                           cluster.outages_per_year: "0.5 / year",
 *                                                 a plain number is per year (the metric's unit)
 *              | a count                          fleet.partitions_unavailable: a plain number
 *
 * Which forms a metric accepts is its registry entry's `slo` grammar.
 *
 * Examples: `cluster.availability: ">= 99.99%"`, `cluster.availability: "> 4 nines"`,
 * `message.loss: "<= 1e-9"`, `cluster.mttf: ">= 10 years"`,
 * `cluster.downtime_per_year: "<= 1 h"`.
 */
import { messageNumber } from "../common/numbers.js";
import { asHours, asProbability, asRatePerHour } from "../expr/convert.js";
import { ExpressionError, evaluateExpression } from "../expr/expression.js";
import { HOURS_PER_YEAR, isDimensionless } from "../expr/units.js";
import type { SloGrammar } from "./registry.js";

export type Operator = ">=" | ">" | "<=" | "<";

export interface Threshold {
  readonly operator: Operator;
  /** as the user wrote it */
  readonly text: string;
  /** compare the metric's value with this (hours for durations, per year for rates) */
  readonly target: number;
  /** 1 − target, exact when the target was a decimal literal */
  readonly targetComplement?: number;
  /** "N nines": compare −log10(complement) with N instead */
  readonly nines?: number;
  /** a duration given as a plain number (read as hours), for the plain-number warning */
  readonly plainHours?: boolean;
}

// Anchored, with no two quantifiers competing for the same characters: linear in the
// length of the text (a pattern like /(.+?)\s*$/ backtracks quadratically on a long run
// of spaces).
const OPERATOR = /^(>=|<=|≥|≤|>|<)/;
const NINES = /^(\d+(?:\.\d+)?)\s*nines?$/i;

/** @throws ExpressionError with a message for the user */
export function parseThreshold(text: string, grammar: SloGrammar): Threshold {
  const trimmed = text.trim();
  const match = OPERATOR.exec(trimmed);
  const valueText = match ? trimmed.slice((match[1] as string).length).trim() : "";
  if (!match || valueText === "") {
    const shown = trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed;
    throw new ExpressionError(`expected an operator and a value, e.g. ">= 99.99%", "<= 1e-9", "> 4 nines", got "${shown}"`);
  }
  const operator = ({ "≥": ">=", "≤": "<=" } as Record<string, Operator>)[match[1] as string] ?? (match[1] as Operator);
  const nines = NINES.exec(valueText);
  if (nines) {
    if (grammar !== "availability-like") throw new ExpressionError(`"nines" apply to availability and reliability metrics only`);
    const count = Number(nines[1]);
    return { operator, text, target: 1 - 10 ** -count, targetComplement: 10 ** -count, nines: count };
  }
  const quantity = evaluateExpression(valueText);
  if (grammar === "duration") {
    const target = asHours(quantity, { allowZero: true, anyMagnitude: true });
    return { operator, text, target, ...(isDimensionless(quantity.dimension) && target !== 0 ? { plainHours: true } : {}) };
  }
  if (grammar === "rate-per-year") {
    const perYear = isDimensionless(quantity.dimension) ? quantity.value : asRatePerHour(quantity, { anyMagnitude: true }) * HOURS_PER_YEAR;
    if (perYear < 0) throw new ExpressionError(`expected a rate ≥ 0, got ${messageNumber(perYear, [0])} per year`);
    return { operator, text, target: perYear };
  }
  if (grammar === "count") {
    if (!isDimensionless(quantity.dimension) || !(quantity.value >= 0)) {
      throw new ExpressionError(`expected a plain number ≥ 0 (a count), got "${valueText}"`);
    }
    return { operator, text, target: quantity.value };
  }
  const probability = asProbability(quantity);
  return { operator, text, target: probability.value, targetComplement: probability.complement };
}

export interface ThresholdOutcome {
  readonly pass: boolean;
  /** how far inside (positive) or outside (negative) the threshold the value is, in the metric's unit */
  readonly margin: number;
}

/**
 * Compare a metric with a threshold. For probabilities near 1 the comparison is made
 * on the complements (A ≥ 0.9999 ⇔ U ≤ 1e-4), which are exact, not on values that
 * have been rounded near 1.
 */
export function compare(threshold: Threshold, value: number, complement: number | undefined): ThresholdOutcome {
  const { operator } = threshold;
  const upward = operator === ">=" || operator === ">";
  // A value that ties with the threshold (within TIE_TOLERANCE) has margin 0, not the
  // ±1e-22 of its rounding, which would read as a miss.
  const outcome = (left: number, right: number, op: Operator, margin: number) => ({
    pass: holds(op, left, right),
    margin: ties(left, right) ? 0 : margin,
  });
  if (threshold.nines !== undefined && complement !== undefined) {
    const nines = complement > 0 ? -Math.log10(complement) : Number.POSITIVE_INFINITY;
    return outcome(nines, threshold.nines, operator, upward ? nines - threshold.nines : threshold.nines - nines);
  }
  if (complement !== undefined && threshold.targetComplement !== undefined && threshold.target > 0.5) {
    // value ≥ t ⇔ complement ≤ 1 − t
    const margin = upward ? threshold.targetComplement - complement : complement - threshold.targetComplement;
    return outcome(complement, threshold.targetComplement, mirror(operator), margin);
  }
  return outcome(value, threshold.target, operator, upward ? value - threshold.target : threshold.target - value);
}

function mirror(operator: Operator): Operator {
  return ({ ">=": "<=", ">": "<", "<=": ">=", "<": ">" } as const)[operator];
}

/**
 * Values within this relative distance of a threshold are taken to be equal to it: a
 * double computation carries a few ulps of rounding, and 0.01³ comes out as
 * 1.0000000000000002e-6, which must still meet "≤ 1e-6". The same tolerance ties two
 * costs in `solve --minimize` and two timeouts given in different units.
 */
export const TIE_TOLERANCE = 1e-12;

/** Equal within {@link TIE_TOLERANCE}; an infinite value (MTTF with no failures, ∞ nines) ties with nothing. */
function ties(left: number, right: number): boolean {
  return (
    Number.isFinite(left) && Number.isFinite(right) && Math.abs(left - right) <= TIE_TOLERANCE * Math.max(Math.abs(left), Math.abs(right))
  );
}

function holds(operator: Operator, left: number, right: number): boolean {
  const tie = ties(left, right);
  switch (operator) {
    case ">=":
      return left >= right || tie;
    case ">":
      return left > right && !tie;
    case "<=":
      return left <= right || tie;
    case "<":
      return left < right && !tie;
  }
}
