/**
 * Faults that cannot be staged for real here (the tests run as root, which reads any
 * file): an unreadable file or folder (EACCES), and a bug inside one model's evaluation.
 * node:fs and the metric evaluator are wrapped so that named paths fail as they would.
 */
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { expectInputError, run, tempDir } from "../helpers/inProcessCli.js";

const denied = new Set<string>();
const eacces = (path: unknown) => Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), { code: "EACCES" });

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      if (denied.has(String(args[0]))) throw eacces(args[0]);
      return fn(...args);
    };
  return { ...fs, openSync: guard(fs.openSync), readdirSync: guard(fs.readdirSync) };
});

vi.mock("../../src/model/evaluate.js", async (importOriginal) => {
  const metrics = await importOriginal<typeof import("../../src/model/evaluate.js")>();
  return {
    ...metrics,
    evaluateMetrics: (model: { name: string }) => {
      if (model.name === "boom") throw new TypeError("x.y is undefined");
      return metrics.evaluateMetrics(model as never);
    },
  };
});

describe("file permissions", () => {
  it("when a model file cannot be read (EACCES) then it is one error line naming the file, exit 2", async () => {
    const dir = tempDir();
    const file = join(dir, "secret.yaml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, "mqrel: 1\n");
    denied.add(file);
    expect(expectInputError(await run(["eval", file]))).toMatch(/secret\.yaml: permission denied: cannot read the file/);
  });

  it("when a folder cannot be listed (EACCES) then it is one error line naming the folder, exit 2", async () => {
    const dir = tempDir();
    denied.add(dir);
    expect(expectInputError(await run(["check", dir]))).toMatch(/permission denied: cannot read the directory/);
  });
});

describe("a bug in one model", () => {
  it("when one model's evaluation throws then the others are reported, it is marked an internal error, and the output is written (exit 3)", async () => {
    const dir = tempDir();
    const { writeFileSync, readFileSync } = await import("node:fs");
    const boom = join(dir, "boom.yaml");
    writeFileSync(
      boom,
      'mqrel: 1\nname: boom\ncluster: { nodes: 1, node: { mtbf: 10 h, mttr: 1 h } }\nslo: { cluster.availability: ">= 50%" }\n',
    );
    const out = join(dir, "report.json");
    const r = await run(["check", "test/fixtures/classic/single-node.yaml", boom, "--json", "--output", out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /internal error: .*boom\.yaml: internal error: x\.y is undefined \(this is a bug in mqrel; the other models were still checked\)/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(readFileSync(out, "utf8"));
    expect(report.models.map((m: { name: string }) => m.name)).toEqual(["single-node"]);
    expect(report.errors[0]).toMatchObject({ file: boom, kind: "internal" });
    expect(report.exit_code).toBe(3);
  });
});
