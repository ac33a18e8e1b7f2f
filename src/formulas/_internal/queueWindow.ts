/**
 * The queue's maintenance window: the full chain of a restart slot — node processes,
 * zones and the queue's leader — evolved exactly, without building it.
 *
 * The full chain's state is (p, z, L): the process state p (the slot's process chain),
 * the mask z of zones down, and the leader flag L. Two facts make most of it known:
 *
 * 1. Its (p, z) marginal is p(t) ⊗ π_Z at every moment, p(t) the process window's
 *    distribution: the leader influences neither processes nor zones, restarts and
 *    releases act on p alone, zones start (with every round) in their stationary
 *    distribution π_Z and are independent of the processes. This holds step by step of
 *    the uniformized chain too: (x ⊗ π_Z)·(I + (Q_P ⊕ Q_Z)/q) = x·(I + Q_P/q) ⊗ π_Z, since
 *    π_Z·Q_Z = 0. So the mass of every down pair (p, z) — quorum lost, where L is always
 *    "lost" — is x_k(p)·π_Z(z) at step k, with x_k the process vector uniformized at the
 *    same rate q.
 * 2. The leader matters only on the up pairs: there (p, z, 0) and (p, z, 1) are tracked
 *    explicitly, as the "up part" y. It moves by the full chain's transitions among up
 *    states, loses what leaves for a down pair (that mass is in x already), and gains
 *    what comes back from the down pairs: Σ_z π_Z(z)·x_k(p)·rate((p, z) → y) — the
 *    coupling R.
 *
 * So y_{k+1} = y_k·P_y + x_k·R/q and x_{k+1} = x_k·P_x (uniformization.ts
 * uniformizeCoupled): the same iterates as uniformizing the full chain, restricted to
 * what the queue's figures need — ∫P(quorum down) = Σ_p ∫x(p)·P_Z(down | p), plus the
 * up part's time with L lost. With crew-free modes most states of the full chain are
 * down (N = 7 over 3 zones: 113 248 of the 116 144 states of the middle slot; the up part
 * has 2 896): the work drops by an order of magnitude, and clusters whose full chain has
 * far more than MAX_WINDOW_STATES states are evolved exactly.
 *
 * The stiffness rule of the earlier method is kept, so that no figure changes: where
 * the full chain has at most MAX_WINDOW_STATES states, the queue falls back to the
 * approximation exactly when uniformizing that chain would take more than maxWork
 * multiply-adds (its size counted from the process chain: every process state with every
 * zone mask, both leader flags on the up pairs — bounds on its transitions decide, and
 * in the narrow band between them the full chain is explored to count them). Beyond,
 * the coupled evolution's own work decides.
 *
 * @internal
 */
import type { ZoneStates } from "./clusterSolve.js";
import { CC, type ClusterDynamics, HELD, LEADER, ZONES } from "./clusterStates.js";
import { Distribution, MAX_WINDOW_STATES, restart } from "./maintenanceWindow.js";
import { addInitial, ChainTooLargeError, type CsrChain, exitRates, exploreChain, TransitionBuffer } from "./markovChain.js";
import { StateTable } from "./stateTable.js";
import { TooStiffError, type Transpose, UNIFORMIZATION_HEADROOM, uniformizationWork, uniformizeCoupled } from "./uniformization.js";

/** One restart slot as the process window evolved it. */
export interface ProcessSlot {
  /** the zone restarted, and how many of its nodes were not yet restarted before the slot */
  readonly zone: number;
  readonly pendingCount: number;
  /** the slot's dynamics with zones and the leader (keys of the window codec) */
  readonly dynamics: ClusterDynamics;
  /** the process window: its chain (and its transpose), its states' keys, p at the slot's start and end */
  readonly chain: CsrChain;
  readonly transpose: Transpose;
  readonly keys: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** per process state: P(quorum down) over the zones' stationary states */
  readonly downWeight: Float64Array;
}

export class QueueWindow {
  /** hours with the queue down (quorum lost, or up without a leader), and up */
  down = 0;
  up = 0;
  steps = 0;
  /** states of the largest slot's full chain (what the coupled evolution stands for) */
  states = 0;
  /** states of the largest up part (evolved with the leader) */
  upStates = 0;
  private start: Distribution;

  /**
   * @param start the queue's distribution at the window's start, on its up pairs only
   *   (the down pairs are the process window's start ⊗ π_Z)
   */
  constructor(
    start: Distribution,
    private readonly zones: ZoneStates,
    private readonly quorum: number,
    private readonly duration: number,
    private readonly maxWork: number,
  ) {
    this.start = start;
  }

  /**
   * Evolve one slot (after the process window evolved it).
   *
   * @throws TooStiffError when the slot is too stiff to evolve (see above)
   */
  slot(s: ProcessSlot): void {
    const dyn = s.dynamics;
    const codec = dyn.codec;
    const w = codec.words;
    const quorum = this.quorum;
    const { masks, probability } = this.zones;
    const zoneCount = dyn.spec.zoneCount;
    const size = s.chain.size;
    // the up part after the restart (its down results are in the process window's start)
    const moved = restart(this.start, 2 * s.zone, s.pendingCount, dyn);
    const u = new Int32Array(codec.fields);
    const counts = new Int32Array(Math.max(1, zoneCount));
    const processUp = new Int32Array(size * counts.length);
    const isCommonCause = new Uint8Array(size);
    for (let p = 0; p < size; p++) {
      codec.decode(s.keys, p * w, u);
      dyn.processUpByZone(u, counts);
      processUp.set(counts, p * counts.length);
      isCommonCause[p] = u[CC] === 1 ? 1 : 0;
    }
    const zc = counts.length;
    /** up nodes of process state p with the zones of `mask` down */
    const upCount = (p: number, mask: number) => {
      if (isCommonCause[p] === 1) return 0;
      let up = 0;
      for (let z = 0; z < zc; z++) if ((mask & (1 << z)) === 0) up += processUp[p * zc + z] as number;
      return up;
    };
    // the full chain's size, its fastest exit, and bounds on its transitions
    const processExit = exitRates(s.chain);
    const spec = dyn.spec;
    const election = spec.electionRate ?? 0;
    // per zone mask: the zones' own rate out, and how many zone transitions it has
    const zoneRate = new Float64Array(masks.length);
    const zoneMoves = new Int32Array(masks.length);
    masks.forEach((mask, m) => {
      for (let z = 0; z < zoneCount; z++) {
        const rate = (mask & (1 << z)) !== 0 ? spec.zoneRestoreRate : spec.zoneOutageRate;
        zoneRate[m] = (zoneRate[m] as number) + rate;
        if (rate > 0) zoneMoves[m] = (zoneMoves[m] as number) + 1;
      }
    });
    let states = 0;
    let transitionsLow = 0;
    let transitionsHigh = 0;
    let maxExit = 0;
    for (let p = 0; p < size; p++) {
      const row = (s.chain.rowStart[p + 1] as number) - (s.chain.rowStart[p] as number);
      for (let m = 0; m < masks.length; m++) {
        const up = upCount(p, masks[m] as number) >= quorum;
        const moves = row + (zoneMoves[m] as number);
        states += up ? 2 : 1;
        transitionsLow += up ? 2 * moves : moves;
        transitionsHigh += up ? 2 * moves + row + zoneCount + 1 : moves;
        maxExit = Math.max(maxExit, (processExit[p] as number) + (zoneRate[m] as number) + (up ? election : 0));
      }
    }
    let q = UNIFORMIZATION_HEADROOM * maxExit;
    if (states <= MAX_WINDOW_STATES) {
      const low = uniformizationWork(q * (1 - 1e-12), this.duration, states + transitionsLow);
      const high = uniformizationWork(q * (1 + 1e-12), this.duration, states + transitionsHigh);
      if (low > this.maxWork) throw tooStiff(q, this.duration, low, this.maxWork);
      if (high > this.maxWork) {
        // in between: count the full chain itself
        const full = this.fullChain(s, u);
        if (full !== undefined) {
          const exits = exitRates(full);
          let fullMax = 0;
          for (let i = 0; i < full.size; i++) fullMax = Math.max(fullMax, exits[i] as number);
          q = Math.max(q, UNIFORMIZATION_HEADROOM * fullMax);
          const work = uniformizationWork(UNIFORMIZATION_HEADROOM * fullMax, this.duration, full.size + full.target.length);
          if (work > this.maxWork) throw tooStiff(UNIFORMIZATION_HEADROOM * fullMax, this.duration, work, this.maxWork);
        }
      }
    }
    this.states = Math.max(this.states, states);

    // the up part: the restart's up states, the states the down pairs return to, and all they reach
    const what = "the up states of a restart slot's chain with the queue's leader";
    const table = new StateTable(w);
    for (let i = 0; i < moved.size; i++) {
      codec.decode(moved.table.keys, i * w, u);
      if (dyn.upNodes(u) >= quorum) addInitial(table, moved.table.keys, i * w, MAX_WINDOW_STATES, what);
    }
    const startCount = table.size;
    const yStart = new Float64Array(startCount);
    for (let i = 0, j = 0; i < moved.size; i++) {
      codec.decode(moved.table.keys, i * w, u);
      if (dyn.upNodes(u) >= quorum) yStart[j++] = moved.p[i] as number;
    }
    const out = new TransitionBuffer(w, dyn.maxTransitions);
    const coupling = new RowBuilder(size);
    for (let p = 0; p < size; p++) {
      coupling.startRow(p);
      for (let m = 0; m < masks.length; m++) {
        const mask = masks[m] as number;
        const up = upCount(p, mask);
        if (up >= quorum) continue;
        // a single transition brings the quorum back only by a repair, a zone's return or the common cause's end
        let reachable = isCommonCause[p] === 1 || up + 1 >= quorum;
        for (let z = 0; z < zoneCount && !reachable; z++)
          if ((mask & (1 << z)) !== 0 && up + (processUp[p * zc + z] as number) >= quorum) reachable = true;
        if (!reachable) continue;
        codec.decode(s.keys, p * w, dyn.u);
        dyn.u[ZONES] = mask;
        dyn.u[LEADER] = 1;
        const count = dyn.expandUnpacked(out);
        for (let t = 0; t < count; t++) {
          const rate = out.rates[t] as number;
          if ((out.up[t] as number) < quorum || !(rate > 0)) continue;
          let j = table.find(out.keys, t * w);
          if (j < 0) {
            if (table.size >= MAX_WINDOW_STATES) throw new ChainTooLargeError(MAX_WINDOW_STATES, what);
            j = table.add(out.keys, t * w);
          }
          coupling.add(j, (probability[m] as number) * rate);
        }
      }
    }
    let yExit = new Float64Array(Math.max(16, table.size));
    const y = exploreChain(
      table,
      (i, buf) => {
        const count = dyn.expand(table.keys, i * w, buf);
        let exit = 0;
        let kept = 0;
        for (let t = 0; t < count; t++) {
          const rate = buf.rates[t] as number;
          if (rate > 0) exit += rate;
          if ((buf.up[t] as number) < quorum) continue;
          if (kept !== t) {
            buf.keys.copyWithin(kept * w, t * w, (t + 1) * w);
            buf.rates[kept] = rate;
            buf.up[kept] = buf.up[t] as number;
            buf.index[kept] = buf.index[t] as number;
          }
          kept++;
        }
        if (i >= yExit.length) {
          const grown = new Float64Array(2 * yExit.length);
          grown.set(yExit);
          yExit = grown;
        }
        yExit[i] = exit;
        return kept;
      },
      out,
      MAX_WINDOW_STATES,
      what,
    );
    for (let i = 0; i < y.size; i++) q = Math.max(q, UNIFORMIZATION_HEADROOM * (yExit[i] as number));
    this.upStates = Math.max(this.upStates, y.size);
    const yStartFull = new Float64Array(y.size);
    yStartFull.set(yStart);
    const result = uniformizeCoupled(
      {
        x: s.chain,
        xTranspose: s.transpose,
        xStart: s.start,
        y,
        yExit: yExit.subarray(0, y.size),
        yStart: yStartFull,
        coupling: coupling.finish(),
        q,
      },
      this.duration,
      states <= MAX_WINDOW_STATES ? Number.POSITIVE_INFINITY : this.maxWork,
    );
    this.steps += result.steps;
    for (let p = 0; p < size; p++) this.down += (result.xIntegral[p] as number) * (s.downWeight[p] as number);
    for (let i = 0; i < y.size; i++) {
      codec.decode(table.keys, i * w, u);
      if (u[LEADER] === 1) this.down += result.yIntegral[i] as number;
      else this.up += result.yIntegral[i] as number;
    }

    // the slot's end: the held node released; down pairs it brings back up join the up part (leader lost)
    const next = new Distribution(codec);
    const key = new Int32Array(w);
    for (let i = 0; i < y.size; i++) {
      codec.decode(table.keys, i * w, u);
      if ((u[HELD] as number) > 0) {
        u[HELD] = 0;
        dyn.normalize(u);
      }
      next.addUnpacked(u, key, result.yEnd[i] as number);
    }
    for (let p = 0; p < size; p++) {
      const mass = s.end[p] as number;
      if (mass === 0) continue;
      codec.decode(s.keys, p * w, u);
      const held = (u[HELD] as number) - 1;
      if (held < 0) continue;
      const heldZone = spec.classZone[held] as number;
      for (let m = 0; m < masks.length; m++) {
        const mask = masks[m] as number;
        const before = upCount(p, mask);
        if (before >= quorum || (mask & (1 << heldZone)) !== 0 || before + 1 < quorum) continue;
        u[HELD] = 0;
        u[ZONES] = mask;
        u[LEADER] = 1;
        next.addUnpacked(u, key, mass * (probability[m] as number));
      }
    }
    this.start = next;
  }

  /** The slot's full chain, explored from every (process state, zone mask, leader) pair; undefined beyond the limit. */
  private fullChain(s: ProcessSlot, u: Int32Array): CsrChain | undefined {
    const dyn = s.dynamics;
    const codec = dyn.codec;
    const w = codec.words;
    const table = new StateTable(w);
    const key = new Int32Array(w);
    try {
      for (let p = 0; p < s.chain.size; p++) {
        for (const mask of this.zones.masks) {
          codec.decode(s.keys, p * w, u);
          u[ZONES] = mask;
          for (const leader of [1, 0]) {
            u[LEADER] = leader;
            if (leader === 0 && dyn.upNodes(u) < this.quorum) continue;
            codec.encode(u, key, 0);
            addInitial(table, key, 0, MAX_WINDOW_STATES, "a restart slot's chain");
          }
        }
      }
      const out = new TransitionBuffer(w, dyn.maxTransitions);
      return exploreChain(table, (i, buf) => dyn.expand(table.keys, i * w, buf), out, MAX_WINDOW_STATES, "a restart slot's chain");
    } catch (error) {
      if (error instanceof ChainTooLargeError) return undefined;
      throw error;
    }
  }
}

function tooStiff(q: number, duration: number, work: number, maxWork: number): TooStiffError {
  return new TooStiffError(
    `uniformization over ${duration} h at rate ${q.toPrecision(3)} / h needs about ${work.toPrecision(2)} operations (more than ${maxWork.toPrecision(2)})`,
  );
}

/** Rows built one after another, entries merged by column within a row (first-added order). */
class RowBuilder {
  private rowStart: Int32Array;
  private target = new Int32Array(64);
  private rate = new Float64Array(64);
  private count = 0;
  private row = -1;
  private mark = new Int32Array(64);
  private position = new Int32Array(64);

  constructor(private readonly rows: number) {
    this.rowStart = new Int32Array(rows + 1);
  }

  startRow(r: number): void {
    this.row = r;
    this.rowStart[r] = this.count;
  }

  add(column: number, value: number): void {
    if (column >= this.mark.length) {
      const capacity = Math.max(2 * this.mark.length, column + 1);
      const mark = new Int32Array(capacity);
      mark.set(this.mark);
      this.mark = mark;
      const position = new Int32Array(capacity);
      position.set(this.position);
      this.position = position;
    }
    if (this.mark[column] === this.row + 1) {
      const at = this.position[column] as number;
      this.rate[at] = (this.rate[at] as number) + value;
      return;
    }
    if (this.count === this.target.length) {
      const target = new Int32Array(2 * this.count);
      target.set(this.target);
      this.target = target;
      const rate = new Float64Array(2 * this.count);
      rate.set(this.rate);
      this.rate = rate;
    }
    this.mark[column] = this.row + 1;
    this.position[column] = this.count;
    this.target[this.count] = column;
    this.rate[this.count] = value;
    this.count++;
  }

  /** the rows as a CSR chain (targets: columns) */
  finish(): CsrChain {
    this.rowStart[this.rows] = this.count;
    return {
      size: this.rows,
      rowStart: this.rowStart,
      target: this.target.subarray(0, this.count),
      rate: this.rate.subarray(0, this.count),
    };
  }
}
