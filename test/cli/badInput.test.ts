/**
 * The bad-input suite (issue #3): every malformed model under test/fixtures/bad/ must
 * exit 2 with one line on stderr that names the file, the field and what was expected,
 * and never a stack trace. Expected messages and lines are in manifest.json. The 10 MB
 * file is written at test time (not committed).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError, mqrel } from "../helpers/cli.js";

const manifest = JSON.parse(readFileSync(new URL("../fixtures/bad/manifest.json", import.meta.url), "utf8")) as Record<
  string,
  { expect: string; line?: number }
>;

describe("bad model files", () => {
  it("has at least 50 fixtures", () => {
    expect(Object.keys(manifest).length).toBeGreaterThanOrEqual(50);
  });

  it.each(Object.entries(manifest))("%s exits 2 with one clear line", (name, { expect: message, line }) => {
    const file = `test/fixtures/bad/${name}`;
    const text = expectOneLineError(mqrel(["eval", file]));
    expect(text).toMatch(new RegExp(message));
    expect(text.startsWith(`error: ${file}`)).toBe(true);
    if (line !== undefined) expect(text).toMatch(new RegExp(`^error: ${file.replaceAll(".", "\\.")}:${line}:\\d+: `));
  });

  it("refuses a 10 MB file before parsing it", () => {
    const dir = mkdtempSync(join(tmpdir(), "mqrel-"));
    const file = join(dir, "huge.yaml");
    writeFileSync(file, `mqrel: 1\n# ${"x".repeat(10 * 1024 * 1024)}\n`);
    expect(expectOneLineError(mqrel(["eval", file]))).toMatch(/file is 10\.0 MiB; a model file may be at most 128 KiB/);
  });

  it("refuses a missing file and a directory with no models", () => {
    expect(expectOneLineError(mqrel(["eval", "test/fixtures/no-such-model.yaml"]))).toMatch(/no-such-model\.yaml: no such file/);
    const dir = mkdtempSync(join(tmpdir(), "mqrel-"));
    expect(expectOneLineError(mqrel(["eval", dir]))).toMatch(/no mqrel model files/);
  });

  it("refuses a bad --set the same way", () => {
    expect(expectOneLineError(mqrel(["eval", "models/default.yaml", "--set", "cluster.nodes=0"]))).toMatch(
      /--set cluster\.nodes: expected a whole number ≥ 1/,
    );
    expect(expectOneLineError(mqrel(["eval", "models/default.yaml", "--set", "cluster.nodez=5"]))).toMatch(/did you mean "nodes"/);
    expect(expectOneLineError(mqrel(["eval", "models/default.yaml", "--set", "nonsense"]))).toMatch(/--set: expected name=value/);
  });
});
