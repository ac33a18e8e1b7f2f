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
 * The subset counts U(k) and L_b(d) are exact enumerations: a k-subset breaks a partition
 * when one of its (R − m + 1)-subsets lies in some replica set, a d-subset holds the other
 * replicas of one of b's partitions when one of its (R − 1)-subsets is such a set — each a
 * lookup in a set of keys made once. They are done for every k (d) while the lookups stay
 * within {@link MAX_SUBSET_LOOKUPS}. Beyond, monotonicity bounds them: a superset of a
 * breaking set breaks, so U(k) ≥ U(K) for k > K (and L likewise); U(K) is counted for
 * the states beyond and π·(1 − U(K)) is the stated bound (none when U(K) = 1). The sums
 * are refused when that bound is above `tolerance` × the value.
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
  /** the subset lookups allowed (default {@link MAX_SUBSET_LOOKUPS}) */
  readonly maxLookups?: number;
}

/** The most key lookups the subset counts make together (about a second). */
export const MAX_SUBSET_LOOKUPS = 100_000_000;

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

  const need = R - m + 1; // down replicas that break a partition
  const choose = binomialTable(B);
  const maxLookups = input.maxLookups ?? MAX_SUBSET_LOOKUPS;
  const counts = new SubsetCounts(B, replicaSets, need, maxLookups, choose);

  let broken = commonCause;
  let intact = 0;
  let availabilityBound = 0;
  let partitionsUnavailable = commonCause * P;
  let elections = 0;
  // U(K) of the last k counted (0 before any): a lower bound of U(k) for every larger k
  let lastBreaking = 0;
  for (let k = 0; k <= B; k++) {
    const pi = byDown[k] as number;
    const subsets = choose(B, k);
    // the exact count where it fits; beyond, U(k) ≥ the last one counted (monotone)
    const counted = k < need ? { broken: 0, intact: 1 } : lastBreaking < 1 ? counts.breakingShare(k) : { broken: 1, intact: 0 };
    if (counted !== undefined) lastBreaking = counted.broken;
    if (pi === 0) continue;
    // partitions not writable: the hypergeometric tail
    let tail = 0;
    for (let j = need; j <= Math.min(R, k); j++) tail += (choose(R, j) * choose(B - R, k - j)) / subsets;
    partitionsUnavailable += pi * P * tail;
    if (k < B) {
      // an up broker leads a partition where it sits at place i when the i before it are down
      let led = 0;
      for (let i = 0; i < R && i <= k; i++) led += choose(B - 1 - i, k - i) / choose(B - 1, k);
      elections += pi * totalRate * ((B - k) / B) * P * led;
    }
    // the common cause's strike elects every partition with an up replica
    if (ccRate > 0) elections += pi * ccRate * (P - (P * choose(B - R, k - R)) / subsets);
    if (counted !== undefined) {
      broken += pi * counted.broken;
      intact += pi * counted.intact;
    } else {
      broken += pi * lastBreaking;
      availabilityBound += pi * (1 - lastBreaking);
    }
  }
  if (availabilityBound > tolerance * broken) {
    throw new RangeError(
      `the exact fleet sums over ${B} coupled brokers would need more than ${maxLookups} subset lookups (the bound on what is left, ${availabilityBound.toExponential(1)}, is above ${tolerance} of the unavailability ${broken.toExponential(1)}) — mqrel simulate estimates it`,
    );
  }

  // losses: failures of up brokers in `loses: disk` modes, and a `loses: disk` common cause
  let lossEvents = 0;
  let lossBound = 0;
  let partitionsLost = 0;
  let lastLoss = 0;
  for (let d = Math.max(0, R - 1); d <= B - 1 && diskRate > 0; d++) {
    const upMass = upByDestroyed[d] as number;
    const counted = counts.lossShare(d);
    if (counted !== undefined) lastLoss = counted;
    if (upMass === 0) continue;
    partitionsLost += diskRate * (upMass / B) * P * R * (choose(B - R, d - R + 1) / choose(B - 1, d));
    if (counted !== undefined) lossEvents += diskRate * (upMass / B) * counted;
    else {
      // L(d) between the last counted (monotone) and the union bound over b's keys
      lossEvents += diskRate * (upMass / B) * lastLoss;
      lossBound += diskRate * (upMass / B) * Math.max(0, counts.lossUnionBound(d) - lastLoss);
    }
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
      `the exact fleet loss sums over ${B} coupled brokers would need more than ${maxLookups} subset lookups (the bound on what is left is above ${tolerance} of the loss events) — mqrel simulate estimates it`,
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

/**
 * Exact subset counts over the replica sets, by enumeration of the subsets of brokers and
 * lookups of their small subsets in sets of keys (a sorted tuple of brokers in base B + 1),
 * within a budget of lookups shared by every count.
 */
class SubsetCounts {
  /** keys of every `need`-subset of every replica set */
  private readonly breakKeys = new Set<number>();
  /** per broker b: keys of S_p ∖ {b} for its partitions p (R − 1 brokers each) */
  private readonly lossKeys: Set<number>[];
  private readonly lossSize: number;
  private budget: number;

  constructor(
    private readonly brokers: number,
    sets: readonly (readonly number[])[],
    private readonly need: number,
    budget: number,
    private readonly choose: (n: number, k: number) => number,
  ) {
    this.budget = budget;
    this.lossKeys = Array.from({ length: brokers }, () => new Set<number>());
    const replication = sets[0]?.length ?? 0;
    if ((brokers + 1) ** Math.max(need, replication - 1) > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(
        `the exact fleet sums over coupled brokers key sets of up to ${Math.max(need, replication - 1)} of ${brokers} brokers in one number, which does not fit: fewer replicas per partition, or simulate it`,
      );
    }
    this.lossSize = replication - 1;
    const members = new Int32Array(need);
    for (const set of sets) {
      const sorted = Int32Array.from(set).sort();
      forEachSubset(replication, need, (positions) => {
        for (let i = 0; i < need; i++) members[i] = sorted[positions[i] as number] as number;
        this.breakKeys.add(this.keyOf(members));
      });
      for (const b of set) (this.lossKeys[b] as Set<number>).add(this.keyOf(sorted.filter((c) => c !== b)));
    }
  }

  /**
   * U(k) and 1 − U(k), each counted: the shares of the k-subsets of brokers that hold
   * `need` replicas of some partition, and that do not; undefined beyond the budget.
   */
  breakingShare(k: number): { broken: number; intact: number } | undefined {
    const subsets = this.choose(this.brokers, k);
    const lookups = subsets * this.choose(k, this.need);
    if (lookups > this.budget) return undefined;
    this.budget -= lookups;
    const members = new Int32Array(this.need);
    let bad = 0;
    forEachSubset(this.brokers, k, (subset) => {
      if (this.holdsKey(subset, subset.length, this.need, this.breakKeys, members, undefined)) bad++;
    });
    return { broken: bad / subsets, intact: (subsets - bad) / subsets };
  }

  /**
   * Σ_b L_b(d): per broker b, the share of the d-subsets of the other brokers holding every
   * other replica of some partition of b; undefined beyond the budget.
   */
  lossShare(d: number): number | undefined {
    const r = this.lossSize;
    const lookups = this.brokers * this.choose(this.brokers - 1, d) * this.choose(d, r);
    if (lookups > this.budget) return undefined;
    this.budget -= lookups;
    const others = new Int32Array(this.brokers - 1);
    const members = new Int32Array(r);
    let total = 0;
    for (let b = 0; b < this.brokers; b++) {
      const keys = this.lossKeys[b] as Set<number>;
      if (keys.size === 0) continue;
      let j = 0;
      for (let c = 0; c < this.brokers; c++) if (c !== b) others[j++] = c;
      let covering = 0;
      forEachSubset(this.brokers - 1, d, (subset) => {
        if (this.holdsKey(subset, d, r, keys, members, others)) covering++;
      });
      total += covering / this.choose(this.brokers - 1, d);
    }
    return total;
  }

  /** Σ_b min(1, |keys of b| · C(n − r, d − r) / C(n, d)): the union bound of {@link lossShare}, n = B − 1, r = R − 1. */
  lossUnionBound(d: number): number {
    const n = this.brokers - 1;
    const r = this.lossSize;
    const each = this.choose(n - r, d - r) / this.choose(n, d);
    let total = 0;
    for (const keys of this.lossKeys) total += Math.min(1, keys.size * each);
    return total;
  }

  /** Does some `size`-subset of the chosen brokers (subset, through `map` when given) have its key in `keys`? */
  private holdsKey(
    subset: Int32Array,
    length: number,
    size: number,
    keys: Set<number>,
    members: Int32Array,
    map: Int32Array | undefined,
  ): boolean {
    let hit = false;
    forEachSubset(length, size, (positions) => {
      if (hit) return;
      for (let i = 0; i < size; i++) {
        const at = subset[positions[i] as number] as number;
        members[i] = map ? (map[at] as number) : at;
      }
      if (keys.has(this.keyOf(members))) hit = true;
    });
    return hit;
  }

  /** The key of brokers given in increasing order. */
  private keyOf(members: Int32Array): number {
    let key = 0;
    for (let i = 0; i < members.length; i++) key = key * (this.brokers + 1) + (members[i] as number) + 1;
    return key;
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
