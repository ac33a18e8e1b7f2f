/**
 * The expected copy backlog of a chain whose states publish records (docs/design.md §3d,
 * the loss of `regions.loss`): records arrive at rate r in the "serving" states, each
 * leaves (is copied) at rate 1/L while the chain serves, and the whole backlog is removed
 * by some transitions (a failover loses it, a failback drains it).
 *
 * With m(s) = E[backlog · 1{state s}] / r in stationarity (hours of traffic), the backlog
 * grows at rate 1 and decays at rate m/L in the serving states, and the removing
 * transitions take their share of m without passing it on, so
 *     m · (Q̃ − diag(serving / L)) = −π ∘ serving,
 * Q̃ being the generator Q with the removing transitions' off-diagonal rates taken out (their
 * part of the diagonal kept), π its stationary law. The system is solved as a stationary
 * law, subtraction-free: add a state z, every removal (a removing transition, a copy
 * completed at 1/L in a serving state) leads to z, and z leads back to each state s at rate
 * π(s)·serving(s) (a record is born where the chain serves). The stationary law ρ of that
 * chain Q' satisfies, in each state j ≠ z, Σ_i ρ_i Q̃_ij − ρ_j serving_j / L + ρ_z π_j
 * serving_j = 0, which is the system above for m = ρ / ρ_z (the renewal-reward reading: z
 * is a record's "not yet born or already gone", and ρ_j / ρ_z the mean time one record's
 * life spends pending in j per birth, scaled by the births). States Q' does not reach from z
 * (those entered only by a removal, as a switch under way) have m = 0. Solved by sparse
 * GTH (sparseGth.ts), so every m(s), however small, keeps its relative accuracy.
 *
 * Source: the backlog of an M/M/∞ queue in a Markov-modulated environment (the records
 * are independent given the environment's path); the linear system is Little's law
 * applied per state; the renewal form is the stationary law of a Markov chain with
 * killing and restart (e.g. Asmussen, Applied Probability and Queues, 2nd ed., 2003,
 * ch. II.4).
 *
 * @internal
 */
import { type CsrChain, exploreChain, TransitionBuffer } from "./markovChain.js";
import { sparseGthStationary } from "./sparseGth.js";
import { StateTable } from "./stateTable.js";

/** The chain's transitions that keep the backlog, by source state, targets as state numbers. */
export interface KeptRows {
  readonly size: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly rate: Float64Array;
}

/** Transitions that keep the backlog, recorded while a chain is explored (targets as keys). */
export class KeptTransitions {
  private from: number[] = [];
  private rates: number[] = [];
  private keys: Int32Array;
  private count = 0;

  constructor(private readonly words: number) {
    this.keys = new Int32Array(256 * words);
  }

  /** source state s, the target's key, the rate (> 0) */
  add(s: number, key: Int32Array, rate: number): void {
    if ((this.count + 1) * this.words > this.keys.length) {
      const grown = new Int32Array(2 * this.keys.length);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys.set(key.subarray(0, this.words), this.count * this.words);
    this.from.push(s);
    this.rates.push(rate);
    this.count++;
  }

  /** The targets numbered by the explored table (every target is in it). */
  resolve(table: StateTable): KeptRows {
    const to = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const t = table.find(this.keys, i * this.words);
      if (t < 0) throw new Error("copyBacklog: a transition's target is not in the chain (a bug)");
      to[i] = t;
    }
    return { size: table.size, from: Int32Array.from(this.from), to, rate: Float64Array.from(this.rates) };
  }
}

export interface BacklogInput {
  /** the chain's stationary law */
  readonly pi: Float64Array;
  /** 1 where records are published and copied */
  readonly serving: Uint8Array;
  /** mean copy time of a record (> 0) */
  readonly lag: number;
  /** per state: the rate of the transitions that remove the backlog (lost or drained) */
  readonly killRate: Float64Array;
  /** the other transitions */
  readonly kept: KeptRows;
}

/**
 * m(s) = E[backlog; state s] / r for every state (see the module comment).
 *
 * @throws RangeError when no state serves (nothing is ever published)
 */
export function copyBacklog(input: BacklogInput): Float64Array {
  const { pi, serving, lag, killRate, kept } = input;
  const size = kept.size;
  const z = size; // the extra state
  const rows: { to: number[]; rate: number[] }[] = Array.from({ length: size + 1 }, () => ({ to: [], rate: [] }));
  for (let e = 0; e < kept.from.length; e++) {
    const from = kept.from[e] as number;
    const to = kept.to[e] as number;
    if (from === to) continue;
    const row = rows[from] as { to: number[]; rate: number[] };
    row.to.push(to);
    row.rate.push(kept.rate[e] as number);
  }
  for (let s = 0; s < size; s++) {
    const removal = (killRate[s] as number) + (serving[s] === 1 ? 1 / lag : 0);
    if (removal > 0) {
      (rows[s] as { to: number[]; rate: number[] }).to.push(z);
      (rows[s] as { to: number[]; rate: number[] }).rate.push(removal);
    }
    if (serving[s] === 1 && (pi[s] as number) > 0) {
      (rows[z] as { to: number[]; rate: number[] }).to.push(s);
      (rows[z] as { to: number[]; rate: number[] }).rate.push(pi[s] as number);
    }
  }
  if ((rows[z] as { to: number[] }).to.length === 0) throw new RangeError("copyBacklog: no state publishes records");
  // the states reached from z, numbered from 0 = z (exploreChain keeps them, parallel transitions merged)
  const table = new StateTable(1);
  const key = new Int32Array(1);
  key[0] = z;
  table.add(key, 0);
  const buf = new TransitionBuffer(1, 64);
  const chain: CsrChain = exploreChain(
    table,
    (k, out) => {
      const row = rows[table.keys[k] as number] as { to: number[]; rate: number[] };
      out.reserve(row.to.length);
      for (let i = 0; i < row.to.length; i++) {
        out.keys[i] = row.to[i] as number;
        out.rates[i] = row.rate[i] as number;
        out.index[i] = -1;
      }
      return row.to.length;
    },
    buf,
    size + 1,
    "the copy backlog's chain",
  );
  const rho = sparseGthStationary(chain);
  const m = new Float64Array(size);
  const rhoZ = rho[0] as number;
  for (let k = 1; k < chain.size; k++) m[table.keys[k] as number] = (rho[k] as number) / rhoZ;
  return m;
}
