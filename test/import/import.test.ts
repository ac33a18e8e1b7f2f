/**
 * `mqrel import`: models from the configuration files Kafka, RabbitMQ and NATS really
 * print (fixtures written by hand from their documentation, test/fixtures/import/), read
 * back and evaluated. The reference values are read from the fixtures here by their own
 * small parsers, not by the importer's.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { loadModel } from "../../src/model/index.js";
import { expectOneLineError } from "../helpers/cli.js";
import { run } from "../helpers/inProcessCli.js";
import { runCli } from "../helpers/runCli.js";

const FIXTURES = "test/fixtures/import";
const KAFKA = `${FIXTURES}/kafka`;
const BROKERS = readdirSync(KAFKA)
  .filter((name) => name.endsWith(".properties"))
  .map((name) => `${KAFKA}/${name}`);
const DEFAULT = "# default: not in the config";

const temp = () => mkdtempSync(join(tmpdir(), "mqrel-import-"));

async function importTo(system: string, files: readonly string[], extra: readonly string[] = []) {
  const out = join(temp(), "model.yaml");
  const result = await runCli(["import", system, ...files, "--out", out, ...extra]);
  expect(result.status, result.stderr).toBe(0);
  return { out, text: readFileSync(out, "utf8"), stderr: result.stderr };
}

async function expectEvaluates(file: string): Promise<Record<string, { value: number | null }>> {
  const result = await runCli(["eval", file, "--json"]);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout).models[0].metrics;
}

/** The describe output read line by line: topic → partitions' replica lists, and each topic's min.insync.replicas override. */
function describeReference(text: string) {
  const topics: { name: string; minIsr?: number; replicas: number[][] }[] = [];
  for (const line of text.split("\n")) {
    const header = /^Topic: (\S+)\t.*PartitionCount: (\d+)\tReplicationFactor: (\d+)\tConfigs: (.*)$/.exec(line);
    if (header) {
      const minIsr = /min\.insync\.replicas=(\d+)/.exec(header[4] as string);
      topics.push({ name: header[1] as string, ...(minIsr ? { minIsr: Number(minIsr[1]) } : {}), replicas: [] });
      continue;
    }
    const partition = /^\tTopic: (\S+)\tPartition: (\d+)\tLeader: \d+\tReplicas: ([\d,]+)\t/.exec(line);
    if (partition) topics[topics.length - 1]?.replicas.push((partition[3] as string).split(",").map(Number));
  }
  return topics;
}

/** A broker's server.properties value for a key (the fixture files' plain key=value lines). */
function property(file: string, key: string): string | undefined {
  const line = readFileSync(file, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${key}=`));
  return line?.slice(key.length + 1);
}

describe("mqrel import kafka", () => {
  it("when six brokers' server.properties and a Kafka 4 describe output are imported then the fleet has their brokers, partitions, replica lists, racks and min ISR, and evaluates", async () => {
    const { out, text } = await importTo("kafka", [...BROKERS, `${KAFKA}/topics.txt`]);
    const reference = describeReference(readFileSync(`${KAFKA}/topics.txt`, "utf8"));
    const model = loadModel(out);
    const fleet = model.fleet;
    expect(fleet).toBeDefined();
    // the model's broker numbering, as its header states it ("0=1 (eu-west-1a), 1=4 …")
    const mapping = /model index=broker id\): (.*)$/m.exec(text)?.[1] as string;
    const idOf = new Map(mapping.split(", ").map((entry) => entry.split(" ")[0]?.split("=").map(Number) as [number, number]));
    expect(model.cluster.nodes).toBe(BROKERS.length);
    expect([...idOf.values()].sort()).toEqual(BROKERS.map((file) => Number(property(file, "node.id"))).sort());
    const described = reference.flatMap((topic) => topic.replicas);
    expect(fleet?.partitions).toBe(described.length);
    expect(fleet?.replicaSets.map((set) => set.map((i) => idOf.get(i)))).toEqual(described);
    // min ISR: the topics' overrides, else the brokers' min.insync.replicas (2 in every fixture)
    const minIsr = reference.map((topic) => topic.minIsr ?? Number(property(BROKERS[0] as string, "min.insync.replicas")));
    expect(new Set(minIsr)).toEqual(new Set([2]));
    expect(fleet?.minInsync).toBe(2);
    // racks: zone z holds the brokers whose broker.rack is the z-th rack
    const placement = parseDocument(text).getIn(["cluster", "zones", "placement"]) as { toJSON(): number[] };
    const counts = placement.toJSON();
    let index = 0;
    const racks = counts.map((count) => {
      const ids = Array.from({ length: count }, () => idOf.get(index++));
      return new Set(ids.map((id) => property(`${KAFKA}/broker-${id}.properties`, "broker.rack")));
    });
    expect(racks.map((set) => [...set])).toEqual([["eu-west-1a"], ["eu-west-1b"], ["eu-west-1c"]]);
    const metrics = await expectEvaluates(out);
    expect(metrics["fleet.availability"]?.value).toBeGreaterThan(0.99);
  });

  it("when values come from the preset then each is marked as a default and equals the preset's own", async () => {
    const { text } = await importTo("kafka", [...BROKERS, `${KAFKA}/topics.txt`]);
    const written = parseDocument(text);
    const preset = parseDocument(readFileSync("models/kafka-fleet-12x600.yaml", "utf8"));
    expect(written.getIn(["cluster", "node"], false)).toBeDefined();
    expect(JSON.stringify(written.getIn(["cluster", "node"]))).toBe(JSON.stringify(preset.getIn(["cluster", "node"])));
    expect(JSON.stringify(written.getIn(["cluster", "zones", "outage"]))).toBe(
      JSON.stringify(preset.getIn(["cluster", "zones", "outage"])),
    );
    const lines = text.split("\n");
    expect(lines[lines.findIndex((l) => l.trim() === "node:") - 1]?.trim()).toBe(DEFAULT);
    expect(lines.find((l) => l.trim().startsWith("outage:"))).toContain(DEFAULT);
    // what the files gave carries no such mark
    for (const key of ["nodes:", "partitions:", "replication:", "min_insync:"])
      expect(lines.find((l) => l.trim().startsWith(key))).not.toContain(DEFAULT);
  });

  it("when only server.properties are given then the model is one replica set with the flush policy as its message path", async () => {
    const { text, out } = await importTo("kafka", BROKERS.slice(0, 3));
    const model = loadModel(out);
    expect(model.cluster.nodes).toBe(3);
    expect(model.cluster.quorum).toBe(2);
    expect(parseDocument(text).getIn(["messages", "fsync"])).toBe("os");
    const metrics = await expectEvaluates(out);
    expect(metrics["queue.availability"]?.value).toBeGreaterThan(0.99);
    // log.flush.interval.ms set on every broker: fsync on that interval
    const dir = temp();
    const flushed = [0, 1, 2].map((i) => {
      const file = join(dir, `b${i}.properties`);
      writeFileSync(file, `${readFileSync(BROKERS[i] as string, "utf8")}log.flush.interval.ms=1000\n`);
      return file;
    });
    const withFlush = await importTo("kafka", flushed);
    expect(parseDocument(withFlush.text).getIn(["messages", "fsync"])).toBe("interval");
    expect(parseDocument(withFlush.text).getIn(["messages", "fsync_interval"])).toBe("1000 ms");
  });

  it("when server.properties allow unclean elections then the replica set's message path elects out-of-sync replicas too, and a word Kafka would not read is refused", async () => {
    // the fixtures say unclean.leader.election.enable=false (Kafka's default): imported as is
    const clean = await importTo("kafka", BROKERS.slice(0, 3));
    expect(parseDocument(clean.text).getIn(["messages", "unclean_election"])).toBe(false);
    const dir = temp();
    const edit = (value: string) =>
      [0, 1, 2].map((i) => {
        const file = join(dir, `${value}-b${i}.properties`);
        writeFileSync(
          file,
          readFileSync(BROKERS[i] as string, "utf8").replace(
            "unclean.leader.election.enable=false",
            `unclean.leader.election.enable=${value}`,
          ),
        );
        return file;
      });
    const unclean = await importTo("kafka", edit("TRUE"));
    expect(parseDocument(unclean.text).getIn(["messages", "unclean_election"])).toBe(true);
    expect(loadModel(unclean.out).messages?.uncleanElection).toBe(true);
    // the in-sync set comes from the preset, so the setting changes what eval gives: an unclean election loses more
    const loss = async (file: string) => (await expectEvaluates(file))["message.loss"]?.value as number;
    expect(await loss(unclean.out)).toBeGreaterThan(await loss(clean.out));
    expect(expectOneLineError(await runCli(["import", "kafka", ...edit("yes"), "--out", join(dir, "x.yaml")]))).toMatch(
      /yes-b0\.properties:\d+.*unclean\.leader\.election\.enable: expected true or false, found "yes"/,
    );
  });

  it("when an older describe output (Topic:name without spaces, no TopicId) differs in min ISR by topic then it is read, the largest min ISR taken and the merge said", async () => {
    const file = join(temp(), "describe.txt");
    writeFileSync(
      file,
      [
        "Topic:a\tPartitionCount:2\tReplicationFactor:2\tConfigs:min.insync.replicas=1",
        "\tTopic: a\tPartition: 0\tLeader: 0\tReplicas: 0,1\tIsr: 0,1",
        "\tTopic: a\tPartition: 1\tLeader: 1\tReplicas: 1,2\tIsr: 1",
        "Topic:b\tPartitionCount:1\tReplicationFactor:2\tConfigs:min.insync.replicas=2,cleanup.policy=compact",
        "\tTopic: b\tPartition: 0\tLeader: 2\tReplicas: 2,0\tIsr: 2,0",
        "",
      ].join("\n"),
    );
    const { out, stderr } = await importTo("kafka", [file]);
    const model = loadModel(out);
    expect(model.cluster.nodes).toBe(3);
    expect(model.fleet?.replicaSets).toEqual([
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    expect(model.fleet?.minInsync).toBe(2);
    expect(stderr).toMatch(/min\.insync\.replicas differs by topic: 1 \(a\); 2 \(b\); the fleet takes one, the largest \(2\)/);
  });

  it("when the input is contradictory or not the format then one line names the file and line, exit 2", async () => {
    const dir = temp();
    const disagree = join(dir, "b2.properties");
    writeFileSync(disagree, readFileSync(BROKERS[1] as string, "utf8").replace("min.insync.replicas=2", "min.insync.replicas=1"));
    expect(expectOneLineError(await runCli(["import", "kafka", BROKERS[0] as string, disagree]))).toMatch(
      /b2\.properties:46: min\.insync\.replicas=1 disagrees with min\.insync\.replicas=2 in .*broker-1\.properties:46/,
    );
    const short = join(dir, "short.txt");
    writeFileSync(
      short,
      "Topic: t\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: \n\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\n",
    );
    expect(expectOneLineError(await runCli(["import", "kafka", short]))).toMatch(
      /short\.txt:2: Replicas: 1,2 lists 2 brokers; topic t has ReplicationFactor 3/,
    );
    const json = `${FIXTURES}/nats/orders.json`;
    expect(expectOneLineError(await runCli(["import", "kafka", json]))).toMatch(
      /orders\.json:1: expected a Kafka server\.properties or the output of kafka-topics\.sh --describe/,
    );
    const tooMany = join(dir, "rf.properties");
    writeFileSync(tooMany, "node.id=1\ndefault.replication.factor=3\n");
    expect(expectOneLineError(await runCli(["import", "kafka", tooMany]))).toMatch(
      /rf\.properties:2: default\.replication\.factor=3 is above the 1 brokers given/,
    );
    const twoBrokers = join(dir, "two.txt");
    writeFileSync(
      twoBrokers,
      "Topic: t\tPartitionCount: 1\tReplicationFactor: 2\tConfigs: \n\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\n",
    );
    expect(expectOneLineError(await runCli(["import", "kafka", tooMany, twoBrokers]))).toMatch(
      /rf\.properties:2: default\.replication\.factor=3 is above the 2 brokers known/,
    );
    expect(expectOneLineError(await runCli(["import", "pulsar", tooMany]))).toMatch(
      /unknown system "pulsar"; expected kafka, rabbitmq, nats/,
    );
  });

  it("when the describe output comes on standard input (-) then it is read as the file would be", async () => {
    const fromFile = await importTo("kafka", [...BROKERS, `${KAFKA}/topics.txt`]);
    const piped = await run(["import", "kafka", ...BROKERS, "-"], { stdin: readFileSync(`${KAFKA}/topics.txt`) });
    expect(piped.code, piped.stderr).toBe(0);
    // the same model, but for its name and description (which name the files)
    const data = (text: string) => {
      const { name: _n, description: _d, ...rest } = parseDocument(text).toJSON();
      return rest;
    };
    expect(data(piped.stdout)).toEqual(data(fromFile.text));
    expect(data(piped.stdout).fleet.partitions).toBe(11);
  });

  it("when a file is neither a server.properties nor a describe output, though it reads as key: value lines, then it is refused", async () => {
    expect(expectOneLineError(await runCli(["import", "kafka", "models/default.yaml"]))).toMatch(
      /models\/default\.yaml: sets none of broker\.id, node\.id, .*; expected a Kafka server\.properties or the output of kafka-topics\.sh --describe/,
    );
  });

  it("when --out exists then it is kept unless --force", async () => {
    const out = join(temp(), "model.yaml");
    writeFileSync(out, "keep me\n");
    const args = ["import", "kafka", ...BROKERS, `${KAFKA}/topics.txt`, "--out", out];
    expect(expectOneLineError(await runCli(args))).toMatch(/model\.yaml: --out: exists; --force overwrites it/);
    expect(readFileSync(out, "utf8")).toBe("keep me\n");
    expect((await runCli([...args, "--force"])).status).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^# Imported by `mqrel import kafka`/);
  });
});

describe("mqrel import rabbitmq", () => {
  it("when a definitions export with quorum queues is imported then their group is one replica set with a quorum of the majority, and it evaluates", async () => {
    const { out, stderr } = await importTo("rabbitmq", [`${FIXTURES}/rabbitmq/definitions.json`]);
    const model = loadModel(out);
    expect(model.cluster.nodes).toBe(3);
    expect(model.cluster.quorum).toBe(2);
    expect(stderr).toMatch(/left out: 1 queue of type stream \(clickstream\)/);
    expect(stderr).toMatch(/left out: 1 classic queue \(legacy\.audit\)/);
    await expectEvaluates(out);
  });

  it("when cluster_status names five nodes then the three quorum queues are a fleet over them", async () => {
    const { out } = await importTo("rabbitmq", [`${FIXTURES}/rabbitmq/definitions.json`, `${FIXTURES}/rabbitmq/cluster_status.json`]);
    const model = loadModel(out);
    expect(model.cluster.nodes).toBe(5);
    expect(model.fleet?.partitions).toBe(3);
    expect(model.fleet?.replicaSets[0]?.length).toBe(3);
    const metrics = await expectEvaluates(out);
    expect(metrics["fleet.availability"]?.value).toBeGreaterThan(0.99);
  });

  it("when classic queues are mirrored by an ha-mode policy then the highest-priority policy sets the copies, with a quorum of one", async () => {
    const { out, text } = await importTo("rabbitmq", [`${FIXTURES}/rabbitmq/definitions-mirrored.json`]);
    const model = loadModel(out);
    // ha-two (priority 5, ha-mode exactly, ha-params 3) wins over ha-all (priority 0) for jobs.*
    expect(model.cluster.nodes).toBe(3);
    expect(model.cluster.quorum).toBe(1);
    expect(parseDocument(text).getIn(["durability", "replicas"])).toBe(3);
    await expectEvaluates(out);
  });

  it("when the file is not a definitions export, or quorum queues differ in size, then one line says so, exit 2", async () => {
    expect(expectOneLineError(await runCli(["import", "rabbitmq", `${FIXTURES}/nats/orders.json`]))).toMatch(
      /orders\.json: expected a RabbitMQ definitions export/,
    );
    const file = join(temp(), "defs.json");
    writeFileSync(
      file,
      JSON.stringify({
        rabbit_version: "3.13.7",
        queues: [
          { name: "a", vhost: "/", durable: true, arguments: { "x-queue-type": "quorum", "x-quorum-initial-group-size": 3 } },
          { name: "b", vhost: "/", durable: true, arguments: { "x-queue-type": "quorum", "x-quorum-initial-group-size": 5 } },
        ],
      }),
    );
    expect(expectOneLineError(await runCli(["import", "rabbitmq", file]))).toMatch(
      /defs\.json: queues\[1\]: queue b has 5 members, queue a \(queues\[0\]\) 3/,
    );
    writeFileSync(file, '{\n  "queues": [,]\n}');
    expect(expectOneLineError(await runCli(["import", "rabbitmq", file]))).toMatch(/defs\.json:2:14: is not JSON/);
    writeFileSync(file, '{"queues": [');
    expect(expectOneLineError(await runCli(["import", "rabbitmq", file]))).toMatch(
      /defs\.json:1:13: is not JSON \(Unexpected end of JSON input\)/,
    );
  });
});

describe("mqrel import nats", () => {
  it("when one stream's info is imported then it is a Raft group of num_replicas with JetStream's message path, and it evaluates", async () => {
    const { out, text } = await importTo("nats", [`${FIXTURES}/nats/orders.json`]);
    const model = loadModel(out);
    expect(model.cluster.nodes).toBe(3);
    expect(model.cluster.quorum).toBe(2);
    expect(parseDocument(text).getIn(["messages", "ack"])).toBe("quorum");
    const preset = parseDocument(readFileSync("models/nats-jetstream-r3.yaml", "utf8"));
    expect(text).toContain(`fsync_interval: ${preset.getIn(["messages", "fsync_interval"])} # default: not in the config`);
    await expectEvaluates(out);
  });

  it("when two streams sit on different servers then they are a fleet with each stream's servers as its replica set", async () => {
    const { out } = await importTo("nats", [`${FIXTURES}/nats/orders.json`, `${FIXTURES}/nats/events.json`]);
    const model = loadModel(out);
    // servers sorted by name: n1-c1 … n5-c1 → 0 … 4; ORDERS on n1, n2, n3; EVENTS led by n4, then n5, n1
    expect(model.cluster.nodes).toBe(5);
    expect(model.fleet?.replicaSets).toEqual([
      [0, 1, 2],
      [3, 4, 0],
    ]);
    await expectEvaluates(out);
  });

  it("when a stream is in memory then the message path is left out, and contradictory replica counts are refused", async () => {
    const { text } = await importTo("nats", [`${FIXTURES}/nats/cache.json`]);
    expect(parseDocument(text).get("messages")).toBeUndefined();
    const file = join(temp(), "bad.json");
    writeFileSync(file, readFileSync(`${FIXTURES}/nats/orders.json`, "utf8").replace('"num_replicas": 3', '"num_replicas": 5'));
    expect(expectOneLineError(await runCli(["import", "nats", file]))).toMatch(
      /bad\.json: cluster: names 3 servers .* but config\.num_replicas is 5/,
    );
  });
});
