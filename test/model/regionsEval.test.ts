/**
 * The region metrics as the commands see them (src/model/regionsMetrics.ts): eval names
 * `regions.chain` and, with instant failover, gives the article's parallel formula over
 * the sites with each site's unavailability from eval's own cluster.availability (k-of-n,
 * another formula) and its region; check judges SLOs on them; validate says they are not
 * simulated yet; sweep and sensitivity move the region fields; a chain past the limit is
 * one line.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { HOURS_PER_YEAR } from "../../src/expr/units.js";
import { parallelAvailability } from "../../src/formulas/parallel.js";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics } from "../../src/model/evaluate.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import { runCli } from "../helpers/runCli.js";

const MODEL = `mqrel: 1
name: two-regions
cluster:
  nodes: 3
  node: { mtbf: 2 years, mttr: 8 h }
regions:
  failover: { after: 5 min, time: 15 min }
  replication: { lag: 2 s }
  sites:
    - name: eu-west
      outage: { rate: 0.5 / year, mttr: 6 h }
    - name: us-east
      outage: { rate: 0.25 / year, mttr: 12 h }
traffic: { rate: 1000 / s }
`;

const evaluate = (yaml: string) => evaluateMetrics(resolveModel(parseModelText(yaml, "regions.yaml")));

function close(actual: number | undefined, expected: number, relative = 1e-12): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(relative * Math.abs(expected));
}

function file(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "mqrel-regions-")), "regions.yaml");
  writeFileSync(path, yaml);
  return path;
}

describe("the region metrics", () => {
  it("when failover is instant then service.availability is the parallel formula over the sites, each from eval's cluster.availability and its region", () => {
    const metrics = evaluate(MODEL.replace("after: 5 min, time: 15 min", "after: 0 s, time: 0 s"));
    const cluster = metrics.get(METRIC.clusterAvailability);
    expect(cluster?.formula).toBe("availability.kofn");
    const a = cluster?.value as number;
    const u = cluster?.complement as number;
    // a site is unavailable when its cluster is, or its cluster is up and its region dark (r·m / (1 + r·m))
    const site = (rate: number, mttr: number) => {
      const rm = (rate / HOURS_PER_YEAR) * mttr;
      return { value: u + (rm / (1 + rm)) * a, complement: a / (1 + rm) };
    };
    const expected = parallelAvailability([site(0.5, 6), site(0.25, 12)]);
    const service = metrics.get(METRIC.serviceAvailability);
    expect(service?.formula).toBe("regions.chain");
    close(service?.complement, expected.complement);
    close(service?.value, expected.value);
  });

  it("when failover takes time then the service is down about failovers × (after + time) more, and the loss is x/(1 + x), x = failovers per hour of service × lag", () => {
    const metrics = evaluate(MODEL);
    const service = metrics.get(METRIC.serviceAvailability);
    const failovers = metrics.get(METRIC.regionsFailoversPerYear)?.value as number;
    const loss = metrics.get(METRIC.regionsLoss);
    // two regions of 0.5 and 0.25 outages a year, each almost always failed over from (the clusters rarely lose quorum)
    expect(failovers).toBeGreaterThan(0.25);
    expect(failovers).toBeLessThan(0.76);
    const switching = (failovers * (5 / 60 + 15 / 60)) / HOURS_PER_YEAR;
    expect(service?.complement).toBeGreaterThan(0.9 * switching);
    expect(service?.complement).toBeLessThan(1.1 * switching + 1e-6);
    const x = ((failovers / HOURS_PER_YEAR) * (2 / 3600)) / (service?.value as number);
    close(loss?.value, x / (1 + x));
    // records lost a year: about failovers × rate × lag = failovers × 2000 (to the order of x)
    close(loss?.perYear, failovers * 2000, 1e-6);
  });

  it("when an SLO names a region metric then check judges it, and without a regions block it is refused", async () => {
    const pass = await runCli([
      "check",
      file(`${MODEL}slo:\n  service.availability: ">= 99.99%"\n  regions.failovers_per_year: "<= 1 / year"\n`),
    ]);
    expect(pass.status, pass.stderr).toBe(0);
    const fail = await runCli(["check", file(`${MODEL}slo:\n  regions.loss: "<= 1e-9"\n`)]);
    expect(fail.status).toBe(1);
    expect(fail.stdout).toContain("regions.loss");
    const plain = MODEL.slice(0, MODEL.indexOf("regions:"));
    expect(() => resolveModel(parseModelText(`${plain}slo:\n  service.availability: ">= 99.99%"\n`, "plain.yaml"))).toThrow(
      "the model has no regions block, so service.availability is not computed",
    );
  });

  it("when validate runs then each region metric is a row 'not simulated', saying the simulator has no regions yet", async () => {
    const result = await runCli(["validate", file(MODEL), "--runs", "2", "--horizon", "10 years", "--json"]);
    const rows = JSON.parse(result.stdout).comparisons as { metric: string; verdict: string; formula: string; note?: string }[];
    for (const id of [METRIC.serviceAvailability, METRIC.regionsFailoversPerYear, METRIC.regionsLoss]) {
      const row = rows.find((r) => r.metric === id);
      expect(row, id).toMatchObject({ verdict: "not simulated", formula: "regions.chain" });
    }
    expect(result.stdout).toContain("the simulator has no regions yet");
  });

  it("when sweep varies regions.failover.after then the service availability falls as the delay grows", async () => {
    const result = await runCli([
      "sweep",
      file(MODEL),
      "--vary",
      "regions.failover.after=0 min,5 min,30 min,2 h",
      "--metric",
      "service.availability",
      "--format",
      "json",
    ]);
    expect(result.status, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout).rows as { metrics: Record<string, { complement: number }> }[];
    const downs = rows.map((row) => row.metrics[METRIC.serviceAvailability]?.complement as number);
    expect(downs).toHaveLength(4);
    for (let i = 1; i < downs.length; i++) expect(downs[i]).toBeGreaterThan(downs[i - 1] as number);
  });

  it("when sensitivity runs then it perturbs the region fields, a site's by its position", async () => {
    const result = await runCli(["sensitivity", file(MODEL), "--metric", "service.availability", "--json"]);
    expect(result.status, result.stderr).toBe(0);
    const paths = (JSON.parse(result.stdout).rows as { path: string }[]).map((row) => row.path);
    for (const path of ["regions.failover.after", "regions.failover.time", "regions.sites.0.outage.rate", "regions.sites.1.outage.mttr"]) {
      expect(paths).toContain(path);
    }
  });

  it("when the region chain is past its limit then eval says so in one line (exit 2)", () => {
    const zoned =
      "  zones: { count: 3, outage: { rate: 1 / year, mttr: 2 h } }\n  node:\n    failures:\n      hw: { mtbf: 2 years, mttr: 8 h }\n      crash: { rate: 6 / year, mttr: 2 min, crew: false }\n  repair_crews: 1\n";
    const yaml = MODEL.replace("  node: { mtbf: 2 years, mttr: 8 h }\n", zoned);
    let error: unknown;
    try {
      evaluate(yaml);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format()).toMatch(
      /^regions\.yaml: regions: the region chain .* has more than 2500 states, beyond what mqrel solves exactly \(the sites' chains multiply: sites of fewer failure modes, or without zones, fit; .*\)$/,
    );
  });
});
