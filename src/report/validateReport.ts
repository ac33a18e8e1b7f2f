/** Renderers for `mqrel validate`: analytic beside simulated, with verdicts. */
import type { ChalkInstance } from "chalk";
import { nines } from "../catalog.js";
import type { Comparison } from "../validate/validate.js";
import { formatHours, formatNines, short } from "./format.js";
import { formatEstimate, type SimulationContext } from "./simulateReport.js";
import { makeTable } from "./table.js";

const HOURS_METRICS = new Set(["cluster.mttf", "cluster.downtime_per_year"]);

function analyticText(row: Comparison): string {
  if (Number.isNaN(row.analytic)) return "—";
  if (HOURS_METRICS.has(row.metric)) return formatHours(row.analytic);
  if (row.analyticComplement !== undefined && row.analyticComplement < 0.5) return `1 − ${short(row.analyticComplement)}`;
  return short(row.analytic);
}

function verdictText(row: Comparison): string {
  if (row.verdict !== "disagrees") return row.verdict;
  const sigmas = Number.isFinite(row.z) ? `${Math.abs(row.z as number).toFixed(1)} SE` : "∞ SE";
  return `disagrees (${sigmas}; the formula is ${row.direction})`;
}

export function validateJson(context: SimulationContext, rows: readonly Comparison[], runsDone: number): unknown {
  return {
    model: context.model,
    file: context.file,
    seed: context.seed,
    mode: context.mode,
    runs: runsDone,
    horizon_hours: context.horizonHours,
    comparisons: rows.map((row) => ({
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

export function validateText(context: SimulationContext, rows: readonly Comparison[], runsDone: number, chalk: ChalkInstance): string {
  const table = makeTable(chalk, ["metric", "formula", "analytic", "simulated", "95% CI", "verdict"], { lastColumnWidth: 44 });
  for (const row of rows) {
    const shown = row.simulated ? formatEstimate(row.metric, row.simulated) : { value: "—", ci: "" };
    const verdict = verdictText(row);
    const coloured =
      row.verdict === "agrees" ? chalk.green(verdict) : row.verdict === "disagrees" ? chalk.red(verdict) : chalk.yellow(verdict);
    table.push([
      row.metric,
      row.formula,
      analyticText(row),
      shown.value,
      shown.ci,
      row.note ? `${coloured}: ${chalk.dim(row.note)}` : coloured,
    ]);
  }
  const lines = [
    `${chalk.bold(context.model)}  ${chalk.dim(context.file)}`,
    `${runsDone} runs × ${formatHours(context.horizonHours)}, seed ${context.seed}, ${context.mode === "formula" ? "simulator held to each formula's assumptions (--assume formula)" : "realistic mechanics"}`,
    table.toString(),
    ...plainWords(rows, context.mode),
  ];
  return `${lines.join("\n")}\n`;
}

/** What the comparison means, in sentences. */
function plainWords(rows: readonly Comparison[], mode: string): string[] {
  const sentences: string[] = [];
  const availability = rows.filter((row) => row.metric === "cluster.availability" && row.simulated);
  const simulated = availability[0]?.simulated;
  if (simulated?.complement !== undefined && simulated.complement > 0) {
    const simNines = nines(simulated.complement);
    for (const row of availability) {
      if (row.overstatesNines === undefined || row.analyticComplement === undefined) continue;
      const claim = formatNines(nines(row.analyticComplement));
      const gap = row.overstatesNines;
      const name = row.formula === "availability.parallel" ? "The article's parallel formula" : `${row.formula}`;
      if (Math.abs(gap) < 0.05 || row.verdict === "agrees") {
        sentences.push(`${name} claims ${claim}; the simulation shows ${simNines.toFixed(2)} nines: they agree.`);
      } else {
        sentences.push(
          `${name} claims ${claim}; the simulation shows ${simNines.toFixed(2)} nines (95% CI on the unavailability ${short(simulated.complementCi?.[0] ?? 0)} … ${short(simulated.complementCi?.[1] ?? 0)}): it ${gap > 0 ? "overstates" : "understates"} availability by ${Math.abs(gap).toFixed(2)} nines (${short(10 ** Math.abs(gap))}× ${gap > 0 ? "less" : "more"} downtime than simulated).`,
        );
      }
    }
  }
  if (mode === "formula") {
    sentences.push(
      rows.some((row) => row.primary && row.verdict === "disagrees")
        ? "Held to the formulas' own assumptions, a formula disagrees with the simulation: that is a bug in one of them."
        : "Held to the formulas' own assumptions, every formula that could be checked agrees with the simulation.",
    );
  }
  const few = rows.filter((row) => row.verdict === "too few events").map((row) => row.metric);
  if (few.length > 0) sentences.push(`Too few simulated events to judge ${[...new Set(few)].join(", ")}: raise --runs or --horizon.`);
  return sentences;
}
