import { Command, type Option } from "commander";
import { chosenFormat, collect, formatOptions, outputWidth, writeJson } from "./output.js";
import { checkUnits, defaultPlanMetric, parseMetricId, strictUnitsOption } from "./planOptions.js";
import { planProgress } from "./planProgress.js";
import type { Terminal } from "./terminal.js";

interface SensitivityOptions {
  metric?: string;
  by: string;
  set: string[];
  json?: boolean;
  format?: string;
  strictUnits?: boolean;
}

export function sensitivityCommand(terminal: () => Terminal): Command {
  const [formatOption, jsonOption] = formatOptions(["table", "json"], "table") as [Option, Option];
  return new Command("sensitivity")
    .description("which input moves a metric most: every numeric input moved down and up, ranked by the swing in nines")
    .argument("<model>", "model file")
    .option("--metric <id>", "the metric to watch (default: cluster.availability; fleet.availability for a fleet)")
    .option("--by <change>", "relative change of each continuous input, e.g. 10% or 0.25; at least 1e-6 (0.0001 %), below 100 %", "10%")
    .option("--set <path=value>", "override a field first (repeatable)", collect, [])
    .addOption(strictUnitsOption())
    .addOption(formatOption)
    .addOption(jsonOption)
    .addHelpText(
      "after",
      `
Each input is multiplied by 1 − by and 1 + by through its own expression (units and params
intact); probabilities near 1 (availability, per-attempt success) move on their complement;
counts (nodes, crews, replicas, attempts) move by one. The swing is the spread, in decades
(nines), of the metric over the two ends and the model itself. Counts are ranked apart.
The line above the chart says what the downtime is made of: each failure mechanism removed
in turn.

JSON: {"metric", "rows": [{"path", "value_low", "value_high", "swing_nines", …}], "count_rows", …}
with value_low/value_high the metric at the lower/upper end of the input.

Examples:
  $ mqrel sensitivity models/default.yaml --metric cluster.availability
  $ mqrel sensitivity models/kafka-acks1.yaml --metric message.loss --by 50%
  $ mqrel sensitivity models/rabbitmq-quorum-3.yaml --json`,
    )
    .action(async (file: string, options: SensitivityOptions, self: Command) => {
      const t = terminal();
      const json = chosenFormat(options, self.getOptionValueSource("format") === "cli") === "json";
      const [{ readModelFile }, plan, report, { parseOverrides }] = await Promise.all([
        import("../model/index.js"),
        import("../plan/index.js"),
        import("../report/sensitivityReport.js"),
        import("../catalog/resolveParams.js"),
      ]);
      const overrides = parseOverrides(options.set);
      const by = plan.parseBy(options.by);
      const evaluator = new plan.Evaluator(readModelFile(file), overrides, { strictUnits: options.strictUnits === true });
      const metric = options.metric !== undefined ? parseMetricId(options.metric) : defaultPlanMetric(evaluator);
      checkUnits(t, evaluator, []);
      const progress = planProgress(t, "sensitivity", !json);
      evaluator.onPoint = progress.listener;
      let result: import("../plan/index.js").SensitivityResult;
      try {
        result = plan.sensitivity(evaluator, metric, by);
      } finally {
        progress.stop();
      }
      if (json) writeJson(t, report.sensitivityJson(result));
      else t.stdout.write(report.sensitivityText(result, t.out, outputWidth(t)));
    });
}
