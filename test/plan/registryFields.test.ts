/**
 * sweep, solve and sensitivity over the fields the field registry made plannable:
 * the message path's fields (`messages.*`) and a failure mode's fields, which the old
 * 35-path table did not know. In-process CLI runs; each answer is checked by `eval` at
 * the value found and just beyond it (a different route through the same model), not by
 * the search itself.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectRelativelyClose } from "../helpers/close.js";
import { run, tempDir } from "../helpers/inProcessCli.js";

const KAFKA = "models/kafka-acks1.yaml";

async function json(argv: readonly string[]): Promise<Record<string, unknown>> {
  const ran = await run([...argv, "--format", "json"]);
  if (ran.code !== 0) throw new Error(`mqrel ${argv.join(" ")} exited ${ran.code}: ${ran.stderr}`);
  return JSON.parse(ran.stdout) as Record<string, unknown>;
}

type Metrics = Record<string, { value: number; complement: number | null }>;

/** A metric's value from `eval` with these overrides. */
async function evalAt(metric: string, sets: Record<string, string>): Promise<number> {
  const argv = ["eval", KAFKA, ...Object.entries(sets).flatMap(([path, value]) => ["--set", `${path}=${value}`])];
  const out = await json(argv);
  const metrics = (out.models as { metrics: Metrics }[])[0]?.metrics as Metrics;
  return (metrics[metric] as { value: number }).value;
}

describe("planning over the message path's fields", () => {
  it("when messages.replication_lag is swept then each row is eval's value there, and loss grows with the lag", async () => {
    const out = await json(["sweep", KAFKA, "--vary", "messages.replication_lag=10 ms..1 s:*10"]);
    const rows = out.rows as { params: Record<string, number>; metrics: Metrics }[];
    // the sweep reports hours, rounded to 12 significant digits (src/plan/vary.ts)
    const hours = rows.map((row) => row.params["messages.replication_lag"] as number);
    expect(hours.map((h) => Number((h * 3_600_000).toPrecision(9)))).toEqual([10, 100, 1000]);
    const losses = rows.map((row) => (row.metrics["message.loss"] as { value: number }).value);
    for (const [i, ms] of [10, 100, 1000].entries()) {
      // the sweep hands the loader hours rounded to 12 digits: the same model within 1e-11
      expectRelativelyClose(losses[i] as number, await evalAt("message.loss", { "messages.replication_lag": `${ms} ms` }), 1e-9);
    }
    // ack: leader loses what the followers had not copied: a longer lag loses more
    expect(losses[0]).toBeLessThan(losses[1] as number);
    expect(losses[1]).toBeLessThan(losses[2] as number);
  });

  it("when solve looks for the longest replication lag under a loss target then eval meets it there and misses it 1 % beyond", async () => {
    const out = await json(["solve", KAFKA, "--for", "messages.replication_lag", "--metric", "message.loss", "--target", "<= 2e-8"]);
    // the registry says: the least demanding lag is the longest one
    expect(out.goal).toBe("max");
    expect(out.met).toBe(true);
    const hours = out.value as number;
    expect(await evalAt("message.loss", { "messages.replication_lag": `${hours} h` })).toBeLessThanOrEqual(2e-8);
    expect(await evalAt("message.loss", { "messages.replication_lag": `${hours * 1.01} h` })).toBeGreaterThan(2e-8);
  });

  it("when the word field messages.ack is solved then its words are tried, and eval agrees which is the first to meet", async () => {
    const out = await json(["solve", KAFKA, "--for", "messages.ack", "--metric", "message.loss", "--target", "<= 1e-9", "--find", "min"]);
    const searched = (out.searched as { values: number }[])[0];
    expect(searched?.values).toBe(3);
    const losses: Record<string, number> = {};
    for (const word of ["leader", "quorum", "all"]) losses[word] = await evalAt("message.loss", { "messages.ack": word });
    const first = ["leader", "quorum", "all"].find((word) => (losses[word] as number) <= 1e-9);
    expect(out.value).toBe(first);
  });

  it("when sensitivity runs then the message path's numbers are perturbed as quantities and its words are not", async () => {
    const out = await json(["sensitivity", KAFKA, "--metric", "message.loss"]);
    const rows = [...(out.rows as { path: string; kind: string }[]), ...(out.count_rows as { path: string; kind: string }[])];
    expect(rows.find((row) => row.path === "messages.replication_lag")?.kind).toBe("quantity");
    expect(rows.find((row) => row.path === "messages.writeback")?.kind).toBe("quantity");
    expect(rows.some((row) => /(^messages\.(ack|fsync)$)|loses$/.test(row.path))).toBe(false);
  });
});

describe("planning over a field the model leaves out", () => {
  it("when solve searches a field the file leaves out then it searches around the registry's default (writeback: 30 s)", async () => {
    const text = readFileSync(KAFKA, "utf8").replace(/^\s*writeback: 30 s\s*$/m, "");
    expect(text).not.toMatch(/^\s*writeback:/m);
    const file = join(tempDir(), "no-writeback.yaml");
    writeFileSync(file, text);
    const ran = await run([
      "solve",
      file,
      "--for",
      "messages.writeback",
      "--metric",
      "message.loss",
      "--target",
      "<= 1e-6",
      "--format",
      "json",
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    const out = JSON.parse(ran.stdout) as { searched: { from: number; to: number }[] };
    // the default grid: the current value ÷ 100 … × 100 (src/plan/solve.ts), in hours
    expectRelativelyClose(out.searched[0]?.from as number, 30 / 100 / 3600, 1e-9);
    expectRelativelyClose(out.searched[0]?.to as number, (30 * 100) / 3600, 1e-9);
  });
});

describe("planning over a failure mode's fields", () => {
  it("when a mode's mttr is swept then each row is eval's value there, and availability falls as repairs get longer", async () => {
    const path = "cluster.node.failures.crash.mttr";
    const out = await json(["sweep", KAFKA, "--vary", `${path}=1 min,5 min,30 min`]);
    const rows = out.rows as { metrics: Metrics }[];
    const values = rows.map((row) => (row.metrics["queue.availability"] as { value: number }).value);
    for (const [i, text] of ["1 min", "5 min", "30 min"].entries()) {
      expect(values[i]).toBe(await evalAt("queue.availability", { [path]: text }));
    }
    expect(values[0]).toBeGreaterThan(values[1] as number);
    expect(values[1]).toBeGreaterThan(values[2] as number);
  });

  it("when solve looks for the highest crash rate that keeps four nines then eval meets it there and misses it 1 % beyond", async () => {
    const path = "cluster.node.failures.crash.rate";
    const out = await json(["solve", KAFKA, "--for", path, "--metric", "queue.availability", "--target", ">= 99.99%"]);
    expect(out.goal).toBe("max");
    const perHour = out.value as number;
    expect(await evalAt("queue.availability", { [path]: `${perHour} / h` })).toBeGreaterThanOrEqual(0.9999);
    expect(await evalAt("queue.availability", { [path]: `${perHour * 1.01} / h` })).toBeLessThan(0.9999);
  });
});

describe("planning over a bad release's fields", () => {
  const BAD = "test/fixtures/modes/bad-release.yaml";

  /** cluster.availability's unavailability from `eval` of the bad-release fixture with these overrides */
  async function unavailabilityAt(sets: Record<string, string>): Promise<number> {
    const argv = ["eval", BAD, ...Object.entries(sets).flatMap(([path, value]) => ["--set", `${path}=${value}`])];
    const metrics = ((await json(argv)).models as { metrics: Metrics }[])[0]?.metrics as Metrics;
    return (metrics["cluster.availability"] as { complement: number }).complement;
  }

  it("when solve looks for the longest detection that keeps 99.98 % then eval meets it there and misses it 1 % beyond", async () => {
    const out = await json(["solve", BAD, "--for", "cluster.maintenance.bad_release.detect", "--target", ">= 99.98%"]);
    // the registry says: the least demanding detection is the slowest one
    expect(out.goal).toBe("max");
    expect(out.met).toBe(true);
    const hours = out.value as number;
    expect(await unavailabilityAt({ "cluster.maintenance.bad_release.detect": `${hours} h` })).toBeLessThanOrEqual(2e-4);
    expect(await unavailabilityAt({ "cluster.maintenance.bad_release.detect": `${hours * 1.01} h` })).toBeGreaterThan(2e-4);
  });

  it("when sensitivity runs then p, detect and rollback are among its inputs, and a larger p costs nines", async () => {
    const out = await json(["sensitivity", BAD]);
    const rows = out.rows as { path: string; kind: string }[];
    for (const field of ["p", "detect", "rollback"]) {
      expect(rows.some((row) => row.path === `cluster.maintenance.bad_release.${field}`)).toBe(true);
    }
    expect(await unavailabilityAt({ "cluster.maintenance.bad_release.p": "0.055" })).toBeGreaterThan(await unavailabilityAt({}));
  });
});
