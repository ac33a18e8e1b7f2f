/**
 * The cluster keys of docs/design.md §3a — `node.failures`, `zones`, `maintenance`,
 * `failover` — from the parsed file to the model, with one clear error per problem.
 * resolve.ts calls this with its field readers, so that expressions, units, places and
 * messages work exactly as for every other field.
 *
 * Decisions (docs/model-files.md "Failure modes, zones, maintenance and failover"):
 * - `loses` defaults to `unflushed` for a crew mode (hardware, OS: the page cache is gone)
 *   and to `nothing` for a crew-free one (a process restart keeps the page cache).
 * - `node: {mtbf, mttr}` is the one mode "node" with crew: true, loses: unflushed; a
 *   single crew mode in `failures` is the same model and keeps node.mtbf/mttr filled.
 * - `zones.count: N` places node i in zone i mod N (round-robin); `placement` fills the
 *   zones in order (nodes 0..p₁−1 in the first, and so on). Restarts go in node order.
 * - `zones` without `outage`: the zones never fail, but the placement is still checked
 *   against losing a zone.
 * - Maintenance, failover, several modes and crew-free modes need rates, so a node given
 *   only as an availability is refused with them; zones alone work with an availability.
 */
import { fieldDefault } from "../fields/index.js";
import { competingModesAvailability } from "../formulas/index.js";
import type { Probability } from "../formulas/probability.js";
import type { RawExpr, RawModel } from "./schema.js";
import type { BadReleaseModel, ClusterModel, FailureModeModel, NodeModel, Place, ZonesModel } from "./types.js";

type Path = readonly (string | number)[];

/** The field readers of resolve.ts (evaluated, converted, placed at file:line:col). */
export interface FieldReader {
  /**
   * A count or a quantity, converted and checked as the field registry says (hours, per
   * hour, a whole number within its limits); left out, the registry's default.
   */
  number(path: Path, value: RawExpr | undefined): number;
  /** A probability, converted and checked (a value in [0, 1]). */
  probability(path: Path, value: RawExpr): Probability;
  /** A flag, or the registry's default when it is left out. */
  flag(path: Path, value: boolean | undefined): boolean;
  fail(path: Path, message: string): never;
  /** Where a field is (file, line, column; or the `--set` that gave it), for messages made later. */
  place(path: Path): Place;
}

type RawCluster = RawModel["cluster"];
type RawNode = RawCluster["node"];

/** Most failure modes and zones a model may have (the chain grows fast with both). */
export const MAX_MODES = 8;
export const MAX_ZONES = 12;

/** `node.failures` → the node's modes, and its availability on its own (no waiting for a crew). */
export function resolveNodeFailures(read: FieldReader, nodeRaw: RawNode): { node: NodeModel; failureModes: FailureModeModel[] } {
  const base = ["cluster", "node"];
  for (const key of ["mtbf", "mttr", "availability", "unavailability"] as const) {
    if (nodeRaw[key] !== undefined)
      read.fail([...base, key], `give failures, or mtbf + mttr (or an availability) — not ${key} and failures`);
  }
  const entries = Object.entries(nodeRaw.failures ?? {});
  if (entries.length === 0)
    read.fail([...base, "failures"], "expected at least one failure mode, e.g. hardware: { mtbf: 2 years, mttr: 8 h }");
  if (entries.length > MAX_MODES) read.fail([...base, "failures"], `expected at most ${MAX_MODES} failure modes, got ${entries.length}`);
  const failureModes = entries.map(([name, mode]): FailureModeModel => {
    const path = [...base, "failures", name];
    if (mode.mtbf !== undefined && mode.rate !== undefined) read.fail([...path, "rate"], "give mtbf or rate, not both");
    if (mode.mtbf === undefined && mode.rate === undefined) read.fail(path, "expected mtbf or rate (how often this mode strikes)");
    const ratePerHour =
      mode.rate !== undefined ? read.number([...path, "rate"], mode.rate) : 1 / read.number([...path, "mtbf"], mode.mtbf as RawExpr);
    const mttrHours = read.number([...path, "mttr"], mode.mttr);
    const crew = read.flag([...path, "crew"], mode.crew);
    return { name, ratePerHour, mttrHours, crew, loses: mode.loses ?? (crew ? "unflushed" : "nothing") };
  });
  const availability = competingModesAvailability(failureModes.map((m) => ({ failureRate: m.ratePerHour, repairRate: 1 / m.mttrHours })));
  const only = failureModes.length === 1 ? (failureModes[0] as FailureModeModel) : undefined;
  // One crew mode is exactly node: {mtbf, mttr}: the simple formulas and the simulator apply.
  const node: NodeModel =
    only?.crew && only.ratePerHour > 0 ? { availability, mtbfHours: 1 / only.ratePerHour, mttrHours: only.mttrHours } : { availability };
  return { node, failureModes };
}

/** `zones`, `maintenance`, `failover`, and the modes of a plain node. */
export function resolveClusterExtras(
  read: FieldReader,
  raw: RawCluster,
  nodes: number,
  node: NodeModel,
  failureModes: FailureModeModel[] | undefined,
): Pick<ClusterModel, "failureModes" | "zones" | "maintenance" | "failover"> {
  const modes =
    failureModes ??
    (node.mtbfHours !== undefined && node.mttrHours !== undefined
      ? [{ name: "node", ratePerHour: 1 / node.mtbfHours, mttrHours: node.mttrHours, crew: true, loses: "unflushed" as const }]
      : undefined);
  const needsRates = (block: string) => {
    if (modes === undefined) {
      read.fail(
        ["cluster", block],
        `cluster.${block} needs the Markov model, which needs node.mtbf and node.mttr or node.failures (not an availability)`,
      );
    }
  };
  let zones: ZonesModel | undefined;
  if (raw.zones) zones = resolveZones(read, raw.zones, nodes);
  let maintenance: ClusterModel["maintenance"];
  if (raw.maintenance) {
    needsRates("maintenance");
    const path = ["cluster", "maintenance"];
    const everyHours = read.number([...path, "every"], raw.maintenance.every);
    const durationHours = read.number([...path, "duration"], raw.maintenance.duration);
    if (nodes * durationHours > everyHours) {
      read.fail(
        [...path, "duration"],
        `a round of rolling restarts (${nodesText(nodes)} × ${hoursText(durationHours)} = ${hoursText(nodes * durationHours)}) must fit in every (${hoursText(everyHours)})`,
      );
    }
    let badRelease: BadReleaseModel | undefined;
    if (raw.maintenance.bad_release) {
      const bad = raw.maintenance.bad_release;
      const at = [...path, "bad_release"];
      badRelease = {
        p: read.probability([...at, "p"], bad.p).value,
        detectHours: read.number([...at, "detect"], bad.detect),
        rollbackHours: read.number([...at, "rollback"], bad.rollback),
      };
      const window = durationHours + badRelease.detectHours + badRelease.rollbackHours;
      if (window > everyHours) {
        read.fail(
          [...at, "rollback"],
          `a bad round (duration + detect + rollback = ${hoursText(window)}) must fit in every (${hoursText(everyHours)})`,
        );
      }
    }
    maintenance = { everyHours, durationHours, ...(badRelease ? { badRelease } : {}) };
  }
  let failover: ClusterModel["failover"];
  if (raw.failover) {
    needsRates("failover");
    failover = { timeHours: read.number(["cluster", "failover", "time"], raw.failover.time) };
  }
  return {
    ...(modes ? { failureModes: modes } : {}),
    ...(zones ? { zones } : {}),
    ...(maintenance ? { maintenance } : {}),
    ...(failover ? { failover } : {}),
  };
}

function resolveZones(read: FieldReader, raw: NonNullable<RawCluster["zones"]>, nodes: number): ZonesModel {
  const path = ["cluster", "zones"];
  if (raw.placement !== undefined && raw.count !== undefined) read.fail([...path, "count"], "give placement or count, not both");
  let placement: number[];
  let zoneOfNode: number[];
  if (raw.placement !== undefined) {
    if (raw.placement.length === 0) read.fail([...path, "placement"], "expected nodes per zone, e.g. [2, 2, 1]");
    // A number is passed as its text: a `--set` list is not in the file, whose numbers would be re-read.
    placement = raw.placement.map((value, z) => read.number([...path, "placement", z], typeof value === "number" ? String(value) : value));
    const placed = placement.reduce((a, b) => a + b, 0);
    if (placed !== nodes) {
      read.fail(
        [...path, "placement"],
        `the placement puts ${nodesText(placed)} in zones, but cluster.nodes is ${nodes}: it must add up to ${nodes}`,
      );
    }
    zoneOfNode = placement.flatMap((size, z) => new Array<number>(size).fill(z));
  } else if (raw.count !== undefined) {
    const count = read.number([...path, "count"], raw.count);
    if (count > nodes) read.fail([...path, "count"], `count ${count} is more than the ${nodesText(nodes)}: a zone would be empty`);
    zoneOfNode = Array.from({ length: nodes }, (_, i) => i % count);
    placement = Array.from({ length: count }, (_, z) => zoneOfNode.filter((x) => x === z).length);
  } else {
    return read.fail(path, "expected placement: [nodes per zone] or count: N (nodes spread round-robin)");
  }
  if (placement.length > MAX_ZONES) read.fail(path, `expected at most ${MAX_ZONES} zones, got ${placement.length}`);
  let outage: ZonesModel["outage"];
  if (raw.outage) {
    if (raw.outage.crew !== undefined) {
      read.fail([...path, "outage", "crew"], "a zone outage needs no repair crew (a zone comes back on its own): remove crew");
    }
    outage = {
      ratePerHour: read.number([...path, "outage", "rate"], raw.outage.rate),
      mttrHours: read.number([...path, "outage", "mttr"], raw.outage.mttr),
      loses: sharedLoss(read, [...path, "outage", "loses"], raw.outage.loses),
    };
  }
  return { placement, zoneOfNode, given: raw.placement !== undefined ? "placement" : "count", ...(outage ? { outage } : {}) };
}

/**
 * What an event that takes several nodes down at once (a zone outage, the common cause)
 * destroys on each of them. Default `unflushed`: the usual such event is a power loss
 * (an AZ's, a data centre's), which empties every page cache it reaches. `disk` is refused:
 * losing every disk of a zone or of the cluster loses every retained record — a question
 * of storage durability, not of the message path.
 */
export function sharedLoss(read: FieldReader, path: Path, loses: FailureModeModel["loses"] | undefined): "nothing" | "unflushed" {
  if (loses === "disk") {
    read.fail(
      path,
      "a zone outage or a common cause may lose nothing or unflushed data; losing the disks of several nodes at once is outside the message path (it loses every retained record)",
    );
  }
  return loses ?? (fieldDefault(path) as "nothing" | "unflushed");
}

function hoursText(hours: number): string {
  if (hours < 1 / 60) return `${+(hours * 3600).toPrecision(4)} s`;
  if (hours < 1) return `${+(hours * 60).toPrecision(4)} min`;
  if (hours < 48) return `${+hours.toPrecision(4)} h`;
  return `${+(hours / 24).toPrecision(4)} d`;
}

/** "1 node", "3 nodes" */
export function nodesText(count: number): string {
  return `${count} node${count === 1 ? "" : "s"}`;
}
