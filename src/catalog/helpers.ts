/**
 * What the families' entries share: reading resolved parameters, an availability with its
 * nines and downtime, and a solver's limit (RangeError) turned into bad input.
 */

import { InputError } from "../common/errors.js";
import { complementOf, type Probability } from "../formulas/index.js";
import { downtimeHoursPerYear, nines } from "../metrics/nines.js";
import type { FormulaResult, ParamSpec, ParamValue, ResolvedParams } from "./types.js";

/** An availability with the figures people read it by: nines and downtime per year. */
export function asAvailability({ value, complement }: Probability): FormulaResult {
  return { value, complement, nines: nines(complement), downtimePerYearHours: downtimeHoursPerYear(complement) };
}

export function get<T extends ParamValue>(params: ResolvedParams, name: string): T {
  const value = params.get(name);
  if (value === undefined) throw new InputError(`missing parameter`, { path: name });
  return value as T;
}

export function list(params: ResolvedParams, name: string): readonly Probability[] {
  const value = params.get(name);
  if (value === undefined) throw new InputError(`missing parameter`, { path: name });
  return Array.isArray(value) ? (value as readonly Probability[]) : [value as Probability];
}

/** Node availabilities for k-of-n and series: from `a` or from `u` (complements), never both. */
export function availabilities(params: ResolvedParams, count?: number): readonly Probability[] {
  const hasA = params.has("a");
  const hasU = params.has("u");
  if (hasA === hasU) {
    throw new InputError(hasA ? "give a or u, not both" : "give a (availabilities) or u (unavailabilities)", { path: "a" });
  }
  const values = hasA ? list(params, "a") : list(params, "u").map(complementOf);
  if (count === undefined || values.length === count) return values;
  if (values.length === 1) return Array.from({ length: count }, () => values[0] as Probability);
  throw new InputError(`has ${values.length} entries but n is ${count}; give one value or n values`, {
    path: hasA ? "a" : "u",
  });
}

export const p = (name: string, meaning: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name,
  kind: "probability",
  meaning,
  ...extra,
});

export function numbers(params: ResolvedParams, name: string): readonly number[] | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  return typeof value === "number" ? [value] : (value as readonly number[]);
}

export function solving<T>(compute: () => T, path: string): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RangeError) throw new InputError(error.message, { path });
    throw error;
  }
}
