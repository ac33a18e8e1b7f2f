/**
 * Fleet sites (docs/model-files.md "Regions"; src/model/regions.ts, kernel/regionRun.ts):
 * a site whose model file has `fleet:` is available while its region is in and every
 * partition is writable (≥ min_insync replicas up, fleet.availability's meaning). The
 * region chain cannot take it, so the region metrics are simulated only (eval says why,
 * check is inconclusive; validate and check --simulate judge the simulation); the
 * simulator reads the site's availability from the fleet tracker.
 *
 * Reference for the simulation, independent of the simulator: with instant failover
 * (`after` = `time` = 0) the service is up while any site is, and the sites are
 * independent, so its unavailability is the parallel formula's ∏ U_i (the article's), with
 * U_i = 1 − A_r·A_f for the region in (A_r = 1 / (1 + r·m), an alternating renewal
 * process) and the fleet available (A_f: eval's exact `fleet.availability` of the fleet
 * model alone, sums over the brokers' states, fleetMetrics.ts). The complement is taken
 * directly: U_i = U_r + A_r·U_f, with U_r = r·m / (1 + r·m) and U_f eval's complement.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics, metricsOnlySimulated } from "../../src/model/evaluate.js";
import { loadModel } from "../../src/model/index.js";
import { simulateCluster } from "../../src/sim/kernel/cluster.js";
import { CLUSTER_STATS } from "../../src/sim/kernel/records.js";
import { seedState } from "../../src/sim/kernel/rng.js";
import { simConfigFromModel } from "../../src/sim/run/fromModel.js";
import { simulateRegions } from "../../src/sim/run/regions.js";
import { regionsSimConfigFromModel } from "../../src/sim/run/regionsFromModel.js";
import { runCli } from "../helpers/runCli.js";
import { expectWithinStandardErrors } from "../helpers/statistical.js";

/** A small fleet: `brokers` brokers (mtbf 500 h, mttr 20 h), 6 partitions of RF 3, writable with ≥ 2 up. */
const fleet = (brokers: number) => `mqrel: 1
name: small-fleet-${brokers}
cluster:
  nodes: ${brokers}
  node: { mtbf: 500 h, mttr: 20 h }
fleet:
  partitions: 6
  replication: 3
  min_insync: 2
`;

/** Two sites: a 5-broker fleet in a region out 1 / 1000 h for 50 h, a 4-broker one out 1 / 2000 h for 100 h. */
const REGIONS = `mqrel: 1
name: two-fleet-sites
cluster:
  nodes: 3
  node: { mtbf: 2 years, mttr: 8 h }
regions:
  failover: { after: 0 s, time: 0 s }
  replication: { lag: 2 s }
  sites:
    - name: a
      outage: { rate: 1 / (1000 h), mttr: 50 h }
      cluster: fleet5.yaml
    - name: b
      outage: { rate: 1 / (2000 h), mttr: 100 h }
      cluster: fleet4.yaml
slo:
  service.availability: ">= 99.9%"
`;

function files(): { dir: string; regions: string } {
  const dir = mkdtempSync(join(tmpdir(), "mqrel-fleet-sites-"));
  writeFileSync(join(dir, "fleet5.yaml"), fleet(5));
  writeFileSync(join(dir, "fleet4.yaml"), fleet(4));
  const regions = join(dir, "regions.yaml");
  writeFileSync(regions, REGIONS);
  writeFileSync(join(dir, "met.yaml"), REGIONS.replace(">= 99.9%", ">= 99%"));
  return { dir, regions };
}

/** eval's exact fleet.availability of a fleet model alone: value and complement. */
function fleetAvailability(file: string): { value: number; complement: number } {
  const metric = evaluateMetrics(loadModel(file)).get(METRIC.fleetAvailability);
  expect(metric?.formula).toBe("fleet.independent");
  return { value: metric?.value as number, complement: metric?.complement as number };
}

/** A site's unavailability: region out, or region in and fleet unavailable (complement direct). */
function siteUnavailability(fleetA: { value: number; complement: number }, ratePerHour: number, mttrHours: number): number {
  const rm = ratePerHour * mttrHours;
  return rm / (1 + rm) + fleetA.complement / (1 + rm);
}

describe("a site that is a fleet", () => {
  it("when a site's model file has fleet: then the model loads, the site carries its fleet, and the region metrics are simulated only, saying why", () => {
    const { regions } = files();
    const model = loadModel(regions);
    const [a, b] = model.regions?.sites ?? [];
    expect(a?.fleet?.partitions).toBe(6);
    expect(a?.cluster.nodes).toBe(5);
    expect(b?.fleet?.minInsync).toBe(2);
    expect(model.regions?.simulatedOnly?.place.path).toBe("regions.sites.0.cluster");
    const metrics = evaluateMetrics(model);
    const only = metricsOnlySimulated(model);
    for (const id of [METRIC.serviceAvailability, METRIC.regionsFailoversPerYear, METRIC.regionsLoss]) {
      expect(metrics.has(id), id).toBe(false);
      expect(only.get(id), id).toBe(
        'simulated only: the cluster of "fleet5.yaml" is a fleet, whose availability (every partition writable) is not a small Markov chain the region chain takes — mqrel simulate estimates it',
      );
    }
  });

  it("when eval and check run on it then eval says simulated only and check is inconclusive (exit 1)", async () => {
    const { regions } = files();
    const evaluated = await runCli(["eval", regions]);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toContain("simulated only");
    const check = await runCli(["check", regions]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain("inconclusive");
    expect(check.stdout).toContain("check --simulate judges it");
  });

  it("when validate and check --simulate run on it then they judge the simulation: each region row simulated only, saying why; the SLO judged", async () => {
    const { regions } = files();
    const budget = ["--runs", "30", "--horizon", "20 years", "--seed", "7"];
    const validated = await runCli(["validate", regions, ...budget, "--json"]);
    expect(validated.status, validated.stderr).toBe(0);
    const rows = (
      JSON.parse(validated.stdout) as {
        comparisons: { metric: string; formula: string; verdict: string; note?: string; simulated?: number }[];
      }
    ).comparisons;
    for (const id of [METRIC.serviceAvailability, METRIC.regionsFailoversPerYear, METRIC.regionsLoss]) {
      const row = rows.find((r) => r.metric === id);
      expect(row, id).toMatchObject({ formula: "—", verdict: "simulated only" });
      expect(row?.note).toContain('the cluster of "fleet5.yaml" is a fleet');
      expect(row?.simulated, id).toBeGreaterThan(0);
    }
    // about 3.4e-3 unavailable (the test below): 99 % is met, 99.9 % is not
    const met = await runCli(["check", regions.replace("regions.yaml", "met.yaml"), "--simulate", ...budget, "--json"]);
    expect(met.status, met.stderr).toBe(0);
    const results = (JSON.parse(met.stdout) as { results: { metric: string; verdict: string; formula: string }[] }).results;
    expect(results).toEqual([expect.objectContaining({ metric: "service.availability", verdict: "pass", formula: "simulation" })]);
    const violated = await runCli(["check", regions, "--simulate", ...budget]);
    expect(violated.status).toBe(1);
    expect(violated.stdout).toContain("does not meet >= 99.9%");
  });

  it("when failover is instant then the simulated service unavailability is the parallel formula over the sites, each from eval's fleet.availability and its region", () => {
    const { dir, regions } = files();
    const model = loadModel(regions);
    const u5 = siteUnavailability(fleetAvailability(join(dir, "fleet5.yaml")), 1 / 1000, 50);
    const u4 = siteUnavailability(fleetAvailability(join(dir, "fleet4.yaml")), 1 / 2000, 100);
    const exact = u5 * u4;
    const plan = regionsSimConfigFromModel(model, model.regions as NonNullable<typeof model.regions>, {
      mode: "formula",
      runs: 40,
      horizonHours: 8766 * 300,
    });
    const seed = 20261207;
    const sim = simulateRegions(plan.config, plan.runs, plan.horizonHours, seed);
    const service = sim.metrics["service.availability"];
    expectWithinStandardErrors("service unavailability of two fleet sites", service.complement, service.standardError, exact, seed);
    // the site is the fleet, not its brokers' majority: 5 brokers lose their quorum of 3 only
    // with 3 down, while the fleet loses a partition with 2 down that share one — the
    // quorum reading would give a far smaller unavailability than the one checked above
    const p = 20 / 520;
    const quorumLost5 = 10 * p ** 3 * (1 - p) ** 2 + 5 * p ** 4 * (1 - p) + p ** 5;
    const fleet5 = fleetAvailability(join(dir, "fleet5.yaml")).complement;
    expect(fleet5).toBeGreaterThan(5 * quorumLost5);
  });

  it("when the cluster kernel records a fleet's down intervals then they are the tracker's own measure: their total is its fleet down time, their starts inside the window its outages", () => {
    const { dir } = files();
    const plan = simConfigFromModel(loadModel(join(dir, "fleet5.yaml")), { mode: "formula" });
    const horizon = 8766 * 50;
    for (const seed of [1, 2, 3]) {
      const run = simulateCluster(plan.config.cluster, horizon, seedState(seed), { fleetDownIntervals: true });
      const down = run.fleetDownIntervals ?? new Float64Array(0);
      expect(down.length % 2, `seed ${seed}`).toBe(0);
      let total = 0;
      let begun = 0;
      for (let i = 0; i < down.length; i += 2) {
        const start = down[i] as number;
        const end = down[i + 1] as number;
        expect(start, `seed ${seed}`).toBeLessThanOrEqual(end);
        if (i > 0) expect(start, `seed ${seed}: sorted, disjoint`).toBeGreaterThanOrEqual(down[i - 1] as number);
        expect(end, `seed ${seed}`).toBeLessThanOrEqual(horizon);
        total += end - start;
        if (start > 0) begun++;
      }
      expect(begun, `seed ${seed}: a run of 50 years sees fleet outages`).toBeGreaterThan(100);
      const stats = run.stats;
      expect(Math.abs(total - (stats[CLUSTER_STATS.fleetDownHours] as number)), `seed ${seed}`).toBeLessThanOrEqual(1e-9 * horizon);
      expect(begun, `seed ${seed}`).toBe(stats[CLUSTER_STATS.fleetOutages]);
    }
  });
});
