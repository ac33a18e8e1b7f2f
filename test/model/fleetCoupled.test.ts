/**
 * A fleet whose brokers are coupled beyond what the exact sums cover (docs/design.md §3c):
 * rolling restarts, or a common cause or crew modes sharing fewer crews than brokers
 * beside zone outages. It loads; its six fleet.* metrics have no exact value and eval says
 * they are only simulated and why; an SLO on them, and the planning commands, are refused
 * in one line at the field (exit 2). A common cause or shared crews alone keep the brokers
 * exchangeable, and are exact (src/formulas/fleetSymmetric.ts).
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics, metricsOnlySimulated } from "../../src/model/evaluate.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import { expectOneLineError } from "../helpers/cli.js";
import { tempDir } from "../helpers/inProcessCli.js";
import { runCli } from "../helpers/runCli.js";

const FILE = "test/fixtures/fleet/kafka-12x600-coupled.yaml";
/** where the fixture's maintenance is (line 11, its value at column 16) */
const AT_MAINTENANCE = new RegExp(`^error: ${FILE.replace(/[.]/g, "\\.")}:11:16: cluster\\.maintenance: `);

const FLEET_IDS = [
  METRIC.fleetAvailability,
  METRIC.fleetPartitionAvailability,
  METRIC.fleetPartitionsUnavailable,
  METRIC.fleetLossEventsPerYear,
  METRIC.fleetPartitionsLostPerYear,
  METRIC.fleetElectionsPerYear,
];

function fleetYaml(extra: string, node = "failures:\n      disk: { mtbf: 4 years, mttr: 24 h, crew: true, loses: disk }"): string {
  return `mqrel: 1
cluster:
  nodes: 6
  node:
    ${node}
${extra}fleet: { partitions: 12, replication: 3 }
`;
}

function model(yaml: string) {
  return resolveModel(parseModelText(yaml, "fleet.yaml"));
}

describe("a fleet coupled beyond what the exact sums cover, at load", () => {
  it.each([
    [
      "a common cause beside zone outages",
      "  common_cause: { rate: 0.2 / year, mttr: 1 h }\n  zones: { count: 3, outage: { rate: 1 / year, mttr: 4 h } }\n",
      /^a common cause \(cluster\.common_cause\) and zone outages \(cluster\.zones\.outage\) couple the brokers$/,
      7,
    ],
    [
      "rolling restarts",
      "  maintenance: { every: 30 days, duration: 10 min }\n",
      /^rolling restarts \(cluster\.maintenance\) couple the brokers$/,
      7,
    ],
    [
      "two crews for six brokers beside rolling restarts",
      "  repair_crews: 2\n  maintenance: { every: 30 days, duration: 10 min }\n",
      /^rolling restarts \(cluster\.maintenance\) and crew modes sharing 2 repair crews among 6 brokers \(cluster\.repair_crews\) couple the brokers$/,
      8,
    ],
  ])("when the model has %s then the fleet loads and says why its metrics are only simulated", (_, extra, why, line) => {
    const resolved = model(fleetYaml(extra));
    expect(resolved.fleet?.simulatedOnly?.why).toMatch(why);
    expect(resolved.fleet?.simulatedOnly?.place.line).toBe(line);
    const metrics = evaluateMetrics(resolved);
    for (const id of FLEET_IDS) expect(metrics.has(id), id).toBe(false);
    const notes = metricsOnlySimulated(resolved);
    expect([...notes.keys()]).toEqual(FLEET_IDS);
    for (const note of notes.values()) expect(note).toMatch(/^simulated only: .* the brokers — mqrel simulate estimates it$/);
  });

  it("when several things couple the brokers then the note names them all, and the place is the first", () => {
    const resolved = model(
      fleetYaml("  common_cause: { rate: 0.2 / year, mttr: 1 h }\n  maintenance: { every: 30 days, duration: 10 min }\n"),
    );
    expect(resolved.fleet?.simulatedOnly?.why).toBe(
      "a common cause (cluster.common_cause) and rolling restarts (cluster.maintenance) couple the brokers",
    );
    expect(resolved.fleet?.simulatedOnly?.place.path).toBe("cluster.common_cause");
  });

  it.each([
    ["a common cause of rate 0", "  common_cause: { rate: 0 / year, mttr: 1 h }\n"],
    ["as many crews as brokers", "  repair_crews: 6\n"],
    ["zone outages", "  zones: { count: 3, outage: { rate: 1 / year, mttr: 4 h } }\n"],
    ["a common cause", "  common_cause: { rate: 0.2 / year, mttr: 1 h }\n"],
    ["two crews for six brokers", "  repair_crews: 2\n"],
    [
      "a common cause and two crews, with zones that never fail",
      "  common_cause: { rate: 0.2 / year, mttr: 1 h }\n  repair_crews: 2\n  zones: { count: 3 }\n",
    ],
  ])("when %s leaves the brokers independent given the zones, or exchangeable, then the fleet's metrics are exact", (_, extra) => {
    const resolved = model(fleetYaml(extra));
    expect(resolved.fleet?.simulatedOnly).toBeUndefined();
    const metrics = evaluateMetrics(resolved);
    for (const id of FLEET_IDS) expect(metrics.has(id), id).toBe(true);
    expect(metricsOnlySimulated(resolved).size).toBe(0);
  });

  it.each([
    ["a common cause", "fleet.exchangeable", "  common_cause: { rate: 0.2 / year, mttr: 1 h }\n"],
    ["two crews for six brokers", "fleet.exchangeable", "  repair_crews: 2\n"],
    ["zone outages", "fleet.zones", "  zones: { count: 3, outage: { rate: 1 / year, mttr: 4 h } }\n"],
    ["nothing coupling the brokers", "fleet.independent", ""],
  ])("when the model has %s then its fleet metrics name the exact method used (%s)", (_, formula, extra) => {
    const metrics = evaluateMetrics(model(fleetYaml(extra)));
    for (const id of FLEET_IDS) expect(metrics.get(id)?.formula, id).toBe(formula);
  });

  it("when a common cause couples too many brokers for the exact sums then eval refuses in one line and points to simulate", async () => {
    const dir = tempDir();
    const file = join(dir, "big.yaml");
    writeFileSync(
      file,
      `mqrel: 1
cluster:
  nodes: 60
  node:
    failures:
      disk: { mtbf: 4 years, mttr: 24 h, crew: false, loses: disk }
      crash: { rate: 6 / year, mttr: 10 min, crew: false, loses: nothing }
  common_cause: { rate: 0.1 / year, mttr: 2 h }
fleet: { partitions: 3000, replication: 3, min_insync: 2, placement: random }
`,
    );
    const result = await runCli(["eval", file]);
    expect(expectOneLineError(result)).toMatch(/fleet: the exact fleet .*sums over 60 coupled brokers .* — mqrel simulate estimates it$/);
  });

  it("when a broker is given only as an availability then the fleet is still refused in one line", () => {
    let message = "";
    try {
      model(fleetYaml("", "availability: 0.999"));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      message = error.format();
    }
    expect(message).toMatch(/^fleet\.yaml:5:\d+: cluster\.node: a fleet needs node\.failures \(or node\.mtbf and node\.mttr\)/);
  });
});

describe("eval of a coupled fleet", () => {
  it("when it is printed as a table then the fleet metrics have no value and one line says they are only simulated and why", async () => {
    const result = await runCli(["eval", FILE], { columns: 200 });
    expect(result.status).toBe(0);
    // one block a metric (the table's narrow layout): no value, "simulated only", no formula
    for (const id of FLEET_IDS) {
      expect(result.stdout).toMatch(
        new RegExp(`${id.replace(".", "\\.")}\\n\\s+value: —\\n\\s+reads as: simulated only\\n\\s+formula: —\\n`),
      );
    }
    expect(result.stdout.replace(/\s+/g, " ")).toContain(
      `${FLEET_IDS.join(", ")}: simulated only: rolling restarts (cluster.maintenance) couple the brokers — mqrel simulate estimates it`,
    );
  });

  it("when it is printed as JSON then each fleet metric is there with a null value and the note", async () => {
    const result = await runCli(["eval", FILE, "--format", "json"]);
    expect(result.status).toBe(0);
    const metrics =
      (JSON.parse(result.stdout) as { models: { metrics: Record<string, Record<string, unknown>> }[] }).models[0]?.metrics ?? {};
    expect(Object.keys(metrics)).toEqual([METRIC.nodeAvailability, ...FLEET_IDS]);
    for (const id of FLEET_IDS) {
      expect(metrics[id]).toMatchObject({ value: null, complement: null, formula: null });
      expect(metrics[id]?.note).toBe(
        "simulated only: rolling restarts (cluster.maintenance) couple the brokers — mqrel simulate estimates it",
      );
    }
  });

  it("when it is printed as Markdown then its rows say simulated only, and the note follows", async () => {
    const result = await runCli(["eval", FILE, "--format", "markdown"]);
    expect(result.status).toBe(0);
    for (const id of FLEET_IDS) expect(result.stdout).toContain(`| \`${id}\` | — | | simulated only | — |`);
    expect(result.stdout).toMatch(
      /^- fleet\.availability, .*: simulated only: rolling restarts \(cluster\.maintenance\) couple the brokers/m,
    );
  });

  it("when it is set beside an exact fleet then its column says simulated only", async () => {
    const result = await runCli(["eval", FILE, "test/fixtures/fleet/kafka-12x600.yaml"], { columns: 200 });
    expect(result.status).toBe(0);
    const row = result.stdout.split("\n").find((line) => line.includes("│ fleet.availability"));
    expect(row).toMatch(/│ — \(simulated only\)\s+│ 99\.\d+%/);
  });
});

describe("what a coupled fleet refuses (exit 2, one line at the field, no stack)", () => {
  it("when the model's slo: block names a fleet metric then check calls it inconclusive (exit 1) and says check --simulate judges it", async () => {
    const file = "test/fixtures/fleet/kafka-12x600-coupled-slo.yaml";
    const evaluated = await runCli(["eval", file]);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const result = await runCli(["check", file, "--format", "json"]);
    expect(result.status).toBe(1);
    const json = JSON.parse(result.stdout) as { results: { metric: string; verdict: string; value: number | null; note?: string }[] };
    expect(json.results).toHaveLength(1);
    expect(json.results[0]).toMatchObject({ metric: METRIC.fleetAvailability, verdict: "inconclusive", value: null });
    expect(json.results[0]?.note).toBe(
      "only simulated (rolling restarts (cluster.maintenance) couple the brokers): check --simulate judges it",
    );
    const text = await runCli(["check", file], { columns: 120 });
    expect(text.stdout).toMatch(/│ inconclusive │ fleet\.availability │ >= 99\.9%\s+│ —\s+│ —\s+│/);
  });

  it("when check --simulate is given the same model then the simulation judges the fleet metric", async () => {
    const result = await runCli([
      "check",
      "test/fixtures/fleet/kafka-12x600-coupled-slo.yaml",
      "--simulate",
      "--runs",
      "20",
      "--horizon",
      "100 years",
      "--format",
      "json",
    ]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { results: { verdict: string; source: string; note?: string }[] };
    expect(json.results[0]).toMatchObject({ verdict: "pass", source: "simulation" });
    expect(json.results[0]?.note).toBeUndefined();
  });

  it("when check is given a threshold on a fleet metric with --set then it is inconclusive the same way", async () => {
    const result = await runCli(["check", FILE, "--set", "slo.fleet.loss_events_per_year=<= 1 / year", "--format", "json"]);
    expect(result.status).toBe(1);
    const json = JSON.parse(result.stdout) as { results: { metric: string; verdict: string }[] };
    expect(json.results).toEqual([expect.objectContaining({ metric: METRIC.fleetLossEventsPerYear, verdict: "inconclusive" })]);
  });

  it.each([
    ["sweep", ["sweep", FILE, "--vary", "cluster.nodes=6..9"]],
    ["solve", ["solve", FILE, "--for", "cluster.nodes", "--range", "cluster.nodes=3..15", "--target", ">= 99.99%"]],
    ["sensitivity", ["sensitivity", FILE]],
    ["sensitivity of node.availability", ["sensitivity", FILE, "--metric", "node.availability"]],
    ["report", ["report", FILE, "--output", "never-written.html"]],
  ])("when %s is asked of it then it refuses at the rolling restarts", async (_, args) => {
    const result = await runCli(args);
    const line = expectOneLineError(result);
    expect(line).toMatch(AT_MAINTENANCE);
    expect(line).toMatch(
      /this fleet's metrics are only simulated: rolling restarts \(cluster\.maintenance\) couple the brokers, and sweep, solve, sensitivity and report compute exact metrics — mqrel simulate estimates them$/,
    );
  });

  it("when the coupling comes from --set then the refusal points at that --set", async () => {
    const result = await runCli([
      "sensitivity",
      "test/fixtures/fleet/kafka-12x600.yaml",
      "--set",
      "cluster.maintenance.every=30 days",
      "--set",
      "cluster.maintenance.duration=5 min",
    ]);
    expect(expectOneLineError(result)).toMatch(
      /^error: test\/fixtures\/fleet\/kafka-12x600\.yaml: --set cluster\.maintenance\.every: this fleet's metrics are only simulated: rolling restarts \(cluster\.maintenance\) couple the brokers/,
    );
  });

  it("when a sweep passes through coupled points then those points are refused with the reason, the others computed", async () => {
    const result = await runCli(
      [
        "sweep",
        "test/fixtures/fleet/kafka-12x600.yaml",
        "--set",
        "cluster.zones.outage.rate=1 / year",
        "--set",
        "cluster.zones.outage.mttr=2 h",
        "--set",
        "cluster.repair_crews=2",
        "--vary",
        "cluster.node.failures.disk.crew=false,true",
        "--metric",
        "fleet.availability",
        "--format",
        "json",
      ],
      {},
    );
    expect(result.status).toBe(0);
    const rows = (JSON.parse(result.stdout) as { rows: { metrics: Record<string, unknown>; error?: string }[] }).rows;
    expect(rows[0]?.metrics[METRIC.fleetAvailability]).toBeDefined();
    expect(JSON.stringify(rows[1])).toMatch(
      /crew modes sharing 2 repair crews among 12 brokers \(cluster\.repair_crews\) and zone outages \(cluster\.zones\.outage\) couple the brokers/,
    );
  });
});
