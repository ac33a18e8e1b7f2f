/**
 * The model file's JSON Schema (draft 2020-12), for editors: written by zod from the one
 * schema of a model file (schema.ts, itself built from the field registry), so that it
 * cannot drift from what mqrel accepts. Each field's description is the registry's line
 * and what the field takes, with its unit (src/fields/doc.ts `fieldHint`).
 *
 * The schema checks the shape only — keys, kinds of value, words — as the zod schema
 * does: a value that may be an expression ("4 h", "0.5 / year", "node_mttr * 2") is a
 * number or a string here, and its meaning, unit and range are checked when the model
 * is resolved (resolve.ts). `mqrel schema` prints it; the build writes it to
 * schema/mqrel-model.schema.json (scripts/build.mjs), which the package ships and the
 * presets' `# yaml-language-server: $schema=` modelines name.
 */
import { z } from "zod";
import { FIELDS, MODEL_FIELDS } from "../fields/index.js";
import { METRIC_IDS } from "../metrics/index.js";
import { ModelSchema } from "./schema.js";

/** Where the package keeps the schema, relative to its root (package.json "files"). */
export const SCHEMA_FILE = "schema/mqrel-model.schema.json";

/** The JSON Schema of a model file, keys in a fixed order (the same bytes every time). */
export function modelJsonSchema(): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(ModelSchema, { target: "draft-2020-12", unrepresentable: "throw" }) as Record<
    string,
    unknown
  >;
  // `slo:` is keyed by metric id: name the ids (the metric registry's), so that an editor
  // completes them and marks a misspelt one, as mqrel refuses it when it reads the model
  const properties = body.properties as Record<string, Record<string, unknown>>;
  if (properties.slo !== undefined) properties.slo = { ...properties.slo, propertyNames: { enum: [...METRIC_IDS] } };
  // an included block (a site's cluster) is the top-level block again: zod writes it out
  // in full, a reference says the same in a line
  for (const entry of FIELDS) {
    if (entry.spec.kind !== "include") continue;
    const branches = nodeAt(body, entry.path)?.anyOf as Record<string, unknown>[] | undefined;
    const inline = branches?.findIndex((branch) => branch.type === "object") ?? -1;
    if (branches !== undefined && inline >= 0) branches[inline] = { $ref: `#/properties/${entry.spec.block}` };
  }
  return {
    $schema,
    title: "mqrel model",
    description: `${MODEL_FIELDS.description}: an mqrel model file (YAML or JSON). Values that may be expressions are a number or a string with units ("4 h", "0.5 / year"); mqrel checks their units and ranges when it reads the model.`,
    ...body,
  };
}

/** The JSON Schema node of a registry path (`*`: a record's value or a list's entry), if there is one. */
function nodeAt(schema: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = schema;
  for (const segment of path.split(".")) {
    if (node === undefined) return undefined;
    const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
    node = (segment === "*" ? (node.additionalProperties ?? node.items) : properties?.[segment]) as Record<string, unknown> | undefined;
  }
  return node;
}

/** The schema as `mqrel schema` prints it and the build writes it: two-space JSON and a newline. */
export function modelJsonSchemaText(): string {
  return `${JSON.stringify(modelJsonSchema(), null, 2)}\n`;
}
