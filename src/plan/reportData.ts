/**
 * The numbers behind `mqrel report`: everything the HTML report shows, computed here so
 * that the renderer only lays it out.
 *
 * - the model's inputs as written, every metric with its SLO verdict, what dominates
 *   the downtime and the loss;
 * - availability (nines) against the node count and against the node MTTR, for the
 *   model's own formula beside the independent k-of-n and the article's parallel formula;
 * - retry success against attempts, the model's formula beside the article's (which
 *   ignores the deadline);
 * - the sensitivity of cluster availability (src/plan/sensitivity.ts) — of service
 *   availability for a model with `regions:`;
 * - with `regions:`, service availability and failovers a year against the failover delay
 *   `regions.failover.after` (the trade between false failovers and downtime);
 * - with a simulator: simulated availability with its 95 % interval at node counts up to
 *   two beyond the model's, and the convergence of the estimate over runs. Run i always
 *   uses the seed's i-th stream (src/sim/run/scheduler.ts), so the estimate after r runs is
 *   exactly what the full simulation's first r runs give; the checkpoints 1, 2, 4, … runs
 *   are simulated as such prefixes.
 */
import { findFormula, type ParamValue } from "../catalog/index.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { inDisplayOrder, METRIC, type MetricId, type MetricUnit, metricSpec, nines } from "../metrics/index.js";
import type { Metrics } from "../model/evaluate.js";
import type { Model } from "../model/index.js";
import type { FleetModel } from "../model/types.js";
import type { SimulationSummary } from "../sim/estimate/estimate.js";
import { checkSlos } from "../slo/check.js";
import { type Contributors, contributors } from "./contributors.js";
import { type Evaluator, type MetricReading, readMetric } from "./evaluate.js";
import { type ModelLeaf, modelLeaves, textOf } from "./fields.js";
import { type SensitivityResult, sensitivity } from "./sensitivity.js";
import { round12 } from "./vary.js";

/** One point of an availability curve: nines by the formula, null where it does not apply or is infinite. */
export interface CurvePoint {
  readonly x: number;
  readonly series: "model" | "kofn" | "parallel";
  /** the catalog formula that produced it */
  readonly formula: string;
  readonly nines: number | null;
  readonly complement: number;
}

export interface SimulatedPoint {
  readonly x: number;
  /** −log10 of the simulated unavailability, and of its interval's ends (null when no downtime was seen) */
  readonly nines: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly complement: number;
  readonly complementCi: readonly [number, number] | null;
  readonly events: number;
  readonly enough: boolean;
}

export interface Curve {
  /** what x is: "nodes", "node MTTR (hours)", "attempts", "runs" */
  readonly x: string;
  readonly points: readonly CurvePoint[];
  /** x values the model loader refused (e.g. fewer nodes than a numeric quorum) */
  readonly refused: readonly { readonly x: number; readonly reason: string }[];
  /** the model's own x */
  readonly current: number;
  readonly simulated?: readonly SimulatedPoint[];
}

export interface MetricRow {
  readonly id: MetricId;
  readonly unit: MetricUnit;
  readonly reading: MetricReading;
  readonly formula: string;
  readonly downtimeHoursPerYear?: number;
  readonly slo?: { readonly threshold: string; readonly pass: boolean; readonly margin: number; readonly marginUnit: string };
}

export interface ConvergencePoint {
  readonly runs: number;
  readonly nines: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly complement: number;
}

/** One point of the fleet chart: the model at `x` brokers with one placement, as eval computes it. */
export interface FleetPoint {
  readonly x: number;
  readonly placement: string;
  /** −log10 of the fleet's unavailability (null when it is 0) */
  readonly nines: number | null;
  readonly complement: number;
  readonly lossEventsPerYear: number;
}

/** Fleet availability and loss events against the broker count, one series per placement. */
export interface FleetCurves {
  readonly placements: readonly string[];
  readonly points: readonly FleetPoint[];
  /** broker counts the loader refused with a placement (e.g. rack_aware with fewer zones than replicas) */
  readonly refused: readonly { readonly x: number; readonly placement: string; readonly reason: string }[];
  /** the model's own broker count and placement */
  readonly current: number;
  readonly placement: string;
}

/** One point of the region chart: the model with `regions.failover.after` = x hours, as eval computes it. */
export interface RegionPoint {
  readonly x: number;
  /** −log10 of the service's unavailability (null when it is 0) */
  readonly nines: number | null;
  readonly complement: number;
  readonly failoversPerYear: number;
}

/** Service availability and failovers a year against the failover delay (a model with `regions:`). */
export interface RegionCurve {
  readonly points: readonly RegionPoint[];
  /** delays the evaluation refused (a chain past its limit) */
  readonly refused: readonly { readonly x: number; readonly reason: string }[];
  /** the model's own delay, hours */
  readonly current: number;
  /** the SLO on service.availability in nines, for the threshold line */
  readonly sloNines?: number;
}

export interface ReportData {
  readonly model: { readonly name: string; readonly file: string; readonly description?: string };
  readonly inputs: readonly ModelLeaf[];
  readonly resolved: { readonly nodes: number; readonly quorum: number; readonly repairCrews: number };
  readonly metrics: readonly MetricRow[];
  readonly contributors: readonly Contributors[];
  /** the SLO on cluster availability in nines, for the charts' threshold line */
  readonly sloNines?: number;
  /** cluster availability against the node count (no points for a fleet model: see `fleet`) */
  readonly byNodes: Curve;
  /** a fleet model: its availability and loss events against the broker count per placement */
  readonly fleet?: FleetCurves;
  /** with failure modes, the mode whose repair time is varied */
  readonly byMttr?: Curve & { readonly mode?: string };
  readonly byAttempts?: Curve & { readonly deadline: boolean };
  /** a model with `regions:`: service availability against the failover delay */
  readonly byFailoverAfter?: RegionCurve;
  readonly sensitivity: SensitivityResult;
  /** the simulated estimate of `metric` (cluster.availability, or a fleet's fleet.availability) after 1, 2, 4, … runs; the formula's nines when it has one */
  readonly convergence?: { readonly metric: MetricId; readonly analyticNines?: number; readonly points: readonly ConvergencePoint[] };
  readonly simulation?: { readonly runs: number; readonly mode: string; readonly seed: number; readonly horizonHours: number };
}

/** Runs the simulator on a model, with so many runs (undefined: the model's or the command's). */
export type SimulateRuns = (model: Model, runs?: number) => Promise<{ summary: SimulationSummary; interrupted: boolean }>;

function ninesOrNull(complement: number): number | null {
  const n = nines(complement);
  return Number.isFinite(n) ? n : null;
}

/** The model formula, the independent k-of-n and the article's parallel formula at one point. */
function clusterCurves(x: number, metrics: Metrics): CurvePoint[] {
  const cluster = metrics.get(METRIC.clusterAvailability);
  if (cluster?.complement === undefined) return [];
  const points: CurvePoint[] = [
    { x, series: "model", formula: cluster.formula, nines: ninesOrNull(cluster.complement), complement: cluster.complement },
  ];
  const same = (formula: string) => (cluster.formula === formula ? cluster : cluster.alternatives?.find((a) => a.formula === formula));
  for (const [series, formula] of [
    ["kofn", "availability.kofn"],
    ["parallel", "availability.parallel"],
  ] as const) {
    const found = same(formula);
    if (found?.complement !== undefined)
      points.push({ x, series, formula, nines: ninesOrNull(found.complement), complement: found.complement });
  }
  return points;
}

function curve(
  evaluator: Evaluator,
  path: string,
  label: string,
  xs: readonly number[],
  current: number,
  text: (x: number) => string,
): Curve {
  const points: CurvePoint[] = [];
  const refused: { x: number; reason: string }[] = [];
  for (const x of xs) {
    const point = evaluator.at([{ path, value: text(x) }]);
    if (!point.ok) refused.push({ x, reason: point.reason });
    else points.push(...clusterCurves(x, point.metrics));
  }
  return { x: label, points, refused, current };
}

function simulatedPoint(x: number, summary: SimulationSummary, metric: MetricId): SimulatedPoint | undefined {
  const estimate = summary.metrics[metric];
  if (estimate?.complement === undefined) return undefined;
  const ci = estimate.complementCi ?? null;
  return {
    x,
    nines: ninesOrNull(estimate.complement),
    // more unavailability is fewer nines: the interval's ends swap
    low: ci ? ninesOrNull(ci[1]) : null,
    high: ci ? ninesOrNull(ci[0]) : null,
    complement: estimate.complement,
    complementCi: ci,
    events: estimate.events,
    enough: estimate.enough,
  };
}

/** Build the report's numbers (without simulation). */
export function reportData(evaluator: Evaluator): ReportData {
  const { model, metrics } = evaluator.base();
  const { cluster } = model;
  const slos = checkSlos(model, metrics);
  const rows: MetricRow[] = inDisplayOrder(metrics).map(([id, m]) => {
    const slo = slos.find((s) => s.metric === id);
    return {
      id,
      unit: metricSpec(id).unit,
      reading: readMetric(metrics, id) as MetricReading,
      formula: m.formula,
      ...(id === METRIC.clusterAvailability && m.complement !== undefined ? { downtimeHoursPerYear: m.complement * HOURS_PER_YEAR } : {}),
      ...(slo ? { slo: { threshold: slo.threshold, pass: slo.pass, margin: slo.margin, marginUnit: slo.marginUnit } } : {}),
    };
  });
  const watched = model.fleet ? METRIC.fleetAvailability : METRIC.clusterAvailability;
  const sloNines = sloNinesOf(model, watched);
  if (model.fleet) return fleetReport(evaluator, model, model.fleet, rows, metrics, sloNines);
  const topNodes = Math.min(1000, Math.max(9, cluster.nodes + 4));
  const byNodes = curve(
    evaluator,
    "cluster.nodes",
    "nodes",
    Array.from({ length: topNodes }, (_, i) => i + 1),
    cluster.nodes,
    String,
  );
  const repair = repairToChart(cluster);
  let byMttr: (Curve & { readonly mode?: string }) | undefined;
  if (repair !== undefined) {
    const { path, mttrHours, mode } = repair;
    const low = Math.min(5 / 60, mttrHours / 4);
    const high = Math.max(72, mttrHours * 4);
    const xs = Array.from({ length: 13 }, (_, i) => round12(low * (high / low) ** (i / 12)));
    const label = mode === undefined ? "node MTTR (hours)" : `${mode} MTTR (hours)`;
    byMttr = { ...curve(evaluator, path, label, xs, mttrHours, (x) => textOf(x, "time")), ...(mode !== undefined ? { mode } : {}) };
  }
  const found = {
    model: { name: model.name, file: model.file, ...(model.description !== undefined ? { description: model.description } : {}) },
    inputs: modelLeaves(evaluator.source, evaluator.overrides),
    resolved: { nodes: cluster.nodes, quorum: cluster.quorum, repairCrews: cluster.repairCrews },
    metrics: rows,
    contributors: contributors(model, metrics, evaluator.cache),
    ...(sloNines !== undefined ? { sloNines } : {}),
    byNodes,
    ...(byMttr ? { byMttr } : {}),
    ...(model.regions
      ? { byFailoverAfter: regionCurve(evaluator, model.regions.failover.afterHours, sloNinesOf(model, METRIC.serviceAvailability)) }
      : {}),
    sensitivity: sensitivity(evaluator, model.regions ? METRIC.serviceAvailability : METRIC.clusterAvailability, 0.1),
  };
  const attempts = retryCurve(evaluator, model);
  return attempts ? { ...found, byAttempts: attempts } : found;
}

/** The model's SLO on a metric in nines (undefined without one). */
function sloNinesOf(model: Model, metric: MetricId): number | undefined {
  const threshold = model.slo.find((s) => s.metric === metric)?.threshold;
  return threshold?.nines ?? (threshold?.targetComplement !== undefined ? nines(threshold.targetComplement) : undefined);
}

/**
 * The failover delays the region chart evaluates: 13 points evenly spread on a log scale
 * from min(1 min, after/4) to max(24 h, 4 × after), and the model's own `after` — from a
 * delay shorter than an election to one longer than a region outage (hours), so that the
 * curve runs from "fails over on every blip" to "never fails over in time". Each point is
 * one region chain; the sites' chains are cached across points (the sweep of eight delays
 * on models/kafka-2region-mm2.yaml takes about 2 s).
 */
export function failoverDelays(afterHours: number): number[] {
  const low = afterHours > 0 ? Math.min(1 / 60, afterHours / 4) : 1 / 60;
  const high = Math.max(24, afterHours * 4);
  const xs = new Set(Array.from({ length: 13 }, (_, i) => round12(low * (high / low) ** (i / 12))));
  if (afterHours > 0) xs.add(afterHours);
  return [...xs].sort((a, b) => a - b);
}

/** Service availability and failovers a year at each failover delay, through the evaluator; refusals kept apart. */
function regionCurve(evaluator: Evaluator, afterHours: number, sloNines: number | undefined): RegionCurve {
  const points: RegionPoint[] = [];
  const refused: { x: number; reason: string }[] = [];
  for (const x of failoverDelays(afterHours)) {
    const at = evaluator.at([{ path: "regions.failover.after", value: textOf(x, "time") }]);
    const service = at.ok ? at.metrics.get(METRIC.serviceAvailability) : undefined;
    const failovers = at.ok ? at.metrics.get(METRIC.regionsFailoversPerYear) : undefined;
    if (!at.ok || service?.complement === undefined || failovers === undefined) {
      refused.push({ x, reason: at.ok ? "not computed" : at.reason });
      continue;
    }
    points.push({ x, nines: ninesOrNull(service.complement), complement: service.complement, failoversPerYear: failovers.value });
  }
  return { points, refused, current: afterHours, ...(sloNines !== undefined ? { sloNines } : {}) };
}

/** The placements the fleet chart compares: rack_aware only where the zones allow it. */
function fleetPlacements(model: Model, fleet: FleetModel): string[] {
  const zones = model.cluster.zones?.placement.length ?? 0;
  return ["kafka", "random", "copyset", ...(zones >= fleet.replication ? ["rack_aware"] : [])];
}

/**
 * The fleet chart's broker counts: 11 evenly spread from max(R, 3) to twice the model's
 * brokers, and the model's own — 12 points at most. Each point is one exact fleet
 * evaluation per placement (a few hundredths of a second at 12–24 brokers × 600
 * partitions): at most 12 × 4 = 48 evaluations, so the whole report on
 * test/fixtures/fleet/kafka-12x600.yaml takes about 1.3 s, and a dozen points draw the
 * trend (the Kleppmann effect: loss events grow with the brokers at fixed RF).
 */
export function fleetBrokerCounts(brokers: number, replication: number): number[] {
  const low = Math.max(replication, 3);
  const high = Math.max(low, 2 * brokers);
  const span = high - low;
  const steps = Math.min(10, span);
  const xs = new Set<number>(Array.from({ length: steps + 1 }, (_, i) => low + Math.round((span * i) / Math.max(1, steps))));
  if (brokers >= low && brokers <= high) xs.add(brokers);
  return [...xs].sort((a, b) => a - b);
}

/** The fleet's chart data: every (broker count, placement) through the evaluator, refusals kept apart. */
function fleetCurves(evaluator: Evaluator, model: Model, fleet: FleetModel): FleetCurves {
  const placements = fleetPlacements(model, fleet);
  const points: FleetPoint[] = [];
  const refused: { x: number; placement: string; reason: string }[] = [];
  for (const placement of placements) {
    for (const x of fleetBrokerCounts(model.cluster.nodes, fleet.replication)) {
      const at = evaluator.at([
        { path: "cluster.nodes", value: String(x) },
        { path: "fleet.placement", value: placement },
      ]);
      const availability = at.ok ? at.metrics.get(METRIC.fleetAvailability) : undefined;
      const loss = at.ok ? at.metrics.get(METRIC.fleetLossEventsPerYear) : undefined;
      if (!at.ok || availability?.complement === undefined || loss === undefined) {
        refused.push({ x, placement, reason: at.ok ? "not computed" : at.reason });
        continue;
      }
      points.push({
        x,
        placement,
        nines: ninesOrNull(availability.complement),
        complement: availability.complement,
        lossEventsPerYear: loss.value,
      });
    }
  }
  return { placements, points, refused, current: model.cluster.nodes, placement: fleet.placement.kind };
}

/**
 * A fleet model's report: its metrics, the fleet chart and the sensitivity of
 * fleet.availability. The single-replica-set charts (node count, MTTR) are not for fleets:
 * byNodes stays empty.
 */
function fleetReport(
  evaluator: Evaluator,
  model: Model,
  fleet: FleetModel,
  rows: MetricRow[],
  metrics: Metrics,
  sloNines: number | undefined,
): ReportData {
  const { cluster } = model;
  return {
    model: { name: model.name, file: model.file, ...(model.description !== undefined ? { description: model.description } : {}) },
    inputs: modelLeaves(evaluator.source, evaluator.overrides),
    resolved: { nodes: cluster.nodes, quorum: fleet.minInsync, repairCrews: cluster.repairCrews },
    metrics: rows,
    contributors: contributors(model, metrics, evaluator.cache),
    ...(sloNines !== undefined ? { sloNines } : {}),
    byNodes: { x: "nodes", points: [], refused: [], current: cluster.nodes },
    fleet: fleetCurves(evaluator, model, fleet),
    sensitivity: sensitivity(evaluator, METRIC.fleetAvailability, 0.1),
  };
}

/**
 * Which repair time the MTTR chart varies: the node's `mttr` when it is given as one
 * mtbf + mttr; with failure modes, the mode that keeps a node down longest per hour of
 * running (the largest rate × MTTR — in the default model the hardware mode, whose
 * repair waits for the on-call crew). None when the node is given as an availability.
 */
function repairToChart(cluster: Model["cluster"]): { path: string; mttrHours: number; mode?: string } | undefined {
  const modes = cluster.failureModes;
  if (modes === undefined || modes.length === 0) {
    const mttrHours = cluster.node.mttrHours;
    return mttrHours === undefined ? undefined : { path: "cluster.node.mttr", mttrHours };
  }
  if (modes.length === 1 && modes[0]?.name === "node") return { path: "cluster.node.mttr", mttrHours: modes[0].mttrHours };
  let worst = modes[0] as (typeof modes)[number];
  for (const m of modes) if (m.ratePerHour * m.mttrHours > worst.ratePerHour * worst.mttrHours) worst = m;
  return { path: `cluster.node.failures.${worst.name}.mttr`, mttrHours: worst.mttrHours, mode: worst.name };
}

/** Retry success against attempts: the model's formula, and the article's 1 − (1 − p)^n beside it when a deadline applies. */
function retryCurve(evaluator: Evaluator, model: Model): (Curve & { deadline: boolean }) | undefined {
  const retry = model.retry;
  if (retry === undefined) return undefined;
  const top = Math.max(10, Math.min(2 * retry.attempts, 30));
  const points: CurvePoint[] = [];
  const refused: { x: number; reason: string }[] = [];
  const article = findFormula("retry.fault_tolerance");
  for (let n = 1; n <= top; n++) {
    const point = evaluator.at([{ path: "retry.attempts", value: String(n) }]);
    const success = point.ok ? point.metrics.get(METRIC.retrySuccess) : undefined;
    if (!point.ok || success?.complement === undefined) {
      refused.push({ x: n, reason: point.ok ? "not computed" : point.reason });
      continue;
    }
    points.push({
      x: n,
      series: "model",
      formula: success.formula,
      nines: ninesOrNull(success.complement),
      complement: success.complement,
    });
    if (retry.timing !== undefined && article !== undefined) {
      const r = article.compute(
        new Map<string, ParamValue>([
          ["p_success", retry.pSuccess],
          ["attempts", n],
        ]),
      );
      points.push({
        x: n,
        series: "parallel",
        formula: "retry.fault_tolerance",
        nines: ninesOrNull(r.complement),
        complement: r.complement,
      });
    }
  }
  return { x: "attempts", points, refused, current: retry.attempts, deadline: retry.timing !== undefined };
}

/**
 * Add simulated estimates: availability at node counts 1 … nodes + 2, and the
 * convergence of the model's own estimate at 1, 2, 4, … runs up to the full count.
 * Stops at an interruption, keeping what was simulated.
 */
export async function simulateReport(
  evaluator: Evaluator,
  data: ReportData,
  simulate: SimulateRuns,
  runs: number,
  settings: { mode: string; seed: number; horizonHours: number },
): Promise<{ data: ReportData; interrupted: boolean }> {
  const { model } = evaluator.base();
  // a fleet's convergence is its fleet.availability's; one replica set's, its cluster's
  const metric = model.fleet ? METRIC.fleetAvailability : METRIC.clusterAvailability;
  const complement = data.metrics.find((m) => m.id === metric)?.reading.complement;
  const analyticNines = complement === undefined ? undefined : nines(complement);
  const converged = (points: ConvergencePoint[]) => ({ metric, ...(analyticNines !== undefined ? { analyticNines } : {}), points });
  const checkpoints: number[] = [];
  for (let r = 1; r < runs; r *= 2) checkpoints.push(r);
  checkpoints.push(runs);
  const convergence: ConvergencePoint[] = [];
  let own: SimulatedPoint | undefined;
  for (const r of checkpoints) {
    const run = await simulate(model, r);
    const point = simulatedPoint(model.cluster.nodes, run.summary, metric);
    if (point) {
      convergence.push({ runs: r, nines: point.nines, low: point.low, high: point.high, complement: point.complement });
      own = point;
    }
    if (run.interrupted) return { data: { ...data, convergence: converged(convergence) }, interrupted: true };
  }
  if (model.fleet) {
    // the fleet's chart is against the broker count per placement, by the formula: only the convergence is simulated
    return { data: { ...data, convergence: converged(convergence), simulation: { runs, ...settings } }, interrupted: false };
  }
  const simulated: SimulatedPoint[] = [];
  const top = Math.min(
    data.byNodes.points.reduce((m, p) => Math.max(m, p.x), 1),
    model.cluster.nodes + 2,
  );
  let interrupted = false;
  for (let n = 1; n <= top && !interrupted; n++) {
    if (n === model.cluster.nodes) {
      if (own) simulated.push(own);
      continue;
    }
    const at = evaluator.at([{ path: "cluster.nodes", value: String(n) }]);
    if (!at.ok) continue;
    const run = await simulate(at.model);
    const point = simulatedPoint(n, run.summary, metric);
    if (point) simulated.push(point);
    interrupted = run.interrupted;
  }
  return {
    data: {
      ...data,
      byNodes: { ...data.byNodes, simulated },
      convergence: converged(convergence),
      simulation: { runs, ...settings },
    },
    interrupted,
  };
}
