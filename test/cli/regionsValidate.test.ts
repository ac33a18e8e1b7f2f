/**
 * A `regions:` model through simulate, validate and check (docs/design.md §3d): the sites
 * simulated after the cluster (src/cli/simulationRun.ts simulateRegionsOfModel), each region
 * metric paired with its exact chain (`regions.chain`), the simulated-only paths (a site
 * with rolling restarts) and the refusals. In-process, seeded: the figures are the same
 * bits on every run. That the simulator and the chain measure the same quantities is shown
 * against an independent chain in test/sim/regions.test.ts and
 * test/formulas/regionsReference.test.ts; here, that the commands carry them.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

// two one-node sites in regions that go dark twice and once a year; failover after 5 min in 15 min; a 2 s copy lag
const MODEL = `mqrel: 1
name: two-regions
cluster:
  nodes: 1
  node: { mtbf: 1 year, mttr: 8 h }
regions:
  failover: { after: 5 min, time: 15 min }
  replication: { lag: 2 s }
  sites:
    - name: eu-west
      outage: { rate: 2 / year, mttr: 6 h }
    - name: us-east
      outage: { rate: 1 / year, mttr: 12 h }
`;

// the same, the first site's cluster with rolling restarts: the region chain cannot take it
const RESTARTS = MODEL.replace(
  "      outage: { rate: 2 / year, mttr: 6 h }\n",
  "      outage: { rate: 2 / year, mttr: 6 h }\n      cluster:\n        nodes: 3\n        node: { mtbf: 2 years, mttr: 8 h }\n        maintenance: { every: 30 days, duration: 10 min }\n",
);

const REGION_METRICS = ["service.availability", "regions.failovers_per_year", "regions.loss"];

interface Row {
  metric: string;
  formula: string;
  verdict: string;
  simulated?: number;
  ci?: [number, number];
  events?: number;
  note?: string;
}

function file(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "mqrel-regions-")), "regions.yaml");
  writeFileSync(path, yaml);
  return path;
}

const rowsOf = (stdout: string) => (JSON.parse(stdout) as { comparisons: Row[] }).comparisons;
const regionRows = (rows: Row[]) => REGION_METRICS.map((id) => rows.find((r) => r.metric === id) as Row);

describe("a regions model simulated", () => {
  it("when validate holds a two-site model to the formulas' assumptions then every region row agrees with regions.chain (exit 0)", async () => {
    const r = await runCli([
      "validate",
      file(MODEL),
      "--assume",
      "formula",
      "--runs",
      "40",
      "--horizon",
      "100 years",
      "--seed",
      "3",
      "--json",
    ]);
    expect(r.status, r.stderr).toBe(0);
    for (const row of regionRows(rowsOf(r.stdout))) {
      expect(row, row.metric).toMatchObject({ formula: "regions.chain", verdict: "agrees" });
      // thousands of failovers and outages in 4000 years: the interval is trusted
      expect(row.events, row.metric).toBeGreaterThan(1000);
      expect(row.ci?.[0], row.metric).toBeLessThanOrEqual(row.simulated as number);
    }
  });

  it("when validate runs the realistic setting (a fixed failover delay) with a seed then it prints simulated region rows, the same bits twice", async () => {
    const path = file(MODEL);
    const args = ["validate", path, "--runs", "30", "--horizon", "100 years", "--seed", "7"];
    const text = await runCli(args);
    expect(text.status, text.stderr).toBe(0);
    for (const id of REGION_METRICS) {
      const block = text.stdout.slice(text.stdout.indexOf(`\n${id}\n`));
      expect(block, id).toMatch(
        /^\n\S+\n {2}formula: regions\.chain\n {2}analytic: .+\n {2}simulated: (?!—).+\n {2}95% CI: .+\n {2}verdict: /,
      );
    }
    const first = await runCli([...args, "--json"]);
    const second = await runCli([...args, "--json"]);
    const rows = regionRows(rowsOf(first.stdout));
    expect(rows.map((row) => row.simulated)).toEqual(regionRows(rowsOf(second.stdout)).map((row) => row.simulated));
    for (const row of rows) expect(["agrees", "disagrees"], row.metric).toContain(row.verdict);
  });

  it("when simulate runs a regions model then its JSON has the three region metrics beside the cluster's", async () => {
    const r = await runCli(["simulate", file(MODEL), "--runs", "30", "--horizon", "50 years", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const metrics = (JSON.parse(r.stdout) as { metrics: Record<string, { estimate: number }> }).metrics;
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(["cluster.availability", ...REGION_METRICS]));
    // two regions dark 3 times a year in all: about 2.4 failovers a year (the chain: 2.37)
    expect(metrics["regions.failovers_per_year"]?.estimate).toBeGreaterThan(2);
    expect(metrics["regions.failovers_per_year"]?.estimate).toBeLessThan(2.8);
  });

  describe("a site the region chain cannot take (rolling restarts): simulated only", () => {
    it("when validate runs then each region row is 'simulated only', saying why, with its simulated interval", async () => {
      const r = await runCli(["validate", file(RESTARTS), "--runs", "30", "--horizon", "50 years", "--json"]);
      expect(r.status, r.stderr).toBe(0);
      for (const row of regionRows(rowsOf(r.stdout))) {
        expect(row, row.metric).toMatchObject({ formula: "—", verdict: "simulated only" });
        expect(row.note).toContain("a site's cluster has rolling restarts (maintenance)");
        expect(row.simulated, row.metric).toBeGreaterThan(0);
      }
    });

    it("when check judges an SLO on a region metric then it is inconclusive (exit 1), and check --simulate judges it on the simulation", async () => {
      const path = file(`${RESTARTS}slo:\n  service.availability: ">= 99.9%"\n`);
      const formula = await runCli(["check", path]);
      expect(formula.status).toBe(1);
      expect(formula.stdout).toContain("inconclusive");
      expect(formula.stdout).toContain("check --simulate judges it");
      const simulated = await runCli(["check", path, "--simulate", "--runs", "30", "--horizon", "50 years", "--json"]);
      expect(simulated.status, simulated.stderr).toBe(0);
      const results = (JSON.parse(simulated.stdout) as { results: { metric: string; verdict: string; formula: string }[] }).results;
      expect(results).toEqual([expect.objectContaining({ metric: "service.availability", verdict: "pass", formula: "simulation" })]);
    });
  });

  describe("refused in one line (exit 2)", () => {
    it("when simulate is sharded then a regions model is refused: its sites are not split across shards", async () => {
      const path = file(MODEL);
      const line = expectOneLineError(await runCli(["simulate", path, "--shard", "1/2", "--out", join(tmpdir(), "never.json")]));
      expect(line).toBe(
        `error: ${path}: --shard: a model with regions: is not sharded yet (its sites are simulated in one process): run mqrel simulate without --shard`,
      );
    });

    it("when --target-metric names a region metric then it is refused: the sites' runs have no early stop", async () => {
      const line = expectOneLineError(
        await runCli(["simulate", file(MODEL), "--target-rel-error", "0.1", "--target-metric", "regions.loss"]),
      );
      expect(line).toMatch(
        /--target-metric: regions\.loss has no early stop \(the sites are simulated after the cluster\): give --runs instead$/,
      );
    });
  });
});
