/**
 * From a parsed model file to a {@link Model}: structure checked by the zod schema,
 * then every value evaluated (sandboxed expressions over `params`, with units),
 * converted to hours / per hour / probabilities, range-checked and defaulted. Every
 * error names the file, line, column and field.
 */
import { basename, extname } from "node:path";
import type { z } from "zod";
import { InputError } from "../common/errors.js";
import { messageNumber } from "../common/numbers.js";
import { closestName } from "../common/suggest.js";
import { asCount, asHours, asNumber, asProbability, asRatePerHour } from "../expr/convert.js";
import { ExpressionError, evaluateExpression, isReservedName, type Quantity, tooLarge } from "../expr/expression.js";
import { HOURS_PER_YEAR, isDimensionless } from "../expr/units.js";
import {
  type CountSpec,
  type FieldSpec,
  fieldDefault,
  fieldSpec,
  isNumeric,
  knownKeysAt,
  pathSegments,
  type QuantitySpec,
} from "../fields/index.js";
import { complementOf, nodeAvailability, type Probability } from "../formulas/index.js";
import { isMetricId, METRIC_IDS, type MetricId, metricSpec, parseThreshold } from "../metrics/index.js";
import { type FieldReader, nodesText, resolveClusterExtras, resolveNodeFailures, sharedLoss } from "./clusterModes.js";
import { refuseBesideController, resolveController } from "./controller.js";
import { checkBesideFleet, resolveFleet, SINGLE_SET_METRICS } from "./fleet.js";
import { describe, parseYamlValue, type SourceFile } from "./load.js";
import { resolveMessages } from "./messages.js";
import { type RegionsModel, resolveRegions } from "./regions.js";
import { ModelSchema, type RawExpr, type RawModel } from "./schema.js";
import type { ClusterModel, Model, ModelWarning, Place, RetryModel, SloEntry } from "./types.js";

type Path = readonly (string | number)[];
type NumericSpec = Extract<FieldSpec, { kind: "count" | "probability" | "quantity" }>;

/** `--set path=value` overrides, applied before validation. */
export interface Override {
  readonly path: string;
  readonly value: string;
  /** the command-line flag that gave it, for messages (default --set; sweep's --vary, solve's --for) */
  readonly flag?: string;
}

/** The fields the command line overrides: their text, and the flag that gave each. */
class OverriddenFields extends Map<string, string> {
  readonly flags = new Map<string, string>();
  flagOf(path: string): string {
    return this.flags.get(path) ?? "--set";
  }
}

export interface ResolveOptions {
  /** a plain number where a time or a rate is expected is an error, not a warning */
  readonly strictUnits?: boolean;
  /** the model files whose sites are being resolved, outermost first (regions.ts: a cycle check) */
  readonly sitesOf?: readonly string[];
}

export function resolveModel(source: SourceFile, overrides: readonly Override[] = [], options: ResolveOptions = {}): Model {
  const overridden = new OverriddenFields();
  const data = structuredClone(source.data) as Record<string, unknown>;
  for (const override of overrides) {
    applyOverride(data, override, source.file);
    overridden.set(override.path, override.value);
    if (override.flag !== undefined) overridden.flags.set(override.path, override.flag);
  }
  const raw = validateShape(data, source, overridden);
  return new Resolver(source, raw, overridden, options.strictUnits === true, { overrides, options }).model();
}

function applyOverride(data: Record<string, unknown>, override: Override, file: string): void {
  // Metric ids and param names are single keys even though metric ids contain dots.
  const segments = pathSegments(override.path);
  if (segments.some((s) => s === ""))
    throw new InputError(`expected a dotted field path like cluster.nodes`, { path: `${override.flag ?? "--set"} ${override.path}` });
  const where = { path: `${override.flag ?? "--set"} ${override.path}` };
  if (segments.includes("__proto__")) throw new InputError(`"__proto__" cannot be a field name`, where);
  let node: Record<string, unknown> = data;
  for (const [i, segment] of segments.entries()) {
    // a list's entries (regions.sites.0) by their position, only those the file has
    if (Array.isArray(node) && !(/^\d+$/.test(segment) && Number(segment) < node.length)) {
      throw new InputError(`expected the position of an entry (0 to ${node.length - 1}), got "${segment}"`, { file, ...where });
    }
    if (i === segments.length - 1) break;
    // own keys only: "constructor" or "toString" must not reach Object.prototype
    const next = Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (next === undefined) node[segment] = {};
    else if (next === null || typeof next !== "object" || (Array.isArray(next) && fieldSpec(segments.slice(0, i + 1))?.kind !== "list")) {
      throw new InputError(`cannot set a field inside ${describe(next)}`, { file, ...where });
    }
    node = node[segment] as Record<string, unknown>;
  }
  let value: unknown;
  try {
    value = parseYamlValue(override.value);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message.replace(/^not valid YAML\/JSON: /, ""), where);
    throw error;
  }
  node[segments[segments.length - 1] as string] = value;
}

function validateShape(data: unknown, source: SourceFile, overridden: OverriddenFields): RawModel {
  const result = ModelSchema.safeParse(data);
  if (result.success) return result.data;
  const zodIssues = result.error.issues.flatMap((issue) => includedIssues(issue, data));
  const issues = zodIssues.map((issue) => {
    const path = issue.path.filter((s): s is string | number => typeof s !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const key = issue.keys[0] as string;
      const fieldPath = [...path, key];
      const known = knownKeysAt(path);
      return {
        path: fieldPath,
        key: true,
        message: `unknown field${known.length > 0 ? `; expected one of ${known.join(", ")}` : ""}`,
        suggestion: closestName(key, known),
      };
    }
    const value = path.reduce<unknown>((node, segment) => (node as Record<string | number, unknown> | undefined)?.[segment], data);
    const text = typeof value === "number" && !Number.isFinite(value) ? source.numberText(path) : undefined;
    const message =
      text !== undefined && /^[+-]?[\d.]+e/i.test(text) ? tooLarge(text) : shapeMessage(issue as unknown as ShapeIssue, value);
    const sets = fieldSpec(path);
    const suggestion = sets?.kind === "sets" && typeof value === "string" ? closestName(value, sets.words) : undefined;
    return { path, key: false, message, suggestion };
  });
  // Report one problem: an unknown field first (a misspelt key also shows up as a missing
  // one), otherwise the first in the file's order.
  const placed = issues.map((issue) => ({ ...issue, at: issue.key ? source.locateKey(issue.path) : source.locate(issue.path) }));
  placed.sort(
    (a, b) => Number(b.key) - Number(a.key) || (a.at?.line ?? 0) - (b.at?.line ?? 0) || (a.at?.column ?? 0) - (b.at?.column ?? 0),
  );
  const first = placed[0] as (typeof placed)[number];
  throw new InputError(first.message, placeOf(source, first.path, overridden, first.at), first.suggestion);
}

type ZodIssue = z.core.$ZodIssue;

/**
 * An included block given inline (a site's cluster) that fails its block's schema fails
 * the union "a path or a block" as a whole: report the block's own issues instead, at
 * their paths, so that a misspelt or missing field is named as anywhere else.
 */
function includedIssues(issue: ZodIssue, data: unknown): ZodIssue[] {
  if (issue.code !== "invalid_union") return [issue];
  const path = issue.path.filter((s): s is string | number => typeof s !== "symbol");
  const value = path.reduce<unknown>((node, segment) => (node as Record<string | number, unknown> | undefined)?.[segment], data);
  if (fieldSpec(path)?.kind !== "include" || value === null || typeof value !== "object" || Array.isArray(value)) return [issue];
  const block = issue.errors[1];
  return block === undefined || block.length === 0 ? [issue] : block.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
}

type ShapeIssue = { code: string; message: string; path: PropertyKey[] } & Record<string, unknown>;

function shapeMessage(issue: ShapeIssue, value: unknown): string {
  const last = issue.path[issue.path.length - 1];
  if (value === undefined) return "missing field";
  if (typeof value === "number" && !Number.isFinite(value)) return `expected a finite number, got ${value}`;
  if (last === "mqrel") return `expected 1 (the model format version), got ${describe(value)}`;
  const spec = fieldSpec(issue.path.filter((s): s is string | number => typeof s !== "symbol"));
  if (spec?.kind === "include") {
    return `expected a ${spec.block} block (a mapping of fields) or the path of a model file whose ${spec.block} it takes, got ${describe(value)}`;
  }
  if (spec?.kind === "sets") {
    return `expected one of ${spec.words.join(", ")}, or a list of replica sets such as [[0, 1, 2], [1, 2, 3]], each ${spec.item}, got ${describe(value)}`;
  }
  switch (issue.code) {
    case "invalid_union":
      return `expected a number or an expression such as "4 h", got ${describe(value)}`;
    case "invalid_type":
      return `expected ${issue.expected === "object" ? "a mapping of fields" : (issue.expected as string)}, got ${describe(value)}`;
    case "too_big":
    case "too_small":
      if (issue.origin === "string" && typeof value === "string") {
        return issue.code === "too_small"
          ? `expected a text of at least ${issue.minimum} character${issue.minimum === 1 ? "" : "s"}, got ${value.length === 0 ? "an empty one" : value.length}`
          : `expected a text of at most ${issue.maximum} characters, got ${value.length}`;
      }
      return `${issue.message.replace(/^Too (big|small): /, "")}`;
    default:
      return issue.message.replace(/^Invalid input: /, "");
  }
}

function placeOf(source: SourceFile, path: Path, overridden: OverriddenFields, at = source.locate(path)): Place {
  const dotted = path.join(".");
  if (overridden.has(dotted)) return { file: source.file, path: `${overridden.flagOf(dotted)} ${dotted}` };
  return { file: source.file, path: dotted, ...(at ? { line: at.line, column: at.column } : {}) };
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "30 h", "2 years": a duration in hours shown in a unit a person would pick. */
function formatDuration(hours: number): string {
  if (hours >= 2 * HOURS_PER_YEAR) return `${Number((hours / HOURS_PER_YEAR).toPrecision(4))} years`;
  if (hours >= 48) return `${Number((hours / 24).toPrecision(4))} days`;
  if (hours >= 1) return `${Number(hours.toPrecision(4))} hours`;
  if (hours >= 1 / 60) return `${Number((hours * 60).toPrecision(4))} minutes`;
  return `${Number((hours * 3600).toPrecision(4))} seconds`;
}
/** How deep parameters may refer to parameters (each level recurses through the evaluator). */
const MAX_PARAM_DEPTH = 100;

class Resolver {
  private readonly paramValues = new Map<string, Quantity>();
  private readonly evaluating: string[] = [];
  /** how deep each evaluated parameter's chain of references goes (1: it names none) */
  private readonly paramDepths = new Map<string, number>();
  /** for each parameter being evaluated, the deepest parameter it has named so far */
  private readonly deepestNamed: number[] = [];

  constructor(
    private readonly source: SourceFile,
    private readonly raw: RawModel,
    private readonly overridden: OverriddenFields,
    private readonly strictUnits: boolean,
    /** what a site's cluster is resolved with (regions.ts) */
    private readonly given: { readonly overrides: readonly Override[]; readonly options: ResolveOptions } = { overrides: [], options: {} },
  ) {}

  private readonly warnings: ModelWarning[] = [];

  model(): Model {
    const raw = this.raw;
    for (const name of Object.keys(raw.params ?? {})) this.param(name);
    checkBesideFleet(this.fieldReader(), raw);
    refuseBesideController(this.fieldReader(), raw);
    const cluster = this.cluster();
    const fleet = raw.fleet ? resolveFleet(this.fieldReader(), raw.fleet, cluster) : undefined;
    const retry = raw.retry ? this.retry() : undefined;
    const regions = raw.regions ? this.regions(raw.regions, cluster) : undefined;
    return {
      file: this.source.file,
      name: raw.name ?? basename(this.source.file, extname(this.source.file)),
      ...(raw.description !== undefined ? { description: raw.description } : {}),
      cluster,
      ...(fleet ? { fleet } : {}),
      ...(regions ? { regions } : {}),
      ...(raw.persistence
        ? {
            persistence: {
              pUnpersisted: this.probability(["persistence", "p_unpersisted"], raw.persistence.p_unpersisted),
              pFault: this.probability(["persistence", "p_fault"], raw.persistence.p_fault),
            },
          }
        : {}),
      ...(raw.ack
        ? {
            ack: {
              pUnconfirmed: this.probability(["ack", "p_unconfirmed"], raw.ack.p_unconfirmed),
              pFault: this.probability(["ack", "p_fault"], raw.ack.p_fault),
            },
          }
        : {}),
      ...(raw.durability
        ? {
            durability: {
              replicas: this.number(["durability", "replicas"], raw.durability.replicas),
              windowHours: this.number(["durability", "window"], raw.durability.window),
              crashRatePerHour: this.number(["durability", "crash_rate"], raw.durability.crash_rate),
              correlatedCrashRatePerHour: this.number(["durability", "correlated_crash_rate"], raw.durability.correlated_crash_rate),
            },
          }
        : {}),
      ...(raw.messages ? { messages: resolveMessages(this.fieldReader(), raw, cluster, retry?.timing?.timeoutHours) } : {}),
      ...(retry ? { retry } : {}),
      ...(raw.traffic
        ? {
            traffic: {
              ratePerHour: this.number(["traffic", "rate"], raw.traffic.rate),
              ...(raw.traffic.processing_time !== undefined
                ? { processingHours: this.number(["traffic", "processing_time"], raw.traffic.processing_time) }
                : {}),
              ...(raw.traffic.consumer_crash_rate !== undefined
                ? { consumerCrashRatePerHour: this.number(["traffic", "consumer_crash_rate"], raw.traffic.consumer_crash_rate) }
                : {}),
            },
          }
        : {}),
      slo: this.slo(),
      simulation: this.simulation(),
      warnings: this.warnings,
    };
  }

  private fail(path: Path, message: string, suggestion?: string): never {
    throw new InputError(message, placeOf(this.source, path, this.overridden), suggestion);
  }

  /** Evaluate a field, placing any expression error at its line. */
  private quantity(path: Path, value: RawExpr): Quantity {
    // Numbers are re-read from their text, so that 0.999999999999999 keeps its exact complement.
    const text = typeof value === "number" ? (this.overridden.get(path.join(".")) ?? this.source.numberText(path) ?? String(value)) : value;
    try {
      return evaluateExpression(text, (name) => this.paramFor(name));
    } catch (error) {
      if (error instanceof ExpressionError) this.fail(path, error.message);
      throw error;
    }
  }

  private convert<T>(path: Path, value: RawExpr, as: (q: Quantity) => T): T {
    const quantity = this.quantity(path, value);
    try {
      return as(quantity);
    } catch (error) {
      if (error instanceof ExpressionError) this.fail(path, error.message);
      throw error;
    }
  }

  /** The registry's entry for a numeric field; a path the schema accepted always has one. */
  private numericSpec(path: Path): NumericSpec {
    const spec = fieldSpec(path);
    if (spec === undefined || !isNumeric(spec)) throw new Error(`the field registry has no numeric field ${path.join(".")}`);
    return spec;
  }

  private probability(path: Path, value: RawExpr): Probability {
    const spec = this.numericSpec(path);
    if (spec.kind !== "probability") throw new Error(`${path.join(".")} is a ${spec.kind} in the field registry, not a probability`);
    return this.convert(path, value, asProbability);
  }

  /** The field's value, or the registry's default when the file leaves it out. */
  private orDefault(path: Path, value: RawExpr | undefined): RawExpr {
    if (value !== undefined) return value;
    const fallback = fieldDefault(path);
    if (typeof fallback !== "string") throw new Error(`${path.join(".")} has no default in the field registry`);
    return fallback;
  }

  /** A flag, or the registry's default when the file leaves it out. */
  private flag(path: Path, value: boolean | undefined): boolean {
    if (value !== undefined) return value;
    const fallback = fieldDefault(path);
    if (typeof fallback !== "boolean") throw new Error(`${path.join(".")} has no default in the field registry`);
    return fallback;
  }

  /**
   * A count or a quantity, converted and checked as the field registry says: a whole
   * number within its limits, a time in hours, a rate per hour, or a plain number. Left
   * out (undefined), it takes the registry's default.
   */
  private number(path: Path, given: RawExpr | undefined): number {
    const value = this.orDefault(path, given);
    const spec = this.numericSpec(path);
    switch (spec.kind) {
      case "count":
        return this.convert(path, value, (q) => countWithin(q, spec));
      case "quantity":
        return this.convert(path, value, (q) => this.quantityAs(path, q, spec));
      case "probability":
        throw new Error(`${path.join(".")} is a probability in the field registry, not a number`);
    }
  }

  private quantityAs(path: Path, q: Quantity, spec: QuantitySpec): number {
    switch (spec.dimension) {
      case "time": {
        const hours = asHours(q, { allowZero: spec.zero ?? false });
        this.plainNumber(path, q, "duration", spec.unit ?? "h");
        return hours;
      }
      case "rate": {
        const perHour = asRatePerHour(q, { allowZero: spec.zero ?? true });
        this.plainNumber(path, q, "rate", spec.unit ?? "/ year");
        return perHour;
      }
      case "dimensionless": {
        const x = asNumber(q, spec.atLeast !== undefined ? { atLeast: spec.atLeast } : {});
        return spec.between !== undefined ? within(x, spec.between.low, spec.between.high, spec.between.why) : x;
      }
      case "any":
        throw new Error(`${path.join(".")} takes any quantity: it is not converted to a number`);
    }
  }

  /**
   * A plain number where a time or a rate is expected is read as hours or per hour
   * (docs/design.md §2), which is rarely what `window: 30` or `rate: 0.1` meant: warn with the
   * unit it was read in and the unit such a field is usually written in (the registry's
   * `unit`), or — with strict units — refuse it. Zero needs no unit.
   */
  private plainNumber(path: Path, q: Quantity, kind: "duration" | "rate", usual: string): void {
    if (!isDimensionless(q.dimension) || q.value === 0) return;
    const shown = q.literal ?? messageNumber(q.value);
    // the duration in a unit a person would pick, unless that is hours again ("1 h (1 hours)")
    const inWords = formatDuration(q.value);
    const read =
      kind === "duration"
        ? `${shown} h${inWords.endsWith(" hours") ? "" : ` (${inWords})`}`
        : `${shown} per hour (${Number((q.value * HOURS_PER_YEAR).toPrecision(4))} per year)`;
    const keep = kind === "duration" ? `"${shown} h"` : `"${shown} / h"`;
    const meant = `"${shown} ${usual}"`;
    if (this.strictUnits) {
      this.fail(
        path,
        `a plain number for a ${kind} needs a unit with --strict-units: write ${keep}${keep === meant ? "" : `, or ${meant} if that is what you meant`}`,
      );
    }
    const advice = keep === meant ? `write ${keep} to say so` : `write ${keep} to keep that, or ${meant} if that is what you meant`;
    this.warnings.push({
      place: placeOf(this.source, path, this.overridden),
      message: `plain number read as ${read}; ${advice} (--strict-units makes this an error)`,
    });
  }

  private paramFor(name: string): Quantity | undefined {
    if (this.raw.params === undefined || !Object.hasOwn(this.raw.params, name)) return undefined;
    return this.param(name);
  }

  private param(name: string): Quantity {
    const known = this.paramValues.get(name);
    if (known !== undefined) {
      this.named(this.paramDepths.get(name) ?? 1);
      return known;
    }
    const path = ["params", name];
    if (!PARAM_NAME.test(name)) this.fail(path, "a parameter name must be a letter or _ followed by letters, digits or _");
    if (isReservedName(name)) this.fail(path, `"${name}" is a unit, a function or a constant in expressions; choose another name`);
    if (this.evaluating.includes(name)) {
      const cycle = [...this.evaluating.slice(this.evaluating.indexOf(name)), name].join(" → ");
      this.fail(path, `parameters refer to each other in a cycle: ${cycle}`);
    }
    if (this.evaluating.length >= MAX_PARAM_DEPTH) {
      const chain = [...this.evaluating.slice(0, 3), "…", name].join(" → ");
      this.fail(path, `parameters refer to each other more than ${MAX_PARAM_DEPTH} deep (${chain}); a model needs a few levels`);
    }
    this.evaluating.push(name);
    this.deepestNamed.push(0);
    const value = this.quantity(path, (this.raw.params as Record<string, RawExpr>)[name] as RawExpr);
    this.evaluating.pop();
    // a chain counts whole even when its links were evaluated (and kept) one by one before
    const depth = 1 + (this.deepestNamed.pop() ?? 0);
    if (depth > MAX_PARAM_DEPTH) {
      this.fail(path, `parameters refer to each other more than ${MAX_PARAM_DEPTH} deep (${name} → …); a model needs a few levels`);
    }
    this.paramValues.set(name, value);
    this.paramDepths.set(name, depth);
    this.named(depth);
    return value;
  }

  /** The parameter being evaluated names one whose chain is `depth` deep. */
  private named(depth: number): void {
    const top = this.deepestNamed.length - 1;
    if (top >= 0) this.deepestNamed[top] = Math.max(this.deepestNamed[top] as number, depth);
  }

  private cluster(): ClusterModel {
    const raw = this.raw.cluster;
    const nodes = this.number(["cluster", "nodes"], raw.nodes);
    const quorum = this.quorum(this.orDefault(["cluster", "quorum"], raw.quorum), nodes);
    const nodeRaw = raw.node;
    const fields = this.fieldReader();
    const modes = nodeRaw.failures !== undefined ? resolveNodeFailures(fields, nodeRaw) : undefined;
    const given = (["mtbf", "mttr", "availability", "unavailability"] as const).filter((key) => nodeRaw[key] !== undefined);
    const byTimes = nodeRaw.mtbf !== undefined || nodeRaw.mttr !== undefined;
    const byProbability = nodeRaw.availability !== undefined || nodeRaw.unavailability !== undefined;
    if ((byTimes && byProbability) || (nodeRaw.availability !== undefined && nodeRaw.unavailability !== undefined)) {
      this.fail(
        ["cluster", "node", given[1] as string],
        `give mtbf + mttr, or availability, or unavailability — not ${given.join(" and ")}`,
      );
    }
    if (!byTimes && !byProbability && !modes) {
      this.fail(["cluster", "node"], "expected mtbf + mttr, or availability, or unavailability, or failures");
    }
    let node: ClusterModel["node"];
    if (modes) node = modes.node;
    else if (byTimes) {
      if (nodeRaw.mtbf === undefined) this.fail(["cluster", "node", "mtbf"], "missing field (mttr needs mtbf)");
      if (nodeRaw.mttr === undefined) this.fail(["cluster", "node", "mttr"], "missing field (mtbf needs mttr)");
      const mtbfHours = this.number(["cluster", "node", "mtbf"], nodeRaw.mtbf);
      const mttrHours = this.number(["cluster", "node", "mttr"], nodeRaw.mttr);
      node = { availability: nodeAvailability(mtbfHours, mttrHours), mtbfHours, mttrHours };
    } else if (nodeRaw.availability !== undefined) {
      node = { availability: this.probability(["cluster", "node", "availability"], nodeRaw.availability) };
    } else {
      const u = this.probability(["cluster", "node", "unavailability"], nodeRaw.unavailability as RawExpr);
      node = { availability: complementOf(u) };
    }
    const repairCrews = raw.repair_crews === undefined ? nodes : this.number(["cluster", "repair_crews"], raw.repair_crews);
    let commonCause: ClusterModel["commonCause"];
    if (raw.common_cause) {
      commonCause = {
        ratePerHour: this.number(["cluster", "common_cause", "rate"], raw.common_cause.rate),
        mttrHours: this.number(["cluster", "common_cause", "mttr"], raw.common_cause.mttr),
        loses: sharedLoss(this.fieldReader(), ["cluster", "common_cause", "loses"], raw.common_cause.loses),
      };
    }
    const needsTimes = repairCrews < nodes || (commonCause !== undefined && commonCause.ratePerHour > 0);
    if (needsTimes && node.mtbfHours === undefined && !modes) {
      this.fail(
        ["cluster", "node"],
        "repair_crews below nodes or a common_cause need the Markov model, which needs node.mtbf and node.mttr (not availability)",
      );
    }
    const extras = resolveClusterExtras(fields, raw, nodes, node, modes?.failureModes);
    const controller = raw.controller ? resolveController(fields, raw.controller, extras.failover?.timeHours) : undefined;
    return { nodes, quorum, node, repairCrews, ...(commonCause ? { commonCause } : {}), ...extras, ...(controller ? { controller } : {}) };
  }

  /** `regions:` (regions.ts), the warnings of its sites' clusters kept with this model's. */
  private regions(raw: NonNullable<RawModel["regions"]>, cluster: ClusterModel): RegionsModel {
    const context = { read: this.fieldReader(), source: this.source, raw: this.raw, ...this.given, cluster, resolve: resolveModel };
    const { regions, warnings } = resolveRegions(context, raw);
    this.warnings.push(...warnings);
    return regions;
  }

  /** This resolver's field readers, for the cluster keys resolved in clusterModes.ts. */
  private fieldReader(): FieldReader {
    return {
      number: (path, value) => this.number(path, value),
      probability: (path, value) => this.probability(path, value),
      flag: (path, value) => this.flag(path, value),
      fail: (path, message) => this.fail(path, message),
      place: (path) => this.placeOfField(path),
    };
  }

  /**
   * Where a field (or a block) is: in the file when the file gives it, else at the `--set`
   * that gave it or a field inside it (`--set cluster.maintenance.every=…` for
   * cluster.maintenance), else where the file would have it.
   */
  private placeOfField(path: Path): Place {
    const names = path.map(String);
    const dotted = names.join(".");
    if (valueAt(this.source.data, names) === undefined) {
      const inner = [...this.overridden.keys()].find((key) => key === dotted || key.startsWith(`${dotted}.`));
      if (inner !== undefined) return placeOf(this.source, inner.split("."), this.overridden);
    }
    return placeOf(this.source, path, this.overridden);
  }

  private quorum(value: RawExpr, nodes: number): number {
    const path = ["cluster", "quorum"];
    const named: Record<string, number> = { majority: Math.floor(nodes / 2) + 1, any: 1, all: nodes };
    const quorum = typeof value === "string" && Object.hasOwn(named, value.trim()) ? (named[value.trim()] as number) : undefined;
    const k = quorum ?? this.number(path, value);
    if (k > nodes) this.fail(path, `quorum ${k} is more than the ${nodesText(nodes)}`);
    return k;
  }

  private retry(): RetryModel {
    const raw = this.raw.retry as NonNullable<RawModel["retry"]>;
    const attempts = this.number(["retry", "attempts"], raw.attempts);
    const pSuccess = this.probability(["retry", "p_success"], raw.p_success);
    const timed = raw.timeout !== undefined || raw.backoff !== undefined;
    if (raw.deadline === undefined) {
      if (timed)
        this.fail(
          ["retry", raw.timeout !== undefined ? "timeout" : "backoff"],
          "timeout and backoff need a deadline (retry.deadline) to matter; add retry.deadline or remove them",
        );
      return { attempts, pSuccess };
    }
    const backoff = raw.backoff ?? {};
    const multiplier = this.number(["retry", "backoff", "multiplier"], backoff.multiplier);
    return {
      attempts,
      pSuccess,
      timing: {
        timeoutHours: this.number(["retry", "timeout"], raw.timeout),
        backoffInitialHours: this.number(["retry", "backoff", "initial"], backoff.initial),
        backoffMultiplier: multiplier,
        backoffMaxHours: this.number(["retry", "backoff", "max"], backoff.max),
        deadlineHours: this.number(["retry", "deadline"], raw.deadline),
      },
    };
  }

  private slo(): SloEntry[] {
    const entries: SloEntry[] = [];
    for (const [metric, text] of Object.entries(this.raw.slo ?? {})) {
      const path = ["slo", metric];
      if (!isMetricId(metric)) {
        throw new InputError(
          `unknown metric; expected one of ${METRIC_IDS.join(", ")}`,
          placeOf(this.source, path, this.overridden, this.source.locateKey(path)),
          closestName(metric, METRIC_IDS),
        );
      }
      const spec = metricSpec(metric);
      if (typeof text !== "string") this.fail(path, `expected a threshold such as ">= 99.99%" (text with an operator), got ${text}`);
      try {
        const threshold = parseThreshold(text, spec.slo);
        entries.push({ metric, threshold, place: placeOf(this.source, path, this.overridden) });
        if (threshold.plainHours) {
          const plain = `a plain number in a duration threshold is hours: "${text.trim()}" reads as ${formatDuration(threshold.target)}`;
          if (this.strictUnits) this.fail(path, `${plain}; give it a unit (--strict-units)`);
          this.warnings.push({
            place: placeOf(this.source, path, this.overridden),
            message: `${plain}; give it a unit to say what you mean (--strict-units makes this an error)`,
          });
        }
      } catch (error) {
        if (error instanceof ExpressionError) this.fail(path, error.message);
        throw error;
      }
      const missing = this.missingFor(metric);
      if (missing !== undefined) this.fail(path, missing);
    }
    return entries;
  }

  /** Why the model does not compute a metric (undefined: it does). */
  private missingFor(metric: MetricId): string | undefined {
    const { block, orBlock, needs, noFormula } = metricSpec(metric);
    if (noFormula !== undefined) return `${metric} is only simulated (${noFormula}), so no threshold can be checked on it`;
    // a coupled fleet's metrics (docs/design.md §3c, only simulated) take a threshold:
    // `check --simulate` judges it, `check` calls it inconclusive (src/slo/check.ts)
    if (this.raw.fleet !== undefined && SINGLE_SET_METRICS.includes(metric)) {
      return `${metric} is one replica set's; a fleet model does not compute it (its fleet.* metrics describe the partitions)`;
    }
    const has = (name: string) => (this.raw as Record<string, unknown>)[name] !== undefined;
    if (block !== "cluster" && !has(block) && (orBlock === undefined || !has(orBlock))) {
      return `the model has no ${block}${orBlock ? ` or ${orBlock}` : ""} block, so ${metric} is not computed`;
    }
    if (
      needs !== undefined &&
      valueAt(this.raw, needs.path) === undefined &&
      (needs.orPath === undefined || valueAt(this.raw, needs.orPath) === undefined)
    ) {
      return needs.why;
    }
    return undefined;
  }

  private simulation(): Model["simulation"] {
    const raw = this.raw.simulation ?? {};
    return {
      ...(raw.horizon !== undefined ? { horizonHours: this.number(["simulation", "horizon"], raw.horizon) } : {}),
      ...(raw.runs !== undefined ? { runs: this.number(["simulation", "runs"], raw.runs) } : {}),
      ...(raw.seed !== undefined ? { seed: this.number(["simulation", "seed"], raw.seed) } : {}),
      ...(raw.failure
        ? {
            failure:
              raw.failure.distribution === "weibull"
                ? {
                    distribution: "weibull" as const,
                    shape: this.number(["simulation", "failure", "shape"], raw.failure.shape),
                  }
                : { distribution: "exponential" as const },
          }
        : {}),
      ...(raw.repair
        ? {
            repair:
              raw.repair.distribution === "lognormal"
                ? {
                    distribution: "lognormal" as const,
                    sigma: this.number(["simulation", "repair", "sigma"], raw.repair.sigma),
                  }
                : { distribution: "exponential" as const },
          }
        : {}),
      ...(raw.retry_samples !== undefined ? { retrySamples: this.number(["simulation", "retry_samples"], raw.retry_samples) } : {}),
    };
  }
}

/** A count within the registry's limits: at least `min`, at most `max` ("at most 1000 nodes" when it has a noun). */
function countWithin(q: Quantity, spec: CountSpec): number {
  const { max } = spec;
  const n = asCount(q, { min: spec.min, ...(max !== undefined && max.noun === undefined ? { max: max.value } : {}) });
  if (max?.noun !== undefined && n > max.value)
    throw new ExpressionError(`expected at most ${max.value} ${max.noun}, got ${messageNumber(n, [max.value])}`);
  return n;
}

/** A shape parameter within the range where the simulator's samplers stay finite and meaningful. */
function within(x: number, low: number, high: number, why: string): number {
  if (!(x >= low && x <= high))
    throw new ExpressionError(`expected a number between ${low} and ${high} (${why}), got ${messageNumber(x, [low, high])}`);
  return x;
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
