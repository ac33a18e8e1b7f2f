/**
 * `simulate --shard i/N --out FILE`: which shard this process is, and writing its file.
 *
 * The shard index comes from `--shard i/N`; or, when `--shard N` (or no --shard, with the
 * count in MQREL_SHARD_COUNT) is given and JOB_COMPLETION_INDEX is set (a Kubernetes
 * Indexed Job sets it to 0, 1, …), i = JOB_COMPLETION_INDEX + 1. `--out` alone writes the
 * whole simulation as shard 1 of 1. `--out DIR/` (a directory) names the file
 * `part-<i>-of-<N>.json` inside it, so a manifest need not spell the index out.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../common/errors.js";
import { fileErrorMessage, STDIN_NAME } from "../model/index.js";
import type { Model } from "../model/types.js";
import type { SimConfig } from "../sim/kernel/config.js";
import { type Shard, sha256, shardJson } from "../sim/run/shard.js";
import type { SimulationOutcome } from "../sim/run/simulateByMethod.js";
import { writeFileAtomically } from "./atomicWrite.js";
import type { ParsedSimulation } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

/** The environment variable that gives the shard count when --shard does not. */
export const SHARD_COUNT_ENV = "MQREL_SHARD_COUNT";
/** Set by Kubernetes for each pod of an Indexed Job: 0, 1, …, completions − 1. */
export const JOB_INDEX_ENV = "JOB_COMPLETION_INDEX";
/** Most shards of one simulation (a sanity bound, far beyond any fan-out). */
const MAX_SHARDS = 1_000_000;

export interface ShardChoice {
  readonly index: number;
  readonly count: number;
}

function whole(text: string, what: string, where: string, min: number, max: number): number {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`expected ${what} from ${min} to ${max}, got "${text}"`, { path: where });
  }
  return value;
}

/**
 * Which shard to simulate, or undefined for an ordinary simulation.
 *
 * @throws InputError for a malformed --shard, a missing index or --out, or an index out of range
 */
export function parseShardChoice(shard: string | undefined, out: string | undefined, env: NodeJS.ProcessEnv): ShardChoice | undefined {
  if (shard === undefined && out === undefined) return undefined;
  if (out === undefined)
    throw new InputError("a shard is written to a file: give --out FILE (for example --out part-1.json)", { path: "--shard" });
  let countText = shard;
  let indexText: string | undefined;
  if (shard?.includes("/")) {
    const parts = shard.split("/");
    if (parts.length !== 2) throw new InputError(`expected i/N (shard i of N, e.g. 2/4), got "${shard}"`, { path: "--shard" });
    [indexText, countText] = parts as [string, string];
  } else if (shard === undefined) {
    countText = env[SHARD_COUNT_ENV];
    if (countText === undefined) return { index: 1, count: 1 };
  }
  const where = shard !== undefined ? "--shard" : SHARD_COUNT_ENV;
  const count = whole(countText as string, "a shard count", where, 1, MAX_SHARDS);
  if (indexText !== undefined) return { index: whole(indexText, "a shard index", "--shard", 1, count), count };
  const job = env[JOB_INDEX_ENV];
  if (job === undefined) {
    if (count === 1) return { index: 1, count };
    throw new InputError(
      `which of the ${count} shards is this? Give --shard i/${count}, or run where ${JOB_INDEX_ENV} is set (a Kubernetes Indexed Job)`,
      { path: where },
    );
  }
  return { index: whole(job, `${JOB_INDEX_ENV} (0-based)`, JOB_INDEX_ENV, 0, count - 1) + 1, count };
}

/** What a shard cannot be combined with. @throws InputError */
export function checkShardOptions(parsed: ParsedSimulation, model: Model, output: string | undefined): void {
  if (parsed.targetRelativeError !== undefined) {
    throw new InputError(
      "cannot be used with --shard: where a simulation stops would depend on every shard's runs; give --runs (or --cycles) and merge the shards",
      { path: "--target-rel-error" },
    );
  }
  if (output !== undefined)
    throw new InputError("a shard writes its file to --out; merge the shards to print (or --output) the result", { path: "--output" });
  if (model.file === STDIN_NAME || model.file === "-") {
    throw new InputError(
      "a shard needs its model in a file (the shard file records the model's SHA-256); save standard input to a file first",
      {
        path: "--shard",
      },
    );
  }
}

export interface ShardWrite {
  readonly terminal: Terminal;
  readonly model: Model;
  readonly config: SimConfig;
  readonly parsed: ParsedSimulation;
  readonly runs: number;
  readonly cycles: number;
  readonly choice: ShardChoice;
  readonly outcome: SimulationOutcome;
  readonly out: string;
  readonly version: string;
}

function modelBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError(fileErrorMessage(error), { file });
  }
}

/** The file a shard goes to: `--out` as given, or `part-<i>-of-<N>.json` inside a directory. */
export function shardPath(out: string, choice: ShardChoice): string {
  if (out === "-") return out;
  let directory = out.endsWith("/");
  if (!directory) {
    try {
      directory = statSync(out).isDirectory();
    } catch {
      // a new file
    }
  }
  return directory ? join(out, shardFileName(choice)) : out;
}

/** `part-2-of-4.json`: the name a shard gets inside an --out directory (and what merge looks for there). */
export function shardFileName(choice: ShardChoice): string {
  return `part-${choice.index}-of-${choice.count}.json`;
}

/** Write the shard file (atomically, or to standard output for `--out -`) and say what it holds on stderr. */
export function writeShard(w: ShardWrite): void {
  const shard: Shard = {
    header: {
      mqrelVersion: w.version,
      model: w.model.name,
      file: w.model.file,
      modelSha256: sha256(modelBytes(w.model.file)),
      config: w.config,
      seed: w.parsed.seed,
      mode: w.parsed.mode,
      runs: w.runs,
      cycles: w.cycles,
      decision: w.outcome.decision,
    },
    index: w.choice.index,
    count: w.choice.count,
    parts: w.outcome.parts,
  };
  const text = `${JSON.stringify(shardJson(shard))}\n`;
  const path = shardPath(w.out, w.choice);
  if (path === "-") w.terminal.stdout.write(text);
  else writeFileAtomically(path, text, { flag: "--out", inputs: [w.model.file], what: "the model file being simulated" });
  if (!w.parsed.quiet) {
    const slices = w.outcome.parts.map((part) => {
      const what = part.kernel.kind === "is" ? `importance-sampling runs (${part.kernel.cyclesPerRun} cycles each)` : "runs";
      const count = part.range.end - part.range.start;
      return count > 0
        ? `${count === 1 ? what.replace("runs", "run") : what} ${part.range.start}${count > 1 ? `–${part.range.end - 1}` : ""} of ${part.runs}`
        : `no ${what} (${part.runs} for ${w.choice.count} shards)`;
    });
    w.terminal.stderr.write(
      `shard ${w.choice.index} of ${w.choice.count}: ${slices.join("; ")} → ${path === "-" ? "standard output" : path}\n`,
    );
  }
}
