/**
 * The sharding examples are tests: the exact mqrel command lines of examples/k8s (an
 * Indexed Job and its merge Job) and examples/github-actions (a matrix workflow and its
 * merge job) are read from the files, run here in-process for every index with a small
 * run count (RUNS, the knob each example documents), and their merge must print exactly
 * what one unsharded `mqrel simulate` prints.
 *
 * Paths: the container's /models/model.yaml is the file the README's ConfigMap command
 * names; /results/ and the workflow's workspace files become a temporary directory.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { runCli } from "../helpers/runCli.js";

/** Small enough for a test, and what each example documents as its knob. */
const SMALL_RUNS = "8";

interface Container {
  args: string[];
  env?: { name: string; value: string }[];
}

interface JobDoc {
  kind: string;
  metadata: { name: string };
  spec: { completionMode?: string; completions?: number; template: { spec: { containers: Container[] } } };
}

function jobs(file: string): JobDoc[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((doc) => doc.toJS() as JobDoc)
    .filter((doc) => doc.kind === "Job");
}

/** Kubernetes' $(VAR) expansion in args, from the container's env. */
function expandK8s(args: readonly string[], env: Record<string, string>): string[] {
  return args.map((arg) => arg.replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole));
}

/** A shell line split into words: double and single quotes, no escapes (all the examples use). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | undefined;
  let started = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) words.push(word);
      word = "";
      started = false;
    } else {
      word += ch;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** The mqrel invocations of a workflow step's `run:` script: words after `npx mqrel`, up to a redirection. */
function mqrelCommands(script: string): string[][] {
  return script
    .split(/\n|;|&&|\{|\}/)
    .map((part) => shellWords(part.trim()))
    .filter((words) => words[0] === "npx" && words[1] === "mqrel")
    .map((words) => {
      const end = words.findIndex((w) => w.startsWith(">"));
      return words.slice(2, end < 0 ? undefined : end);
    });
}

describe("examples/k8s: the Indexed Job and its merge Job", () => {
  it("when every index of the Indexed Job runs its command line and the merge Job merges them then the output is exactly the unsharded simulation's", async () => {
    // Arrange: the manifests' own command lines
    const [shardJob] = jobs("examples/k8s/shards.yaml");
    const [mergeJob] = jobs("examples/k8s/merge.yaml");
    expect(shardJob?.spec.completionMode).toBe("Indexed");
    const completions = shardJob?.spec.completions as number;
    const container = shardJob?.spec.template.spec.containers[0] as Container;
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    expect(env.SHARDS, "SHARDS must equal completions").toBe(String(completions));
    // the model the README's ConfigMap holds
    const readme = readFileSync("examples/k8s/README.md", "utf8");
    const model = /--from-file=model\.yaml=(\S+)/.exec(readme)?.[1] as string;
    expect(model).toBe("models/rabbitmq-quorum-3.yaml");
    const results = `${mkdtempSync(join(tmpdir(), "mqrel-k8s-"))}/`;
    const local = (args: string[]) => args.map((a) => (a === "/models/model.yaml" ? model : a.replace(/^\/results\//, results)));
    const small = { ...env, RUNS: SMALL_RUNS };

    // Act: one pod per completion index, JOB_COMPLETION_INDEX set as Kubernetes sets it
    for (let index = 0; index < completions; index++) {
      const r = await runCli(local(expandK8s(container.args, small)), { env: { JOB_COMPLETION_INDEX: String(index) } });
      expect(r.status, `index ${index}: ${r.stderr}`).toBe(0);
    }
    const merge = await runCli(local(mergeJob?.spec.template.spec.containers[0]?.args as string[]));
    const whole = await runCli(["simulate", model, "--runs", SMALL_RUNS, "--seed", env.SEED as string, "--json"]);

    // Assert
    expect(readdirSync(results).sort()).toEqual(
      Array.from({ length: completions }, (_, i) => `part-${i + 1}-of-${completions}.json`).sort(),
    );
    expect(merge.status, merge.stderr).toBe(0);
    expect(whole.status, whole.stderr).toBe(0);
    expect(merge.stdout).toBe(whole.stdout);
  });
});

describe("examples/github-actions: the matrix workflow and its merge job", () => {
  it("when every matrix job runs its mqrel line and the merge job merges the artifacts then result.json is exactly the unsharded simulation's", async () => {
    // Arrange
    const workflow = parse(readFileSync("examples/github-actions/mqrel-sharded.yml", "utf8")) as {
      env: Record<string, string>;
      jobs: Record<string, { strategy?: { matrix: { shard: number[] } }; steps: { run?: string }[] }>;
    };
    const env: Record<string, string> = { ...workflow.env, RUNS: SMALL_RUNS };
    const matrix = workflow.jobs.shard?.strategy?.matrix.shard as number[];
    expect(matrix).toEqual(Array.from({ length: Number(env.SHARDS) }, (_, i) => i + 1));
    const workspace = mkdtempSync(join(tmpdir(), "mqrel-gha-"));
    const substitute = (word: string, shard?: number) =>
      word.replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, String(shard)).replace(/\$([A-Z_]+)/g, (_, name: string) => env[name] ?? "");
    // files the workflow writes (shard files, the result) live in the job's workspace, here a temporary directory
    const inWorkspace = (word: string, dir: string) => (/\.json$/.test(word) && !word.startsWith("-") ? join(dir, word) : word);
    const expandGlob = (word: string): string[] => {
      if (!word.includes("*")) return [word];
      const slash = word.lastIndexOf("/");
      const matches = picomatch(word.slice(slash + 1));
      return readdirSync(word.slice(0, slash))
        .filter((name) => matches(name))
        .sort()
        .map((name) => join(word.slice(0, slash), name));
    };

    // Act: each matrix job in its own workspace, its artifact then downloaded to parts/
    const parts = join(workspace, "parts");
    mkdirSync(parts);
    for (const shard of matrix) {
      const jobDir = join(workspace, `shard-${shard}`);
      mkdirSync(jobDir);
      // GitHub expands ${{ … }} before the shell sees the script
      const commands = (workflow.jobs.shard?.steps ?? []).flatMap((step) => mqrelCommands(substitute(step.run ?? "", shard)));
      expect(commands.length).toBe(1);
      const args = (commands[0] as string[]).map((w) => inWorkspace(w, jobDir));
      const r = await runCli(args);
      expect(r.status, `shard ${shard}: ${r.stderr}`).toBe(0);
      copyFileSync(join(jobDir, `part-${shard}.json`), join(parts, `part-${shard}.json`));
    }
    const mergeCommands = (workflow.jobs.merge?.steps ?? []).flatMap((step) => mqrelCommands(substitute(step.run ?? "")));
    const outputs: string[] = [];
    for (const command of mergeCommands) {
      const args = command.map((w) => inWorkspace(w, workspace)).flatMap(expandGlob);
      const r = await runCli(args);
      expect(r.status, r.stderr).toBe(0);
      outputs.push(r.stdout);
    }
    const whole = await runCli(["simulate", env.MODEL as string, "--runs", SMALL_RUNS, "--seed", env.SEED as string, "--json"]);
    const wholeTable = await runCli(["simulate", env.MODEL as string, "--runs", SMALL_RUNS, "--seed", env.SEED as string]);

    // Assert: the merge job's result.json, and its step summary, are the unsharded simulation's
    expect(mergeCommands.length).toBe(2);
    expect(readFileSync(join(workspace, "result.json"), "utf8")).toBe(whole.stdout);
    expect(outputs[1]).toBe(wholeTable.stdout);
  });
});
