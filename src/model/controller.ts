/**
 * `cluster.controller` — the control plane (docs/design.md §3e, "Control plane") — from the
 * parsed file to the model, with one clear error per problem.
 *
 * Decisions (docs/model-files.md "The control plane"):
 * - its nodes are machines of their own, independent of the brokers (no zone, no common
 *   cause, no shared crew: each recovers by itself, in parallel — `crew` is not a field);
 * - `node: {mtbf, mttr}` is one mode; `node.failures` several, competing as a broker's do;
 * - it gates the leader election, so it needs `cluster.failover` with a time > 0; with
 *   maintenance, a fleet or a message path it is refused (not modelled yet).
 */
import type { FieldReader } from "./clusterModes.js";
import { nodesText } from "./clusterModes.js";
import type { RawExpr, RawModel } from "./schema.js";
import type { ControllerModel } from "./types.js";

type RawController = NonNullable<RawModel["cluster"]["controller"]>;

const MAX_CONTROLLER_MODES = 8;

export function resolveController(read: FieldReader, raw: RawController, failoverHours: number | undefined): ControllerModel {
  const base = ["cluster", "controller"];
  const nodes = read.number([...base, "nodes"], raw.nodes);
  const quorum = controllerQuorum(read, raw.quorum, nodes);
  if (failoverHours === undefined) {
    read.fail(base, "needs cluster.failover: the control plane gates the leader election after a failure");
  }
  if (!(failoverHours > 0)) {
    read.fail(["cluster", "failover", "time"], "must be > 0 with cluster.controller (an instant election cannot wait for the controller)");
  }
  const node = raw.node;
  const nodePath = [...base, "node"];
  let modes: ControllerModel["modes"];
  if (node.failures !== undefined) {
    for (const key of ["mtbf", "mttr"] as const) {
      if (node[key] !== undefined) read.fail([...nodePath, key], `give failures, or mtbf + mttr — not ${key} and failures`);
    }
    const entries = Object.entries(node.failures);
    if (entries.length === 0)
      read.fail([...nodePath, "failures"], "expected at least one failure mode, e.g. crash: { rate: 2 / year, mttr: 5 min }");
    if (entries.length > MAX_CONTROLLER_MODES) {
      read.fail([...nodePath, "failures"], `expected at most ${MAX_CONTROLLER_MODES} failure modes, got ${entries.length}`);
    }
    modes = entries.map(([name, mode]) => {
      const path = [...nodePath, "failures", name];
      if (mode.mtbf !== undefined && mode.rate !== undefined) read.fail([...path, "rate"], "give mtbf or rate, not both");
      if (mode.mtbf === undefined && mode.rate === undefined) read.fail(path, "expected mtbf or rate (how often this mode strikes)");
      const ratePerHour =
        mode.rate !== undefined ? read.number([...path, "rate"], mode.rate) : 1 / read.number([...path, "mtbf"], mode.mtbf as RawExpr);
      return { name, ratePerHour, mttrHours: read.number([...path, "mttr"], mode.mttr) };
    });
  } else {
    if (node.mtbf === undefined) read.fail([...nodePath, "mtbf"], "missing field: give mtbf + mttr, or failures");
    if (node.mttr === undefined) read.fail([...nodePath, "mttr"], "missing field (mtbf needs mttr)");
    const mtbfHours = read.number([...nodePath, "mtbf"], node.mtbf);
    modes = [{ name: "node", ratePerHour: 1 / mtbfHours, mttrHours: read.number([...nodePath, "mttr"], node.mttr) }];
  }
  return { nodes, quorum, modes };
}

function controllerQuorum(read: FieldReader, value: RawExpr | undefined, nodes: number): number {
  const path = ["cluster", "controller", "quorum"];
  const named: Record<string, number> = { majority: Math.floor(nodes / 2) + 1, any: 1, all: nodes };
  const word = typeof value === "string" ? value.trim() : value === undefined ? "majority" : undefined;
  const k = word !== undefined && Object.hasOwn(named, word) ? (named[word] as number) : read.number(path, value as RawExpr);
  if (k > nodes) read.fail(path, `quorum ${k} is more than the ${nodesText(nodes)} of the controller`);
  return k;
}

/** The blocks the control plane is not modelled with yet: one line naming the first. */
export function refuseBesideController(read: FieldReader, raw: RawModel): void {
  if (raw.cluster.controller === undefined) return;
  const besides: [unknown, string, readonly string[]][] = [
    [raw.cluster.maintenance, "cluster.maintenance", ["cluster", "maintenance"]],
    [raw.fleet, "fleet:", ["fleet"]],
    [raw.messages, "messages:", ["messages"]],
  ];
  for (const [block, name, path] of besides) {
    if (block !== undefined) {
      read.fail(
        path,
        `is not modelled with cluster.controller yet (the control plane gates the election of a plain cluster's queue): remove ${name} or the controller`,
      );
    }
  }
}
