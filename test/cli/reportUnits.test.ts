/**
 * report reads its model as the planning commands do: a plain number for a time is read
 * as hours with a warning, and --strict-units makes it an error (one line, exit 2, no
 * page written).
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/runCli.js";

describe("report and units", () => {
  const dir = mkdtempSync(join(tmpdir(), "mqrel-report-units-"));
  const model = join(dir, "plain.yaml");
  writeFileSync(model, "mqrel: 1\ncluster:\n  nodes: 3\n  node: { mtbf: 2 years, mttr: 4 }\n");

  it("when the model has a plain number for a time then report warns and writes the page", async () => {
    const out = join(dir, "warned.html");
    const result = await runCli(["report", model, "--out", out]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/cluster\.node\.mttr: plain number read as 4 h/);
    expect(existsSync(out)).toBe(true);
  });

  it("when --strict-units is given then the plain number is one error line, exit 2, and no page", async () => {
    const out = join(dir, "strict.html");
    const result = await runCli(["report", model, "--out", out, "--strict-units"]);
    expect(result.status).toBe(2);
    expect(
      result.stderr
        .trim()
        .split("\n")
        .filter((line) => line.startsWith("error:")),
    ).toHaveLength(1);
    expect(result.stderr).toMatch(/cluster\.node\.mttr: a plain number for a duration needs a unit with --strict-units/);
    expect(existsSync(out)).toBe(false);
  });
});
