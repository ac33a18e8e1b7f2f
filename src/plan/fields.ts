/**
 * A model file's fields as the planning commands see them: the text of a field after
 * the `--set` overrides, the numeric leaves of the file, and the value of a field or a
 * parameter as a unit-carrying quantity (evaluated by the sandboxed evaluator, never
 * by `eval`).
 *
 * The model loader (src/model/resolve.ts) does the real validation; this module only
 * reads, so that a sweep or a cost expression can name any field by its dotted path.
 */
import { InputError } from "../common/errors.js";
import { closestName } from "../common/suggest.js";
import { ExpressionError, evaluateExpression, type NameResolver, type Quantity } from "../expr/expression.js";
import { DIMENSIONLESS, isDimensionless, RATE, SECONDS_PER_HOUR, sameDimension, TIME } from "../expr/units.js";
import { fieldAt, fieldSpec, isNumeric, NAMED_VALUES, pathSegments } from "../fields/index.js";
import type { Override } from "../model/index.js";
import type { SourceFile } from "../model/load.js";

/** Path segments as `--set` reads them (the field registry's reading, re-exported for the planning commands). */
export { pathSegments };

function rawAt(data: unknown, segments: readonly string[]): unknown {
  let node = data;
  for (const segment of segments) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/**
 * The text of a field as the model loader will read it: the last `--set` for that path,
 * else the file's own text (numbers as written, so that 0.999999999999999 keeps its
 * digits). Undefined when the field is absent or not a number or text.
 */
export function fieldText(source: SourceFile, overrides: readonly Override[], path: string): string | undefined {
  for (let i = overrides.length - 1; i >= 0; i--) {
    const override = overrides[i] as Override;
    if (override.path === path) return override.value;
  }
  const segments = pathSegments(path);
  const raw = rawAt(source.data, segments);
  if (typeof raw === "number") return source.numberText(segments) ?? String(raw);
  if (typeof raw === "string") return raw;
  return undefined;
}

/** Names in expressions: the model's params (after overrides), each evaluated once, cycles refused. */
export function paramResolver(source: SourceFile, overrides: readonly Override[]): NameResolver {
  const known = new Map<string, Quantity>();
  const evaluating: string[] = [];
  const resolver: NameResolver = (name) => {
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    const text = fieldText(source, overrides, `params.${name}`);
    if (text === undefined) return undefined;
    if (evaluating.includes(name))
      throw new ExpressionError(`parameters refer to each other in a cycle: ${[...evaluating, name].join(" → ")}`);
    evaluating.push(name);
    try {
      const value = evaluateExpression(text, resolver);
      known.set(name, value);
      return value;
    } finally {
      evaluating.pop();
    }
  };
  return resolver;
}

/**
 * The value of a field (or `params.<name>`) as a quantity with its unit.
 * @throws InputError when the field is absent or its text does not evaluate
 */
export function fieldQuantity(source: SourceFile, overrides: readonly Override[], path: string, where = path): Quantity {
  const text = fieldText(source, overrides, path) ?? quantityDefault(path);
  if (text === undefined) {
    // cluster.node.mttr on a model with failure modes: a field with the same last name
    // (cluster.node.failures.hardware.mttr) is a better hint than the nearest spelling
    const leaves = modelLeaves(source, overrides).map((leaf) => leaf.path);
    const last = path.slice(path.lastIndexOf(".") + 1);
    const prefix = path.slice(0, path.lastIndexOf(".") + 1);
    const sameName = leaves.find((leaf) => leaf.startsWith(prefix) && leaf.endsWith(`.${last}`));
    const near = sameName ?? closestName(path, leaves);
    throw new InputError(`the model has no numeric field ${path}`, { file: source.file, path: where }, near);
  }
  try {
    return evaluateExpression(text, paramResolver(source, overrides));
  } catch (error) {
    if (error instanceof ExpressionError) throw new InputError(`${path}: ${error.message}`, { file: source.file, path: where });
    throw error;
  }
}

/**
 * A quantity the file leaves out has the registry's default (`messages.writeback`: 30 s),
 * so that `solve` searches around the value the model runs with.
 */
function quantityDefault(path: string): string | undefined {
  const spec = fieldSpec(path);
  return spec?.kind === "quantity" ? spec.default : undefined;
}

/** The kinds of value a model field holds, by dimension. */
export type Dimensionality = "plain" | "time" | "rate";

export function dimensionality(q: Quantity): Dimensionality | undefined {
  if (isDimensionless(q.dimension)) return "plain";
  if (sameDimension(q.dimension, TIME)) return "time";
  if (sameDimension(q.dimension, RATE)) return "rate";
  return undefined;
}

/**
 * A quantity in mqrel's internal units: hours for times, per hour for rates, plain
 * numbers as they are.
 */
export function internalValue(q: Quantity): number {
  const kind = dimensionality(q);
  if (kind === "time") return q.value / SECONDS_PER_HOUR;
  if (kind === "rate") return q.value * SECONDS_PER_HOUR;
  return q.value;
}

/** The inverse of {@link internalValue}. */
export function quantityOf(value: number, kind: Dimensionality): Quantity {
  if (kind === "time") return { value: value * SECONDS_PER_HOUR, dimension: TIME };
  if (kind === "rate") return { value: value / SECONDS_PER_HOUR, dimension: RATE };
  return { value, dimension: DIMENSIONLESS };
}

/**
 * Text the model loader reads back as exactly this value: hours and per-hour rates
 * keep their unit (so that a param used as `node_mttr + 30 min` still adds up).
 */
export function textOf(value: number, kind: Dimensionality): string {
  const number = String(value);
  if (kind === "time") return `${number} h`;
  if (kind === "rate") return `${number} / h`;
  return number;
}

/**
 * 1 − q as an exact decimal literal ("0.9999999" for q = 1e-7), so that the model loader
 * recovers the complement q exactly (src/expr/decimal.ts) rather than 1 − (1 − q).
 */
export function complementText(q: number): string {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`complementText requires a probability in [0, 1], got ${q}`);
  if (q === 0) return "1";
  if (q === 1) return "0";
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(q));
  if (!match) throw new RangeError(`complementText cannot read ${q}`);
  const [, whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText) - fraction.length; // q = digits · 10^exponent, exponent < 0 as q < 1
  const digits = BigInt(`${whole}${fraction}`);
  const places = -exponent;
  const difference = 10n ** BigInt(places) - digits;
  const text = difference.toString().padStart(places, "0").replace(/0+$/, "");
  return `0.${text}`;
}

/** A numeric leaf of the model: its path and its text as the loader reads it. */
export interface ModelLeaf {
  readonly path: string;
  readonly text: string;
}

/**
 * Every numeric input of the model after the overrides: the leaves of its blocks
 * (numbers and expressions) and its params, in file order. What is numeric and what is
 * an input is the field registry's word: named values such as `quorum: majority` are not
 * numbers and are left out, as are the fields that choose a word (`loses`,
 * `messages.ack`, `messages.fsync`), flags, and the identity, `slo` and `simulation`
 * blocks.
 */
export function modelLeaves(source: SourceFile, overrides: readonly Override[]): ModelLeaf[] {
  const data = structuredClone(source.data) as Record<string, unknown>;
  for (const override of overrides) {
    const segments = pathSegments(override.path);
    let node: Record<string, unknown> = data;
    for (const [i, segment] of segments.slice(0, -1).entries()) {
      const next = node[segment];
      // a list of blocks (regions.sites) keeps its entries: the next segment is a position
      const intoList = Array.isArray(next) && /^\d+$/.test(segments[i + 1] as string);
      if (next === null || typeof next !== "object" || (Array.isArray(next) && !intoList)) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[segments[segments.length - 1] as string] = override.value;
  }
  const leaves: ModelLeaf[] = [];
  const walk = (node: unknown, path: string[]) => {
    // the entries of a list of blocks (regions.sites), by position; lists of numbers are one field
    if (Array.isArray(node) && fieldSpec(path)?.kind === "list") {
      for (const [i, entry] of node.entries()) walk(entry, [...path, String(i)]);
      return;
    }
    if (node !== null && typeof node === "object" && !Array.isArray(node)) {
      for (const [key, value] of Object.entries(node)) walk(value, [...path, key]);
      return;
    }
    if (typeof node !== "number" && typeof node !== "string") return;
    const field = fieldAt(path);
    if (field !== undefined && !(field.input && isNumeric(field.spec))) return;
    const dotted = path.join(".");
    const text = fieldText(source, overrides, dotted);
    if (text === undefined || NAMED_VALUES.has(text.trim())) return;
    leaves.push({ path: dotted, text });
  };
  walk(data, []);
  return leaves;
}
