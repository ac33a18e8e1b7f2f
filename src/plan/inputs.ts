/**
 * What the planning commands know about each model field, read from the field registry
 * (src/fields/registry.ts): whether it is a count (searched over whole numbers,
 * perturbed by ±1), a probability, a continuous quantity, or a word (listed, never
 * perturbed); which way is the *least demanding* one (what `solve` looks for unless told
 * otherwise); and the default range of a count.
 *
 * Least demanding: the cheapest or laxest setting that still meets a target — the
 * fewest nodes, crews, replicas or attempts; the longest repair time, unflushed window,
 * replication lag or failure rate that can be lived with; the lowest MTBF or per-attempt
 * success that suffices; the tightest deadline.
 */
import { type Direction, fieldSpec, isNumeric } from "../fields/index.js";
import type { Override } from "../model/index.js";
import type { SourceFile } from "../model/load.js";
import { fieldText, modelLeaves } from "./fields.js";

export type InputKind = "count" | "probability" | "quantity" | "word";

export interface InputSpec {
  readonly path: string;
  readonly kind: InputKind;
  /** a probability usually near 1 (availability, per-attempt success): searched and perturbed on its complement */
  readonly nearOne?: boolean;
  /** which end `solve` looks for by default; absent where neither end is (a seed, a parameter, a word) */
  readonly leastDemanding?: Direction;
  /** the whole numbers a count may take, given the model's node count */
  readonly countRange?: (nodes: number) => readonly [number, number];
  /** a word field's words, in the registry's order */
  readonly words?: readonly string[];
}

/** The registry's planning facts for a field of the model format; undefined for a parameter or an unknown path. */
function knownSpec(path: string): InputSpec | undefined {
  if (path.startsWith("params.")) return undefined;
  const spec = fieldSpec(path);
  if (spec === undefined) return undefined;
  // a placement is swept and solved over its words (an explicit list is never planned over)
  if (spec.kind === "word" || spec.kind === "sets") return { path, kind: "word", words: spec.words };
  if (!isNumeric(spec) || (spec.kind === "count" && spec.list === true)) return undefined;
  return {
    path,
    kind: spec.kind,
    ...(spec.kind === "probability" && spec.nearOne === true ? { nearOne: true } : {}),
    ...(spec.leastDemanding !== undefined ? { leastDemanding: spec.leastDemanding } : {}),
    ...(spec.kind === "count" && spec.search !== undefined ? { countRange: spec.search } : {}),
  };
}

/**
 * What a field is. A parameter (`params.x`) takes the spec of a field that is exactly
 * `x` (the parameter is that field under another name); a parameter used only inside
 * larger expressions is a continuous quantity with no default direction, and a path the
 * model format does not have is unknown.
 */
export function inputSpec(source: SourceFile, overrides: readonly Override[], path: string): InputSpec | undefined {
  const known = knownSpec(path);
  if (known !== undefined) return known;
  if (path.startsWith("params.")) {
    const name = path.slice("params.".length);
    for (const leaf of modelLeaves(source, overrides)) {
      const spec = knownSpec(leaf.path);
      if (spec !== undefined && leaf.text.trim() === name) return { ...spec, path };
    }
    return { path, kind: "quantity" };
  }
  return undefined;
}

/** Is this field's text just the name of a parameter (an alias, `mttr: node_mttr`)? */
export function isParamAlias(source: SourceFile, overrides: readonly Override[], path: string): boolean {
  const text = fieldText(source, overrides, path)?.trim();
  return text !== undefined && fieldText(source, overrides, `params.${text}`) !== undefined;
}
