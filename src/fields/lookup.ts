/**
 * Reading the field registry: the entry for a path of a model file (`cluster.node.failures.hardware.mttr`
 * finds `cluster.node.failures.*.mttr`), the keys allowed at a path, and every field as a
 * flat list in file order.
 *
 * Imports nothing of mqrel's but the registry.
 */
import { MODEL_FIELDS } from "./registry.js";
import type { CountSpec, FieldSpec } from "./spec.js";

/** One field of the registry, flattened: its pattern path (`*` for a key the user names). */
export interface FieldEntry {
  /** dotted, with `*` for record keys: `cluster.node.failures.*.mttr`, `params.*` */
  readonly path: string;
  readonly spec: FieldSpec;
  /** must be given when its block is (a record's `*` entry: never, a record may be empty) */
  readonly required: boolean;
  /** a model input (outside the identity, `slo` and `simulation` blocks) */
  readonly input: boolean;
}

/** Path segments as `--set` reads them: `params.x` and `slo.<metric id>` keep their dotted key whole. */
export function pathSegments(path: string): string[] {
  const dotted = path.split(".");
  return (dotted[0] === "slo" || dotted[0] === "params") && dotted.length > 2 ? [dotted[0], dotted.slice(1).join(".")] : dotted;
}

/**
 * The registry entry at a concrete path (segments, or a dotted path as `--set` reads it),
 * and whether it is a model input; a record's key and a list's index match any name or
 * position. Undefined for a path the model format does not have.
 */
export function fieldAt(path: string | readonly (string | number)[]): { spec: FieldSpec; input: boolean } | undefined {
  const segments = typeof path === "string" ? pathSegments(path) : path;
  let spec: FieldSpec = MODEL_FIELDS;
  let input = true;
  for (const segment of segments) {
    if (spec.kind === "block" || spec.kind === "record") input &&= spec.notInput !== true;
    // an included block (a site's cluster) has the fields of the top-level block it stands for
    if (spec.kind === "include") spec = MODEL_FIELDS.fields[spec.block];
    if (spec.kind === "block") {
      const key = String(segment);
      if (!Object.hasOwn(spec.fields, key)) return undefined;
      spec = spec.fields[key] as FieldSpec;
    } else if (spec.kind === "record") spec = spec.of;
    else if (spec.kind === "list" && /^\d+$/.test(String(segment))) spec = spec.of;
    else if (spec.kind === "count" && spec.list === true && /^\d+$/.test(String(segment))) spec = { ...(spec as CountSpec), list: false };
    // an explicit list of replica sets: a set is a list of broker ids, each a count from 0
    else if (spec.kind === "sets" && /^\d+$/.test(String(segment))) spec = { kind: "count", list: true, min: 0, description: spec.item };
    else return undefined;
  }
  return { spec, input };
}

/** The registry entry at a concrete path (see {@link fieldAt}). */
export function fieldSpec(path: string | readonly (string | number)[]): FieldSpec | undefined {
  return fieldAt(path)?.spec;
}

/**
 * The registry's value for a field the file leaves out: model-file text for a number or
 * a word, a boolean for a flag. Undefined where the field has no fixed default (it is
 * required, or its default depends on other fields: see its description).
 */
export function fieldDefault(path: string | readonly (string | number)[]): string | boolean | undefined {
  const spec = fieldSpec(path);
  return spec !== undefined && "default" in spec ? spec.default : undefined;
}

/** The field names allowed at a path (for "did you mean" hints); none where keys are the user's or the path is a value. */
export function knownKeysAt(path: readonly (string | number)[]): string[] {
  const spec = fieldSpec(path);
  if (spec?.kind === "include") return Object.keys(MODEL_FIELDS.fields[spec.block].fields);
  return spec?.kind === "block" ? Object.keys(spec.fields) : [];
}

function flatten(spec: FieldSpec, path: readonly string[], required: boolean, input: boolean, into: FieldEntry[]): void {
  if (path.length > 0) into.push({ path: path.join("."), spec, required, input });
  if (spec.kind === "block") {
    const inside = input && spec.notInput !== true;
    for (const [key, field] of Object.entries(spec.fields)) flatten(field, [...path, key], field.required === true, inside, into);
  } else if (spec.kind === "record") {
    flatten(spec.of, [...path, "*"], false, input && spec.notInput !== true, into);
  } else if (spec.kind === "list") {
    // an entry's fields, at `*` (its position); an included block's are listed once, at the top
    flatten(spec.of, [...path, "*"], false, input, into);
  }
}

/** Every field of the model format, blocks included, in file order (the manual's order). */
export const FIELDS: readonly FieldEntry[] = (() => {
  const entries: FieldEntry[] = [];
  flatten(MODEL_FIELDS, [], true, true, entries);
  return entries;
})();

/** A field that holds a number: a count, a probability or a quantity (maybe an expression). */
export function isNumeric(spec: FieldSpec): spec is Extract<FieldSpec, { kind: "count" | "probability" | "quantity" }> {
  return spec.kind === "count" || spec.kind === "probability" || spec.kind === "quantity";
}

/** Words that name a value rather than compute one (`quorum: majority`), over every field. */
export const NAMED_VALUES: ReadonlySet<string> = new Set(
  FIELDS.flatMap((entry) => (entry.spec.kind === "count" ? (entry.spec.words ?? []) : [])),
);
