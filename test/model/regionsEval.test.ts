/**
 * The region metrics as the commands see them (src/model/regionsMetrics.ts): eval names
 * `regions.chain` and, with instant failover, gives the article's parallel formula over
 * the sites with each site's unavailability from eval's own cluster.availability (k-of-n,
 * another formula) and its region; check judges SLOs on them; sweep and sensitivity move
 * the region fields; a chain past the limit leaves them simulated only (validate's rows:
 * test/cli/regionsValidate.test.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOURS_PER_YEAR } from "../../src/expr/units.js";
import { parallelAvailability } from "../../src/formulas/parallel.js";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics, metricsOnlySimulated } from "../../src/model/evaluate.js";
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

  it("when failover takes time then the service is down about failovers × (after + time) more, and the loss is about failovers per hour of service × lag", () => {
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
    // the loss: about failovers per hour × lag / service (each failover loses the last 2 s of traffic), a little
    // less (a failover soon after a switch finds the backlog still building; the exact value: regionsReference.test.ts)
    const x = ((failovers / HOURS_PER_YEAR) * (2 / 3600)) / (service?.value as number);
    expect(loss?.value).toBeLessThan(x);
    close(loss?.value, x, 1e-4);
    // records lost a year: about failovers × rate × lag = failovers × 2000, and per failover below 2000
    close(loss?.perYear, failovers * 2000, 1e-4);
    const perFailover = loss?.inputs?.records_lost_per_failover as number;
    expect(perFailover).toBeLessThan(2000);
    close(perFailover, (loss?.perYear as number) / failovers);
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

  it("when the region chain is past its limit then its metrics are simulated only: eval says why, check is inconclusive, sweep refuses", async () => {
    const zoned =
      "  zones: { count: 3, outage: { rate: 1 / year, mttr: 2 h } }\n  node:\n    failures:\n      hw: { mtbf: 2 years, mttr: 8 h }\n      crash: { rate: 6 / year, mttr: 2 min, crew: false }\n  repair_crews: 1\n";
    const yaml = MODEL.replace("  node: { mtbf: 2 years, mttr: 8 h }\n", zoned);
    const model = resolveModel(parseModelText(yaml, "regions.yaml"));
    const metrics = evaluateMetrics(model);
    const only = metricsOnlySimulated(model);
    for (const id of [METRIC.serviceAvailability, METRIC.regionsFailoversPerYear, METRIC.regionsLoss]) {
      expect(metrics.has(id), id).toBe(false);
      expect(only.get(id), id).toMatch(
        /^simulated only: the region chain .* has more than 2500 states, beyond what mqrel solves exactly \(sites of fewer failure modes, or without zones, fit; .*\) — mqrel simulate estimates it$/,
      );
    }
    // the cluster's own metrics are still exact
    expect(metrics.get(METRIC.clusterAvailability)?.formula).toBe("availability.zones");
    const check = await runCli(["check", file(`${yaml}slo:\n  service.availability: ">= 99.99%"\n`)]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain("inconclusive");
    expect(check.stdout).toContain("check --simulate judges it");
    const sweep = await runCli(["sweep", file(yaml), "--vary", "regions.failover.after=1 min,5 min", "--metric", "service.availability"]);
    expect(sweep.status).toBe(2);
    expect(sweep.stderr).toMatch(/regions: this model's region metrics are simulated only: the region chain .* has more than 2500 states/);
  });
});
