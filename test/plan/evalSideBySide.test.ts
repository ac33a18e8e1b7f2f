import { describe, expect, it } from "vitest";
import { expectRelativelyClose } from "../helpers/close.js";
import { run, runJson } from "../helpers/inProcess.js";

const THREE = [
  "test/fixtures/classic/rabbitmq-quorum-3.yaml",
  "test/fixtures/classic/kafka-rf3-minisr2-acks-all.yaml",
  "test/fixtures/classic/nats-jetstream-r3.yaml",
];

describe("mqrel eval, several models", () => {
  it("when three models are given then one table has a column per model and a row per metric", async () => {
    const r = await run(["eval", ...THREE], 200);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/┌/g)).toHaveLength(1);
    const header = r.stdout.split("\n")[1] as string;
    expect(header).toMatch(/│ metric +│ rabbitmq-quorum-3 +│ kafka-rf3-minisr2-acks-all +│ nats-jetstream-r3 +│/);
    const availabilityRows = r.stdout.split("\n").filter((line) => line.startsWith("│ cluster.availability "));
    expect(availabilityRows).toHaveLength(1);
    expect(availabilityRows[0]).toMatch(/4\.64 nines.*4\.94 nines.*8\.61 nines/);
    // NATS has no retry block: its cell is empty, not a made-up value
    expect(r.stdout.split("\n").find((line) => line.startsWith("│ retry.success "))).toMatch(/│ — +│$/);
    const md = await run(["eval", ...THREE, "--format", "markdown"]);
    expect(md.stdout.split("\n")[0]).toBe("| metric | rabbitmq-quorum-3 | kafka-rf3-minisr2-acks-all | nats-jetstream-r3 |");
  });

  it("when one model is evaluated then the summary names the dominant contributor, also in JSON", async () => {
    const r = await run(["eval", "test/fixtures/classic/default.yaml"]);
    expect(r.stdout).toMatch(/The common cause is 99\.3 % of the downtime/);
    expect(r.stdout).toMatch(/Correlated crashes are > 99\.9 % of the message loss/);
    const json = await runJson(["eval", "test/fixtures/classic/default.yaml", "--format", "json"]);
    const c = json.models[0].metrics["cluster.availability"].contributors;
    expect(c.dominant).toBe("common_cause");
    expect(c.quantity).toBe("unavailability");
    expectRelativelyClose(c.total, json.models[0].metrics["cluster.availability"].complement, 0);
  });

  it("when a model loses nothing then no share of its loss is claimed", async () => {
    const json = await runJson(["eval", "test/fixtures/classic/rabbitmq-quorum-3.yaml", "--format", "json"]);
    expect(json.models[0].metrics["message.loss"].value).toBe(0);
    expect(json.models[0].metrics["message.loss"].contributors).toBeUndefined();
  });
});

describe("mqrel validate", () => {
  it("names the dominant contributor in its summary and JSON", async () => {
    const args = ["validate", "test/fixtures/classic/default.yaml", "--runs", "4", "--horizon", "500 years", "--workers", "1"];
    const r = await run(args);
    expect(r.stdout).toMatch(/By the formulas, the common cause is 99\.3 % of the downtime/);
    const json = await runJson([...args, "--json"]);
    expect(json.contributors.map((c: { dominant: string }) => c.dominant)).toEqual(["common_cause", "correlated_crashes"]);
  });
});
