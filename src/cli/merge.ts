/**
 * `mqrel merge part-*.json [--json] [--output FILE]`: combine the shard files of one
 * simulation (written by `simulate --shard i/N --out FILE`) and print exactly what the
 * unsharded `mqrel simulate` would have printed — the same estimates, bit for bit, from
 * the merged exact sums (src/sim/run/shard.ts).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Chalk } from "chalk";
import { Command } from "commander";
import { InputError } from "../common/errors.js";
import { fileErrorMessage, formatBytes } from "../model/index.js";
import { checkOutput, chosenFormat, formatOptions, outputOption, outputWidth, toFile, writeResult } from "./output.js";
import type { Terminal } from "./terminal.js";

/** A shard file holds a few kilobytes of sums; anything this large is not one. */
const MAX_SHARD_BYTES = 16 * 1024 * 1024;

const SHARD_NAME = /^part-\d+-of-\d+\.json$/;

/** The files to merge: as given, a directory standing for its part-<i>-of-<N>.json files (sorted). */
function shardFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    let directory = false;
    try {
      directory = statSync(path).isDirectory();
    } catch {
      // reported when read
    }
    if (!directory) return [path];
    const found = readdirSync(path)
      .filter((name) => SHARD_NAME.test(name))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
      .map((name) => join(path, name));
    if (found.length === 0)
      throw new InputError("holds no shard files (part-<i>-of-<N>.json, as simulate --out DIR/ names them)", { file: path });
    return found;
  });
}

function readShardFile(file: string): unknown {
  let text: string;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new InputError("is not a regular file, expected a shard file", { file });
    if (stats.size > MAX_SHARD_BYTES)
      throw new InputError(`is ${formatBytes(stats.size)}; a shard file is at most ${formatBytes(MAX_SHARD_BYTES)}`, { file });
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(fileErrorMessage(error), { file });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`not a shard file: not JSON (${(error as Error).message})`, { file });
  }
}

export function mergeCommand(terminal: () => Terminal): Command {
  const command = new Command("merge")
    .description("combine shard files (simulate --shard i/N --out FILE) into the estimates one unsharded simulation prints")
    .argument("<shard...>", "shard files, e.g. part-*.json, or a directory of part-<i>-of-<N>.json files");
  for (const option of [...formatOptions(["table", "json"], "table"), outputOption()]) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
Every shard of the simulation must be given exactly once, and all must come from the same
model file, settings, seed and mqrel version; anything else is refused (exit 2).

Examples:
  $ mqrel simulate models/default.yaml --runs 4000 --shard 1/2 --out part-1.json
  $ mqrel simulate models/default.yaml --runs 4000 --shard 2/2 --out part-2.json
  $ mqrel merge part-*.json --json`,
    )
    .action(async (files: string[], options: { format?: string; json?: boolean; output?: string }, self: Command) => {
      const t = terminal();
      const format = chosenFormat(options, self.getOptionValueSource("format") === "cli");
      const [{ mergeShards }, report] = await Promise.all([import("../sim/run/shard.js"), import("../report/simulateReport.js")]);
      const shards = shardFiles(files);
      const inputs = { files: shards, what: "one of the shard files being merged" };
      checkOutput(options.output, inputs);
      const { header, outcome } = mergeShards(shards.map((file) => ({ file, json: readShardFile(file) })));
      const context = {
        model: header.model,
        file: header.file,
        seed: header.seed,
        mode: header.mode,
        horizonHours: header.config.horizonHours,
      };
      const chalk = toFile(options.output) ? new Chalk({ level: 0 }) : t.out;
      const text =
        format === "json"
          ? `${JSON.stringify(report.simulateJson(context, outcome), null, 2)}\n`
          : report.simulateText(context, outcome, chalk, { width: outputWidth(t, options.output) });
      writeResult(t, options.output, text, inputs);
    });
}
