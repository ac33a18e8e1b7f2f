/**
 * The reference for the fleet metrics of docs/design.md §3c: an enumeration of every one of
 * the 3^B broker states (with zone outages, of the 2^Z zone states as well), written
 * without anything of src/formulas/fleet.ts or fleetZones.ts (a different method from
 * their factoring recursion and conditioning). Shared by the formulas' tests and eval's,
 * with the seeded generator and random replica sets they draw their fleets from.
 */

import { HOURS_PER_YEAR } from "../../src/expr/units.js";
import type { FleetBroker } from "../../src/formulas/fleet.js";
import { METRIC, type MetricId } from "../../src/metrics/index.js";
import type { Metrics } from "../../src/model/evaluate.js";
import { expectRelativelyClose } from "./close.js";
import { Sum } from "./compensatedSum.js";

/** mulberry32: a small seeded generator, so that every fleet drawn is reproducible. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Replica sets of `rf` distinct brokers drawn at random, in draw order (the preference order). */
export function randomSets(random: () => number, brokers: number, partitions: number, rf: number): number[][] {
  const sets: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    const set: number[] = [];
    while (set.length < rf) {
      const b = Math.floor(random() * brokers);
      if (!set.includes(b)) set.push(b);
    }
    sets.push(set);
  }
  return sets;
}

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

/** A zone given by its two state probabilities, each exact, and its outage rate while up. */
export interface ZoneState {
  readonly up: number;
  readonly down: number;
  readonly rate: number;
}

/**
 * Reference with zone outages: every zone-state vector (2^Z) × every broker process state
 * (3^B), each state's probability the product of the zones' and the processes'
 * (independence), and each metric read off the state by the fleet semantics of
 * docs/design.md §3c with zones (src/formulas/fleetZones.ts states them; the fleet
 * simulator follows them): a broker is up while its process and its zone are; a replica
 * is destroyed while its process is down in a disk mode, whatever the zone; a loss is a
 * disk failure of an up process (any zone state) while every other replica of the
 * partition is destroyed; an election is a failure of the leader's process while its
 * broker is up, or an outage of the leader's zone (rate while the zone is up), the
 * leader being the first up replica. Written without anything of src/formulas.
 */
export function bruteForceZones(
  triples: readonly Triple[],
  zoneOf: readonly number[],
  zones: readonly ZoneState[],
  sets: readonly (readonly number[])[],
  minInsync: number,
) {
  const B = triples.length;
  const Z = zones.length;
  const processProbability = (t: Triple, s: number) => (s === 0 ? 1 - t.intact - t.lost : s === 1 ? t.intact : t.lost);
  const allWritable = new Sum();
  const someUnwritable = new Sum();
  const unavailable = new Sum();
  const writable = new Sum();
  const lossEvents = new Sum();
  const partitionsLost = new Sum();
  const elections = new Sum();
  const process = new Array<number>(B).fill(0);
  const zoneUp = new Array<boolean>(Z).fill(true);
  const brokerUp = new Array<boolean>(B).fill(false);
  for (let zoneCode = 0; zoneCode < 2 ** Z; zoneCode++) {
    let zoneProbability = 1;
    for (let z = 0; z < Z; z++) {
      zoneUp[z] = ((zoneCode >> z) & 1) === 0;
      const zone = zones[z] as ZoneState;
      zoneProbability *= zoneUp[z] ? zone.up : zone.down;
    }
    if (zoneProbability === 0) continue;
    for (let code = 0; code < 3 ** B; code++) {
      let rest = code;
      let probability = zoneProbability;
      for (let b = 0; b < B; b++) {
        process[b] = rest % 3;
        rest = Math.floor(rest / 3);
        probability *= processProbability(triples[b] as Triple, process[b] as number);
      }
      if (probability === 0) continue;
      for (let b = 0; b < B; b++) brokerUp[b] = process[b] === 0 && zoneUp[zoneOf[b] as number] === true;
      let broken = 0;
      for (const set of sets) {
        let up = 0;
        let leader = -1;
        for (const b of set) {
          if (!brokerUp[b]) continue;
          up++;
          if (leader < 0) leader = b;
        }
        if (up < minInsync) broken++;
        if (leader >= 0) {
          elections.add(probability * ((triples[leader] as Triple).rate + (zones[zoneOf[leader] as number] as ZoneState).rate));
        }
      }
      (broken === 0 ? allWritable : someUnwritable).add(probability);
      unavailable.add(probability * broken);
      writable.add(probability * (sets.length - broken));
      for (let b = 0; b < B; b++) {
        if (process[b] !== 0) continue;
        let lostHere = 0;
        for (const set of sets) {
          if (!set.includes(b)) continue;
          let othersDestroyed = true;
          for (const c of set) if (c !== b && process[c] !== 2) othersDestroyed = false;
          if (othersDestroyed) lostHere++;
        }
        const diskRate = (triples[b] as Triple).diskRate;
        partitionsLost.add(probability * diskRate * lostHere);
        if (lostHere > 0) lossEvents.add(probability * diskRate);
      }
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

/** What an enumeration gives: {@link bruteForce} and {@link bruteForceZones} alike. */
export type FleetReference = ReturnType<typeof bruteForce>;

/** Every fleet metric eval printed equals the enumeration's to `rel` (relative), complements compared directly. */
export function expectFleetMetricsMatch(metrics: Metrics, reference: FleetReference, rel: number): void {
  const read = (id: MetricId) => metrics.get(id) ?? { value: Number.NaN, complement: Number.NaN };
  expectRelativelyClose(read(METRIC.fleetAvailability).value, reference.availability, rel, "availability");
  expectRelativelyClose(read(METRIC.fleetAvailability).complement as number, reference.unavailability, rel, "unavailability");
  expectRelativelyClose(read(METRIC.fleetPartitionsUnavailable).value, reference.partitionsUnavailable, rel, "partitions unavailable");
  expectRelativelyClose(
    read(METRIC.fleetPartitionAvailability).complement as number,
    reference.partitionUnavailability,
    rel,
    "partition unavailability",
  );
  expectRelativelyClose(read(METRIC.fleetLossEventsPerYear).value, reference.lossEventsPerHour * HOURS_PER_YEAR, rel, "loss events");
  expectRelativelyClose(
    read(METRIC.fleetPartitionsLostPerYear).value,
    reference.partitionsLostPerHour * HOURS_PER_YEAR,
    rel,
    "partitions lost",
  );
  expectRelativelyClose(read(METRIC.fleetElectionsPerYear).value, reference.electionsPerHour * HOURS_PER_YEAR, rel, "elections");
}
