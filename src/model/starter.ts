/**
 * The starting model `mqrel init` writes: a system (Kafka, RabbitMQ, NATS, Pulsar or a
 * generic quorum cluster), its brokers, replication and zones, and every figure (failure
 * rates, repair times, the message path, thresholds) taken from a preset in models/ —
 * the presets are the one place those figures live (docs/sources.md gives their
 * sources); this file holds only which preset each system starts from.
 *
 * - brokers = replication: one replica set (a queue, a partition, a stream) on its
 *   brokers — the system's replica-set preset with its node count, quorum and zones set;
 * - brokers > replication: a fleet of partitions over the brokers (docs/design.md §3c) —
 *   the nodes' failure modes and zone outages of one preset, the fleet's shape
 *   (partitions, placement, min in-sync, thresholds) of a fleet preset. Rolling restarts,
 *   a common cause and shared repair crews are left out: beside zone outages they couple
 *   the brokers, and the fleet metrics would then only be simulated.
 *
 * Every key is commented with its line from the field registry (src/fields/registry.ts).
 * Pure: the presets' data is handed in.
 */
import { Document, isMap, isScalar, type Pair, type YAMLMap } from "yaml";
import { fieldSpec } from "../fields/index.js";
import { MAX_NODES } from "../formulas/limits.js";
import { MAX_ZONES } from "./clusterModes.js";

/** Most brokers and zones a starting model may have (the model's own limits). */
export const MAX_BROKERS = MAX_NODES;
export { MAX_ZONES };

export const SYSTEMS = ["kafka", "rabbitmq", "nats", "pulsar", "generic"] as const;
export type System = (typeof SYSTEMS)[number];

/** Which presets (models/<name>.yaml) a system's starting model takes its figures from. */
interface Starter {
  /** "Kafka" */
  readonly title: string;
  /** one line on what a replica set and the quorum mean for this system */
  readonly reading: string;
  /** a single replica set: the whole preset */
  readonly replicaSet: string;
  /** a fleet: the nodes' failure modes and zone outages (and params) of this preset */
  readonly fleetNodes: string;
  /** a fleet: the `fleet`, `slo` and `simulation` blocks of this preset */
  readonly fleetShape: string;
  /** the system's own semantics over the replica-set preset's message path (no figures); null drops a key */
  readonly messages?: Readonly<Record<string, string | null>>;
}

export const STARTERS: Readonly<Record<System, Starter>> = {
  kafka: {
    title: "Kafka",
    reading: "a replica set is a partition's replicas; cluster.quorum (fleet.min_insync) is min.insync.replicas",
    replicaSet: "kafka-rf3-minisr2-acks-all",
    fleetNodes: "kafka-fleet-12x600",
    fleetShape: "kafka-fleet-12x600",
  },
  rabbitmq: {
    title: "RabbitMQ quorum queues",
    reading: "a replica set is a quorum queue's members (Raft): a majority must be up",
    replicaSet: "rabbitmq-quorum-3",
    fleetNodes: "rabbitmq-quorum-fleet-5x200",
    fleetShape: "rabbitmq-quorum-fleet-5x200",
  },
  nats: {
    title: "NATS JetStream",
    reading:
      "a replica set is a stream's peers (Raft, R replicas): a majority must be up; streams are placed on peers as RabbitMQ places queue members",
    replicaSet: "nats-jetstream-r3",
    fleetNodes: "nats-jetstream-r3",
    fleetShape: "rabbitmq-quorum-fleet-5x200",
  },
  pulsar: {
    title: "Pulsar (BookKeeper)",
    reading:
      "a replica set is a ledger's write quorum of bookies, cluster.quorum its ack quorum (a majority), and a bookie syncs its journal before it acknowledges (fsync: always); bookies are picked for ledgers as RabbitMQ places queue members; the figures are the generic preset's",
    replicaSet: "default",
    fleetNodes: "default",
    fleetShape: "rabbitmq-quorum-fleet-5x200",
    // a bookie syncs its journal before it acknowledges an entry (journalSyncData=true)
    messages: { fsync: "always", writeback: null },
  },
  generic: {
    title: "a generic quorum-replicated queue",
    reading: "a replica set is a queue's replicas: a majority must be up",
    replicaSet: "default",
    fleetNodes: "default",
    fleetShape: "rabbitmq-quorum-fleet-5x200",
  },
};

/** What `mqrel init` was told or asked. */
export interface StarterChoice {
  readonly system: System;
  readonly brokers: number;
  readonly replication: number;
  readonly zones: number;
  /** the model's name (default: system, brokers and replication) */
  readonly name?: string;
}

/** A preset's parsed data (models/<name>.yaml), read by the caller. */
export type PresetReader = (preset: string) => Record<string, unknown>;

type Data = Record<string, unknown>;

const asData = (value: unknown): Data => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Data) : {});

/** The replica-set preset's node count and zones: the defaults of the choices left out. */
export function starterDefaults(system: System, read: PresetReader): { replication: number; zones: number } {
  const cluster = asData(read(STARTERS[system].replicaSet).cluster);
  const nodes = typeof cluster.nodes === "number" ? cluster.nodes : 1;
  const zones = asData(cluster.zones).count;
  return { replication: nodes, zones: typeof zones === "number" ? zones : 1 };
}

/** Why a choice cannot make a model, or undefined: bounds the resolver would refuse less clearly. */
export function choiceProblem(choice: Omit<StarterChoice, "system" | "name">): { flag: string; message: string } | undefined {
  const whole = (value: number) => Number.isInteger(value);
  if (!whole(choice.brokers) || choice.brokers < 1 || choice.brokers > MAX_BROKERS)
    return { flag: "--brokers", message: `expected a whole number of brokers from 1 to ${MAX_BROKERS}, got ${choice.brokers}` };
  if (!whole(choice.replication) || choice.replication < 1)
    return { flag: "--replication", message: `expected a whole number of replicas from 1, got ${choice.replication}` };
  if (choice.replication > choice.brokers)
    return {
      flag: "--replication",
      message: `${choice.replication} replicas need at least ${choice.replication} brokers, got --brokers ${choice.brokers}`,
    };
  const mostZones = Math.min(MAX_ZONES, choice.brokers);
  if (!whole(choice.zones) || choice.zones < 1 || choice.zones > mostZones)
    return {
      flag: "--zones",
      message: `expected a whole number of zones from 1 to ${mostZones} (at most ${MAX_ZONES}, and no zone without a broker), got ${choice.zones}`,
    };
  return undefined;
}

/** The model's data and the presets it took its figures from. */
export function starterData(choice: StarterChoice, read: PresetReader): { data: Data; presets: string[] } {
  const starter = STARTERS[choice.system];
  const fleet = choice.brokers > choice.replication;
  const name = choice.name ?? `${choice.system}-${choice.brokers}-brokers-rf${choice.replication}`;
  const description = `${starter.title}: ${choice.brokers} brokers, replication ${choice.replication}, ${choice.zones} zone${choice.zones === 1 ? "" : "s"} (written by mqrel init)`;
  if (!fleet) {
    const preset = read(starter.replicaSet);
    const cluster = asData(preset.cluster);
    const sameSize = cluster.nodes === choice.replication;
    const zones = asData(cluster.zones);
    const data: Data = {
      ...preset,
      mqrel: 1,
      name,
      description,
      cluster: {
        ...cluster,
        nodes: choice.replication,
        // the preset's quorum fits its own size; another size takes the majority
        quorum: sameSize && cluster.quorum !== undefined ? cluster.quorum : "majority",
        zones: { count: choice.zones, ...(zones.outage !== undefined ? { outage: zones.outage } : {}) },
      },
      ...(preset.messages !== undefined ? { messages: withSemantics(asData(preset.messages), starter.messages ?? {}) } : {}),
    };
    return { data: ordered(data), presets: [starter.replicaSet] };
  }
  const nodesPreset = read(starter.fleetNodes);
  const shapePreset = read(starter.fleetShape);
  const nodesCluster = asData(nodesPreset.cluster);
  const shape = asData(shapePreset.fleet);
  const sameReplication = shape.replication === choice.replication;
  const outage = asData(nodesCluster.zones).outage;
  const data: Data = {
    mqrel: 1,
    name,
    description,
    ...(nodesPreset.params !== undefined ? { params: nodesPreset.params } : {}),
    cluster: {
      nodes: choice.brokers,
      node: nodesCluster.node,
      zones: { count: choice.zones, ...(outage !== undefined ? { outage } : {}) },
    },
    fleet: {
      ...shape,
      replication: choice.replication,
      // the preset's min in-sync fits its own replication; another takes the majority
      min_insync: sameReplication && shape.min_insync !== undefined ? shape.min_insync : "majority",
    },
    ...(shapePreset.slo !== undefined ? { slo: shapePreset.slo } : {}),
    ...(shapePreset.simulation !== undefined ? { simulation: shapePreset.simulation } : {}),
  };
  const presets = [...new Set([starter.fleetNodes, starter.fleetShape])];
  return { data: ordered(data), presets };
}

/** The preset's message path with the system's own settings over it. */
function withSemantics(messages: Data, semantics: Readonly<Record<string, string | null>>): Data {
  const out: Data = { ...messages };
  for (const [key, value] of Object.entries(semantics)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** Keys in the registry's order (the manual's), whatever order the presets had. */
function ordered(data: Data): Data {
  return orderBy(data, []);
}

function orderBy(data: Data, path: readonly string[]): Data {
  const spec = fieldSpec(path);
  if (spec?.kind !== "block") return data;
  const keys = Object.keys(spec.fields);
  const out: Data = {};
  for (const key of [...keys.filter((key) => key in data), ...Object.keys(data).filter((key) => !keys.includes(key))]) {
    const value = data[key];
    out[key] = value !== null && typeof value === "object" && !Array.isArray(value) ? orderBy(value as Data, [...path, key]) : value;
  }
  return out;
}

/** Comment lines of at most `width` characters (words are never split). */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.map((l) => ` ${l}`).join("\n");
}

const WIDTH = 88;

/** Comment each key of a block with the registry's line; small mappings of values go on one line. */
function annotate(map: YAMLMap, path: readonly string[], depth: number): void {
  const spec = fieldSpec(path);
  for (const item of map.items as Pair[]) {
    if (!isScalar(item.key)) continue;
    const key = String(item.key.value);
    const childPath = [...path, key];
    const child = fieldSpec(childPath);
    // a record's entries (a failure mode, an SLO) are the user's names: the record is commented
    if (child !== undefined && spec?.kind !== "record") {
      item.key.commentBefore = wrap(child.description, WIDTH - 2 * depth - 2);
      if (depth === 0 && map.items[0] !== item) item.key.spaceBefore = true;
    }
    // thresholds quoted, as the presets write them (">= 99.99%")
    if (path[0] === "slo" && isScalar(item.value)) item.value.type = "QUOTE_DOUBLE";
    if (isMap(item.value)) {
      const leaves = (item.value.items as Pair[]).every((pair) => !isMap(pair.value));
      // one failure mode, one zone outage: a line each, as the presets write them
      if (leaves && (spec?.kind === "record" || key === "outage") && path[0] !== "slo") item.value.flow = true;
      else annotate(item.value, childPath, depth + 1);
    }
  }
}

/**
 * The starting model as YAML: a header saying what it is and where its figures come
 * from, then the model, each key commented from the registry. No modeline: the caller
 * knows where the schema is from the file it writes.
 */
export function starterText(choice: StarterChoice, read: PresetReader): string {
  const { data, presets } = starterData(choice, read);
  const starter = STARTERS[choice.system];
  const fleet = choice.brokers > choice.replication;
  const shape = fleet
    ? `a fleet: partitions of ${choice.replication} replicas spread over ${choice.brokers} brokers (docs/design.md §3c); rolling restarts, a common cause and shared repair crews are left out — beside zone outages they couple the brokers, and the fleet metrics would then only be simulated`
    : `one replica set on ${choice.replication} broker${choice.replication === 1 ? "" : "s"}, with its message path`;
  const header = [
    `A starting model of ${starter.title}, written by mqrel init: ${choice.brokers} brokers, replication ${choice.replication}, ${choice.zones} zone${choice.zones === 1 ? "" : "s"}.`,
    `It is ${shape}. For ${starter.title}, ${starter.reading}.`,
    `Its figures (failure rates, repair times, thresholds and the rest) are those of the preset${presets.length > 1 ? "s" : ""} ${presets.map((p) => `models/${p}.yaml`).join(" and ")}; docs/sources.md says where they come from. Replace them with your own.`,
    "Every field: docs/fields.md. Evaluate it: mqrel eval FILE; check its thresholds: mqrel check FILE.",
  ];
  const doc = new Document(data);
  if (isMap(doc.contents)) annotate(doc.contents, [], 0);
  const comment = header.map((paragraph) => wrap(paragraph, WIDTH - 2).replace(/^/gm, "#")).join("\n#\n");
  return `${comment}\n\n${doc.toString({ lineWidth: 0 })}`;
}
