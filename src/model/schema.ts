/**
 * The shape of a model file (docs/design.md §3), checked with zod before anything is
 * evaluated. The schema is built from the field registry (src/fields/registry.ts), one
 * zod type per entry; values that may be expressions are a number or a string, and what
 * the string means (a duration, a rate, a probability) is decided in resolve.ts, from the
 * same registry.
 *
 * Key names are the contract: add fields freely, rename none.
 */
import { z } from "zod";
import { fieldHint } from "../fields/doc.js";
import { type RawExpr as FieldExpr, type FieldSpec, MODEL_FIELDS, type RawOf, knownKeysAt as registryKeysAt } from "../fields/index.js";

/** A number, or an expression over `params` with units ("2 years", "node_mttr * 2"). */
const Expr = z.union([z.number(), z.string()]);

/**
 * The zod type of one registry entry, optional unless the entry is required. It carries
 * the entry's description (and unit), for the JSON Schema zod writes from it.
 */
function fieldSchema(spec: FieldSpec): z.ZodType {
  const schema = valueSchema(spec).describe(describe(spec));
  return spec.required === true ? schema : schema.optional();
}

/** The registry's line for the field, then what it takes and in which unit (src/fields/doc.ts). */
function describe(spec: FieldSpec): string {
  return `${spec.description}. Takes ${fieldHint(spec)}.`;
}

function valueSchema(spec: FieldSpec): z.ZodType {
  switch (spec.kind) {
    case "block":
      return z.strictObject(Object.fromEntries(Object.entries(spec.fields).map(([key, field]) => [key, fieldSchema(field)])));
    case "list":
      return z.array(valueSchema(spec.of).describe(describe(spec.of)));
    case "include":
      // a path to a model file, or the block inline
      return z.union([z.string().min(1), valueSchema(MODEL_FIELDS.fields[spec.block])]);
    case "record":
      return z.record(z.string(), valueSchema(spec.of).describe(describe(spec.of)));
    case "count":
      return spec.list === true ? z.array(Expr) : Expr;
    case "probability":
    case "quantity":
      return Expr;
    case "word":
      return z.enum(spec.words);
    case "sets":
      return z.union([z.enum(spec.words), z.array(z.array(Expr))]);
    case "flag":
      // a refused flag takes any value, so that the refusal says why
      return spec.refused !== undefined ? z.unknown() : z.boolean();
    case "text": {
      let text = z.string();
      if (spec.minLength !== undefined) text = text.min(spec.minLength);
      if (spec.maxLength !== undefined) text = text.max(spec.maxLength);
      return text;
    }
    case "version":
      return z.literal(spec.value);
    case "threshold":
      return z.union([z.string(), z.number()]);
  }
}

/** The parsed model file: the registry's shape. */
export type RawModel = RawOf<typeof MODEL_FIELDS>;
export type RawExpr = FieldExpr;

export const ModelSchema = valueSchema(MODEL_FIELDS) as z.ZodType<RawModel>;

/** The field names allowed at a path of the schema (for "did you mean" hints). */
export function knownKeysAt(path: readonly (string | number)[]): string[] {
  return registryKeysAt(path);
}
