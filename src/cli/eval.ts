import { Chalk } from "chalk";
import { Command, Option } from "commander";
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
import type { Terminal } from "./terminal.js";

export function evalCommand(terminal: () => Terminal): Command {
  const command = new Command("eval")
    .description("evaluate every metric a model file defines, with the formula behind each; several models side by side")
    .argument("<model...>", "model files (YAML or JSON), - for standard input, or directories");
  for (const option of [
    ...modelOptions(),
    ...formatOptions(["table", "json", "markdown"], "table"),
    outputOption(),
    new Option("--exclude <glob>", "leave out matching files and directories found in directories (repeatable)")
      .argParser(collect)
      .default([]),
    new Option("--verbose", "list the files skipped in directories, and why"),
  ]) {
    command.addOption(option);
  }
  return command
    .addHelpText(
      "after",
      `
Examples:
  $ mqrel eval models/default.yaml
  $ mqrel eval models/rabbitmq-quorum-3.yaml --json
  $ mqrel eval models/default.yaml --set cluster.nodes=5 --set "cluster.node.failures.hardware.mttr=30 min"
  $ mqrel eval models/ --format markdown --output availability.md
  $ cat my-cluster.yaml | mqrel eval -`,
    )
    .action(
      async (
        paths: string[],
        options: {
          set: string[];
          strictUnits?: boolean;
          format: string;
          json?: boolean;
          output?: string;
          exclude: string[];
          verbose?: boolean;
        },
        self: Command,
      ) => {
        const t = terminal();
        const format = chosenFormat(options, self.getOptionValueSource("format") === "cli");
        const { parseOverrides } = await import("../catalog/resolveParams.js");
        const overrides = parseOverrides(options.set);
        const [{ evaluateMetrics, metricsOnlySimulated }, { EvaluationCache }, report, files, { contributors }] = await Promise.all([
          import("../model/evaluate.js"),
          import("../model/evaluationCache.js"),
          import("../report/evalReport.js"),
          import("./modelFiles.js"),
          import("../plan/contributors.js"),
        ]);
        const found = files.expandModelPaths(paths, { exclude: options.exclude });
        if (options.verbose) files.reportSkipped(t, found.skipped);
        if (found.files.length === 0) throw files.noModels(paths, found.skipped);
        const inputs = { files: found.files, what: "one of the model files being evaluated" };
        checkOutput(options.output, inputs);
        const load = await files.modelLoader(found.files, t, { strictUnits: options.strictUnits === true });
        // Evaluate everything before printing anything: bad input never leaves half an output.
        // one cache for the batch: the files and their contributions share the chains they solve
        const cache = new EvaluationCache();
        const results = found.files.map((file) => {
          const model = load(file, overrides);
          const metrics = evaluateMetrics(model, cache);
          return { model, metrics, contributors: contributors(model, metrics, cache), simulatedOnly: metricsOnlySimulated(model) };
        });
        const chalk = toFile(options.output) ? new Chalk({ level: 0 }) : t.out;
        const text =
          format === "json"
            ? `${JSON.stringify(report.evalJson(results), null, 2)}\n`
            : format === "markdown"
              ? report.evalMarkdown(results)
              : report.evalText(results, chalk, { width: outputWidth(t, options.output) });
        writeResult(t, options.output, text, inputs);
      },
    );
}
