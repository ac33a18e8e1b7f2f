/**
 * The bad-input suite (issue #3): every malformed model under test/fixtures/bad/ must
 * exit 2 with one line on stderr that names the file, the field and what was expected,
 * nothing on stdout and never a stack trace. Expected messages and lines are in
 * manifest.json. The 10 MB file is written at test time (not committed). In-process:
 * the real process's exit codes are covered by test/e2e/bin.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

const manifest = JSON.parse(readFileSync(new URL("../fixtures/bad/manifest.json", import.meta.url), "utf8")) as Record<
  string,
  { expect: string; line?: number }
>;

describe("bad model files", () => {
  it("when a file is in test/fixtures/bad then the manifest has an expectation for it, and the other way round", () => {
    // Arrange
    const files = readdirSync("test/fixtures/bad")
      .filter((f) => f !== "manifest.json")
      .sort();

    // Act
    const named = Object.keys(manifest).sort();

    // Assert: a fixture without an entry would never be run
    expect(named).toEqual(files);
  });

  it.each(Object.entries(manifest))(
    "when the model is %s then eval exits 2 with one clear line",
    async (name, { expect: message, line }) => {
      // Arrange
      const file = `test/fixtures/bad/${name}`;

      // Act
      const text = expectOneLineError(await runCli(["eval", file]));

      // Assert
      expect(text).toMatch(new RegExp(message));
      expect(text.startsWith(`error: ${file}`)).toBe(true);
      if (line !== undefined) expect(text).toMatch(new RegExp(`^error: ${file.replaceAll(".", "\\.")}:${line}:\\d+: `));
    },
  );

  it("when the file is 10 MB then it is refused before parsing", async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), "mqrel-"));
    const file = join(dir, "huge.yaml");
    writeFileSync(file, `mqrel: 1\n# ${"x".repeat(10 * 1024 * 1024)}\n`);

    // Act
    const result = await runCli(["eval", file]);

    // Assert
    expect(expectOneLineError(result)).toMatch(/file is 10\.0 MiB; a model file may be at most 128 KiB/);
  });

  it("when the file is missing or the directory has no models then it says so in one line", async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), "mqrel-"));

    // Act
    const missing = await runCli(["eval", "test/fixtures/no-such-model.yaml"]);
    const empty = await runCli(["eval", dir]);

    // Assert
    expect(expectOneLineError(missing)).toMatch(/no-such-model\.yaml: no such file/);
    expect(expectOneLineError(empty)).toMatch(/no mqrel model files/);
  });

  it.each([
    ["cluster.nodes=0", /--set cluster\.nodes: expected a whole number ≥ 1/],
    ["cluster.nodez=5", /did you mean "nodes"/],
    ["nonsense", /--set: expected name=value/],
  ])("when --set %s is given then it is refused the same way", async (assignment, message) => {
    // Act
    const result = await runCli(["eval", "test/fixtures/classic/default.yaml", "--set", assignment]);

    // Assert
    expect(expectOneLineError(result)).toMatch(message);
  });

  it("when the default model has 8 nodes then eval refuses its restart slots (276 868 states counted before anything is solved) in one line", async () => {
    // Act
    const result = await runCli(["eval", "models/default.yaml", "--set", "cluster.nodes=8", "--json"]);

    // Assert: exit 2, the slot's limit named (test/formulas/maintenanceWindow.test.ts checks the count)
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(expectOneLineError(result)).toMatch(
      /^error: models\/default\.yaml: cluster: a restart slot's chain has more than 200000 states, beyond what mqrel solves exactly$/,
    );
  });

  it("when a quorum of 1 over 6 nodes fills its chain in then eval refuses it in one line (it had run for minutes in gigabytes)", async () => {
    // Act: kafka-acks1 (quorum 1) at 6 nodes: 7 809 states with the leader, almost all reaching all
    const result = await runCli(["eval", "models/kafka-acks1.yaml", "--set", "cluster.nodes=6", "--json"]);

    // Assert
    expect(expectOneLineError(result)).toMatch(
      /^error: models\/kafka-acks1\.yaml: cluster: the chain's elimination fills in past 1000000 entries with \d+ of its 7809 states left \(more than 3000 to solve densely\), beyond what mqrel solves exactly$/,
    );
  });
});
