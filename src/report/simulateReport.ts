/** Renderers for `mqrel simulate`: one result object → text or JSON. */
import type { ChalkInstance } from "chalk";
import { type MetricId, metricSpec } from "../metrics/index.js";
import type { Estimate, SimulationSummary } from "../sim/estimate.js";
import type { SimulationResult } from "../sim/runner.js";
import { lineStart, printable } from "../text.js";
import { exact, formatHours, plural, short } from "./format.js";
import { fitLines, renderTable } from "./table.js";

export interface SimulationContext {
  readonly model: string;
  readonly file: string;
  readonly seed: number;
  readonly mode: string;
  readonly horizonHours: number;
}

export function simulateJson(context: SimulationContext, result: SimulationResult): unknown {
  return {
    model: context.model,
    file: context.file,
    seed: context.seed,
    mode: context.mode,
    runs: result.runsDone,
    runs_requested: result.runsRequested,
    horizon_hours: context.horizonHours,
    simulated_hours: result.summary.simulatedHours,
    node_events: result.summary.nodeEvents,
    ...(result.stoppedEarly ? { stopped_early: result.stoppedEarly } : {}),
    ...(result.target
      ? {
          target: {
            met: result.target.met,
            missed: result.target.missed.map((m) => ({
              metric: m.metric,
              relative_half_width: Number.isFinite(m.relativeHalfWidth) ? m.relativeHalfWidth : null,
            })),
          },
        }
      : {}),
    metrics: Object.fromEntries(
      metricEntries(result.summary).map(([id, e]) => [
        id,
        {
          estimate: e.estimate,
          ci: e.ci,
          method: e.method,
          ...(e.complement !== undefined ? { complement: e.complement, complement_ci: e.complementCi ?? null } : {}),
          standard_error: e.standardError,
          degrees_of_freedom: Number.isFinite(e.degreesOfFreedom) ? e.degreesOfFreedom : null,
          events: e.events,
          enough_events: e.enough,
        },
      ]),
    ),
  };
}

/** The summary's estimates, in the order the simulator reported them. */
function metricEntries(summary: SimulationSummary): [MetricId, Estimate][] {
  return Object.entries(summary.metrics) as [MetricId, Estimate][];
}

/** Why the simulation stopped where it did, and whether a target was met. */
export function stopText(result: SimulationResult, chalk: ChalkInstance): string {
  if (result.stoppedEarly === "interrupted") {
    return `\n${chalk.yellow(`interrupted: estimates from the ${result.runsDone} of ${plural(result.runsRequested, "run")} made (the last ones cut short where they were)`)}`;
  }
  const target = result.target;
  if (target === undefined) return "";
  if (result.stoppedEarly === "target") {
    return `\nstopped after ${result.runsDone} of ${plural(result.runsRequested, "run")}: every interval met the target relative error`;
  }
  if (target.met) return "";
  const missed = target.missed.map(
    (m) => `${m.metric} ±${Number.isFinite(m.relativeHalfWidth) ? `${short(m.relativeHalfWidth * 100)}%` : "∞"}`,
  );
  return `\n${chalk.yellow(`the target relative error was not met in ${result.runsDone} runs: ${missed.join(", ")}`)}`;
}

export function formatEstimate(id: MetricId, e: Estimate): { value: string; ci: string } {
  if (metricSpec(id).unit === "hours") {
    return { value: formatHours(e.estimate), ci: e.ci ? `${formatHours(e.ci[0])} … ${formatHours(e.ci[1])}` : "—" };
  }
  if (e.complement !== undefined && e.complement < 0.5 && e.complementCi) {
    return { value: `1 − ${short(e.complement)}`, ci: `1 − ${short(e.complementCi[1])} … 1 − ${short(e.complementCi[0])}` };
  }
  return { value: short(e.estimate), ci: e.ci ? `${short(e.ci[0])} … ${short(e.ci[1])}` : "—" };
}

export function simulateText(
  context: SimulationContext,
  result: SimulationResult,
  chalk: ChalkInstance,
  options: { width?: number } = {},
): string {
  const columns = [
    { header: "metric" },
    { header: "estimate", wrap: true, min: 10 },
    { header: "95% CI", wrap: true, min: 12 },
    { header: "events", wrap: true, min: 6 },
    { header: "method", wrap: true, min: 16 },
  ];
  const rows = metricEntries(result.summary).map(([id, e]) => {
    const shown = formatEstimate(id, e);
    return [
      id,
      shown.value,
      shown.ci,
      e.enough ? String(e.events) : { text: `${e.events} (too few)`, style: chalk.yellow },
      { text: e.method, style: chalk.dim },
    ];
  });
  const head = `${chalk.bold(lineStart(context.model))}  ${chalk.dim(printable(context.file))}\nsimulated ${plural(result.runsDone, "run")} × ${formatHours(context.horizonHours)} (${exact(result.summary.nodeEvents)} node events), seed ${context.seed}, ${context.mode} mechanics`;
  return `${fitLines(`${head}${stopText(result, chalk)}\n${renderTable(chalk, columns, rows, options.width)}`, options.width)}\n`;
}
