/**
 * Fleets in the simulator (src/sim/kernel/fleetTracker.ts on the cluster run's timeline,
 * docs/design.md §3c):
 * - the tracker's counting on hand-made event sequences (counted by hand in the comments);
 * - seeded statistical checks: every fleet metric within 4 standard errors of the exact
 *   value of the brute-force enumeration over broker states (test/helpers/fleetBruteForce.ts,
 *   written without src/formulas/fleet.ts), for independent brokers;
 * - the commands: simulate reports the fleet's metrics and none of one replica set's,
 *   validate --assume formula pairs all six with their formula.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METRIC } from "../../src/metrics/index.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import type { ClusterSimConfig } from "../../src/sim/kernel/config.js";
import { FleetTracker } from "../../src/sim/kernel/fleetTracker.js";
import { MAINTENANCE, RECOVERING, UP } from "../../src/sim/kernel/nodeState.js";
import { CLUSTER_STATS } from "../../src/sim/kernel/records.js";
import { fleetSimConfig, simConfigFromModel } from "../../src/sim/run/fromModel.js";
import { runSimulation } from "../../src/sim/run/scheduler.js";
import { expectOneLineError } from "../helpers/cli.js";
import { bruteForce, type Triple } from "../helpers/fleetBruteForce.js";
import { tempDir } from "../helpers/inProcessCli.js";
import { runCli } from "../helpers/runCli.js";
import { expectComplement, expectValue } from "../helpers/statistical.js";

const HOURS_PER_YEAR = 8766;
const DISK = 0;
const CRASH = 1;

/** A 3-broker cluster config for the tracker alone (the run's loop is not involved). */
function trackerCluster(zoneOfNode?: number[]): ClusterSimConfig {
  return {
    nodes: 3,
    quorum: 2,
    repairCrews: 3,
    modes: [
      { name: "disk", mtbfHours: 1, mttrHours: 1, crew: false, losesDisk: true },
      { name: "crash", mtbfHours: 1, mttrHours: 1, crew: false, losesDisk: false },
    ],
    failure: { kind: "exponential" },
    repair: { kind: "exponential" },
    warmupHours: 0,
    commonCauseRatePerHour: 0,
    commonCauseMttrHours: 1,
    ...(zoneOfNode ? { zones: { zoneOfNode, count: Math.max(...zoneOfNode) + 1, outageRatePerHour: 1, mttrHours: 1 } } : {}),
  };
}

function tracker(sets: number[][], minInsync: number, zoneOfNode: number[] = [0, 0, 0]) {
  const cluster = trackerCluster(zoneOfNode);
  const state = new Uint8Array(3).fill(UP);
  const failedMode = new Int32Array(3).fill(-1);
  const zoneUp = new Uint8Array(Math.max(...zoneOfNode) + 1).fill(1);
  const t = new FleetTracker(cluster, fleetSimConfig(sets, 3, minInsync), state, failedMode, zoneUp, Int32Array.from(zoneOfNode));
  const fail = (b: number, mode: number) => {
    state[b] = RECOVERING;
    failedMode[b] = mode;
  };
  const recover = (b: number) => {
    state[b] = UP;
  };
  const totals = () => {
    const stats = new Float64Array(CLUSTER_STATS.size);
    t.write(stats);
    return {
      down: stats[CLUSTER_STATS.fleetDownHours],
      outages: stats[CLUSTER_STATS.fleetOutages],
      partitionHours: stats[CLUSTER_STATS.fleetPartitionHours],
      lossEvents: stats[CLUSTER_STATS.fleetLossEvents],
      partitionsLost: stats[CLUSTER_STATS.fleetPartitionsLost],
      elections: stats[CLUSTER_STATS.fleetElections],
      expectedLossEvents: stats[CLUSTER_STATS.fleetExpectedLossEvents],
      expectedPartitionsLost: stats[CLUSTER_STATS.fleetExpectedPartitionsLost],
      exposures: stats[CLUSTER_STATS.fleetLossExposures],
    };
  };
  return { t, state, failedMode, zoneUp, fail, recover, totals };
}

describe("the fleet tracker, on hand-made events", () => {
  it("when brokers fail one by one then elections follow the leaders and a loss is counted once the last replica goes", () => {
    // Arrange: p0 = [0, 1, 2], p1 = [1, 2, 0], min ISR 2
    const f = tracker(
      [
        [0, 1, 2],
        [1, 2, 0],
      ],
      2,
    );

    // Act and assert, step by step
    // t=1: 0 crashes: it leads p0 only → 1 election; both partitions keep 2 of 3
    f.fail(0, CRASH);
    f.t.sync(1, true, 0, 1, false);
    expect(f.totals()).toMatchObject({ elections: 1, outages: 0, lossEvents: 0 });
    // t=2: 1 loses its disk: it leads p0 (0 is down) and p1 → 3; both partitions below 2 up
    f.fail(1, DISK);
    f.t.sync(2, true, 1, 2, false);
    expect(f.totals()).toMatchObject({ elections: 3, outages: 1 });
    // t=5: 2 loses its disk: leads both → 5; destroyed {1, 2}, 0 only crashed: nothing lost
    f.fail(2, DISK);
    f.t.sync(5, true, 2, 3, false);
    expect(f.totals()).toMatchObject({ elections: 5, lossEvents: 0, partitionsLost: 0 });
    // t=6: 0 is back (alone: both partitions still below min ISR)
    f.recover(0);
    f.t.sync(6, true, 0, 1, false);
    // t=7: 0 loses its disk: it leads both → 7; every replica of both destroyed: one event, two partitions
    f.fail(0, DISK);
    f.t.sync(7, true, 0, 1, false);
    f.t.finish(7);
    // not writable from t=2 to t=7: 5 h, two partitions throughout: 10 partition-hours.
    // By intensity: from t=5, 0 is the last intact replica of both partitions, but it can
    // fail only from t=6 (back up) to t=7: 1 broker-hour and 2 partition-hours of
    // exposure, one episode, times δ = 1 / h (the disk mode's mtbf is 1 h)
    expect(f.totals()).toEqual({
      down: 5,
      outages: 1,
      partitionHours: 10,
      lossEvents: 1,
      partitionsLost: 2,
      elections: 7,
      expectedLossEvents: 1,
      expectedPartitionsLost: 2,
      exposures: 1,
    });
  });

  it("when a zone takes two brokers at once then each partition whose leader went is elected once", () => {
    // Arrange: brokers 0 and 1 in zone 0, broker 2 in zone 1; p0 = [0, 1, 2], p1 = [2, 0, 1]
    const f = tracker(
      [
        [0, 1, 2],
        [2, 0, 1],
      ],
      1,
      [0, 0, 1],
    );

    // Act: zone 0 out — brokers 0 and 1 down together
    f.zoneUp[0] = 0;
    f.t.sync(3, true, 0, 3, false);
    f.t.finish(4);

    // Assert: p0 lost its leader 0 (1 went too, but it was no leader before the event): one
    // election; p1's leader 2 is up. Each partition keeps one up replica: writable (min ISR 1)
    expect(f.totals()).toMatchObject({ elections: 1, outages: 0, partitionHours: 0 });
  });

  it("when a broker is restarted for maintenance then no election is counted and its replica is not destroyed", () => {
    // Arrange
    const f = tracker([[0, 1, 2]], 3);

    // Act: 0 restarted (planned), then back
    f.state[0] = MAINTENANCE;
    f.failedMode[0] = -1;
    f.t.sync(1, true, 0, 3, false);
    f.state[0] = UP;
    f.t.sync(1.5, true, 0, 3, false);
    f.t.finish(2);

    // Assert: not writable (min ISR 3) for the half hour of the restart; no election
    expect(f.totals()).toMatchObject({ down: 0.5, outages: 1, partitionHours: 0.5, lossEvents: 0, partitionsLost: 0, elections: 0 });
  });

  it("when the common cause strikes then every led partition is elected once, and a broker down for its disk stays destroyed", () => {
    // Arrange: p0 = [0, 1, 2], p1 = [1, 0, 2]; broker 2 has lost its disk
    const f = tracker(
      [
        [0, 1, 2],
        [1, 0, 2],
      ],
      2,
    );
    f.fail(2, DISK);
    f.t.sync(1, true, 2, 3, false);

    // Act: the common cause: all down together
    f.t.sync(2, true, 0, 3, true);
    f.t.finish(3);

    // Assert: leaders 0 (p0) and 1 (p1) lost: 2 elections (none at t=1: 2 led nothing);
    // no loss (0 and 1 keep their disks); not writable from t=2 to t=3, 2 partitions
    // by intensity: 2 is destroyed, 0 and 1 intact: no partition is down to one intact replica
    expect(f.totals()).toEqual({
      down: 1,
      outages: 1,
      partitionHours: 2,
      lossEvents: 0,
      partitionsLost: 0,
      elections: 2,
      expectedLossEvents: 0,
      expectedPartitionsLost: 0,
      exposures: 0,
    });
  });

  it("when events happen before the measured window then they are not counted, and time counts from the window's start", () => {
    // Arrange: origin 10 h
    const cluster = { ...trackerCluster(), warmupHours: 10 };
    const state = new Uint8Array(3).fill(UP);
    const failedMode = new Int32Array(3).fill(-1);
    const t = new FleetTracker(cluster, fleetSimConfig([[0, 1, 2]], 3, 3), state, failedMode, new Uint8Array(1).fill(1), new Int32Array(3));

    // Act: 0 crashes at 4 h (warm-up), back at 12 h
    state[0] = RECOVERING;
    failedMode[0] = CRASH;
    t.sync(4, false, 0, 1, false);
    state[0] = UP;
    t.sync(12, true, 0, 1, false);
    t.finish(20);
    const stats = new Float64Array(CLUSTER_STATS.size);
    t.write(stats);

    // Assert: 2 h of the window (10 → 12) not writable; the election and the episode's start were in the warm-up
    expect(stats[CLUSTER_STATS.fleetDownHours]).toBe(2);
    expect(stats[CLUSTER_STATS.fleetElections]).toBe(0);
    expect(stats[CLUSTER_STATS.fleetOutages]).toBe(0);
  });
});

/** A fleet model: brokers with a disk mode and a crash mode, crew-free (independent). */
function fleetYaml(o: {
  brokers: number;
  partitions: number;
  replication: number;
  minInsync: number;
  placement: string;
  diskMtbfDays: number;
  diskMttrHours: number;
  crashPerYear: number;
  crashMttrMinutes: number;
}): string {
  return `mqrel: 1
name: fleet under test
cluster:
  nodes: ${o.brokers}
  node:
    failures:
      disk:  { mtbf: ${o.diskMtbfDays} days, mttr: ${o.diskMttrHours} h, crew: false, loses: disk }
      crash: { rate: ${o.crashPerYear} / year, mttr: ${o.crashMttrMinutes} min, crew: false, loses: nothing }
fleet:
  partitions: ${o.partitions}
  replication: ${o.replication}
  min_insync: ${o.minInsync}
  placement: ${o.placement}
`;
}

/** The brokers' steady state by hand: an alternating renewal of up (rate Λ = λd + λc) and each mode's repair. */
function triple(o: Parameters<typeof fleetYaml>[0]): Triple {
  const diskRate = 1 / (o.diskMtbfDays * 24);
  const crashRate = o.crashPerYear / HOURS_PER_YEAR;
  const lost = diskRate * o.diskMttrHours;
  const intact = crashRate * (o.crashMttrMinutes / 60);
  const norm = 1 + lost + intact;
  return { lost: lost / norm, intact: intact / norm, rate: diskRate + crashRate, diskRate };
}

const CASES = [
  {
    name: "6 brokers, 30 partitions, RF 3, min ISR 2, random",
    o: {
      brokers: 6,
      partitions: 30,
      replication: 3,
      minInsync: 2,
      placement: "random",
      diskMtbfDays: 40,
      diskMttrHours: 24,
      crashPerYear: 50,
      crashMttrMinutes: 60,
    },
  },
  {
    name: "5 brokers, 10 partitions, RF 2, min ISR 1, kafka",
    o: {
      brokers: 5,
      partitions: 10,
      replication: 2,
      minInsync: 1,
      placement: "kafka",
      diskMtbfDays: 60,
      diskMttrHours: 48,
      crashPerYear: 20,
      crashMttrMinutes: 120,
    },
  },
  {
    // one replica: each partition's only replica is exposed from the start (a bug found by a second reference)
    name: "4 brokers, 8 partitions, RF 1, min ISR 1, random",
    o: {
      brokers: 4,
      partitions: 8,
      replication: 1,
      minInsync: 1,
      placement: "random",
      diskMtbfDays: 200,
      diskMttrHours: 24,
      crashPerYear: 12,
      crashMttrMinutes: 60,
    },
  },
  {
    name: "7 brokers, 21 partitions, RF 3, min ISR 3, copyset",
    o: {
      brokers: 7,
      partitions: 21,
      replication: 3,
      minInsync: 3,
      placement: "copyset",
      diskMtbfDays: 30,
      diskMttrHours: 24,
      crashPerYear: 12,
      crashMttrMinutes: 30,
    },
  },
];

describe("a simulated fleet of independent brokers against the brute-force enumeration", () => {
  it.each(CASES)("when $name is simulated then every fleet metric is within 4 SE of the enumeration", async ({ o }) => {
    // Arrange
    const seed = 7;
    const model = resolveModel(parseModelText(fleetYaml(o), "fleet.yaml"));
    const sets = model.fleet?.replicaSets as number[][];
    const t = triple(o);
    const exact = bruteForce(new Array(o.brokers).fill(t), sets, o.minInsync);
    const plan = simConfigFromModel(model, { mode: "formula", runs: 40, horizonHours: 400 * HOURS_PER_YEAR });

    // Act
    const { summary } = await runSimulation(plan.config, { runs: plan.runs, seed, workers: 1 });
    const m = summary.metrics;

    // Assert: the six metrics, and none of one replica set's
    expectComplement("fleet unavailability", m[METRIC.fleetAvailability], exact.unavailability, seed);
    expectComplement("partition unavailability", m[METRIC.fleetPartitionAvailability], exact.partitionUnavailability, seed);
    expectValue("partitions unavailable", m[METRIC.fleetPartitionsUnavailable], exact.partitionsUnavailable, seed);
    expectValue("loss events per year", m[METRIC.fleetLossEventsPerYear], exact.lossEventsPerHour * HOURS_PER_YEAR, seed);
    expectValue("partitions lost per year", m[METRIC.fleetPartitionsLostPerYear], exact.partitionsLostPerHour * HOURS_PER_YEAR, seed);
    expectValue("elections per year", m[METRIC.fleetElectionsPerYear], exact.electionsPerHour * HOURS_PER_YEAR, seed);
    expect(m[METRIC.clusterAvailability]).toBeUndefined();
    expect(m[METRIC.queueAvailability]).toBeUndefined();
  });
});

describe("simulate and validate on a fleet", () => {
  const dir = tempDir();
  const file = join(dir, "fleet.yaml");
  writeFileSync(file, fleetYaml(CASES[0]?.o as Parameters<typeof fleetYaml>[0]));

  it("when a fleet is simulated then its six metrics are reported, with their method, and no cluster.* metric", async () => {
    const result = await runCli(["simulate", file, "--runs", "10", "--horizon", "50y", "--json"]);
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { metrics: Record<string, { method: string }> };
    expect(Object.keys(json.metrics).sort()).toEqual(
      [
        METRIC.fleetAvailability,
        METRIC.fleetElectionsPerYear,
        METRIC.fleetLossEventsPerYear,
        METRIC.fleetPartitionAvailability,
        METRIC.fleetPartitionsLostPerYear,
        METRIC.fleetPartitionsUnavailable,
      ].sort(),
    );
    expect(json.metrics[METRIC.fleetAvailability]?.method).toMatch(/time with some partition not writable/);
  });

  it("when a fleet's losses are too rare to see in a short simulation then every metric still says how it was estimated", async () => {
    // auto (importance sampling cannot apply to a fleet: plain Monte Carlo); an explicit `is` is refused (test/cli/importanceRefusal.test.ts)
    for (const method of ["plain", "auto"]) {
      const result = await runCli(["simulate", file, "--runs", "2", "--horizon", "1 h", "--method", method, "--json"]);
      expect(result.status, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout) as { metrics: Record<string, { method: string; estimate: number }> };
      expect(json.metrics[METRIC.fleetPartitionsLostPerYear]?.method).toMatch(/no partition lost in 2 runs/);
      expect(json.metrics[METRIC.fleetLossEventsPerYear]?.method).toMatch(/Poisson rule of three/);
    }
  });

  it.each([
    [
      "a durability block beside the fleet",
      ["--set", "cluster.nodes=6"],
      "durability: { replicas: 3, window: 1 s, crash_rate: 1 / year }\n",
      /durability describes one replica set/,
    ],
    ["min_insync above the replication", ["--set", "fleet.min_insync=4"], "", /fleet\.min_insync.*more than the 3 replicas/],
    ["fewer brokers than replicas", ["--set", "cluster.nodes=2"], "", /fleet\.replication.*more than the 2 brokers/],
    [
      "31 replicas a partition",
      ["--set", "cluster.nodes=40", "--set", "fleet.replication=31"],
      "",
      /fleet\.replication: the simulator tracks at most 30 replicas/,
    ],
  ])("when simulate and validate are given %s then each says so in one line, exit 2", async (_, args, extra, message) => {
    const bad = join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(bad, fleetYaml(CASES[0]?.o as Parameters<typeof fleetYaml>[0]) + extra);
    for (const command of ["simulate", "validate"]) {
      const result = await runCli([command, bad, ...args, "--runs", "2", "--horizon", "1 year"]);
      expect(result.status, `${command}: ${result.stdout}${result.stderr}`).toBe(2);
      expect(expectOneLineError(result)).toMatch(message);
    }
  });

  it("when validate is given a fleet coupled by rolling restarts then each fleet row is simulated only and says why", async () => {
    const result = await runCli([
      "validate",
      "test/fixtures/fleet/kafka-12x600-coupled.yaml",
      "--runs",
      "4",
      "--horizon",
      "20 years",
      "--format",
      "json",
    ]);
    expect(result.status, result.stderr).toBe(0);
    const rows = (JSON.parse(result.stdout) as { comparisons: { metric: string; verdict: string; note?: string }[] }).comparisons.filter(
      (row) => row.metric.startsWith("fleet."),
    );
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.verdict).toBe("simulated only");
      expect(row.note).toBe("rolling restarts (cluster.maintenance) couple the brokers");
    }
  });

  it("when validate --assume formula is given the fleet then every fleet row is judged and agrees, exit 0", async () => {
    const result = await runCli(["validate", file, "--assume", "formula", "--runs", "20", "--horizon", "100y", "--format", "json"]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { comparisons: { metric: string; verdict: string }[] };
    const fleetRows = json.comparisons.filter((row) => row.metric.startsWith("fleet."));
    expect(fleetRows.map((row) => row.metric).sort()).toHaveLength(6);
    for (const row of fleetRows) expect(row.verdict, row.metric).toBe("agrees");
  });
});
