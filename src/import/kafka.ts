/**
 * `mqrel import kafka`: brokers' `server.properties` files and the output of
 * `kafka-topics.sh --describe` → a model (docs/import.md).
 *
 * With a describe output the model is a fleet (docs/design.md §3c): the brokers, every
 * partition's replica list as an explicit placement (broker ids renumbered 0 … B − 1),
 * and one min.insync.replicas — the fleet has one, so topics that differ are merged into
 * the largest (the strictest: a partition is writable while that many replicas are up),
 * and the model says so. Without one, it is one replica set (default.replication.factor
 * brokers, a quorum of min.insync.replicas) with the message path the flush settings
 * describe. Racks (`broker.rack`) become zones. What the files cannot say — failure
 * rates, repair times, rack outages, elections, the producer — comes from the presets
 * `kafka-fleet-12x600` and `kafka-rf3-minisr2-acks-all`, marked in the written model.
 */
import { Document } from "yaml";
import { InputError } from "../common/errors.js";
import { copyParams, DEFAULT_COMMENT, documentText, MapWriter, Preset, type PresetReader, sourcesText } from "./document.js";
import { type DescribedTopic, looksLikeDescribe, parseDescribe } from "./kafkaDescribe.js";
import { type Property, parseProperties } from "./properties.js";
import type { ImportFile, ImportResult } from "./types.js";

const PROPERTIES = "a Kafka server.properties or the output of kafka-topics.sh --describe";

/** The settings every broker's server.properties must agree on. */
const SHARED = [
  "default.replication.factor",
  "min.insync.replicas",
  "unclean.leader.election.enable",
  "log.flush.interval.messages",
  "log.flush.interval.ms",
] as const;
type Shared = (typeof SHARED)[number];

/** Keys a broker's server.properties sets (Kafka's shipped config/server.properties sets several): a file with none of them is something else. */
const KAFKA_KEYS: ReadonlySet<string> = new Set([
  "broker.id",
  "node.id",
  "process.roles",
  "log.dirs",
  "log.dir",
  "listeners",
  "advertised.listeners",
  "zookeeper.connect",
  "controller.quorum.voters",
  "controller.quorum.bootstrap.servers",
  "broker.rack",
  "num.partitions",
  ...SHARED,
]);

/** Kafka's documented defaults for the settings read, where a file leaves one out. */
const KAFKA_DEFAULTS: Record<Shared, string | undefined> = {
  "default.replication.factor": "1",
  "min.insync.replicas": "1",
  "unclean.leader.election.enable": "false",
  "log.flush.interval.messages": undefined, // Long.MAX_VALUE: never by count
  "log.flush.interval.ms": undefined, // null: log.flush.scheduler.interval.ms decides, effectively never
};

interface Setting {
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

interface Broker {
  readonly id: number;
  readonly rack?: string;
  readonly file?: string;
}

interface KafkaFacts {
  readonly brokers: Map<number, Broker>;
  readonly settings: Map<Shared, Setting>;
  readonly topics: { topic: DescribedTopic; file: string }[];
  readonly controllers: string[];
  readonly files: readonly string[];
}

function wholeNumber(setting: Setting, name: string, least: number): number {
  if (!/^\d+$/.test(setting.value) || Number(setting.value) < least || !Number.isSafeInteger(Number(setting.value))) {
    throw new InputError(`${name}: expected a whole number ≥ ${least}, found "${setting.value}"`, {
      file: setting.file,
      line: setting.line,
    });
  }
  return Number(setting.value);
}

/** A boolean setting as Kafka reads it (true or false, any case). */
function flag(setting: Setting, name: string): boolean {
  const value = setting.value.trim().toLowerCase();
  if (value !== "true" && value !== "false") {
    throw new InputError(`${name}: expected true or false, found "${setting.value}"`, { file: setting.file, line: setting.line });
  }
  return value === "true";
}

function brokerFromProperties(properties: Map<string, Property>, file: string): Broker | "controller" | undefined {
  const roles = properties
    .get("process.roles")
    ?.value.split(",")
    .map((role) => role.trim());
  if (roles !== undefined && !roles.includes("broker")) return "controller";
  const idProperty = properties.get("node.id") ?? properties.get("broker.id");
  if (idProperty === undefined) return undefined;
  const key = properties.has("node.id") ? "node.id" : "broker.id";
  const id = wholeNumber({ ...idProperty, file }, key, 0);
  const rack = properties.get("broker.rack")?.value;
  return rack === undefined || rack === "" ? { id, file } : { id, rack, file };
}

function readFacts(files: readonly ImportFile[]): KafkaFacts {
  const brokers = new Map<number, Broker>();
  const settings = new Map<Shared, Setting>();
  const topics: { topic: DescribedTopic; file: string }[] = [];
  const controllers: string[] = [];
  const propertyFiles: { file: string; properties: Map<string, Property> }[] = [];
  for (const { file, text } of files) {
    if (looksLikeDescribe(text)) {
      for (const topic of parseDescribe(text, file)) {
        const twice = topics.find((t) => t.topic.name === topic.name);
        if (twice !== undefined)
          throw new InputError(`topic ${topic.name} is also described in ${twice.file}; expected it once`, { file, line: topic.line });
        topics.push({ topic, file });
      }
      continue;
    }
    const properties = parseProperties(text, file, PROPERTIES);
    if (![...properties.keys()].some((key) => KAFKA_KEYS.has(key))) {
      throw new InputError(`sets none of ${[...KAFKA_KEYS].slice(0, 6).join(", ")}, …; expected ${PROPERTIES}`, { file });
    }
    const broker = brokerFromProperties(properties, file);
    if (broker === "controller") {
      controllers.push(file);
      continue;
    }
    if (broker !== undefined) {
      const other = brokers.get(broker.id);
      if (other !== undefined)
        throw new InputError(`broker id ${broker.id} is also ${other.file}'s; expected one server.properties per broker`, { file });
      brokers.set(broker.id, broker);
    }
    propertyFiles.push({ file, properties });
  }
  // every broker's file must say the same (a file that leaves a setting out takes Kafka's default)
  for (const key of SHARED) {
    let first: Setting | undefined;
    for (const { file, properties } of propertyFiles) {
      const property = properties.get(key);
      const setting: Setting = property === undefined ? { value: KAFKA_DEFAULTS[key] ?? "(unset)", file, line: 0 } : { ...property, file };
      if (first === undefined) first = setting;
      else if (setting.value !== first.value) {
        const where = (s: Setting) => (s.line === 0 ? `${s.file} (not set: Kafka's default)` : `${s.file}:${s.line}`);
        throw new InputError(
          `${key}=${setting.value} disagrees with ${key}=${first.value} in ${where(first)}; expected one value on every broker`,
          {
            file,
            ...(setting.line > 0 ? { line: setting.line } : {}),
          },
        );
      }
    }
    if (first !== undefined && first.line > 0) settings.set(key, first);
  }
  if (propertyFiles.length === 0 && topics.length === 0) {
    throw new InputError(
      `no broker's server.properties and no describe output (only controllers: ${controllers.join(", ")}); expected ${PROPERTIES}`,
      {
        file: controllers[0] ?? "",
      },
    );
  }
  return { brokers, settings, topics, controllers, files: files.map((f) => f.file) };
}

/** Brokers in model order: by rack (when every broker has one), then by id. */
function orderedBrokers(facts: KafkaFacts): { order: Broker[]; racks: string[] | undefined; notes: string[] } {
  const all = new Map(facts.brokers);
  for (const { topic, file } of facts.topics) {
    for (const partition of topic.partitions) for (const id of partition.replicas) if (!all.has(id)) all.set(id, { id, file });
  }
  const order = [...all.values()].sort((a, b) => a.id - b.id);
  const notes: string[] = [];
  const withRack = order.filter((b) => b.rack !== undefined);
  if (withRack.length === 0) return { order, racks: undefined, notes };
  if (withRack.length < order.length) {
    const without = order.filter((b) => b.rack === undefined).map((b) => b.id);
    notes.push(
      `racks left out: broker${without.length === 1 ? "" : "s"} ${without.join(", ")} ha${without.length === 1 ? "s" : "ve"} no broker.rack (or no server.properties); give every broker's to import the racks as zones`,
    );
    return { order, racks: undefined, notes };
  }
  const racks = [...new Set(withRack.map((b) => b.rack as string))].sort();
  if (racks.length > 12) {
    throw new InputError(`${racks.length} racks (broker.rack); a model takes at most 12 zones`, { file: withRack[0]?.file ?? "" });
  }
  order.sort((a, b) => racks.indexOf(a.rack as string) - racks.indexOf(b.rack as string) || a.id - b.id);
  return { order, racks, notes };
}

function settingComment(setting: Setting | undefined, key: string): string {
  return setting === undefined
    ? `${DEFAULT_COMMENT} (Kafka's default ${key}=${KAFKA_DEFAULTS[key as Shared]})`
    : ` ${key}=${setting.value} (${setting.file}:${setting.line})`;
}

function header(facts: KafkaFacts, preset: Preset, lines: string[]): string {
  return [
    ` Imported by \`mqrel import kafka\` from ${sourcesText(facts.files)}.`,
    " What those files say is imported; every value marked `# default: not in the config` is",
    ` not in them and comes from ${preset.file} (docs/import.md). Check those against your`,
    " own cluster, and add an slo: block to gate it with `mqrel check`.",
    ...lines.map((line) => (line === "" ? "" : ` ${line}`)),
  ].join("\n");
}

function zonesEntry(cluster: MapWriter, order: Broker[], racks: string[], preset: Preset): void {
  const zones = cluster.child("zones", { before: ` racks (broker.rack): ${racks.join(", ")} — brokers ordered by rack` });
  zones.set(
    "placement",
    racks.map((rack) => order.filter((b) => b.rack === rack).length),
    {},
    true,
  );
  zones.setDefault("outage", preset, ["cluster", "zones", "outage"]);
}

function fleetModel(facts: KafkaFacts, read: PresetReader, name: string): ImportResult {
  const preset = new Preset("kafka-fleet-12x600", read);
  const { order, racks, notes } = orderedBrokers(facts);
  const index = new Map(order.map((b, i) => [b.id, i]));
  const topics = facts.topics;
  const first = topics[0] as (typeof topics)[number];
  const replication = first.topic.replicationFactor;
  for (const { topic, file } of topics) {
    if (topic.replicationFactor !== replication) {
      throw new InputError(
        `topic ${topic.name} has ReplicationFactor ${topic.replicationFactor}, topic ${first.topic.name} (${first.file}:${first.topic.line}) ${replication}; a fleet model takes one: describe the topics of one factor (kafka-topics.sh --describe --topic …)`,
        { file, line: topic.line },
      );
    }
    if (topic.replicationFactor > order.length) {
      throw new InputError(
        `topic ${topic.name} has ReplicationFactor ${topic.replicationFactor}, more than the ${order.length} brokers known`,
        { file, line: topic.line },
      );
    }
  }
  const defaultRf = facts.settings.get("default.replication.factor");
  if (defaultRf !== undefined && wholeNumber(defaultRf, "default.replication.factor", 1) > order.length) {
    throw new InputError(
      `default.replication.factor=${defaultRf.value} is above the ${order.length} brokers known: a topic created with the default could not be placed`,
      {
        file: defaultRf.file,
        line: defaultRf.line,
      },
    );
  }
  const brokerMinIsr = facts.settings.get("min.insync.replicas");
  const brokerDefault = brokerMinIsr === undefined ? 1 : wholeNumber(brokerMinIsr, "min.insync.replicas", 1);
  const minIsr = topics.map(({ topic, file }) => {
    const override = topic.configs.get("min.insync.replicas");
    if (override === undefined)
      return { topic, value: brokerDefault, from: brokerMinIsr === undefined ? "Kafka's default" : "server.properties" };
    return { topic, value: wholeNumber({ value: override, file, line: topic.line }, "Configs: min.insync.replicas", 1), from: "Configs" };
  });
  const values = [...new Set(minIsr.map((m) => m.value))].sort((a, b) => a - b);
  const merged = values[values.length - 1] as number;
  if (merged > replication) {
    const bad = minIsr.find((m) => m.value === merged) as (typeof minIsr)[number];
    const at = topics.find((t) => t.topic === bad.topic) as (typeof topics)[number];
    throw new InputError(
      `topic ${bad.topic.name}: min.insync.replicas ${merged} (${bad.from}) is above its ReplicationFactor ${replication}: no acks=all write could succeed`,
      { file: at.file, line: bad.topic.line },
    );
  }
  const partitions = topics.reduce((sum, t) => sum + t.topic.partitions.length, 0);
  if (values.length > 1) {
    const groups = values.map(
      (v) =>
        `${v} (${minIsr
          .filter((m) => m.value === v)
          .map((m) => m.topic.name)
          .join(", ")})`,
    );
    notes.push(`min.insync.replicas differs by topic: ${groups.join("; ")}; the fleet takes one, the largest (${merged})`);
  }
  notes.push(...unmodelledSettings(facts, "fleet"));
  if (facts.controllers.length > 0)
    notes.push(`controllers left out (${facts.controllers.join(", ")}): the control plane is not modelled beside a fleet`);

  const doc = new Document({});
  const root = new MapWriter(doc, doc.contents as never);
  const mapping = order.map((b, i) => `${i}=${b.id}${racks === undefined ? "" : ` (${b.rack})`}`);
  doc.commentBefore = header(facts, preset, [
    "",
    `${order.length} brokers, renumbered from 0 (model index=broker id): ${mapping.join(", ")}`,
    `${topics.length} topic${topics.length === 1 ? "" : "s"}, ${partitions} partitions of replication factor ${replication}`,
    ...notes.map((note) => `note: ${note}`),
  ]);
  root.set("mqrel", 1);
  root.set("name", name);
  root.set(
    "description",
    `Kafka fleet imported from ${sourcesText(facts.files, 3)}: ${order.length} brokers, ${partitions} partitions of RF ${replication}, min.insync.replicas ${merged}.`,
  );
  copyParams(root, preset);
  const cluster = root.child("cluster");
  cluster.set("nodes", order.length, { after: " the brokers" });
  cluster.setDefault("node", preset, ["cluster", "node"]);
  if (racks !== undefined) zonesEntry(cluster, order, racks, preset);
  const fleet = root.child("fleet");
  fleet.set("partitions", partitions);
  fleet.set("replication", replication, { after: ` ReplicationFactor (${first.file}:${first.topic.line})` });
  const minIsrComment =
    values.length > 1
      ? ` merged: the largest of the topics' min.insync.replicas (${values.join(", ")})`
      : minIsr[0]?.from === "Configs"
        ? ` Configs: min.insync.replicas (${first.file}:${first.topic.line})`
        : settingComment(brokerMinIsr, "min.insync.replicas");
  fleet.set("min_insync", merged, { after: minIsrComment });
  const sets = doc.createNode(
    topics.flatMap((t) => t.topic.partitions.map((p) => p.replicas.map((id) => index.get(id) as number))),
  ) as import("yaml").YAMLSeq;
  let at = 0;
  for (const { topic, file } of topics) {
    const item = sets.items[at] as import("yaml").YAMLSeq;
    const perTopic = minIsr.find((m) => m.topic === topic)?.value;
    item.commentBefore = ` ${topic.name}: partitions 0–${topic.partitions.length - 1}, min.insync.replicas ${perTopic} (${file}:${topic.line})`;
    at += topic.partitions.length;
  }
  for (const item of sets.items) (item as import("yaml").YAMLSeq).flow = true;
  fleet.set("placement", sets, { before: " each partition's replicas (model indices, the preferred leader first), as described" });
  return { text: documentText(doc), notes };
}

/** What server.properties says that the model leaves out, as notes. */
function unmodelledSettings(facts: KafkaFacts, kind: "fleet" | "set"): string[] {
  const notes: string[] = [];
  const unclean = facts.settings.get("unclean.leader.election.enable");
  if (unclean !== undefined && kind === "fleet" && flag(unclean, "unclean.leader.election.enable")) {
    notes.push(
      `unclean.leader.election.enable=true (${unclean.file}:${unclean.line}) left out: a fleet elects only in-sync replicas (messages.unclean_election is the replica set's)`,
    );
  }
  if (kind === "fleet") {
    for (const key of ["log.flush.interval.messages", "log.flush.interval.ms"] as const) {
      const setting = facts.settings.get(key);
      if (setting !== undefined)
        notes.push(`${key}=${setting.value} (${setting.file}:${setting.line}) left out: a fleet has no message path yet`);
    }
  }
  return notes;
}

/** One replica set: default.replication.factor brokers, a quorum of min.insync.replicas, the flush settings as the message path. */
function replicaSetModel(facts: KafkaFacts, read: PresetReader, name: string): ImportResult {
  const preset = new Preset("kafka-rf3-minisr2-acks-all", read);
  const rfSetting = facts.settings.get("default.replication.factor");
  const minSetting = facts.settings.get("min.insync.replicas");
  const rf = rfSetting === undefined ? 1 : wholeNumber(rfSetting, "default.replication.factor", 1);
  const minIsr = minSetting === undefined ? 1 : wholeNumber(minSetting, "min.insync.replicas", 1);
  if (minIsr > rf) {
    const at = minSetting as Setting;
    throw new InputError(`min.insync.replicas=${minIsr} is above default.replication.factor=${rf}: no acks=all write could succeed`, {
      file: at.file,
      line: at.line,
    });
  }
  const known = facts.brokers.size;
  if (known > 0 && rf > known) {
    const at = rfSetting as Setting;
    throw new InputError(`default.replication.factor=${rf} is above the ${known} brokers given (their server.properties)`, {
      file: at.file,
      line: at.line,
    });
  }
  const notes = unmodelledSettings(facts, "set");
  notes.push("no kafka-topics.sh --describe output: the model is one partition's replica set of default.replication.factor brokers");
  const { racks } = orderedBrokers(facts);
  const doc = new Document({});
  const root = new MapWriter(doc, doc.contents as never);
  doc.commentBefore = header(facts, preset, ["", ...notes.map((note) => `note: ${note}`)]);
  root.set("mqrel", 1);
  root.set("name", name);
  root.set("description", `Kafka replica set imported from ${sourcesText(facts.files, 3)}: RF ${rf}, min.insync.replicas ${minIsr}.`);
  copyParams(root, preset);
  const cluster = root.child("cluster");
  cluster.set("nodes", rf, { after: settingComment(rfSetting, "default.replication.factor") });
  cluster.set("quorum", minIsr, { after: settingComment(minSetting, "min.insync.replicas") });
  cluster.setDefault("node", preset, ["cluster", "node"]);
  if (racks !== undefined) {
    const zones = cluster.child("zones", { before: ` racks (broker.rack): ${racks.join(", ")}; the replicas spread over them` });
    zones.set("count", Math.min(racks.length, rf));
    zones.setDefault("outage", preset, ["cluster", "zones", "outage"]);
  }
  for (const key of ["maintenance", "failover", "common_cause"]) cluster.setDefault(key, preset, ["cluster", key]);
  const messages = root.child("messages");
  messages.set("ack", preset.node(["messages", "ack"]), { after: `${DEFAULT_COMMENT} (the producer's acks)` });
  messages.setDefault("replication_lag", preset, ["messages", "replication_lag"]);
  const perMessage = facts.settings.get("log.flush.interval.messages");
  const perMs = facts.settings.get("log.flush.interval.ms");
  if (perMessage !== undefined && wholeNumber(perMessage, "log.flush.interval.messages", 1) === 1) {
    messages.set("fsync", "always", { after: ` log.flush.interval.messages=1 (${perMessage.file}:${perMessage.line})` });
  } else if (perMs !== undefined) {
    const ms = wholeNumber(perMs, "log.flush.interval.ms", 1);
    messages.set("fsync", "interval", { after: ` log.flush.interval.ms (${perMs.file}:${perMs.line})` });
    messages.set("fsync_interval", `${ms} ms`);
  } else {
    messages.set("fsync", "os", { after: " no log.flush.interval.*: Kafka leaves flushing to the OS" });
    messages.setDefault("writeback", preset, ["messages", "writeback"]);
  }
  messages.setDefault("publisher", preset, ["messages", "publisher"]);
  messages.setDefault("isr", preset, ["messages", "isr"]);
  const unclean = facts.settings.get("unclean.leader.election.enable");
  messages.set(
    "unclean_election",
    unclean !== undefined && flag(unclean, "unclean.leader.election.enable"),
    unclean === undefined
      ? { after: " unclean.leader.election.enable: Kafka's default (false)" }
      : { after: ` unclean.leader.election.enable (${unclean.file}:${unclean.line})` },
  );
  root.setDefault("traffic", preset, ["traffic"]);
  return { text: documentText(doc), notes };
}

/**
 * @param files server.properties files and describe outputs, in any order
 * @param read reads a preset (models/<name>.yaml)
 * @throws InputError on a file that is neither, or facts that contradict each other
 */
export function importKafka(files: readonly ImportFile[], read: PresetReader, name: string): ImportResult {
  const facts = readFacts(files);
  return facts.topics.length > 0 ? fleetModel(facts, read, name) : replicaSetModel(facts, read, name);
}
