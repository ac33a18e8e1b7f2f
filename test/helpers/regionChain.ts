/**
 * An independent reference for the region metrics of issue 21 (docs/design.md §3d): the
 * exact continuous-time Markov chain of a service over several sites, built from the
 * semantics alone — nothing of src/ is used — and solved by GTH state reduction
 * (Grassmann, Taksar & Heyman, "Regenerative analysis and steady state distributions for
 * Markov chains", Operations Research 33(5), 1985, pp. 1107–1116), written here on a dense
 * matrix: no subtraction anywhere, so every stationary probability keeps its relative
 * accuracy and a complement summed over the down states survives to 1e-15 and below.
 *
 * Units: every time is in hours and every rate per hour; a year is 8766 h (365.25 days).
 *
 * The state is (each site's cluster state, each site's region in/out, the active site, the
 * failover phase). The semantics, every time exponential (formula mode):
 * - site i's cluster is its own CTMC (`ClusterChain`: a generator and a "has quorum" flag
 *   per state); its region goes out at `outageRate` while in and comes back at 1/`outageMttr`.
 *   The two are independent: the cluster keeps failing and being repaired while its region
 *   is out. Sites are independent of each other.
 * - site i is available ⇔ its region is in ∧ its cluster state has quorum.
 * - the first site (index 0) is active at the start; the stationary law does not depend on it.
 * - phase `steady`: nothing under way. Phase `timer → T`: the active site is unavailable
 *   and some other site is available; the failover fires at rate 1/`after`, and T is the
 *   first available other site in list order. The phase is a function of the sites and the
 *   active site outside a switch, re-read after every transition: the timer "restarts" when
 *   the active site recovers (back to steady) and stops while no other site is available;
 *   if availability changes while it runs, T is re-read (with an exponential timer, restart,
 *   pause and retarget are all the same law: memoryless). It is kept as an explicit label
 *   only so that the failovers can be counted on it.
 * - phase `switch → T`: entered when the timer fires; the service is down; at rate
 *   1/`time` T becomes the active site and the phase is re-read (no failback: the active
 *   site stays until it is itself unavailable with another available).
 *   DECISION (the spec is silent): a switch once begun is committed. It completes after
 *   its `time` whatever happens meanwhile — if T becomes unavailable during the switch, T
 *   still becomes active at the end (and, being unavailable, starts a new timer toward the
 *   first available other site, possibly the old one); if the old site recovers during the
 *   switch, the switch is not cancelled. This is the literal reading of "the switch takes
 *   `time`, the service is down meanwhile, then that site is active".
 * - service.availability = P(phase ≠ switch ∧ the active site is available); its
 *   complement is summed directly over the other states, never 1 − availability.
 * - failovers per year = 8766 × Σ_{timer states} π(s) / after (the rate of switches begun;
 *   in the long run the same as the rate of switches completed).
 *
 * The loss (regions.loss; the §3b lag dynamics between sites). READING: the records of the
 * active site are published at a steady rate r while the service is up; each confirmed
 * record reaches the other site(s) after its own exponential copy delay of mean L (`lag`),
 * and the copy makes progress only while the service is up (a dark region or a cluster
 * without quorum ships nothing; a switch has begun, see below). At the start of a switch
 * the records the old active site confirmed and had not yet copied are lost (the target is
 * promoted with what it holds; a later recovery of the old site does not bring them back);
 * the new active site starts with nothing uncopied. The destination's own state is not
 * modelled (the copy is assumed to land whenever the source ships it).
 * - Derivation of the simple figure: with arrivals at rate r and independent exponential
 *   delays of mean L, the records in flight form an M/M/∞ (M/G/∞) queue, Poisson with mean
 *   r·L in steady state (Little's law: rate × mean sojourn). If the copy freezes when the
 *   active site becomes unavailable, a failover that comes after a long up period loses in
 *   expectation r·L records: L of the old site's traffic. Failovers come at rate F per
 *   hour, confirmed records at r·A per hour (published only while the service is up), so
 *   the share of confirmed records lost is F·r·L / (r·A) = F·L / A (`lossSteadyBacklog`).
 *   (F·L alone — dividing by all the hours' traffic r·1 instead of the confirmed traffic
 *   r·A — differs from it by the factor A, relative 1 − A.)
 * - The exact figure (`loss`, `lossPerFailoverHours`) drops the "long up period"
 *   assumption: after a failover, or at the very start of publishing, the backlog has not
 *   yet reached r·L. With m(s) = E[backlog; state s] / r in stationarity (hours of
 *   traffic), the backlog grows at rate 1 while up, each record leaves at rate 1/L while
 *   up, and it is reset to 0 by every failover, so
 *       m · (Q̃ − diag(up/L)) = −π ∘ up,
 *   Q̃ being the generator with the off-diagonal rates of the failovers (timer → switch)
 *   removed (their diagonal kept: the backlog is killed there). The lost traffic per hour is
 *   Σ_s m(s)/after over the timer states; divided by A it is `loss`, divided by F it is
 *   `lossPerFailoverHours` (≤ L; L·(1 − O(L × the rates of the sites))). r cancels: no
 *   publish rate is needed. This system is solved by the same subtraction-free elimination
 *   (GTH's for a chain with killing: the pivot is the sum of the remaining outflow plus the
 *   killing rate).
 *
 * Limits: the chain is dense, O(N³) time and N² memory, N = Π(cluster states × 2) × sites²
 * reachable states at most; `MAX_STATES` bounds it. The chain must be irreducible (every
 * site can become unavailable and recover), otherwise the solve throws.
 */
import { Sum } from "./compensatedSum.js";

/** A site's cluster as a small CTMC. */
export interface ClusterChain {
  /** generator[i][j] (i ≠ j): rate per hour from state i to j; the diagonal is ignored (it is minus the row sum) */
  readonly generator: readonly (readonly number[])[];
  /** per state: the cluster has its quorum (serves) */
  readonly quorum: readonly boolean[];
  /** the state at the start (default 0); only the reachable states are built */
  readonly start?: number;
}

export interface RegionSite {
  /** region outages per hour while the region is in (0: never out) */
  readonly outageRate: number;
  /** mean length of a region outage, hours */
  readonly outageMttr: number;
  readonly cluster: ClusterChain;
}

export interface RegionChainInput {
  /** in list order: the first is active at the start, failovers target the first available other */
  readonly sites: readonly RegionSite[];
  /** mean of the exponential failover delay, hours (> 0) */
  readonly after: number;
  /** mean of the exponential switch, hours (> 0) */
  readonly time: number;
  /** mean of the exponential cross-site copy delay of a record, hours (≥ 0; 0: no loss) */
  readonly lag: number;
}

export interface RegionChainResult {
  /** reachable states of the product chain */
  readonly states: number;
  /** service.availability: the active site available and no switch under way */
  readonly availability: number;
  /** its complement, summed directly over the down states */
  readonly unavailability: number;
  /** regions.failovers_per_year: switches begun per 8766 h */
  readonly failoversPerYear: number;
  /** regions.loss, exact backlog reading: the share of confirmed records lost at failovers */
  readonly loss: number;
  /** the mean records lost per failover in hours of traffic (lost records / publish rate); ≤ lag */
  readonly lossPerFailoverHours: number;
  /** the simple reading: every failover loses the stationary backlog r·lag, share F·lag / A */
  readonly lossSteadyBacklog: number;
}

/** The most states the dense solve takes (O(N³) time, N² memory). */
export const MAX_STATES = 2000;

/** Hours in a year of 365.25 days. */
export const HOURS_PER_YEAR = 8766;

/**
 * n identical nodes, each failing at rate λ while up and repaired at rate μ while down,
 * independently (one repair per node), the cluster serving while at least k are up. Lumped
 * on the number of nodes down d = 0…n (exact: the nodes are exchangeable): d → d+1 at
 * (n−d)·λ, d → d−1 at d·μ; quorum ⇔ n − d ≥ k; start d = 0.
 */
export function identicalNodesCluster(n: number, k: number, lambda: number, mu: number): ClusterChain {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(k) || k < 1 || k > n) throw new Error(`bad n=${n}, k=${k}`);
  const generator = Array.from({ length: n + 1 }, (_, d) =>
    Array.from({ length: n + 1 }, (_, j) => (j === d + 1 ? (n - d) * lambda : j === d - 1 ? d * mu : 0)),
  );
  return { generator, quorum: generator.map((_, d) => n - d >= k), start: 0 };
}

type Phase =
  | { readonly kind: "steady" }
  | { readonly kind: "timer"; readonly target: number }
  | { readonly kind: "switch"; readonly target: number };

interface State {
  readonly cluster: readonly number[];
  readonly regionIn: readonly boolean[];
  readonly active: number;
  readonly phase: Phase;
}

function keyOf(s: State): string {
  const phase = s.phase.kind === "steady" ? "s" : `${s.phase.kind[0]}${s.phase.target}`;
  return `${s.cluster.join(",")}|${s.regionIn.map((r) => (r ? 1 : 0)).join("")}|${s.active}|${phase}`;
}

/** Solve the region chain: see the module comment for the semantics and the readings. */
export function regionChain(input: RegionChainInput): RegionChainResult {
  const { sites, after, time, lag } = input;
  const S = sites.length;
  if (S < 2) throw new Error("at least two sites");
  if (!(after > 0) || !(time > 0) || !(lag >= 0)) throw new Error("after and time must be > 0, lag ≥ 0");
  for (const site of sites) {
    const m = site.cluster.generator.length;
    if (site.cluster.quorum.length !== m || site.cluster.generator.some((row) => row.length !== m))
      throw new Error("cluster chain not square");
    if (!(site.outageRate >= 0) || !(site.outageMttr > 0)) throw new Error("outage rate ≥ 0 and mttr > 0");
  }

  const available = (s: State, i: number): boolean =>
    (s.regionIn[i] as boolean) && ((sites[i] as RegionSite).cluster.quorum[s.cluster[i] as number] as boolean);
  /** outside a switch, the phase follows from the sites: timer toward the first available other site, or steady */
  const settle = (s: Omit<State, "phase">, phase: Phase): State => {
    if (phase.kind === "switch") return { ...s, phase };
    const probe = { ...s, phase } as State;
    if (available(probe, s.active)) return { ...s, phase: { kind: "steady" } };
    for (let j = 0; j < S; j++) if (j !== s.active && available(probe, j)) return { ...s, phase: { kind: "timer", target: j } };
    return { ...s, phase: { kind: "steady" } };
  };
  const serviceUp = (s: State): boolean => s.phase.kind !== "switch" && available(s, s.active);

  interface Move {
    readonly to: State;
    readonly rate: number;
    readonly failover: boolean;
  }
  const movesOf = (s: State): Move[] => {
    const out: Move[] = [];
    for (let i = 0; i < S; i++) {
      const site = sites[i] as RegionSite;
      const row = site.cluster.generator[s.cluster[i] as number] as readonly number[];
      row.forEach((rate, j) => {
        if (j === s.cluster[i] || !(rate > 0)) return;
        const cluster = [...s.cluster];
        cluster[i] = j;
        out.push({ to: settle({ ...s, cluster }, s.phase), rate, failover: false });
      });
      const regionIn = [...s.regionIn];
      regionIn[i] = !s.regionIn[i];
      const rate = s.regionIn[i] ? site.outageRate : 1 / site.outageMttr;
      if (rate > 0) out.push({ to: settle({ ...s, regionIn }, s.phase), rate, failover: false });
    }
    if (s.phase.kind === "timer") {
      out.push({ to: { ...s, phase: { kind: "switch", target: s.phase.target } }, rate: 1 / after, failover: true });
    } else if (s.phase.kind === "switch") {
      out.push({ to: settle({ ...s, active: s.phase.target }, { kind: "steady" }), rate: 1 / time, failover: false });
    }
    return out;
  };

  // the reachable states, breadth first from the start
  const start = settle(
    { cluster: sites.map((site) => site.cluster.start ?? 0), regionIn: sites.map(() => true), active: 0 },
    { kind: "steady" },
  );
  const states: State[] = [start];
  const index = new Map<string, number>([[keyOf(start), 0]]);
  const moves: { to: number; rate: number; failover: boolean }[][] = [];
  for (let i = 0; i < states.length; i++) {
    const list = movesOf(states[i] as State).map((m) => {
      const key = keyOf(m.to);
      let to = index.get(key);
      if (to === undefined) {
        to = states.length;
        if (to >= MAX_STATES) throw new Error(`more than ${MAX_STATES} states`);
        states.push(m.to);
        index.set(key, to);
      }
      return { to, rate: m.rate, failover: m.failover };
    });
    moves.push(list);
  }
  const N = states.length;

  // the stationary law: GTH on the dense generator (off-diagonal rates only)
  const q = new Float64Array(N * N);
  moves.forEach((list, i) => {
    for (const m of list) if (m.to !== i) q[i * N + m.to] = (q[i * N + m.to] as number) + m.rate;
  });
  const pi = reduce(N, q, new Float64Array(N), new Float64Array(N), true);

  const up = states.map(serviceUp);
  const failoverRate = moves.map((list) => list.reduce((sum, m) => (m.failover ? sum + m.rate : sum), 0));
  const availability = new Sum();
  const unavailability = new Sum();
  const failovers = new Sum();
  for (let i = 0; i < N; i++) {
    const p = pi[i] as number;
    (up[i] ? availability : unavailability).add(p);
    failovers.add(p * (failoverRate[i] as number));
  }
  const A = availability.value;
  const F = failovers.value; // per hour

  // the backlog: m (Q̃ − diag(up/L)) = −π∘up, killed at the failovers and by the copy
  let lostPerHour = 0;
  if (lag > 0 && F > 0) {
    const a = new Float64Array(N * N);
    const kill = new Float64Array(N);
    const b = new Float64Array(N);
    moves.forEach((list, i) => {
      for (const m of list) {
        if (m.failover) kill[i] = (kill[i] as number) + m.rate;
        else if (m.to !== i) a[i * N + m.to] = (a[i * N + m.to] as number) + m.rate;
      }
      if (up[i]) {
        kill[i] = (kill[i] as number) + 1 / lag;
        b[i] = pi[i] as number;
      }
    });
    const backlog = reduce(N, a, kill, b, false);
    const lost = new Sum();
    for (let i = 0; i < N; i++) lost.add((backlog[i] as number) * (failoverRate[i] as number));
    lostPerHour = lost.value;
  }
  return {
    states: N,
    availability: A,
    unavailability: unavailability.value,
    failoversPerYear: F * HOURS_PER_YEAR,
    loss: lostPerHour / A,
    lossPerFailoverHours: F > 0 ? lostPerHour / F : 0,
    lossSteadyBacklog: (F * lag) / A,
  };
}

/**
 * Subtraction-free elimination on a dense rate matrix a (row-major N×N, off-diagonal rates
 * a[i][j] ≥ 0, the diagonal ignored; consumed), with killing rates e ≥ 0 and a right side
 * b ≥ 0, for the row vector x with x·(D − a) = b, D_i = Σ_{j≠i} a[i][j] + e_i.
 *
 * States are eliminated from the last down to 1 (stationary) or 0 (killed): state k's
 * pivot is D_k = Σ_{j<k} a[k][j] + e_k over what remains (a sum, never a difference), and
 * the paths through k are folded into the rest: a[i][j] += a[i][k]·a[k][j]/D_k,
 * e_i += a[i][k]·e_k/D_k, b_j += b_k·a[k][j]/D_k. Back-substitution then gives
 * x_k = (b_k + Σ_{i<k} x_i a[i][k]) / D_k. With `stationary` (e = b = 0) it is GTH: x_0 = 1
 * and x normalised to sum 1 is the stationary law πQ = 0; otherwise x_0 = b_0/D_0.
 */
function reduce(N: number, a: Float64Array, e: Float64Array, b: Float64Array, stationary: boolean): Float64Array {
  const pivot = new Float64Array(N);
  const last = stationary ? 1 : 0;
  for (let k = N - 1; k >= last; k--) {
    let d = e[k] as number;
    for (let j = 0; j < k; j++) d += a[k * N + j] as number;
    if (!(d > 0)) throw new Error(`state ${k} reaches no lower state: the chain is reducible`);
    pivot[k] = d;
    const bk = b[k] as number;
    const ek = e[k] as number;
    if (bk !== 0) for (let j = 0; j < k; j++) b[j] = (b[j] as number) + (bk * (a[k * N + j] as number)) / d;
    for (let i = 0; i < k; i++) {
      const f = (a[i * N + k] as number) / d;
      if (f === 0) continue;
      if (ek !== 0) e[i] = (e[i] as number) + f * ek;
      for (let j = 0; j < k; j++) if (j !== i) a[i * N + j] = (a[i * N + j] as number) + f * (a[k * N + j] as number);
    }
  }
  const x = new Float64Array(N);
  x[0] = stationary ? 1 : (b[0] as number) / (pivot[0] as number);
  for (let k = 1; k < N; k++) {
    let t = b[k] as number;
    for (let i = 0; i < k; i++) t += (x[i] as number) * (a[i * N + k] as number);
    x[k] = t / (pivot[k] as number);
  }
  if (stationary) {
    const total = new Sum();
    for (let i = 0; i < N; i++) total.add(x[i] as number);
    for (let i = 0; i < N; i++) x[i] = (x[i] as number) / total.value;
  }
  return x;
}
