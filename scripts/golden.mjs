// Regenerates the golden outputs under test/golden/ through the built CLI, as users run it:
// for every preset models/<preset>.yaml and every command of test/golden/commands.json,
//   <preset>.<command>.json      the JSON it prints (exit 0), normalised by parse + stringify;
//   <preset>.<command>.err.txt   "exit N" and its one-line error, when the command refuses the model.
// Run from anywhere: paths in the output are repo-relative (models/x.yaml). `npm run golden`.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const goldenDir = join(root, "test/golden");
const commands = JSON.parse(readFileSync(join(goldenDir, "commands.json"), "utf8"));
const { FORCE_COLOR: _f, GITHUB_ACTIONS: _g, GITHUB_STEP_SUMMARY: _s, ...env } = process.env;

execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });

for (const file of readdirSync(goldenDir)) {
  if (file.endsWith(".err.txt") || (file.endsWith(".json") && file !== "commands.json")) rmSync(join(goldenDir, file));
}
const presets = readdirSync(join(root, "models"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.slice(0, -".yaml".length))
  .sort();
for (const preset of presets) {
  for (const [name, template] of Object.entries(commands)) {
    const args = template.map((arg) => arg.replaceAll("{preset}", preset));
    const result = spawnSync(process.execPath, ["bin/mqrel.js", ...args], { cwd: root, encoding: "utf8", env: { ...env, NO_COLOR: "1" } });
    const base = join(goldenDir, `${preset}.${name}`);
    if (result.status === 0) {
      writeFileSync(`${base}.json`, `${JSON.stringify(JSON.parse(result.stdout), null, 2)}\n`);
      console.log(`test/golden/${preset}.${name}.json`);
    } else if (result.stdout === "" && result.stderr.trimEnd().split("\n").length === 1) {
      writeFileSync(`${base}.err.txt`, `exit ${result.status}\n${result.stderr}`);
      console.log(`test/golden/${preset}.${name}.err.txt (exit ${result.status})`);
    } else {
      console.error(`mqrel ${args.join(" ")}: exit ${result.status} without a one-line error:\n${result.stderr}${result.stdout}`);
      process.exitCode = 1;
    }
  }
}
