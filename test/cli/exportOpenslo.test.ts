/**
 * `mqrel export openslo` (src/slo/openslo.ts): every preset's thresholds as OpenSLO v1 SLO
 * documents, parsed back with the yaml package and checked against the OpenSLO v1 field
 * structure — written here as a JSON Schema from the OpenSLO README's "SLO", "SLI" and
 * "Objectives" sections (github.com/OpenSLO/OpenSLO), independently of the exporter —
 * and the targets against figures worked out by hand.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

const source = {
  type: "object",
  required: ["metricSource"],
  properties: {
    metricSource: {
      type: "object",
      required: ["spec"],
      properties: { metricSourceRef: { type: "string" }, type: { type: "string" }, spec: { type: "object" } },
    },
  },
};

/** OpenSLO v1 `kind: SLO`, as the README specifies its fields. */
const OPENSLO_V1_SLO = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "openslo/v1" },
    kind: { const: "SLO" },
    metadata: {
      type: "object",
      required: ["name"],
      properties: {
        // RFC 1123 label: at most 63, lower-case alphanumerics and '-', alphanumeric at both ends
        name: { type: "string", maxLength: 63, pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$" },
        displayName: { type: "string" },
        annotations: { type: "object", additionalProperties: { type: "string" } },
      },
    },
    spec: {
      type: "object",
      required: ["service", "budgetingMethod", "objectives"],
      properties: {
        description: { type: "string", maxLength: 1050 },
        service: { type: "string", minLength: 1 },
        indicator: {
          type: "object",
          required: ["metadata", "spec"],
          properties: {
            metadata: { type: "object", required: ["name"] },
            spec: {
              type: "object",
              oneOf: [{ required: ["ratioMetric"] }, { required: ["thresholdMetric"] }],
              properties: {
                thresholdMetric: source,
                ratioMetric: {
                  type: "object",
                  properties: {
                    counter: { type: "boolean" },
                    rawType: { enum: ["success", "failure"] },
                    raw: source,
                    good: source,
                    bad: source,
                    total: source,
                  },
                  oneOf: [{ required: ["raw", "rawType"] }, { required: ["good", "total"] }, { required: ["bad", "total"] }],
                },
              },
            },
          },
        },
        indicatorRef: { type: "string" },
        timeWindow: {
          type: "array",
          minItems: 1,
          maxItems: 1,
          items: {
            type: "object",
            required: ["duration", "isRolling"],
            properties: { duration: { type: "string", pattern: "^[1-9][0-9]*[mhdwMQY]$" }, isRolling: { type: "boolean" } },
          },
        },
        budgetingMethod: { enum: ["Occurrences", "Timeslices", "RatioTimeslices"] },
        objectives: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            required: ["target"],
            properties: {
              displayName: { type: "string" },
              op: { enum: ["lte", "gte", "lt", "gt"] },
              value: { type: "number" },
              target: { type: "number", minimum: 0, exclusiveMaximum: 1 },
            },
            dependentRequired: { op: ["value"], value: ["op"] },
          },
        },
      },
      oneOf: [{ required: ["indicator"] }, { required: ["indicatorRef"] }],
    },
  },
};

const validateSlo = new Ajv2020({ strict: false, allErrors: true }).compile(OPENSLO_V1_SLO);

const PRESETS = readdirSync("models")
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => join("models", f));

interface Slo {
  metadata: { name: string; annotations: Record<string, string> };
  spec: {
    service: string;
    indicator: {
      spec: { ratioMetric?: { rawType: string; raw: { metricSource: { spec: { metric: string } } } }; thresholdMetric?: unknown };
    };
    objectives: { target: number; op?: string; value?: number }[];
    timeWindow: { duration: string; isRolling: boolean }[];
  };
}

async function exported(args: readonly string[]): Promise<Slo[]> {
  const ran = await runCli(["export", "openslo", ...args]);
  expect(ran.status, ran.stderr).toBe(0);
  return parseAllDocuments(ran.stdout).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as Slo;
  });
}

describe("mqrel export openslo", () => {
  it.each(PRESETS)("when %s is exported then there is one OpenSLO v1 SLO per threshold, each of the v1 structure", async (preset) => {
    // Arrange: the thresholds as the file writes them
    const thresholds = Object.entries((parse(readFileSync(preset, "utf8")) as { slo: Record<string, string> }).slo);

    // Act
    const documents = await exported([preset]);

    // Assert
    expect(documents.map((d) => d.metadata.annotations["mqrel/metric"])).toEqual(thresholds.map(([metric]) => metric));
    expect(documents.map((d) => d.metadata.annotations["mqrel/threshold"])).toEqual(thresholds.map(([, text]) => text));
    expect(new Set(documents.map((d) => d.metadata.name)).size).toBe(documents.length);
    for (const document of documents) {
      expect(validateSlo(document), `${preset}: ${JSON.stringify(validateSlo.errors)}`).toBe(true);
      expect(document.spec.timeWindow).toEqual([{ duration: "30d", isRolling: true }]);
    }
  });

  it("when thresholds are shares, downtime or other bounds then the targets are the hand-worked ones", async () => {
    // Act
    const single = await exported(["models/single-node.yaml", "--window", "4w", "--service", "orders", "--threshold-target", "0.95"]);
    const byMetric = new Map(single.map((d) => [d.metadata.annotations["mqrel/metric"], d]));
    const fleet = await exported(["models/kafka-fleet-12x600.yaml"]);

    // Assert: ">= 99.9%" is a good share of 0.999
    const availability = byMetric.get("cluster.availability");
    expect(availability?.spec.objectives).toEqual([{ displayName: ">= 99.9%", target: 0.999 }]);
    expect(availability?.spec.indicator.spec.ratioMetric?.rawType).toBe("success");
    // "<= 6 h" of downtime a year of 365.25 d = 8766 h: availability ≥ 1 − 6/8766 = 8760/8766
    const downtime = byMetric.get("cluster.downtime_per_year");
    expect(downtime?.spec.objectives[0]?.target).toBe(8760 / 8766);
    expect(downtime?.spec.indicator.spec.ratioMetric?.raw.metricSource.spec.metric).toBe("cluster.availability");
    // "<= 1e-6" of loss: a bad share, target 1 − 1e-6 = 0.999999
    const loss = byMetric.get("message.loss");
    expect(loss?.spec.objectives[0]?.target).toBe(0.999999);
    expect(loss?.spec.indicator.spec.ratioMetric?.rawType).toBe("failure");
    // the window and the service asked for
    expect(single.every((d) => d.spec.service === "orders" && d.spec.timeWindow[0]?.duration === "4w")).toBe(true);
    // a rate per year is a threshold objective: op, value in its unit, the target asked for
    const events = fleet.find((d) => d.metadata.annotations["mqrel/metric"] === "fleet.loss_events_per_year");
    expect(events?.spec.indicator.spec.thresholdMetric).toBeDefined();
    expect(events?.spec.objectives[0]).toMatchObject({ op: "lte", value: 1e-6, target: 0.99 });
  });

  it("when downtime per year is bounded then the target agrees with mqrel's own downtime and availability", async () => {
    // Arrange: eval's downtime is the unavailability times 8766 h, so the bound on one is the bound on the other
    const ran = await runCli(["eval", "models/single-node.yaml", "--json"]);
    const metrics = JSON.parse(ran.stdout).models[0].metrics;
    const target = (await exported(["models/single-node.yaml"])).find(
      (d) => d.metadata.annotations["mqrel/metric"] === "cluster.downtime_per_year",
    )?.spec.objectives[0]?.target as number;

    // Act: the same model judged both ways
    const downtimeMet = metrics["cluster.downtime_per_year"].value <= 6;
    const availabilityMet = metrics["cluster.availability"].value >= target;

    // Assert
    expect(metrics["cluster.downtime_per_year"].value).toBeCloseTo(metrics["cluster.availability"].complement * 8766, 9);
    expect(availabilityMet).toBe(downtimeMet);
  });

  it.each([
    [["csv", "models/default.yaml"], /^error: export: unknown format "csv"; expected openslo$/],
    [["opensol", "models/default.yaml"], /did you mean "openslo"/],
    [["openslo", "models/default.yaml", "--window", "30 days"], /^error: --window: expected OpenSLO duration shorthand/],
    [["openslo", "models/default.yaml", "--threshold-target", "1"], /^error: --threshold-target: expected a target in \[0, 1\), got "1"$/],
    [["openslo", "models/default.yaml", "--service", "Orders Service"], /^error: --service: expected an RFC 1123 label .*"orders-service"/],
    [["openslo", "test/fixtures/bad/mttr-zero.yaml"], /mttr-zero\.yaml:10:11: cluster\.node\.mttr: expected a duration > 0/],
    [["openslo", "test/fixtures/classic/default.yaml", "--set", "slo={}"], /: slo: has no slo: thresholds/],
    [
      ["openslo", "models/default.yaml", "--set", 'slo.message.loss="<= 0"'],
      /slo\.message\.loss: an OpenSLO target must lie in \[0, 1\); this threshold makes it 1$/,
    ],
  ])("when export is given %j then it says what is wrong in one line and exits 2", async (args, message) => {
    expect(expectOneLineError(await runCli(["export", ...args]))).toMatch(message);
  });
});
