import { Command } from "commander";
import { writeJson } from "./output.js";
import { parseSimulationOptions, runModelSimulation, type SimulationOptions, simulationOptions } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

export function validateCommand(terminal: () => Terminal, setExitCode: (code: number) => void): Command {
  const command = new Command("validate")
    .description("set every formula beside the simulation of the same cluster, with a verdict per metric")
    .argument("<model>", "model file");
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
is optimistic or pessimistic), too few events (the interval would undercover).

Examples:
  $ mqrel validate models/default.yaml --assume formula
  $ mqrel validate models/rabbitmq-quorum-3.yaml
  $ mqrel validate models/default.yaml --json`,
    )
    .action(async (file: string, options: SimulationOptions) => {
      const t = terminal();
      const [{ loadModel }, { evaluateMetrics }, { compareMetrics }, report, { contributors }] = await Promise.all([
        import("../model/index.js"),
        import("../model/metrics.js"),
        import("../validate/validate.js"),
        import("../report/validateReport.js"),
        import("../plan/contributors.js"),
      ]);
      const model = loadModel(file);
      const parsed = parseSimulationOptions(options, model);
      const analytic = evaluateMetrics(model);
      const { config, result, interrupted } = await runModelSimulation(t, model, parsed);
      const validation = compareMetrics(analytic, result.summary);
      const found = contributors(model, analytic);
      const context = { model: model.name, file: model.file, seed: parsed.seed, mode: parsed.mode, horizonHours: config.horizonHours };
      if (options.json) writeJson(t, report.validateJson(context, validation, result, found));
      else t.stdout.write(report.validateText(context, validation, result, t.out, found));
      if (interrupted) setExitCode(130);
      // Held to the formulas' assumptions, a disagreement is a bug, and a report that could
      // judge nothing did not pass either.
      else if (parsed.mode === "formula" && (validation.disagreement || validation.judged === 0)) setExitCode(1);
    });
}
