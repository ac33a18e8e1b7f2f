import { Chalk } from "chalk";
import { Command } from "commander";
import { EXIT_INTERRUPTED } from "../common/errors.js";
import { checkOutput, chosenFormat, outputWidth, toFile, writeResult } from "./output.js";
import { parseSimulationOptions, runModelSimulation, type SimulationOptions, simulationOptions } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

export function validateCommand(terminal: () => Terminal, setExitCode: (code: number) => void): Command {
  const command = new Command("validate")
    .description("set every formula beside the simulation of the same cluster, with a verdict per metric")
    .argument("<model>", "model file, or - for standard input");
  for (const option of simulationOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
Settings:
  --assume formula     the simulator keeps to each formula's own assumptions (exponential times,
                       independent attempts and replicas): every formula must agree; a disagreement
                       is a bug and exits 1
  (default) realistic  the model's full mechanics (lognormal repairs, shared faults, outages that
                       fail retries): the gap shows how optimistic each simple formula is

Verdicts: agrees (within z* standard errors: Bonferroni over the metrics compared, at most a 1%
chance of any false alarm per report, z* ≥ 3), disagrees (by how many, and whether the formula
is optimistic or pessimistic; exit 1), differs (under realistic mechanics: how far, in
standard errors, and which way the formula errs — the finding users come for; exit 0), too few
events (the interval would undercover), not simulated.

Examples:
  $ mqrel validate models/default.yaml --assume formula
  $ mqrel validate models/rabbitmq-quorum-3.yaml
  $ mqrel validate models/default.yaml --json --output validation.json
  $ mqrel validate models/default.yaml --set cluster.repair_crews=3`,
    )
    .action(async (file: string, options: SimulationOptions, self: Command) => {
      const t = terminal();
      const format = chosenFormat(options, self.getOptionValueSource("format") === "cli");
      const [
        { evaluateMetrics, metricsOnlySimulated },
        { EvaluationCache },
        { compareMetrics },
        report,
        { parseOverrides },
        { modelLoader },
        { contributors },
        { messagePathFindings },
      ] = await Promise.all([
        import("../model/evaluate.js"),
        import("../model/evaluationCache.js"),
        import("../validate/validate.js"),
        import("../report/validateReport.js"),
        import("../catalog/resolveParams.js"),
        import("./modelFiles.js"),
        import("../plan/contributors.js"),
        import("../validate/messagePath.js"),
      ]);
      const overrides = parseOverrides(options.set ?? []);
      const inputs = { files: [file], what: "the model file being validated" };
      checkOutput(options.output, inputs);
      const load = await modelLoader([file], t, { strictUnits: options.strictUnits === true });
      const model = load(file, overrides);
      const parsed = parseSimulationOptions(options, model);
      // the model and its contributions' variants share the chains they solve
      const cache = new EvaluationCache();
      const analytic = evaluateMetrics(model, cache);
      const { config, result, interrupted } = await runModelSimulation(t, model, parsed);
      const validation = compareMetrics(analytic, result.summary, metricsOnlySimulated(model));
      const found = contributors(model, analytic, cache);
      const messagePath = messagePathFindings(analytic, result.summary, parsed.mode, model.traffic?.ratePerHour);
      const context = { model: model.name, file: model.file, seed: parsed.seed, mode: parsed.mode, horizonHours: config.horizonHours };
      const chalk = toFile(options.output) ? new Chalk({ level: 0 }) : t.out;
      const text =
        format === "json"
          ? `${JSON.stringify(report.validateJson(context, validation, result, found, messagePath), null, 2)}\n`
          : report.validateText(context, validation, result, chalk, {
              width: outputWidth(t, options.output),
              contributors: found,
              ...(messagePath ? { messagePath } : {}),
            });
      writeResult(t, options.output, text, inputs);
      if (interrupted) setExitCode(EXIT_INTERRUPTED);
      // Held to the formulas' assumptions, a disagreement is a bug, and a report that could
      // judge nothing did not pass either.
      else if (parsed.mode === "formula" && (validation.disagreement || validation.judged === 0)) setExitCode(1);
    });
}
