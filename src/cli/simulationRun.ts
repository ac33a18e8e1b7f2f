/**
 * What `simulate` and `validate` share: option parsing, the progress bar (stderr, TTY
 * only), Ctrl-C handling, and running the simulation.
 */
import { availableParallelism } from "node:os";
import { Option } from "commander";
import { EXIT_INTERRUPTED, InputError } from "../common/errors.js";
import { asHours } from "../expr/convert.js";
import { ExpressionError, evaluateExpression } from "../expr/expression.js";
import { METRIC, type MetricId, metricSpec } from "../metrics/index.js";
import type { Model } from "../model/types.js";
import type { Estimate } from "../sim/estimate/estimate.js";
import type { MethodRequest } from "../sim/estimate/methodChoice.js";
import type { SimulationMode } from "../sim/kernel/config.js";
import type { SimulationOutcome } from "../sim/run/simulateByMethod.js";
import { parseMetricId } from "./metricOption.js";
import { collect, formatOptions, modelOptions, outputOption } from "./output.js";
import type { Terminal } from "./terminal.js";

export interface SimulationOptions {
  runs?: string;
  horizon?: string;
  seed?: string;
  workers?: string;
  targetRelError?: string;
  targetMetric?: string[];
  assume: string;
  method?: string;
  cycles?: string;
  json?: boolean;
  quiet?: boolean;
  format?: string;
  output?: string;
  set?: string[];
  strictUnits?: boolean;
}

/** The options of `simulate` and `validate`: how to simulate, plus what to print and where. */
export function simulationOptions(): Option[] {
  return [
    ...simulationControlOptions(),
    ...methodOptions(),
    ...formatOptions(["table", "json"], "table"),
    outputOption(),
    ...modelOptions(),
  ];
}

/** `--method` and `--cycles` (simulate and validate). */
export function methodOptions(): Option[] {
  return [
    new Option(
      "--method <method>",
      "is: importance sampling of the cluster's Markov chain (rare quorum losses; refused where it cannot apply); plain: Monte Carlo runs; auto: is when it applies and plain would see too few quorum losses",
    )
      .choices(["auto", "plain", "is"])
      .default("auto"),
    new Option("--cycles <n>", "importance sampling: regenerative cycles (default 100000; with --target-rel-error, at most 10^7)"),
  ];
}

/** How to simulate: runs, horizon, seed, workers, target, mechanics, progress (also for sweep and report). */
export function simulationControlOptions(): Option[] {
  return [
    new Option("--runs <n>", "independent runs, up to 2^53 − 1 (default: the model's simulation.runs, else 100)"),
    new Option(
      "--horizon <time>",
      'simulated time per run, e.g. "30000 years" (plain number: hours; default: the model\'s, else 1000 years)',
    ),
    new Option("--seed <n>", "PRNG seed, a whole number in [0, 2^53) (default: the model's simulation.seed, else 1)"),
    new Option("--workers <n>", "worker threads, at most the machine's cores (default: all of them); the numbers do not depend on it"),
    new Option(
      "--target-rel-error <x>",
      "stop early once every watched 95% CI half-width is within x of its estimate (e.g. 0.1); watched: the cluster's and queue's metrics, or --target-metric",
    ),
    new Option("--target-metric <id>", "a metric --target-rel-error waits for (repeatable), e.g. message.loss").argParser(collect),
    new Option("--assume <setting>", "formula: hold the simulator to each formula's assumptions; realistic: the model's full mechanics")
      .choices(["realistic", "formula"])
      .default("realistic"),
    new Option("-q, --quiet", "no progress on stderr"),
  ];
}

/** A whole number in [min, 2^53 − 1], written plainly or in exponent form ("1e9"). */
function wholeNumber(text: string, flag: string, min: number): number {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > Number.MAX_SAFE_INTEGER) {
    throw new InputError(`expected a whole number from ${min} to 2^53 − 1 (${Number.MAX_SAFE_INTEGER}), got "${text}"`, { path: flag });
  }
  return value;
}

export interface ParsedSimulation {
  readonly mode: SimulationMode;
  readonly runs?: number;
  readonly horizonHours?: number;
  readonly seed: number;
  readonly workers: number;
  readonly targetRelativeError?: number;
  /** what the target watches (default: the cluster's and the queue's metrics) */
  readonly targetMetrics?: readonly string[];
  /** plain when not given (commands without --method) */
  readonly method: MethodRequest;
  /** importance-sampling cycles asked for */
  readonly cycles?: number;
  readonly quiet: boolean;
  /** what the command line asked for that had to be changed, for a one-line note */
  readonly notes: readonly string[];
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
  if (options.targetMetric !== undefined && target === undefined)
    throw new InputError("needs --target-rel-error", { path: "--target-metric" });
  const notes: string[] = [];
  const cores = Math.max(1, availableParallelism());
  let workers = options.workers !== undefined ? wholeNumber(options.workers, "--workers", 1) : cores;
  if (workers > cores) {
    notes.push(`--workers ${workers} is more than the ${cores} cores here; using ${cores}`);
    workers = cores;
  }
  return {
    mode: options.assume === "formula" ? "formula" : "realistic",
    ...(options.runs !== undefined ? { runs: wholeNumber(options.runs, "--runs", 1) } : {}),
    ...(horizonHours !== undefined ? { horizonHours } : {}),
    seed: options.seed !== undefined ? wholeNumber(options.seed, "--seed", 0) : (model.simulation.seed ?? 1),
    workers,
    ...(target !== undefined ? { targetRelativeError: target } : {}),
    ...(options.targetMetric !== undefined
      ? { targetMetrics: options.targetMetric.map((id) => simulatedMetric(model, parseMetricId(id, "--target-metric"))) }
      : {}),
    method: options.method === "is" || options.method === "auto" ? options.method : "plain",
    ...(options.cycles !== undefined ? { cycles: wholeNumber(options.cycles, "--cycles", 1) } : {}),
    quiet: options.quiet === true,
    notes,
  };
}

/**
 * A metric the simulation of this model estimates, for --target-metric: waiting for one it
 * does not would stop after the pilot, "met", having watched nothing.
 *
 * @throws InputError saying why the model's simulation has no such metric
 */
function simulatedMetric(model: Model, metric: MetricId): MetricId {
  const spec = metricSpec(metric);
  const has = (block: string) => block === "cluster" || (model as unknown as Record<string, unknown>)[block] !== undefined;
  const refuse = (why: string): never => {
    throw new InputError(why, { path: "--target-metric" });
  };
  if (!has(spec.block) && (spec.orBlock === undefined || !has(spec.orBlock))) {
    refuse(`the model has no ${spec.block}${spec.orBlock ? ` or ${spec.orBlock}` : ""} block, so ${metric} is not simulated`);
  }
  // persistence and ack are simulated only through the message path
  if (spec.notSimulated !== undefined && !(spec.orBlock !== undefined && has(spec.orBlock))) {
    refuse(`the simulator does not estimate ${metric}: ${spec.notSimulated}`);
  }
  if (metric === METRIC.queueAvailability && model.cluster.failover === undefined) refuse(spec.needs?.why ?? `${metric} is not simulated`);
  // the sites are simulated after the cluster, run by run, without the cluster's checkpoints
  if (spec.block === "regions") refuse(`${metric} has no early stop (the sites are simulated after the cluster): give --runs instead`);
  return metric;
}

/**
 * Run a model's simulation with progress on stderr and Ctrl-C turned into "stop where
 * you are and report what is done"; a second Ctrl-C quits at once (exit 130). The method
 * (plain or importance sampling) is decided first (src/sim/estimate/methodChoice.ts); with a `shard`, only
 * that slice of the runs is simulated.
 */
export async function runModelSimulation(
  terminal: Terminal,
  model: Model,
  parsed: ParsedSimulation,
  shard?: { readonly index: number; readonly count: number },
) {
  const [{ simConfigFromModel }, { simulateByMethod }, { decideMethod, DEFAULT_CYCLES, DEFAULT_CYCLES_WITH_TARGET }, { progressReporter }] =
    await Promise.all([
      import("../sim/run/fromModel.js"),
      import("../sim/run/simulateByMethod.js"),
      import("../sim/estimate/methodChoice.js"),
      import("./progress.js"),
    ]);
  const { config, runs, warnings } = simConfigFromModel(model, {
    mode: parsed.mode,
    ...(parsed.horizonHours !== undefined ? { horizonHours: parsed.horizonHours } : {}),
    ...(parsed.runs !== undefined ? { runs: parsed.runs } : {}),
  });
  const decision = decideMethod(config, parsed.method, {
    seed: parsed.seed,
    runs,
    ...(parsed.targetRelativeError !== undefined ? { targetRelativeError: parsed.targetRelativeError } : {}),
    ...(parsed.targetMetrics !== undefined ? { targetMetrics: parsed.targetMetrics } : {}),
  });
  const cycles = parsed.cycles ?? (parsed.targetRelativeError !== undefined ? DEFAULT_CYCLES_WITH_TARGET : DEFAULT_CYCLES);
  for (const note of parsed.notes) terminal.stderr.write(`note: ${note}\n`);
  for (const warning of warnings) terminal.stderr.write(`${terminal.err.yellow("warning:")} ${warning}\n`);
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) {
      terminal.stderr.write("interrupted again: quitting\n");
      process.exit(EXIT_INTERRUPTED);
    }
    if (!parsed.quiet) terminal.stderr.write("\ninterrupted: stopping the runs in progress (Ctrl-C again to quit at once)\n");
    abort.abort();
  };
  process.on("SIGINT", onSigint);
  let result: SimulationOutcome;
  // the SIGINT listener stays on through the regions' runs
  try {
    const progress = await progressReporter(terminal, runs, parsed.quiet);
    try {
      result = await simulateByMethod(config, {
        decision,
        runs,
        cycles,
        seed: parsed.seed,
        workers: parsed.workers,
        ...(parsed.targetRelativeError !== undefined ? { targetRelativeError: parsed.targetRelativeError } : {}),
        ...(parsed.targetMetrics !== undefined ? { targetMetrics: parsed.targetMetrics } : {}),
        ...(shard ? { shard } : {}),
        onProgress: (p) => progress.update(p),
        signal: abort.signal,
      });
    } finally {
      progress.stop();
    }
    if (model.regions !== undefined && result.stoppedEarly !== "interrupted") {
      const regions = await simulateRegionsOfModel(terminal, model, parsed, () => abort.signal.aborted);
      result = { ...result, summary: { ...result.summary, metrics: { ...result.summary.metrics, ...regions.metrics } } };
      if (regions.stopped) result = { ...result, stoppedEarly: "interrupted" };
    }
  } finally {
    process.off("SIGINT", onSigint);
  }
  return { config, runs, cycles, result, interrupted: result.stoppedEarly === "interrupted" };
}

/**
 * A `regions:` model's sites, failover and copy (docs/design.md §3d), simulated after its
 * cluster: the same runs, horizon, seed and setting, one thread (src/sim/run/regions.ts),
 * its own progress bar ("region runs"), stopped between runs when `shouldStop` says so.
 * Returns the three region metrics in the Estimate shape, to sit beside the cluster's.
 */
export async function simulateRegionsOfModel(
  terminal: Terminal,
  model: Model,
  parsed: ParsedSimulation,
  shouldStop: () => boolean = () => false,
): Promise<{ readonly metrics: Partial<Record<MetricId, Estimate>>; readonly runs: number; readonly stopped: boolean }> {
  const regions = model.regions;
  if (regions === undefined) return { metrics: {}, runs: 0, stopped: false };
  const [{ regionsSimConfigFromModel }, { simulateRegionsYielding }, { regionMetricEstimates }, { progressReporter }] = await Promise.all([
    import("../sim/run/regionsFromModel.js"),
    import("../sim/run/regions.js"),
    import("../sim/estimate/regionEstimate.js"),
    import("./progress.js"),
  ]);
  const plan = regionsSimConfigFromModel(model, regions, {
    mode: parsed.mode,
    ...(parsed.horizonHours !== undefined ? { horizonHours: parsed.horizonHours } : {}),
    ...(parsed.runs !== undefined ? { runs: parsed.runs } : {}),
  });
  for (const warning of plan.warnings) terminal.stderr.write(`${terminal.err.yellow("warning:")} ${warning}\n`);
  const progress = await progressReporter(terminal, plan.runs, parsed.quiet);
  try {
    const sim = await simulateRegionsYielding(plan.config, plan.runs, plan.horizonHours, parsed.seed, {
      shouldStop,
      onRun: (done) => progress.update({ runsDone: done, fraction: done / plan.runs, label: `${done}/${plan.runs} region runs` }),
    });
    // the report's "interrupted" line counts the cluster's runs: say what the region rows rest on
    if (sim.stopped) terminal.stderr.write(`interrupted: the region rows rest on the ${sim.runs} of ${plan.runs} region runs made\n`);
    return { metrics: regionMetricEstimates(sim.metrics, sim.runs * sim.horizonHours), runs: sim.runs, stopped: sim.stopped };
  } finally {
    progress.stop();
  }
}
