/**
 * `--vary path=spec` and `--range path=spec`: the values a planning command gives a
 * field.
 *
 *   spec := from..to             whole numbers: every one (step 1); otherwise 10 steps,
 *                                geometric when to/from ≥ 100 (a span of two decades or
 *                                more), linear otherwise
 *         | from..to:step        additive: from, from + step, … up to to
 *         | from..to:*factor     geometric: from, from·factor, … up to to (factor > 1)
 *         | a,b,c                these values, as written (expressions and words such
 *                                as `majority` pass through to the model loader)
 *
 * from, to and step are expressions with units ("30 min..8 h:30 min", "1 / year..10 /
 * year"); they may use the model's params. Generated values are rounded to 12
 * significant digits, so that the text handed to the loader and the value reported are
 * the same number.
 */
import { InputError } from "../common/errors.js";
import { splitList } from "../expr/convert.js";
import { ExpressionError, evaluateExpression, type NameResolver, type Quantity } from "../expr/expression.js";
import { type Dimensionality, dimensionality, internalValue, textOf } from "./fields.js";

/** One value a field takes: the text the loader reads, and the number in internal units (or the word). */
export interface VariedValue {
  readonly text: string;
  /** hours for times, per hour for rates, plain otherwise; the text itself for words like `majority` */
  readonly value: number | string;
  /** 1 − value, exact, for probabilities searched on their complement */
  readonly complement?: number;
}

export interface Variation {
  readonly path: string;
  /** as the user wrote it, after `path=` */
  readonly spec: string;
  readonly kind: Dimensionality | "mixed";
  readonly values: readonly VariedValue[];
}

/** At most this many values for one field: a sweep beyond it is a mistake, not a plan. */
export const MAX_VALUES = 1000;

const RANGE = /^(.+?)\.\.(.+?)(?::\s*([*×]?)\s*(.+))?$/;

/** Split `path=spec`. */
export function splitPathSpec(text: string, flag: string): [string, string] {
  const at = text.indexOf("=");
  const path = text.slice(0, Math.max(0, at)).trim();
  const spec = text.slice(at + 1).trim();
  if (at <= 0 || path === "" || spec === "") {
    throw new InputError(`expected path=from..to[:step] or path=a,b,c, got "${text}"`, { path: flag });
  }
  if (!/^[A-Za-z_][\w]*(\.[\w.]+)*$/.test(path))
    throw new InputError(`expected a dotted field path like cluster.nodes, got "${path}"`, { path: flag });
  return [path, spec];
}

function evaluate(text: string, names: NameResolver, where: string): Quantity {
  try {
    return evaluateExpression(text.trim(), names);
  } catch (error) {
    if (error instanceof ExpressionError) throw new InputError(`"${text.trim()}": ${error.message}`, { path: where });
    throw error;
  }
}

/** 12 significant digits: 0.1 × 1.1 is 0.11, not 0.11000000000000001 */
export function round12(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * The values of `path=spec`.
 * @throws InputError for a malformed spec, mixed units, an empty or a too long range
 */
export function parseVariation(text: string, names: NameResolver, flag = "--vary"): Variation {
  const [path, spec] = splitPathSpec(text, flag);
  const where = `${flag} ${path}`;
  const range = RANGE.exec(spec);
  if (range === null) return listVariation(path, spec, names, where);
  const [, fromText = "", toText = "", geometricMark, stepText] = range;
  const from = evaluate(fromText, names, where);
  const to = evaluate(toText, names, where);
  const kind = dimensionality(from);
  if (kind === undefined || dimensionality(to) !== kind) {
    throw new InputError(`from and to must both be plain numbers, both durations or both rates`, { path: where });
  }
  const low = internalValue(from);
  const high = internalValue(to);
  if (!(low <= high)) throw new InputError(`from must not be above to (${fromText.trim()} > ${toText.trim()})`, { path: where });
  let values: number[];
  if (stepText !== undefined && geometricMark) {
    const factor = evaluate(stepText, names, where);
    if (dimensionality(factor) !== "plain" || !(factor.value > 1)) {
      throw new InputError(`a geometric step *factor needs a plain factor > 1, got ${stepText.trim()}`, { path: where });
    }
    if (!(low > 0)) throw new InputError(`a geometric range needs from > 0`, { path: where });
    values = geometric(low, high, factor.value, where);
  } else if (stepText !== undefined) {
    const step = evaluate(stepText, names, where);
    if (dimensionality(step) !== kind || !(internalValue(step) > 0)) {
      throw new InputError(`the step must be > 0 and of the same kind as from and to, got ${stepText.trim()}`, { path: where });
    }
    values = linear(low, high, internalValue(step), where);
  } else if (kind === "plain" && Number.isInteger(low) && Number.isInteger(high)) {
    values = linear(low, high, 1, where);
  } else if (low > 0 && high / low >= 100) {
    values = geometric(low, high, (high / low) ** (1 / 10), where);
  } else {
    values = low === high ? [low] : linear(low, high, (high - low) / 10, where);
  }
  return { path, spec, kind, values: values.map((v) => ({ text: textOf(v, kind), value: v })) };
}

function linear(low: number, high: number, step: number, where: string): number[] {
  const count = Math.floor((high - low) / step + 1e-9) + 1;
  if (count > MAX_VALUES) throw new InputError(`the range has ${count} values; at most ${MAX_VALUES}`, { path: where });
  return Array.from({ length: count }, (_, i) => round12(low + i * step));
}

function geometric(low: number, high: number, factor: number, where: string): number[] {
  const count = Math.floor(Math.log(high / low) / Math.log(factor) + 1e-9) + 1;
  if (count > MAX_VALUES) throw new InputError(`the range has ${count} values; at most ${MAX_VALUES}`, { path: where });
  return Array.from({ length: count }, (_, i) => round12(low * factor ** i));
}

function listVariation(path: string, spec: string, names: NameResolver, where: string): Variation {
  const items = splitList(spec);
  if (items.some((item) => item === "")) throw new InputError(`expected a comma-separated list of values, got "${spec}"`, { path: where });
  if (items.length > MAX_VALUES) throw new InputError(`the list has ${items.length} values; at most ${MAX_VALUES}`, { path: where });
  const kinds = new Set<Dimensionality | "word">();
  const values = items.map((item): VariedValue => {
    if (/^[A-Za-z_]\w*$/.test(item) && names(item) === undefined && !isExpressionWord(item)) {
      // a word the loader gives a meaning to (quorum: majority); the loader judges it
      kinds.add("word");
      return { text: item, value: item };
    }
    const quantity = evaluate(item, names, where);
    const kind = dimensionality(quantity);
    if (kind === undefined) throw new InputError(`"${item}" is neither a plain number, a duration nor a rate`, { path: where });
    kinds.add(kind);
    return { text: item, value: internalValue(quantity) };
  });
  const [only] = kinds;
  const kind = kinds.size === 1 && only !== "word" && only !== undefined ? only : "mixed";
  return { path, spec, kind, values };
}

/** A bare word the evaluator knows (a unit, a constant such as pi). */
function isExpressionWord(word: string): boolean {
  try {
    evaluateExpression(word);
    return true;
  } catch {
    return false;
  }
}
