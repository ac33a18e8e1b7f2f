/**
 * The model's JSON Schema (src/model/jsonSchema.ts) checked by an independent validator,
 * Ajv's draft 2020-12 build, not by zod which wrote it: every preset, example and golden
 * input validates, each starts with the modeline that names the shipped schema, and what
 * zod refuses in shape (an unknown field, a wrong kind of value) Ajv refuses too.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { InputError } from "../../src/common/errors.js";
import { FIELDS } from "../../src/fields/index.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import { modelJsonSchema, modelJsonSchemaText, SCHEMA_FILE } from "../../src/model/jsonSchema.js";
import { ModelSchema } from "../../src/model/schema.js";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

/** The presets (which are also the golden inputs: test/golden runs every models/*.yaml) and the example models. */
const MODEL_FILES = [
  ...readdirSync("models")
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join("models", f)),
  ...readdirSync("examples")
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join("examples", f)),
];

const MODELINE = /^# yaml-language-server: \$schema=(\S+)\n/;

function validator() {
  // strict: an unknown keyword or a malformed schema throws here instead of being ignored;
  // a union of types (a number or a string) is what an expression field is
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  return ajv.compile(modelJsonSchema());
}

/** The JSON Schema node of a registry path (`*` for a record's key). */
function nodeAt(schema: Record<string, unknown>, path: string): Record<string, unknown> {
  let node = schema;
  for (const segment of path.split(".")) {
    // `*`: a record's value (additionalProperties) or a list's entry (items)
    const next =
      segment === "*" ? (node.additionalProperties ?? node.items) : (node.properties as Record<string, unknown> | undefined)?.[segment];
    if (next === undefined || typeof next !== "object") throw new Error(`${path}: no schema at ${segment}`);
    node = next as Record<string, unknown>;
  }
  return node;
}

const MINIMAL = { mqrel: 1, cluster: { nodes: 3, node: { mtbf: "2 years", mttr: "4 h" } } };

/** Two sites, the second with its own cluster inline (docs/model-files.md, "Regions"). */
const regions = (siteCluster: Record<string, unknown>) => ({
  ...MINIMAL,
  regions: {
    failover: { after: "5 min", time: "15 min" },
    replication: { lag: "2 s" },
    sites: [
      { name: "eu-west", outage: { rate: "0.5 / year", mttr: "6 h" } },
      { name: "us-east", outage: { rate: "0.5 / year", mttr: "6 h" }, cluster: siteCluster },
    ],
  },
});

describe("the model's JSON Schema", () => {
  it("when printed then it is draft 2020-12, and mqrel schema prints exactly that text", async () => {
    // Act
    const printed = await runCli(["schema"]);

    // Assert
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(modelJsonSchemaText());
    expect(JSON.parse(printed.stdout).$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it("when --output is given then the same text is written to the file, and an output that is a directory is one line, exit 2", async () => {
    // Arrange
    const directory = mkdtempSync(join(tmpdir(), "mqrel-schema-"));

    // Act
    const written = await runCli(["schema", "--output", join(directory, "s.json")]);
    const refused = await runCli(["schema", "--output", directory]);

    // Assert
    expect(written).toMatchObject({ status: 0, stdout: "" });
    expect(readFileSync(join(directory, "s.json"), "utf8")).toBe(modelJsonSchemaText());
    expect(expectOneLineError(refused)).toMatch(/is a directory/);
  });

  it("when every preset, example and golden input is validated by Ajv then each passes, and each starts with the modeline naming the shipped schema", () => {
    // Arrange
    const validate = validator();
    expect(MODEL_FILES.length).toBeGreaterThanOrEqual(11);

    for (const file of MODEL_FILES) {
      // Act
      const text = readFileSync(file, "utf8");
      const valid = validate(parse(text));

      // Assert
      expect(valid, `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      const modeline = MODELINE.exec(text);
      expect(modeline, `${file} must start with the yaml-language-server modeline`).not.toBeNull();
      expect(resolve(dirname(file), modeline?.[1] ?? ""), file).toBe(resolve(SCHEMA_FILE));
    }
  });

  it("when a value carries a unit or is an expression then the schema takes it as a string, like a number", () => {
    // Arrange: the units and expressions mqrel reads (docs/model-files.md)
    const validate = validator();
    const model = {
      mqrel: 1,
      params: { node_mttr: "4 h" },
      cluster: {
        nodes: 3,
        quorum: "majority",
        node: {
          failures: { hardware: { rate: "0.5 / year", mttr: "node_mttr * 2" }, process: { mtbf: 8766, mttr: "10 min", crew: false } },
        },
        failover: { time: "10 s" },
      },
      slo: { "cluster.availability": ">= 99.99%" },
    };

    // Act and assert
    expect(validate(model), JSON.stringify(validate.errors)).toBe(true);
    expect(ModelSchema.safeParse(model).success).toBe(true);
    // and mqrel reads it, as it reads the minimal model the rejected ones below start from
    expect(resolveModel(parseModelText(JSON.stringify(model), "m.json")).cluster.nodes).toBe(3);
    expect(validate(MINIMAL)).toBe(true);
    expect(resolveModel(parseModelText(JSON.stringify(MINIMAL), "m.json")).cluster.nodes).toBe(3);
    // a site's cluster is the top-level cluster's schema (a reference to it)
    const sites = regions({ nodes: 5, node: { mtbf: "2 years", mttr: "4 h" } });
    expect(validate(sites), JSON.stringify(validate.errors)).toBe(true);
    expect(() => resolveModel(parseModelText(JSON.stringify(sites), "m.json"))).not.toThrow();
  });

  it.each([
    ["an unknown field", { ...MINIMAL, cluster: { ...MINIMAL.cluster, nodez: 3 } }, "additionalProperties", "/cluster"],
    ["an unknown top-level block", { ...MINIMAL, clusters: {} }, "additionalProperties", ""],
    ["a boolean for a count", { ...MINIMAL, cluster: { ...MINIMAL.cluster, nodes: true } }, "type", "/cluster/nodes"],
    ["a word outside the list", { ...MINIMAL, messages: { ack: "some", fsync: "always" } }, "enum", "/messages/ack"],
    [
      "a string for a flag",
      { ...MINIMAL, messages: { ack: "leader", fsync: "always", publisher: { idempotent: "yes" } } },
      "type",
      "/messages/publisher/idempotent",
    ],
    [
      "a list for a duration",
      { ...MINIMAL, cluster: { ...MINIMAL.cluster, node: { mtbf: ["2 years"], mttr: "4 h" } } },
      "type",
      "/cluster/node/mtbf",
    ],
    ["another format version", { ...MINIMAL, mqrel: 2 }, "const", "/mqrel"],
    ["no cluster", { mqrel: 1 }, "required", ""],
    [
      "an unknown field in a site's cluster",
      regions({ nodes: 3, nodez: 3, node: { mtbf: "2 years", mttr: "4 h" } }),
      "additionalProperties",
      "/regions/sites/1/cluster",
    ],
    ["a threshold on an unknown metric", { ...MINIMAL, slo: { "cluster.availabilty": ">= 99.9%" } }, "propertyNames", "/slo"],
  ])("when a model has %s then Ajv rejects it, as mqrel does", (_what, model, keyword, at) => {
    // Arrange
    const validate = validator();

    // Act
    const valid = validate(model);

    // Assert: the same verdict as mqrel's own reading of the model (zod's schema, then the resolver)
    expect(valid).toBe(false);
    expect(
      validate.errors?.some((error) => error.keyword === keyword && error.instancePath === at),
      JSON.stringify(validate.errors),
    ).toBe(true);
    expect(() => resolveModel(parseModelText(JSON.stringify(model), "m.json"))).toThrow(InputError);
  });

  it("when the schema is walked then every field of the registry has a description and a hint of what it takes, with its unit", () => {
    // Arrange
    const schema = modelJsonSchema();

    for (const entry of FIELDS) {
      // Act
      const description = nodeAt(schema, entry.path).description;

      // Assert
      expect(typeof description, entry.path).toBe("string");
      expect(description, entry.path).toContain(entry.spec.description);
      expect(description, entry.path).toMatch(/\. Takes .+\.$/);
      if (entry.spec.kind === "quantity" && entry.spec.unit !== undefined)
        expect(description, entry.path).toContain(`usually in ${entry.spec.unit}`);
      if (entry.spec.kind === "count" || entry.spec.kind === "probability") expect(description, entry.path).toContain("no unit");
    }
  });
});
