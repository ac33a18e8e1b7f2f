/** Renderers for `mqrel solve`: the answer in words, or JSON (docs/design.md §5 shape). */
import type { ChalkInstance } from "chalk";
import { printableDeep } from "../common/text.js";
import { metricSpec } from "../metrics/index.js";
import type { Binding, Candidate, SearchSpace, SolveResult, SolveTarget, TargetReading } from "../plan/index.js";
import { formatNines, modelHeading, plural, short } from "./format.js";
import { formatReadingLong, formatVaried } from "./planFormat.js";
import { DEFAULT_WIDTH, MIN_WIDTH, quoteCommands, wrapText } from "./table.js";

function kindOf(result: SolveResult, path: string): string {
  return result.spaces.find((s) => s.path === path)?.kind ?? "plain";
}

function valuesText(result: SolveResult, candidate: Pick<Candidate, "values">): string {
  return [...candidate.values].map(([path, value]) => `${path} = ${formatVaried(kindOf(result, path), value)}`).join(", ");
}

function marginText(target: SolveTarget, margin: number, meets: boolean): string {
  const { threshold, metric } = target;
  // met within the comparison's rounding tolerance (src/metrics/threshold.ts)
  if (meets && margin <= 0) return "0 (at the threshold)";
  if (threshold.nines !== undefined) return `${margin >= 0 ? "+" : "−"}${Math.abs(margin).toFixed(2)} nines`;
  const unit = metricSpec(metric).unit === "hours" ? " h" : "";
  return `${margin >= 0 ? "+" : "−"}${short(Math.abs(margin))}${unit}`;
}

/** "message.loss <= 1e-12", and "(the model's SLO)" when it came from there. */
function targetText(target: SolveTarget): string {
  return `${target.metric} ${target.threshold.text.trim()}${target.from === "slo" ? " (the model's SLO)" : ""}`;
}

/** Several targets: one line each — its value at the candidate, its margin, and whether it binds or is missed. */
function targetLines(result: SolveResult, readings: readonly TargetReading[], binds: ReadonlySet<number>, indent = "  "): Line[] {
  return result.targets.map((target, i) => {
    const r = readings[i] as TargetReading;
    const tag = binds.has(i) ? " — binds" : r.pass ? "" : " — missed";
    return {
      text: `${indent}${targetText(target)}: ${formatReadingLong(target.metric, r.reading)}, margin ${marginText(target, r.margin, r.pass)}${tag}`,
    };
  });
}

/** Which target decides the answer, in words: what one step less demanding gives. */
function bindingLine(result: SolveResult, binding: Binding | undefined): string {
  const step = result.goal === "cheapest" ? "one step cheaper" : "one step less demanding";
  if (binding === undefined) {
    return result.goal === "cheapest"
      ? "  no target binds: the cheapest combination searched meets them all"
      : "  no target binds: the least demanding value searched meets them all";
  }
  const at = valuesText(result, binding);
  if (binding.why === "refused") return `  ${step}, ${at} is no valid model: the searched range's limit decides, not a target`;
  if (binding.why === "unread") return `  ${step}, ${at} computes no value for every target: no target binds`;
  const missed = binding.missed.map((i) => {
    const target = result.targets[i] as SolveTarget;
    const reading = binding.targets?.[i]?.reading;
    return `${target.metric} ${target.threshold.text.trim()}${reading !== undefined ? ` with ${formatReadingLong(target.metric, reading)}` : ""}`;
  });
  const by = binding.why === "pruned" ? " by the common-cause floor alone" : "";
  return `  ${step}, ${at} misses ${missed.join(" and ")}${by}: ${binding.missed.length === 1 ? "it binds" : "they bind"}`;
}

function spaceText(space: SearchSpace): string {
  const kind = space.kind;
  const from = formatVaried(kind, space.from);
  const to = formatVaried(kind, space.to);
  if (space.method === "whole numbers") return `${space.path}: every whole number ${from}…${to} (${space.values.length})`;
  if (space.method === "values") {
    // the values themselves, the middle ones elided when there are many
    const shown = space.values.map((v) => formatVaried(kind, v));
    const list = shown.length <= 6 ? shown : [...shown.slice(0, 3), "…", ...shown.slice(-2)];
    return `${space.path}: ${plural(space.values.length, "value")} ${list.join(", ")}`;
  }
  return `${space.path}: ${space.values.length}-point ${space.geometric ? "geometric" : "linear"} grid over ${from}…${to}${space.onComplement ? " (on 1 − value)" : ""}`;
}

/** A line of the answer: its text, its indentation when wrapped, and its colour. */
interface Line {
  readonly text: string;
  readonly style?: (text: string) => string;
}

/** A line broken at spaces to fit `width`: its own indentation kept, continuations two columns further in. */
function hanging(text: string, width: number): string[] {
  const content = text.trimStart();
  const lead = " ".repeat(text.length - content.length);
  const [first = "", ...rest] = wrapText(content, width - lead.length);
  const more = rest.length > 0 ? wrapText(rest.join(" "), width - lead.length - 2).map((piece) => `${lead}  ${piece}`) : [];
  return [`${lead}${first}`, ...more];
}

/**
 * The answer in words for a terminal of `width` columns (each line wrapped at spaces,
 * continued two columns further in); model text escaped.
 */
export function solveText(raw: SolveResult, chalk: ChalkInstance, width = DEFAULT_WIDTH): string {
  const result = printableDeep(raw);
  const lines: Line[] = [];
  const several = result.targets.length > 1;
  const [first] = result.targets as [SolveTarget];
  const target = several
    ? `${result.targets.length === 2 ? "both" : `all ${result.targets.length}`} targets`
    : `${first.metric} ${first.threshold.text}${first.from === "slo" ? " (the model's SLO)" : ""}`;
  const binds = new Set(result.binding?.missed ?? []);
  const goal =
    result.goal === "cheapest"
      ? `the cheapest combination by ${result.minimize}`
      : result.goal === "min"
        ? "the smallest value"
        : "the largest value";
  if (result.answer !== undefined) {
    const answer = result.answer;
    const cost = answer.cost !== undefined ? ` at cost ${short(answer.cost)}` : "";
    lines.push({ text: `${valuesText(result, answer)}${cost}: ${goal} that meets ${target}`, style: chalk.green.bold });
    if (several) lines.push(...targetLines(result, answer.targets, binds), { text: bindingLine(result, result.binding) });
    else {
      lines.push({
        text: `  ${first.metric} there: ${formatReadingLong(first.metric, answer.reading)}, margin ${marginText(first, answer.margin, true)}`,
      });
    }
    if (result.atRangeEnd) {
      lines.push({
        text: "  every value up to the end of the range meets it: the boundary may lie beyond — widen --range",
        style: chalk.yellow,
      });
    }
  } else {
    const listed = several ? `: ${result.targets.map((t) => targetText(t)).join(", ")}` : "";
    lines.push({ text: `Nothing in the searched range meets ${target}${listed}.`, style: chalk.red.bold });
    if (result.floor !== undefined) {
      lines.push({
        text: `  The common cause alone keeps the unavailability at or above ${short(result.floor)} (${formatNines(result.floorNines)}) whatever ${result.paths.join(" and ")} ${result.paths.length > 1 ? "are" : "is"}: ${result.pruned} value${result.pruned === 1 ? "" : "s"} ruled out on that alone.`,
      });
    }
    if (result.best !== undefined && several) {
      lines.push(
        { text: `  Best found: ${valuesText(result, result.best)}:` },
        ...targetLines(result, result.best.targets, new Set(), "    "),
      );
    } else if (result.best !== undefined) {
      lines.push({
        text: `  Best found: ${valuesText(result, result.best)}: ${formatReadingLong(first.metric, result.best.reading)} (margin ${marginText(first, result.best.margin, false)})`,
      });
    }
  }
  const tolerance = result.tolerance !== undefined ? `, then bisection to a relative tolerance of ${short(result.tolerance)}` : "";
  lines.push({
    text:
      `searched ${result.spaces.map((s) => spaceText(s)).join(" × ")}${tolerance}; ${plural(result.evaluated, "model")} computed` +
      `${result.refused > 0 ? `, ${result.refused} refused (not a valid model, or beyond mqrel's limits)` : ""}${result.pruned > 0 ? `, ${result.pruned} ruled out by the common-cause floor` : ""}`,
    style: chalk.dim,
  });
  for (const refusal of result.refusals)
    lines.push({ text: `  refused at ${valuesText(result, { values: refusal.values })}: ${refusal.error}`, style: chalk.dim });
  const fitTo = Math.max(MIN_WIDTH, width);
  const out = [modelHeading(chalk, result.model.name, result.model.file, width)];
  for (const line of lines) for (const piece of hanging(line.text, fitTo)) out.push(line.style ? line.style(piece) : piece);
  return quoteCommands(`${out.join("\n")}\n`, width);
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

/** Every target at a candidate (or with null values when there is none). */
function targetsJson(result: SolveResult, candidate: Candidate | undefined): unknown[] {
  const binds = new Set(result.binding?.missed ?? []);
  return result.targets.map((target, i) => {
    const r = candidate?.targets[i];
    return {
      metric: target.metric,
      target: target.threshold.text.trim(),
      target_from: target.from,
      value: r?.reading.value ?? null,
      complement: r?.reading.complement ?? null,
      ...(r?.reading.nines !== undefined ? { nines: r.reading.nines } : {}),
      margin: r?.margin ?? null,
      met: r?.pass ?? null,
      binds: candidate !== undefined && candidate === result.answer && binds.has(i),
    };
  });
}

function bindingJson(result: SolveResult, binding: Binding): unknown {
  return {
    value: valueJson(result, binding),
    missed: binding.missed.map((i) => (result.targets[i] as SolveTarget).metric),
    why: binding.why ?? "missed",
    ...(binding.targets !== undefined
      ? {
          values: binding.targets.map((t, i) => ({
            metric: (result.targets[i] as SolveTarget).metric,
            value: t.reading.value,
            complement: t.reading.complement ?? null,
            met: t.pass,
          })),
        }
      : {}),
  };
}

/**
 * The docs/design.md §5 shape. With several targets the single fields (metric,
 * metric_value, target, target_from, margin, …) are the first target's, and `targets`
 * holds every one with its value and margin at the answer and which binds.
 */
export function solveJson(result: SolveResult): unknown {
  const answer = result.answer;
  const [first] = result.targets as [SolveTarget];
  return {
    for: result.paths.length === 1 ? result.paths[0] : result.paths,
    value: valueJson(result, answer),
    metric: first.metric,
    metric_value: answer?.reading.value ?? null,
    target: first.threshold.text,
    target_from: first.from,
    targets: targetsJson(result, answer),
    binding: result.binding !== undefined ? bindingJson(result, result.binding) : null,
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
    ...(result.best !== undefined
      ? { best: { value: valueJson(result, result.best), ...readingJson(result.best), targets: targetsJson(result, result.best) } }
      : {}),
  };
}
