import { Chalk } from "chalk";
import { Command, Option } from "commander";
import { InputError } from "../errors.js";
import { writeFileAtomically } from "./atomicWrite.js";
import { collect } from "./output.js";
import type { Terminal } from "./terminal.js";

export function checkCommand(terminal: () => Terminal, setExitCode: (code: number) => void): Command {
  return new Command("check")
    .description("check every model's slo: thresholds (a CI gate: exit 1 when one is violated)")
    .argument("<model|dir...>", "model files or directories (searched for .yaml, .yml, .json)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json", "junit", "github"]).default("table"))
    .option("-o, --output <file>", "write the report to a file (atomically) instead of stdout")
    .option("--set <path=value>", "override a field in every model for this run (repeatable)", collect, [])
    .addHelpText(
      "after",
      `
Thresholds (the slo: block, keyed by metric id):
  cluster.availability: ">= 99.99%"     cluster.availability: "> 4 nines"
  message.loss: "<= 1e-9"               cluster.mttf: ">= 10 years"
  cluster.downtime_per_year: "<= 1 h"   retry.success: ">= 0.999999"

Examples:
  $ mqrel check models/
  $ mqrel check models/ --format junit --output mqrel-junit.xml
  $ mqrel check models/ --format github        # ::error annotations on the threshold's line

Exit: 0 every threshold met, 1 one is violated, 2 a model is invalid (the others are
still checked and reported).`,
    )
    .action(async (paths: string[], options: { format: string; output?: string; set: string[] }) => {
      const t = terminal();
      const [{ loadModel }, { evaluateMetrics }, { checkModels }, report, { expandModelPaths }, { parseOverrides }] = await Promise.all([
        import("../model/index.js"),
        import("../model/metrics.js"),
        import("../slo/check.js"),
        import("../report/checkReport.js"),
        import("./modelFiles.js"),
        import("../resolveParams.js"),
      ]);
      const overrides = parseOverrides(options.set);
      const files = expandModelPaths(paths);
      if (files.length === 0) throw new InputError("no model files (.yaml, .yml, .json) found", { path: paths.join(" ") });
      const checked = checkModels(files, (file) => {
        const model = loadModel(file, overrides);
        return { model, metrics: evaluateMetrics(model) };
      });
      for (const error of checked.errors) t.stderr.write(`${t.err.red("error:")} ${error.message}\n`);
      const chalk = options.output !== undefined ? new Chalk({ level: 0 }) : t.out;
      const text =
        options.format === "json"
          ? `${JSON.stringify(report.checkJson(checked), null, 2)}\n`
          : options.format === "junit"
            ? report.checkJunit(checked)
            : options.format === "github"
              ? report.checkGithub(checked)
              : report.checkText(checked, chalk);
      if (options.output !== undefined) writeFileAtomically(options.output, text);
      else t.stdout.write(text);
      setExitCode(checked.errors.length > 0 ? 2 : checked.pass ? 0 : 1);
    });
}
