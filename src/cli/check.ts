import { Chalk } from "chalk";
import { Command, Option } from "commander";
import { InputError } from "../common/errors.js";
import { printable } from "../common/text.js";
import { metricSpec } from "../metrics/index.js";
import type { Model } from "../model/types.js";
import type { CheckedModel, SloResult } from "../slo/check.js";
import type { Target } from "../slo/targets.js";
import {
  checkOutput,
  chosenFormat,
  collect,
  formatOptions,
  modelOptions,
  outputOption,
  outputWidth,
  toFile,
  writeResult,
} from "./output.js";
import type { SimulationOptions } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

interface CheckOptions {
  format: string;
  json?: boolean;
  output?: string;
  set: string[];
  strictUnits?: boolean;
  exclude: string[];
  verbose?: boolean;
  allowEmpty?: boolean;
  simulate?: boolean;
  allowInconclusive?: boolean;
  runs?: string;
  horizon?: string;
  seed?: string;
  workers?: string;
  assume: string;
  target: string[];
}

export function checkCommand(terminal: () => Terminal, setExitCode: (code: number) => void): Command {
  const command = new Command("check")
    .description("check every model's slo: thresholds (a CI gate: exit 1 when one is not met)")
    .argument("<model|dir...>", "model files, - for standard input, or directories (searched for models)");
  for (const option of [
    ...formatOptions(["table", "json", "junit", "github", "markdown"], "table"),
    outputOption(),
    ...modelOptions(),
    new Option(
      "--target <threshold>",
      'a threshold checked on every model beside its slo: block, naming its metric: "message.loss <= 1e-12" (repeatable)',
    )
      .argParser(collect)
      .default([]),
    new Option("--exclude <glob>", "leave out matching files and directories, e.g. 'test/**' or '*.draft.yaml' (repeatable)")
      .argParser(collect)
      .default([]),
    new Option("--verbose", "list the files skipped in directories, and why"),
    new Option("--allow-empty", "a model with no thresholds passes (by default it fails: it checks nothing)"),
    new Option("--simulate", "judge each threshold on the simulation's 95% interval instead of the formula"),
    new Option("--allow-inconclusive", "with --simulate: an interval that straddles a threshold does not fail the gate"),
    new Option("--runs <n>", "with --simulate: runs per model (default: the model's simulation.runs, else 100)"),
    new Option("--horizon <time>", "with --simulate: simulated time per run (default: the model's, else 1000 years)"),
    new Option("--seed <n>", "with --simulate: PRNG seed (default: the model's simulation.seed, else 1)"),
    new Option("--workers <n>", "with --simulate: worker threads (default: the machine's cores)"),
    new Option("--assume <setting>", "with --simulate: realistic (default) or formula mechanics; see `mqrel validate --help`")
      .choices(["realistic", "formula"])
      .default("realistic"),
  ]) {
    command.addOption(option);
  }
  return command
    .addHelpText(
      "after",
      `
Thresholds (the slo: block, keyed by metric id):
  cluster.availability: ">= 99.99%"     cluster.availability: "> 4 nines"
  message.loss: "<= 1e-9"               cluster.mttf: ">= 10 years"
  cluster.downtime_per_year: "<= 1 h"   retry.success: ">= 0.999999"

In a directory only files with a top-level mqrel: key are models; the rest are skipped.

Examples:
  $ mqrel check models/
  $ mqrel check . --exclude 'test/**' --format junit --output mqrel-junit.xml
  $ mqrel check models/ --format github        # ::error annotations on the threshold's line
  $ mqrel check models/ --format markdown >> "$GITHUB_STEP_SUMMARY"
  $ mqrel check models/ --simulate --runs 400  # judged on the simulation's 95% intervals
  # a gate's own thresholds, checked on every model beside its slo: block (a model that
  # does not compute a target's metric, as a fleet for cluster.availability, is invalid: exit 2)
  $ mqrel check models/kafka-rf3-minisr2-acks-all.yaml models/rabbitmq-quorum-3.yaml \\
      --target "cluster.availability >= 99.99%" --target "message.loss <= 1e-12"

Exit: 0 every threshold met; 1 one is not met, inconclusive (--simulate), or a model has
none; 2 a model is invalid (the others are still checked and reported); 3 an internal error.`,
    )
    .action(async (paths: string[], options: CheckOptions, self: Command) => {
      const t = terminal();
      const format = chosenFormat(options, self.getOptionValueSource("format") === "cli");
      if (!options.simulate) {
        for (const flag of ["allowInconclusive", "runs", "horizon", "seed", "workers"] as const) {
          if (options[flag] !== undefined) {
            throw new InputError("needs --simulate", { path: `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` });
          }
        }
      }
      const [{ evaluateMetrics, metricsOnlySimulated }, { EvaluationCache }, slo, simulated, report, files, { parseOverrides }, targets] =
        await Promise.all([
          import("../model/evaluate.js"),
          import("../model/evaluationCache.js"),
          import("../slo/check.js"),
          import("../slo/simulated.js"),
          import("../report/checkReport.js"),
          import("./modelFiles.js"),
          import("../catalog/resolveParams.js"),
          import("../slo/targets.js"),
        ]);
      const overrides = parseOverrides(options.set);
      const extra = checkTargets(options.target, targets);
      const found = files.expandModelPaths(paths, { exclude: options.exclude });
      if (options.verbose) files.reportSkipped(t, found.skipped);
      if (found.files.length === 0) throw files.noModels(paths, found.skipped);
      const inputs = { files: found.files, what: "one of the model files being checked" };
      checkOutput(options.output, inputs);
      const load = await files.modelLoader(found.files, t, { strictUnits: options.strictUnits === true });
      const simulate = options.simulate ? await simulator(t, options) : undefined;
      // one cache for the batch: models that share a cluster share its chains
      const cache = new EvaluationCache();
      const checked = await slo.checkModels(
        found.files,
        async (file) => {
          const started = performance.now();
          const model = targets.withTargets(load(file, overrides), extra);
          const metrics = evaluateMetrics(model, cache);
          const onlySimulated = metricsOnlySimulated(model);
          for (const target of extra) {
            // a coupled fleet's metric has no exact value: inconclusive, as its own slo: would be (docs/ci.md)
            if (metrics.has(target.metric) || onlySimulated.has(target.metric)) continue;
            // the loader's reason, as for --set slo.<metric>: it refuses the threshold in one line
            load(file, [...overrides, targets.targetOverride(target)]);
            throw new InputError(`the model does not compute ${target.metric}`, { file, path: targets.TARGET_PATH });
          }
          let results: readonly SloResult[];
          let simulation: CheckedModel["simulation"];
          if (simulate !== undefined && model.slo.length > 0) {
            const run = await simulate(model);
            results = simulated.checkSlosSimulated(model, metrics, run.summary);
            simulation = run.simulation;
          } else results = slo.checkSlos(model, metrics);
          const seconds = (performance.now() - started) / 1000;
          return { model: slo.checkedModel(model, { ...(simulation ? { simulation } : {}), seconds }), results };
        },
        { allowEmpty: options.allowEmpty === true, allowInconclusive: options.allowInconclusive === true },
      );
      for (const error of checked.errors) {
        if (error.kind === "invalid") t.stderr.write(`${t.err.red("error:")} ${error.message}\n`);
        else {
          t.stderr.write(
            `${t.err.red("internal error:")} ${printable(error.message)} (this is a bug in mqrel; the other models were still checked)\n`,
          );
        }
      }
      const chalk = toFile(options.output) ? new Chalk({ level: 0 }) : t.out;
      const text =
        format === "json"
          ? `${JSON.stringify(report.checkJson(checked), null, 2)}\n`
          : format === "junit"
            ? report.checkJunit(checked)
            : format === "github"
              ? report.checkGithub(checked)
              : format === "markdown"
                ? report.checkMarkdown(checked)
                : report.checkText(checked, chalk, { width: outputWidth(t, options.output) });
      writeResult(t, options.output, text, inputs);
      // the verdict goes to a file: say it here too, or a failing CI step prints nothing
      if (toFile(options.output)) t.stderr.write(`wrote ${options.output}: ${report.summaryLine(checked)}\n`);
      setExitCode(checked.exitCode);
    });
}

/**
 * `check --target`s: each names its metric (check has no --metric), in the slo: grammar;
 * a metric bounded twice on one side, or from both sides with no value between, is refused.
 * @throws InputError in one line
 */
function checkTargets(texts: readonly string[], targets: typeof import("../slo/targets.js")): Target[] {
  const parsed = texts.map((text) => {
    const { metric, threshold } = targets.splitTarget(text);
    if (metric === undefined) {
      throw new InputError(`"${text.trim()}" names no metric: check --target names it first, e.g. "cluster.availability >= 99.99%"`, {
        path: targets.TARGET_PATH,
      });
    }
    return targets.parseTarget(metric, threshold);
  });
  targets.checkTargetSet(parsed);
  return parsed;
}

/** With --simulate: a function that simulates one model as its simulation settings say. */
async function simulator(terminal: Terminal, options: CheckOptions) {
  const [{ parseSimulationOptions, simulateRegionsOfModel }, { simConfigFromModel }, { runSimulation }] = await Promise.all([
    import("./simulationRun.js"),
    import("../sim/run/fromModel.js"),
    import("../sim/run/scheduler.js"),
  ]);
  const simulationOptions: SimulationOptions = {
    assume: options.assume,
    ...(options.runs !== undefined ? { runs: options.runs } : {}),
    ...(options.horizon !== undefined ? { horizon: options.horizon } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  };
  return async (model: Model) => {
    const parsed = parseSimulationOptions(simulationOptions, model);
    const { config, runs, warnings } = simConfigFromModel(model, {
      mode: parsed.mode,
      ...(parsed.horizonHours !== undefined ? { horizonHours: parsed.horizonHours } : {}),
      ...(parsed.runs !== undefined ? { runs: parsed.runs } : {}),
    });
    for (const warning of warnings) terminal.stderr.write(`${terminal.err.yellow("warning:")} ${printable(`${model.file}: ${warning}`)}\n`);
    const result = await runSimulation(config, { runs, seed: parsed.seed, workers: parsed.workers });
    // a regions: model's sites, failover and copy, beside its cluster, when an SLO names a region metric (quiet: check prints no bars)
    const judgesRegions = model.slo.some((entry) => metricSpec(entry.metric).block === "regions");
    const regions = judgesRegions ? await simulateRegionsOfModel(terminal, model, { ...parsed, quiet: true }) : { metrics: {} };
    return {
      summary: { ...result.summary, metrics: { ...result.summary.metrics, ...regions.metrics } },
      simulation: { runs: result.runsDone, seed: parsed.seed, mode: parsed.mode, horizonHours: config.horizonHours },
    };
  };
}
