/** Renderers for `mqrel solve`: the answer in words, or JSON (DESIGN.md §5 shape). */
import type { ChalkInstance } from "chalk";
import { metricSpec } from "../metrics/index.js";
import type { Candidate, SearchSpace, SolveResult } from "../plan/index.js";
import { printableDeep, withoutCommands } from "../text.js";
import { formatNines, modelHeading, plural, short } from "./format.js";
import { formatReadingLong, formatVaried } from "./planFormat.js";

function kindOf(result: SolveResult, path: string): string {
  return result.spaces.find((s) => s.path === path)?.kind ?? "plain";
}

function valuesText(result: SolveResult, candidate: Pick<Candidate, "values">): string {
  return [...candidate.values].map(([path, value]) => `${path} = ${formatVaried(kindOf(result, path), value)}`).join(", ");
}

function marginText(result: SolveResult, candidate: Candidate, meets: boolean): string {
  const { threshold, metric } = result;
  // met within the comparison's rounding tolerance (src/metrics/threshold.ts)
  if (meets && candidate.margin <= 0) return "0 (at the threshold)";
  if (threshold.nines !== undefined) return `${candidate.margin >= 0 ? "+" : "−"}${Math.abs(candidate.margin).toFixed(2)} nines`;
  const unit = metricSpec(metric).unit === "hours" ? " h" : "";
  return `${candidate.margin >= 0 ? "+" : "−"}${short(Math.abs(candidate.margin))}${unit}`;
}

function spaceText(space: SearchSpace): string {
  const kind = space.kind;
  const from = formatVaried(kind, space.from);
  const to = formatVaried(kind, space.to);
  if (space.method === "whole numbers") return `${space.path}: every whole number ${from}…${to} (${space.values.length})`;
  if (space.method === "values") return `${space.path}: ${space.values.length} values ${from}…${to}`;
  return `${space.path}: ${space.values.length}-point ${space.geometric ? "geometric" : "linear"} grid over ${from}…${to}${space.onComplement ? " (on 1 − value)" : ""}`;
}

/** The answer in words; model text escaped. */
export function solveText(raw: SolveResult, chalk: ChalkInstance): string {
  const result = printableDeep(raw);
  const lines = [modelHeading(chalk, result.model.name, result.model.file)];
  const target = `${result.metric} ${result.threshold.text}${result.thresholdFrom === "slo" ? " (the model's SLO)" : ""}`;
  const goal =
    result.goal === "cheapest"
      ? `the cheapest combination by ${result.minimize}`
      : result.goal === "min"
        ? "the smallest value"
        : "the largest value";
  if (result.answer !== undefined) {
    const answer = result.answer;
    const cost = answer.cost !== undefined ? ` at cost ${short(answer.cost)}` : "";
    lines.push(
      `${chalk.green.bold(valuesText(result, answer))}${cost}: ${goal} that meets ${target}`,
      `  ${result.metric} there: ${formatReadingLong(result.metric, answer.reading)}, margin ${marginText(result, answer, true)}`,
    );
    if (result.atRangeEnd) {
      lines.push(chalk.yellow(`  every value up to the end of the range meets it: the boundary may lie beyond — widen --range`));
    }
  } else {
    lines.push(chalk.red.bold(`Nothing in the searched range meets ${target}.`));
    if (result.floor !== undefined) {
      lines.push(
        `  The common cause alone keeps the unavailability at or above ${short(result.floor)} (${formatNines(result.floorNines)}) whatever ${result.paths.join(" and ")} ${result.paths.length > 1 ? "are" : "is"}: ${result.pruned} value${result.pruned === 1 ? "" : "s"} ruled out on that alone.`,
      );
    }
    if (result.best !== undefined) {
      lines.push(
        `  Best found: ${valuesText(result, result.best)}: ${formatReadingLong(result.metric, result.best.reading)} (margin ${marginText(result, result.best, false)})`,
      );
    }
  }
  const tolerance = result.tolerance !== undefined ? `, then bisection to a relative tolerance of ${short(result.tolerance)}` : "";
  lines.push(
    chalk.dim(
      `searched ${result.spaces.map((s) => spaceText(s)).join(" × ")}${tolerance}; ${plural(result.evaluated, "model")} computed` +
        `${result.refused > 0 ? `, ${result.refused} refused (not a valid model, or beyond mqrel's limits)` : ""}${result.pruned > 0 ? `, ${result.pruned} ruled out by the common-cause floor` : ""}`,
    ),
  );
  for (const refusal of result.refusals)
    lines.push(chalk.dim(`  refused at ${valuesText(result, { values: refusal.values })}: ${refusal.error}`));
  return withoutCommands(`${lines.join("\n")}\n`);
}

function valueJson(result: SolveResult, candidate: Pick<Candidate, "values"> | undefined): unknown {
  if (candidate === undefined) return null;
  if (result.paths.length === 1) return candidate.values.get(result.paths[0] as string)?.value ?? null;
  return Object.fromEntries([...candidate.values].map(([path, value]) => [path, value.value]));
}

function readingJson(candidate: Candidate): Record<string, unknown> {
  return {
    metric_value: candidate.reading.value,
    metric_complement: candidate.reading.complement ?? null,
    ...(candidate.reading.nines !== undefined ? { nines: candidate.reading.nines } : {}),
    margin: candidate.margin,
    ...(candidate.cost !== undefined ? { cost: candidate.cost } : {}),
  };
}

export function solveJson(result: SolveResult): unknown {
  const answer = result.answer;
  return {
    for: result.paths.length === 1 ? result.paths[0] : result.paths,
    value: valueJson(result, answer),
    metric: result.metric,
    metric_value: answer?.reading.value ?? null,
    target: result.threshold.text,
    target_from: result.thresholdFrom,
    met: result.met,
    goal: result.goal,
    ...(result.minimize !== undefined ? { minimize: result.minimize } : {}),
    ...(answer !== undefined ? readingJson(answer) : {}),
    at_range_end: result.atRangeEnd,
    searched: result.spaces.map((s) => ({
      path: s.path,
      method: s.method === "interval" ? (result.goal === "cheapest" ? "grid" : "grid, then bisection") : s.method,
      from: s.from.value,
      to: s.to.value,
      values: s.values.length,
      ...(s.method === "interval" ? { geometric: s.geometric, on_complement: s.onComplement } : {}),
    })),
    ...(result.tolerance !== undefined ? { tolerance: result.tolerance } : {}),
    evaluated: result.evaluated,
    refused: result.refused,
    refusals: result.refusals.map((r) => ({ value: valueJson(result, { values: r.values }), error: r.error })),
    pruned: result.pruned,
    ...(result.floor !== undefined ? { common_cause_floor: { unavailability: result.floor, nines: result.floorNines ?? null } } : {}),
    ...(result.best !== undefined ? { best: { value: valueJson(result, result.best), ...readingJson(result.best) } } : {}),
  };
}
