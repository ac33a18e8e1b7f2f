/**
 * What the planning commands know about each model field (docs/design.md §3): whether it is
 * a count (searched over whole numbers, perturbed by ±1), a probability, or a
 * continuous quantity; which way is the *least demanding* one (what `solve` looks for
 * unless told otherwise); and the default range of a count.
 *
 * Least demanding: the cheapest or laxest setting that still meets a target — the
 * fewest nodes, crews, replicas or attempts; the longest repair time, unflushed window
 * or failure rate that can be lived with; the lowest MTBF or per-attempt success that
 * suffices; the tightest deadline.
 */
import type { Override } from "../model/index.js";
import type { SourceFile } from "../model/load.js";
import { fieldText, modelLeaves } from "./fields.js";

export type InputKind = "count" | "probability" | "quantity";

export interface InputSpec {
  readonly path: string;
  readonly kind: InputKind;
  /** a probability usually near 1 (availability, per-attempt success): searched and perturbed on its complement */
  readonly nearOne?: boolean;
  /** which end `solve` looks for by default */
  readonly leastDemanding: "min" | "max";
  /** the whole numbers a count may take, given the model's node count */
  readonly countRange?: (nodes: number) => readonly [number, number];
}

/** The model's node cap (src/model/resolve.ts refuses more than 1000 nodes). */
export const NODE_CAP = 1000;

/**
 * Default upper end of an attempts search. The model allows up to 1 000 000 attempts,
 * but a scan of a target no attempt count meets would then resolve a million models;
 * `--range retry.attempts=1..1000000` searches all of them.
 */
export const ATTEMPTS_SEARCH_CAP = 1000;

const SPECS: readonly InputSpec[] = [
  { path: "cluster.nodes", kind: "count", leastDemanding: "min", countRange: () => [1, NODE_CAP] },
  { path: "cluster.quorum", kind: "count", leastDemanding: "max", countRange: (nodes) => [1, nodes] },
  // more crews than nodes repair no faster than one crew per node
  { path: "cluster.repair_crews", kind: "count", leastDemanding: "min", countRange: (nodes) => [1, nodes] },
  { path: "cluster.node.mtbf", kind: "quantity", leastDemanding: "min" },
  { path: "cluster.node.mttr", kind: "quantity", leastDemanding: "max" },
  { path: "cluster.node.availability", kind: "probability", nearOne: true, leastDemanding: "min" },
  { path: "cluster.node.unavailability", kind: "probability", leastDemanding: "max" },
  { path: "cluster.common_cause.rate", kind: "quantity", leastDemanding: "max" },
  // zones: as many as the nodes at most (an empty zone is refused)
  { path: "cluster.zones.count", kind: "count", leastDemanding: "min", countRange: (nodes) => [1, Math.max(1, nodes)] },
  { path: "cluster.zones.outage.rate", kind: "quantity", leastDemanding: "max" },
  { path: "cluster.zones.outage.mttr", kind: "quantity", leastDemanding: "max" },
  // patching as often, and restarts as long, as the target allows
  { path: "cluster.maintenance.every", kind: "quantity", leastDemanding: "min" },
  { path: "cluster.maintenance.duration", kind: "quantity", leastDemanding: "max" },
  { path: "cluster.failover.time", kind: "quantity", leastDemanding: "max" },
  { path: "cluster.common_cause.mttr", kind: "quantity", leastDemanding: "max" },
  { path: "persistence.p_unpersisted", kind: "probability", leastDemanding: "max" },
  { path: "persistence.p_fault", kind: "probability", leastDemanding: "max" },
  { path: "ack.p_unconfirmed", kind: "probability", leastDemanding: "max" },
  { path: "ack.p_fault", kind: "probability", leastDemanding: "max" },
  { path: "durability.replicas", kind: "count", leastDemanding: "min", countRange: (nodes) => [1, Math.max(1, nodes)] },
  { path: "durability.window", kind: "quantity", leastDemanding: "max" },
  { path: "durability.crash_rate", kind: "quantity", leastDemanding: "max" },
  { path: "durability.correlated_crash_rate", kind: "quantity", leastDemanding: "max" },
  { path: "retry.attempts", kind: "count", leastDemanding: "min", countRange: () => [1, ATTEMPTS_SEARCH_CAP] },
  { path: "retry.p_success", kind: "probability", nearOne: true, leastDemanding: "min" },
  { path: "retry.timeout", kind: "quantity", leastDemanding: "max" },
  { path: "retry.deadline", kind: "quantity", leastDemanding: "min" },
  { path: "retry.backoff.initial", kind: "quantity", leastDemanding: "max" },
  { path: "retry.backoff.multiplier", kind: "quantity", leastDemanding: "max" },
  { path: "retry.backoff.max", kind: "quantity", leastDemanding: "max" },
  { path: "traffic.rate", kind: "quantity", leastDemanding: "max" },
  { path: "traffic.processing_time", kind: "quantity", leastDemanding: "max" },
  { path: "traffic.consumer_crash_rate", kind: "quantity", leastDemanding: "max" },
];

const BY_PATH: ReadonlyMap<string, InputSpec> = new Map(SPECS.map((spec) => [spec.path, spec]));

/** A failure mode's fields (`cluster.node.failures.<mode>.mtbf|rate|mttr`): its name is the model's. */
const FAILURE_MODE_FIELD = /^cluster\.node\.failures\.[^.]+\.(mtbf|rate|mttr)$/;

function knownSpec(path: string): InputSpec | undefined {
  const known = BY_PATH.get(path);
  if (known !== undefined) return known;
  const mode = FAILURE_MODE_FIELD.exec(path);
  if (mode === null) return undefined;
  return { path, kind: "quantity", leastDemanding: mode[1] === "mtbf" ? "min" : "max" };
}

/**
 * What a field is. A parameter (`params.x`) takes the spec of a field that is exactly
 * `x` (the parameter is that field under another name); a parameter used only inside
 * larger expressions, and any field this table does not know, is a continuous quantity
 * with no default direction.
 */
export function inputSpec(source: SourceFile, overrides: readonly Override[], path: string): InputSpec | undefined {
  const known = knownSpec(path);
  if (known !== undefined) return known;
  if (path.startsWith("params.")) {
    const name = path.slice("params.".length);
    for (const leaf of modelLeaves(source, overrides)) {
      const spec = knownSpec(leaf.path);
      if (spec !== undefined && leaf.text.trim() === name) return { ...spec, path };
    }
  }
  return undefined;
}

/** Is this field's text just the name of a parameter (an alias, `mttr: node_mttr`)? */
export function isParamAlias(source: SourceFile, overrides: readonly Override[], path: string): boolean {
  const text = fieldText(source, overrides, path)?.trim();
  return text !== undefined && fieldText(source, overrides, `params.${text}`) !== undefined;
}
