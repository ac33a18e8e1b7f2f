/**
 * `mqrel import nats`: the output of `nats stream info <stream> --json`, one file a stream
 * → a model (docs/import.md).
 *
 * Read: `config.num_replicas` (1 where absent, as JetStream), `config.storage` (file or
 * memory), and `cluster` (`leader`, `replicas[].name`): the servers that hold the
 * stream. One stream, or streams on the same servers, is one Raft group of num_replicas
 * with a majority quorum (preset nats-jetstream-r3); streams spread over more servers than
 * a group is a fleet with each stream's servers as an explicit placement. Memory storage
 * keeps no copy on disk: the message path (which assumes one) is left out, and said so.
 * Everything else comes from the preset, marked `# default: not in the config`.
 */
import { Document, type YAMLSeq } from "yaml";
import { InputError } from "../common/errors.js";
import { copyParams, DEFAULT_COMMENT, documentText, MapWriter, Preset, type PresetReader, sourcesText } from "./document.js";
import { isObject, parseJsonFile } from "./json.js";
import type { ImportFile, ImportResult } from "./types.js";

const EXPECTED = "the output of nats stream info <stream> --json (an object with config and state)";

interface Stream {
  readonly file: string;
  readonly name: string;
  readonly replicas: number;
  readonly storage: "file" | "memory";
  /** the servers holding it, the leader first; undefined without cluster information */
  readonly servers?: readonly string[];
}

function readStream({ file, text }: ImportFile): Stream {
  const data = parseJsonFile(text, file, EXPECTED);
  if (!isObject(data) || !isObject(data.config) || typeof data.config.name !== "string" || !("state" in data || "created" in data)) {
    throw new InputError(`expected ${EXPECTED}`, { file });
  }
  const config = data.config;
  const replicas = config.num_replicas ?? 1;
  if (typeof replicas !== "number" || !Number.isSafeInteger(replicas) || replicas < 1 || replicas > 5) {
    throw new InputError(`expected a whole number from 1 to 5 (JetStream's limit), found ${JSON.stringify(replicas)}`, {
      file,
      path: "config.num_replicas",
    });
  }
  const storage = config.storage ?? "file";
  if (storage !== "file" && storage !== "memory")
    throw new InputError(`expected file or memory, found ${JSON.stringify(storage)}`, { file, path: "config.storage" });
  const name = config.name as string;
  if (!isObject(data.cluster) || typeof data.cluster.leader !== "string") return { file, name, replicas, storage };
  const peers = Array.isArray(data.cluster.replicas) ? data.cluster.replicas : [];
  const servers = [
    data.cluster.leader,
    ...peers.map((peer, i) => {
      if (!isObject(peer) || typeof peer.name !== "string")
        throw new InputError("expected a replica with a name", { file, path: `cluster.replicas[${i}]` });
      return peer.name;
    }),
  ];
  if (servers.length !== replicas || new Set(servers).size !== servers.length) {
    throw new InputError(
      `names ${servers.length} servers (${servers.join(", ")}), but config.num_replicas is ${replicas}; expected the leader and num_replicas − 1 replicas`,
      {
        file,
        path: "cluster",
      },
    );
  }
  return { file, name, replicas, storage, servers };
}

/** @throws InputError on a file that is not stream info, or streams a model cannot hold together */
export function importNats(inputs: readonly ImportFile[], read: PresetReader, name: string): ImportResult {
  const streams = inputs.map(readStream);
  const first = streams[0] as Stream;
  for (const s of streams) {
    if (s.replicas !== first.replicas) {
      throw new InputError(
        `stream ${s.name} has ${s.replicas} replicas, stream ${first.name} (${first.file}) ${first.replicas}; a model takes one replica count`,
        {
          file: s.file,
          path: "config.num_replicas",
        },
      );
    }
  }
  const r = first.replicas;
  const notes: string[] = [];
  const servers = [...new Set(streams.flatMap((s) => s.servers ?? []))].sort();
  const placed = streams.every((s) => s.servers !== undefined);
  const fleet = streams.length > 1 && placed && servers.length > r;
  const memory = streams.filter((s) => s.storage === "memory");
  if (memory.length > 0 && memory.length < streams.length)
    notes.push(`storage differs: ${memory.map((s) => s.name).join(", ")} in memory, the others on file`);
  const preset = new Preset("nats-jetstream-r3", read);
  const doc = new Document({});
  const root = new MapWriter(doc, doc.contents as never);
  const sources = streams.map((s) => s.file);
  if (!fleet && memory.length > 0 && r > 1) notes.push("storage memory: no copy on disk; the message path (which assumes one) is left out");
  if (!fleet && streams.length > 1) notes.push(`${streams.length} streams on the same ${r} servers: one replica set`);
  doc.commentBefore = [
    ` Imported by \`mqrel import nats\` from ${sourcesText(sources)}.`,
    " What those files say is imported; every value marked `# default: not in the config` is",
    ` not in them and comes from ${preset.file} (docs/import.md).`,
    " Check those against your own cluster, and add an slo: block to gate it with `mqrel check`.",
    ...(fleet ? ["", ` ${servers.length} servers, numbered from 0: ${servers.map((s, i) => `${i}=${s}`).join(", ")}`] : []),
    ...(notes.length > 0 ? ["", ...notes.map((note) => ` note: ${note}`)] : []),
  ].join("\n");
  root.set("mqrel", 1);
  root.set("name", name);
  root.set(
    "description",
    `NATS JetStream imported from ${sourcesText(sources, 3)}: ${streams.length} stream${streams.length === 1 ? "" : "s"} of R${r}${fleet ? ` on ${servers.length} servers` : ""}.`,
  );
  copyParams(root, preset);
  const cluster = root.child("cluster");
  const zoneCount = preset.value(["cluster", "zones", "count"]) as number;
  if (fleet) {
    cluster.set("nodes", servers.length, { after: " the servers named in the streams' cluster information" });
    cluster.setDefault("node", preset, ["cluster", "node"]);
    if (servers.length >= zoneCount) cluster.setDefault("zones", preset, ["cluster", "zones"]);
    const f = root.child("fleet");
    f.set("partitions", streams.length, { after: " the streams" });
    f.set("replication", r, { after: " config.num_replicas" });
    f.set("min_insync", "majority", { after: " a Raft group needs a majority" });
    const sets = doc.createNode(streams.map((s) => (s.servers ?? []).map((server) => servers.indexOf(server)))) as YAMLSeq;
    sets.items.forEach((item, i) => {
      const seq = item as YAMLSeq;
      seq.flow = true;
      seq.commentBefore = ` ${streams[i]?.name} (${streams[i]?.file}), the leader first`;
    });
    f.set("placement", sets, { before: " each stream's servers (cluster.leader and cluster.replicas)" });
    return { text: documentText(doc), notes };
  }
  cluster.set("nodes", r, { after: " config.num_replicas" });
  cluster.set("quorum", "majority", { after: " a Raft group needs a majority" });
  cluster.setDefault("node", preset, ["cluster", "node"]);
  if (r >= zoneCount) cluster.setDefault("zones", preset, ["cluster", "zones"]);
  for (const key of ["maintenance", "failover", "common_cause"]) cluster.setDefault(key, preset, ["cluster", key]);
  if (r > 1 && memory.length === 0) {
    const messages = root.child("messages");
    messages.set("ack", "quorum", { after: " JetStream acknowledges once a majority has the message" });
    messages.setDefault("replication_lag", preset, ["messages", "replication_lag"]);
    messages.set("fsync", "interval", { after: " config.storage file: synced on the server's sync_interval" });
    messages.set("fsync_interval", preset.node(["messages", "fsync_interval"]), {
      after: `${DEFAULT_COMMENT} (sync_interval is the server's setting)`,
    });
    messages.setDefault("publisher", preset, ["messages", "publisher"]);
    root.setDefault("traffic", preset, ["traffic"]);
  }
  return { text: documentText(doc), notes };
}
