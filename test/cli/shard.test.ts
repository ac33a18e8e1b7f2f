/**
 * Sharded runs and `mqrel merge`, in-process: a simulation cut into shards and merged
 * prints exactly — the same bytes — what the unsharded simulation prints, for plain Monte
 * Carlo, importance sampling, and both together; and every way of merging the wrong
 * files is one clear line and exit 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shardRange } from "../../src/sim/run/simulateByMethod.js";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

const directory = mkdtempSync(join(tmpdir(), "mqrel-shards-"));

/** Simulate `args` as `count` shards into fresh files; returns their paths. */
async function shards(name: string, args: readonly string[], count: number): Promise<string[]> {
  const files: string[] = [];
  for (let i = 1; i <= count; i++) {
    const out = join(directory, `${name}-${i}-of-${count}.json`);
    const r = await runCli(["simulate", ...args, "--shard", `${i}/${count}`, "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^shard ${i} of ${count}: `));
    files.push(out);
  }
  return files;
}

const CASES: readonly { readonly name: string; readonly args: readonly string[] }[] = [
  // plain Monte Carlo, realistic mechanics (lognormal repairs, retries during outages)
  { name: "plain", args: ["test/fixtures/classic/default.yaml", "--runs", "12", "--horizon", "300 years", "--seed", "5"] },
  // importance sampling only: a 3-of-5 cluster near 1e-9
  { name: "is", args: ["bench/models/quorum-5-1e-9.yaml", "--method", "is", "--cycles", "2000", "--seed", "3"] },
  // importance sampling for the cluster beside plain runs for messages and retries
  {
    name: "both",
    args: [
      "test/fixtures/classic/rabbitmq-quorum-3.yaml",
      "--assume",
      "formula",
      "--method",
      "is",
      "--cycles",
      "1000",
      "--runs",
      "9",
      "--horizon",
      "200 years",
    ],
  },
];

describe("mqrel simulate --shard and mqrel merge", () => {
  for (const { name, args } of CASES) {
    it(`when the ${name} simulation is run as 1 shard and as 4 shards and merged then both print exactly what the unsharded one prints`, async () => {
      // Arrange
      const whole = await runCli(["simulate", ...args, "--json"]);
      const wholeTable = await runCli(["simulate", ...args]);
      const one = await shards(name, args, 1);
      const four = await shards(name, args, 4);

      // Act
      const mergedOne = await runCli(["merge", ...one, "--json"]);
      const mergedFour = await runCli(["merge", ...[...four].reverse(), "--json"]);
      const mergedTable = await runCli(["merge", ...four]);

      // Assert: the same bytes (exact sums merged, never rounded estimates)
      expect(whole.status, whole.stderr).toBe(0);
      expect(mergedOne.status, mergedOne.stderr).toBe(0);
      expect(mergedFour.status, mergedFour.stderr).toBe(0);
      expect(mergedOne.stdout).toBe(whole.stdout);
      expect(mergedFour.stdout).toBe(whole.stdout);
      expect(mergedTable.stdout).toBe(wholeTable.stdout);
      expect(JSON.parse(whole.stdout).method).toBe(name === "plain" ? "plain" : "importance sampling");
    });
  }

  it("when --out is given without --shard then the file is the whole simulation as shard 1 of 1", async () => {
    const out = join(directory, "alone.json");
    const r = await runCli([
      "simulate",
      "test/fixtures/classic/default.yaml",
      "--runs",
      "3",
      "--horizon",
      "50 years",
      "--out",
      out,
      "--quiet",
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const file = JSON.parse(readFileSync(out, "utf8"));
    expect(file.shard).toEqual({ index: 1, count: 1 });
    expect(file.parts[0]).toMatchObject({ kernel: { kind: "plain" }, runs: 3, start: 0, end: 3 });
    expect(file.model_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("when JOB_COMPLETION_INDEX is set then --shard N (or MQREL_SHARD_COUNT) makes this shard JOB_COMPLETION_INDEX + 1 of N", async () => {
    const a = join(directory, "job-a.json");
    const b = join(directory, "job-b.json");
    const base = ["simulate", "test/fixtures/classic/default.yaml", "--runs", "8", "--horizon", "20 years", "--quiet"];
    expect((await runCli([...base, "--shard", "4", "--out", a], { env: { JOB_COMPLETION_INDEX: "2" } })).status).toBe(0);
    expect((await runCli([...base, "--out", b], { env: { JOB_COMPLETION_INDEX: "0", MQREL_SHARD_COUNT: "4" } })).status).toBe(0);
    expect(JSON.parse(readFileSync(a, "utf8"))).toMatchObject({ shard: { index: 3, count: 4 }, parts: [{ start: 4, end: 6 }] });
    expect(JSON.parse(readFileSync(b, "utf8"))).toMatchObject({ shard: { index: 1, count: 4 }, parts: [{ start: 0, end: 2 }] });
  });

  it("when shard ranges are computed for any run count then they tile [0, R) exactly, even at 2^53 − 1 runs", () => {
    for (const [runs, count] of [
      [10, 3],
      [7, 7],
      [3, 5],
      [Number.MAX_SAFE_INTEGER, 4],
      [1e9, 4],
    ] as const) {
      let next = 0;
      for (let i = 1; i <= count; i++) {
        const { start, end } = shardRange(i, count, runs);
        expect(start, `${runs}/${count} shard ${i}`).toBe(next);
        expect(end).toBeGreaterThanOrEqual(start);
        next = end;
      }
      expect(next).toBe(runs);
    }
    // ⌊3·(2^53 − 1)/4⌋, by BigInt arithmetic written out: 3·(2^53 − 1) = 27021597764222973, / 4 = 6755399441055743.25
    expect(shardRange(4, 4, Number.MAX_SAFE_INTEGER).start).toBe(6755399441055743);
  });
});

describe("mqrel merge refuses what is not one complete simulation", () => {
  const args = ["test/fixtures/classic/default.yaml", "--runs", "8", "--horizon", "20 years", "--seed", "2"];

  it("when a shard is missing then one line names the runs and the shard, exit 2", async () => {
    const [p1, p2, , p4] = await shards("gap", args, 4);
    const line = expectOneLineError(await runCli(["merge", p1 as string, p2 as string, p4 as string]));
    expect(line).toMatch(/runs 4–5 of 8 are missing \(shard 3 of 4\): merge every shard/);
  });

  it("when a shard is given twice then one line says which, exit 2", async () => {
    const [p1, p2] = await shards("twice", args, 2);
    const line = expectOneLineError(await runCli(["merge", p1 as string, p2 as string, p2 as string]));
    expect(line).toMatch(/shard 2 of 2 is given twice/);
  });

  it("when shards overlap (different splits of the same runs) then one line says so, exit 2", async () => {
    const halves = await shards("halves", args, 2);
    const quarters = await shards("quarters", args, 4);
    const line = expectOneLineError(await runCli(["merge", ...halves, quarters[1] as string]));
    expect(line).toMatch(/both hold runs 2–3: shards overlap/);
  });

  it("when shards come from different seeds, models or versions then one line names the difference, exit 2", async () => {
    const [a] = await shards("seed-a", args, 2);
    const [, b] = await shards("seed-b", [...args.slice(0, -1), "3"], 2);
    expect(expectOneLineError(await runCli(["merge", a as string, b as string]))).toMatch(
      /seed-b-2-of-2\.json: seed: seed 3 differs from .*'s 2/,
    );
    const edited = JSON.parse(readFileSync(a as string, "utf8"));
    edited.mqrel_version = "0.0.1";
    const old = join(directory, "old-version.json");
    writeFileSync(old, JSON.stringify(edited));
    const [, b2] = await shards("version", args, 2);
    expect(expectOneLineError(await runCli(["merge", old, b2 as string]))).toMatch(/mqrel version .* differs/);
  });

  it("when a file is not a shard (not JSON, another JSON, damaged sums) then one line names it, exit 2", async () => {
    const notJson = join(directory, "not.json");
    writeFileSync(notJson, "{ nope");
    const model = "test/fixtures/classic/default.yaml";
    const [good] = await shards("damage", args, 1);
    const damaged = JSON.parse(readFileSync(good as string, "utf8"));
    damaged.config.horizonHours = 1;
    const damagedFile = join(directory, "damaged.json");
    writeFileSync(damagedFile, JSON.stringify(damaged));
    expect(expectOneLineError(await runCli(["merge", notJson]))).toMatch(/not\.json: not a shard file: not JSON/);
    expect(expectOneLineError(await runCli(["merge", model]))).toMatch(/not a shard file: not JSON|not an mqrel shard file/);
    expect(expectOneLineError(await runCli(["merge", damagedFile]))).toMatch(/config: does not match config_sha256/);
  });

  it("when --shard is combined with --target-rel-error, --output or no --out then one line says why, exit 2", async () => {
    const out = join(directory, "refused.json");
    expect(expectOneLineError(await runCli(["simulate", ...args, "--shard", "1/2", "--out", out, "--target-rel-error", "0.1"]))).toMatch(
      /--target-rel-error: cannot be used with --shard/,
    );
    expect(expectOneLineError(await runCli(["simulate", ...args, "--shard", "1/2"]))).toMatch(
      /--shard: a shard is written to a file: give --out/,
    );
    expect(expectOneLineError(await runCli(["simulate", ...args, "--shard", "3/2", "--out", out]))).toMatch(
      /--shard: expected a shard index from 1 to 2/,
    );
    expect(expectOneLineError(await runCli(["simulate", ...args, "--shard", "2", "--out", out]))).toMatch(
      /which of the 2 shards is this\?/,
    );
    expect(expectOneLineError(await runCli(["simulate", ...args, "--shard", "1/2", "--out", out, "--output", "x.json"]))).toMatch(
      /--output:/,
    );
  });
});
