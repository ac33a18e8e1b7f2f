/**
 * A simulation by the method decided (estimate/methodChoice.ts), in parts:
 *
 * - plain Monte Carlo: one part, `runs` runs over the horizon;
 * - importance sampling: one part of ⌈cycles / CYCLES_PER_RUN⌉ runs of regenerative
 *   cycles for the cluster's metrics, and — when the model also has messages, retries or
 *   redeliveries, which importance sampling does not estimate, or realistic mechanics
 *   under which some cluster metrics depend on more than the mean repair time
 *   (estimate/insensitivity.ts) — a plain part of `runs` runs for those (its own target
 *   relative error applies to them only).
 *
 * Each part's totals are exact, so a shard of a simulation (`shard` i of N: runs
 * [⌊(i−1)·R/N⌋, ⌊i·R/N⌋) of every part) saves them, and {@link combineParts} makes the
 * same estimates from merged shards as from one unsharded simulation: both go through it.
 */

import { METRIC_IDS, type MetricId } from "../../metrics/index.js";
import type { Estimate, SimulationSummary, TargetCheck } from "../estimate/estimate.js";
import { sensitiveMetrics } from "../estimate/insensitivity.js";
import { CYCLES_PER_RUN, DEFAULT_BIAS, type MethodDecision } from "../estimate/methodChoice.js";
import type { SimConfig } from "../kernel/config.js";
import { type KernelSpec, kernelFor, PLAIN, type SimulationTotals } from "./methodKernel.js";
import { type Progress, runSimulation, type SimulationResult } from "./scheduler.js";

export interface MethodRunOptions {
  readonly decision: MethodDecision;
  /** plain Monte Carlo runs (of the whole simulation) */
  readonly runs: number;
  /** importance-sampling cycles asked for (rounded up to whole runs of CYCLES_PER_RUN) */
  readonly cycles: number;
  readonly seed: number;
  readonly workers: number;
  readonly targetRelativeError?: number;
  /**
   * The metrics the target watches (default {@link TARGET_DEFAULT}: the cluster's and the
   * queue's); the others are estimated and reported, never waited for.
   */
  readonly targetMetrics?: readonly string[];
  /** 1-based shard index and shard count: simulate only that slice of every part */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly onProgress?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
}

/** One part of a simulation: its kernel, its runs in the whole simulation, and the slice simulated. */
export interface SimulationPart {
  readonly kernel: KernelSpec;
  readonly runs: number;
  readonly range: { readonly start: number; readonly end: number };
  readonly totals: SimulationTotals;
  readonly stoppedEarly: SimulationResult["stoppedEarly"];
  readonly target?: TargetCheck;
}

export interface SimulationOutcome extends SimulationResult {
  readonly decision: MethodDecision;
  readonly parts: readonly SimulationPart[];
  /** the plain part's result (message metrics, or everything with plain Monte Carlo) */
  readonly plain?: SimulationResult;
  /** the importance-sampling part's result, with cycles asked for and done */
  readonly importance?: SimulationResult & { readonly cyclesRequested: number; readonly cyclesDone: number };
}

/**
 * Does the simulation have metrics importance sampling does not estimate: beyond the
 * cluster's, or the cluster's that depend on more than the mean repair time under
 * realistic mechanics (estimate/insensitivity.ts)?
 */
export function needsPlainPart(config: SimConfig): boolean {
  return (
    config.durability !== undefined ||
    config.messages !== undefined ||
    config.retry !== undefined ||
    config.duplicates !== undefined ||
    sensitiveMetrics(config).size > 0
  );
}

/** Does importance sampling estimate this metric (with these mechanics)? Beside it, a plain part answers for the rest. */
function estimatedByImportance(config: SimConfig): (id: string) => boolean {
  const sensitive = sensitiveMetrics(config);
  return (id) => CLUSTER_METRICS.has(id) && !sensitive.has(id as MetricId);
}

/** The parts a decision makes: kernels and their run counts. */
export function plannedParts(
  config: SimConfig,
  decision: MethodDecision,
  runs: number,
  cycles: number,
): { kernel: KernelSpec; runs: number }[] {
  if (decision.used === "plain") return [{ kernel: PLAIN, runs }];
  const importance = {
    kernel: { kind: "is" as const, bias: DEFAULT_BIAS, cyclesPerRun: CYCLES_PER_RUN },
    runs: Math.ceil(cycles / CYCLES_PER_RUN),
  };
  return needsPlainPart(config) ? [importance, { kernel: PLAIN, runs }] : [importance];
}

/** Runs [⌊(i−1)·R/N⌋, ⌊i·R/N⌋) of R for shard i of N (exact for any R < 2^53). */
export function shardRange(index: number, count: number, runs: number): { start: number; end: number } {
  const at = (i: number) => Number((BigInt(i) * BigInt(runs)) / BigInt(count));
  return { start: at(index - 1), end: at(index) };
}

export async function simulateByMethod(config: SimConfig, options: MethodRunOptions): Promise<SimulationOutcome> {
  const planned = plannedParts(config, options.decision, options.runs, options.cycles);
  const parts: SimulationPart[] = [];
  for (const [i, { kernel, runs }] of planned.entries()) {
    if (options.signal?.aborted && parts.length > 0) break;
    const range = options.shard ? shardRange(options.shard.index, options.shard.count, runs) : { start: 0, end: runs };
    if (range.end === range.start) {
      // more shards than runs: this shard has none of this part
      parts.push({ kernel, runs, range, totals: kernelFor(config, kernel).newTotals(), stoppedEarly: undefined });
      continue;
    }
    const clusterOnly = kernel.kind === "plain" && planned.length > 1;
    const watched = new Set<string>(options.targetMetrics ?? TARGET_DEFAULT);
    const byImportance = estimatedByImportance(config);
    const result = await runSimulation(config, {
      runs,
      seed: options.seed,
      workers: options.workers,
      kernel,
      ...(options.shard ? { range } : {}),
      ...(options.targetRelativeError !== undefined ? { targetRelativeError: options.targetRelativeError } : {}),
      // beside importance sampling, the plain part answers for the message metrics only
      targetMetrics: clusterOnly ? (id: string) => !byImportance(id) && watched.has(id) : (id: string) => watched.has(id),
      ...(options.onProgress
        ? {
            onProgress: (p: Progress) =>
              options.onProgress?.({
                runsDone: p.runsDone,
                fraction: (i + p.fraction) / planned.length,
                label:
                  kernel.kind === "is"
                    ? `${p.runsDone * kernel.cyclesPerRun}/${(range.end - range.start) * kernel.cyclesPerRun} cycles`
                    : `${p.runsDone}/${range.end - range.start} runs`,
              }),
          }
        : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    parts.push({
      kernel,
      runs,
      range,
      totals: result.totals,
      stoppedEarly: result.stoppedEarly,
      ...(result.target ? { target: result.target } : {}),
    });
  }
  return combineParts(config, options.decision, parts);
}

/** The metrics importance sampling answers for; beside it, a plain part answers for the rest. */
const CLUSTER_METRICS: ReadonlySet<string> = new Set(METRIC_IDS.filter((id) => id.startsWith("cluster.") || id.startsWith("queue.")));

/**
 * What `--target-rel-error` watches unless `--target-metric` says otherwise: the metrics
 * of the cluster's timeline (availability, downtime, MTTF, outages, the queue's
 * availability), which every run informs. Message loss and retry failure can be rare
 * enough (a confirmed message lost once in 10^9) that ±5 % would need hours of plain
 * runs: they are estimated and reported with their intervals, and waited for only when
 * named.
 */
export const TARGET_DEFAULT: readonly string[] = [...CLUSTER_METRICS];

/**
 * Estimates from the parts' totals: each part summarised by its kernel; with importance
 * sampling, the cluster's metrics from it and the others from the plain part.
 */
export function combineParts(config: SimConfig, decision: MethodDecision, parts: readonly SimulationPart[]): SimulationOutcome {
  const results = parts.map((part) => partResult(config, part));
  const plainIndex = parts.findIndex((part) => part.kernel.kind === "plain");
  const importanceIndex = parts.findIndex((part) => part.kernel.kind === "is");
  const plain = plainIndex >= 0 ? results[plainIndex] : undefined;
  const importanceResult = importanceIndex >= 0 ? results[importanceIndex] : undefined;
  const primary = (plain ?? importanceResult) as SimulationResult;
  let summary: SimulationSummary = primary.summary;
  const byImportance = estimatedByImportance(config);
  if (importanceResult) {
    const owned = importanceResult.summary.metrics;
    const metrics: Partial<Record<MetricId, Estimate>> = {};
    const entries = { ...(plain?.summary.metrics ?? {}), ...owned } as Partial<Record<MetricId, Estimate>>;
    for (const id of METRIC_IDS) {
      const estimate = entries[id];
      if (estimate === undefined) continue;
      // beside importance sampling, the plain part's cluster metrics are left out, but for
      // those importance sampling does not estimate with these mechanics
      if (!(id in owned) && byImportance(id)) continue;
      metrics[id] = estimate;
    }
    summary = {
      ...(plain ? plain.summary : importanceResult.summary),
      metrics,
      ...(importanceResult.summary.importance ? { importance: importanceResult.summary.importance } : {}),
    };
  }
  const stopped = parts.map((part) => part.stoppedEarly);
  const stoppedEarly = stopped.includes("interrupted")
    ? "interrupted"
    : stopped.length > 0 && stopped.every((s) => s === "target")
      ? "target"
      : undefined;
  const targets = parts.flatMap((part) => (part.target ? [part.target] : []));
  const target: TargetCheck | undefined = targets.length > 0 ? combinedTarget(targets) : undefined;
  const importancePart = importanceIndex >= 0 ? parts[importanceIndex] : undefined;
  return {
    summary,
    totals: primary.totals,
    runsRequested: primary.runsRequested,
    runsDone: primary.runsDone,
    stoppedEarly,
    ...(target ? { target } : {}),
    workersUsed: Math.max(...results.map((r) => r.workersUsed)),
    decision,
    parts,
    ...(plain ? { plain } : {}),
    ...(importanceResult && importancePart
      ? {
          importance: {
            ...importanceResult,
            cyclesRequested: (importancePart.range.end - importancePart.range.start) * cyclesPerRun(importancePart.kernel),
            cyclesDone: importanceResult.summary.importance?.cycles ?? 0,
          },
        }
      : {}),
  };
}

function cyclesPerRun(kernel: KernelSpec): number {
  return kernel.kind === "is" ? kernel.cyclesPerRun : 1;
}

function partResult(config: SimConfig, part: SimulationPart): SimulationResult {
  return {
    summary: kernelFor(config, part.kernel).summarize(part.totals),
    totals: part.totals,
    runsRequested: part.range.end - part.range.start,
    runsDone: part.totals.runs,
    stoppedEarly: part.stoppedEarly,
    ...(part.target ? { target: part.target } : {}),
    workersUsed: 1,
  };
}

/** The parts' targets as one: met when every part's is; a metric watched by any part is not "unwatched". */
function combinedTarget(targets: readonly TargetCheck[]): TargetCheck {
  const watched = [...new Set(targets.flatMap((t) => t.watched))];
  const unwatched = new Map<string, TargetCheck["unwatched"][number]>();
  for (const t of targets)
    for (const u of t.unwatched) if (!watched.includes(u.metric) && !unwatched.has(u.metric)) unwatched.set(u.metric, u);
  const pilot = targets.find((t) => t.pilot !== undefined)?.pilot;
  return {
    met: targets.every((t) => t.met),
    watched,
    missed: targets.flatMap((t) => t.missed),
    unwatched: [...unwatched.values()],
    ...(pilot ? { pilot } : {}),
  };
}
