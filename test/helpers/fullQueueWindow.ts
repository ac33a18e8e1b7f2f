/**
 * Reference for the queue's maintenance window (src/formulas/_internal/queueWindow.ts):
 * the way mqrel computed it before the window was split into the process marginal and
 * the up part — every slot's full chain (node processes, zones, leader) explored state by
 * state and uniformized as a whole. The solver pieces it uses (packed states,
 * restart, uniformization) are tested on their own (clusterStates.test.ts and the
 * mpmath references of maintenance.test.ts); what this checks is the split itself.
 */
import { queueSteadyState, solveSteadyState } from "../../src/formulas/_internal/clusterSolve.js";
import { ClusterDynamics, clusterCodec, LEADER, ZONES } from "../../src/formulas/_internal/clusterStates.js";
import {
  Distribution,
  exploreFrom,
  initialVector,
  released,
  restart,
  WindowLayout,
} from "../../src/formulas/_internal/maintenanceWindow.js";
import { uniformize } from "../../src/formulas/_internal/uniformization.js";
import { solveSpec } from "../../src/formulas/clusterChain.js";
import type { MaintenanceParams } from "../../src/formulas/maintenance.js";

/** Hours of the window with the queue down and up, and the largest slot chain's states. */
export function fullQueueWindow(params: MaintenanceParams): { down: number; up: number; states: number } {
  const spec = solveSpec(params, "fullQueueWindow");
  const n = spec.nodes;
  const zoneCount = spec.placement.length;
  const order = params.restartOrder ?? spec.placement.flatMap((size, z) => new Array<number>(size).fill(z));
  const steady = solveSteadyState(spec);
  const queueSteady = queueSteadyState(steady);
  const codec = clusterCodec(
    spec.placement.flatMap((size) => [size, size]),
    spec.modes,
    spec.repairCrews,
    n,
    zoneCount,
  );
  const sizesAt = (slot: number) => {
    const done = new Array<number>(zoneCount).fill(0);
    for (let j = 0; j < slot; j++) done[order[j] as number] = (done[order[j] as number] as number) + 1;
    return spec.placement.flatMap((size, z) => [size - (done[z] as number), done[z] as number]);
  };
  const dynamicsAt = (slot: number) =>
    new ClusterDynamics(
      {
        quorum: spec.quorum,
        modes: spec.modes,
        repairCrews: spec.repairCrews,
        classZone: spec.placement.flatMap((_, z) => [z, z]),
        classSize: sizesAt(slot),
        zoneCount,
        zoneOutageRate: spec.zoneOutageRate,
        zoneRestoreRate: spec.zoneRestoreRate,
        commonCauseRate: spec.commonCauseRate,
        commonCauseRestoreRate: spec.commonCauseRestoreRate,
        ...(spec.electionRate !== undefined ? { electionRate: spec.electionRate } : {}),
      },
      codec,
    );
  const full = steady.full;
  const pCodec = full.codec;
  const pw = pCodec.words;
  const layout = new WindowLayout(pCodec, codec);
  let start = new Distribution(codec);
  const uW = new Int32Array(codec.fields);
  const key = new Int32Array(codec.words);
  const x = full.u;
  // down states: π_P·π_Z with the leader lost; up states: the queue's steady state
  for (let i = 0; i < steady.chain.size; i++) {
    for (let m = 0; m < steady.zones.masks.length; m++) {
      pCodec.decode(steady.table.keys, i * pw, x);
      x[ZONES] = steady.zones.masks[m] as number;
      x[LEADER] = 1;
      full.normalize(x);
      if (full.upNodes(x) >= spec.quorum) continue;
      layout.toWindow(x, uW);
      start.addUnpacked(uW, key, (steady.pi[i] as number) * (steady.zones.probability[m] as number));
    }
  }
  for (let j = 0; j < queueSteady.count; j++) {
    pCodec.decode(queueSteady.keys, j * pw, x);
    layout.toWindow(x, uW);
    start.addUnpacked(uW, key, queueSteady.probability[j] as number);
  }
  let down = 0;
  let up = 0;
  let states = 0;
  for (let slot = 1; slot <= order.length; slot++) {
    const zone = order[slot - 1] as number;
    const dyn = dynamicsAt(slot);
    const moved = restart(start, 2 * zone, (sizesAt(slot - 1)[2 * zone] as number) || 1, dyn);
    const { chain, table } = exploreFrom(moved, dyn);
    states = Math.max(states, chain.size);
    const evolved = uniformize(chain, initialVector(moved, chain.size), params.durationHours);
    const u = dyn.u;
    for (let i = 0; i < chain.size; i++) {
      const t = evolved.integral[i] as number;
      codec.decode(table.keys, i * codec.words, u);
      if (dyn.upNodes(u) >= spec.quorum && u[LEADER] === 0) up += t;
      else down += t;
    }
    start = released(table, chain.size, evolved.end, dyn, true);
  }
  return { down, up, states };
}
