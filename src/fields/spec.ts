/**
 * The shapes of a field registry entry (see registry.ts): what kind of value a model
 * field holds, how it is checked, which way planning searches it, and what the manual
 * says about it. Types only, plus {@link RawOf}, the parsed file's type derived from the
 * registry at compile time.
 *
 * Imports nothing of mqrel's.
 */

/** Which end of a field `solve` looks for by default: the cheapest or laxest that still meets a target. */
export type Direction = "min" | "max";

/**
 * What a quantity measures: a time (read in hours), a rate (per hour), a plain number,
 * or anything an expression gives (a parameter).
 */
export type Dimension = "time" | "rate" | "dimensionless" | "any";

interface About {
  /** one line for the manual and the JSON Schema */
  readonly description: string;
  /** must be given inside its block (default: optional) */
  readonly required?: boolean;
}

/** A whole number, given as a number or an expression. */
export interface CountSpec extends About {
  readonly kind: "count";
  /** smallest allowed */
  readonly min: number;
  /**
   * largest allowed; with a noun, refused as "expected at most 1000 nodes, got …", else
   * as a whole number out of range
   */
  readonly max?: { readonly value: number; readonly noun?: string };
  /** words that name a value (`quorum: majority`) */
  readonly words?: readonly string[];
  /** a list of counts (`zones.placement: [2, 2, 1]`) */
  readonly list?: boolean;
  /** the value when the field is left out, as a model file would write it (`majority`) */
  readonly default?: string;
  /** the whole numbers `solve` searches by default, given the model's node count */
  readonly search?: (nodes: number) => readonly [number, number];
  readonly leastDemanding?: Direction;
}

/** A probability in [0, 1]. */
export interface ProbabilitySpec extends About {
  readonly kind: "probability";
  /** usually near 1 (availability, per-attempt success): searched and perturbed on its complement */
  readonly nearOne?: boolean;
  readonly leastDemanding?: Direction;
}

/** A number with a dimension: a time, a rate or a plain number. */
export interface QuantitySpec extends About {
  readonly kind: "quantity";
  readonly dimension: Dimension;
  /** times and rates: the unit a person usually writes it in (the plain-number warning's hint) */
  readonly unit?: string;
  /** the value when the field is left out, as a model file would write it (`30 s`) */
  readonly default?: string;
  /** times and rates: may it be 0? (default: no for times, yes for rates) */
  readonly zero?: boolean;
  /** plain numbers: the smallest allowed */
  readonly atLeast?: number;
  /** plain numbers: the range allowed, and why */
  readonly between?: { readonly low: number; readonly high: number; readonly why: string };
  readonly leastDemanding?: Direction;
}

/** One of a few words (an enum). */
export interface WordSpec extends About {
  readonly kind: "word";
  readonly words: readonly [string, ...string[]];
  /** the word when the field is left out */
  readonly default?: string;
}

/**
 * One of a few words, or an explicit list of lists of whole numbers (`fleet.placement`:
 * `kafka`, or `[[0, 1, 2], [1, 2, 3]]`, each inner list a partition's replica set).
 */
export interface SetsSpec extends About {
  readonly kind: "sets";
  readonly words: readonly [string, ...string[]];
  /** the word when the field is left out */
  readonly default?: string;
  /** what one inner list is, for messages and the manual: "a list of broker ids from 0" */
  readonly item: string;
}

/** true or false. */
export interface FlagSpec extends About {
  readonly kind: "flag";
  /** the value when the field is left out */
  readonly default?: boolean;
  /** accepted by the schema only to be refused with this reason (any value) */
  readonly refused?: string;
}

/** Free text. */
export interface TextSpec extends About {
  readonly kind: "text";
  readonly minLength?: number;
  readonly maxLength?: number;
}

/** The format version: exactly this number. */
export interface VersionSpec extends About {
  readonly kind: "version";
  readonly value: 1;
}

/** An SLO threshold (">= 99.99%", "<= 1e-8"): read by src/metrics/threshold.ts. */
export interface ThresholdSpec extends About {
  readonly kind: "threshold";
}

/** A mapping of named fields; unknown keys are errors. */
export interface BlockSpec extends About {
  readonly kind: "block";
  readonly fields: { readonly [key: string]: FieldSpec };
  /** holds no model inputs (identity, thresholds, simulator settings): not perturbed by `sensitivity` */
  readonly notInput?: boolean;
}

/** A mapping whose keys the user names (`params`, `slo`, `node.failures`); `*` in a path. */
export interface RecordSpec extends About {
  readonly kind: "record";
  /** what a key is, for the manual: "a parameter name" */
  readonly key: string;
  readonly of: FieldSpec;
  readonly notInput?: boolean;
}

/**
 * A list of blocks (`regions.sites`): each entry has the fields of `of`; in paths an
 * entry is its position from 0 (`regions.sites.1.outage.rate`), `*` in the manual.
 */
export interface ListSpec extends About {
  readonly kind: "list";
  readonly of: BlockSpec;
  /** what one entry is, for messages and the manual: "a site" */
  readonly item: string;
}

/**
 * A top-level block given again inline, or as the path of a model file whose block of
 * that name is taken (`regions.sites.*.cluster`: a cluster block, or `eu.yaml`). Inside,
 * its fields are the top-level block's (`regions.sites.0.cluster.nodes` is a
 * `cluster.nodes`).
 */
export interface IncludeSpec extends About {
  readonly kind: "include";
  /** the top-level block it stands for */
  readonly block: "cluster";
}

export type FieldSpec =
  | ListSpec
  | IncludeSpec
  | CountSpec
  | ProbabilitySpec
  | QuantitySpec
  | WordSpec
  | SetsSpec
  | FlagSpec
  | TextSpec
  | VersionSpec
  | ThresholdSpec
  | BlockSpec
  | RecordSpec;

export type FieldKind = FieldSpec["kind"];

/** A value that may be an expression: a number, or text such as "4 h" or "node_mttr * 2". */
export type RawExpr = number | string;

type RequiredKeys<F> = { [K in keyof F]: F[K] extends { readonly required: true } ? K : never }[keyof F];
type Flatten<T> = { [K in keyof T]: T[K] };

/** The parsed file's type for a registry entry: what the zod schema built from it accepts. */
export type RawOf<F> = F extends { readonly kind: "list"; readonly of: infer B }
  ? RawOf<B>[]
  : F extends { readonly kind: "include" }
    ? string | Record<string, unknown>
    : F extends { readonly kind: "block"; readonly fields: infer C }
      ? Flatten<{ -readonly [K in RequiredKeys<C>]: RawOf<C[K]> } & { -readonly [K in Exclude<keyof C, RequiredKeys<C>>]?: RawOf<C[K]> }>
      : F extends { readonly kind: "record"; readonly of: infer V }
        ? Record<string, RawOf<V>>
        : F extends { readonly kind: "sets"; readonly words: readonly (infer W)[] }
          ? W | RawExpr[][]
          : F extends { readonly kind: "word"; readonly words: readonly (infer W)[] }
            ? W
            : F extends { readonly kind: "flag"; readonly refused: string }
              ? unknown
              : F extends { readonly kind: "flag" }
                ? boolean
                : F extends { readonly kind: "text" }
                  ? string
                  : F extends { readonly kind: "version"; readonly value: infer V }
                    ? V
                    : F extends { readonly kind: "count"; readonly list: true }
                      ? RawExpr[]
                      : RawExpr;
