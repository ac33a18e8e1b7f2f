import { Command, Option } from "commander";
import { InputError } from "../common/errors.js";
import type { Evaluator, SolveTarget } from "../plan/index.js";
import type { TargetText } from "../slo/targets.js";
import { chosenFormat, collect, formatOptions, outputWidth, writeJson } from "./output.js";
import { checkUnits, defaultPlanMetric, parseMetricId, strictUnitsOption } from "./planOptions.js";
import { planProgress } from "./planProgress.js";
import type { Terminal } from "./terminal.js";

/** The finest --tolerance: relative steps below this are lost between neighbouring doubles. */
const MIN_TOLERANCE = 1e-15;

interface SolveOptions {
  strictUnits?: boolean;
  for: string[];
  metric?: string;
  target: string[];
  range: string[];
  find?: "min" | "max";
  minimize?: string;
  tolerance?: string;
  set: string[];
  json?: boolean;
  format?: string;
}

export function solveCommand(terminal: () => Terminal, setExitCode: (code: number) => void): Command {
  const [formatOption, jsonOption] = formatOptions(["table", "json"], "table") as [Option, Option];
  return new Command("solve")
    .description("the least demanding value of a field (or the cheapest combination of several) that meets a target")
    .argument("<model>", "model file")
    .requiredOption("--for <path>", "the field to solve for (repeatable, with --minimize)", collect, [])
    .option("--metric <id>", "the metric the target is on (default: cluster.availability; fleet.availability for a fleet)")
    .option(
      "--target <threshold>",
      'e.g. ">= 0.99999", ">= 5 nines", "<= 1e-9", or with its metric "fleet.availability >= 99.99%"; repeatable: every target must be met (default: the model\'s SLO for the metric)',
      collect,
      [],
    )
    .option("--range <path=spec>", "search these values: from..to (an interval), from..to:step or a,b,c (those values)", collect, [])
    .addOption(new Option("--find <end>", "look for the smallest or the largest value that meets the target").choices(["min", "max"]))
    .option("--minimize <expression>", 'a cost over the model\'s paths, e.g. "cluster.nodes * 300 + cluster.repair_crews * 2000"')
    .option("--tolerance <x>", "relative tolerance of the bisection for times, rates and probabilities, 1e-15 … 1 (default 1e-6)")
    .option("--set <path=value>", "override a field before solving (repeatable)", collect, [])
    .addOption(strictUnitsOption())
    .addOption(formatOption)
    .addOption(jsonOption)
    .addHelpText(
      "after",
      `
How it searches (availability is not monotone: with a majority quorum 4 nodes are less
available than 3, so nothing assumes it is):
  counts (nodes, crews, replicas, attempts, quorum)  every whole number, from the least
      demanding end: nodes 1…1000 (the model's cap), crews/quorum/replicas 1…nodes,
      attempts 1…1000; the first that meets the target is the answer
  times, rates, probabilities  a 61-point grid (÷100…×100 around the model's value;
      probabilities 1e-12…1, those near 1 on their complement), then bisection of the
      boundary to --tolerance; the value printed always meets the target
  --minimize  every combination is costed, then computed cheapest first (counts default
      to 1…max(10, 3 × the model's value) each)
Least demanding: fewest nodes, crews, replicas, attempts; largest quorum; longest MTTR, window, timeout;
highest failure rates; lowest MTBF, availability or per-attempt success; shortest
deadline. --find min|max says otherwise.

Several targets (--target more than once): a value meets when it meets every one; each
names its metric ("message.loss <= 1e-12"), or one leaves it out and --metric gives it. The
answer lists every target with its value and margin, and which binds: the one missed one
step less demanding (with --minimize, at the dearest cheaper combination).

Exit: 0 a value meets the target, 1 none in the range does (the best value computed is shown,
when any was: the common-cause floor can rule them all out).

Examples:
  # the fewest nodes for five nines (none: the cluster-wide event is a floor; exit 1 says so)
  $ mqrel solve models/rabbitmq-quorum-3.yaml --for cluster.nodes --metric cluster.availability --target ">= 0.99999"
  # ... and without the cluster-wide event
  $ mqrel solve models/rabbitmq-quorum-3.yaml --for cluster.nodes --target ">= 0.99999" --set cluster.common_cause.rate=0
  # the longest instance repair time a quorum cluster can live with
  $ mqrel solve models/rabbitmq-quorum-3.yaml --for cluster.node.failures.instance.mttr --target ">= 99.99%" \\
      --range "cluster.node.failures.instance.mttr=1 h..60 d"
  # the fewest retry attempts within the client's 120 s deadline
  $ mqrel solve models/default.yaml --for retry.attempts --metric retry.success --target ">= 0.999"
  # the most Kafka brokers that keep six nines for 600 partitions (the target names its metric)
  $ mqrel solve models/kafka-fleet-12x600.yaml --for cluster.nodes --range cluster.nodes=3..30 --find max \\
      --target "fleet.availability >= 99.9999%"
  # the largest min.insync.replicas that keeps four nines and loses at most 1e-12 (both
  # targets must be met; the answer says which binds)
  $ mqrel solve models/kafka-rf3-minisr2-acks-all.yaml --for cluster.quorum \\
      --target "cluster.availability >= 99.99%" --target "message.loss <= 1e-12"
  # the cheapest nodes × repair crews
  $ mqrel solve models/default.yaml --set cluster.common_cause.rate=0 --for cluster.nodes --for cluster.repair_crews \\
      --target ">= 99.99995%" --minimize "cluster.nodes * 300 + cluster.repair_crews * 2000"`,
    )
    .action(async (file: string, options: SolveOptions, self: Command) => {
      const t = terminal();
      const json = chosenFormat(options, self.getOptionValueSource("format") === "cli") === "json";
      const [{ readModelFile }, plan, { paramResolver }, slo, report, { parseOverrides }] = await Promise.all([
        import("../model/index.js"),
        import("../plan/index.js"),
        import("../plan/fields.js"),
        import("../slo/targets.js"),
        import("../report/solveReport.js"),
        import("../catalog/resolveParams.js"),
      ]);
      const overrides = parseOverrides(options.set);
      const source = readModelFile(file);
      const evaluator = new plan.Evaluator(source, overrides, { strictUnits: options.strictUnits === true });
      const targets = solveTargets(options, evaluator, file, slo);
      let tolerance: number | undefined;
      if (options.tolerance !== undefined) {
        tolerance = Number(options.tolerance);
        // below about 1e-15 two doubles cannot differ by that much: the bisection would stop
        // at a double's resolution while the answer claimed 1e-300
        if (!(tolerance >= MIN_TOLERANCE && tolerance < 1)) {
          throw new InputError(
            `expected a relative tolerance from ${MIN_TOLERANCE} (a double's resolution) to below 1, got "${options.tolerance}"`,
            {
              path: "--tolerance",
            },
          );
        }
      }
      const names = paramResolver(source, overrides);
      const ranges = new Map(
        options.range.map((text) => {
          const variation = plan.parseVariation(text, names, "--range");
          return [variation.path, variation] as const;
        }),
      );
      checkUnits(
        t,
        evaluator,
        [...ranges.values()].map((v) => ["--range", v] as const),
      );
      const progress = planProgress(t, "solve", !json);
      evaluator.onPoint = progress.listener;
      let result: import("../plan/index.js").SolveResult;
      try {
        result = plan.solve(evaluator, {
          paths: options.for,
          targets,
          ranges,
          ...(options.find !== undefined ? { find: options.find } : {}),
          ...(options.minimize !== undefined ? { minimize: options.minimize } : {}),
          ...(tolerance !== undefined ? { tolerance } : {}),
        });
      } finally {
        progress.stop();
      }
      if (json) writeJson(t, report.solveJson(result));
      else t.stdout.write(report.solveText(result, t.out, outputWidth(t)));
      if (!result.met) setExitCode(1);
    });
}

/**
 * The targets of a solve, from --target (repeatable) and --metric, or the model's SLO.
 *
 * - No --target: the model's SLO for --metric (or the default metric).
 * - One --target: it names its metric ("fleet.availability >= 99.99%"), or --metric gives
 *   it, or the default metric; a --metric that differs from the one it names is refused.
 * - Several: each names its metric, except at most one, whose metric --metric gives; a
 *   --metric that no target is on is refused. A metric bounded twice on one side, or from
 *   both sides with no value between, is refused (src/slo/targets.ts).
 *
 * @throws InputError in one line, naming the flag
 */
function solveTargets(options: SolveOptions, evaluator: Evaluator, file: string, slo: typeof import("../slo/targets.js")): SolveTarget[] {
  const metricOption = options.metric !== undefined ? parseMetricId(options.metric) : undefined;
  if (options.target.length === 0) {
    const metric = metricOption ?? defaultPlanMetric(evaluator);
    const entry = evaluator.base().model.slo.find((e) => e.metric === metric);
    if (entry === undefined) throw new InputError(`give --target: the model has no SLO for ${metric}`, { file, path: "--target" });
    return [{ metric, threshold: entry.threshold, from: "slo" }];
  }
  const texts = options.target.map((text) => slo.splitTarget(text));
  const unnamed = texts.filter((t) => t.metric === undefined);
  if (texts.length === 1) {
    const [only] = texts as [TargetText];
    if (only.metric !== undefined && metricOption !== undefined && metricOption !== only.metric) {
      throw new InputError(`--target is on ${only.metric} but --metric says ${metricOption}: give the metric once`, { path: "--target" });
    }
  } else {
    if (unnamed.length > 1) {
      throw new InputError(
        `${unnamed.length} of the ${texts.length} --target name no metric: with several, each names its own ("message.loss <= 1e-12"), or one leaves it out and --metric gives it`,
        { path: "--target" },
      );
    }
    if (unnamed.length === 1 && metricOption === undefined) {
      throw new InputError(
        `"${(unnamed[0] as TargetText).threshold.trim()}" names no metric: with several --target, name it ("cluster.availability >= 99.99%"), or give --metric`,
        { path: "--target" },
      );
    }
  }
  if (metricOption !== undefined && unnamed.length === 0 && !texts.some((t) => t.metric === metricOption)) {
    throw new InputError(`${metricOption} has no --target: every --target names its own metric; leave --metric out`, {
      path: "--metric",
    });
  }
  const fallback = metricOption ?? defaultPlanMetric(evaluator);
  const targets = texts.map((t): SolveTarget => {
    const metric = t.metric ?? fallback;
    return { ...slo.parseTarget(metric, t.threshold), from: "target", flag: t.metric !== undefined ? "--target" : "--metric" };
  });
  slo.checkTargetSet(targets);
  return targets;
}
