/** The catalog's types: a formula entry, its parameters and its result. */

import type { ChainSolveOptions, Probability } from "../formulas/index.js";

export type ParamKind = "probability" | "probabilities" | "count" | "counts" | "time" | "rate" | "rates" | "number";

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  readonly meaning: string;
  /** expression used when the parameter is not given; absent: required (unless `optional`) */
  readonly default?: string;
  /** may be left out without a default (one of several alternatives) */
  readonly optional?: boolean;
  /** counts: the smallest allowed value */
  readonly min?: number;
  /** counts: the largest allowed value (default 2^53 − 1) */
  readonly max?: number;
  /** times: may be 0 */
  readonly allowZero?: boolean;
}

/** A parameter after evaluation: probabilities keep their exact complements. */
export type ParamValue = number | Probability | readonly Probability[] | readonly number[];
export type ResolvedParams = ReadonlyMap<string, ParamValue>;

/** What a formula's value is a probability *of*, which decides how it is shown. */
export type ValueKind = "availability" | "reliability" | "loss";

export interface FormulaResult extends Probability {
  /** −log10(unavailability), for availabilities */
  readonly nines?: number;
  /** unavailability × one year, hours, for availabilities */
  readonly downtimePerYearHours?: number;
  /** mean time to losing quorum from all-up, hours (availability.ctmc) */
  readonly mttf?: number;
  /** quorum losses per hour (the chain formulas) */
  readonly outagesPerHour?: number;
  /** P(quorum up and leader elected), with failover */
  readonly queue?: Probability;
  /** how the value was computed, when a formula has more than one way */
  readonly method?: string;
  /** further figures worth showing (attempts made, the article's claim, …) */
  readonly details?: Readonly<Record<string, number | readonly number[]>>;
}

export interface FormulaEntry {
  readonly id: string;
  readonly title: string;
  readonly kind: ValueKind;
  /** names of the value and its complement, e.g. availability / unavailability */
  readonly valueName: string;
  readonly complementName: string;
  readonly math: string;
  readonly params: readonly ParamSpec[];
  readonly assumptions: readonly string[];
  readonly source: string;
  /** for the article's formulas: its own wording and our reading of it */
  readonly article?: { readonly wording: string; readonly reading: string };
  /** `options.cache`: process chains solved before, for the chain formulas (owned by the caller) */
  readonly compute: (params: ResolvedParams, options?: ChainSolveOptions) => FormulaResult;
}
