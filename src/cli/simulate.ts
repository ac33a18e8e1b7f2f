import { Chalk } from "chalk";
import { Command, Option } from "commander";
import { EXIT_INTERRUPTED, InputError } from "../common/errors.js";
import { refuseOutputOverInput } from "./atomicWrite.js";
import { checkOutput, chosenFormat, outputWidth, toFile, writeResult } from "./output.js";
import { checkShardOptions, parseShardChoice, SHARD_COUNT_ENV, shardPath, writeShard } from "./shard.js";
import { parseSimulationOptions, runModelSimulation, type SimulationOptions, simulationOptions } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

export function simulateCommand(terminal: () => Terminal, setExitCode: (code: number) => void, version: string): Command {
  const command = new Command("simulate")
    .description("Monte Carlo fault injection: simulate the model's cluster and estimate every metric with a 95% CI")
    .argument("<model>", "model file, or - for standard input");
  for (const option of simulationOptions()) command.addOption(option);
  command.addOption(
    new Option(
      "--shard <i/N>",
      "simulate only shard i of N (i from 1; or N alone, with i = JOB_COMPLETION_INDEX + 1) and write it to --out; combine with mqrel merge",
    ),
  );
  command.addOption(
    new Option("--out <file>", "the shard file to write (- : standard output); alone: the whole simulation as shard 1 of 1"),
  );
  return command
    .addHelpText(
      "after",
      `
Examples:
  $ mqrel simulate models/default.yaml
  $ mqrel simulate models/rabbitmq-quorum-3.yaml --runs 100 --horizon "2000 years" --seed 7 --json
  # stop once the cluster's intervals are within ±5 % (the message metrics are reported, not waited for)
  $ mqrel simulate models/default.yaml --target-rel-error 0.05
  # ... and wait for the loss estimate too
  $ mqrel simulate models/kafka-acks1.yaml --target-rel-error 0.1 --target-metric message.loss --runs 10000
  $ mqrel simulate models/default.yaml --set cluster.repair_crews=3 --output sim.json --json
  $ mqrel simulate bench/models/quorum-5-1e-12.yaml --method is --target-rel-error 0.1
  $ mqrel simulate models/default.yaml --runs 4000 --shard 2/4 --out part-2.json
  $ mqrel merge part-*.json --json

Shards: the shard count may also come from ${SHARD_COUNT_ENV}, and the index from JOB_COMPLETION_INDEX
(0-based, as a Kubernetes Indexed Job sets it). --target-rel-error cannot be sharded.

Ctrl-C stops the simulation and prints the estimates of the runs finished so far (exit ${EXIT_INTERRUPTED}).`,
    )
    .action(async (file: string, options: SimulationOptions & { shard?: string; out?: string }, self: Command) => {
      const t = terminal();
      const format = chosenFormat(options, self.getOptionValueSource("format") === "cli");
      const [{ parseOverrides }, { modelLoader }] = await Promise.all([import("../catalog/resolveParams.js"), import("./modelFiles.js")]);
      const overrides = parseOverrides(options.set ?? []);
      const inputs = { files: [file], what: "the model file being simulated" };
      checkOutput(options.output, inputs);
      const load = await modelLoader([file], t, { strictUnits: options.strictUnits === true });
      const model = load(file, overrides);
      const parsed = parseSimulationOptions(options, model);
      const shard = parseShardChoice(options.shard, options.out, t.env);
      if (shard !== undefined) {
        // a shard file holds the cluster's totals only; the sites' runs are not split yet
        if (model.regions !== undefined) {
          throw new InputError(
            "a model with regions: is not sharded yet (its sites are simulated in one process): run mqrel simulate without --shard",
            { file: model.file, path: "--shard" },
          );
        }
        checkShardOptions(parsed, model, options.output);
        refuseOutputOverInput(shardPath(options.out as string, shard), { flag: "--out", inputs: inputs.files, what: inputs.what });
        const run = await runModelSimulation(t, model, parsed, shard);
        if (run.interrupted) {
          t.stderr.write("interrupted: no shard file written (a shard must hold every one of its runs)\n");
          setExitCode(EXIT_INTERRUPTED);
          return;
        }
        writeShard({
          terminal: t,
          model,
          config: run.config,
          parsed,
          runs: run.runs,
          cycles: run.cycles,
          choice: shard,
          outcome: run.result,
          out: options.out as string,
          version,
        });
        return;
      }
      const { config, result, interrupted } = await runModelSimulation(t, model, parsed);
      const report = await import("../report/simulateReport.js");
      const context = { model: model.name, file: model.file, seed: parsed.seed, mode: parsed.mode, horizonHours: config.horizonHours };
      const chalk = toFile(options.output) ? new Chalk({ level: 0 }) : t.out;
      const text =
        format === "json"
          ? `${JSON.stringify(report.simulateJson(context, result), null, 2)}\n`
          : report.simulateText(context, result, chalk, { width: outputWidth(t, options.output) });
      writeResult(t, options.output, text, inputs);
      if (interrupted) setExitCode(EXIT_INTERRUPTED);
    });
}
