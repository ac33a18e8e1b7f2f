/**
 * The states and transitions of mqrel's general cluster chain (docs/design.md §3a: failure modes,
 * zones, maintenance and failover), shared by the availability, failover and
 * maintenance formulas.
 *
 * Nodes are grouped into classes of exchangeable nodes: one class per zone, and during
 * a maintenance window two per zone (not yet restarted / done). A state records, per
 * class, how many nodes are down in each crew-free mode, how many are being repaired in
 * each crew mode, and the FIFO queue of nodes waiting for a crew as a sequence of
 * (class, mode) entries — the order matters as soon as two waiting nodes differ in
 * repair rate or zone, so it is kept exactly; with a single kind of entry the sequence
 * is just a count. Besides: which zones are down, whether a common cause holds the whole
 * cluster down, which class's node is held down by a planned restart, and whether the
 * queue's leader is lost (awaiting election).
 *
 * Representation. A state is a small integer array (the *unpacked* form, layout below)
 * and, for hashing and storage, the same fields packed into a few 32-bit words (the
 * *key*, see ClusterCodec): each field gets the bits its largest value needs and no field
 * straddles two words. Transitions are written straight into a TransitionBuffer as keys
 * (the source's key with the changed fields rewritten), so exploring a chain creates no
 * object per state or per transition.
 *
 * All-up (every node and zone up, the leader elected) is the all-zero state and key.
 *
 * Unpacked layout: [0] common cause (0/1), [1] mask of zones down, [2] leader lost (0/1),
 * [3] held class + 1 (0: none), then nodes down per class and crew-free mode
 * (class · F + f), nodes in repair per class and crew mode (class · C + c), and the
 * waiting line: entry + 1 per position, 0 past its end.
 *
 * @internal
 */
import type { TransitionBuffer } from "./markovChain.js";

export interface ModeRates {
  /** failures per hour of one up node in this mode */
  readonly failureRate: number;
  /** recoveries per hour of one node down in this mode (per crew for crew modes) */
  readonly repairRate: number;
  /** waits for one of the shared repair crews (else recovers by itself, in parallel) */
  readonly needsCrew: boolean;
}

export interface ClusterDynamicsSpec {
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

/** A state as an object (for tests and messages; the solvers work on keys). */
export interface ClusterState {
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

export const CC = 0;
export const ZONES = 1;
export const LEADER = 2;
export const HELD = 3;
export const FREE = 4;

/** bits to hold 0 … max */
function bitsFor(max: number): number {
  return max <= 0 ? 0 : 32 - Math.clz32(max);
}

/**
 * The packing of a state's fields into 32-bit words, for `classes` classes of at most
 * `maxClassSize[c]` nodes, `zoneCount` zones and a waiting line of at most `maxWait`.
 */
export class ClusterCodec {
  readonly classes: number;
  /** index of the first in-repair count, and of the first waiting entry */
  readonly repairAt: number;
  readonly waitAt: number;
  /** length of the unpacked form */
  readonly fields: number;
  /** 32-bit words per key */
  readonly words: number;
  readonly word: Int32Array;
  readonly shift: Int32Array;
  readonly mask: Int32Array;

  constructor(
    readonly maxClassSize: readonly number[],
    readonly freeModes: number,
    readonly crewModes: number,
    readonly zoneCount: number,
    readonly maxWait: number,
  ) {
    const k = maxClassSize.length;
    this.classes = k;
    this.repairAt = FREE + k * freeModes;
    this.waitAt = this.repairAt + k * crewModes;
    this.fields = this.waitAt + maxWait;
    const widths: number[] = [1, zoneCount, 1, bitsFor(k)];
    for (let c = 0; c < k; c++) for (let f = 0; f < freeModes; f++) widths.push(bitsFor(maxClassSize[c] as number));
    for (let c = 0; c < k; c++) for (let m = 0; m < crewModes; m++) widths.push(bitsFor(maxClassSize[c] as number));
    for (let j = 0; j < maxWait; j++) widths.push(bitsFor(k * crewModes));
    this.word = new Int32Array(this.fields);
    this.shift = new Int32Array(this.fields);
    this.mask = new Int32Array(this.fields);
    let w = 0;
    let used = 0;
    widths.forEach((width, i) => {
      if (width > 32) throw new RangeError(`a cluster state field needs ${width} bits`);
      if (used + width > 32) {
        w++;
        used = 0;
      }
      this.word[i] = w;
      this.shift[i] = used;
      this.mask[i] = width === 32 ? -1 : (1 << width) - 1;
      used += width;
    });
    this.words = w + 1;
  }

  encode(u: Int32Array, out: Int32Array, at: number): void {
    out.fill(0, at, at + this.words);
    for (let i = 0; i < this.fields; i++) {
      const v = u[i] as number;
      if (v !== 0) {
        const w = at + (this.word[i] as number);
        out[w] = (out[w] as number) | (v << (this.shift[i] as number));
      }
    }
  }

  /** The key of u, as a new array. */
  encoded(u: Int32Array): Int32Array {
    const key = new Int32Array(this.words);
    this.encode(u, key, 0);
    return key;
  }

  decode(keys: Int32Array, at: number, u: Int32Array): void {
    for (let i = 0; i < this.fields; i++) {
      u[i] = ((keys[at + (this.word[i] as number)] as number) >>> (this.shift[i] as number)) & (this.mask[i] as number);
    }
  }

  /** Rewrite one field of the key at out[at …]. */
  set(out: Int32Array, at: number, field: number, value: number): void {
    const w = at + (this.word[field] as number);
    const s = this.shift[field] as number;
    out[w] = ((out[w] as number) & ~((this.mask[field] as number) << s)) | (value << s);
  }

  toObject(u: Int32Array): ClusterState {
    const k = this.classes;
    const waiting: number[] = [];
    for (let j = 0; j < this.maxWait && (u[this.waitAt + j] as number) > 0; j++) waiting.push((u[this.waitAt + j] as number) - 1);
    return {
      commonCause: u[CC] === 1,
      zonesDown: u[ZONES] as number,
      leaderLost: u[LEADER] === 1,
      held: (u[HELD] as number) - 1,
      freeDown: Array.from(u.subarray(FREE, FREE + k * this.freeModes)),
      inRepair: Array.from(u.subarray(this.repairAt, this.repairAt + k * this.crewModes)),
      waiting,
    };
  }

  fromObject(s: ClusterState): Int32Array {
    const u = new Int32Array(this.fields);
    u[CC] = s.commonCause ? 1 : 0;
    u[ZONES] = s.zonesDown;
    u[LEADER] = s.leaderLost ? 1 : 0;
    u[HELD] = s.held + 1;
    u.set(s.freeDown, FREE);
    u.set(s.inRepair, this.repairAt);
    s.waiting.forEach((e, j) => {
      u[this.waitAt + j] = e + 1;
    });
    return u;
  }
}

/** The codec for a cluster of `nodes` nodes whose classes hold at most `maxClassSize` nodes each. */
export function clusterCodec(
  maxClassSize: readonly number[],
  modes: readonly ModeRates[],
  repairCrews: number,
  nodes: number,
  zoneCount: number,
): ClusterCodec {
  const crewModes = modes.filter((m) => m.needsCrew).length;
  return new ClusterCodec(
    maxClassSize,
    modes.length - crewModes,
    crewModes,
    zoneCount,
    crewModes > 0 ? Math.max(0, nodes - repairCrews) : 0,
  );
}

/**
 * The cluster's dynamics: transitions, and which states are up. One instance is not
 * re-entrant (it keeps scratch arrays).
 */
export class ClusterDynamics {
  readonly freeModes: readonly ModeRates[];
  readonly crewModes: readonly ModeRates[];
  readonly classes: number;
  readonly trackLeader: boolean;
  readonly codec: ClusterCodec;
  /** the unpacked state being expanded (write a state here and call expandUnpacked) */
  readonly u: Int32Array;
  private readonly base: Int32Array;
  private readonly processUpOf: Int32Array;
  private readonly changeField: Int32Array;
  private readonly changeValue: Int32Array;
  private changes = 0;
  private count = 0;
  private out: TransitionBuffer | undefined;
  private sourceLeader = 0;
  private readonly freeFailure: Float64Array;
  private readonly freeRepair: Float64Array;
  private readonly crewFailure: Float64Array;
  private readonly crewRepair: Float64Array;

  /** `codec` defaults to one sized by this spec's classes (pass a shared one to compare keys across specs) */
  constructor(
    readonly spec: ClusterDynamicsSpec,
    codec?: ClusterCodec,
  ) {
    this.freeModes = spec.modes.filter((m) => !m.needsCrew);
    this.crewModes = spec.modes.filter((m) => m.needsCrew);
    this.classes = spec.classSize.length;
    this.trackLeader = spec.electionRate !== undefined;
    const nodes = spec.classSize.reduce((a, b) => a + b, 0);
    this.codec = codec ?? clusterCodec(spec.classSize, spec.modes, spec.repairCrews, nodes, spec.zoneCount);
    if (
      this.codec.classes !== this.classes ||
      this.codec.freeModes !== this.freeModes.length ||
      this.codec.crewModes !== this.crewModes.length
    ) {
      throw new RangeError("ClusterDynamics: the codec does not fit the spec (a bug)");
    }
    this.u = new Int32Array(this.codec.fields);
    this.base = new Int32Array(this.codec.words);
    this.processUpOf = new Int32Array(this.classes);
    this.changeField = new Int32Array(this.codec.fields + 4);
    this.changeValue = new Int32Array(this.codec.fields + 4);
    this.freeFailure = Float64Array.from(this.freeModes, (m) => m.failureRate);
    this.freeRepair = Float64Array.from(this.freeModes, (m) => m.repairRate);
    this.crewFailure = Float64Array.from(this.crewModes, (m) => m.failureRate);
    this.crewRepair = Float64Array.from(this.crewModes, (m) => m.repairRate);
  }

  /** Most transitions one state can have (for sizing a TransitionBuffer). */
  get maxTransitions(): number {
    return 2 * this.spec.zoneCount + 3 + 3 * this.classes * (this.freeModes.length + this.crewModes.length) + 2;
  }

  /** Nodes of class `c` whose process is up (not failed, not held), whatever their zone. */
  processUp(u: Int32Array, c: number): number {
    if (u[CC] === 1) return 0;
    const codec = this.codec;
    let down = u[HELD] === c + 1 ? 1 : 0;
    const f = this.freeModes.length;
    for (let m = 0; m < f; m++) down += u[FREE + c * f + m] as number;
    const r = this.crewModes.length;
    for (let m = 0; m < r; m++) down += u[codec.repairAt + c * r + m] as number;
    for (let j = 0; j < codec.maxWait; j++) {
      const e = u[codec.waitAt + j] as number;
      if (e === 0) break;
      if (Math.floor((e - 1) / r) === c) down++;
    }
    return (this.spec.classSize[c] as number) - down;
  }

  /** Nodes up: process up and zone up, no common cause. */
  upNodes(u: Int32Array): number {
    if (u[CC] === 1) return 0;
    const zones = u[ZONES] as number;
    let up = 0;
    for (let c = 0; c < this.classes; c++) if ((zones & (1 << (this.spec.classZone[c] as number))) === 0) up += this.processUp(u, c);
    return up;
  }

  /** Nodes whose process is up, per zone (whatever the zone's own state), into `counts`. */
  processUpByZone(u: Int32Array, counts: Int32Array): void {
    counts.fill(0);
    for (let c = 0; c < this.classes; c++) {
      const z = this.spec.classZone[c] as number;
      counts[z] = (counts[z] as number) + this.processUp(u, c);
    }
  }

  /** The leader flag made canonical (lost whenever the quorum is), in place. */
  normalize(u: Int32Array): void {
    if (!this.trackLeader) u[LEADER] = 0;
    else if (u[LEADER] === 0 && this.upNodes(u) < this.spec.quorum) u[LEADER] = 1;
  }

  /** Decode the key at keys[at …] into u and write its transitions. */
  expand(keys: Int32Array, at: number, out: TransitionBuffer): number {
    this.codec.decode(keys, at, this.u);
    for (let j = 0; j < this.codec.words; j++) this.base[j] = keys[at + j] as number;
    return this.transitions(out);
  }

  /** Write the transitions out of the state in u (after writing a state there). */
  expandUnpacked(out: TransitionBuffer): number {
    this.codec.encode(this.u, this.base, 0);
    return this.transitions(out);
  }

  private stage(field: number, value: number): void {
    this.changeField[this.changes] = field;
    this.changeValue[this.changes] = value;
    this.changes++;
  }

  /** One transition: the source's key with the staged changes and the leader normalised. */
  private put(rate: number, upAfter: number, leaderLost: number): void {
    const out = this.out as TransitionBuffer;
    const codec = this.codec;
    const w = codec.words;
    const i = this.count++;
    const at = i * w;
    const keys = out.keys;
    for (let j = 0; j < w; j++) keys[at + j] = this.base[j] as number;
    for (let c = 0; c < this.changes; c++) codec.set(keys, at, this.changeField[c] as number, this.changeValue[c] as number);
    const leader = this.trackLeader && (leaderLost === 1 || upAfter < this.spec.quorum) ? 1 : 0;
    codec.set(keys, at, LEADER, leader);
    out.rates[i] = rate;
    out.up[i] = upAfter;
    out.index[i] = -1;
  }

  /**
   * A transition that takes `lost` of the `up` up nodes away: it takes the leader with
   * it with probability lost/up (the leader is equally likely on each up node).
   */
  private unplanned(rate: number, lost: number, up: number): void {
    const upAfter = up - lost;
    if (!this.trackLeader || this.sourceLeader === 1 || lost === 0) {
      this.put(rate, upAfter, this.sourceLeader);
      return;
    }
    if (lost < up) this.put((rate * (up - lost)) / up, upAfter, 0);
    this.put((rate * lost) / up, upAfter, 1);
  }

  /**
   * Emit the transitions out of the state in u, in a fixed order (zones; the common
   * cause's restore, or its onset and the election; then per class: failures per mode,
   * recoveries, repairs). An unplanned loss of up nodes (a node's failure, its zone's
   * outage) takes the leader with it with probability (up nodes lost)/(up nodes).
   */
  private transitions(out: TransitionBuffer): number {
    out.reserve(this.maxTransitions);
    this.out = out;
    this.count = 0;
    this.changes = 0;
    const u = this.u;
    const spec = this.spec;
    const codec = this.codec;
    const k = this.classes;
    const f = this.freeModes.length;
    const r = this.crewModes.length;
    const cc = u[CC] === 1;
    const zones = u[ZONES] as number;
    this.sourceLeader = u[LEADER] as number;
    const pu = this.processUpOf;
    let waitLen = 0;
    while (waitLen < codec.maxWait && (u[codec.waitAt + waitLen] as number) > 0) waitLen++;
    let up = 0;
    for (let c = 0; c < k; c++) {
      const p = this.processUp(u, c);
      pu[c] = p;
      if ((zones & (1 << (spec.classZone[c] as number))) === 0) up += p;
    }
    // zones fail and return independently of everything else
    for (let z = 0; z < spec.zoneCount; z++) {
      const bit = 1 << z;
      let inZone = 0;
      if (!cc) for (let c = 0; c < k; c++) if (spec.classZone[c] === z) inZone += pu[c] as number;
      if ((zones & bit) === 0) {
        this.stage(ZONES, zones | bit);
        this.unplanned(spec.zoneOutageRate, inZone, up);
      } else {
        this.stage(ZONES, zones & ~bit);
        this.put(spec.zoneRestoreRate, up + inZone, this.sourceLeader);
      }
      this.changes = 0;
    }
    if (cc) {
      // every process up again, zones as they are; the leader is lost until elected
      let upAfter = 0;
      for (let c = 0; c < k; c++) if ((zones & (1 << (spec.classZone[c] as number))) === 0) upAfter += spec.classSize[c] as number;
      this.clearToZones(zones);
      this.put(spec.commonCauseRestoreRate, upAfter, 1);
      this.changes = 0;
      return this.count;
    }
    this.clearToZones(zones);
    this.stage(CC, 1);
    this.put(spec.commonCauseRate, 0, 1);
    this.changes = 0;
    if (this.trackLeader && this.sourceLeader === 1 && up >= spec.quorum) this.put(spec.electionRate as number, up, 0);
    let busy = 0;
    for (let i = 0; i < k * r; i++) busy += u[codec.repairAt + i] as number;
    for (let c = 0; c < k; c++) {
      const processUp = pu[c] as number;
      const lost = (zones & (1 << (spec.classZone[c] as number))) === 0 ? 1 : 0;
      if (processUp > 0) {
        for (let m = 0; m < f; m++) {
          const field = FREE + c * f + m;
          this.stage(field, (u[field] as number) + 1);
          this.unplanned(processUp * (this.freeFailure[m] as number), lost, up);
          this.changes = 0;
        }
        for (let m = 0; m < r; m++) {
          const rate = processUp * (this.crewFailure[m] as number);
          if (busy < spec.repairCrews) {
            const field = codec.repairAt + c * r + m;
            this.stage(field, (u[field] as number) + 1);
          } else this.stage(codec.waitAt + waitLen, c * r + m + 1);
          this.unplanned(rate, lost, up);
          this.changes = 0;
        }
      }
      for (let m = 0; m < f; m++) {
        const field = FREE + c * f + m;
        const down = u[field] as number;
        if (down === 0) continue;
        this.stage(field, down - 1);
        this.put(down * (this.freeRepair[m] as number), up + lost, this.sourceLeader);
        this.changes = 0;
      }
      for (let m = 0; m < r; m++) {
        const field = codec.repairAt + c * r + m;
        const repairing = u[field] as number;
        if (repairing === 0) continue;
        if (waitLen > 0) {
          // the crew takes the head of the line
          const next = codec.repairAt + (u[codec.waitAt] as number) - 1;
          if (next === field) this.stage(field, repairing);
          else {
            this.stage(field, repairing - 1);
            this.stage(next, (u[next] as number) + 1);
          }
          for (let j = 0; j + 1 < waitLen; j++) this.stage(codec.waitAt + j, u[codec.waitAt + j + 1] as number);
          this.stage(codec.waitAt + waitLen - 1, 0);
        } else this.stage(field, repairing - 1);
        this.put(repairing * (this.crewRepair[m] as number), up + lost, this.sourceLeader);
        this.changes = 0;
      }
    }
    return this.count;
  }

  /** Stage every field back to zero except the zones (a state with every process up, or the common cause). */
  private clearToZones(zones: number): void {
    // rewrite the whole key: clear the base by staging each non-zero field
    const u = this.u;
    for (let i = 0; i < this.codec.fields; i++) if (i !== ZONES && i !== LEADER && (u[i] as number) !== 0) this.stage(i, 0);
    if ((u[ZONES] as number) !== zones) this.stage(ZONES, zones);
  }
}
