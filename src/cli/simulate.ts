import { Chalk } from "chalk";
import { Command } from "commander";
import { chosenFormat, outputWidth, toFile, writeResult } from "./output.js";
import { parseSimulationOptions, runModelSimulation, type SimulationOptions, simulationOptions } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

export function simulateCommand(terminal: () => Terminal, setExitCode: (code: number) => void): Command {
  const command = new Command("simulate")
    .description("Monte Carlo fault injection: simulate the model's cluster and estimate every metric with a 95% CI")
    .argument("<model>", "model file, or - for standard input");
  for (const option of simulationOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
Examples:
  $ mqrel simulate models/default.yaml
  $ mqrel simulate models/rabbitmq-quorum-3.yaml --runs 400 --horizon "30000 years" --seed 7 --json
  $ mqrel simulate models/default.yaml --target-rel-error 0.05 --runs 10000
  $ mqrel simulate models/default.yaml --set cluster.repair_crews=1 --output sim.json --json

Ctrl-C stops the simulation and prints the estimates of the runs finished so far (exit 130).`,
    )
    .action(async (file: string, options: SimulationOptions, self: Command) => {
      const t = terminal();
      const format = chosenFormat(options, self.getOptionValueSource("format") === "cli");
      const [{ parseOverrides }, { modelLoader }] = await Promise.all([import("../resolveParams.js"), import("./modelFiles.js")]);
      const overrides = parseOverrides(options.set ?? []);
      const load = await modelLoader([file], t, { strictUnits: options.strictUnits === true });
      const model = load(file, overrides);
      const parsed = parseSimulationOptions(options, model);
      const { config, result, interrupted } = await runModelSimulation(t, model, parsed);
      const report = await import("../report/simulateReport.js");
      const context = { model: model.name, file: model.file, seed: parsed.seed, mode: parsed.mode, horizonHours: config.horizonHours };
      const chalk = toFile(options.output) ? new Chalk({ level: 0 }) : t.out;
      const text =
        format === "json"
          ? `${JSON.stringify(report.simulateJson(context, result), null, 2)}\n`
          : report.simulateText(context, result, chalk, { width: outputWidth(t, options.output) });
      writeResult(t, options.output, text);
      if (interrupted) setExitCode(130);
    });
}
