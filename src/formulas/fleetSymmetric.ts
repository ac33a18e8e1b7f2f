import { solveSteadyState } from "./_internal/clusterSolve.js";
import { CC, FREE } from "./_internal/clusterStates.js";
import { solveSpec } from "./clusterChain.js";
import type { FleetMetrics } from "./fleet.js";

/**
 * Exact fleet metrics when the brokers are coupled but exchangeable: identical brokers
 * (the same failure modes) sharing repair crews (FIFO) and struck together by a common
 * cause — no zones, no maintenance (docs/design.md §3c; the semantics the simulator's
 * fleet tracker follows, src/sim/kernel/fleetTracker.ts).
 *
 * Method. The brokers' processes form the cluster chain of src/formulas/clusterChain.ts
 * (per mode the brokers down, the crews' FIFO line, the common cause), solved for its
 * stationary distribution π. Permuting the brokers' labels maps the labelled chain onto
 * itself, so its (unique) stationary distribution is invariant under permutations: given
 * the chain's state — how many brokers are down, how many of them in `loses: disk` modes —
 * which brokers they are is uniform over the labellings. Each metric is then
 * Σ_s π_s · g(s), with g the metric's expectation over a uniform labelling:
 *
 *   A's complement  Σ_s π_s · U(k_s) + π_cc,  U(k) = share of the k-subsets of brokers
 *                   that leave some partition with fewer than m up (counted exactly)
 *   partitions      Σ_s π_s · P · H(k_s) + π_cc · P,  H(k) = P(≥ R − m + 1 of a partition's
 *   unavailable     R replicas among k uniformly chosen brokers): hypergeometric
 *   elections /h    Σ_s π_s · [Λ · (u_s/B) · P · Σ_{i<R} C(B−1−i, k−i)/C(B−1, k)
 *                   + ρ · (P − P·C(B−R, k−R)/C(B, k))]   (failures of up leaders, and every
 *                   partition with an up replica at a common cause's strike)
 *   partitions      Σ_s π_s · δ · (u_s/B) · P · R · C(B−R, d−R+1)/C(B−1, d)
 *   lost /h         (a disk failure of an up broker whose partition's R − 1 others are
 *                   among the d destroyed)
 *   loss events /h  Σ_s π_s · δ · (u_s/B) · Σ_b L_b(d_s),  L_b(d) = share of the d-subsets of
 *                   the other B − 1 brokers holding all other replicas of some partition of b
 *
 * with k brokers down, d of them in `loses: disk` modes, u = B − k up, P partitions of R
 * replicas, m = min ISR, Λ the brokers' total failure rate, δ their `loses: disk` rate and
 * ρ the common cause's rate. A common cause with `loses: disk` also loses, at its strike,
 * every partition not yet lost (P − P·C(B−R, d−R)/C(B, d) of them; one loss event when
 * that is not 0). Every term is a non-negative product: the complements are summed
 * directly, never 1 − x.
 *
 * The subset counts U(k) and L_b(d) are exact enumerations, done for every k (d) the
 * chain reaches when C(B, k) subsets stay within {@link MAX_SUBSETS}; beyond that the
 * states' mass is bounded (U ≤ 1, L ≤ 1) and reported, and the sums are refused when
 * that bound is above `tolerance` × the value.
 *
 * Sources: exchangeability of a symmetric chain's stationary law — Kelly, Reversibility
 * and Stochastic Networks (1979) §1.1 (uniqueness), applied to the permuted chain; the
 * cluster chain, Trivedi (2002) ch. 8–9; hypergeometric tails, Feller, An Introduction to
 * Probability Theory, vol. I (3rd ed., 1968) §II.6.
 */

export interface SymmetricFleetMode {
  /** failures per hour of an up broker in this mode */
  readonly failureRate: number;
  /** recoveries per hour (per crew for a crew mode) */
  readonly repairRate: number;
  readonly needsCrew: boolean;
  /** a failure destroys the broker's replicas while it is down */
  readonly losesDisk: boolean;
}

export interface SymmetricFleetInput {
  readonly brokers: number;
  readonly modes: readonly SymmetricFleetMode[];
  /** crews shared by the crew modes */
  readonly repairCrews: number;
  readonly commonCause?: { readonly rate: number; readonly restoreRate: number; readonly losesDisk: boolean };
  /** per partition, 0-based broker ids, preference order; all of the same size R */
  readonly replicaSets: readonly (readonly number[])[];
  readonly minInsync: number;
  /** the truncation bound allowed, relative to each value (default 1e-12) */
  readonly tolerance?: number;
}

/** The most subsets one exact count enumerates (about a second of work at 150 partitions a broker). */
export const MAX_SUBSETS = 2_000_000;

/**
 * @throws RangeError when the input is out of domain, the chain is too large
 *   (clusterChain's limits), or the subsets to enumerate leave a truncation bound above
 *   the tolerance
 */
export function fleetMetricsSymmetric(input: SymmetricFleetInput): FleetMetrics {
  const { brokers: B, modes, replicaSets, minInsync: m } = input;
  const tolerance = input.tolerance ?? 1e-12;
  const P = replicaSets.length;
  const R = replicaSets[0]?.length ?? 0;
  if (!(P >= 1 && R >= 1 && R <= B)) throw new RangeError(`fleetMetricsSymmetric requires partitions of 1 … ${B} replicas`);
  for (const set of replicaSets) {
    if (set.length !== R || new Set(set).size !== R || set.some((b) => !(Number.isInteger(b) && b >= 0 && b < B))) {
      throw new RangeError(`fleetMetricsSymmetric requires replica sets of ${R} distinct brokers in 0 … ${B - 1}`);
    }
  }
  if (!(Number.isInteger(m) && m >= 1 && m <= R)) throw new RangeError(`fleetMetricsSymmetric requires min ISR in 1 … ${R}, got ${m}`);
  const cc = input.commonCause;
  const spec = solveSpec(
    {
      nodes: B,
      quorum: 1,
      modes: modes.map((mode) => ({ failureRate: mode.failureRate, repairRate: mode.repairRate, needsCrew: mode.needsCrew })),
      repairCrews: input.repairCrews,
      ...(cc && cc.rate > 0 ? { commonCause: { rate: cc.rate, restoreRate: cc.restoreRate } } : {}),
    },
    "fleetMetricsSymmetric",
  );
  const steady = solveSteadyState(spec);
  const codec = steady.process.codec;
  // the codec's fields per mode: crew-free modes in order, then crew modes in order
  const freeDisk = modes.filter((mode) => !mode.needsCrew).map((mode) => mode.losesDisk);
  const crewDisk = modes.filter((mode) => mode.needsCrew).map((mode) => mode.losesDisk);
  const totalRate = modes.reduce((sum, mode) => sum + mode.failureRate, 0);
  const diskRate = modes.reduce((sum, mode) => sum + (mode.losesDisk ? mode.failureRate : 0), 0);
  const ccRate = cc && cc.rate > 0 ? cc.rate : 0;

  // π by (k down, d destroyed), and the common cause's mass
  const mass = new Float64Array((B + 1) * (B + 1));
  let commonCause = 0;
  const u = new Int32Array(codec.fields);
  for (let i = 0; i < steady.chain.size; i++) {
    codec.decode(steady.table.keys, i * codec.words, u);
    const pi = steady.pi[i] as number;
    if (u[CC] === 1) {
      commonCause += pi;
      continue;
    }
    let k = 0;
    let d = 0;
    freeDisk.forEach((disk, f) => {
      const n = u[FREE + f] as number;
      k += n;
      if (disk) d += n;
    });
    crewDisk.forEach((disk, c) => {
      const n = u[codec.repairAt + c] as number;
      k += n;
      if (disk) d += n;
    });
    for (let j = 0; j < codec.maxWait; j++) {
      const entry = u[codec.waitAt + j] as number;
      if (entry === 0) break;
      k++;
      if (crewDisk[entry - 1]) d++;
    }
    mass[k * (B + 1) + d] = (mass[k * (B + 1) + d] as number) + pi;
  }
  const byDown = new Float64Array(B + 1);
  const byDestroyed = new Float64Array(B + 1);
  const upByDestroyed = new Float64Array(B + 1); // Σ π · u over states with d destroyed
  for (let k = 0; k <= B; k++) {
    for (let d = 0; d <= k; d++) {
      const pi = mass[k * (B + 1) + d] as number;
      byDown[k] = (byDown[k] as number) + pi;
      byDestroyed[d] = (byDestroyed[d] as number) + pi;
      upByDestroyed[d] = (upByDestroyed[d] as number) + pi * (B - k);
    }
  }

  const counts = new SubsetCounts(B, replicaSets, m);
  const choose = binomialTable(B);
  const need = R - m + 1; // down replicas that break a partition

  // availability: enumerate U(k) for the k the chain reaches, from the likeliest
  let broken = commonCause;
  let intact = 0;
  let availabilityBound = 0;
  let partitionsUnavailable = commonCause * P;
  let elections = 0;
  for (let k = 0; k <= B; k++) {
    const pi = byDown[k] as number;
    if (pi === 0) continue;
    const subsets = choose(B, k);
    // partitions not writable: the hypergeometric tail
    let tail = 0;
    for (let j = need; j <= Math.min(R, k); j++) tail += (choose(R, j) * choose(B - R, k - j)) / subsets;
    partitionsUnavailable += pi * P * tail;
    // elections: up leaders failing, and the common cause's strike
    if (k < B) {
      // an up broker leads a partition where it sits at place i when the i before it are down
      let led = 0;
      for (let i = 0; i < R && i <= k; i++) led += choose(B - 1 - i, k - i) / choose(B - 1, k);
      elections += pi * totalRate * ((B - k) / B) * P * led;
    }
    if (ccRate > 0) elections += pi * ccRate * (P - (P * choose(B - R, k - R)) / subsets);
    if (k < need) {
      intact += pi;
      continue;
    }
    if (subsets * counts.workPerSubset(k) <= MAX_SUBSETS * 8) {
      const bad = counts.breaking(k);
      broken += pi * (bad / subsets);
      intact += pi * ((subsets - bad) / subsets);
    } else availabilityBound += pi;
  }
  if (availabilityBound > tolerance * broken) {
    throw new RangeError(
      `the exact fleet sums over ${B} coupled brokers would enumerate more than ${MAX_SUBSETS} broker subsets (their neglected probability ${availabilityBound.toExponential(1)} is above ${tolerance} of the unavailability ${broken.toExponential(1)})`,
    );
  }

  // losses: failures of up brokers in `loses: disk` modes, and a `loses: disk` common cause
  let lossEvents = 0;
  let lossBound = 0;
  let partitionsLost = 0;
  for (let d = R - 1; d <= B - 1 && diskRate > 0; d++) {
    const upMass = upByDestroyed[d] as number;
    if (upMass === 0) continue;
    partitionsLost += diskRate * (upMass / B) * P * R * (choose(B - R, d - R + 1) / choose(B - 1, d));
    if (choose(B - 1, d) * B <= MAX_SUBSETS) lossEvents += diskRate * (upMass / B) * counts.lossShare(d);
    else lossBound += diskRate * (upMass / B) * B;
  }
  if (cc?.losesDisk && ccRate > 0) {
    for (let d = 0; d <= B; d++) {
      const pi = byDestroyed[d] as number;
      if (pi === 0) continue;
      const alreadyLost = d >= R ? (P * choose(B - R, d - R)) / choose(B, d) : 0;
      partitionsLost += pi * ccRate * (P - alreadyLost);
      // one loss event unless every partition is lost already (then the strike loses none)
      if (d < B) lossEvents += pi * ccRate;
    }
  }
  if (lossBound > tolerance * lossEvents) {
    throw new RangeError(
      `the exact fleet loss sums over ${B} coupled brokers would enumerate more than ${MAX_SUBSETS} broker subsets (their neglected rate is above ${tolerance} of the loss events)`,
    );
  }
  return {
    availability: { value: intact, complement: broken },
    availabilityBound,
    partitionsUnavailable,
    partitionAvailability: { value: 1 - partitionsUnavailable / P, complement: partitionsUnavailable / P },
    lossEventsPerHour: lossEvents,
    lossEventsBound: lossBound,
    partitionsLostPerHour: partitionsLost,
    electionsPerHour: elections,
  };
}

/** C(n, j) for 0 ≤ n ≤ N as doubles (exact below 2^53), 0 outside 0 ≤ j ≤ n. */
function binomialTable(N: number): (n: number, j: number) => number {
  const rows: Float64Array[] = [];
  for (let n = 0; n <= N; n++) {
    const row = new Float64Array(n + 1);
    row[0] = 1;
    row[n] = 1;
    for (let j = 1; j < n; j++) row[j] = (rows[n - 1]?.[j - 1] as number) + (rows[n - 1]?.[j] as number);
    rows.push(row);
  }
  return (n, j) => (n < 0 || j < 0 || j > n || n > N ? 0 : (rows[n]?.[j] as number));
}

/** Exact subset counts over the replica sets, by enumeration of the subsets of brokers. */
class SubsetCounts {
  private readonly partitionsOf: number[][];
  private readonly hits: Int32Array;
  private readonly need: number;

  constructor(
    private readonly brokers: number,
    private readonly sets: readonly (readonly number[])[],
    minInsync: number,
  ) {
    this.partitionsOf = Array.from({ length: brokers }, () => []);
    sets.forEach((set, p) => {
      for (const b of set) this.partitionsOf[b]?.push(p);
    });
    this.hits = new Int32Array(sets.length);
    this.need = (sets[0]?.length ?? 0) - minInsync + 1;
  }

  /** replicas touched per subset of size k (the enumeration's cost per subset) */
  workPerSubset(k: number): number {
    return Math.max(1, (k * this.sets.length * (this.sets[0]?.length ?? 0)) / this.brokers);
  }

  /** the k-subsets of brokers that leave some partition with `need` or more of its replicas down */
  breaking(k: number): number {
    let bad = 0;
    forEachSubset(this.brokers, k, (subset) => {
      if (this.breaks(subset)) bad++;
    });
    return bad;
  }

  /** Σ_b over brokers of the share of d-subsets of the others holding every other replica of some partition of b */
  lossShare(d: number): number {
    let total = 0;
    const others = new Int32Array(this.brokers - 1);
    const chosen = new Uint8Array(this.brokers);
    for (let b = 0; b < this.brokers; b++) {
      let j = 0;
      for (let c = 0; c < this.brokers; c++) if (c !== b) others[j++] = c;
      let covering = 0;
      let all = 0;
      const mine = this.partitionsOf[b] as number[];
      forEachSubset(this.brokers - 1, d, (subset) => {
        all++;
        for (let i = 0; i < d; i++) chosen[others[subset[i] as number] as number] = 1;
        if (mine.some((p) => (this.sets[p] as readonly number[]).every((c) => c === b || chosen[c] === 1))) covering++;
        for (let i = 0; i < d; i++) chosen[others[subset[i] as number] as number] = 0;
      });
      total += all === 0 ? 0 : covering / all;
    }
    return total;
  }

  private breaks(subset: Int32Array): boolean {
    const hits = this.hits;
    let broken = false;
    for (let i = 0; i < subset.length && !broken; i++) {
      for (const p of this.partitionsOf[subset[i] as number] as number[]) {
        const h = (hits[p] as number) + 1;
        hits[p] = h;
        if (h >= this.need) {
          broken = true;
          break;
        }
      }
    }
    for (let i = 0; i < subset.length; i++) for (const p of this.partitionsOf[subset[i] as number] as number[]) hits[p] = 0;
    return broken;
  }
}

/** Calls `visit` with each k-subset of 0 … n − 1 (as a reused array, increasing). */
function forEachSubset(n: number, k: number, visit: (subset: Int32Array) => void): void {
  if (k > n || k < 0) return;
  const subset = Int32Array.from({ length: k }, (_, i) => i);
  for (;;) {
    visit(subset);
    let i = k - 1;
    while (i >= 0 && subset[i] === n - k + i) i--;
    if (i < 0) return;
    subset[i] = (subset[i] as number) + 1;
    for (let j = i + 1; j < k; j++) subset[j] = (subset[j - 1] as number) + 1;
  }
}
