/**
 * An exact reference for a SMALL fleet whose brokers are coupled (zone outages, a common
 * cause): the continuous-time Markov chain of every broker's process, every zone and the
 * common cause, built from the semantics of docs/design.md §3a and §3c alone — nothing of
 * src/ is used — and solved for its stationary distribution by GTH state reduction
 * (Grassmann, Taksar & Heyman, "Regenerative analysis and steady state distributions for
 * Markov chains", Operations Research 33(5), 1985), written here: no subtraction, so every
 * probability keeps its relative accuracy.
 *
 * The semantics (every time exponential; crew-free modes only, so no repair queue):
 * - a broker's process is up, or down in failure mode m: mode m fails an up process at
 *   rate λ_m, and the process recovers after an exponential time of mean mttr_m; a down
 *   process does not fail again;
 * - each zone is up or out independently: outage rate α while up, restore rate 1/mttr_z
 *   while out. Its brokers' processes go on failing and recovering while it is out. Zones
 *   keep their own process during a common cause too (the simulator's cluster.ts schedules
 *   zone outages and restores whatever the common cause; they matter again at its restore);
 * - the common cause strikes at rate ρ while none is under way and is restored at rate
 *   1/mttr_cc. During it no process fails or recovers (pending failures and recoveries are
 *   void); at the restore every process is up. A process down for a failure when the
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
 * Size: Π_b (1 + modes_b) × 2^zones × (2 with a common cause) states, solved densely
 * (O(N³)): keep it to about a thousand states.
 */

/** One failure mode of a broker's process. */
export interface ChainMode {
  readonly ratePerHour: number;
  readonly mttrHours: number;
  /** a process down in this mode has lost its replica (loses: disk) */
  readonly losesDisk: boolean;
}

export interface FleetChainInput {
  /** per broker, its failure modes (crew-free: each recovers on its own) */
  readonly brokers: readonly (readonly ChainMode[])[];
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

/** A state decoded: process[b] = 0 up, m + 1 down in mode m; zoneOut[z]; the common cause under way. */
interface State {
  readonly process: number[];
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
  const hasCommonCause = input.commonCause !== undefined && input.commonCause.ratePerHour > 0;
  const radix = input.brokers.map((modes) => modes.length + 1);
  const processStates = radix.reduce((a, r) => a * r, 1);
  const N = processStates * 2 ** Z * (hasCommonCause ? 2 : 1);
  if (N > 5000) throw new RangeError(`fleetChain: ${N} states is too many for a dense solve`);

  const encode = (s: State): number => {
    let code = s.commonCause ? 1 : 0;
    for (let z = Z - 1; z >= 0; z--) code = code * 2 + (s.zoneOut[z] ? 1 : 0);
    for (let b = B - 1; b >= 0; b--) code = code * (radix[b] as number) + (s.process[b] as number);
    return code;
  };
  const decode = (code: number): State => {
    let rest = code;
    const process: number[] = [];
    for (let b = 0; b < B; b++) {
      process.push(rest % (radix[b] as number));
      rest = Math.floor(rest / (radix[b] as number));
    }
    const zoneOut: boolean[] = [];
    for (let z = 0; z < Z; z++) {
      zoneOut.push(rest % 2 === 1);
      rest = Math.floor(rest / 2);
    }
    return { process, zoneOut, commonCause: rest % 2 === 1 };
  };
  const zoneOf = (b: number) => input.zones?.zoneOf[b] ?? 0;
  const brokerUp = (s: State, b: number) => !s.commonCause && s.process[b] === 0 && !(Z > 0 && s.zoneOut[zoneOf(b)]);
  const destroyed = (s: State, b: number): boolean => {
    if (s.commonCause && input.commonCause?.losesDisk === true) return true;
    if (Z > 0 && s.zoneOut[zoneOf(b)] && input.zones?.losesDisk === true) return true;
    const p = s.process[b] as number;
    return p > 0 && ((input.brokers[b] as readonly ChainMode[])[p - 1] as ChainMode).losesDisk;
  };
  const allDestroyed = (s: State) => input.replicaSets.map((set) => set.every((b) => destroyed(s, b)));
  const leaderOf = (s: State, set: readonly number[]) => set.find((b) => brokerUp(s, b));

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
    return { rate, to: encode(to), lost, elections };
  };

  const transitionsOf = (s: State): Transition[] => {
    const out: Transition[] = [];
    const copy = (): State => ({ process: [...s.process], zoneOut: [...s.zoneOut], commonCause: s.commonCause });
    if (!s.commonCause) {
      input.brokers.forEach((modes, b) => {
        const p = s.process[b] as number;
        if (p === 0) {
          modes.forEach((mode, m) => {
            const t = copy();
            t.process[b] = m + 1;
            out.push(transition(s, t, mode.ratePerHour, true));
          });
        } else {
          const t = copy();
          t.process[b] = 0;
          out.push(transition(s, t, 1 / (modes[p - 1] as ChainMode).mttrHours, false));
        }
      });
      if (hasCommonCause) {
        const t = copy();
        t.commonCause = true;
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

  const states = Array.from({ length: N }, (_, code) => decode(code));
  const transitions = states.map(transitionsOf);
  const pi = stationaryGth(N, transitions);

  const availability = new Sum();
  const unavailability = new Sum();
  const partitionsUnavailable = new Sum();
  const partitionsWritable = new Sum();
  const lossEvents = new Sum();
  const partitionsLost = new Sum();
  const elections = new Sum();
  const P = input.replicaSets.length;
  states.forEach((s, code) => {
    const p = pi[code] as number;
    if (p === 0) return;
    let broken = 0;
    for (const set of input.replicaSets) {
      const up = set.filter((b) => brokerUp(s, b)).length;
      if (up < input.minInsync) broken++;
    }
    (broken === 0 ? availability : unavailability).add(p);
    partitionsUnavailable.add(p * broken);
    partitionsWritable.add(p * (P - broken));
    for (const t of transitions[code] as Transition[]) {
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

/** Neumaier's compensated sum: the metrics add terms of all sizes. */
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
