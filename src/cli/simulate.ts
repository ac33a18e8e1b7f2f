import { Command } from "commander";
import { writeJson } from "./output.js";
import { parseSimulationOptions, runModelSimulation, type SimulationOptions, simulationOptions } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

export function simulateCommand(terminal: () => Terminal, setExitCode: (code: number) => void): Command {
  const command = new Command("simulate")
    .description("Monte Carlo fault injection: simulate the model's cluster and estimate every metric with a 95% CI")
    .argument("<model>", "model file");
  for (const option of simulationOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
Examples:
  $ mqrel simulate models/default.yaml
  $ mqrel simulate models/rabbitmq-quorum-3.yaml --runs 400 --horizon "30000 years" --seed 7 --json
  $ mqrel simulate models/default.yaml --target-rel-error 0.05 --runs 10000

Ctrl-C stops the simulation and prints the estimates of the runs finished so far (exit 130).`,
    )
    .action(async (file: string, options: SimulationOptions) => {
      const t = terminal();
      const { loadModel } = await import("../model/index.js");
      const model = loadModel(file);
      const parsed = parseSimulationOptions(options, model);
      const { config, result, interrupted } = await runModelSimulation(t, model, parsed);
      const report = await import("../report/simulateReport.js");
      const context = { model: model.name, file: model.file, seed: parsed.seed, mode: parsed.mode, horizonHours: config.horizonHours };
      if (options.json) writeJson(t, report.simulateJson(context, result));
      else t.stdout.write(report.simulateText(context, result, t.out));
      if (interrupted) setExitCode(130);
    });
}
