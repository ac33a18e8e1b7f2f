import { Command, type Option } from "commander";
import { EXIT_INTERRUPTED } from "../common/errors.js";
import { chosenFormat, collect, formatOptions, outputWidth, writeJson } from "./output.js";
import { checkUnits, METRIC_LIST, modelSimulator, parseMetricId, strictUnitsOption } from "./planOptions.js";
import { planProgress } from "./planProgress.js";
import { type SimulationOptions, simulationControlOptions } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

interface SweepOptions extends SimulationOptions {
  vary: string[];
  metric: string[];
  set: string[];
  format: string;
  json?: boolean;
  chart: boolean;
  simulate?: boolean;
  strictUnits?: boolean;
}

export function sweepCommand(terminal: () => Terminal, setExitCode: (code: number) => void): Command {
  const [formatOption, jsonOption] = formatOptions(["table", "json", "csv", "markdown"], "table") as [Option, Option];
  const command = new Command("sweep")
    .description("every metric across a range of one or two fields, with the SLO marked and a chart")
    .argument("<model>", "model file")
    .requiredOption(
      "--vary <path=spec>",
      "a field and its values: from..to, from..to:step, from..to:*factor, or a,b,c (once or twice)",
      collect,
      [],
    )
    .option("--metric <id>", "show only this metric (repeatable; the first is charted)", collect, [])
    .option("--set <path=value>", "override a field for every point (repeatable)", collect, [])
    .addOption(strictUnitsOption())
    .addOption(formatOption)
    .addOption(jsonOption)
    .option("--no-chart", "no terminal chart under the table")
    .option("--simulate", "also simulate every point: estimates with 95% intervals beside the formulas");
  for (const option of simulationControlOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
Ranges: whole numbers go in steps of 1 (3..9); other ranges in 10 steps, geometric when
they span two decades or more ("5 min..3 d"); from..to:step and from..to:*factor set the
step; a,b,c lists values (words such as majority included). Values take units; JSON
reports them in hours and per hour. At most 1000 values a field, 10000 points in all.

Metrics: ${METRIC_LIST}

Examples:
  $ mqrel sweep models/rabbitmq-quorum-3.yaml --vary cluster.nodes=3..9
  $ mqrel sweep models/default.yaml --vary "cluster.node.failures.hardware.mttr=5 min..3 d" --metric cluster.availability
  $ mqrel sweep models/default.yaml --vary cluster.nodes=3,5,7 --vary "cluster.common_cause.rate=0,0.1 / year"
  $ mqrel sweep models/default.yaml --vary retry.attempts=1..8 --metric retry.success --format csv
  $ mqrel sweep models/default.yaml --vary cluster.nodes=3..5 --simulate --runs 50`,
    )
    .action(async (file: string, options: SweepOptions, self: Command) => {
      const t = terminal();
      const format = chosenFormat(options, self.getOptionValueSource("format") === "cli");
      const [{ readModelFile }, plan, { paramResolver }, report, { parseOverrides }] = await Promise.all([
        import("../model/index.js"),
        import("../plan/index.js"),
        import("../plan/fields.js"),
        import("../report/sweepReport.js"),
        import("../catalog/resolveParams.js"),
      ]);
      const overrides = parseOverrides(options.set);
      const metrics = options.metric.map((m) => parseMetricId(m));
      const source = readModelFile(file);
      const names = paramResolver(source, overrides);
      const varies = options.vary.map((text) => plan.parseVariation(text, names));
      const evaluator = new plan.Evaluator(source, overrides, { strictUnits: options.strictUnits === true });
      plan.checkSweepSize(varies);
      checkUnits(
        t,
        evaluator,
        varies.map((v) => ["--vary", v] as const),
      );
      const total = varies.reduce((points, v) => points * v.values.length, 1);
      const progress = planProgress(t, "sweep", format === "table" || format === "markdown", total, options.quiet === true);
      evaluator.onPoint = progress.listener;
      let result: import("../plan/index.js").SweepResult;
      try {
        result = plan.sweep(evaluator, varies, metrics);
      } finally {
        progress.stop();
      }
      if (options.simulate) result = await plan.simulateSweep(result, modelSimulator(t, options));
      if (format === "json") writeJson(t, report.sweepJson(result));
      else if (format === "csv") t.stdout.write(report.sweepCsv(result));
      else if (format === "markdown") t.stdout.write(report.sweepMarkdown(result));
      else t.stdout.write(report.sweepText({ ...result, ...(options.chart ? {} : { chart: undefined }) }, t.out, outputWidth(t)));
      if (result.interrupted) setExitCode(EXIT_INTERRUPTED);
    });
}
