/**
 * `mqrel import rabbitmq`: a definitions export (`rabbitmqctl export_definitions`, or
 * `GET /api/definitions`) and, optionally, `rabbitmqctl cluster_status --formatter json`
 * for the nodes → a model (docs/import.md).
 *
 * Read: each queue's type (`x-queue-type`: quorum, classic; streams are left out), a
 * quorum queue's `x-quorum-initial-group-size` (RabbitMQ's default, 3, where absent), and for classic queues the policy that applies
 * (same vhost, pattern matching the name, `apply-to` all/queues/classic_queues, highest
 * priority) with `ha-mode` (all, exactly with `ha-params` N, nodes with `ha-params` a list),
 * `ha-sync-mode` and `ha-promote-on-failure`.
 *
 * The model: quorum queues when there are any (the classic ones are then left out, with a
 * note), every queue's group of one size (two sizes are refused: a model takes one).
 * Queues whose groups cover the same nodes — one queue, no cluster_status, or as many
 * nodes as the group — are one replica set (preset rabbitmq-quorum-3); on more nodes, a
 * fleet of the queues placed at random as RabbitMQ places members (preset
 * rabbitmq-quorum-fleet-5x200). Classic queues are one replica set of their mirrors with
 * quorum 1 (preset rabbitmq-classic-mirrored). Everything else comes from those presets,
 * marked `# default: not in the config`.
 */
import { Document } from "yaml";
import { InputError } from "../common/errors.js";
import { copyParams, DEFAULT_COMMENT, documentText, MapWriter, Preset, type PresetReader, sourcesText } from "./document.js";
import { isObject, parseJsonFile } from "./json.js";
import type { ImportFile, ImportResult } from "./types.js";

const EXPECTED =
  "a RabbitMQ definitions export (rabbitmqctl export_definitions) with a queues list, or rabbitmqctl cluster_status --formatter json";

/**
 * RabbitMQ's default quorum-queue group size where `x-quorum-initial-group-size` is absent
 * (the `quorum_cluster_size` default; docs/sources.md, "3 replicas, majority (2) needed").
 * A fact about RabbitMQ, not a preset's figure.
 */
const DEFAULT_GROUP_SIZE = 3;

interface Queue {
  readonly name: string;
  readonly vhost: string;
  readonly type: string;
  /** members (quorum) or copies (classic: 1 + mirrors); undefined: RabbitMQ's default / every node */
  readonly replicas: number | "all" | undefined;
  readonly path: string;
  readonly policy?: { name: string; sync?: string; promote?: string };
}

interface Policy {
  readonly name: string;
  readonly vhost: string;
  readonly pattern: RegExp;
  readonly applyTo: string;
  readonly priority: number;
  readonly definition: Record<string, unknown>;
  readonly path: string;
}

function policies(data: Record<string, unknown>, file: string): Policy[] {
  const list = data.policies ?? [];
  if (!Array.isArray(list)) throw new InputError("expected a list of policies", { file, path: "policies" });
  return list.map((raw, i) => {
    const path = `policies[${i}]`;
    if (!isObject(raw) || typeof raw.pattern !== "string" || !isObject(raw.definition)) {
      throw new InputError("expected a policy with a pattern and a definition", { file, path });
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(raw.pattern);
    } catch {
      throw new InputError(`pattern "${raw.pattern}" is not a regular expression mqrel can read`, { file, path: `${path}.pattern` });
    }
    return {
      name: String(raw.name ?? path),
      vhost: String(raw.vhost ?? "/"),
      pattern,
      applyTo: String(raw["apply-to"] ?? "all"),
      priority: typeof raw.priority === "number" ? raw.priority : 0,
      definition: raw.definition,
      path,
    };
  });
}

/** Copies of a classic queue under a policy's ha-* keys (docs: classic queue mirroring). */
function mirrored(policy: Policy, file: string): number | "all" | undefined {
  const mode = policy.definition["ha-mode"];
  if (mode === undefined) return undefined;
  const params = policy.definition["ha-params"];
  const path = `${policy.path}.definition.ha-params`;
  if (mode === "all") return "all";
  if (mode === "exactly") {
    if (typeof params !== "number" || !Number.isSafeInteger(params) || params < 1) {
      throw new InputError(`ha-mode exactly: expected ha-params a whole number ≥ 1, found ${JSON.stringify(params)}`, { file, path });
    }
    return params;
  }
  if (mode === "nodes") {
    if (!Array.isArray(params) || params.length === 0)
      throw new InputError(`ha-mode nodes: expected ha-params a list of node names, found ${JSON.stringify(params)}`, { file, path });
    return params.length;
  }
  throw new InputError(`ha-mode: expected all, exactly or nodes, found ${JSON.stringify(mode)}`, {
    file,
    path: `${policy.path}.definition.ha-mode`,
  });
}

function queues(data: Record<string, unknown>, file: string): Queue[] {
  const list = data.queues;
  if (!Array.isArray(list)) throw new InputError(`has no queues list; expected ${EXPECTED}`, { file, path: "queues" });
  const all = policies(data, file);
  return list.map((raw, i) => {
    const path = `queues[${i}]`;
    if (!isObject(raw) || typeof raw.name !== "string") throw new InputError("expected a queue with a name", { file, path });
    const vhost = String(raw.vhost ?? "/");
    const args = isObject(raw.arguments) ? raw.arguments : {};
    const type = String(args["x-queue-type"] ?? "classic");
    if (type === "quorum") {
      const size = args["x-quorum-initial-group-size"];
      if (size !== undefined && (typeof size !== "number" || !Number.isSafeInteger(size) || size < 1)) {
        throw new InputError(`expected a whole number ≥ 1, found ${JSON.stringify(size)}`, {
          file,
          path: `${path}.arguments.x-quorum-initial-group-size`,
        });
      }
      return { name: raw.name, vhost, type, replicas: size as number | undefined, path };
    }
    if (type !== "classic") return { name: raw.name, vhost, type, replicas: undefined, path };
    const policy = all
      .filter((p) => p.vhost === vhost && ["all", "queues", "classic_queues"].includes(p.applyTo) && p.pattern.test(raw.name as string))
      .sort((a, b) => b.priority - a.priority)[0];
    const copies = policy === undefined ? undefined : mirrored(policy, file);
    if (policy === undefined || copies === undefined) return { name: raw.name, vhost, type, replicas: 1, path };
    const sync = policy.definition["ha-sync-mode"];
    const promote = policy.definition["ha-promote-on-failure"];
    return {
      name: raw.name,
      vhost,
      type,
      replicas: copies,
      path,
      policy: { name: policy.name, ...(typeof sync === "string" ? { sync } : {}), ...(typeof promote === "string" ? { promote } : {}) },
    };
  });
}

function files(inputs: readonly ImportFile[]): {
  definitions: ImportFile & { data: Record<string, unknown> };
  nodes?: string[];
  nodesFile?: string;
} {
  let definitions: (ImportFile & { data: Record<string, unknown> }) | undefined;
  let nodes: string[] | undefined;
  let nodesFile: string | undefined;
  for (const input of inputs) {
    const data = parseJsonFile(input.text, input.file, EXPECTED);
    if (!isObject(data)) throw new InputError(`is JSON but not an object; expected ${EXPECTED}`, { file: input.file });
    if (Array.isArray(data.disk_nodes) || Array.isArray(data.running_nodes)) {
      const listed = [...(Array.isArray(data.disk_nodes) ? data.disk_nodes : []), ...(Array.isArray(data.ram_nodes) ? data.ram_nodes : [])];
      const named = listed.length > 0 ? listed : (data.running_nodes as unknown[]);
      nodes = [...new Set(named.map(String))];
      nodesFile = input.file;
    } else if ("queues" in data || "rabbit_version" in data || "rabbitmq_version" in data) {
      if (definitions !== undefined)
        throw new InputError(`is a second definitions export (the first: ${definitions.file}); expected one`, { file: input.file });
      definitions = { ...input, data };
    } else throw new InputError(`expected ${EXPECTED}`, { file: input.file });
  }
  if (definitions === undefined)
    throw new InputError(`has no definitions export beside it; expected ${EXPECTED}`, { file: nodesFile ?? "" });
  return { definitions, ...(nodes === undefined ? {} : { nodes, nodesFile }) };
}

function header(sources: string[], presets: Preset[], notes: string[]): string {
  return [
    ` Imported by \`mqrel import rabbitmq\` from ${sourcesText(sources)}.`,
    " What those files say is imported; every value marked `# default: not in the config` is",
    ` not in them and comes from ${presets.map((p) => p.file).join(" and ")} (docs/import.md).`,
    " Check those against your own cluster, and add an slo: block to gate it with `mqrel check`.",
    ...(notes.length > 0 ? ["", ...notes.map((note) => ` note: ${note}`)] : []),
  ].join("\n");
}

/** @throws InputError on a file that is not the format, or queues a model cannot hold together */
export function importRabbitmq(inputs: readonly ImportFile[], read: PresetReader, name: string): ImportResult {
  const { definitions, nodes, nodesFile } = files(inputs);
  const file = definitions.file;
  const all = queues(definitions.data, file);
  const notes: string[] = [];
  const others = all.filter((q) => q.type !== "quorum" && q.type !== "classic");
  if (others.length > 0)
    notes.push(
      `left out: ${others.length} queue${others.length === 1 ? "" : "s"} of type ${[...new Set(others.map((q) => q.type))].join(", ")} (${others.map((q) => q.name).join(", ")})`,
    );
  const quorum = all.filter((q) => q.type === "quorum");
  const classic = all.filter((q) => q.type === "classic");
  if (quorum.length === 0 && classic.length === 0)
    throw new InputError(`has no quorum or classic queues; expected ${EXPECTED}`, { file, path: "queues" });
  if (quorum.length > 0 && classic.length > 0)
    notes.push(
      `left out: ${classic.length} classic queue${classic.length === 1 ? "" : "s"} (${classic.map((q) => q.name).join(", ")}): a model holds one queue type, the quorum queues`,
    );
  const chosen = quorum.length > 0 ? quorum : classic;
  const kind = quorum.length > 0 ? "quorum" : "classic";
  const preset = new Preset(kind === "quorum" ? "rabbitmq-quorum-3" : "rabbitmq-classic-mirrored", read);
  const defaultSize = kind === "quorum" ? DEFAULT_GROUP_SIZE : undefined;
  const sizeOf = (q: Queue): number => {
    const r = q.replicas ?? defaultSize;
    const asked = r === "all" || r === undefined ? (nodes?.length ?? (preset.value(["cluster", "nodes"]) as number)) : r;
    return nodes === undefined ? asked : Math.min(asked, nodes.length);
  };
  const first = chosen[0] as Queue;
  const size = sizeOf(first);
  for (const q of chosen) {
    if (sizeOf(q) !== size) {
      throw new InputError(
        `queue ${q.name} has ${sizeOf(q)} ${kind === "quorum" ? "members" : "copies"}, queue ${first.name} (${first.path}) ${size}; a model takes one size: export the queues of one size`,
        { file, path: q.path },
      );
    }
  }
  const capped = chosen.filter((q) => typeof q.replicas === "number" && nodes !== undefined && q.replicas > nodes.length);
  if (capped.length > 0)
    notes.push(
      `${capped.length} queue${capped.length === 1 ? " asks" : "s ask"} for more members than the ${nodes?.length} nodes; RabbitMQ places one on each node`,
    );
  const sizeFromConfig = chosen.every((q) => q.replicas !== undefined && (q.replicas !== "all" || nodes !== undefined));
  const fleet = kind === "quorum" && chosen.length > 1 && nodes !== undefined && nodes.length > size;
  const sources = [file, ...(nodesFile === undefined ? [] : [nodesFile])];

  const doc = new Document({});
  const root = new MapWriter(doc, doc.contents as never);
  const used = fleet ? new Preset("rabbitmq-quorum-fleet-5x200", read) : preset;
  if (kind === "classic") {
    for (const q of chosen.filter((q) => q.policy !== undefined)) {
      const { sync, promote } = q.policy ?? {};
      if (sync !== undefined || promote !== undefined) {
        notes.push(
          `queue ${q.name}: policy ${q.policy?.name} ha-sync-mode ${sync ?? "manual"}, ha-promote-on-failure ${promote ?? "always"} — not modelled: a promoted mirror is taken to hold what was confirmed`,
        );
        break;
      }
    }
  }
  if (!fleet && chosen.length > 1) notes.push(`${chosen.length} ${kind} queues on the same ${size} nodes: one replica set`);
  doc.commentBefore = header(sources, [used], notes);
  root.set("mqrel", 1);
  root.set("name", name);
  const queuesWord = chosen.length === 1 ? "queue" : "queues";
  const what =
    kind === "quorum"
      ? `quorum ${queuesWord} of ${size} members`
      : size === 1
        ? `classic ${queuesWord}, not mirrored`
        : `classic ${queuesWord} mirrored on ${size} nodes`;
  root.set(
    "description",
    `RabbitMQ imported from ${sourcesText(sources, 3)}: ${chosen.length} ${what}${fleet ? ` on ${nodes?.length} nodes` : ""}.`,
  );
  copyParams(root, used);
  const cluster = root.child("cluster");
  const sizeComment = sizeFromConfig
    ? kind === "quorum"
      ? " x-quorum-initial-group-size"
      : " ha-mode/ha-params"
    : kind === "quorum"
      ? `${DEFAULT_COMMENT} (RabbitMQ's default group size)`
      : `${DEFAULT_COMMENT} (ha-mode all: every node, and the export does not list the nodes; add rabbitmqctl cluster_status --formatter json)`;
  if (fleet) {
    cluster.set("nodes", nodes?.length, { after: ` cluster_status (${nodesFile})` });
    cluster.setDefault("node", used, ["cluster", "node"]);
    if ((nodes?.length ?? 0) >= (used.value(["cluster", "zones", "count"]) as number))
      cluster.setDefault("zones", used, ["cluster", "zones"]);
    const f = root.child("fleet");
    f.set("partitions", chosen.length, { after: " the quorum queues" });
    f.set("replication", size, { after: sizeComment });
    f.set("min_insync", "majority", { after: " a Raft group needs a majority" });
    f.set("placement", "random", { after: " RabbitMQ picks members' nodes (not by zone)" });
    f.setDefault("seed", used, ["fleet", "seed"]);
    return { text: documentText(doc), notes };
  }
  cluster.set("nodes", size, { after: sizeComment });
  cluster.set("quorum", kind === "quorum" ? "majority" : "any", {
    after: kind === "quorum" ? " a Raft group needs a majority" : " a mirrored queue serves while one copy is up",
  });
  cluster.setDefault("node", used, ["cluster", "node"]);
  if (kind === "classic") cluster.setDefault("repair_crews", used, ["cluster", "repair_crews"]);
  const zoneCount = used.value(["cluster", "zones", "count"]);
  if (typeof zoneCount === "number" && size >= zoneCount) cluster.setDefault("zones", used, ["cluster", "zones"]);
  for (const key of ["maintenance", "failover", "common_cause"]) cluster.setDefault(key, used, ["cluster", key]);
  if (kind === "quorum" && size > 1) {
    const messages = root.child("messages");
    messages.set("ack", "quorum", { after: " quorum queues confirm once a majority has the message" });
    messages.setDefault("replication_lag", used, ["messages", "replication_lag"]);
    messages.set("fsync", "always", { after: " quorum queues fsync before confirming" });
    messages.setDefault("publisher", used, ["messages", "publisher"]);
    root.setDefault("traffic", used, ["traffic"]);
  } else if (kind === "classic") {
    const durability = root.child("durability");
    durability.set("replicas", size, { after: sizeComment });
    for (const key of ["window", "crash_rate", "correlated_crash_rate"]) durability.setDefault(key, used, ["durability", key]);
  }
  return { text: documentText(doc), notes };
}
