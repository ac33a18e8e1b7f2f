/**
 * The formula registry: every formula mqrel knows, with its id (docs/design.md §2, fixed),
 * math, parameters, assumptions and source, and the glue from resolved parameters to
 * the pure functions in src/formulas. `mqrel formulas` prints this; `mqrel formula`
 * and the model evaluator compute through it.
 */

import { ARTICLE_ENTRIES } from "./article.js";
import { AVAILABILITY_ENTRIES } from "./availability.js";
import { clusterEntries } from "./cluster.js";
import { DURABILITY_ENTRIES } from "./durability.js";
import { messagePathEntries } from "./messagePath.js";
import { RETRY_ENTRIES } from "./retry.js";
import type { FormulaEntry } from "./types.js";

export { ARTICLE } from "./article.js";
export type { FormulaEntry, FormulaResult, ParamKind, ParamSpec, ParamValue, ResolvedParams, ValueKind } from "./types.js";

/** Every entry, in the order `mqrel formulas` lists them. */
export const CATALOG: readonly FormulaEntry[] = [
  ...ARTICLE_ENTRIES,
  ...AVAILABILITY_ENTRIES,
  ...DURABILITY_ENTRIES,
  ...RETRY_ENTRIES,
  ...clusterEntries(),
  ...messagePathEntries(),
];

const BY_ID: ReadonlyMap<string, FormulaEntry> = new Map(CATALOG.map((entry) => [entry.id, entry]));

export function findFormula(id: string): FormulaEntry | undefined {
  return BY_ID.get(id);
}

export function formulaIds(): string[] {
  return CATALOG.map((entry) => entry.id);
}
