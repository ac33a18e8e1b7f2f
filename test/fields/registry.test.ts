/**
 * The field registry (src/fields/registry.ts) against what derives from it: the zod
 * schema, the planning commands' kinds and directions, the resolver's named values, the
 * model files the project ships, and the manual's field reference.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { asHours, asRatePerHour } from "../../src/expr/convert.js";
import { evaluateExpression } from "../../src/expr/expression.js";
import { isDimensionless } from "../../src/expr/units.js";
import { fieldsReference } from "../../src/fields/doc.js";
import { FIELDS, fieldSpec, isNumeric, knownKeysAt } from "../../src/fields/index.js";
import { parseModelText, readModelFile, resolveModel } from "../../src/model/index.js";
import { DEFAULT_PROCESSING_HOURS } from "../../src/model/messages.js";
import { ModelSchema } from "../../src/model/schema.js";
import { inputSpec } from "../../src/plan/inputs.js";
import { DEFAULT_HORIZON_HOURS, DEFAULT_RUNS } from "../../src/sim/run/fromModel.js";

/** Every path of a zod schema, read from zod's own objects: `*` for a record's key. */
function schemaPaths(schema: z.ZodType, path: string[] = []): string[] {
  let inner = schema;
  while (inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  const here = path.length > 0 ? [path.join(".")] : [];
  if (inner instanceof z.ZodObject) {
    return [
      ...here,
      ...Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, field]) => schemaPaths(field, [...path, key])),
    ];
  }
  if (inner instanceof z.ZodRecord) return [...here, ...schemaPaths(inner.valueType as z.ZodType, [...path, "*"])];
  // a list of blocks (regions.sites): `*` for an entry's position
  if (inner instanceof z.ZodArray && inner.element instanceof z.ZodObject)
    return [...here, ...schemaPaths(inner.element as z.ZodType, [...path, "*"])];
  return here;
}

/** The dotted paths of a parsed model file's leaves (list items are the list's path). */
function leafPaths(node: unknown, path: string[] = []): string[] {
  if (node !== null && typeof node === "object" && !Array.isArray(node)) {
    return Object.entries(node).flatMap(([key, value]) => leafPaths(value, [...path, key]));
  }
  return [path.join(".")];
}

const MODEL_DIRS = ["models", "examples", "test/fixtures/classic", "test/fixtures/modes", "test/fixtures/plan"];
const modelFiles = MODEL_DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join(dir, f)),
);

describe("the field registry", () => {
  it("when the zod schema is walked then its paths are the registry's paths, in the same order", () => {
    expect(schemaPaths(ModelSchema)).toEqual(FIELDS.map((entry) => entry.path));
  });

  it("when a model file the project ships is read then every field in it has a registry entry", () => {
    expect(modelFiles.length).toBeGreaterThan(10);
    for (const file of modelFiles) {
      const data = readModelFile(file).data;
      for (const path of leafPaths(data)) expect(fieldSpec(path), `${file}: ${path}`).toBeDefined();
    }
  });

  it("when a key is unknown then the keys offered are the block's, in the file's order", () => {
    expect(knownKeysAt(["messages", "publisher"])).toEqual(["confirms", "confirm_timeout", "idempotent"]);
    expect(knownKeysAt(["cluster", "node", "failures", "hardware"])).toEqual(["mtbf", "rate", "mttr", "crew", "loses"]);
    expect(knownKeysAt(["params"])).toEqual([]);
  });

  it("when a field is a time or a rate then it names the unit it is usually written in", () => {
    const missing = FIELDS.filter(
      ({ spec }) => spec.kind === "quantity" && (spec.dimension === "time" || spec.dimension === "rate") && spec.unit === undefined,
    );
    expect(missing.map((entry) => entry.path)).toEqual([]);
  });

  it("when a field is described then the description is one line", () => {
    for (const { path, spec } of FIELDS) {
      expect(spec.description.length, path).toBeGreaterThan(3);
      expect(spec.description, path).not.toMatch(/\n/);
    }
  });
});

describe("planning kinds and directions from the registry", () => {
  const source = readModelFile("models/default.yaml");

  it("when a numeric model input is named then solve and sensitivity know its kind and its least demanding end", () => {
    const inputs = FIELDS.filter(
      ({ spec, input, path }) =>
        input &&
        isNumeric(spec) &&
        !(spec.kind === "count" && spec.list === true) &&
        path !== "params.*" &&
        // a seed has no cheaper end (checked below)
        path !== "fleet.seed",
    );
    // the fields the issue names, among others
    for (const path of [
      "messages.replication_lag",
      "messages.fsync_interval",
      "messages.writeback",
      "messages.publisher.confirm_timeout",
      "cluster.node.failures.*.mtbf",
      "cluster.node.failures.*.rate",
      "cluster.node.failures.*.mttr",
      "cluster.zones.outage.rate",
      "cluster.zones.outage.mttr",
    ]) {
      expect(inputs.map((entry) => entry.path)).toContain(path);
    }
    for (const { path, spec } of inputs) {
      // a list's entry is its position (regions.sites.0), a record's key a name
      const concrete = path.replaceAll("sites.*", "sites.0").replaceAll("*", "some_mode");
      const planned = inputSpec(source, [], concrete);
      expect(planned?.kind, path).toBe(spec.kind);
      expect(["min", "max"], path).toContain(planned?.leastDemanding);
    }
  });

  it("when a simulation setting is named then it has a kind, and a direction where one end is cheaper", () => {
    expect(inputSpec(source, [], "simulation.runs")).toMatchObject({ kind: "count", leastDemanding: "min" });
    expect(inputSpec(source, [], "simulation.horizon")).toMatchObject({ kind: "quantity", leastDemanding: "min" });
    // a seed has no cheaper end: solve asks for --find
    expect(inputSpec(source, [], "simulation.seed")).toEqual({ path: "simulation.seed", kind: "count" });
    expect(inputSpec(source, [], "fleet.seed")).toEqual({ path: "fleet.seed", kind: "count" });
  });

  it("when a field takes a word then planning sees a word with its words, never a number", () => {
    expect(inputSpec(source, [], "messages.ack")).toEqual({ path: "messages.ack", kind: "word", words: ["leader", "quorum", "all"] });
    expect(inputSpec(source, [], "cluster.node.failures.crash.loses")?.kind).toBe("word");
    // a placement is a word or an explicit list: planning sweeps and solves over its words
    expect(inputSpec(source, [], "fleet.placement")).toEqual({
      path: "fleet.placement",
      kind: "word",
      words: ["kafka", "random", "rack_aware", "copyset"],
    });
  });

  it("when the quorum is given as one of its words then the resolver gives it the meaning the README states", () => {
    // README "Model files": majority = ⌊n/2⌋+1, any = 1, all = n (default.yaml has 3 nodes)
    const spec = fieldSpec("cluster.quorum");
    expect(spec?.kind === "count" ? spec.words : undefined).toEqual(["majority", "any", "all"]);
    const expected: Record<string, number> = { majority: 2, any: 1, all: 3 };
    for (const [word, k] of Object.entries(expected)) {
      const model = resolveModel(source, [{ path: "cluster.quorum", value: word }]);
      expect(model.cluster.nodes).toBe(3);
      expect(model.cluster.quorum, word).toBe(k);
    }
  });
});

describe("the resolver reads conversions and hints from the registry", () => {
  /** Every time and rate field each preset gives, with its registry entry. */
  const present = readdirSync("models")
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => {
      const source = readModelFile(join("models", f));
      return leafPaths(source.data).flatMap((path) => {
        const spec = fieldSpec(path);
        return spec?.kind === "quantity" && (spec.dimension === "time" || spec.dimension === "rate") ? [{ source, path, spec }] : [];
      });
    });

  it("when a plain number is given for a time or a rate then the warning names the registry's usual unit", () => {
    expect(new Set(present.map(({ path }) => path.replace(/failures\.[^.]+/, "failures.*"))).size).toBeGreaterThan(20);
    for (const { source, path, spec } of present) {
      const model = resolveModel(source, [{ path, value: "3" }]);
      const warning = model.warnings.find((w) => w.place.path.endsWith(path));
      expect(warning?.message, `${source.file}: ${path}`).toContain(`"3 ${spec.unit}"`);
    }
  });

  it("when a time or a rate is 0 then it is refused exactly where the registry says 0 is not allowed", () => {
    // README: a time must be > 0 unless 0 means something (an fsync before the ack, an
    // instant failover, no backoff); a rate may be 0 (the event never happens) but traffic's
    for (const { source, path, spec } of present) {
      const zeroAllowed = spec.zero ?? spec.dimension === "rate";
      let message = "";
      try {
        resolveModel(source, [{ path, value: "0" }]);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(/expected a (duration|rate) > 0/.test(message), `${source.file}: ${path}: ${message}`).toBe(!zeroAllowed);
    }
  });
});

describe("defaults from the registry", () => {
  it("when a model leaves out every field with a fixed default then it resolves to the defaults the manual states", () => {
    // docs/model-files.md: quorum majority; backoff 100 ms × 2 up to 1 s (Kafka's); writeback
    // 30 s (Linux vm.dirty_expire_centisecs = 3000); confirm_timeout 30 s (Kafka's
    // request.timeout.ms); confirms true, idempotent false; crew true; a zone outage and a
    // common cause lose unflushed data; weibull shape and lognormal sigma 1
    const text = [
      "mqrel: 1",
      "cluster:",
      "  nodes: 5",
      "  node: { failures: { hw: { mtbf: 2 years, mttr: 8 h } } }",
      "  zones: { count: 3, outage: { rate: 1 / year, mttr: 2 h } }",
      "  common_cause: { rate: 0.1 / year, mttr: 1 h }",
      "  failover: { time: 10 s }",
      "messages: { ack: leader, replication_lag: 20 ms, fsync: os }",
      "retry: { attempts: 3, p_success: 0.9, deadline: 60 s }",
      "simulation: { failure: { distribution: weibull }, repair: { distribution: lognormal } }",
    ].join("\n");
    const model = resolveModel(parseModelText(text, "defaults.yaml"));
    expect(model.warnings).toEqual([]);
    expect(model.cluster.quorum).toBe(3);
    expect(model.cluster.failureModes?.[0]?.crew).toBe(true);
    expect(model.cluster.zones?.outage?.loses).toBe("unflushed");
    expect(model.cluster.commonCause?.loses).toBe("unflushed");
    expect(model.retry?.timing).toEqual({
      timeoutHours: 0,
      backoffInitialHours: 0.1 / 3600,
      backoffMultiplier: 2,
      backoffMaxHours: 1 / 3600,
      deadlineHours: 60 / 3600,
    });
    expect(model.messages?.writebackHours).toBe(30 / 3600);
    // with a deadline, retry.timeout is 0 when left out, and the confirm timeout takes it
    expect(model.messages?.publisher).toEqual({ confirms: true, confirmTimeoutHours: 0, idempotent: false });
    const noRetry = resolveModel(parseModelText(text.replace(/^retry:.*$/m, ""), "defaults.yaml"));
    expect(noRetry.messages?.publisher.confirmTimeoutHours).toBe(30 / 3600);
    expect(model.simulation.failure).toEqual({ distribution: "weibull", shape: 1 });
    expect(model.simulation.repair).toEqual({ distribution: "lognormal", sigma: 1 });
  });

  it("when a field has a default then it is a value the field accepts", () => {
    for (const { path, spec } of FIELDS) {
      if (!("default" in spec) || spec.default === undefined) continue;
      if (spec.kind === "word") expect(spec.words, path).toContain(spec.default);
      if (spec.kind === "count" && spec.words !== undefined) expect(spec.words, path).toContain(spec.default);
      if (spec.kind === "quantity" && typeof spec.default === "string") {
        // the default converts as the field's own values do
        const q = evaluateExpression(spec.default);
        if (spec.dimension === "time") expect(asHours(q, { allowZero: spec.zero ?? false }), path).toBeGreaterThanOrEqual(0);
        else if (spec.dimension === "rate") expect(asRatePerHour(q, { allowZero: spec.zero ?? true }), path).toBeGreaterThanOrEqual(0);
        else expect(isDimensionless(q.dimension), path).toBe(true);
      }
      expect(spec.required, `${path}: a required field needs no default`).not.toBe(true);
    }
  });
});

describe("defaults kept in code beside the registry", () => {
  it("when the evaluator and the simulator default a field the model leaves out then the registry documents the same value", () => {
    // the registry's default is text for the manual; the code's constants are in hours
    const defaultOf = (path: string) => {
      const spec = fieldSpec(path);
      return spec !== undefined && "default" in spec ? String(spec.default) : "";
    };
    const hours = (path: string) => asHours(evaluateExpression(defaultOf(path)), { allowZero: true });
    expect(hours("traffic.processing_time")).toBe(DEFAULT_PROCESSING_HOURS);
    expect(hours("simulation.horizon")).toBe(DEFAULT_HORIZON_HOURS);
    expect(Number(defaultOf("simulation.runs"))).toBe(DEFAULT_RUNS);
  });
});

describe("what the registry hands on", () => {
  it("when zod writes the JSON Schema then every field in it carries the registry's description", () => {
    const described: string[] = [];
    const undescribed: string[] = [];
    const walk = (node: Record<string, unknown>, path: string) => {
      const children = {
        ...((node.properties as Record<string, Record<string, unknown>> | undefined) ?? {}),
        ...(typeof node.additionalProperties === "object" ? { "*": node.additionalProperties as Record<string, unknown> } : {}),
        // a list of blocks (regions.sites): its entries
        ...(node.type === "array" && typeof node.items === "object" && (node.items as Record<string, unknown>).type === "object"
          ? { "*": node.items as Record<string, unknown> }
          : {}),
      };
      for (const [key, child] of Object.entries(children)) {
        const at = path === "" ? key : `${path}.${key}`;
        (typeof child.description === "string" && child.description !== "" ? described : undescribed).push(at);
        walk(child, at);
      }
    };
    walk(z.toJSONSchema(ModelSchema, { unrepresentable: "any" }) as Record<string, unknown>, "");
    expect(undescribed).toEqual([]);
    expect(described).toEqual(FIELDS.map((entry) => entry.path));
  });

  it("when src/fields imports then only itself and the formulas' size limits (it sits below model and plan)", () => {
    const files = readdirSync("src/fields").filter((f) => f.endsWith(".ts"));
    for (const file of files) {
      const imports = [...readFileSync(join("src/fields", file), "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
      for (const target of imports)
        expect(
          ["./", "../formulas/limits.js"].some((ok) => target?.startsWith(ok)),
          `${file}: ${target}`,
        ).toBe(true);
    }
  });
});

describe("docs/fields.md", () => {
  it("when the registry changes then the committed field reference is regenerated (node scripts/fields-doc.mjs)", () => {
    expect(readFileSync("docs/fields.md", "utf8")).toBe(fieldsReference());
  });

  it("when the reference is read then it lists every field of the registry once", () => {
    const text = fieldsReference();
    for (const { path } of FIELDS) expect(text.split(`| \`${path}\` |`).length - 1, path).toBe(1);
  });
});
