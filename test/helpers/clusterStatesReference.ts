/**
 * The cluster chain's states and transitions as mqrel built them before states were
 * packed into integer keys (commit 5e737a5, src/formulas/_internal/clusterStates.ts and
 * markovChain.ts): states as objects, string keys, rows as Maps. Kept verbatim as the
 * reference the packed implementation must reproduce state for state and rate for rate
 * (test/formulas/clusterStates.test.ts).
 */

interface ChainDescription<S> {
  key(state: S): string;
  transitions(state: S, emit: (target: S, rate: number) => void): void;
}

interface ModeRates {
  /** failures per hour of one up node in this mode */
  readonly failureRate: number;
  /** recoveries per hour of one node down in this mode (per crew for crew modes) */
  readonly repairRate: number;
  /** waits for one of the shared repair crews (else recovers by itself, in parallel) */
  readonly needsCrew: boolean;
}

interface ClusterDynamicsSpec {
  readonly quorum: number;
  readonly modes: readonly ModeRates[];
  readonly repairCrews: number;
  /** zone of each class */
  readonly classZone: readonly number[];
  /** nodes in each class */
  readonly classSize: readonly number[];
  readonly zoneCount: number;
  readonly zoneOutageRate: number;
  readonly zoneRestoreRate: number;
  readonly commonCauseRate: number;
  readonly commonCauseRestoreRate: number;
  /** elections per hour once a quorum is up; undefined: the leader is not modelled */
  readonly electionRate?: number;
}

export interface ReferenceState {
  /** every node down by a common cause (process states void) */
  readonly commonCause: boolean;
  /** bit z set: zone z is down */
  readonly zonesDown: number;
  /** the queue has no elected leader (always true while the quorum is lost) */
  readonly leaderLost: boolean;
  /** class of the node held down by a planned restart, or −1 */
  readonly held: number;
  /** [class · F + f]: nodes of the class down in crew-free mode f */
  readonly freeDown: readonly number[];
  /** [class · C + c]: nodes of the class being repaired in crew mode c */
  readonly inRepair: readonly number[];
  /** waiting for a crew, first come first served: entries class · C + c */
  readonly waiting: readonly number[];
}

export function referenceKey(s: ReferenceState): string {
  return `${s.commonCause ? 1 : 0}${s.leaderLost ? 1 : 0}|${s.zonesDown}|${s.held}|${s.freeDown.join(",")}|${s.inRepair.join(",")}|${s.waiting.join(",")}`;
}

/** The cluster's dynamics: transitions, and which states are up. */
export class ReferenceDynamics {
  readonly freeModes: readonly ModeRates[];
  readonly crewModes: readonly ModeRates[];
  readonly classes: number;
  readonly trackLeader: boolean;

  constructor(readonly spec: ClusterDynamicsSpec) {
    this.freeModes = spec.modes.filter((m) => !m.needsCrew);
    this.crewModes = spec.modes.filter((m) => m.needsCrew);
    this.classes = spec.classSize.length;
    this.trackLeader = spec.electionRate !== undefined;
  }

  /** Every node up, every zone up, leader elected. */
  allUp(): ReferenceState {
    return {
      commonCause: false,
      zonesDown: 0,
      leaderLost: false,
      held: -1,
      freeDown: new Array(this.classes * this.freeModes.length).fill(0),
      inRepair: new Array(this.classes * this.crewModes.length).fill(0),
      waiting: [],
    };
  }

  /** Nodes of class `c` whose process is up (not failed, not held), whatever their zone. */
  processUp(s: ReferenceState, c: number): number {
    if (s.commonCause) return 0;
    let down = s.held === c ? 1 : 0;
    const f = this.freeModes.length;
    for (let m = 0; m < f; m++) down += s.freeDown[c * f + m] as number;
    const r = this.crewModes.length;
    for (let m = 0; m < r; m++) down += s.inRepair[c * r + m] as number;
    for (const entry of s.waiting) if (Math.floor(entry / r) === c) down++;
    return (this.spec.classSize[c] as number) - down;
  }

  zoneUp(s: ReferenceState, zone: number): boolean {
    return (s.zonesDown & (1 << zone)) === 0;
  }

  /** Nodes up: process up and zone up, no common cause. */
  upNodes(s: ReferenceState): number {
    if (s.commonCause) return 0;
    let up = 0;
    for (let c = 0; c < this.classes; c++) if (this.zoneUp(s, this.spec.classZone[c] as number)) up += this.processUp(s, c);
    return up;
  }

  /** Nodes whose process is up, per zone (whatever the zone's own state). */
  processUpByZone(s: ReferenceState, zoneCount: number): number[] {
    const counts = new Array<number>(zoneCount).fill(0);
    for (let c = 0; c < this.classes; c++) {
      const z = this.spec.classZone[c] as number;
      counts[z] = (counts[z] as number) + this.processUp(s, c);
    }
    return counts;
  }

  isUp(s: ReferenceState): boolean {
    return this.upNodes(s) >= this.spec.quorum;
  }

  /** The state with the leader flag made canonical: lost whenever the quorum is. */
  normalize(s: ReferenceState): ReferenceState {
    if (!this.trackLeader) return s.leaderLost ? { ...s, leaderLost: false } : s;
    if (!s.leaderLost && !this.isUp(s)) return { ...s, leaderLost: true };
    return s;
  }

  /**
   * Emit the transitions out of `s`. An unplanned loss of up nodes (a node's failure, its
   * zone's outage) takes the leader with it with probability (up nodes lost)/(up nodes):
   * the leader is equally likely on each up node.
   */
  transitions(s: ReferenceState, emit: (target: ReferenceState, rate: number) => void): void {
    const spec = this.spec;
    const put = (target: ReferenceState, rate: number) => emit(this.normalize(target), rate);
    /** a transition that takes `lost` of the `up` up nodes away */
    const unplanned = (target: ReferenceState, rate: number, lost: number, up: number) => {
      if (!this.trackLeader || s.leaderLost || lost === 0) {
        put(target, rate);
        return;
      }
      if (lost < up) put({ ...target, leaderLost: false }, (rate * (up - lost)) / up);
      put({ ...target, leaderLost: true }, (rate * lost) / up);
    };
    // zones fail and return independently of everything else
    for (let z = 0; z < spec.zoneCount; z++) {
      const bit = 1 << z;
      if (this.zoneUp(s, z)) {
        let lost = 0;
        if (!s.commonCause) for (let c = 0; c < this.classes; c++) if (spec.classZone[c] === z) lost += this.processUp(s, c);
        unplanned({ ...s, zonesDown: s.zonesDown | bit }, spec.zoneOutageRate, lost, this.upNodes(s));
      } else put({ ...s, zonesDown: s.zonesDown & ~bit }, spec.zoneRestoreRate);
    }
    if (s.commonCause) {
      put({ ...this.allUp(), zonesDown: s.zonesDown, leaderLost: true }, spec.commonCauseRestoreRate);
      return;
    }
    put(
      {
        ...s,
        commonCause: true,
        leaderLost: true,
        held: -1,
        freeDown: s.freeDown.map(() => 0),
        inRepair: s.inRepair.map(() => 0),
        waiting: [],
      },
      spec.commonCauseRate,
    );
    if (this.trackLeader && s.leaderLost && this.isUp(s)) put({ ...s, leaderLost: false }, spec.electionRate as number);
    const up = this.upNodes(s);
    const f = this.freeModes.length;
    const r = this.crewModes.length;
    let busy = 0;
    for (const n of s.inRepair) busy += n;
    for (let c = 0; c < this.classes; c++) {
      const processUp = this.processUp(s, c);
      const lost = this.zoneUp(s, spec.classZone[c] as number) ? 1 : 0;
      if (processUp > 0) {
        for (let m = 0; m < f; m++) {
          const freeDown = [...s.freeDown];
          freeDown[c * f + m] = (freeDown[c * f + m] as number) + 1;
          unplanned({ ...s, freeDown }, processUp * (this.freeModes[m] as ModeRates).failureRate, lost, up);
        }
        for (let m = 0; m < r; m++) {
          const rate = processUp * (this.crewModes[m] as ModeRates).failureRate;
          if (busy < spec.repairCrews) {
            const inRepair = [...s.inRepair];
            inRepair[c * r + m] = (inRepair[c * r + m] as number) + 1;
            unplanned({ ...s, inRepair }, rate, lost, up);
          } else unplanned({ ...s, waiting: [...s.waiting, c * r + m] }, rate, lost, up);
        }
      }
      for (let m = 0; m < f; m++) {
        const down = s.freeDown[c * f + m] as number;
        if (down === 0) continue;
        const freeDown = [...s.freeDown];
        freeDown[c * f + m] = down - 1;
        put({ ...s, freeDown }, down * (this.freeModes[m] as ModeRates).repairRate);
      }
      for (let m = 0; m < r; m++) {
        const repairing = s.inRepair[c * r + m] as number;
        if (repairing === 0) continue;
        const inRepair = [...s.inRepair];
        inRepair[c * r + m] = repairing - 1;
        let waiting = s.waiting;
        if (waiting.length > 0) {
          const next = waiting[0] as number;
          inRepair[next] = (inRepair[next] as number) + 1;
          waiting = waiting.slice(1);
        }
        put({ ...s, inRepair, waiting }, repairing * (this.crewModes[m] as ModeRates).repairRate);
      }
    }
  }
}

export function referenceExplore<S>(
  initial: readonly S[],
  description: ChainDescription<S>,
  maxStates: number,
  what = "the Markov chain",
): { size: number; targets: Int32Array[]; rates: Float64Array[]; states: S[] } {
  const index = new Map<string, number>();
  const states: S[] = [];
  const add = (state: S): number => {
    const key = description.key(state);
    const known = index.get(key);
    if (known !== undefined) return known;
    if (states.length >= maxStates) throw new RangeError(`${what} has more than ${maxStates} states`);
    index.set(key, states.length);
    states.push(state);
    return states.length - 1;
  };
  for (const state of initial) add(state);
  const targets: Int32Array[] = [];
  const rates: Float64Array[] = [];
  for (let s = 0; s < states.length; s++) {
    const row = new Map<number, number>();
    description.transitions(states[s] as S, (target, rate) => {
      if (!(rate > 0)) return;
      const t = add(target);
      if (t !== s) row.set(t, (row.get(t) ?? 0) + rate);
    });
    targets.push(Int32Array.from(row.keys()));
    rates.push(Float64Array.from(row.values()));
  }
  return { size: states.length, targets, rates, states };
}
