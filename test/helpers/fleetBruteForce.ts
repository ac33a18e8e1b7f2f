/**
 * The reference for the fleet metrics of docs/design.md §3c: an enumeration of every one of
 * the 3^B broker states, written without anything of src/formulas/fleet.ts (a different
 * method from its factoring recursion). Shared by the formula's tests and eval's.
 */
import type { FleetBroker } from "../../src/formulas/fleet.js";

/**
 * A broker given by its three state probabilities: down but intact (`intact`), down with
 * its disk lost (`lost`), and up (the rest); the complement of up is their sum, exact.
 */
export interface Triple {
  readonly intact: number;
  readonly lost: number;
  readonly rate: number;
  readonly diskRate: number;
}

export function broker(t: Triple): FleetBroker {
  return {
    up: { value: 1 - t.intact - t.lost, complement: t.intact + t.lost },
    destroyed: t.lost,
    failureRatePerHour: t.rate,
    diskFailureRatePerHour: t.diskRate,
  };
}

/** Neumaier's compensated sum: the brute force adds thousands of terms of all sizes. */
class Sum {
  private sum = 0;
  private carry = 0;
  add(x: number): void {
    const t = this.sum + x;
    this.carry += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.carry;
  }
}

/**
 * Reference: every one of the 3^B broker states (0 up, 1 down intact, 2 down destroyed),
 * with its probability the product of the brokers' (independence), and each metric read
 * off the state as §3c defines it. Written without anything of fleet.ts.
 */
export function bruteForce(triples: readonly Triple[], sets: readonly (readonly number[])[], minInsync: number) {
  const B = triples.length;
  const stateProbability = (t: Triple, s: number) => (s === 0 ? 1 - t.intact - t.lost : s === 1 ? t.intact : t.lost);
  const allWritable = new Sum();
  const someUnwritable = new Sum();
  const unavailable = new Sum();
  const writable = new Sum();
  const lossEvents = new Sum();
  const partitionsLost = new Sum();
  const elections = new Sum();
  const state = new Array<number>(B).fill(0);
  for (let code = 0; code < 3 ** B; code++) {
    let rest = code;
    let probability = 1;
    for (let b = 0; b < B; b++) {
      state[b] = rest % 3;
      rest = Math.floor(rest / 3);
      probability *= stateProbability(triples[b] as Triple, state[b] as number);
    }
    if (probability === 0) continue;
    let broken = 0;
    for (const set of sets) {
      const up = set.filter((b) => state[b] === 0).length;
      if (up < minInsync) broken++;
      const leader = set.find((b) => state[b] === 0);
      if (leader !== undefined) elections.add(probability * (triples[leader] as Triple).rate);
    }
    (broken === 0 ? allWritable : someUnwritable).add(probability);
    unavailable.add(probability * broken);
    writable.add(probability * (sets.length - broken));
    for (let b = 0; b < B; b++) {
      if (state[b] !== 0) continue;
      const lostHere = sets.filter((set) => set.includes(b) && set.every((c) => c === b || state[c] === 2)).length;
      const diskRate = (triples[b] as Triple).diskRate;
      partitionsLost.add(probability * diskRate * lostHere);
      if (lostHere > 0) lossEvents.add(probability * diskRate);
    }
  }
  return {
    availability: allWritable.value,
    unavailability: someUnwritable.value,
    partitionsUnavailable: unavailable.value,
    partitionAvailability: writable.value / sets.length,
    partitionUnavailability: unavailable.value / sets.length,
    lossEventsPerHour: lossEvents.value,
    partitionsLostPerHour: partitionsLost.value,
    electionsPerHour: elections.value,
  };
}
