/**
 * The two fleet presets (models/kafka-fleet-12x600.yaml, models/rabbitmq-quorum-fleet-5x200.yaml):
 * what their top comments and docs/sources.md say of their placement, and their fleet
 * figures against references written here without src/formulas/fleet.ts — an enumeration
 * of the up/down states of the zones and brokers for `fleet.availability` and the
 * partitions unavailable (a partition is writable while min_insync of its replicas are
 * up), and for the five-node RabbitMQ fleet the 3^B enumeration of
 * test/helpers/fleetBruteForce.ts for every metric. Each broker's state probabilities are
 * worked out by hand from the preset's modes (competing modes, crew-free: P(down in mode
 * i) = λ_i·mttr_i / (1 + Σ λ_j·mttr_j)), and each zone's likewise from its outages
 * (down ρ/(1 + ρ), ρ = rate × mttr); zone and broker outs are independent. The 3^B
 * enumeration knows no zones, so the RabbitMQ fleet is held to it with its AZ outages set
 * to 0 (the loss metrics do not depend on the zones).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HOURS_PER_YEAR } from "../../src/expr/units.js";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics } from "../../src/model/evaluate.js";
import { loadModel } from "../../src/model/index.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { bruteForce, type Triple } from "../helpers/fleetBruteForce.js";
import { runCli } from "../helpers/runCli.js";

const NO_ZONE_OUTAGES = [{ path: "cluster.zones.outage.rate", value: "0" }];

/** A zone's unavailability from its outages, 1/yr-rate × mttr in hours: ρ/(1 + ρ). */
const zoneDown = (ratePerYear: number, mttrHours: number) => {
  const load = (ratePerYear / HOURS_PER_YEAR) * mttrHours;
  return load / (1 + load);
};

/** Neumaier's compensated sum (the enumeration adds terms of very different sizes). */
function compensatedSum(terms: Iterable<number>): number {
  let sum = 0;
  let carry = 0;
  for (const x of terms) {
    const t = sum + x;
    carry += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + carry;
}

/**
 * Writability over the up/down states of the zones (each down with probability uZone) and
 * of the brokers (each down with probability u), all independent; a broker is out while it
 * or its zone is down. Returns P(some replica set has fewer than minInsync of its brokers
 * out of the 2^Z · 2^B states) and the expected number of such sets — sums over the
 * states in which a set breaks, the complement never formed as 1 − x.
 */
function enumerateUpDown(
  u: number,
  zoneOf: readonly number[],
  uZone: number,
  sets: readonly (readonly number[])[],
  minInsync: number,
): { someBroken: number; brokenSets: number } {
  const brokers = zoneOf.length;
  const zones = Math.max(...zoneOf) + 1;
  const counts = new Map<number, number>();
  for (const set of sets) {
    const mask = set.reduce((m, b) => m | (1 << b), 0);
    counts.set(mask, (counts.get(mask) ?? 0) + 1);
  }
  const popcount = (x: number) => {
    let n = 0;
    for (let y = x; y !== 0; y &= y - 1) n++;
    return n;
  };
  const some: number[] = [];
  const expected: number[] = [];
  for (let zonesDown = 0; zonesDown < 2 ** zones; zonesDown++) {
    const kz = popcount(zonesDown);
    const pZones = uZone ** kz * (1 - uZone) ** (zones - kz);
    if (pZones === 0) continue;
    const outByZone = zoneOf.reduce((m, z, b) => ((zonesDown >> z) & 1 ? m | (1 << b) : m), 0);
    for (let down = 0; down < 2 ** brokers; down++) {
      const out = down | outByZone;
      let broken = 0;
      for (const [mask, n] of counts) if (popcount(mask & ~out) < minInsync) broken += n;
      if (broken === 0) continue;
      const k = popcount(down);
      const p = pZones * u ** k * (1 - u) ** (brokers - k);
      some.push(p);
      expected.push(p * broken);
    }
  }
  return { someBroken: compensatedSum(some), brokenSets: compensatedSum(expected) };
}

/** A broker's state probabilities from its crew-free competing modes: [rate per hour, mttr in hours, loses disk]. */
function tripleOf(modes: readonly (readonly [number, number, boolean])[]): Triple {
  const load = modes.reduce((sum, [rate, mttr]) => sum + rate * mttr, 0);
  const lostLoad = modes.filter(([, , disk]) => disk).reduce((sum, [rate, mttr]) => sum + rate * mttr, 0);
  return {
    intact: (load - lostLoad) / (1 + load),
    lost: lostLoad / (1 + load),
    rate: modes.reduce((sum, [rate]) => sum + rate, 0),
    diskRate: modes.filter(([, , disk]) => disk).reduce((sum, [rate]) => sum + rate, 0),
  };
}

const Y = HOURS_PER_YEAR;

describe("the Kafka fleet preset (12 brokers in 3 racks, 600 partitions of RF 3)", () => {
  const model = loadModel("models/kafka-fleet-12x600.yaml");
  const sets = model.fleet?.replicaSets ?? [];
  const zoneOf = model.cluster.zones?.zoneOfNode ?? [];

  it("when its replicas are placed then every partition spans the three racks, over 60 distinct sets (Kafka's rack-aware promise)", () => {
    // Kafka documentation: "a partition will span min(#racks, replication-factor) different racks"
    expect(sets).toHaveLength(600);
    expect(zoneOf).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    for (const set of sets) expect(new Set(set.map((b) => zoneOf[b])).size).toBe(3);
    expect(new Set(sets.map((set) => [...set].sort((a, b) => a - b).join(","))).size).toBe(60);
  });

  it("when it is evaluated with its rack outages then fleet availability and partitions unavailable are the up/down enumeration's", () => {
    // hand: instance 0.5/yr × 80 min, os 0.2/yr × 20 min, crash 4/yr × 12 min; a rack 0.44/yr × 3.5 h
    const load = (0.5 / Y) * (80 / 60) + (0.2 / Y) * (20 / 60) + (4 / Y) * (12 / 60);
    const u = load / (1 + load);
    const reference = enumerateUpDown(u, zoneOf, zoneDown(0.44, 3.5), sets, 2);
    const metrics = evaluateMetrics(model);
    expectRelativelyClose(metrics.get(METRIC.fleetAvailability)?.complement as number, reference.someBroken, 1e-12, "unavailability");
    expectRelativelyClose(
      metrics.get(METRIC.fleetPartitionsUnavailable)?.value as number,
      reference.brokenSets,
      1e-12,
      "partitions unavailable",
    );
    expectRelativelyClose(metrics.get(METRIC.nodeAvailability)?.complement as number, u, 1e-14, "a broker's unavailability");
  });
});

describe("the RabbitMQ quorum-queue fleet preset (200 queues of 3 on 5 nodes over AZs 2+2+1)", () => {
  const model = loadModel("models/rabbitmq-quorum-fleet-5x200.yaml", NO_ZONE_OUTAGES);
  const sets = model.fleet?.replicaSets ?? [];
  const zoneOf = model.cluster.zones?.zoneOfNode ?? [];

  it("when its members are placed at random then all 10 member sets occur and 116 queues have two members in one AZ", () => {
    // the figures docs/sources.md and the preset's top comment give; C(5, 3) = 10 sets
    expect(sets).toHaveLength(200);
    expect(zoneOf).toEqual([0, 1, 2, 0, 1]);
    expect(new Set(sets.map((set) => [...set].sort((a, b) => a - b).join(","))).size).toBe(10);
    expect(sets.filter((set) => new Set(set.map((b) => zoneOf[b])).size < 3)).toHaveLength(116);
  });

  it("when it is evaluated with its AZ outages then fleet availability and partitions unavailable are the up/down enumeration's", () => {
    // hand: instance 0.5/yr × 1 h, os 0.2/yr × 10 min, crash 2/yr × 2 min; an AZ 0.2/yr × 2 h
    const withOutages = loadModel("models/rabbitmq-quorum-fleet-5x200.yaml");
    const load = (0.5 / Y) * 1 + (0.2 / Y) * (10 / 60) + (2 / Y) * (2 / 60);
    const reference = enumerateUpDown(load / (1 + load), zoneOf, zoneDown(0.2, 2), sets, 2);
    const metrics = evaluateMetrics(withOutages);
    expectRelativelyClose(metrics.get(METRIC.fleetAvailability)?.complement as number, reference.someBroken, 1e-12, "unavailability");
    expectRelativelyClose(
      metrics.get(METRIC.fleetPartitionsUnavailable)?.value as number,
      reference.brokenSets,
      1e-12,
      "partitions unavailable",
    );
    // the two 2-node AZs' outages are nearly all of it (each stops a queue with two members there)
    const d = zoneDown(0.2, 2);
    const eitherDown = d * (2 - d); // P(AZ a or b down), 1 − (1 − d)² without the cancellation
    expect(reference.someBroken / eitherDown).toBeGreaterThan(1);
    expect(reference.someBroken / eitherDown).toBeLessThan(1.001);
  });

  it("when it is evaluated without AZ outages then every fleet metric is the 3^5-state enumeration's", () => {
    // hand: instance 0.5/yr × 1 h (loses disk), os 0.2/yr × 10 min, crash 2/yr × 2 min
    const triple = tripleOf([
      [0.5 / Y, 1, true],
      [0.2 / Y, 10 / 60, false],
      [2 / Y, 2 / 60, false],
    ]);
    const reference = bruteForce(
      Array.from({ length: 5 }, () => triple),
      sets,
      2,
    );
    const metrics = evaluateMetrics(model);
    const read = (id: (typeof METRIC)[keyof typeof METRIC]) => metrics.get(id) ?? { value: Number.NaN, complement: Number.NaN };
    expectRelativelyClose(read(METRIC.fleetAvailability).complement as number, reference.unavailability, 1e-12, "unavailability");
    expectRelativelyClose(read(METRIC.fleetPartitionsUnavailable).value, reference.partitionsUnavailable, 1e-12, "partitions unavailable");
    expectRelativelyClose(read(METRIC.fleetLossEventsPerYear).value, reference.lossEventsPerHour * Y, 1e-12, "loss events");
    expectRelativelyClose(read(METRIC.fleetPartitionsLostPerYear).value, reference.partitionsLostPerHour * Y, 1e-12, "partitions lost");
    // the up/down enumeration agrees with the 3^5 one (two methods)
    const upDown = enumerateUpDown(triple.intact + triple.lost, zoneOf, 0, sets, 2);
    expectRelativelyClose(upDown.someBroken, reference.unavailability, 1e-12, "up/down against 3^5: unavailability");
    expectRelativelyClose(upDown.brokenSets, reference.partitionsUnavailable, 1e-12, "up/down against 3^5: partitions unavailable");
  });
});

describe("solve and sweep over the Kafka fleet preset's brokers", () => {
  it("when solve is given a target that names fleet.availability then it answers, and a sweep over the same range agrees", async () => {
    const file = "models/kafka-fleet-12x600.yaml";
    // the issue's own command: the fewest brokers for 99.99 % of the fleet
    const fewest = await runCli(["solve", file, "--for", "cluster.nodes", "--target", "fleet.availability >= 99.99%", "--json"]);
    expect(fewest.status, fewest.stderr).toBe(0);
    const fewestJson = JSON.parse(fewest.stdout) as { metric: string; value: unknown };
    expect(fewestJson.metric).toBe(METRIC.fleetAvailability);

    // the most brokers that keep six nines, against a sweep of every broker count in the range
    const most = await runCli([
      "solve",
      file,
      "--for",
      "cluster.nodes",
      "--range",
      "cluster.nodes=3..30",
      "--find",
      "max",
      "--target",
      "fleet.availability >= 99.9999%",
      "--json",
    ]);
    expect(most.status, most.stderr).toBe(0);
    const answer = (JSON.parse(most.stdout) as { value: number }).value;
    const sweep = await runCli(["sweep", file, "--vary", "cluster.nodes=3..30", "--metric", "fleet.availability", "--format", "json"]);
    expect(sweep.status, sweep.stderr).toBe(0);
    const rows = (JSON.parse(sweep.stdout) as { rows: { params: Record<string, number>; metrics: Record<string, { value: number }> }[] })
      .rows;
    const meeting = rows
      .filter((row) => (row.metrics[METRIC.fleetAvailability]?.value ?? 0) >= 0.999999)
      .map((row) => row.params["cluster.nodes"]);
    expect(answer).toBe(Math.max(...(meeting as number[])));
    // and the smallest meeting count is the first solve's
    expect(fewestJson.value).toBe(Math.min(...(meeting as number[])));
  });
});

describe("the README's sweeps are what sweep prints", () => {
  // the README's command line as shown, and the same as argv (a quoted value is one argument)
  const examples: [string, string[]][] = [
    [
      "sweep models/kafka-fleet-12x600.yaml --vary fleet.placement=kafka,random,copyset,rack_aware --metric fleet.availability --metric fleet.loss_events_per_year --no-chart",
      "sweep models/kafka-fleet-12x600.yaml --vary fleet.placement=kafka,random,copyset,rack_aware --metric fleet.availability --metric fleet.loss_events_per_year --no-chart".split(
        " ",
      ),
    ],
    [
      'sweep models/kafka-2region-mm2.yaml --vary "regions.failover.after=1 min,30 min,4 h" --metric service.availability --metric regions.failovers_per_year --no-chart',
      [
        "sweep",
        "models/kafka-2region-mm2.yaml",
        "--vary",
        "regions.failover.after=1 min,30 min,4 h",
        ..."--metric service.availability --metric regions.failovers_per_year --no-chart".split(" "),
      ],
    ],
  ];
  it.each(examples)("when the README's `%s` is run then its output is the README's block", async (command, argv) => {
    const readme = readFileSync("README.md", "utf8");
    const start = readme.indexOf(`$ npx mqrel ${command}\n`);
    expect(start, "the README's example").toBeGreaterThan(0);
    const block = readme.slice(start + command.length + 13, readme.indexOf("\n```", start));
    // the README's transcripts are printed at the width it states
    const [columns] = /what these commands print \(`COLUMNS=(\d+)`\)/.exec(readme)?.slice(1) ?? ["?"];
    const ran = await runCli(argv, { columns: Number(columns) });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout.trimEnd()).toBe(block.trimEnd());
  });
});
