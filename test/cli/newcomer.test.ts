/**
 * What a newcomer tried from the README and stumbled on: the formats every command
 * should take, the file `report` writes, and errors that name the flag actually typed
 * and point at what was meant.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

const MODEL = "test/fixtures/classic/default.yaml";

describe("a newcomer's first commands", () => {
  it("when --format json or --json is given to sweep, solve or sensitivity then both give the same JSON, and both together with another format are refused", async () => {
    for (const argv of [
      ["sweep", MODEL, "--vary", "cluster.nodes=3,5"],
      ["solve", MODEL, "--for", "retry.attempts", "--metric", "retry.success", "--target", ">= 0.999"],
      ["sensitivity", MODEL],
    ]) {
      const byFormat = await runCli([...argv, "--format", "json"]);
      const byJson = await runCli([...argv, "--json"]);
      expect(byFormat.status, `${argv[0]}: ${byFormat.stderr}`).toBe(0);
      expect(JSON.parse(byFormat.stdout)).toEqual(JSON.parse(byJson.stdout));
      expect(expectOneLineError(await runCli([...argv, "--json", "--format", "table"]))).toMatch(/ask for two formats/);
    }
  });

  it("when report is given --output instead of --out then it writes the file, and without either it says to give --out", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "mqrel-newcomer-")), "r.html");
    const written = await runCli(["report", "test/fixtures/plan/two-modes.yaml", "--output", out]);
    expect(written.status, written.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^<!doctype html>/i);
    expect(expectOneLineError(await runCli(["report", MODEL]))).toMatch(/--out: give --out FILE/);
  });

  it("when a field typed after --vary or --for is wrong then the error names that flag and the field meant", async () => {
    expect(expectOneLineError(await runCli(["sweep", MODEL, "--vary", "cluster.nodez=3..5"]))).toMatch(
      /--vary cluster\.nodez: unknown field.*did you mean "nodes"/,
    );
    expect(expectOneLineError(await runCli(["sweep", MODEL, "--vary", "cluster.node=3..5"]))).toMatch(/--vary cluster\.node: /);
    expect(expectOneLineError(await runCli(["solve", "models/default.yaml", "--for", "cluster.node.mttr", "--target", ">= 99%"]))).toMatch(
      /--for cluster\.node\.mttr: the model has no numeric field cluster\.node\.mttr \(did you mean "cluster\.node\.failures\.hardware\.mttr"\?\)/,
    );
    expect(expectOneLineError(await runCli(["eval", MODEL, "--set", "cluster.nodez=3"]))).toMatch(/--set cluster\.nodez: unknown field/);
  });

  it("when check writes its verdict to a file then stderr still says what it was (a failing CI step is never silent)", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "mqrel-newcomer-")), "junit.xml");
    const r = await runCli(["check", "bench/models/", "--format", "junit", "--output", out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      new RegExp(`^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: thresholds: 0 met, 0 violated; \\d+ models with no thresholds\n$`),
    );
  });

  it("when a time is written in metres (1 m) then the error says m is metres", async () => {
    expect(expectOneLineError(await runCli(["eval", MODEL, "--set", "cluster.common_cause.mttr=1 m"]))).toMatch(
      /expected a duration \(e\.g\. 4 h, 30 min\), got a length \(m is metres: write min for minutes\)/,
    );
  });

  it("when a model path is mistyped then the error names the file that exists", async () => {
    expect(expectOneLineError(await runCli(["eval", "models/defualt.yaml"]))).toMatch(
      /no such file \(did you mean "models\/default\.yaml"\?\)/,
    );
    expect(expectOneLineError(await runCli(["eval", "models/default.yml"]))).toMatch(/did you mean "models\/default\.yaml"/);
    expect(expectOneLineError(await runCli(["eval", "model/default.yaml"]))).toMatch(/did you mean "models\/default\.yaml"/);
    expect(expectOneLineError(await runCli(["eval", "models/zzzzzzzzzz.yaml"]))).toMatch(/no such file$/);
  });
});
