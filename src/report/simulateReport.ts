/**
 * Renderers for `mqrel simulate` (and `mqrel merge`, which prints the same): one result
 * object → text or JSON. With importance sampling, the output also states the method, the
 * cycles, the relative error reached and the variance reduction against plain Monte Carlo
 * (all computed in src/sim, only formatted here).
 */
import type { ChalkInstance } from "chalk";
import { METRIC, type MetricId, metricSpec } from "../metrics/index.js";
import type { Estimate, MessagePathOutcomes, SimulationSummary } from "../sim/estimate/estimate.js";
import type { SimulationResult } from "../sim/run/scheduler.js";
import type { SimulationOutcome } from "../sim/run/simulateByMethod.js";
import { describeMethod } from "./estimateMethod.js";
import { exact, formatHours, modelHeading, plural, short } from "./format.js";
import { fitLines, renderTable } from "./table.js";

export interface SimulationContext {
  readonly model: string;
  readonly file: string;
  readonly seed: number;
  readonly mode: string;
  readonly horizonHours: number;
}

/** The parts of a result from simulateByMethod (a plain SimulationResult is all plain). */
function outcomeOf(result: SimulationResult): Partial<SimulationOutcome> {
  return result as Partial<SimulationOutcome>;
}

const finiteOrNull = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);

/** `method`, `method_note` and, with importance sampling, `importance_sampling`: how the estimates were made. */
export function methodJson(result: SimulationResult): Record<string, unknown> {
  const outcome = outcomeOf(result);
  const info = result.summary.importance;
  return {
    method: info ? "importance sampling" : "plain",
    ...(outcome.decision && outcome.decision.reason !== "" ? { method_note: outcome.decision.reason } : {}),
    ...(info && outcome.importance
      ? {
          importance_sampling: {
            bias: info.bias,
            cycles: info.cycles,
            cycles_requested: outcome.importance.cyclesRequested,
            transitions: info.transitions,
            loss_cycles: info.lossCycles,
            regeneration: info.regeneration,
            mean_cycle_hours: finiteOrNull(info.meanCycleHours),
            plain_equivalent_hours: finiteOrNull(info.plainEquivalentHours),
          },
        }
      : {}),
  };
}

export function simulateJson(context: SimulationContext, result: SimulationResult): unknown {
  const outcome = outcomeOf(result);
  const importance = result.summary.importance !== undefined;
  // with importance sampling, runs and hours are those of the plain part (messages), if any
  const plain = importance ? outcome.plain : result;
  return {
    model: context.model,
    file: context.file,
    seed: context.seed,
    mode: context.mode,
    ...methodJson(result),
    ...(plain
      ? {
          runs: plain.runsDone,
          runs_requested: plain.runsRequested,
          horizon_hours: context.horizonHours,
          simulated_hours: plain.summary.simulatedHours,
          node_events: plain.summary.nodeEvents,
        }
      : {}),
    ...(result.stoppedEarly ? { stopped_early: result.stoppedEarly } : {}),
    ...(result.target
      ? {
          target: {
            met: result.target.met,
            ...(result.target.pilot ? { pilot_runs: result.target.pilot.runs } : {}),
            watched: result.target.watched,
            missed: result.target.missed.map((m) => ({
              metric: m.metric,
              relative_half_width: Number.isFinite(m.relativeHalfWidth) ? m.relativeHalfWidth : null,
            })),
            not_waited_for: result.target.unwatched.map((m) => ({
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
          method: describeMethod(e),
          ...(e.complement !== undefined ? { complement: e.complement, complement_ci: e.complementCi ?? null } : {}),
          standard_error: e.standardError,
          degrees_of_freedom: Number.isFinite(e.degreesOfFreedom) ? e.degreesOfFreedom : null,
          ...(e.basis.skewness !== undefined ? { skewness: e.basis.skewness } : {}),
          events: e.events,
          enough_events: e.enough,
          ...(e.varianceReduction !== undefined ? { variance_reduction: finiteOrNull(e.varianceReduction) } : {}),
          ...(e.relativeError !== undefined ? { relative_error: finiteOrNull(e.relativeError) } : {}),
        },
      ]),
    ),
    ...(result.summary.messagePath ? { message_path: messagePathJson(result.summary.messagePath) } : {}),
  };
}

/** The message path's outcomes (shares of accepted records), each exact on the simulated failovers. */
export function messagePathJson(outcomes: MessagePathOutcomes): unknown {
  const one = (e: Estimate) => ({
    share: e.estimate,
    ci: e.ci,
    standard_error: Number.isFinite(e.standardError) ? e.standardError : null,
    events: e.events,
    enough_events: e.enough,
    how: "exact on the simulated timeline",
  });
  return {
    lost_after_confirm: one(outcomes.lostConfirmed),
    lost_unconfirmed: one(outcomes.lostUnconfirmed),
    unconfirmed_survived: one(outcomes.unconfirmedSurvived),
  };
}

/** The summary's estimates, in the order the simulator reported them. */
function metricEntries(summary: SimulationSummary): [MetricId, Estimate][] {
  return Object.entries(summary.metrics) as [MetricId, Estimate][];
}

/** Why the simulation stopped where it did, and whether a target was met. */
export function stopText(result: SimulationResult, chalk: ChalkInstance): string {
  const importance = outcomeOf(result).importance;
  if (importance && result.summary.importance) {
    const done = importance.cyclesDone;
    const asked = plural(importance.cyclesRequested, "cycle");
    if (result.stoppedEarly === "interrupted") return `\n${chalk.yellow(`interrupted: estimates from the ${done} of ${asked} made`)}`;
    const pilot = result.target?.pilot;
    const before = pilot
      ? ` (a pilot of ${(pilot.runs * importance.cyclesRequested) / importance.runsRequested} cycles before them set that budget and is not in the estimates)`
      : "";
    if (result.stoppedEarly === "target" && result.target?.met !== false)
      return `\nstopped after ${done} of ${asked}${before}: every interval met the target relative error`;
  }
  if (result.stoppedEarly === "interrupted") {
    return `\n${chalk.yellow(`interrupted: estimates from the ${result.runsDone} of ${plural(result.runsRequested, "run")} made (the last ones cut short where they were)`)}`;
  }
  const target = result.target;
  if (target === undefined) return "";
  const halfWidth = (m: { metric: MetricId; relativeHalfWidth: number }) =>
    `${m.metric} ±${Number.isFinite(m.relativeHalfWidth) ? `${short(m.relativeHalfWidth * 100)}%` : "∞"}`;
  const unwatched =
    target.unwatched.length > 0
      ? `\nnot waited for: ${target.unwatched.map(halfWidth).join(", ")} (--target-metric <id> waits for one)`
      : "";
  const before = target.pilot ? ` (a pilot of ${target.pilot.runs} runs before them set that budget and is not in the estimates)` : "";
  if (result.stoppedEarly === "target" && target.met) {
    return `\nstopped after ${result.runsDone} of ${plural(result.runsRequested, "run")}${before}: every watched interval met the target relative error${unwatched}`;
  }
  if (target.met) return unwatched;
  return `\n${chalk.yellow(`the target relative error was not met in ${result.runsDone} runs${before}: ${target.missed.map(halfWidth).join(", ")}`)}${unwatched}`;
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
      { text: describeMethod(e), style: chalk.dim },
    ];
  });
  const head = `${modelHeading(chalk, context.model, context.file)}\n${methodLines(context, result).join("\n")}`;
  const foot = importanceFoot(result);
  return `${fitLines(`${head}${stopText(result, chalk)}\n${renderTable(chalk, columns, rows, options.width)}${foot.length > 0 ? `\n${foot.join("\n")}` : ""}`, options.width)}\n`;
}

/** How the estimates were made: runs × horizon, or importance-sampled cycles (and plain runs beside them), and why. */
export function methodLines(context: SimulationContext, result: SimulationResult): string[] {
  const outcome = outcomeOf(result);
  const info = result.summary.importance;
  const mechanics = `seed ${context.seed}, ${context.mode} mechanics`;
  const lines: string[] = [];
  if (info) {
    lines.push(
      `importance sampling: ${plural(info.cycles, "regenerative cycle")} from all-up (${info.regeneration}; balanced failure biasing, bias ${info.bias}; ${exact(info.transitions)} transitions), ${mechanics}`,
    );
    const plain = outcome.plain;
    if (plain) {
      // the region metrics come from runs of their own (the sites'), each row's method says how many
      const ids = Object.keys(result.summary.metrics).filter(
        (id) => result.summary.metrics[id as MetricId]?.varianceReduction === undefined && metricSpec(id as MetricId).block !== "regions",
      );
      lines.push(
        `plain Monte Carlo for ${ids.join(", ")}: ${plural(plain.runsDone, "run")} × ${formatHours(context.horizonHours)} (${exact(plain.summary.nodeEvents)} node events)`,
      );
    }
  } else {
    lines.push(
      `simulated ${plural(result.runsDone, "run")} × ${formatHours(context.horizonHours)} (${exact(result.summary.nodeEvents)} node events), ${mechanics}`,
    );
  }
  if (outcome.decision && outcome.decision.reason !== "") lines.push(outcome.decision.reason);
  return lines;
}

/** With importance sampling: the relative error reached and the variance reduction, in words. */
export function importanceFoot(result: SimulationResult): string[] {
  const info = result.summary.importance;
  if (!info) return [];
  const entries = metricEntries(result.summary).filter(([, e]) => e.relativeError !== undefined);
  const reached = entries.map(
    ([id, e]) => `${id} ±${Number.isFinite(e.relativeError) ? `${short((e.relativeError as number) * 100)} %` : "∞"}`,
  );
  const lines = [`Relative error reached (95 % half-width): ${reached.join(", ")}.`];
  const u = result.summary.metrics[METRIC.clusterAvailability];
  if (u?.varianceReduction !== undefined && Number.isFinite(u.varianceReduction) && Number.isFinite(info.plainEquivalentHours)) {
    lines.push(
      `Variance reduction against plain Monte Carlo on the unavailability: ${short(u.varianceReduction)}× per cycle; plain Monte Carlo would need about ${formatHours(info.plainEquivalentHours)} of simulated time for the same interval.`,
    );
  }
  return lines;
}
