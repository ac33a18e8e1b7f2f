import { Command, Option } from "commander";
import { EXIT_INTERRUPTED, InputError } from "../common/errors.js";
import { refuseOutputOverInput, writeFileAtomically } from "./atomicWrite.js";
import { collect } from "./output.js";
import { checkUnits, strictUnitsOption } from "./planOptions.js";
import { parseSimulationOptions, runModelSimulation, type SimulationOptions, simulationControlOptions } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

interface ReportOptions extends SimulationOptions {
  out?: string;
  output?: string;
  simulate?: boolean;
  set: string[];
}

export function reportCommand(terminal: () => Terminal, setExitCode: (code: number) => void, version: string): Command {
  const command = new Command("report")
    .description("one self-contained HTML report: parameters, metrics with SLO verdicts, charts (offline, no scripts)")
    .argument("<model>", "model file")
    .option("-o, --out <file>", "the HTML file to write (atomically; required; - : standard output)")
    // every other command writes its file with --output: the same word works here too
    .addOption(new Option("--output <file>", "the same as --out").hideHelp())
    .option("--simulate", "add simulated availability with 95% intervals beside the formula, and the estimate's convergence")
    .option("--set <path=value>", "override a field first (repeatable)", collect, [])
    .addOption(strictUnitsOption());
  // the convergence chart needs every run: no early stop (no target, nor what it watches)
  for (const option of simulationControlOptions()) {
    if (option.long !== "--target-rel-error" && option.long !== "--target-metric") command.addOption(option);
  }
  return command
    .addHelpText(
      "after",
      `
The report holds: the model's parameters; every metric with nines, downtime per year and
its SLO verdict; what dominates the downtime; charts — availability against node count and
against node MTTR (the model's formula beside the independent k-of-n and the article's
parallel formula), retry success against attempts, the sensitivity tornado, and with
--simulate the simulated availability with its intervals at 1 … nodes + 2 nodes and the
estimate's convergence over runs. A fleet model gets its metrics, fleet availability and
loss events against the broker count (one line per placement) and the tornado of
fleet.availability instead; --simulate adds the convergence of its simulated fleet
availability. Each chart has a title, axis titles and its data as a
table. Static SVG drawn by Vega; no network, no external fonts, no scripts (CSP
default-src 'none'); every string from the model file is HTML-escaped. Prints well.
--out - writes the page to standard output; --out never overwrites the model file.

Examples:
  $ mqrel report models/default.yaml --out report.html
  $ mqrel report models/default.yaml --simulate --out report.html
  $ mqrel report models/rabbitmq-quorum-3.yaml --simulate --runs 100 --horizon "5000 years" --out rabbitmq.html`,
    )
    .action(async (file: string, options: ReportOptions) => {
      const t = terminal();
      if (options.out !== undefined && options.output !== undefined && options.out !== options.output)
        throw new InputError("--out and --output name two files; give one", { path: "--output" });
      const out = options.out ?? options.output;
      if (out === undefined) throw new InputError("give --out FILE: the HTML file to write (e.g. --out report.html)", { path: "--out" });
      const flag = options.out !== undefined ? "--out" : "--output";
      const guard = { flag, inputs: [file], what: "the model file being reported on" };
      refuseOutputOverInput(out, guard);
      const [{ readModelFile }, { Evaluator }, plan, charts, html, { simConfigFromModel }, { parseOverrides }] = await Promise.all([
        import("../model/index.js"),
        import("../plan/index.js"),
        import("../plan/reportData.js"),
        import("../report/htmlCharts.js"),
        import("../report/htmlReport.js"),
        import("../sim/run/fromModel.js"),
        import("../catalog/resolveParams.js"),
      ]);
      const evaluator = new Evaluator(readModelFile(file), parseOverrides(options.set), { strictUnits: options.strictUnits === true });
      checkUnits(t, evaluator, []);
      let data = plan.reportData(evaluator);
      let interrupted = false;
      if (options.simulate) {
        const { model } = evaluator.base();
        const parsed = parseSimulationOptions(options, model);
        const { config, runs } = simConfigFromModel(model, {
          mode: parsed.mode,
          ...(parsed.horizonHours !== undefined ? { horizonHours: parsed.horizonHours } : {}),
          ...(parsed.runs !== undefined ? { runs: parsed.runs } : {}),
        });
        const simulate = async (m: typeof model, r?: number) => {
          const p = parseSimulationOptions(options, m);
          const { result, interrupted: stopped } = await runModelSimulation(t, m, r === undefined ? p : { ...p, runs: r });
          return { summary: result.summary, interrupted: stopped };
        };
        const simulated = await plan.simulateReport(evaluator, data, simulate, runs, {
          mode: parsed.mode,
          seed: parsed.seed,
          horizonHours: config.horizonHours,
        });
        data = simulated.data;
        interrupted = simulated.interrupted;
      }
      const figures = charts.reportCharts(data);
      const svgs = await html.renderSvgs(figures);
      const page = html.reportHtml(data, figures, svgs, version);
      const summary = `${figures.length} charts, ${Math.round(Buffer.byteLength(page) / 1024)} KiB${interrupted ? " (interrupted: simulated points so far)" : ""}`;
      // --out -: the page on standard output, what it holds on standard error
      if (out === "-") {
        t.stdout.write(page);
        t.stderr.write(`wrote standard output: ${summary}\n`);
      } else {
        writeFileAtomically(out, page, guard);
        t.stdout.write(`wrote ${out}: ${summary}\n`);
      }
      if (interrupted) setExitCode(EXIT_INTERRUPTED);
    });
}
