/**
 * An exact reference for a SMALL fleet whose brokers are coupled (zone outages, a common
 * cause): the continuous-time Markov chain of every broker's process, every zone and the
 * common cause, built from the semantics of docs/design.md §3a and §3c alone — nothing of
 * src/ is used — and solved for its stationary distribution by GTH state reduction
 * (Grassmann, Taksar & Heyman, "Regenerative analysis and steady state distributions for
 * Markov chains", Operations Research 33(5), 1985), written here: no subtraction, so every
 * probability keeps its relative accuracy.
 *
 * The semantics (every time exponential):
 * - a broker's process is up, or down in failure mode m: mode m fails an up process at
 *   rate λ_m; a down process does not fail again. A crew-free mode recovers after an
 *   exponential time of mean mttr_m, in parallel with everything else; a crew mode waits,
 *   first come first served, for one of the `crews` shared repair crews, and its repair
 *   then takes an exponential time of mean mttr_m (a crew that finishes takes the head of
 *   the queue);
 * - each zone is up or out independently: outage rate α while up, restore rate 1/mttr_z
 *   while out. Its brokers' processes go on failing and recovering while it is out. Zones
 *   keep their own process during a common cause too (the simulator's cluster.ts schedules
 *   zone outages and restores whatever the common cause; they matter again at its restore);
 * - the common cause strikes at rate ρ while none is under way and is restored at rate
 *   1/mttr_cc. During it no process fails or recovers (pending failures, recoveries and
 *   repairs are void, the crews' queue is emptied); at the restore every process is up. A process down for a failure when the
 *   strike came is still "down in that mode" until the restore (its replica stays
 *   destroyed if the mode loses the disk);
 * - a broker is up ⇔ its process is up ∧ its zone is up ∧ no common cause is under way;
 * - a replica is destroyed ⇔ its broker's process is down in a `loses: disk` mode, or
 *   (optional variants) its zone is out with `zoneLosesDisk`, or a common cause with
 *   `commonCauseLosesDisk` is under way;
 * - a partition is writable ⇔ at least minInsync of its replicas' brokers are up;
 *   fleet.availability = P(every partition writable), its complement summed directly over
 *   the states with some partition not writable; partitions unavailable = E[# not writable];
 * - a loss event is a transition after which some partition has all its replicas
 *   destroyed when before it did not; it loses as many partitions as it made all-destroyed;
 *   rates: Σ_s π(s) Σ_{transitions from s} rate × count;
 * - an election: a transition that takes brokers from up to down unplanned (a failure of
 *   an up process whose zone is up, an outage of a zone, a common-cause strike) elects once
 *   per partition whose leader — its first up replica in preference order, read before the
 *   transition — is among the brokers taken down.
 *
 * The states reachable from all-up are found by breadth-first search (with crews, the
 * queue's order is part of a state). Size without crews: Π_b (1 + modes_b) × 2^zones ×
 * (2 with a common cause); solved densely (O(N³)), so keep it to about a thousand states.
 */
import { Sum } from "./compensatedSum.js";

/** One failure mode of a broker's process. */
export interface ChainMode {
  readonly ratePerHour: number;
  readonly mttrHours: number;
  /** a process down in this mode has lost its replica (loses: disk) */
  readonly losesDisk: boolean;
  /** waits for one of the shared crews, first come first served (default: recovers on its own) */
  readonly crew?: boolean;
}

/** The most states the dense solve takes (O(N³) time, N² memory). */
export const MAX_STATES = 3000;

export interface FleetChainInput {
  /** per broker, its failure modes */
  readonly brokers: readonly (readonly ChainMode[])[];
  /** repair crews shared by the crew modes (default: one per broker, so that no one waits) */
  readonly crews?: number;
  /** per partition, broker ids in preference order (the first is the preferred leader) */
  readonly replicaSets: readonly (readonly number[])[];
  readonly minInsync: number;
  readonly zones?: {
    /** zone of each broker, 0 … count − 1 */
    readonly zoneOf: readonly number[];
    readonly count: number;
    readonly outageRatePerHour: number;
    readonly mttrHours: number;
    readonly losesDisk?: boolean;
  };
  readonly commonCause?: { readonly ratePerHour: number; readonly mttrHours: number; readonly losesDisk?: boolean };
}

export interface FleetChainMetrics {
  readonly states: number;
  /** P(every partition writable) */
  readonly availability: number;
  /** P(some partition not writable), summed directly */
  readonly unavailability: number;
  /** E[# partitions not writable] */
  readonly partitionsUnavailable: number;
  readonly partitionAvailability: number;
  /** partitionsUnavailable / partitions */
  readonly partitionUnavailability: number;
  readonly lossEventsPerHour: number;
  readonly partitionsLostPerHour: number;
  readonly electionsPerHour: number;
}

/**
 * A state: process[b] = 0 up, m + 1 down in mode m; for a crew mode, repairing[b] says
 * whether a crew works on it (else it waits in `queue`, first come first served); zoneOut[z];
 * the common cause under way.
 */
interface State {
  readonly process: number[];
  readonly repairing: boolean[];
  readonly queue: number[];
  readonly zoneOut: boolean[];
  commonCause: boolean;
}

/** A transition out of a state: its rate, its target, and what it counts. */
interface Transition {
  readonly rate: number;
  readonly to: number;
  readonly lost: number;
  readonly elections: number;
}

/** The stationary metrics of the fleet's chain (see the file's comment). */
export function fleetChain(input: FleetChainInput): FleetChainMetrics {
  const B = input.brokers.length;
  const Z = input.zones?.count ?? 0;
  const crews = input.crews ?? B;
  const hasCommonCause = input.commonCause !== undefined && input.commonCause.ratePerHour > 0;

  const zoneOf = (b: number) => input.zones?.zoneOf[b] ?? 0;
  const modeOf = (b: number, p: number) => (input.brokers[b] as readonly ChainMode[])[p - 1] as ChainMode;
  const brokerUp = (s: State, b: number) => !s.commonCause && s.process[b] === 0 && !(Z > 0 && s.zoneOut[zoneOf(b)]);
  const destroyed = (s: State, b: number): boolean => {
    if (s.commonCause && input.commonCause?.losesDisk === true) return true;
    if (Z > 0 && s.zoneOut[zoneOf(b)] && input.zones?.losesDisk === true) return true;
    const p = s.process[b] as number;
    return p > 0 && modeOf(b, p).losesDisk;
  };
  const allDestroyed = (s: State) => input.replicaSets.map((set) => set.every((b) => destroyed(s, b)));
  const leaderOf = (s: State, set: readonly number[]) => set.find((b) => brokerUp(s, b));

  // States are found by breadth-first search from all-up (index 0): with crews, the
  // queue's order is part of the state, and only reachable orders are kept.
  const key = (s: State) => JSON.stringify(s);
  const allUp: State = {
    process: new Array<number>(B).fill(0),
    repairing: new Array<boolean>(B).fill(false),
    queue: [],
    zoneOut: new Array<boolean>(Z).fill(false),
    commonCause: false,
  };
  const states: State[] = [allUp];
  const index = new Map<string, number>([[key(allUp), 0]]);
  const indexOf = (s: State): number => {
    const k = key(s);
    let i = index.get(k);
    if (i === undefined) {
      i = states.length;
      if (i >= MAX_STATES) throw new RangeError(`fleetChain: more than ${MAX_STATES} states is too many for a dense solve`);
      index.set(k, i);
      states.push(s);
    }
    return i;
  };

  /** The transition from `from` to `to` at `rate`, with its losses and elections. */
  const transition = (from: State, to: State, rate: number, unplanned: boolean): Transition => {
    const before = allDestroyed(from);
    const after = allDestroyed(to);
    let lost = 0;
    for (let p = 0; p < before.length; p++) if (after[p] && !before[p]) lost++;
    let elections = 0;
    if (unplanned) {
      for (const set of input.replicaSets) {
        const leader = leaderOf(from, set);
        if (leader !== undefined && !brokerUp(to, leader)) elections++;
      }
    }
    return { rate, to: indexOf(to), lost, elections };
  };

  const transitionsOf = (s: State): Transition[] => {
    const out: Transition[] = [];
    const copy = (): State => ({
      process: [...s.process],
      repairing: [...s.repairing],
      queue: [...s.queue],
      zoneOut: [...s.zoneOut],
      commonCause: s.commonCause,
    });
    if (!s.commonCause) {
      const busy = s.repairing.filter((r) => r).length;
      input.brokers.forEach((modes, b) => {
        const p = s.process[b] as number;
        if (p === 0) {
          modes.forEach((mode, m) => {
            const t = copy();
            t.process[b] = m + 1;
            if (mode.crew === true) {
              if (busy < crews) t.repairing[b] = true;
              else t.queue.push(b);
            }
            out.push(transition(s, t, mode.ratePerHour, true));
          });
          return;
        }
        const mode = modeOf(b, p);
        if (mode.crew === true && !s.repairing[b]) return; // waiting for a crew
        const t = copy();
        t.process[b] = 0;
        if (mode.crew === true) {
          // the crew takes the head of the queue, if any
          t.repairing[b] = false;
          const next = t.queue.shift();
          if (next !== undefined) t.repairing[next] = true;
        }
        out.push(transition(s, t, 1 / mode.mttrHours, false));
      });
      if (hasCommonCause) {
        // every process held as it is (a replica down in a disk mode stays destroyed);
        // the crews' work and queue are void
        const t = copy();
        t.commonCause = true;
        t.repairing.fill(false);
        t.queue.length = 0;
        out.push(transition(s, t, (input.commonCause as { ratePerHour: number }).ratePerHour, true));
      }
    } else {
      const t = copy();
      t.commonCause = false;
      t.process.fill(0);
      out.push(transition(s, t, 1 / (input.commonCause as { mttrHours: number }).mttrHours, false));
    }
    const zones = input.zones;
    if (zones !== undefined) {
      for (let z = 0; z < Z; z++) {
        const t = copy();
        t.zoneOut[z] = !s.zoneOut[z];
        if (s.zoneOut[z]) out.push(transition(s, t, 1 / zones.mttrHours, false));
        else out.push(transition(s, t, zones.outageRatePerHour, true));
      }
    }
    return out.filter((x) => x.rate > 0);
  };

  const transitions: Transition[][] = [];
  for (let i = 0; i < states.length; i++) transitions.push(transitionsOf(states[i] as State));
  const N = states.length;
  const pi = stationaryGth(N, transitions);

  const availability = new Sum();
  const unavailability = new Sum();
  const partitionsUnavailable = new Sum();
  const partitionsWritable = new Sum();
  const lossEvents = new Sum();
  const partitionsLost = new Sum();
  const elections = new Sum();
  const P = input.replicaSets.length;
  states.forEach((s, i) => {
    const p = pi[i] as number;
    if (p === 0) return;
    let broken = 0;
    for (const set of input.replicaSets) {
      const up = set.filter((b) => brokerUp(s, b)).length;
      if (up < input.minInsync) broken++;
    }
    (broken === 0 ? availability : unavailability).add(p);
    partitionsUnavailable.add(p * broken);
    partitionsWritable.add(p * (P - broken));
    for (const t of transitions[i] as Transition[]) {
      if (t.lost > 0) {
        lossEvents.add(p * t.rate);
        partitionsLost.add(p * t.rate * t.lost);
      }
      if (t.elections > 0) elections.add(p * t.rate * t.elections);
    }
  });
  return {
    states: N,
    availability: availability.value,
    unavailability: unavailability.value,
    partitionsUnavailable: partitionsUnavailable.value,
    partitionAvailability: partitionsWritable.value / P,
    partitionUnavailability: partitionsUnavailable.value / P,
    lossEventsPerHour: lossEvents.value,
    partitionsLostPerHour: partitionsLost.value,
    electionsPerHour: elections.value,
  };
}

/**
 * The stationary distribution of an irreducible CTMC given by its transitions (rates to
 * other states; self-loops ignored), by GTH state reduction: for n = N − 1 … 1, with
 * S_n = Σ_{j<n} q_nj, fold state n into the others (q_ij += q_in·q_nj / S_n for i, j < n);
 * then π_0 = 1 and π_n = Σ_{i<n} π_i·q_in / S_n, normalised. Only additions of
 * non-negative terms, multiplications and divisions: no cancellation.
 */
export function stationaryGth(N: number, transitions: readonly (readonly { rate: number; to: number }[])[]): Float64Array {
  const q = new Float64Array(N * N);
  transitions.forEach((out, i) => {
    for (const { rate, to } of out) if (to !== i) q[i * N + to] = (q[i * N + to] as number) + rate;
  });
  const exit = new Float64Array(N);
  for (let n = N - 1; n > 0; n--) {
    const row = n * N;
    let s = 0;
    for (let j = 0; j < n; j++) s += q[row + j] as number;
    if (!(s > 0)) throw new RangeError(`stationaryGth: state ${n} has no way down (the chain is reducible)`);
    exit[n] = s;
    for (let i = 0; i < n; i++) {
      const qin = q[i * N + n] as number;
      if (qin === 0) continue;
      const f = qin / s;
      const ri = i * N;
      for (let j = 0; j < n; j++) {
        const qnj = q[row + j] as number;
        if (qnj !== 0 && j !== i) q[ri + j] = (q[ri + j] as number) + f * qnj;
      }
    }
  }
  const pi = new Float64Array(N);
  pi[0] = 1;
  let total = 1;
  for (let n = 1; n < N; n++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += (pi[i] as number) * (q[i * N + n] as number);
    pi[n] = s / (exit[n] as number);
    total += pi[n] as number;
  }
  for (let n = 0; n < N; n++) pi[n] = (pi[n] as number) / total;
  return pi;
}
