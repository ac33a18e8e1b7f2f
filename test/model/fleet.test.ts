/**
 * The `fleet:` block read from model files (src/model/fleet.ts, docs/design.md §3c): its
 * defaults, its placements as the resolver makes them, what eval prints for a fleet
 * (fleet.placement, and none of one replica set's cluster.* metrics); the simulator's side
 * is in test/sim/fleet.test.ts.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics } from "../../src/model/evaluate.js";
import { parseModelText, readModelFile, resolveModel } from "../../src/model/index.js";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

const CLUSTER = `mqrel: 1
cluster:
  nodes: 6
  node: { mtbf: 2 years, mttr: 8 h }
`;

function model(yaml: string) {
  return resolveModel(parseModelText(yaml, "fleet.yaml"));
}

function errorOf(yaml: string): string {
  try {
    model(yaml);
  } catch (error) {
    if (error instanceof InputError) return error.format();
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("the fleet block", () => {
  it("when only partitions and replication are given then min_insync is the majority of R, the seed 1 and the placement kafka", () => {
    for (const [replication, majority] of [
      [1, 1],
      [2, 2],
      [3, 2],
      [4, 3],
      [5, 3],
    ]) {
      const fleet = model(`${CLUSTER}fleet: { partitions: 12, replication: ${replication} }\n`).fleet;
      // ⌊R/2⌋ + 1
      expect(fleet?.minInsync, `R = ${replication}`).toBe(majority);
      expect(fleet?.placement).toEqual({ kind: "kafka", seed: 1 });
      expect(fleet?.replicaSets).toHaveLength(12);
    }
  });

  it("when min_insync is a word then it is relative to R, as cluster.quorum's words are to the nodes", () => {
    const of = (word: string) => model(`${CLUSTER}fleet: { partitions: 6, replication: 5, min_insync: ${word} }\n`).fleet?.minInsync;
    expect(of("majority")).toBe(3);
    expect(of("any")).toBe(1);
    expect(of("all")).toBe(5);
    expect(of("4")).toBe(4);
  });

  it("when the placement is an explicit list then the sets are kept in their order, preferred leader first", () => {
    const fleet = model(`${CLUSTER}fleet:\n  partitions: 2\n  replication: 3\n  placement: [[5, 0, 3], [1, 2, 4]]\n`).fleet;
    expect(fleet?.placement.kind).toBe("explicit");
    expect(fleet?.replicaSets).toEqual([
      [5, 0, 3],
      [1, 2, 4],
    ]);
    expect(fleet?.summary.leadersPerBroker).toEqual({ min: 0, max: 1 });
  });

  it("when copyset is asked for then the scatter width is kept and the seed chooses the copysets", () => {
    const yaml = (seed: number) =>
      `${CLUSTER}fleet: { partitions: 60, replication: 3, placement: copyset, scatter_width: 2, seed: ${seed} }\n`;
    const one = model(yaml(1)).fleet;
    expect(one?.placement).toEqual({ kind: "copyset", seed: 1, scatterWidth: 2 });
    // S = 2, R = 3: one permutation of ⌈6/3⌉ = 2 copysets
    expect(one?.summary.distinctReplicaSets).toBeLessThanOrEqual(2);
    expect(model(yaml(1)).fleet?.replicaSets).toEqual(one?.replicaSets);
  });

  it("when an explicit set names a broker twice then the error points at the repeated broker", () => {
    const text = errorOf(`${CLUSTER}fleet:\n  partitions: 1\n  replication: 3\n  placement: [[1, 2, 1]]\n`);
    expect(text).toMatch(/^fleet\.yaml:8:\d+: fleet\.placement\.0\.2: broker 1 appears twice in this replica set$/);
  });

  it("when a fleet model is evaluated then none of one replica set's cluster.* metrics is there, only the fleet's", () => {
    const fleetModel = readModelFile("test/fixtures/fleet/kafka-12x600.yaml");
    const metrics = evaluateMetrics(resolveModel(fleetModel));
    expect([...metrics.keys()]).toEqual([
      METRIC.nodeAvailability,
      METRIC.fleetAvailability,
      METRIC.fleetPartitionAvailability,
      METRIC.fleetPartitionsUnavailable,
      METRIC.fleetLossEventsPerYear,
      METRIC.fleetPartitionsLostPerYear,
      METRIC.fleetElectionsPerYear,
    ]);
  });

  it("when an SLO names a cluster.* metric beside a fleet then it is refused in one line", () => {
    const text = errorOf(`${CLUSTER}fleet: { partitions: 6, replication: 3 }\nslo:\n  cluster.availability: ">= 99.9%"\n`);
    expect(text).toMatch(/slo\.cluster\.availability: cluster\.availability is one replica set's; a fleet model does not compute it/);
  });
});

describe("eval and the simulator on a fleet", () => {
  const file = "test/fixtures/fleet/kafka-12x600.yaml";

  it("when 12 brokers over 3 zones take 600 partitions of RF 3 by Kafka's assignment then eval's JSON gives the placement", async () => {
    // Act
    const result = await runCli(["eval", file, "--format", "json"]);

    // Assert
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as { models: { metrics: Record<string, unknown>; fleet: { placement: unknown } }[] };
    const entry = out.models[0];
    expect(Object.keys(entry?.metrics ?? {})).toEqual([
      METRIC.nodeAvailability,
      METRIC.fleetAvailability,
      METRIC.fleetPartitionAvailability,
      METRIC.fleetPartitionsUnavailable,
      METRIC.fleetLossEventsPerYear,
      METRIC.fleetPartitionsLostPerYear,
      METRIC.fleetElectionsPerYear,
    ]);
    // the distinct sets, counted here another way: each set as a number in base 12
    const sets = resolveModel(readModelFile(file)).fleet?.replicaSets ?? [];
    const distinct = new Set(sets.map((set) => [...set].sort((a, b) => a - b).reduce((n, b) => n * 12 + b, 0))).size;
    // Kafka's goal with P a multiple of B: every broker leads 600/12 = 50 partitions and
    // holds 3·600/12 = 150 replicas (AdminUtils' doc comment)
    expect(entry?.fleet.placement).toEqual({
      replicas_per_broker: { min: 150, max: 150 },
      leaders_per_broker: { min: 50, max: 50 },
      distinct_replica_sets: distinct,
    });
  });

  it("when a fleet is evaluated as a table then one line says where the partitions went", async () => {
    const result = await runCli(["eval", file]);
    expect(result.status).toBe(0);
    expect(result.stdout.replace(/\s+/g, " ")).toMatch(
      /fleet: 600 partitions × 3 replicas on 12 brokers by placement kafka \(rack-aware over the zones\): 150 replicas and 50 preferred leaders per broker/,
    );
  });

  it("when a planning command asks a fleet for cluster.availability then the refusal says why", async () => {
    const result = await runCli(["sensitivity", file, "--metric", "cluster.availability"]);
    expect(result.status).toBe(2);
    expect(expectOneLineError(result)).toMatch(/--metric: cluster\.availability is one replica set's; a fleet model does not compute it/);
  });

  it("when sensitivity and solve are given a fleet without --metric then they watch fleet.availability", async () => {
    const sensitivity = await runCli(["sensitivity", file, "--json"]);
    expect(sensitivity.status).toBe(0);
    expect((JSON.parse(sensitivity.stdout) as { metric: string }).metric).toBe(METRIC.fleetAvailability);
    const solve = await runCli([
      "solve",
      file,
      "--for",
      "cluster.nodes",
      "--range",
      "cluster.nodes=3..15",
      "--target",
      ">= 99.99%",
      "--json",
    ]);
    expect(solve.status).toBe(0);
    expect((JSON.parse(solve.stdout) as { metric: string }).metric).toBe(METRIC.fleetAvailability);
  });

  it("when a fleet is swept without --metric then the chart plots fleet.availability", async () => {
    const result = await runCli(["sweep", file, "--vary", "cluster.nodes=6..9", "--format", "json"]);
    expect(result.status).toBe(0);
    const human = await runCli(["sweep", file, "--vary", "cluster.nodes=6..9"], { columns: 120 });
    // the chart's caption names what it plots
    expect(human.stdout).toMatch(/fleet\.availability/);
    expect(human.stdout.slice(human.stdout.lastIndexOf("└"))).toMatch(/fleet\.availability/);
  });
});
