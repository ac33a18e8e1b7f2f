// The GitHub Action's logic (action.yml at the repository root runs it; docs/ci.md):
//
//   1. `mqrel check <models> --format github` — annotations on the thresholds' lines, and
//      the verdict's exit code (0 pass, 1 an SLO violated or inconclusive, 2 bad input);
//   2. `mqrel check <models> --format markdown` appended to $GITHUB_STEP_SUMMARY;
//   3. with compare-base on a pull request: each model as it is on the base branch
//      (`git show origin/$GITHUB_BASE_REF:<path>` to a temporary file) evaluated beside the
//      pull request's, and the metrics that moved printed and added to the summary.
//
// Inputs come as environment variables (never interpolated into a shell line):
//   MQREL_MODELS        model files or directories, separated by spaces or new lines
//   MQREL_SIMULATE      "true": check --simulate (judged on the simulation's interval)
//   MQREL_COMPARE_BASE  "true": compare with the base branch on a pull request
//   MQREL_BIN           the mqrel launcher (default: bin/mqrel.js beside this script)
// and GitHub's own: GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_BASE_REF. Outputs: `pass`
// (true/false) and `exit-code`. The step's exit code is check's.
//
// With simulate the check runs twice (annotations, then the summary): the simulation is
// seeded, so both runs judge alike.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const env = process.env;
const BIN = env.MQREL_BIN || join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "mqrel.js");
const models = (env.MQREL_MODELS ?? "").split(/\s+/).filter((word) => word !== "");
const simulate = env.MQREL_SIMULATE === "true";
const compareBase = env.MQREL_COMPARE_BASE === "true";

function mqrel(args) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...env, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 3, stdout: result.stdout, stderr: result.stderr };
}

function summary(text) {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, text);
}

function output(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

function git(args) {
  return spawnSync("git", args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
}

/** The model files under the inputs that git tracks (directories searched), as paths from the repository's root. */
function trackedModels() {
  const top = git(["rev-parse", "--show-toplevel"]).stdout.trim();
  const files = [];
  for (const path of models) {
    const listed = existsSync(path) && statSync(path).isDirectory() ? git(["ls-files", "--", path]).stdout.split("\n") : [path];
    for (const file of listed) {
      if (!/\.(ya?ml|json)$/.test(file)) continue;
      // in a directory, only models (a top-level mqrel: key), as check finds them
      if (listed.length > 1 || file !== path) {
        let text = "";
        try {
          text = readFileSync(file, "utf8");
        } catch {
          continue;
        }
        if (!/^["']?mqrel["']?\s*:/m.test(text)) continue;
      }
      files.push(file);
    }
  }
  return files.map((file) => ({ file, fromRoot: relative(top, join(process.cwd(), file)) }));
}

/** A number in `digits` significant digits, in exponent form when small or large. */
function number(x, digits) {
  if (x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6)) return Number(x.toPrecision(digits)).toString();
  return x.toExponential(digits - 1);
}

/** "1 − 5.764e-5" for a value near 1 with its complement, else the value, with its unit (hours, per year). */
function shown(metric, digits = 4) {
  if (metric === undefined || metric.value === null || metric.value === undefined) return "—";
  const unit = metric.unit === "hours" ? " h" : metric.unit === "per year" ? " / year" : "";
  if (typeof metric.complement === "number" && metric.value > 0.5 && metric.complement > 0)
    return `1 − ${number(metric.complement, digits)}`;
  return `${number(metric.value, digits)}${unit}`;
}

/** Both values, with enough digits to tell them apart. */
function pair(a, b) {
  for (const digits of [4, 8, 15]) if (shown(a, digits) !== shown(b, digits) || digits === 15) return [shown(a, digits), shown(b, digits)];
}

function moved(a, b) {
  if (a === undefined || b === undefined) return true;
  const pick = (m) => (typeof m.complement === "number" && m.value > 0.5 ? m.complement : m.value);
  const x = pick(a);
  const y = pick(b);
  if (x === y) return false;
  if (x === null || y === null) return true;
  return Math.abs(x - y) > 1e-12 * Math.max(Math.abs(x), Math.abs(y));
}

/** The base branch's models beside the pull request's: the metrics that moved, as Markdown. */
function compare(base) {
  const ref = `origin/${base}`;
  if (git(["rev-parse", "--verify", "--quiet", ref]).status !== 0) git(["fetch", "--no-tags", "--depth=1", "origin", base]);
  const dir = mkdtempSync(join(tmpdir(), "mqrel-base-"));
  const lines = [`### mqrel: models against \`${base}\``, ""];
  for (const { file, fromRoot } of trackedModels()) {
    const shownFile = git(["show", `${ref}:${fromRoot}`]);
    if (shownFile.status !== 0) {
      lines.push(`- \`${file}\`: new (not on ${base})`);
      continue;
    }
    const baseFile = join(dir, fromRoot.replace(/[\\/]/g, "__"));
    writeFileSync(baseFile, shownFile.stdout);
    const before = mqrel(["eval", baseFile, "--json"]);
    const after = mqrel(["eval", file, "--json"]);
    if (after.status !== 0) {
      lines.push(`- \`${file}\`: does not evaluate: ${after.stderr.trim().split("\n")[0]}`);
      continue;
    }
    if (before.status !== 0) {
      lines.push(`- \`${file}\`: the ${base} version does not evaluate with this mqrel: ${before.stderr.trim().split("\n")[0]}`);
      continue;
    }
    const a = JSON.parse(before.stdout).models[0].metrics;
    const b = JSON.parse(after.stdout).models[0].metrics;
    const ids = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    const changed = ids.filter((id) => moved(a[id], b[id]));
    if (changed.length === 0) {
      lines.push(`- \`${file}\`: no metric moved`);
      continue;
    }
    lines.push(
      `- \`${file}\`: ${changed.length} metric${changed.length === 1 ? "" : "s"} moved`,
      "",
      `  | metric | ${base} | this change |`,
      "  |---|---|---|",
    );
    for (const id of changed) lines.push(`  | \`${id}\` | ${pair(a[id], b[id]).join(" | ")} |`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

if (models.length === 0) {
  console.error("error: the action's models input is empty: name model files or directories");
  output("pass", "false");
  output("exit-code", "2");
  process.exit(2);
}
const simulateArgs = simulate ? ["--simulate"] : [];
const annotated = mqrel(["check", ...models, "--format", "github", ...simulateArgs]);
process.stdout.write(annotated.stdout);
process.stderr.write(annotated.stderr);
const markdown = mqrel(["check", ...models, "--format", "markdown", ...simulateArgs]);
summary(markdown.stdout === "" ? `### mqrel check: error\n\n\`\`\`\n${markdown.stderr}\`\`\`\n` : markdown.stdout);
if (compareBase) {
  if (env.GITHUB_BASE_REF) {
    const text = compare(env.GITHUB_BASE_REF);
    process.stdout.write(text);
    summary(`\n${text}`);
  } else console.log("compare-base: not a pull request (no GITHUB_BASE_REF); nothing to compare");
}
output("pass", annotated.status === 0 ? "true" : "false");
output("exit-code", String(annotated.status));
process.exitCode = annotated.status;
