/**
 * The GitHub Action (action.yml, scripts/action.mjs; docs/ci.md) run locally as the runner
 * would run it: GITHUB_STEP_SUMMARY and GITHUB_OUTPUT point to temporary files, and the
 * built bin/mqrel.js does the checking. A passing and a failing model, and compare-base on a
 * throw-away git repository whose origin/main holds the base branch's models.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { BIN, ROOT } from "../helpers/cli.js";

const SCRIPT = join(ROOT, "scripts", "action.mjs");
/** A GitHub Actions expression as action.yml spells it: `${{ … }}`. */
const expression = (inner: string) => `$\{{ ${inner} }}`;

function runAction(env: Record<string, string>, cwd = ROOT) {
  const dir = mkdtempSync(join(tmpdir(), "mqrel-action-"));
  const summaryFile = join(dir, "summary.md");
  const outputFile = join(dir, "output.txt");
  writeFileSync(summaryFile, "");
  writeFileSync(outputFile, "");
  const { GITHUB_BASE_REF: _b, GITHUB_STEP_SUMMARY: _s, GITHUB_OUTPUT: _o, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [SCRIPT], {
    cwd,
    encoding: "utf8",
    env: { ...inherited, MQREL_BIN: BIN, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_OUTPUT: outputFile, ...env },
  });
  return { ...result, summary: readFileSync(summaryFile, "utf8"), output: readFileSync(outputFile, "utf8") };
}

/** A model's thresholds, read from its slo: block. */
const thresholds = (file: string) => Object.keys(parse(readFileSync(file, "utf8")).slo);

describe("the GitHub Action's script", () => {
  it("when every threshold of the model is met then it exits 0, the summary has the passing verdict with a row per threshold, and pass=true", () => {
    const model = "models/default.yaml";
    const ran = runAction({ MQREL_MODELS: model });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.summary).toMatch(/^### mqrel check: ✅ pass/);
    const rows = ran.summary.split("\n").filter((line) => line.startsWith("| ✅ pass"));
    expect(rows.map((row) => /`([^`]+)`/.exec(row)?.[1])).toEqual(thresholds(model));
    expect(ran.output).toBe("pass=true\nexit-code=0\n");
  });

  it("when a threshold is violated then it exits 1 with a ::error annotation on that model, the summary says what failed, and pass=false", () => {
    const dir = mkdtempSync(join(tmpdir(), "mqrel-action-model-"));
    const model = join(dir, "strict.yaml");
    writeFileSync(
      model,
      readFileSync(join(ROOT, "models/default.yaml"), "utf8").replace(/cluster\.availability: ".*"/, 'cluster.availability: ">= 12 nines"'),
    );
    const ran = runAction({ MQREL_MODELS: model });
    expect(ran.status, ran.stderr).toBe(1);
    expect(ran.stdout).toMatch(new RegExp(`^::error file=${model.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")},.*cluster\\.availability`, "m"));
    expect(ran.summary).toMatch(/^### mqrel check: ❌/);
    expect(ran.summary).toMatch(/cluster\.availability.*12 nines/);
    expect(ran.output).toBe("pass=false\nexit-code=1\n");
  });

  it("when compare-base is on for a pull request then the base branch's models are evaluated beside the change's and the metrics that moved are listed", () => {
    const repo = mkdtempSync(join(tmpdir(), "mqrel-action-repo-"));
    const git = (...args: string[]) => {
      const done = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
      expect(done.status, done.stderr).toBe(0);
    };
    git("init", "-q", "-b", "main");
    git("config", "user.email", "test@example.com");
    git("config", "user.name", "test");
    mkdirSync(join(repo, "models"));
    for (const name of ["default.yaml", "single-node.yaml"]) copyFileSync(join(ROOT, "models", name), join(repo, "models", name));
    git("add", ".");
    git("commit", "-qm", "base");
    git("update-ref", "refs/remotes/origin/main", "HEAD");
    git("checkout", "-qb", "change");
    const changed = join(repo, "models", "default.yaml");
    // a change a pull request might make: a slower election (23 s, a value no preset uses; the default model still meets its SLOs with it)
    const edited = parseDocument(readFileSync(changed, "utf8"));
    edited.setIn(["cluster", "failover", "time"], "23 s");
    writeFileSync(changed, edited.toString());
    copyFileSync(join(ROOT, "models", "single-node.yaml"), join(repo, "models", "new.yaml"));
    writeFileSync(join(repo, "models", "deployment.yaml"), "apiVersion: apps/v1\nkind: Deployment\n"); // not a model: neither checked nor compared
    git("add", ".");
    git("commit", "-qm", "change");
    const ran = runAction({ MQREL_MODELS: "models/", MQREL_COMPARE_BASE: "true", GITHUB_BASE_REF: "main" }, repo);
    expect(ran.status, ran.stderr).toBe(0);
    // the independent reading: eval of the base file and of the changed one, side by side
    const evalJson = (file: string) => {
      const done = spawnSync(process.execPath, [BIN, "eval", file, "--json"], { cwd: repo, encoding: "utf8" });
      return JSON.parse(done.stdout).models[0].metrics["queue.availability"].complement as number;
    };
    const before = evalJson(join(ROOT, "models", "default.yaml"));
    const after = evalJson(changed);
    expect(after).not.toBe(before);
    const row = `| \`queue.availability\` | 1 − ${before.toExponential(3)} | 1 − ${after.toExponential(3)} |`;
    for (const text of [ran.stdout, ran.summary]) {
      expect(text).toContain("### mqrel: models against `main`");
      expect(text).toContain(row);
      expect(text).toContain("- `models/new.yaml`: new (not on main)");
      expect(text).toContain("- `models/single-node.yaml`: no metric moved");
      expect(text).not.toContain("deployment.yaml");
    }
  });
});

describe("action.yml and the example workflow", () => {
  it("when the action is read then it is composite, installs mqrel in its own checkout, runs the script, and the example workflow gives only inputs it declares", () => {
    const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8"));
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs)).toEqual(["models", "simulate", "compare-base"]);
    const steps = action.runs.steps as { run?: string; "working-directory"?: string; env?: Record<string, string> }[];
    expect(
      steps.some((step) => step.run === "npm ci --no-audit --no-fund" && step["working-directory"] === expression("github.action_path")),
    ).toBe(true);
    const check = steps.find((step) => step.run?.includes("scripts/action.mjs"));
    expect(Object.values(check?.env ?? {}).sort()).toEqual([
      expression("inputs.compare-base"),
      expression("inputs.models"),
      expression("inputs.simulate"),
    ]);
    const workflow = parse(readFileSync(join(ROOT, "examples/github-actions/mqrel-check.yml"), "utf8"));
    const uses = (workflow.jobs.slo.steps as { uses?: string; with?: Record<string, string> }[]).find((step) =>
      step.uses?.includes("/mqrel@"),
    );
    expect(Object.keys(uses?.with ?? {}).every((input) => input in action.inputs)).toBe(true);
  });
});
