/**
 * What `simulate` and `validate` share: option parsing, the progress bar (stderr, TTY
 * only), Ctrl-C handling, and running the simulation.
 */
import { availableParallelism } from "node:os";
import { Option } from "commander";
import { InputError } from "../errors.js";
import { asHours } from "../expr/convert.js";
import { ExpressionError, evaluateExpression } from "../expr/expression.js";
import type { Model } from "../model/types.js";
import type { SimulationMode } from "../sim/config.js";
import type { SimulationResult } from "../sim/runner.js";
import type { Terminal } from "./terminal.js";

export interface SimulationOptions {
  runs?: string;
  horizon?: string;
  seed?: string;
  workers?: string;
  targetRelError?: string;
  assume: string;
  json?: boolean;
}

export function simulationOptions(): Option[] {
  return [
    new Option("--runs <n>", "independent runs (default: the model's simulation.runs, else 100)"),
    new Option(
      "--horizon <time>",
      'simulated time per run, e.g. "30000 years" (plain number: hours; default: the model\'s, else 1000 years)',
    ),
    new Option("--seed <n>", "PRNG seed (default: the model's simulation.seed, else 1)"),
    new Option("--workers <n>", "worker threads (default: the machine's cores); the numbers do not depend on it"),
    new Option("--target-rel-error <x>", "stop early once every 95% CI half-width is within x of its estimate (e.g. 0.1)"),
    new Option("--assume <setting>", "formula: hold the simulator to each formula's assumptions; realistic: the model's full mechanics")
      .choices(["realistic", "formula"])
      .default("realistic"),
    new Option("--json", "machine-readable output"),
  ];
}

function wholeNumber(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new InputError(`expected a whole number ≥ ${min}, got "${text}"`, { path: flag });
  return value;
}

export interface ParsedSimulation {
  readonly mode: SimulationMode;
  readonly runs?: number;
  readonly horizonHours?: number;
  readonly seed: number;
  readonly workers: number;
  readonly targetRelativeError?: number;
}

export function parseSimulationOptions(options: SimulationOptions, model: Model): ParsedSimulation {
  let horizonHours: number | undefined;
  if (options.horizon !== undefined) {
    try {
      horizonHours = asHours(evaluateExpression(options.horizon));
    } catch (error) {
      if (error instanceof ExpressionError) throw new InputError(error.message, { path: "--horizon" });
      throw error;
    }
  }
  let target: number | undefined;
  if (options.targetRelError !== undefined) {
    target = Number(options.targetRelError);
    if (!(target > 0 && target < 1))
      throw new InputError(`expected a number between 0 and 1, got "${options.targetRelError}"`, { path: "--target-rel-error" });
  }
  return {
    mode: options.assume === "formula" ? "formula" : "realistic",
    ...(options.runs !== undefined ? { runs: wholeNumber(options.runs, "--runs", 1) } : {}),
    ...(horizonHours !== undefined ? { horizonHours } : {}),
    seed: options.seed !== undefined ? wholeNumber(options.seed, "--seed", 0) : (model.simulation.seed ?? 1),
    workers: options.workers !== undefined ? wholeNumber(options.workers, "--workers", 1) : Math.max(1, availableParallelism()),
    ...(target !== undefined ? { targetRelativeError: target } : {}),
  };
}

/**
 * Run a model's simulation with a progress bar on a TTY and Ctrl-C turned into "stop and
 * report what is done".
 */
export async function runModelSimulation(terminal: Terminal, model: Model, parsed: ParsedSimulation, showProgress: boolean) {
  const [{ simConfigFromModel }, { runSimulation }, { chainOnlyKeys }] = await Promise.all([
    import("../sim/fromModel.js"),
    import("../sim/runner.js"),
    import("../model/index.js"),
  ]);
  const unsimulated = chainOnlyKeys(model.cluster);
  if (unsimulated.length > 0) {
    throw new InputError(`the simulator does not model ${unsimulated.join(", ")} yet; \`mqrel eval\` gives their exact analytic figures`, {
      file: model.file,
      path: unsimulated[0] as string,
    });
  }
  const { config, runs } = simConfigFromModel(model, {
    mode: parsed.mode,
    ...(parsed.horizonHours !== undefined ? { horizonHours: parsed.horizonHours } : {}),
    ...(parsed.runs !== undefined ? { runs: parsed.runs } : {}),
  });
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.on("SIGINT", onSigint);
  const bar = showProgress && terminal.stderr.isTTY === true ? await progressBar(terminal, runs) : undefined;
  let result: SimulationResult;
  try {
    result = await runSimulation(config, {
      runs,
      seed: parsed.seed,
      workers: parsed.workers,
      ...(parsed.targetRelativeError !== undefined ? { targetRelativeError: parsed.targetRelativeError } : {}),
      onProgress: (done) => bar?.update(done),
      shouldStop: () => interrupted,
    });
  } finally {
    bar?.stop();
    process.off("SIGINT", onSigint);
  }
  return { config, result, interrupted: result.stoppedEarly === "interrupted" };
}

async function progressBar(terminal: Terminal, total: number) {
  const { default: progress } = await import("cli-progress");
  const bar = new progress.SingleBar(
    {
      stream: terminal.stderr as NodeJS.WritableStream,
      format: "simulating [{bar}] {percentage}% | {value}/{total} runs | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: true,
    },
    progress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}
