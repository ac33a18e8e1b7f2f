/**
 * Golden outputs (STYLE: examples are golden tests): for every preset models/<preset>.yaml
 * and every command of commands.json, the committed test/golden/<preset>.<command>.json
 * (or .err.txt, "exit N" and the one-line error, when the command refuses the model) is
 * what mqrel prints today. The files are written by `npm run golden` through the built
 * bin/mqrel.js (worker threads included); here each command runs in-process, so the two
 * paths are also checked against each other.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lineDiff } from "../helpers/lineDiff.js";
import { runCli } from "../helpers/runCli.js";

const DIR = "test/golden";
const COMMANDS = JSON.parse(readFileSync(join(DIR, "commands.json"), "utf8")) as Record<string, string[]>;
const PRESETS = readdirSync("models")
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.slice(0, -".yaml".length))
  .sort();
const CASES = PRESETS.flatMap((preset) => Object.keys(COMMANDS).map((command) => [preset, command] as const));

const normalise = (json: string) => `${JSON.stringify(JSON.parse(json), null, 2)}\n`;

function expectSameText(file: string, expected: string, actual: string): void {
  if (actual === expected) return;
  throw new Error(
    `${file} differs from what mqrel prints now (run npm run golden if the change is intended):\n${lineDiff(expected, actual)}`,
  );
}

describe("golden outputs", () => {
  it("when the golden directory is listed then it holds one file per preset and command, and nothing stale", () => {
    // Arrange
    const expected = CASES.map(([preset, command]) => {
      const base = join(DIR, `${preset}.${command}`);
      return existsSync(`${base}.err.txt`) ? `${preset}.${command}.err.txt` : `${preset}.${command}.json`;
    }).sort();

    // Act
    const present = readdirSync(DIR)
      .filter((f) => f.endsWith(".err.txt") || (f.endsWith(".json") && f !== "commands.json"))
      .sort();

    // Assert
    expect(present, "run npm run golden").toEqual(expected);
  });

  it.each(CASES)("when %s is given to %s then the output is the committed one", async (preset, command) => {
    // Arrange
    const args = (COMMANDS[command] as string[]).map((arg) => arg.replaceAll("{preset}", preset));
    const base = join(DIR, `${preset}.${command}`);
    const refused = existsSync(`${base}.err.txt`);

    // Act
    const result = await runCli(args);

    // Assert
    if (refused) {
      expect(result.stdout).toBe("");
      expectSameText(`${base}.err.txt`, readFileSync(`${base}.err.txt`, "utf8"), `exit ${result.status}\n${result.stderr}`);
    } else {
      expect(result.status, result.stderr).toBe(0);
      expectSameText(`${base}.json`, normalise(readFileSync(`${base}.json`, "utf8")), normalise(result.stdout));
    }
  });
});
