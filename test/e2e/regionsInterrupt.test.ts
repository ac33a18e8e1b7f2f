/**
 * Ctrl-C during a regions model's sites (src/cli/simulationRun.ts simulateRegionsOfModel):
 * the region runs give the event loop a turn between runs (simulateRegionsYielding), so
 * the SIGINT listener runs, the runs stop, and the region rows made so far are printed
 * (exit 130) — as for a cluster's runs (bin.test.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startCli, waitForLine } from "../helpers/cli.js";

// the top-level cluster almost never fails (its part is quick); the sites' one-node clusters and regions make the work
const MODEL = `mqrel: 1
name: two-regions-long
cluster:
  nodes: 1
  node: { mtbf: 1000000 years, mttr: 8 h }
regions:
  failover: { after: 5 min, time: 15 min }
  replication: { lag: 2 s }
  sites:
    - name: eu-west
      outage: { rate: 2 / year, mttr: 6 h }
      cluster: { nodes: 1, node: { mtbf: 1 year, mttr: 8 h } }
    - name: us-east
      outage: { rate: 1 / year, mttr: 12 h }
      cluster: { nodes: 1, node: { mtbf: 1 year, mttr: 8 h } }
`;

describe("a regions simulation interrupted", () => {
  it("when Ctrl-C comes during the region runs then the region rows of the runs made are printed and the process exits 130", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "mqrel-regions-")), "regions.yaml");
    writeFileSync(file, MODEL);
    const { child, closed } = startCli(["simulate", file, "--runs", "100000", "--horizon", "2000 years", "--workers", "1", "--json"], {
      env: { MQREL_PROGRESS_SECONDS: "0" },
    });
    // a progress line of the region runs with some done: the cluster's part is over, the listener is on
    const progress = await waitForLine(child.stderr, /^simulating: .*\((\d+) of 100000 region runs done\)/, (m) => Number(m[1]) > 0);
    child.kill("SIGINT");
    const result = await closed;

    expect(result.status, `signal ${result.signal}; stderr: ${result.stderr}`).toBe(130);
    expect(result.stderr).toMatch(/^interrupted: the region rows rest on the \d+ of 100000 region runs made$/m);
    // the region rows rest on the runs made: at least those seen before the signal, fewer than asked (degrees of freedom: runs − 1)
    const metrics = (JSON.parse(result.stdout) as { metrics: Record<string, { estimate: number; degrees_of_freedom: number }> }).metrics;
    for (const id of ["service.availability", "regions.failovers_per_year", "regions.loss"]) {
      const runs = (metrics[id]?.degrees_of_freedom as number) + 1;
      expect(runs, id).toBeGreaterThanOrEqual(Number(progress[1]));
      expect(runs, id).toBeLessThan(100000);
      expect(Number.isFinite(metrics[id]?.estimate), id).toBe(true);
    }
  }, 120_000);
});
