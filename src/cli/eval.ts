import { Command, Option } from "commander";
import { InputError } from "../errors.js";
import { collect, writeJson } from "./output.js";
import type { Terminal } from "./terminal.js";

export function evalCommand(terminal: () => Terminal): Command {
  return new Command("eval")
    .description("evaluate every metric a model file defines, with the formula behind each; several models side by side")
    .argument("<model...>", "model files (YAML or JSON) or directories")
    .option("--set <path=value>", "override a field for this run, e.g. cluster.node.mttr=8h (repeatable)", collect, [])
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json", "markdown"]).default("table"))
    .addHelpText(
      "after",
      `
Examples:
  $ mqrel eval models/default.yaml
  $ mqrel eval models/rabbitmq-quorum-3.yaml --format json
  $ mqrel eval models/default.yaml --set cluster.nodes=5 --set "cluster.node.mttr=30 min"
  $ mqrel eval models/ --format markdown > availability.md`,
    )
    .action(async (paths: string[], options: { set: string[]; format: string }) => {
      const t = terminal();
      const { parseOverrides } = await import("../resolveParams.js");
      const overrides = parseOverrides(options.set);
      const [{ loadModel }, { evaluateMetrics }, report, { expandModelPaths }, { contributors }] = await Promise.all([
        import("../model/index.js"),
        import("../model/metrics.js"),
        import("../report/evalReport.js"),
        import("./modelFiles.js"),
        import("../plan/contributors.js"),
      ]);
      const files = expandModelPaths(paths);
      if (files.length === 0) throw new InputError("no model files (.yaml, .yml, .json) found", { path: paths.join(" ") });
      // Evaluate everything before printing anything: bad input never leaves half an output.
      const results = files.map((file) => {
        const model = loadModel(file, overrides);
        const metrics = evaluateMetrics(model);
        return { model, metrics, contributors: contributors(model, metrics) };
      });
      if (options.format === "json") writeJson(t, report.evalJson(results));
      else if (options.format === "markdown") t.stdout.write(report.evalMarkdown(results));
      else t.stdout.write(report.evalText(results, t.out));
    });
}
