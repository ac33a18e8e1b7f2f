/** Renderers for `mqrel validate`: analytic beside simulated, with verdicts. */
import type { ChalkInstance } from "chalk";
import { METRIC, metricSpec } from "../metrics/index.js";
import type { Contributors } from "../plan/index.js";
import type { Comparison, Validation } from "../validate/validate.js";
import { formatHours, formatNines, short } from "./format.js";
import { contributorSentence, contributorsJson } from "./planFormat.js";
import { formatEstimate, type SimulationContext } from "./simulateReport.js";
import { makeTable } from "./table.js";

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

export function validateJson(
  context: SimulationContext,
  validation: Validation,
  runsDone: number,
  contributors: readonly Contributors[] = [],
): unknown {
  return {
    model: context.model,
    file: context.file,
    seed: context.seed,
    mode: context.mode,
    runs: runsDone,
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
    contributors: contributors.map(contributorsJson),
  };
}

export function validateText(
  context: SimulationContext,
  validation: Validation,
  runsDone: number,
  chalk: ChalkInstance,
  contributors: readonly Contributors[] = [],
): string {
  const table = makeTable(chalk, ["metric", "formula", "analytic", "simulated", "95% CI", "verdict"], { lastColumnWidth: 44 });
  for (const row of validation.rows) {
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
    ...plainWords(validation, context.mode),
    ...contributors.map((c) => contributorSentence(c, "By the formulas, ")),
  ];
  return `${lines.join("\n")}\n`;
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
