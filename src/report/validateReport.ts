/** Renderers for `mqrel validate`: analytic beside simulated, with verdicts. */
import type { ChalkInstance } from "chalk";
import { METRIC, metricSpec } from "../metrics/index.js";
import type { SimulationResult } from "../sim/runner.js";
import { lineStart, printable } from "../text.js";
import type { Comparison, Validation } from "../validate/validate.js";
import { formatHours, formatNines, plural, short } from "./format.js";
import { formatEstimate, type SimulationContext, stopLine } from "./simulateReport.js";
import { fitLines, renderTable } from "./table.js";

function analyticText(row: Comparison): string {
  if (Number.isNaN(row.analytic)) return "—";
  if (metricSpec(row.metric).unit === "hours") return formatHours(row.analytic);
  if (row.analyticComplement !== undefined && row.analyticComplement < 0.5) return `1 − ${short(row.analyticComplement)}`;
  return short(row.analytic);
}

function verdictText(row: Comparison): string {
  if (row.verdict !== "disagrees") return row.verdict;
  const sigmas = Number.isFinite(row.z) ? `${Math.abs(row.z as number).toFixed(1)} SE` : "∞ SE";
  return `disagrees (${sigmas}; the formula is ${row.direction})`;
}

export function validateJson(context: SimulationContext, validation: Validation, result: SimulationResult): unknown {
  return {
    model: context.model,
    file: context.file,
    seed: context.seed,
    mode: context.mode,
    runs: result.runsDone,
    runs_requested: result.runsRequested,
    ...(result.stoppedEarly ? { stopped_early: result.stoppedEarly } : {}),
    horizon_hours: context.horizonHours,
    comparisons: validation.rows.map((row) => ({
      metric: row.metric,
      formula: row.formula,
      primary: row.primary,
      analytic: Number.isNaN(row.analytic) ? null : row.analytic,
      ...(row.analyticComplement !== undefined ? { analytic_complement: row.analyticComplement } : {}),
      ...(row.simulated
        ? {
            simulated: row.simulated.estimate,
            ci: row.simulated.ci,
            ...(row.simulated.complement !== undefined
              ? { simulated_complement: row.simulated.complement, complement_ci: row.simulated.complementCi ?? null }
              : {}),
            method: row.simulated.method,
            events: row.simulated.events,
          }
        : {}),
      verdict: row.verdict,
      ...(row.z !== undefined && Number.isFinite(row.z) ? { z: row.z } : {}),
      ...(row.direction ? { direction: row.direction } : {}),
      ...(row.overstatesNines !== undefined ? { overstates_nines: row.overstatesNines } : {}),
      ...(row.note ? { note: row.note } : {}),
    })),
  };
}

export function validateText(
  context: SimulationContext,
  validation: Validation,
  result: SimulationResult,
  chalk: ChalkInstance,
  options: { width?: number } = {},
): string {
  const columns = [
    { header: "metric" },
    { header: "formula", wrap: true, min: 12 },
    { header: "analytic", wrap: true, min: 10 },
    { header: "simulated", wrap: true, min: 10 },
    { header: "95% CI", wrap: true, min: 12 },
    { header: "verdict", wrap: true, min: 16 },
  ];
  const rows = validation.rows.map((row) => {
    const shown = row.simulated ? formatEstimate(row.metric, row.simulated) : { value: "—", ci: "" };
    const verdict = verdictText(row);
    const style = row.verdict === "agrees" ? chalk.green : row.verdict === "disagrees" ? chalk.red : chalk.yellow;
    return [
      row.metric,
      row.formula,
      analyticText(row),
      shown.value,
      shown.ci,
      { text: row.note ? `${verdict}: ${row.note}` : verdict, style },
    ];
  });
  const lines = [
    `${chalk.bold(lineStart(context.model))}  ${chalk.dim(printable(context.file))}`,
    `${plural(result.runsDone, "run")} × ${formatHours(context.horizonHours)}, seed ${context.seed}, ${context.mode === "formula" ? "simulator held to each formula's assumptions (--assume formula)" : "realistic mechanics"}${stopLine(result, chalk)}`,
    renderTable(chalk, columns, rows, options.width),
    ...plainWords(validation, context.mode),
  ];
  if (result.stoppedEarly === "interrupted") {
    lines.push(chalk.yellow(`Interrupted after ${plural(result.runsDone, "run")}: the verdicts rest on those runs only.`));
  }
  return `${fitLines(lines.join("\n"), options.width)}\n`;
}

/** What the comparison means, in sentences. */
function plainWords(validation: Validation, mode: string): string[] {
  const sentences: string[] = [];
  for (const row of validation.rows) {
    const simulated = row.simulated;
    if (row.overstatesNines === undefined || row.analyticNines === undefined || row.simulatedNines === undefined || !simulated) continue;
    if (!Number.isFinite(row.simulatedNines)) continue;
    if (row.metric !== METRIC.clusterAvailability) continue;
    const claim = formatNines(row.analyticNines);
    const shown = `${row.simulatedNines.toFixed(2)} nines`;
    const gap = row.overstatesNines;
    const name = row.formula === "availability.parallel" ? "The article's parallel formula" : `${row.formula}`;
    if (Math.abs(gap) < 0.05 || row.verdict === "agrees") {
      sentences.push(`${name} claims ${claim}; the simulation shows ${shown}: they agree.`);
    } else {
      sentences.push(
        `${name} claims ${claim}; the simulation shows ${shown} (95% CI on the unavailability ${short(simulated.complementCi?.[0] ?? 0)} … ${short(simulated.complementCi?.[1] ?? 0)}): it ${gap > 0 ? "overstates" : "understates"} availability by ${Math.abs(gap).toFixed(2)} nines (${short(10 ** Math.abs(gap))}× ${gap > 0 ? "less" : "more"} downtime than simulated).`,
      );
    }
  }
  if (mode === "formula") {
    sentences.push(
      validation.disagreement
        ? "Held to the formulas' own assumptions, a formula disagrees with the simulation: that is a bug in one of them."
        : "Held to the formulas' own assumptions, every formula that could be checked agrees with the simulation.",
    );
  }
  if (validation.tooFewEvents.length > 0) {
    sentences.push(`Too few simulated events to judge ${validation.tooFewEvents.join(", ")}: raise --runs or --horizon.`);
  }
  return sentences;
}
