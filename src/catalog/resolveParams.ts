/**
 * From `name=text` pairs (the `--param` options of `mqrel formula`) to the typed,
 * unit-converted parameters a catalog entry computes with.
 */

import { InputError } from "../common/errors.js";
import { closestName } from "../common/suggest.js";
import { asCount, asHours, asNumber, asProbability, asRatePerHour, splitList } from "../expr/convert.js";
import { ExpressionError, evaluateExpression, type Quantity } from "../expr/expression.js";
import { MAX_NODES } from "../formulas/index.js";
import type { FormulaEntry, ParamSpec, ParamValue, ResolvedParams } from "./types.js";

/** Parse `name=value` into its two halves. */
export function splitAssignment(text: string, what: string): [string, string] {
  const at = text.indexOf("=");
  if (at <= 0) throw new InputError(`expected name=value, got "${text}"`, { path: what });
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}

/** Longest `--set` value: a field's value, or a small mapping such as `{ rate: 0.1 / year, mttr: 2 h }`. */
const MAX_OVERRIDE_LENGTH = 10_000;

/** `--set path=value` options as overrides for the model loader. */
export function parseOverrides(texts: readonly string[]): { path: string; value: string }[] {
  return texts.map((text) => {
    const [path, value] = splitAssignment(text, "--set");
    if (text.length > MAX_OVERRIDE_LENGTH) {
      throw new InputError(`is ${text.length} characters long; the limit is ${MAX_OVERRIDE_LENGTH}`, {
        path: `--set ${path.slice(0, 60)}`,
      });
    }
    return { path, value };
  });
}

export function resolveParams(entry: FormulaEntry, given: readonly (readonly [string, string])[]): ResolvedParams {
  const known = new Map(entry.params.map((spec) => [spec.name, spec]));
  const texts = new Map<string, string>();
  for (const [name, text] of given) {
    if (!known.has(name)) {
      throw new InputError(
        `unknown parameter for ${entry.id}; its parameters are ${entry.params.map((s) => s.name).join(", ")}`,
        { path: `--param ${name}` },
        closestName(name, known.keys()),
      );
    }
    if (texts.has(name)) throw new InputError("given twice", { path: `--param ${name}` });
    texts.set(name, text);
  }
  const resolved = new Map<string, ParamValue>();
  for (const spec of entry.params) {
    const text = texts.get(spec.name) ?? spec.default;
    if (text === undefined) {
      if (spec.optional) continue;
      throw new InputError(`missing parameter: ${spec.meaning}`, { path: `--param ${spec.name}` });
    }
    resolved.set(
      spec.name,
      withPath(`--param ${spec.name}`, () => convertParam(spec, text)),
    );
  }
  return resolved;
}

/** Convert one parameter's text to its kind, throwing ExpressionError for the caller to place. */
export function convertParam(spec: ParamSpec, text: string): ParamValue {
  if (spec.kind === "probabilities") {
    const items = splitList(text);
    if (items.length === 0 || items.some((item) => item === "")) {
      throw new ExpressionError(
        `expected a comma-separated list of probabilities, got "${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`,
      );
    }
    if (items.length > MAX_NODES)
      throw new ExpressionError(`expected a list of at most ${MAX_NODES} entries (one per node), got ${items.length}`);
    return items.map((item) => asProbability(evaluateExpression(item)));
  }
  if (spec.kind === "rates" || spec.kind === "counts") {
    const items = splitList(text);
    if (items.length === 0 || items.some((item) => item === "")) {
      throw new ExpressionError(`expected a comma-separated list of ${spec.kind}, got "${text}"`);
    }
    return items.map((item) => {
      const quantity = evaluateExpression(item);
      return spec.kind === "rates"
        ? asRatePerHour(quantity, { allowZero: spec.allowZero ?? true })
        : asCount(quantity, { min: spec.min ?? 0 });
    });
  }
  return convertQuantity(spec, evaluateExpression(text));
}

export function convertQuantity(spec: ParamSpec, quantity: Quantity): ParamValue {
  switch (spec.kind) {
    case "probability":
    case "probabilities":
      return spec.kind === "probability" ? asProbability(quantity) : [asProbability(quantity)];
    case "count":
      return asCount(quantity, { min: spec.min ?? 0, ...(spec.max !== undefined ? { max: spec.max } : {}) });
    case "counts":
      return [asCount(quantity, { min: spec.min ?? 0, ...(spec.max !== undefined ? { max: spec.max } : {}) })];
    case "rates":
      return [asRatePerHour(quantity, { allowZero: spec.allowZero ?? true })];
    case "time":
      return asHours(quantity, { allowZero: spec.allowZero ?? false });
    case "rate":
      return asRatePerHour(quantity, { allowZero: spec.allowZero ?? true });
    case "number":
      return asNumber(quantity);
  }
}

/** Run `fn`, turning an ExpressionError into an InputError at `path`. */
export function withPath<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ExpressionError) throw new InputError(error.message, { path });
    throw error;
  }
}
