import { upCountDistribution } from "./kofn.js";
import { assertProbability, type Probability } from "./probability.js";

/**
 * Exact fleet metrics for many partitions over many independent brokers (docs/design.md §3,
 * the fleet semantics: a partition is writable while at least `minInsync` of its replicas
 * are up; its leader is its first up replica in preference order; a replica is destroyed
 * while its broker is down in a `loses: disk` mode).
 *
 * Assumptions: brokers are independent (crew-free modes or one crew per broker, no common
 * cause, no zone outages, no maintenance — the caller checks that), each in its steady
 * state, so that the fleet's state distribution is the product of the brokers' (product
 * form). Every metric is then a sum over broker states:
 *
 *   availability        A = P(every partition writable)
 *   partitions unavail. E = Σ_p P(fewer than m of S_p up)     (Poisson-binomial tail per partition)
 *   loss events / h     Σ_b δ_b · P(b up) · P(∃ p ∋ b: every c ∈ S_p∖{b} destroyed)
 *   partitions lost / h Σ_b δ_b · P(b up) · Σ_{p ∋ b} Π_{c ∈ S_p∖{b}} x_c
 *   elections / h       Σ_p Σ_{i} λ_{S_p[i]} · P(S_p[i] up) · Π_{j<i} P(S_p[j] down)
 *
 * with δ_b the broker's `loses: disk` failure rate while up, λ_b its failure rate while up
 * and x_c = P(c down in a `loses: disk` mode). A failure rate while up times P(up) is the
 * rate of such failures (PASTA for the Poisson failure process of an up broker).
 *
 * The two unions (A's complement and the loss union per broker) are computed by
 * {@link unionOfGroups}: a factoring recursion over the brokers with reductions,
 * splitting into independent components, and a truncation whose neglected mass is
 * bounded and reported. Sources: product form of independent components, Barlow &
 * Proschan (1975) ch. 2; factoring / pivotal decomposition with series–parallel
 * reductions, Satyanarayana & Chang, "Network reliability and the factoring theorem",
 * Networks 13 (1983) 107–120; the fleet effects: Kleppmann (2017), "The probability of data
 * loss in large clusters"; Cidon et al., "Copysets", USENIX ATC 2013.
 */

/** One broker's steady state, the factor of the product form. */
export interface FleetBroker {
  /** steady-state P(broker up), value and complement each accurate */
  readonly up: Probability;
  /** P(broker down in a `loses: disk` mode): its replicas are gone */
  readonly destroyed: number;
  /** unplanned failures per hour while up, all modes (elections) */
  readonly failureRatePerHour: number;
  /** failures per hour while up in `loses: disk` modes */
  readonly diskFailureRatePerHour: number;
}

export interface FleetInput {
  readonly brokers: readonly FleetBroker[];
  /** per partition, 0-based broker ids, preference order */
  readonly replicaSets: readonly (readonly number[])[];
  /** a partition is writable while >= minInsync of its replicas are up */
  readonly minInsync: number;
  /** truncation: stop when the neglected probability mass is below tolerance × the value (default 1e-13) */
  readonly tolerance?: number;
}

export interface FleetMetrics {
  /** P(every partition writable), complement computed directly */
  readonly availability: Probability;
  /** the truncation's bound on the error of availability.complement (absolute) */
  readonly availabilityBound: number;
  /** E[# partitions not writable] (time average) */
  readonly partitionsUnavailable: number;
  /** 1 − partitionsUnavailable / partitions, complement = partitionsUnavailable / partitions directly */
  readonly partitionAvailability: Probability;
  /** rate of failures that lose at least one partition */
  readonly lossEventsPerHour: number;
  /** the truncation's bound on the error of lossEventsPerHour (absolute, per hour) */
  readonly lossEventsBound: number;
  /** rate of partitions lost */
  readonly partitionsLostPerHour: number;
  /** unplanned failures of a broker while it leads a partition, counted per partition */
  readonly electionsPerHour: number;
}

/** The default truncation tolerance (relative to the computed value). */
export const FLEET_TOLERANCE = 1e-13;

/**
 * Work limits of the exact sums, counted as the groups (partitions, or a broker's
 * partitions' other members) handled over all branch points of the factoring recursion
 * — a count proportional to the time, ≈ 250 ns each here (2e7 ≈ 5 s). The availability union may
 * do {@link MAX_AVAILABILITY_WORK}, the loss unions of all brokers together
 * {@link MAX_LOSS_WORK}; the first loss union (the broker holding most partitions) only
 * its 1/B share, so a fleet whose loss unions are too large is refused after one broker's.
 */
export const MAX_AVAILABILITY_WORK = 20_000_000;
export const MAX_LOSS_WORK = 50_000_000;

/**
 * Exact fleet metrics with independent brokers (see the module comment for the formulas).
 *
 * Method for the two unions — P(some partition not writable) and, per broker b,
 * P(∃ p ∋ b: the other replicas of p all destroyed) — by {@link unionOfGroups}: a group is a
 * set of brokers with a need (a partition breaks when `|S_p| − m + 1` of its replicas are
 * down; a loss needs all `|S_p| − 1` others destroyed). The recursion picks the broker in
 * most groups and conditions on it (pivotal decomposition): up removes it from its groups
 * (a group that can no longer reach its need drops out), down lowers their needs (a need
 * of 0 is broken: that branch's probability goes to the complement directly and is not
 * explored further). Independent components are solved apart and combined
 * (B = B₁ + I₁·B₂, I = I₁·I₂, all terms ≥ 0). Both the broken and the intact probabilities
 * are sums of non-negative products, so the complement is never formed as 1 − x. A
 * subproblem whose weight × (union bound S₁ = Σ_g P(g reaches its need)) is below a
 * threshold τ is not explored; that bound is added to the reported bound. τ starts at
 * tolerance × min(1, S₁ of the whole union) / 64 and is lowered (and the union redone)
 * until the bound is below tolerance × the union. Memoising residual problems on a
 * canonical key was tried and dropped: at 60 × 3 000 it made the sum 3.6× slower (keys
 * cost more than the rare hits save).

 * Reductions inside the recursion: a group of need 1 makes its members critical — they are
 * taken out together (B = P(some critical down) + P(all up)·B(rest), with P(some down) =
 * −expm1(Σ log P(up))); for residual problems made of pairs (RF 3 losses) a pruned
 * subproblem contributes the first Bonferroni term S₁ with error ≤ S₂ (bounded in
 * closed form), otherwise 0 with error ≤ S₁.
 *
 * Complexity: partitions unavailable, partitions lost and elections are O(Σ_p |S_p|²).
 * The unions are exponential in the worst case (the problem is #P-hard); the truncation
 * keeps the broker sets whose probability matters and each branch point costs O(size of
 * the residual problem). Limits: the availability union may do
 * {@link MAX_AVAILABILITY_WORK} steps, the loss unions together {@link MAX_LOSS_WORK},
 * the first (largest) broker's union its 1/B share — beyond that a RangeError says so.
 *
 * Measured (Node 20, one core of a shared 2-core machine; random placement from a seeded
 * generator, RF 3, brokers with a disk mode (mtbf 4 y, mttr 24 h) and a crash mode (6 / y,
 * 10 min): unavailability 8e-4; tolerance 1e-13; CPU time):
 *   60 brokers × 3 000 partitions: min ISR 2 in 1.9 s (availability union 58 branch
 *     points; loss unions ≈ 7 000 branch points per broker), min ISR 3 in 1.5 s;
 *     min ISR 1 refused after 5.0 s (its availability union needs 8.4e7 steps, 19 s);
 *   200 brokers × 20 000 partitions: refused in 0.9 s (min ISR 2) and 0.4 s (min ISR 3):
 *     the first broker's loss union alone needs 1.5e6 branch points (9 s), 200 of them
 *     would take about half an hour; the availability union alone takes 1.3 s.

 * @throws RangeError when a replica set is empty, repeats a broker or names one out of
 *   range, minInsync is not a whole number in 1..|S_p|, a broker is not a probability, or
 *   the truncated sums need more steps than the limits above
 */
export function fleetMetricsIndependent(input: FleetInput): FleetMetrics {
  const { brokers, replicaSets, minInsync } = input;
  const tolerance = checkFleetInput(input, "fleetMetricsIndependent");

  // Per-broker halves: down and up, each accurate (destroyed and not: fleetLosses).
  const down = brokers.map((b) => ({ value: b.up.complement, complement: b.up.value }));

  // Partitions unavailable: a Poisson-binomial tail per partition, both halves summed.
  let unavailableSum = 0;
  let writableSum = 0;
  for (const set of replicaSets) {
    const counts = upCountDistribution(set.map((b) => brokers[b]?.up as Probability));
    for (let j = 0; j < counts.length; j++) {
      if (j < minInsync) unavailableSum += counts[j] as number;
      else writableSum += counts[j] as number;
    }
  }
  const partitions = replicaSets.length;
  const partitionAvailability =
    unavailableSum <= writableSum
      ? { value: 1 - unavailableSum / partitions, complement: unavailableSum / partitions }
      : { value: writableSum / partitions, complement: 1 - writableSum / partitions };

  // Elections: broker S_p[i] fails while it leads p, i.e. while up and every earlier replica down.
  let electionsPerHour = 0;
  for (const set of replicaSets) {
    let earlierDown = 1;
    for (const b of set) {
      const broker = brokers[b] as FleetBroker;
      electionsPerHour += broker.failureRatePerHour * broker.up.value * earlierDown;
      earlierDown *= broker.up.complement;
    }
  }

  // Availability: the union over partitions of "fewer than m up".
  const availabilityGroups = replicaSets.map((set) => ({ members: set, need: set.length - minInsync + 1 }));
  const union = unionOfGroups(down, availabilityGroups, tolerance, MAX_AVAILABILITY_WORK);
  const availability =
    union.broken <= union.intact
      ? { value: 1 - union.broken, complement: union.broken }
      : { value: union.intact, complement: 1 - union.intact };

  const { lossEventsPerHour, lossEventsBound, partitionsLostPerHour } = fleetLosses(brokers, replicaSets, tolerance);

  return {
    availability,
    availabilityBound: union.bound,
    partitionsUnavailable: unavailableSum,
    partitionAvailability,
    lossEventsPerHour,
    lossEventsBound,
    partitionsLostPerHour,
    electionsPerHour,
  };
}

/** The loss metrics of {@link FleetMetrics}. */
export interface FleetLosses {
  readonly lossEventsPerHour: number;
  readonly lossEventsBound: number;
  readonly partitionsLostPerHour: number;
}

/**
 * The loss metrics alone (see {@link fleetMetricsIndependent}):
 *
 *   loss events / h     Σ_b δ_b · P(b up) · P(∃ p ∋ b: every c ∈ S_p∖{b} destroyed)
 *   partitions lost / h Σ_b δ_b · P(b up) · Σ_{p ∋ b} Π_{c ∈ S_p∖{b}} x_c
 *
 * They read only each broker's own process (`up`, `destroyed`, the disk failure rate), so
 * they hold as well when zone outages make a broker unreachable without touching its
 * process (src/formulas/fleetZones.ts). The inputs are trusted (checked by the callers).
 *
 * @throws RangeError when the loss unions need more steps than {@link MAX_LOSS_WORK}
 */
export function fleetLosses(brokers: readonly FleetBroker[], replicaSets: readonly (readonly number[])[], tolerance: number): FleetLosses {
  const destroyed = brokers.map((b) => ({
    value: b.destroyed,
    complement: b.up.value + Math.max(0, b.up.complement - b.destroyed),
  }));
  // Losses: per broker b, the partitions it holds and their other members.
  const holding: number[][][] = brokers.map(() => []);
  replicaSets.forEach((set) => {
    for (const b of set) (holding[b] as number[][]).push(set.filter((c) => c !== b));
  });
  let lossEventsPerHour = 0;
  let lossEventsBound = 0;
  let partitionsLostPerHour = 0;
  // The broker holding most partitions first: its union predicts the work of the rest.
  const order = brokers.map((_, b) => b).sort((a, b) => (holding[b] as number[][]).length - (holding[a] as number[][]).length);
  let spent = 0;
  for (const b of order) {
    const broker = brokers[b] as FleetBroker;
    const others = holding[b] as number[][];
    const strikeRate = broker.diskFailureRatePerHour * broker.up.value;
    if (others.length === 0 || strikeRate === 0) continue;
    for (const rest of others) {
      let allDestroyed = 1;
      for (const c of rest) allDestroyed *= (brokers[c] as FleetBroker).destroyed;
      partitionsLostPerHour += strikeRate * allDestroyed;
    }
    const loss = unionOfGroups(
      destroyed,
      others.map((members) => ({ members, need: members.length })),
      tolerance,
      // the first union may take its share of the limit only
      spent === 0 ? Math.ceil(MAX_LOSS_WORK / brokers.length) : MAX_LOSS_WORK - spent,
      spent === 0 ? `loss events (the first broker's union, its 1/${brokers.length} share of ${MAX_LOSS_WORK})` : "loss events",
    );
    spent += loss.work;
    lossEventsPerHour += strikeRate * loss.broken;
    lossEventsBound += strikeRate * loss.bound;
  }
  return { lossEventsPerHour, lossEventsBound, partitionsLostPerHour };
}

/**
 * Each broker's state probabilities from competing crew-free modes — the product form's
 * factor. A mode i fails an up broker at rate λ_i and takes mttr_i to recover (any
 * distribution: the steady state is insensitive to it); with loads ρ_i = λ_i·mttr_i,
 *
 *   P(up) = 1 / (1 + Σρ),  P(down in mode i) = ρ_i / (1 + Σρ)
 *
 * (as competingModesAvailability in zones.ts), destroyed = Σ_{disk modes} ρ_i / (1 + Σρ),
 * the failure rate Σλ_i and the disk failure rate Σ_{disk} λ_i.
 *
 * @throws RangeError when a rate is negative or not finite, or an mttr is not > 0 and finite
 */
export function fleetBrokerFromModes(
  modes: readonly { ratePerHour: number; mttrHours: number; loses: "nothing" | "unflushed" | "disk" }[],
): FleetBroker {
  let load = 0;
  let diskLoad = 0;
  let failureRatePerHour = 0;
  let diskFailureRatePerHour = 0;
  for (const { ratePerHour, mttrHours, loses } of modes) {
    if (!(ratePerHour >= 0 && Number.isFinite(ratePerHour)))
      throw new RangeError(`fleetBrokerFromModes requires rates ≥ 0, got ${ratePerHour}`);
    if (!(mttrHours > 0 && Number.isFinite(mttrHours))) throw new RangeError(`fleetBrokerFromModes requires an mttr > 0, got ${mttrHours}`);
    load += ratePerHour * mttrHours;
    failureRatePerHour += ratePerHour;
    if (loses === "disk") {
      diskLoad += ratePerHour * mttrHours;
      diskFailureRatePerHour += ratePerHour;
    }
  }
  return {
    up: { value: 1 / (1 + load), complement: load / (1 + load) },
    destroyed: diskLoad / (1 + load),
    failureRatePerHour,
    diskFailureRatePerHour,
  };
}

/**
 * The checks every fleet sum makes of its input (brokers, replica sets, minInsync,
 * tolerance); `who` names the function in the messages. Returns the tolerance.
 *
 * @throws RangeError naming the first problem
 */
export function checkFleetInput(input: FleetInput, who: string): number {
  const { brokers, replicaSets, minInsync } = input;
  const tolerance = input.tolerance ?? FLEET_TOLERANCE;
  if (!(tolerance >= 0 && tolerance < 1)) throw new RangeError(`${who} requires a tolerance in [0, 1), got ${tolerance}`);
  brokers.forEach((broker, index) => {
    checkBroker(broker, index);
  });
  if (replicaSets.length === 0) throw new RangeError(`${who} requires at least one partition`);
  replicaSets.forEach((set, index) => {
    checkReplicaSet(set, index, brokers.length, minInsync);
  });
  return tolerance;
}

function checkBroker(broker: FleetBroker, index: number): void {
  assertProbability(broker.up, `broker ${index}'s up probability`);
  if (!(broker.destroyed >= 0 && broker.destroyed <= broker.up.complement * (1 + 4 * Number.EPSILON))) {
    throw new RangeError(`broker ${index}: P(destroyed) must be in [0, P(down)], got ${broker.destroyed}`);
  }
  for (const rate of [broker.failureRatePerHour, broker.diskFailureRatePerHour]) {
    if (!(rate >= 0 && Number.isFinite(rate))) throw new RangeError(`broker ${index}: failure rates must be ≥ 0, got ${rate}`);
  }
}

function checkReplicaSet(set: readonly number[], index: number, brokerCount: number, minInsync: number): void {
  if (set.length === 0) throw new RangeError(`partition ${index} has no replicas`);
  const seen = new Set<number>();
  for (const b of set) {
    if (!Number.isInteger(b) || b < 0 || b >= brokerCount) {
      throw new RangeError(`partition ${index}: broker ${b} is not in 0..${brokerCount - 1}`);
    }
    if (seen.has(b)) throw new RangeError(`partition ${index} names broker ${b} twice`);
    seen.add(b);
  }
  if (!Number.isInteger(minInsync) || minInsync < 1 || minInsync > set.length) {
    throw new RangeError(`minInsync must be a whole number in 1..${set.length} (partition ${index}'s replicas), got ${minInsync}`);
  }
}

/** A set of elements that breaks when at least `need` of them are down. */
export interface Group {
  readonly members: readonly number[];
  readonly need: number;
}

/** The result of {@link unionOfGroups}. */
export interface UnionResult {
  /** P(some group has at least its need down), summed from its own terms */
  readonly broken: number;
  /** P(no group broken), summed from its own terms */
  readonly intact: number;
  /** bound on the neglected mass: the true values lie within `bound` of the two above */
  readonly bound: number;
  /** branch points visited */
  readonly branches: number;
  /** groups handled over those branch points (the work, ∝ time) */
  readonly work: number;
}

interface Sub {
  readonly broken: number;
  readonly intact: number;
  readonly bound: number;
}

/** A residual group: sorted local member ids, its need, and P(it breaks) bounded above. */
class Residual {
  private text: string | undefined;
  constructor(
    readonly members: readonly number[],
    readonly need: number,
    readonly upper: number,
  ) {}
  /** its identity, for removing duplicates (built when first asked for) */
  get key(): string {
    if (this.text === undefined) this.text = `${this.need}:${this.members.join(",")}`;
    return this.text;
  }
}

const NONE: Sub = { broken: 0, intact: 1, bound: 0 };
const BROKEN: Sub = { broken: 1, intact: 0, bound: 0 };

/**
 * P(some group reaches its need) for independent elements, element e down with
 * probability `down[e].value` (not down: `down[e].complement`), by pivotal decomposition
 * with reductions, component splitting and a bounded truncation (see
 * {@link fleetMetricsIndependent}). Groups with need ≤ 0 are broken at once; groups with
 * need > |members| never break.
 *
 * @throws RangeError when the work (groups handled over the branch points) would pass `maxWork`
 */
export function unionOfGroups(
  down: readonly Probability[],
  groups: readonly Group[],
  tolerance = FLEET_TOLERANCE,
  maxWork = MAX_AVAILABILITY_WORK,
  what = "fleet availability",
): UnionResult {
  // Local ids 0..n−1 for the elements that appear in some group.
  const local = new Map<number, number>();
  const qDown: number[] = [];
  const qUp: number[] = [];
  for (const g of groups) {
    if (g.need <= 0) return { ...BROKEN, branches: 0, work: 0 };
    for (const m of g.members) {
      if (local.has(m)) continue;
      local.set(m, qDown.length);
      const q = down[m] as Probability;
      qDown.push(q.value);
      qUp.push(q.complement);
    }
  }
  const solverGroups = (groupsIn: readonly Group[]) =>
    dedupe(
      groupsIn
        .filter((g) => g.need <= g.members.length)
        .map((g) =>
          residual(
            g.members.map((m) => local.get(m) as number).sort((a, b) => a - b),
            g.need,
            qDown,
          ),
        ),
    );
  const start = solverGroups(groups);
  if (start.length === 0) return { ...NONE, branches: 0, work: 0 };
  // First threshold: a 64th of the tolerance times the union bound S₁ (the union's size
  // when it is small); lowered while the bound misses tolerance × the union.
  let upperBound = 0;
  for (const g of start) upperBound += g.upper;
  let threshold = (tolerance * Math.min(1, upperBound)) / 64;
  let branches = 0;
  let work = 0;
  for (;;) {
    const solver = new UnionSolver(qDown, qUp, threshold, maxWork - work, maxWork, what);
    const result = solver.solve(start, 1);
    branches += solver.branches;
    work += solver.work;
    if (result.bound <= tolerance * result.broken || threshold === 0) return { ...result, branches, work };
    const lowered = Math.min(threshold / 16, ((threshold * tolerance * result.broken) / result.bound) * 0.5);
    threshold = Math.max(lowered, 0);
  }
}

function tooLarge(what: string, limit: number): RangeError {
  return new RangeError(
    `the exact sum over broker states for ${what} needs more than ${limit} steps at this tolerance (too many brokers can fail together without breaking a partition); simulate instead, or raise the tolerance`,
  );
}

function residual(members: readonly number[], need: number, qDown: readonly number[]): Residual {
  return new Residual(members, need, atLeastBound(members, need, qDown));
}

/** An upper bound of P(at least `need` of the members down): e_need(q), the elementary symmetric polynomial. */
function atLeastBound(members: readonly number[], need: number, qDown: readonly number[]): number {
  if (need === members.length) {
    let product = 1;
    for (const m of members) product *= qDown[m] as number;
    return product;
  }
  const e = new Array<number>(need + 1).fill(0);
  e[0] = 1;
  for (const m of members) {
    const q = qDown[m] as number;
    for (let k = need; k >= 1; k--) e[k] = (e[k] as number) + (e[k - 1] as number) * q;
  }
  return Math.min(1, e[need] as number);
}

/**
 * Remove duplicate groups. Duplicates only cost time, except in the pairs' Bonferroni
 * bound (which assumes distinct pairs), so only residuals made of pairs are checked.
 */
function dedupe(groups: Residual[]): Residual[] {
  if (groups.length < 2) return groups;
  for (const g of groups) if (g.members.length !== 2) return groups;
  const kept = new Map<string, Residual>();
  for (const g of groups) kept.set(g.key, g);
  return kept.size === groups.length ? groups : [...kept.values()];
}

class UnionSolver {
  branches = 0;
  /** Σ residual sizes (groups) over the branch points: the work done, ∝ time */
  work = 0;
  private readonly parent: Int32Array;
  private readonly stamp: Int32Array;
  private readonly count: Int32Array;
  private readonly share: Float64Array;
  private clock = 0;

  constructor(
    private readonly qDown: readonly number[],
    private readonly qUp: readonly number[],
    private readonly threshold: number,
    private readonly budget: number,
    private readonly limit: number,
    private readonly what: string,
  ) {
    this.parent = new Int32Array(qDown.length);
    this.stamp = new Int32Array(qDown.length);
    this.count = new Int32Array(qDown.length);
    this.share = new Float64Array(qDown.length);
  }

  solve(groups: readonly Residual[], weight: number): Sub {
    if (groups.length === 0) return NONE;
    if (groups.length === 1) return this.single(groups[0] as Residual);
    if (groups.some((g) => g.need === 1)) return this.critical(groups, weight);
    let upper = 0;
    let pairs = true;
    for (const g of groups) {
      upper += g.upper;
      if (g.need !== 2 || g.members.length !== 2) pairs = false;
    }
    if (pairs && upper < 1) {
      // Bonferroni: S₁ − S₂ ≤ P(∪) ≤ S₁; estimate S₁, error ≤ S₂ (bounded below; its
      // bound needs distinct pairs, and duplicates can remain from a mixed parent).
      const distinct = dedupe(groups as Residual[]);
      if (distinct.length !== groups.length) return this.solve(distinct, weight);
      const second = this.secondOrder(groups, upper);
      if (weight * second < this.threshold) return { broken: upper, intact: 1 - upper, bound: second };
    } else {
      if (upper > 1) upper = 1;
      if (weight * upper < this.threshold) return { broken: 0, intact: 1, bound: upper };
    }
    this.branches++;
    this.work += groups.length;
    if (this.work > this.budget) throw tooLarge(this.what, this.limit);
    return this.components(groups, weight);
  }

  /**
   * One group alone: P(at least `need` of its members down) from the down-count
   * distribution (the Poisson-binomial recurrence of kofn.ts), both halves summed from
   * their own non-negative terms.
   */
  private single(g: Residual): Sub {
    const n = g.members.length;
    const count = new Float64Array(n + 1);
    count[0] = 1;
    let seen = 0;
    for (const m of g.members) {
      const down = this.qDown[m] as number;
      const up = this.qUp[m] as number;
      seen++;
      for (let k = seen; k >= 1; k--) count[k] = (count[k] as number) * up + (count[k - 1] as number) * down;
      count[0] = (count[0] as number) * up;
    }
    let broken = 0;
    let intact = 0;
    for (let k = 0; k <= n; k++) {
      if (k >= g.need) broken += count[k] as number;
      else intact += count[k] as number;
    }
    return { broken, intact, bound: 0 };
  }

  /**
   * Series reduction: a group with need 1 breaks as soon as any member is down, so its
   * members are critical. With C the critical elements and G′ the rest given C all up,
   *   B = P(some c ∈ C down) + Π_C P(c up) · B(G′),   I = Π_C P(c up) · I(G′),
   * where P(some c down) = −expm1(Σ_C log P(c up)) is computed without a subtraction.
   */
  private critical(groups: readonly Residual[], weight: number): Sub {
    const stamp = ++this.clock;
    let logAllUp = 0;
    let allUp = 1;
    for (const g of groups) {
      if (g.need !== 1) continue;
      for (const m of g.members) {
        if (this.stamp[m] === stamp) continue;
        this.stamp[m] = stamp;
        const up = this.qUp[m] as number;
        allUp *= up;
        logAllUp += up < 0.5 ? Math.log(up) : Math.log1p(-(this.qDown[m] as number));
      }
    }
    const someDown = allUp < 0.5 ? 1 - allUp : -Math.expm1(logAllUp);
    if (allUp === 0) return BROKEN;
    const rest: Residual[] = [];
    for (const g of groups) {
      if (g.need === 1) continue;
      let hit = 0;
      for (const m of g.members) if (this.stamp[m] === stamp) hit++;
      if (hit === 0) {
        rest.push(g);
        continue;
      }
      const members = g.members.filter((m) => this.stamp[m] !== stamp);
      if (g.need <= members.length) rest.push(residual(members, g.need, this.qDown));
    }
    const sub = this.solve(dedupe(rest), weight * allUp);
    return { broken: someDown + allUp * sub.broken, intact: allUp * sub.intact, bound: allUp * sub.bound };
  }

  /**
   * An upper bound of S₂ = Σ_{g<h} P(g ∩ h) for groups that are pairs needing both members
   * (distinct pairs share at most one element): disjoint pairs are independent,
   * P(g ∩ h) = P(g)·P(h), summing to at most S₁²/2; pairs sharing v have
   * P(g ∩ h) = P(g)·P(h)/q_v, summing to at most A_v²/(2·q_v) with A_v = Σ_{g ∋ v} P(g).
   */
  private secondOrder(groups: readonly Residual[], first: number): number {
    const stamp = ++this.clock;
    const touched: number[] = [];
    for (const g of groups) {
      for (const m of g.members) {
        if (this.stamp[m] !== stamp) {
          this.stamp[m] = stamp;
          this.share[m] = 0;
          touched.push(m);
        }
        this.share[m] = (this.share[m] as number) + g.upper;
      }
    }
    let second = (first * first) / 2;
    for (const m of touched) {
      const a = this.share[m] as number;
      if (a > 0) second += (a * a) / (2 * (this.qDown[m] as number));
    }
    return second;
  }

  private find(x: number): number {
    const parent = this.parent;
    let root = x;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[x] !== root) {
      const next = parent[x] as number;
      parent[x] = root;
      x = next;
    }
    return root;
  }

  private components(groups: readonly Residual[], weight: number): Sub {
    const stamp = ++this.clock;
    const { parent } = this;
    for (const g of groups) {
      for (const m of g.members) {
        if (this.stamp[m] !== stamp) {
          this.stamp[m] = stamp;
          parent[m] = m;
        }
      }
      const first = this.find(g.members[0] as number);
      for (const m of g.members) {
        const root = this.find(m);
        if (root !== first) parent[root] = first;
      }
    }
    const root0 = this.find((groups[0] as Residual).members[0] as number);
    let single = true;
    for (const g of groups) {
      if (this.find(g.members[0] as number) !== root0) {
        single = false;
        break;
      }
    }
    if (single) return this.pivot(groups, weight);
    const parts = new Map<number, Residual[]>();
    for (const g of groups) {
      const root = this.find(g.members[0] as number);
      const list = parts.get(root);
      if (list) list.push(g);
      else parts.set(root, [g]);
    }
    // B = B₁ + I₁·B₂ + I₁·I₂·B₃ + …, I = I₁·I₂·…; errors add (all factors in [0, 1]).
    let broken = 0;
    let intact = 1;
    let bound = 0;
    for (const part of parts.values()) {
      const sub = this.solve(part, weight);
      broken += intact * sub.broken;
      intact *= sub.intact;
      bound += sub.bound;
    }
    return { broken, intact, bound };
  }

  private pivot(groups: readonly Residual[], weight: number): Sub {
    const stamp = ++this.clock;
    let pivot = -1;
    let most = 0;
    for (const g of groups) {
      for (const m of g.members) {
        if (this.stamp[m] !== stamp) {
          this.stamp[m] = stamp;
          this.count[m] = 0;
        }
        const c = ++(this.count[m] as number);
        if (c > most || (c === most && m < pivot)) {
          most = c;
          pivot = m;
        }
      }
    }
    const pDown = this.qDown[pivot] as number;
    const pUp = this.qUp[pivot] as number;
    // pivot up: removed from its groups; a group short of members for its need drops out.
    // pivot down: removed and its groups' needs lowered; a need of 0 is broken.
    const upGroups: Residual[] = [];
    const downGroups: Residual[] = [];
    let downBroken = false;
    for (const g of groups) {
      if (!g.members.includes(pivot)) {
        upGroups.push(g);
        if (!downBroken) downGroups.push(g);
        continue;
      }
      const members = g.members.filter((m) => m !== pivot);
      if (g.need <= members.length) upGroups.push(residual(members, g.need, this.qDown));
      if (g.need === 1) downBroken = true;
      else if (!downBroken) downGroups.push(residual(members, g.need - 1, this.qDown));
    }
    const up = pUp > 0 ? this.solve(dedupe(upGroups), weight * pUp) : NONE;
    const dn = downBroken ? BROKEN : pDown > 0 ? this.solve(dedupe(downGroups), weight * pDown) : NONE;
    return {
      broken: pUp * up.broken + pDown * dn.broken,
      intact: pUp * up.intact + pDown * dn.intact,
      bound: pUp * up.bound + pDown * dn.bound,
    };
  }
}
