/**
 * The few things only the real process shows, through the built bin/mqrel.js (the
 * globalSetup builds it once): exit codes set on the process, --help/--version, Ctrl-C,
 * a reader that closes the pipe, and worker threads (they exist only in the bundle).
 * Everything else runs in-process (test/helpers/runCli.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError, mqrel, ROOT, startCli, waitForLine } from "../helpers/cli.js";

/** A copy of the RabbitMQ preset that misses its availability SLO (check exits 1). */
function violatedModel(): string {
  const file = join(mkdtempSync(join(tmpdir(), "mqrel-")), "r.yaml");
  writeFileSync(file, readFileSync(join(ROOT, "models/rabbitmq-quorum-3.yaml"), "utf8").replace('">= 99.99%"', '">= 99.9999999%"'));
  return file;
}

describe("bin/mqrel.js", () => {
  it("when --version or --help is asked then the process exits 0 and prints them", async () => {
    // Act
    const [version, help] = await Promise.all([mqrel(["--version"]), mqrel(["--help"])]);

    // Assert
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: mqrel/);
    expect(help.stdout).toMatch(/Exit codes:/);
  });

  it("when SLOs are met, violated or the model is bad then the process exits 0, 1 or 2", async () => {
    // Arrange
    const violated = violatedModel();

    // Act
    const [met, missed, bad] = await Promise.all([
      mqrel(["check", "models/single-node.yaml"]),
      mqrel(["check", violated]),
      mqrel(["eval", "test/fixtures/bad/mttr-zero.yaml"]),
    ]);

    // Assert
    expect(met.status, met.stderr).toBe(0);
    expect(missed.status, missed.stderr).toBe(1);
    expect(expectOneLineError(bad)).toMatch(/mttr-zero\.yaml:10:11: cluster\.node\.mttr: expected a duration > 0/);
  });

  it("when Ctrl-C interrupts a simulation then the partial estimates are printed and the process exits 130", async () => {
    // Arrange: a plain progress line at every update (MQREL_PROGRESS_SECONDS=0, see
    // src/cli/progress.ts); the SIGINT listener is installed before the first one
    const { child, closed } = startCli(
      ["simulate", "models/default.yaml", "--runs", "100000", "--horizon", "2000 years", "--workers", "1"],
      { env: { MQREL_PROGRESS_SECONDS: "0" } },
    );

    // Act: interrupt once a progress line counts finished runs — a readiness event, not a
    // sleep: before the listener exists a SIGINT kills node, and on a busy machine start-up
    // takes seconds; 100000 runs take minutes
    const progress = await waitForLine(child.stderr, /^simulating: .*\((\d+) of 100000 runs done\)/, (m) => Number(m[1]) > 0);
    child.kill("SIGINT");
    const result = await closed;

    // Assert: the runs finished before the signal are in the estimates
    expect(result.status, `signal ${result.signal}; stderr: ${result.stderr}`).toBe(130);
    const made = result.stdout.match(/interrupted: estimates from the (\d+) of 100000 runs made/);
    expect(made, result.stdout).not.toBeNull();
    expect(Number(made?.[1])).toBeGreaterThanOrEqual(Number(progress[1]));
    expect(result.stdout).toMatch(/cluster\.availability/);
    expect(result.stdout, "an estimate from no run is NaN").not.toMatch(/NaN/);
  });

  it("when the reader closes the pipe before anything is written then there is no error, and the exit code still tells", async () => {
    // Arrange
    const json = startCli(["formulas", "--json"]);
    const check = startCli(["check", violatedModel()]);

    // Act: close our end at once; the process writes only after its start-up
    json.child.stdout.destroy();
    check.child.stdout.destroy();
    const [formulas, checked] = await Promise.all([json.closed, check.closed]);

    // Assert: without the EPIPE handler this is exit 1 with a stack trace on stderr
    expect(formulas).toMatchObject({ status: 0, stderr: "" });
    expect(checked).toMatchObject({ status: 1, stderr: "" });
  });

  it("when --workers 2 is given then the output is identical to --workers 1 with the same seed", async () => {
    // Arrange: the JSON carries every estimate the human renderers format
    const json = ["simulate", "models/rabbitmq-quorum-3.yaml", "--runs", "12", "--horizon", "300 years", "--seed", "11", "--json"];

    // Act
    const [json1, json2] = await Promise.all([mqrel([...json, "--workers", "1"]), mqrel([...json, "--workers", "2"])]);

    // Assert
    expect(json1.status, json1.stderr).toBe(0);
    expect(JSON.parse(json1.stdout).runs).toBe(12);
    expect(json2.stdout).toBe(json1.stdout);
  });

  it("when importance sampling runs on worker threads then --workers 2 gives the bits of --workers 1, and so do merged shards", async () => {
    // Arrange: the IS kernel in the worker bundle, beside plain runs for the messages
    const args = [
      "simulate",
      "test/fixtures/classic/default.yaml",
      "--assume",
      "formula",
      "--method",
      "is",
      "--cycles",
      "20000",
      "--runs",
      "6",
      "--horizon",
      "300 years",
      "--json",
    ];
    const directory = mkdtempSync(join(tmpdir(), "mqrel-e2e-shards-"));

    // Act
    const [one, two, shard1, shard2] = await Promise.all([
      mqrel([...args, "--workers", "1"]),
      mqrel([...args, "--workers", "2"]),
      mqrel([...args, "--shard", "1/2", "--out", `${directory}/`]),
      mqrel([...args, "--shard", "2/2", "--out", `${directory}/`]),
    ]);
    const merged = await mqrel(["merge", directory, "--json"]);

    // Assert
    expect(one.status, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).method).toBe("importance sampling");
    expect(two.stdout).toBe(one.stdout);
    expect(shard1.status, shard1.stderr).toBe(0);
    expect(shard2.status, shard2.stderr).toBe(0);
    expect(merged.stdout).toBe(one.stdout);
  });
});
