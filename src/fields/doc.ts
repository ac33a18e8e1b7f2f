/**
 * The manual's field reference (docs/fields.md), written from the field registry so that
 * the manual lists every field the schema accepts, and nothing else. Regenerate it with
 * `node scripts/fields-doc.mjs`; test/fields/registry.test.ts fails while the committed
 * file differs.
 *
 * Imports nothing of mqrel's but the registry.
 */
import { FIELDS, type FieldEntry } from "./lookup.js";
import type { FieldSpec } from "./spec.js";

/** The kind as the manual names it: a quantity by its dimension. */
function kindText(spec: FieldSpec): string {
  switch (spec.kind) {
    case "quantity":
      return { time: "duration", rate: "rate", dimensionless: "number", any: "expression" }[spec.dimension];
    case "count":
      return spec.list === true ? "list of counts" : "count";
    case "record":
      return `mapping: ${spec.key} → ${kindText(spec.of)}`;
    case "block":
      return "block";
    case "sets":
      return "word or list of lists of counts";
    case "list":
      return `list of blocks (${spec.item})`;
    case "include":
      return `${spec.block} block or file path`;
    default:
      return spec.kind;
  }
}

/** The values a field takes beyond its kind: words, limits, whether 0 is allowed. */
function valuesText(spec: FieldSpec): string {
  switch (spec.kind) {
    case "word":
      return spec.words.map((word) => `\`${word}\``).join(", ");
    case "sets":
      return `${spec.words.map((word) => `\`${word}\``).join(", ")}, or a list of replica sets, each ${spec.item}`;
    case "count": {
      const parts = [`≥ ${spec.min}`];
      if (spec.max !== undefined) parts.push(`≤ ${spec.max.value}`);
      if (spec.words !== undefined) parts.push(`or ${spec.words.map((word) => `\`${word}\``).join(", ")}`);
      return parts.join(", ");
    }
    case "probability":
      return "0 … 1";
    case "quantity":
      if (spec.dimension === "time") return spec.zero === true ? "≥ 0" : "> 0";
      if (spec.dimension === "rate") return spec.zero === false ? "> 0" : "≥ 0";
      if (spec.between !== undefined) return `${spec.between.low} … ${spec.between.high}`;
      if (spec.atLeast !== undefined) return `≥ ${spec.atLeast}`;
      return "";
    case "text": {
      const parts = [];
      if (spec.minLength !== undefined) parts.push(`at least ${spec.minLength}`);
      if (spec.maxLength !== undefined) parts.push(`at most ${spec.maxLength}`);
      return parts.length > 0 ? `${parts.join(", ")} characters` : "";
    }
    case "version":
      return `\`${spec.value}\``;
    case "flag":
      return spec.refused !== undefined ? "refused" : "`true`, `false`";
    default:
      return "";
  }
}

/**
 * One line on what a field takes, with its unit: the hint the JSON Schema's descriptions
 * carry for editors (src/model/schema.ts), written from the same kind, unit, values and
 * default as the manual's table.
 */
export function fieldHint(spec: FieldSpec): string {
  const values = valuesText(spec).replaceAll("`", "");
  const parts: string[] = [];
  switch (spec.kind) {
    case "quantity":
      if (spec.dimension === "time") parts.push(`a duration${unitText(spec.unit)} (a plain number is hours)`);
      else if (spec.dimension === "rate") parts.push(`a rate${unitText(spec.unit)} (a plain number is per hour)`);
      else if (spec.dimension === "dimensionless") parts.push("a plain number, no unit");
      else parts.push("a number or an expression, with units where the field that uses it has one");
      break;
    case "count":
      parts.push(spec.list === true ? "a list of whole numbers, no unit" : "a whole number, no unit");
      break;
    case "probability":
      parts.push('a probability, no unit (0.999 or "99.9%")');
      break;
    case "word":
      return `one of: ${values}`;
    case "sets":
      return `one of: ${values}`;
    case "flag":
      parts.push(spec.refused !== undefined ? "refused" : "true or false");
      break;
    case "text":
      parts.push("text");
      break;
    case "version":
      return `exactly ${spec.value}`;
    case "threshold":
      return "a comparison and a value: >= or <= with a number, a percentage or nines";
    case "block":
      return "a block of the fields below";
    case "record":
      return `a mapping: ${spec.key} → ${kindText(spec.of)}`;
    case "list":
      return `a list, each entry ${spec.item}: a block of the fields below`;
    case "include":
      return `a ${spec.block} block as at the top level, or the path of a model file whose ${spec.block} block it takes`;
    default: {
      // a new kind of field needs its hint here (TypeScript says so)
      const unhandled: never = spec;
      return unhandled;
    }
  }
  if (values !== "" && spec.kind !== "flag") parts.push(values);
  const fallback = defaultText(spec).replaceAll("`", "");
  if (fallback !== "") parts.push(`default ${fallback}`);
  return parts.join("; ");
}

function unitText(unit: string | undefined): string {
  return unit !== undefined ? `, usually in ${unit}` : "";
}

function directionText(entry: FieldEntry): string {
  const { spec } = entry;
  if (spec.kind !== "count" && spec.kind !== "probability" && spec.kind !== "quantity") return "";
  if (spec.leastDemanding === undefined) return "";
  return spec.kind === "probability" && spec.nearOne === true ? `${spec.leastDemanding} (on 1 − p)` : spec.leastDemanding;
}

/** The value a left-out field takes, where it is fixed. */
function defaultText(spec: FieldSpec): string {
  if (!("default" in spec) || spec.default === undefined) return "";
  return `\`${String(spec.default)}\``;
}

function row(entry: FieldEntry): string {
  const { spec } = entry;
  const unit = spec.kind === "quantity" && spec.unit !== undefined ? `\`${spec.unit}\`` : "";
  const cells = [
    `\`${entry.path}\``,
    kindText(spec),
    unit,
    entry.required ? "yes" : "",
    defaultText(spec),
    valuesText(spec),
    directionText(entry),
    spec.description,
  ];
  return `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
}

/** docs/fields.md, as the registry describes the fields. */
export function fieldsReference(): string {
  const lines = [
    "# Model fields",
    "",
    "<!-- Written by `node scripts/fields-doc.mjs` from src/fields/registry.ts: edit the registry, not this file. -->",
    "",
    "Every field of a model file, in the order of the file. `*` stands for a name you",
    "choose (a parameter, a failure mode, a metric id). Any number may also be an",
    "expression over `params`, with units (`2 years`, `node_mttr * 2`).",
    "",
    "- **kind**: a *count* is a whole number; a *probability* lies in [0, 1]; a *duration*",
    "  and a *rate* carry units (a plain number is read as hours or per hour, with a",
    "  warning that names the *unit* such a field is usually written in); a *word* is one",
    "  of the values listed.",
    "- **required**: must be given when its block is (a block itself may be optional).",
    "- **default**: the value of a field left out, where it is fixed; where it depends on",
    "  other fields, the description says how.",
    "- **least demanding**: the end `mqrel solve` looks for unless told `--find`: `min`",
    "  for the fewest nodes or the lowest MTBF that suffices, `max` for the longest repair",
    "  time or the highest failure rate that can be lived with. `sweep`, `solve` and",
    "  `sensitivity` take every count, probability and quantity; word fields are swept",
    "  and solved over their words, never perturbed.",
    "",
    "| field | kind | unit | required | default | values | least demanding | what it is |",
    "|---|---|---|---|---|---|---|---|",
    ...FIELDS.map(row),
    "",
  ];
  return lines.join("\n");
}
