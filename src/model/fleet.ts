/**
 * The `fleet:` block (docs/design.md §3c): many partitions over the cluster's nodes, the
 * brokers, from the parsed file to {@link FleetModel}, with one clear error per problem.
 * resolve.ts calls this with its field readers, so that expressions, places and messages
 * work as for every other field. The replica sets are computed here, once, at resolve
 * time (src/model/replicaPlacement.ts).
 *
 * Decisions:
 * - `min_insync` defaults to the majority of R, ⌊R/2⌋ + 1, and takes the words of
 *   `cluster.quorum` (majority, any, all) relative to R; `cluster.quorum` beside `fleet`
 *   is refused (a fleet has no one quorum).
 * - `placement` defaults to `kafka`; `kafka` is rack-aware when `cluster.zones` is given.
 *   `rack_aware` needs zones, at least R of them. `copyset` needs `scatter_width` (at most
 *   B − 1), and `scatter_width` is refused with any other placement.
 * - An explicit list has exactly `partitions` sets of exactly `replication` distinct
 *   brokers in 0 … B − 1.
 * - The message path (`messages:`) is one replica set's: refused beside `fleet` until the
 *   fleet's message path is modelled, rather than computed for the wrong set.
 * - Zone outages are computed exactly (conditioned on the zones' states), and so are a
 *   common cause and crew modes sharing fewer crews than brokers (exchangeable brokers);
 *   rolling restarts, or those beside zone outages, couple the brokers beyond that: the
 *   fleet loads with `simulatedOnly` saying why, and its metrics are only simulated
 *   (`fleetCoupling`).
 */
import { METRIC, type MetricId } from "../metrics/index.js";
import type { FieldReader } from "./clusterModes.js";
import {
  copysetPlacement,
  kafkaPlacement,
  placementSummary,
  type ReplicaSet,
  rackAwarePlacement,
  randomPlacement,
} from "./replicaPlacement.js";
import type { RawExpr, RawModel } from "./schema.js";
import type { ClusterModel, FleetModel, PlacementKind } from "./types.js";

type RawFleet = NonNullable<RawModel["fleet"]>;

/**
 * The metrics of one replica set (the cluster's quorum over `cluster.nodes` replicas):
 * for a fleet they would describe no partition of it, so a fleet model does not compute
 * them and an SLO on them is refused.
 */
export const SINGLE_SET_METRICS: readonly MetricId[] = [
  METRIC.clusterAvailability,
  METRIC.clusterDowntimePerYear,
  METRIC.clusterMttf,
  METRIC.clusterOutagesPerYear,
  METRIC.queueAvailability,
];

const PATH = ["fleet"] as const;

/** "12 brokers (cluster.nodes)". */
function brokersText(brokers: number): string {
  return `${brokers} broker${brokers === 1 ? "" : "s"} (cluster.nodes)`;
}

/**
 * Problems a fleet has with the rest of the model, found before the cluster is resolved
 * (so that they are named instead of a consequence of them).
 */
export function checkBesideFleet(read: Pick<FieldReader, "fail">, raw: RawModel): void {
  if (raw.fleet === undefined) return;
  if (raw.cluster.quorum !== undefined) {
    read.fail(
      ["cluster", "quorum"],
      "cluster.quorum is one replica set's quorum; with a fleet each partition's is fleet.min_insync (remove cluster.quorum)",
    );
  }
  if (raw.messages !== undefined) {
    read.fail(["messages"], "the message path of a fleet is not modelled yet: give messages: without fleet:, or fleet: without messages:");
  }
}

/** `fleet:` → the fleet, its replica sets placed; `cluster` is the resolved cluster (the brokers). */
export function resolveFleet(read: FieldReader, raw: RawFleet, cluster: ClusterModel): FleetModel {
  const brokers = cluster.nodes;
  const partitions = read.number([...PATH, "partitions"], raw.partitions);
  const replication = read.number([...PATH, "replication"], raw.replication);
  if (replication > brokers) {
    read.fail([...PATH, "replication"], `replication ${replication} is more than the ${brokersText(brokers)}`);
  }
  const minInsync = resolveMinInsync(read, raw.min_insync, replication);
  const seed = read.number([...PATH, "seed"], raw.seed);
  const word = raw.placement ?? "kafka";
  if (raw.scatter_width !== undefined && word !== "copyset") {
    read.fail([...PATH, "scatter_width"], "scatter_width is copyset's (Cidon et al. 2013): give it with placement: copyset, or remove it");
  }
  let kind: PlacementKind;
  let replicaSets: ReplicaSet[];
  let scatterWidth: number | undefined;
  const zoneOfNode = cluster.zones?.zoneOfNode;
  if (Array.isArray(word)) {
    kind = "explicit";
    replicaSets = explicitSets(read, word, partitions, replication, brokers);
  } else {
    kind = word;
    switch (word) {
      case "kafka":
        replicaSets = kafkaPlacement(brokers, partitions, replication, seed, zoneOfNode);
        break;
      case "random":
        replicaSets = randomPlacement(brokers, partitions, replication, seed);
        break;
      case "rack_aware": {
        const zones = cluster.zones?.placement.length;
        if (zoneOfNode === undefined || zones === undefined) {
          read.fail([...PATH, "placement"], "rack_aware puts each replica of a partition in its own zone: it needs cluster.zones");
        }
        if (zones < replication) {
          read.fail(
            [...PATH, "placement"],
            `rack_aware puts each of the ${replication} replicas of a partition in its own zone: it needs at least ${replication} zones, cluster.zones has ${zones}`,
          );
        }
        replicaSets = rackAwarePlacement(zoneOfNode, partitions, replication);
        break;
      }
      case "copyset": {
        // Left out: two permutations (S = 2(R − 1), Cidon et al.'s smallest scatter width
        // beyond one permutation), within the brokers — so that a sweep over
        // fleet.placement=random,copyset needs no scatter width beside it.
        if (brokers < 2)
          read.fail([...PATH, "placement"], "copyset spreads each broker's partitions over other brokers: it needs at least 2");
        scatterWidth =
          raw.scatter_width === undefined
            ? Math.max(1, Math.min(2 * (replication - 1), brokers - 1))
            : read.number([...PATH, "scatter_width"], raw.scatter_width);
        if (scatterWidth > brokers - 1) {
          read.fail(
            [...PATH, "scatter_width"],
            `scatter_width ${scatterWidth} is more than the ${brokers - 1} other brokers a broker has (cluster.nodes: ${brokers})`,
          );
        }
        replicaSets = copysetPlacement(brokers, partitions, replication, scatterWidth, seed);
        break;
      }
    }
  }
  const simulatedOnly = fleetCoupling(read, cluster);
  return {
    partitions,
    replication,
    minInsync,
    placement: { kind, seed, ...(scatterWidth !== undefined ? { scatterWidth } : {}) },
    replicaSets,
    ...(simulatedOnly !== undefined ? { simulatedOnly } : {}),
    summary: placementSummary(replicaSets, brokers),
  };
}

function resolveMinInsync(read: FieldReader, value: RawExpr | undefined, replication: number): number {
  const path = [...PATH, "min_insync"];
  const named: Record<string, number> = { majority: Math.floor(replication / 2) + 1, any: 1, all: replication };
  const text = typeof value === "string" ? value.trim() : undefined;
  const k =
    value === undefined
      ? (named.majority as number)
      : text !== undefined && Object.hasOwn(named, text)
        ? (named[text] as number)
        : read.number(path, value);
  if (k > replication) read.fail(path, `min_insync ${k} is more than the ${replication} replicas of a partition (fleet.replication)`);
  return k;
}

/** An explicit list of replica sets, each checked: its size, its brokers in range, none twice. */
function explicitSets(
  read: FieldReader,
  list: readonly (readonly RawExpr[])[],
  partitions: number,
  replication: number,
  brokers: number,
): ReplicaSet[] {
  const path = [...PATH, "placement"];
  if (list.length !== partitions) {
    read.fail(path, `expected ${partitions} replica sets, one per partition (fleet.partitions), got ${list.length}`);
  }
  return list.map((rawSet, p) => {
    if (rawSet.length !== replication) {
      read.fail([...path, p], `expected ${replication} brokers in a replica set (fleet.replication), got ${rawSet.length}`);
    }
    const set = rawSet.map((value, j) => {
      // a plain whole number needs no evaluation (a long list stays fast); anything else is read as a count
      const broker = typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : read.number([...path, p, j], value);
      if (broker >= brokers) {
        read.fail([...path, p, j], `broker ${broker} is out of range: the ${brokersText(brokers)} are 0 … ${brokers - 1}`);
      }
      return broker;
    });
    set.forEach((broker, j) => {
      if (set.indexOf(broker) !== j) read.fail([...path, p, j], `broker ${broker} appears twice in this replica set`);
    });
    return set;
  });
}

/**
 * What couples the brokers beyond the zones (docs/design.md §3c). A fleet's metrics are
 * exact sums over independent brokers (src/formulas/fleet.ts, the product form), with
 * zone outages over brokers independent given the zones' states (fleetZones.ts), and with
 * a common cause or crew modes sharing fewer crews than brokers over exchangeable brokers
 * (fleetSymmetric.ts: the chain over counts, labels uniform). Rolling restarts, or a
 * common cause or shared crews beside zone outages, couple the brokers beyond that: such
 * a fleet loads, and its fleet.* metrics are only simulated (eval says so; an SLO on them
 * is inconclusive for `check` and judged by `check --simulate`; the planning commands
 * refuse it).
 * A node given as an availability has no failure rates, which the elections and losses
 * need: refused.
 */
function fleetCoupling(read: FieldReader, cluster: ClusterModel): FleetModel["simulatedOnly"] {
  if (cluster.failureModes === undefined) {
    read.fail(["cluster", "node"], "a fleet needs node.failures (or node.mtbf and node.mttr): its elections and losses are rates");
  }
  const couplings: { what: string; plural: boolean; path: string[] }[] = [];
  if (cluster.commonCause !== undefined && cluster.commonCause.ratePerHour > 0) {
    couplings.push({ what: "a common cause (cluster.common_cause)", plural: false, path: ["cluster", "common_cause"] });
  }
  if (cluster.maintenance !== undefined) {
    couplings.push({ what: "rolling restarts (cluster.maintenance)", plural: true, path: ["cluster", "maintenance"] });
  }
  if (cluster.repairCrews < cluster.nodes && cluster.failureModes.some((mode) => mode.crew)) {
    couplings.push({
      what: `crew modes sharing ${cluster.repairCrews} repair crew${cluster.repairCrews === 1 ? "" : "s"} among ${cluster.nodes} brokers (cluster.repair_crews)`,
      plural: true,
      path: ["cluster", "repair_crews"],
    });
  }
  // A common cause and shared crews keep identical brokers exchangeable: exact by the chain
  // over counts (src/formulas/fleetSymmetric.ts) — unless zone outages or restarts single
  // some brokers out, beside them
  const zoneOutages = cluster.zones?.outage !== undefined && cluster.zones.outage.ratePerHour > 0;
  if (couplings.length > 0 && cluster.maintenance === undefined && !zoneOutages) return undefined;
  if (couplings.length > 0 && zoneOutages) {
    couplings.push({ what: "zone outages (cluster.zones.outage)", plural: true, path: ["cluster", "zones", "outage"] });
  }
  const first = couplings[0];
  if (first === undefined) return undefined;
  const what = couplings.map((c) => c.what);
  const listed = what.length === 1 ? first.what : `${what.slice(0, -1).join(", ")} and ${what[what.length - 1]}`;
  const verb = what.length === 1 && !first.plural ? "couples" : "couple";
  return { why: `${listed} ${verb} the brokers`, place: read.place(first.path) };
}

/**
 * The note shown where a coupled fleet's metric would be (eval, and the refusals of an
 * SLO and of the planning commands): "simulated only: a common cause (…) couples the
 * brokers — mqrel simulate estimates it".
 */
export function simulatedOnlyNote(simulatedOnly: NonNullable<FleetModel["simulatedOnly"]>): string {
  return `simulated only: ${simulatedOnly.why} — mqrel simulate estimates it`;
}
