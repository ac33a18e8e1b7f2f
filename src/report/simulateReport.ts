/** Renderers for `mqrel simulate`: one result object → text or JSON. */
import type { ChalkInstance } from "chalk";
import { type MetricId, metricSpec } from "../metrics/index.js";
import type { Estimate, SimulationSummary } from "../sim/estimate.js";
import type { SimulationResult } from "../sim/runner.js";
import { exact, formatHours, short } from "./format.js";
import { makeTable } from "./table.js";

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
    return `\n${chalk.yellow(`interrupted: estimates from the ${result.runsDone} of ${result.runsRequested} runs made (the last ones cut short where they were)`)}`;
  }
  const target = result.target;
  if (target === undefined) return "";
  if (result.stoppedEarly === "target") {
    return `\nstopped after ${result.runsDone} of ${result.runsRequested} runs: every interval met the target relative error`;
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

export function simulateText(context: SimulationContext, result: SimulationResult, chalk: ChalkInstance): string {
  const table = makeTable(chalk, ["metric", "estimate", "95% CI", "events", "method"], { lastColumnWidth: 56 });
  for (const [id, e] of metricEntries(result.summary)) {
    const shown = formatEstimate(id, e);
    table.push([id, shown.value, shown.ci, e.enough ? String(e.events) : chalk.yellow(`${e.events} (too few)`), chalk.dim(e.method)]);
  }
  const head = `${chalk.bold(context.model)}  ${chalk.dim(context.file)}\nsimulated ${result.runsDone} runs × ${formatHours(context.horizonHours)} (${exact(result.summary.nodeEvents)} node events), seed ${context.seed}, ${context.mode} mechanics`;
  return `${head}${stopText(result, chalk)}\n${table.toString()}\n`;
}
