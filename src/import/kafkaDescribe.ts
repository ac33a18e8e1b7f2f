/**
 * The output of `kafka-topics.sh --describe`: for each topic a header line
 *
 *   Topic: orders	TopicId: 3aTe…	PartitionCount: 6	ReplicationFactor: 3	Configs: min.insync.replicas=2,…
 *
 * and one line per partition
 *
 *   	Topic: orders	Partition: 0	Leader: 1	Replicas: 1,2,3	Isr: 1,2,3	Elr: 	LastKnownElr:
 *
 * Kafka 3.x and 4.x separate the fields with tabs; Kafka 4 adds `Elr:` and
 * `LastKnownElr:` (KIP-966), older releases print `Topic:orders` without the space and no
 * `TopicId`; a partition being reassigned adds `Adding Replicas:` and `Removing
 * Replicas:`. Fields are found by their names, so tabs, spaces and the older spelling all
 * read the same. Only what a model needs is kept: the replica lists (in preference order)
 * and the topic's configuration overrides.
 */
import { InputError } from "../common/errors.js";

export interface DescribedPartition {
  readonly partition: number;
  /** broker ids, the preferred leader first */
  readonly replicas: readonly number[];
  readonly line: number;
}

export interface DescribedTopic {
  readonly name: string;
  readonly line: number;
  readonly partitionCount: number;
  readonly replicationFactor: number;
  /** the `Configs:` overrides, e.g. min.insync.replicas → "2" */
  readonly configs: ReadonlyMap<string, string>;
  readonly partitions: DescribedPartition[];
}

const FIELDS = [
  "Topic",
  "TopicId",
  "PartitionCount",
  "ReplicationFactor",
  "Configs",
  "Partition",
  "Leader",
  "Replicas",
  "Isr",
  "Elr",
  "LastKnownElr",
  "Offline",
  "Adding Replicas",
  "Removing Replicas",
  "Is Preferred Leader",
  "Under Replicated",
] as const;

const FIELD = new RegExp(`(?:^|\\s)(${FIELDS.join("|")}):`, "g");

/** A line's fields by name ("Topic" → "orders"), or undefined when it names none. */
function fields(line: string): Map<string, string> | undefined {
  const found: { name: string; start: number; end: number }[] = [];
  for (const match of line.matchAll(FIELD)) {
    const index = match.index + match[0].length;
    found.push({ name: match[1] as string, start: match.index, end: index });
  }
  if (found.length === 0 || line.slice(0, found[0]?.start).trim() !== "") return undefined;
  const result = new Map<string, string>();
  found.forEach((field, i) => {
    const next = found[i + 1]?.start ?? line.length;
    result.set(field.name, line.slice(field.end, next).trim());
  });
  return result;
}

/** Does this text look like `kafka-topics.sh --describe` output (a line that starts with `Topic:`)? */
export function looksLikeDescribe(text: string): boolean {
  return text.split(/\r?\n/).some((line) => /^\s*Topic:/.test(line));
}

const EXPECTED = "expected kafka-topics.sh --describe output (Topic: … PartitionCount: … lines, then Topic: … Partition: … lines)";

/** @throws InputError naming the file, line and what was expected */
export function parseDescribe(text: string, file: string): DescribedTopic[] {
  const topics: DescribedTopic[] = [];
  const byName = new Map<string, DescribedTopic>();
  const lines = text.split(/\r?\n/);
  const count = (value: string | undefined, name: string, line: number, least: number): number => {
    if (value === undefined || !/^\d+$/.test(value) || Number(value) < least || !Number.isSafeInteger(Number(value))) {
      throw new InputError(`${name}: expected a whole number${least > 0 ? ` ≥ ${least}` : ""}, found "${value ?? ""}"`, { file, line });
    }
    return Number(value);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const text = lines[i] as string;
    if (text.trim() === "") continue;
    const found = fields(text);
    const name = found?.get("Topic");
    if (found === undefined || name === undefined || name === "") throw new InputError(EXPECTED, { file, line });
    if (found.has("PartitionCount")) {
      if (byName.has(name))
        throw new InputError(`topic ${name} is described twice (line ${byName.get(name)?.line}); expected it once`, { file, line });
      const configs = new Map<string, string>();
      for (const entry of (found.get("Configs") ?? "").split(",")) {
        const at = entry.indexOf("=");
        if (at > 0) configs.set(entry.slice(0, at).trim(), entry.slice(at + 1).trim());
      }
      const topic: DescribedTopic = {
        name,
        line,
        partitionCount: count(found.get("PartitionCount"), "PartitionCount", line, 1),
        replicationFactor: count(found.get("ReplicationFactor"), "ReplicationFactor", line, 1),
        configs,
        partitions: [],
      };
      topics.push(topic);
      byName.set(name, topic);
    } else if (found.has("Partition")) {
      const topic = byName.get(name);
      if (topic === undefined)
        throw new InputError(`partition of topic ${name} before its Topic: … PartitionCount: … line; ${EXPECTED}`, { file, line });
      const partition = count(found.get("Partition"), "Partition", line, 0);
      const listed = found.get("Replicas");
      if (listed === undefined || !/^\d+(,\d+)*$/.test(listed)) {
        throw new InputError(`Replicas: expected broker ids separated by commas (Replicas: 1,2,3), found "${listed ?? ""}"`, {
          file,
          line,
        });
      }
      const replicas = listed.split(",").map(Number);
      if (new Set(replicas).size !== replicas.length) throw new InputError(`Replicas: broker listed twice in ${listed}`, { file, line });
      if (replicas.length !== topic.replicationFactor) {
        throw new InputError(
          `Replicas: ${listed} lists ${replicas.length} brokers; topic ${name} has ReplicationFactor ${topic.replicationFactor} (line ${topic.line})`,
          { file, line },
        );
      }
      if (topic.partitions.some((p) => p.partition === partition))
        throw new InputError(`partition ${partition} of topic ${name} is listed twice`, { file, line });
      topic.partitions.push({ partition, replicas, line });
    } else {
      throw new InputError(EXPECTED, { file, line });
    }
  }
  if (topics.length === 0) throw new InputError(EXPECTED, { file });
  for (const topic of topics) {
    if (topic.partitions.length !== topic.partitionCount) {
      throw new InputError(
        `topic ${topic.name} has PartitionCount ${topic.partitionCount} but ${topic.partitions.length} partition lines; expected one line per partition`,
        { file, line: topic.line },
      );
    }
    topic.partitions.sort((a, b) => a.partition - b.partition);
  }
  return topics;
}
