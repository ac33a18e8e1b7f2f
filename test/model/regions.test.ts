/**
 * The `regions:` block read from model files (src/model/regions.ts, docs/design.md §3d):
 * each site's cluster resolved by the cluster resolution (inline, the top-level default,
 * or another model file), `--set` into a site, and one clear line for each bad input.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { type Override, parseModelText, readModelFile, resolveModel } from "../../src/model/index.js";

const HEAD = `mqrel: 1
params:
  region_mttr: 6 h
cluster:
  nodes: 3
  node: { mtbf: 2 years, mttr: 8 h }
regions:
  failover: { after: 5 min, time: 15 min }
  replication: { lag: 2 s }
  sites:
`;
const SITE_A = `    - name: eu-west
      outage: { rate: 0.5 / year, mttr: region_mttr }
`;
const SITE_B = `    - name: us-east
      outage: { rate: 0.25 / year, mttr: 4 h }
      cluster:
        nodes: 1
        node:
          failures:
            crash: { rate: 6 / year, mttr: 2 min, crew: false }
`;

function model(yaml: string, overrides: readonly Override[] = [], file = "regions.yaml") {
  return resolveModel(parseModelText(yaml, file), overrides);
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.format();
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("the regions block", () => {
  it("when a site gives no cluster then it runs the top-level one; an inline cluster is resolved as a cluster block, over the model's params", () => {
    const m = model(HEAD + SITE_A + SITE_B);
    const regions = m.regions;
    expect(regions).toBeDefined();
    if (regions === undefined) return;
    // 5 min, 15 min, 2 s in hours
    expect(regions.failover).toEqual({ afterHours: 5 / 60, timeHours: 0.25 });
    expect(regions.replication.lagHours).toBeCloseTo(2 / 3600, 15);
    expect(regions.failback).toBeUndefined();
    const [a, b] = regions.sites;
    expect(a?.name).toBe("eu-west");
    expect(a?.clusterFrom).toEqual({ kind: "default" });
    expect(a?.cluster).toBe(m.cluster);
    expect(a?.outage.mttrHours).toBe(6);
    expect(a?.outage.ratePerHour).toBeCloseTo(0.5 / 8766, 18);
    expect(b?.clusterFrom).toEqual({ kind: "inline" });
    expect(b?.cluster.nodes).toBe(1);
    expect(b?.cluster.failureModes).toEqual([{ name: "crash", ratePerHour: 6 / 8766, mttrHours: 2 / 60, crew: false, loses: "nothing" }]);
  });

  it("when a site has rolling restarts then the model loads, its region metrics simulated only, placed at the site's maintenance", () => {
    const regions = model(
      HEAD + SITE_A + SITE_B.replace("nodes: 1", "nodes: 1\n        maintenance: { every: 30 d, duration: 10 min }"),
    ).regions;
    expect(regions?.simulatedOnly?.why).toBe(
      "a site's cluster has rolling restarts (maintenance), which the region chain does not take (a fixed schedule is not a Markov process)",
    );
    expect(regions?.simulatedOnly?.place).toMatchObject({
      file: "regions.yaml",
      line: 17,
      column: 22,
      path: "regions.sites.1.cluster.maintenance",
    });
    expect(regions?.sites[1]?.cluster.maintenance).toBeDefined();
    expect(model(HEAD + SITE_A + SITE_B).regions?.simulatedOnly).toBeUndefined();
  });

  it("when failback is given without a time then it takes failover.time", () => {
    const yaml = HEAD.replace("  sites:\n", "  failback: { after: 1 h }\n  sites:\n") + SITE_A + SITE_B;
    expect(model(yaml).regions?.failback).toEqual({ afterHours: 1, timeHours: 0.25 });
  });

  it("when --set names a field inside a site's cluster then that site changes, and its errors name the --set", () => {
    const m = model(HEAD + SITE_A + SITE_B, [{ path: "regions.sites.1.cluster.nodes", value: "3" }]);
    expect(m.regions?.sites[1]?.cluster.nodes).toBe(3);
    expect(model(HEAD + SITE_A + SITE_B, [{ path: "regions.failover.after", value: "0 s" }]).regions?.failover.afterHours).toBe(0);
    expect(
      errorOf(() => model(HEAD + SITE_A + SITE_B, [{ path: "regions.sites.1.cluster.node.failures.crash.mttr", value: "-1 min" }])),
    ).toBe("regions.yaml: --set regions.sites.1.cluster.node.failures.crash.mttr: expected a duration > 0, got -0.0166667 h");
    expect(errorOf(() => model(HEAD + SITE_A + SITE_B, [{ path: "regions.sites.2.name", value: "x" }]))).toBe(
      'regions.yaml: --set regions.sites.2.name: expected the position of an entry (0 to 1), got "2"',
    );
  });

  it("when a plain number is read as hours inside a site's cluster then the warning is placed at the site", () => {
    const m = model(HEAD + SITE_A + SITE_B.replace("mttr: 2 min", "mttr: 2"));
    expect(m.warnings.map((w) => `${w.place.line}:${w.place.column} ${w.place.path}`)).toEqual([
      "19:44 regions.sites.1.cluster.node.failures.crash.mttr",
    ]);
  });

  it("when a site's cluster is a path then that model file's cluster is taken, relative to this file", () => {
    const dir = mkdtempSync(join(tmpdir(), "mqrel-regions-"));
    writeFileSync(join(dir, "site.yaml"), "mqrel: 1\ncluster: { nodes: 5, quorum: 3, node: { mtbf: 1 year, mttr: 4 h } }\n");
    writeFileSync(
      join(dir, "main.yaml"),
      `${HEAD + SITE_A}    - name: other\n      outage: { rate: 1 / year, mttr: 1 h }\n      cluster: site.yaml\n`,
    );
    const m = resolveModel(readModelFile(join(dir, "main.yaml")));
    expect(m.regions?.sites[1]?.clusterFrom).toEqual({ kind: "file", file: "site.yaml" });
    expect(m.regions?.sites[1]?.cluster.nodes).toBe(5);
    expect(m.regions?.sites[1]?.cluster.quorum).toBe(3);
  });

  describe("bad input: one clear line", () => {
    const sites = SITE_A + SITE_B;
    const cases: [string, string, string][] = [
      [
        "one site only",
        HEAD + SITE_A,
        "regions.yaml:11:5: regions.sites: expected at least 2 sites (one has nothing to fail over to), got 1",
      ],
      [
        "duplicate site names",
        HEAD + SITE_A + SITE_A,
        'regions.yaml:13:13: regions.sites.1.name: duplicate site name "eu-west" (site 0 has it too); names must be unique',
      ],
      [
        "a negative lag",
        HEAD.replace("lag: 2 s", "lag: -2 s") + sites,
        "regions.yaml:9:23: regions.replication.lag: expected a duration ≥ 0, got -0.000555556 h",
      ],
      [
        "an unknown field in a site",
        HEAD + SITE_A.replace("outage:", "outages:") + SITE_B,
        'regions.yaml:12:7: regions.sites.0.outages: unknown field; expected one of name, outage, cluster (did you mean "outage"?)',
      ],
      [
        "an unknown field in a site's cluster",
        HEAD + SITE_A + SITE_B.replace("nodes: 1", "nodez: 1"),
        'regions.yaml:16:9: regions.sites.1.cluster.nodez: unknown field; expected one of nodes, quorum, node, repair_crews, common_cause, zones, maintenance, failover, controller (did you mean "nodes"?)',
      ],
      [
        "a cluster that is neither a block nor a path",
        HEAD + SITE_A + SITE_B.replace(/ {6}cluster:[\s\S]*$/, "      cluster: 3\n"),
        "regions.yaml:15:16: regions.sites.1.cluster: expected a cluster block (a mapping of fields) or the path of a model file whose cluster it takes, got number 3",
      ],
      [
        "a quorum above the site's nodes",
        HEAD + SITE_A + SITE_B.replace("nodes: 1", "nodes: 1\n        quorum: 2"),
        "regions.yaml:17:17: regions.sites.1.cluster.quorum: quorum 2 is more than the 1 node",
      ],
      [
        "a site's cluster given as an availability",
        HEAD + SITE_A + SITE_B.replace(/node:\n[\s\S]*$/, "node: { availability: 0.999 }\n"),
        "regions.yaml:17:15: regions.sites.1.cluster.node: a site's cluster needs failure rates (node mtbf + mttr, or failures): the region chain is built from its Markov chain, and an availability alone has none",
      ],
      [
        "fleet beside regions",
        HEAD.replace("regions:", "fleet: { partitions: 10, replication: 3 }\nregions:") + sites,
        'regions.yaml:9:3: regions: fleet: beside regions: is not taken: give a fleet site as the path of a model file with its own fleet: (docs/model-files.md "Regions")',
      ],
    ];
    for (const [what, yaml, line] of cases) {
      it(`when ${what} then: ${line.slice(line.indexOf(": ") + 2)}`, () => {
        expect(errorOf(() => model(yaml))).toBe(line);
      });
    }

    it("when a site's path does not exist, or site files name each other in a cycle, then one line says so", () => {
      const dir = mkdtempSync(join(tmpdir(), "mqrel-regions-"));
      const main = join(dir, "main.yaml");
      const other = join(dir, "other.yaml");
      const pointing = (to: string) => `${HEAD + SITE_A}    - name: b\n      outage: { rate: 1 / year, mttr: 1 h }\n      cluster: ${to}\n`;
      writeFileSync(main, pointing("missing.yaml"));
      expect(errorOf(() => resolveModel(readModelFile(main)))).toBe(
        `${main}:15:16: regions.sites.1.cluster: cannot read the site's model file "missing.yaml": no such file`,
      );
      writeFileSync(main, pointing("main.yaml"));
      expect(errorOf(() => resolveModel(readModelFile(main)))).toBe(
        `${main}:15:16: regions.sites.1.cluster: site model files refer to each other in a cycle: main.yaml → main.yaml`,
      );
      writeFileSync(main, pointing("other.yaml"));
      writeFileSync(other, pointing("main.yaml"));
      expect(errorOf(() => resolveModel(readModelFile(main)))).toBe(
        `${other}:15:16: regions.sites.1.cluster: site model files refer to each other in a cycle: main.yaml → other.yaml → main.yaml`,
      );
    });
  });
});
