/**
 * `mqrel solve`: the least demanding value of a field (or the cheapest combination of
 * several) that meets a target on a metric — or several targets at once, each a threshold
 * on a metric: a point meets the request when it meets every one (a conjunction), and the
 * answer names the target that binds (missed at its less demanding neighbour, {@link Binding}).
 *
 * Nothing here assumes the metric is monotone in the field — it is not: with a majority
 * quorum, 4 nodes are less available than 3.
 *
 * - Counts (nodes, crews, replicas, attempts, a numeric quorum) are searched
 *   exhaustively over their whole range — nodes 1…1000 (the model's cap), crews,
 *   quorum and replicas 1…nodes, attempts 1…1000 — in order from the least demanding
 *   end, so the first value that meets the target is the answer and the values beyond
 *   it need not be computed. When nothing meets the target every value is computed.
 * - Continuous fields (times, rates, probabilities) are scanned on a grid of 61 values
 *   (geometric when the range spans a decade or more) from the least demanding end; the
 *   boundary between the first grid value that meets the target and the one before it
 *   is then bisected to a relative tolerance (default 1e-6 of the value; probabilities
 *   near 1 are searched on their complement). The value returned always meets the
 *   target. A region that meets it but is narrower than the grid spacing can be missed.
 *   With several targets nothing more is assumed: inside the one grid step bisected, each
 *   target monotone in the field is met at the step's meeting end, so the conjunction
 *   turns once there whichever way each target moves ({@link Search.bisect}).
 * - With `--minimize <cost>`, every combination of the fields' values (counts over their
 *   range, continuous fields over their grid) is costed first — cheap, no model is
 *   computed — and the models are then computed in order of rising cost until one meets
 *   the target; of the combinations with that same cost the best is kept.
 *
 * Pruning that is exact, not assumed: with a common cause, the unavailability is at
 * least λ_cc/(λ_cc + μ_cc) whatever the nodes, quorum, crews or repair times
 * (src/plan/contributors.ts); a point whose floor already misses an availability or
 * downtime target is not computed. The floor depends on the common cause's fields (and the
 * params they read) alone, so it is read once per combination of those; with --minimize it
 * rules a combination out before the rest is read, and when no searched field moves it and
 * it misses, the search ends before it starts ({@link ruledOut}).
 *
 * The search ({@link runSearch}) sees a point only through a {@link PointProbe} — the
 * metric's reading at a combination of values, or why there is none — so that it can be
 * tested against plain functions (test/plan/solveSearch.test.ts); `solve` builds the
 * probe from the model evaluator and the floor above.
 */
import { InputError } from "../common/errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { METRIC, type MetricId, nines, type Threshold, TIE_TOLERANCE } from "../metrics/index.js";
import type { Model, Override } from "../model/index.js";
import { commonCauseFloor } from "./contributors.js";
import { type CostFunction, compileCost } from "./cost.js";
import { type Evaluator, judge, type MetricReading, missingMetric, readMetric, score } from "./evaluate.js";
import { complementText, type Dimensionality, dimensionality, fieldQuantity, fieldText, internalValue, textOf } from "./fields.js";
import { inputSpec } from "./inputs.js";
import type { Variation, VariedValue } from "./vary.js";

export const GRID_POINTS = 61;
export const DEFAULT_TOLERANCE = 1e-6;
/** Combinations costed at most in a `--minimize` search. */
export const MAX_COMBINATIONS = 1_000_000;
/** The smallest probability a search without --vary tries (the help of `mqrel solve` states it: 1e-12…1). */
const LOWEST_PROBABILITY = 1e-12;

/** One target of a search: a threshold on a metric. */
export interface SolveTarget {
  readonly metric: MetricId;
  readonly threshold: Threshold;
  /** where the threshold came from: --target, or the model's slo: block */
  readonly from: "target" | "slo";
  /** the option that named the metric, for error lines (default --metric) */
  readonly flag?: string;
}

export interface SolveRequest {
  readonly paths: readonly string[];
  /** at least one; a point meets the request when it meets every one (a conjunction) */
  readonly targets: readonly SolveTarget[];
  /** --range per path */
  readonly ranges: ReadonlyMap<string, Variation>;
  readonly find?: "min" | "max";
  readonly minimize?: string;
  readonly tolerance?: number;
}

/** How one field was searched. */
export interface SearchSpace {
  readonly path: string;
  readonly kind: Dimensionality | "mixed";
  /** whole numbers (every one), listed values, or a continuous interval (grid, then bisection) */
  readonly method: "whole numbers" | "values" | "interval";
  readonly values: readonly VariedValue[];
  readonly from: VariedValue;
  readonly to: VariedValue;
  /** continuous probabilities near 1: searched on 1 − value */
  readonly onComplement: boolean;
  /** geometric grid */
  readonly geometric: boolean;
}

/** A target at one point: its metric's reading, and whether and by how much it meets the threshold. */
export interface TargetReading {
  readonly reading: MetricReading;
  readonly pass: boolean;
  /** positive inside the threshold, negative outside (the threshold's unit: the metric's, or nines) */
  readonly margin: number;
}

export interface Candidate {
  readonly values: ReadonlyMap<string, VariedValue>;
  /** the first target's reading and margin (what the one-target JSON fields show) */
  readonly reading: MetricReading;
  readonly margin: number;
  /** every target's, in the request's order */
  readonly targets: readonly TargetReading[];
  readonly cost?: number;
}

/**
 * Which target decides the answer: the targets missed at its less demanding neighbour —
 * the value before it in the scan, the last point the bisection found missing, or (with
 * --minimize) the dearest combination cheaper than it. At the answer every target is met;
 * at the neighbour these are not.
 */
export interface Binding {
  readonly values: ReadonlyMap<string, VariedValue>;
  /** indices into the targets, in the request's order; empty when the neighbour was not read */
  readonly missed: readonly number[];
  /** the neighbour's readings, when it was computed */
  readonly targets?: readonly TargetReading[];
  /** why the neighbour was not read: no valid model there (refused), no such metric there (unread), or the common-cause floor */
  readonly why?: "refused" | "unread" | "pruned";
}

export interface SolveResult {
  readonly model: { readonly name: string; readonly file: string };
  readonly paths: readonly string[];
  readonly targets: readonly SolveTarget[];
  readonly spaces: readonly SearchSpace[];
  /** what was looked for: the least (min) or most (max) demanding… the smallest or largest value, or the cheapest */
  readonly goal: "min" | "max" | "cheapest";
  readonly minimize?: string;
  readonly met: boolean;
  /** the answer (met) */
  readonly answer?: Candidate;
  /** the best value found when nothing met the targets: the most targets met, then the smallest relative shortfall */
  readonly best?: Candidate;
  /** which target decides the answer; absent when nothing less demanding was computed (the answer is the range's first point) */
  readonly binding?: Binding;
  /** the answer is at the end of the searched range: the true boundary may lie beyond it */
  readonly atRangeEnd: boolean;
  /** relative tolerance of the bisection (continuous single-field searches) */
  readonly tolerance?: number;
  /** models computed, refused by the loader, and ruled out by the common-cause floor */
  readonly evaluated: number;
  readonly refused: number;
  /** why: the first and the last refused combination (in search order) and the loader's or evaluator's one-line error */
  readonly refusals: readonly { readonly values: ReadonlyMap<string, VariedValue>; readonly error: string }[];
  readonly pruned: number;
  /** the common-cause floor on the unavailability, and its nines, when it ruled points out */
  readonly floor?: number;
  readonly floorNines?: number;
}

/** @throws InputError for a search that cannot be set up (see the messages) */
export function solve(evaluator: Evaluator, request: SolveRequest): SolveResult {
  const { model: base, metrics } = evaluator.base();
  if (request.targets.length === 0) throw new InputError('give a target, e.g. --target ">= 99.99%"', { path: "--target" });
  for (const target of request.targets) {
    if (!metrics.has(target.metric)) throw missingMetric(evaluator.source, target.metric, target.flag);
  }
  if (request.paths.length === 0) throw new InputError("give the field to solve for, e.g. --for cluster.nodes", { path: "--for" });
  if (new Set(request.paths).size !== request.paths.length) throw new InputError("a field is named twice", { path: "--for" });
  if (request.paths.length > 1 && request.minimize === undefined) {
    throw new InputError('several --for need --minimize "<cost>" to say which combination is best', { path: "--for" });
  }
  if (request.find !== undefined && request.minimize !== undefined)
    throw new InputError("give --find or --minimize, not both", { path: "--find" });
  for (const path of request.ranges.keys()) {
    if (!request.paths.includes(path)) throw new InputError(`--range names ${path}, which is not a --for`, { path: "--range" });
  }
  const multi = request.paths.length > 1;
  // crews, quorum and replicas range up to the node count: the largest one searched, when nodes are searched too
  const nodesSpace = request.paths.includes("cluster.nodes")
    ? searchSpace(evaluator, base, "cluster.nodes", request.ranges.get("cluster.nodes"), multi, base.cluster.nodes)
    : undefined;
  const nodesTop = nodesSpace ? Math.max(...nodesSpace.values.map((v) => (typeof v.value === "number" ? v.value : 1))) : base.cluster.nodes;
  const spaces = request.paths.map((path) =>
    path === "cluster.nodes" && nodesSpace ? nodesSpace : searchSpace(evaluator, base, path, request.ranges.get(path), multi, nodesTop),
  );
  const probe = modelProbe(evaluator, request);
  const model = { name: base.name, file: base.file };
  if (request.minimize !== undefined) {
    const cost = compileCost(request.minimize, evaluator.source, evaluator.overrides, base);
    // The floor moves only with the fields it is made of: when none is searched and it
    // already misses the target, no combination can meet it — say so without costing
    // or visiting them (three fields of 100 values each took 100 s and 393 MB).
    if (!request.paths.some(movesFloor)) {
      const floor = floorMisses(evaluator, request, []);
      if (floor !== undefined) return ruledOut(request, model, spaces, floor.floor);
    }
    return runSearch(probe, request, model, spaces, { cost });
  }
  const [space] = spaces as [SearchSpace];
  const goal = request.find ?? inputSpec(evaluator.source, evaluator.overrides, space.path)?.leastDemanding;
  if (goal === undefined) {
    throw new InputError(`mqrel does not know which end of ${space.path} is the least demanding; say --find min or --find max`, {
      path: "--find",
    });
  }
  return runSearch(probe, request, model, spaces, { goal });
}

/**
 * What a search learns at one point: the metric's reading, or why there is none — the
 * loader refused the point (its error), the model computes no such metric there, or an
 * exact floor rules the point out without computing it.
 */
export type PointReading =
  | { readonly kind: "reading"; readonly readings: ReadonlyMap<MetricId, MetricReading> }
  | { readonly kind: "refused"; readonly error: InputError }
  | { readonly kind: "unread" }
  | {
      readonly kind: "pruned";
      readonly floor: number;
      /** the targets the floor alone misses (indices in the request's order); absent: the first */
      readonly missed?: readonly number[];
    };

/**
 * The targets' metrics at one combination of the searched fields' values: the seam between the
 * search and the model. `solve` reads it through the model evaluator ({@link modelProbe});
 * a test can pass a plain function of the values.
 */
export type PointProbe = (values: ReadonlyMap<string, VariedValue>) => PointReading;

/** How the points are chosen: from the least demanding end of one field (min or max), or cheapest first. */
export type SearchPlan = { readonly goal: "min" | "max" } | { readonly cost: CostFunction };

/**
 * The search itself, once the spaces are known: a scan of one field's values, a grid scan
 * and bisection of one continuous field, or (with a cost) every combination computed
 * cheapest first. Knows nothing of models beyond what the probe answers.
 * @throws the first refusal's InputError when every point was refused
 */
export function runSearch(
  probe: PointProbe,
  request: SolveRequest,
  model: SolveResult["model"],
  spaces: readonly SearchSpace[],
  plan: SearchPlan,
): SolveResult {
  const search = new Search(probe, request, model);
  if ("cost" in plan) return search.cheapest(spaces, plan.cost);
  const [space] = spaces as [SearchSpace];
  return space.method === "interval" ? search.boundary(space, plan.goal) : search.scan(space, plan.goal);
}

/**
 * The points of `solve` read through the model evaluator: the common-cause floor first
 * (a point it already rules out is not computed), then the model and its metric.
 */
function modelProbe(evaluator: Evaluator, request: SolveRequest): PointProbe {
  // the floor at each combination of the values of the fields it is made of, computed once
  const floors = new Map<string, FloorMiss | undefined>();
  return (values) => {
    const overrides: Override[] = [...values].map(([path, value]) => ({ path, value: value.text, flag: "--for" }));
    // read from the floor's own fields alone: a value of another field that the loader
    // refuses (quorum 2 of 1 node) must not hide the floor of the combinations beside it
    const own = overrides.filter((o) => movesFloor(o.path));
    const key = JSON.stringify(own.map((o) => [o.path, o.value]));
    if (!floors.has(key)) floors.set(key, floorMisses(evaluator, request, own));
    const floor = floors.get(key);
    if (floor !== undefined) {
      const { missed } = floor;
      // One field searched: a point the loader refuses is refused, not ruled out, so the
      // answer says why such values fail (nodes beyond what the message path models).
      // With --minimize the floor rules a combination out whatever its other fields are,
      // without reading each of them (372 100 combinations: 35 s read, 3 s not).
      if (request.minimize !== undefined) return { kind: "pruned", floor: floor.floor, missed };
      const model = evaluator.modelAt(overrides);
      return model instanceof InputError ? { kind: "refused", error: model } : { kind: "pruned", floor: floor.floor, missed };
    }
    const point = evaluator.at(overrides);
    if (!point.ok) return { kind: "refused", error: point.error };
    const readings = new Map<MetricId, MetricReading>();
    for (const { metric } of request.targets) {
      const reading = readMetric(point.metrics, metric);
      if (reading === undefined) return { kind: "unread" };
      readings.set(metric, reading);
    }
    return { kind: "reading", readings };
  };
}

/**
 * Can a field move the common-cause floor λ_cc/(λ_cc + μ_cc)? Only the common cause's own
 * fields, and the parameters their expressions may read (expressions read nothing else,
 * docs/model-files.md).
 */
function movesFloor(path: string): boolean {
  return path.startsWith("cluster.common_cause.") || path.startsWith("params.");
}

/**
 * The result of a search whose every combination the common-cause floor rules out (the
 * floor is the same at all of them): nothing met, nothing computed, all of them pruned.
 */
export function ruledOut(request: SolveRequest, model: SolveResult["model"], spaces: readonly SearchSpace[], floor: number): SolveResult {
  const combinations = spaces.reduce((product, s) => product * s.values.length, 1);
  return {
    model,
    paths: request.paths,
    targets: request.targets,
    spaces,
    goal: "cheapest",
    ...(request.minimize !== undefined ? { minimize: request.minimize } : {}),
    met: false,
    atRangeEnd: false,
    evaluated: 0,
    refused: 0,
    refusals: [],
    pruned: combinations,
    floor,
    floorNines: nines(floor),
  };
}

/** The common-cause floor, and the targets it alone misses (indices in the request's order). */
interface FloorMiss {
  readonly floor: number;
  readonly missed: readonly number[];
}

/**
 * The common-cause floor of the point, when it alone misses an availability or
 * downtime target (so the point cannot meet them all); undefined otherwise.
 */
function floorMisses(evaluator: Evaluator, request: SolveRequest, overrides: readonly Override[]): FloorMiss | undefined {
  const bounded = request.targets.flatMap(({ metric, threshold }, index) => {
    const upward = threshold.operator === ">=" || threshold.operator === ">";
    const availability = metric === METRIC.clusterAvailability && upward;
    const downtime = metric === METRIC.clusterDowntimePerYear && !upward;
    return availability || downtime ? [{ metric, threshold, index }] : [];
  });
  if (bounded.length === 0) return undefined;
  const model = evaluator.modelAt(overrides);
  if (model instanceof InputError) return undefined;
  const floor = commonCauseFloor(model);
  if (floor === undefined) return undefined;
  const missed = bounded
    .filter(({ metric, threshold }) => {
      const best: MetricReading =
        metric === METRIC.clusterAvailability
          ? { value: 1 - floor, complement: floor, score: score(metric, 1 - floor, floor) }
          : { value: floor * HOURS_PER_YEAR, score: score(metric, floor * HOURS_PER_YEAR, undefined) };
      return !judge(threshold, best).pass;
    })
    .map(({ index }) => index);
  return missed.length > 0 ? { floor, missed } : undefined;
}

/** The values a field is searched over. */
function searchSpace(
  evaluator: Evaluator,
  base: Model,
  path: string,
  range: Variation | undefined,
  multi: boolean,
  nodes: number,
): SearchSpace {
  const { source, overrides } = evaluator;
  const spec = inputSpec(source, overrides, path);
  const where = `--for ${path}`;
  if (spec?.kind === "count") {
    let values: VariedValue[];
    if (range !== undefined) {
      for (const v of range.values) {
        if (typeof v.value !== "number" || !Number.isInteger(v.value) || v.value < 1) {
          throw new InputError(`${path} is a count; the range must hold whole numbers ≥ 1, got ${v.text}`, { path: `--range ${path}` });
        }
      }
      values = [...range.values];
    } else {
      const [low, high] = spec.countRange?.(nodes) ?? [1, 1000];
      const top = multi ? Math.min(high, Math.max(10, 3 * currentCount(evaluator, base, path))) : high;
      values = Array.from({ length: top - low + 1 }, (_, i) => ({ text: String(low + i), value: low + i }));
    }
    // "every whole number" only when it is (a listed or a stepped range — 1000..1000000:*2 — is its values)
    const consecutive = values.every((v, i) => i === 0 || v.value === (values[i - 1]?.value as number) + 1);
    return space(path, "plain", consecutive ? "whole numbers" : "values", values, false, false);
  }
  if (spec?.kind === "word" && range === undefined) {
    // a field that takes a word (messages.ack): every word it takes, in the registry's order
    const words = (spec.words ?? []).map((word) => ({ text: word, value: word }));
    return space(path, "mixed", "values", words, false, false);
  }
  const nearOne = spec?.kind === "probability" && spec.nearOne === true;
  const isProbability = spec?.kind === "probability";
  if (range !== undefined && (range.kind === "mixed" || /,|:/.test(range.spec))) {
    // listed values, or an explicit step: those values and no others
    return space(path, range.kind, "values", range.values, false, false);
  }
  let low: number;
  let high: number;
  let kind: Dimensionality;
  if (range !== undefined) {
    low = range.values[0]?.value as number;
    high = range.values[range.values.length - 1]?.value as number;
    kind = range.kind as Dimensionality;
    // plain numbers for a time or a rate field read as hours or per hour (the loader warns):
    // shown with the field's unit, not as bare numbers
    if (kind === "plain" && !isProbability) kind = fieldKind(source, overrides, path, where) ?? kind;
  } else if (isProbability) {
    low = LOWEST_PROBABILITY;
    high = 1;
    kind = "plain";
  } else {
    const quantity = fieldQuantity(source, overrides, path, where);
    const current = internalValue(quantity);
    kind = dimensionality(quantity) ?? "plain";
    if (!(current > 0)) {
      throw new InputError(
        `${path} is ${fieldText(source, overrides, path)} in the model; give the interval to search with --range ${path}=from..to`,
        {
          path: where,
        },
      );
    }
    low = current / 100;
    high = current * 100;
  }
  if (nearOne && range !== undefined) {
    // the user gave probabilities; search their complements
    [low, high] = [1 - high, 1 - low];
  }
  if (!(high > low)) throw new InputError(`the interval for ${path} is empty`, { path: `--range ${path}` });
  return intervalSpace(path, kind, low, high, nearOne);
}

/**
 * A continuous field's search space: {@link GRID_POINTS} values from low to high
 * (geometric when high/low ≥ 10), in internal units — or, on the complement, low and high
 * bound 1 − value. Values ascend in the field's own value.
 */
export function intervalSpace(path: string, kind: Dimensionality, low: number, high: number, onComplement: boolean): SearchSpace {
  const geometric = low > 0 && high / low >= 10;
  const grid = Array.from({ length: GRID_POINTS }, (_, i) =>
    geometric ? low * (high / low) ** (i / (GRID_POINTS - 1)) : low + ((high - low) * i) / (GRID_POINTS - 1),
  );
  const values = grid.map((x) => valueAt(x, kind, onComplement));
  // ascending in the field's own value
  if (onComplement) values.reverse();
  return space(path, kind, "interval", values, onComplement, geometric);
}

/** A search space over given values (a count's whole numbers, or listed values; no bisection between them). */
export function space(
  path: string,
  kind: SearchSpace["kind"],
  method: SearchSpace["method"],
  values: readonly VariedValue[],
  onComplement: boolean,
  geometric: boolean,
): SearchSpace {
  return {
    path,
    kind,
    method,
    values,
    from: values[0] as VariedValue,
    to: values[values.length - 1] as VariedValue,
    onComplement,
    geometric,
  };
}

/** A point of a continuous search: x is the value, or its complement for probabilities near 1. */
/** A time or a rate field's kind (undefined: plain, or not a number the planner reads). */
function fieldKind(source: Evaluator["source"], overrides: readonly Override[], path: string, where: string): "time" | "rate" | undefined {
  try {
    const kind = dimensionality(fieldQuantity(source, overrides, path, where));
    return kind === "time" || kind === "rate" ? kind : undefined;
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

function valueAt(x: number, kind: Dimensionality, onComplement: boolean): VariedValue {
  if (onComplement) return { text: complementText(x), value: 1 - x, complement: x };
  return { text: textOf(x, kind), value: x };
}

function currentCount(evaluator: Evaluator, base: Model, path: string): number {
  switch (path) {
    case "cluster.nodes":
      return base.cluster.nodes;
    case "cluster.quorum":
      return base.cluster.quorum;
    case "cluster.repair_crews":
      return base.cluster.repairCrews;
    default: {
      const text = fieldText(evaluator.source, evaluator.overrides, path);
      return text === undefined ? 1 : Math.max(1, internalValue(fieldQuantity(evaluator.source, evaluator.overrides, path)));
    }
  }
}

type Outcome =
  | { readonly kind: "met" | "missed"; readonly candidate: Candidate }
  | { readonly kind: "refused"; readonly why: "refused" | "unread" }
  | { readonly kind: "pruned"; readonly floor: number; readonly missed: readonly number[] };

/** The binding of an answer whose less demanding neighbour is this outcome (at `values`). */
function bindingAt(values: ReadonlyMap<string, VariedValue>, outcome: Outcome): Binding {
  switch (outcome.kind) {
    case "met":
    case "missed": {
      const { targets } = outcome.candidate;
      const missed = targets.flatMap((t, i) => (t.pass ? [] : [i]));
      return { values, missed, targets };
    }
    case "refused":
      return { values, missed: [], why: outcome.why };
    case "pruned":
      return { values, missed: outcome.missed, why: "pruned" };
  }
}

/**
 * How far a target is from being met, without its unit: the margin over the threshold's
 * own scale — nines as they are, a comparison on complements over the target's
 * complement, a comparison on values over the target (or as it is, when the target is 0).
 * For one target it orders candidates as the margin does.
 */
function relativeMargin(threshold: Threshold, margin: number, complement: number | undefined): number {
  if (threshold.nines !== undefined && complement !== undefined) return margin;
  if (complement !== undefined && threshold.targetComplement !== undefined && threshold.target > 0.5) {
    return threshold.targetComplement > 0 ? margin / threshold.targetComplement : margin;
  }
  return threshold.target !== 0 ? margin / Math.abs(threshold.target) : margin;
}

/** Of two candidates that miss, is `a` nearer to meeting every target than `b`? More targets met first, then the worst relative margin. */
function nearer(targets: readonly SolveTarget[], a: Candidate, b: Candidate): boolean {
  const met = (c: Candidate) => c.targets.filter((t) => t.pass).length;
  if (met(a) !== met(b)) return met(a) > met(b);
  const worst = (c: Candidate) =>
    Math.min(...c.targets.map((t, i) => relativeMargin((targets[i] as SolveTarget).threshold, t.margin, t.reading.complement)));
  return worst(a) > worst(b);
}

class Search {
  private evaluated = 0;
  private refused = 0;
  private pruned = 0;
  private floor: number | undefined;
  private best: Candidate | undefined;
  private firstRefusal: InputError | undefined;
  private refusalAt: { values: ReadonlyMap<string, VariedValue>; error: string }[] = [];

  constructor(
    private readonly probe: PointProbe,
    private readonly request: SolveRequest,
    private readonly model: SolveResult["model"],
  ) {}

  /** Read the targets' metrics at one combination of values, judge each, and keep count. */
  private try(values: ReadonlyMap<string, VariedValue>, cost?: number): Outcome {
    const point = this.probe(values);
    if (point.kind === "pruned") {
      this.pruned++;
      this.floor = point.floor;
      return { kind: "pruned", floor: point.floor, missed: point.missed ?? [0] };
    }
    if (point.kind === "refused") {
      this.refused++;
      this.firstRefusal ??= point.error;
      const refusal = { values, error: fieldMessage(point.error) };
      if (this.refusalAt.length < 2) this.refusalAt.push(refusal);
      else this.refusalAt[1] = refusal;
      return { kind: "refused", why: "refused" };
    }
    this.evaluated++;
    if (point.kind === "unread") {
      this.refused++;
      return { kind: "refused", why: "unread" };
    }
    const targets: TargetReading[] = [];
    for (const { metric, threshold } of this.request.targets) {
      const reading = point.readings.get(metric);
      if (reading === undefined) {
        this.refused++;
        return { kind: "refused", why: "unread" };
      }
      targets.push({ reading, ...judge(threshold, reading) });
    }
    const [first] = targets as [TargetReading];
    const candidate: Candidate = { values, reading: first.reading, margin: first.margin, targets, ...(cost !== undefined ? { cost } : {}) };
    const pass = targets.every((t) => t.pass);
    if (!pass && (this.best === undefined || nearer(this.request.targets, candidate, this.best))) this.best = candidate;
    return { kind: pass ? "met" : "missed", candidate };
  }

  private result(
    spaces: readonly SearchSpace[],
    goal: SolveResult["goal"],
    answer: Candidate | undefined,
    extra: Partial<SolveResult> = {},
  ): SolveResult {
    const { request } = this;
    // not one value made a valid model: the request itself is bad input
    if (this.evaluated === 0 && this.pruned === 0 && this.firstRefusal !== undefined) throw this.firstRefusal;
    return {
      model: this.model,
      paths: request.paths,
      targets: request.targets,
      spaces,
      goal,
      ...(request.minimize !== undefined ? { minimize: request.minimize } : {}),
      met: answer !== undefined,
      ...(answer !== undefined ? { answer } : {}),
      ...(answer === undefined && this.best !== undefined ? { best: this.best } : {}),
      atRangeEnd: false,
      evaluated: this.evaluated,
      refused: this.refused,
      refusals: this.refusalAt,
      pruned: this.pruned,
      ...(this.floor !== undefined ? { floor: this.floor, floorNines: nines(this.floor) } : {}),
      ...extra,
    };
  }

  /** Listed or whole-number values, from the least demanding end: the first that meets every target. */
  scan(space: SearchSpace, goal: "min" | "max"): SolveResult {
    const ordered = goal === "min" ? space.values : [...space.values].reverse();
    let binding: Binding | undefined;
    for (const value of ordered) {
      const values = new Map([[space.path, value]]);
      const outcome = this.try(values);
      if (outcome.kind === "met") return this.result([space], goal, outcome.candidate, binding !== undefined ? { binding } : {});
      binding = bindingAt(values, outcome);
    }
    return this.result([space], goal, undefined);
  }

  /** A continuous field: scan the grid from the least demanding end, then bisect the boundary. */
  boundary(space: SearchSpace, goal: "min" | "max"): SolveResult {
    const ordered = goal === "min" ? space.values : [...space.values].reverse();
    let previous: { value: VariedValue; outcome: Outcome } | undefined;
    for (const value of ordered) {
      const values = new Map([[space.path, value]]);
      const outcome = this.try(values);
      if (outcome.kind === "met") {
        if (previous === undefined) return this.result([space], goal, outcome.candidate, { atRangeEnd: true });
        const tolerance = this.request.tolerance ?? DEFAULT_TOLERANCE;
        const { answer, binding } = this.bisect(space, previous, value, outcome.candidate, tolerance);
        return this.result([space], goal, answer, { tolerance, binding });
      }
      previous = { value, outcome };
    }
    return this.result([space], goal, undefined);
  }

  /**
   * Bisection between a value that misses (or is refused) and one that meets every
   * target, down to |meets − misses| ≤ tolerance · |meets| on the searched variable. The
   * grid scan before it stops at the first grid value that meets them all, so inside
   * this one grid step every target that is monotone in the field goes from missed to
   * met (it is met at the step's meeting end), and so does their conjunction: the
   * bisection needs no common direction of the targets, only that none turns twice
   * within one grid step.
   */
  private bisect(
    space: SearchSpace,
    missing: { value: VariedValue; outcome: Outcome },
    meeting: VariedValue,
    meetingCandidate: Candidate,
    tolerance: number,
  ): { answer: Candidate; binding: Binding } {
    const variable = (v: VariedValue) => (space.onComplement ? (v.complement ?? 1 - (v.value as number)) : (v.value as number));
    let miss = variable(missing.value);
    let meet = variable(meeting);
    let answer = meetingCandidate;
    let binding = bindingAt(new Map([[space.path, missing.value]]), missing.outcome);
    const kind = space.kind === "mixed" ? "plain" : space.kind;
    for (let step = 0; step < 200 && Math.abs(meet - miss) > tolerance * Math.abs(meet); step++) {
      const middle = space.geometric && miss > 0 && meet > 0 ? Math.sqrt(miss * meet) : (miss + meet) / 2;
      if (middle === miss || middle === meet) break;
      const values = new Map([[space.path, valueAt(middle, kind, space.onComplement)]]);
      const outcome = this.try(values);
      if (outcome.kind === "met") {
        meet = middle;
        answer = outcome.candidate;
      } else {
        miss = middle;
        binding = bindingAt(values, outcome);
      }
    }
    return { answer, binding };
  }

  /** Every combination costed, then computed cheapest first. */
  cheapest(spaces: readonly SearchSpace[], cost: CostFunction): SolveResult {
    const total = spaces.reduce((product, s) => product * s.values.length, 1);
    if (total > MAX_COMBINATIONS) {
      throw new InputError(
        `${total} combinations to cost (${spaces.map((s) => `${s.path}: ${s.values.length}`).join(", ")}); at most ${MAX_COMBINATIONS}: narrow them with --range`,
        { path: "--minimize" },
      );
    }
    const kinds = new Map(spaces.map((s) => [s.path, s.kind === "mixed" ? ("plain" as const) : s.kind]));
    const combinations: { values: Map<string, VariedValue>; cost: number }[] = [];
    const walk = (index: number, chosen: [string, VariedValue][]) => {
      const s = spaces[index];
      if (s === undefined) {
        const values = new Map(chosen);
        const priced = new Map([...values].map(([path, value]) => [path, { value, kind: kinds.get(path) as Dimensionality }]));
        combinations.push({ values, cost: cost(priced) });
        return;
      }
      for (const value of s.values) walk(index + 1, [...chosen, [s.path, value]]);
    };
    walk(0, []);
    combinations.sort((a, b) => a.cost - b.cost);
    let answer: Candidate | undefined;
    // The binding is the dearest combination computed at a cost below the answer's (one step
    // cheaper; it misses): the last miss, unless it ties with the answer's cost — then the
    // last miss of the cost before.
    let lastMiss: { cost: number; binding: Binding } | undefined;
    let tierBefore: { cost: number; binding: Binding } | undefined;
    const below = (a: number, b: number) => a < b - TIE_TOLERANCE * Math.abs(b);
    for (const combination of combinations) {
      if (answer?.cost !== undefined && combination.cost > answer.cost + TIE_TOLERANCE * Math.abs(answer.cost)) break;
      const outcome = this.try(combination.values, combination.cost);
      if (outcome.kind === "met" && (answer === undefined || outcome.candidate.reading.score > answer.reading.score))
        answer = outcome.candidate;
      else if (answer === undefined && outcome.kind !== "met") {
        if (lastMiss !== undefined && below(lastMiss.cost, combination.cost)) tierBefore = lastMiss;
        lastMiss = { cost: combination.cost, binding: bindingAt(combination.values, outcome) };
      }
    }
    const answerCost = answer?.cost;
    const binding =
      answerCost === undefined || lastMiss === undefined
        ? undefined
        : below(lastMiss.cost, answerCost)
          ? lastMiss.binding
          : tierBefore !== undefined && below(tierBefore.cost, answerCost)
            ? tierBefore.binding
            : undefined;
    return this.result(spaces, "cheapest", answer, binding !== undefined ? { binding } : {});
  }
}

/** An input error as "path: message", without the file and line (the model is named once above) */
function fieldMessage(error: InputError): string {
  const path = error.location.path;
  return path !== undefined && path !== "" ? `${path}: ${error.message}` : error.message;
}
