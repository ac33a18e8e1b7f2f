/**
 * The examples in `mqrel <command> --help` are what a new user types first: every model
 * they name must load, and every field they set, vary, solve for or search over must be
 * a field of that model (a preset that changed shape once left `--for cluster.node.mttr`
 * in the help of a model that has failure modes instead). Each example's model and
 * fields are checked through `eval --set` (fast); the examples themselves are not run
 * (some simulate for minutes).
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/runCli.js";

const COMMANDS = [
  "eval",
  "check",
  "simulate",
  "validate",
  "merge",
  "sweep",
  "solve",
  "sensitivity",
  "report",
  "formula",
  "export",
  "init",
  "schema",
];

/** Split a shell line into words (double and single quotes, backslash-newline already joined). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? (m[3] as string));
  return out;
}

async function examples(): Promise<string[][]> {
  const found: string[][] = [];
  for (const command of [...COMMANDS, undefined]) {
    const help = await runCli(command === undefined ? ["--help"] : [command, "--help"]);
    expect(help.status, `${command} --help`).toBe(0);
    const text = help.stdout.replace(/\\\n\s*/g, " ");
    for (const line of text.split("\n")) {
      const at = line.indexOf("$ mqrel ");
      if (at >= 0) found.push(words(line.slice(at + "$ mqrel ".length).replace(/\s+#.*$|\s+\(then:.*$/, "")));
    }
  }
  return found;
}

/** The value an example gives a field, or a plausible one to try the field with. */
function firstValue(spec: string): string {
  return (spec.split("..")[0] as string).split(",")[0] as string;
}

describe("the examples in --help", () => {
  it("when an example names a model and fields then the model loads and every field takes a value", async () => {
    const all = await examples();
    expect(all.length).toBeGreaterThan(30);
    let checked = 0;
    const seen = new Set<string>();
    for (const argv of all) {
      const model = argv.find((w) => /^(models|bench\/models)\/.*\.yaml$|^models\/$/.test(w));
      if (model === undefined) continue;
      const sets: string[] = [];
      const ranges = new Map<string, string>();
      for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--range") {
          const [path, spec] = (argv[i + 1] as string).split("=") as [string, string];
          ranges.set(path, firstValue(spec));
        }
      }
      for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const arg = argv[i + 1] as string;
        if (flag === "--set") sets.push("--set", arg);
        if (flag === "--vary") {
          const [path, spec] = arg.split("=") as [string, string];
          sets.push("--set", `${path}=${firstValue(spec)}`);
        }
        if (flag === "--for") sets.push("--set", `${arg}=${ranges.get(arg) ?? "3"}`);
      }
      // a whole folder with nothing set: every preset there is evaluated by the golden test
      if (model.endsWith("/") && sets.length === 0) continue;
      const key = JSON.stringify([model, ...sets]);
      if (seen.has(key)) continue; // `check models/` and friends: the same models, once
      seen.add(key);
      const r = await runCli(["eval", model, ...sets, "--json"]);
      expect([0, 1], `mqrel ${argv.join(" ")}: ${r.stderr}`).toContain(r.status);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });
});
