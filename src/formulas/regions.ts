import { type Lumped, lumpByAvailability } from "./_internal/availabilityLumping.js";
import { dynamics, exploreDynamics, processCodec } from "./_internal/clusterSolve.js";
import { addInitial, type CsrChain, exploreChain, TransitionBuffer } from "./_internal/markovChain.js";
import { sparseGthStationary } from "./_internal/sparseGth.js";
import { StateTable } from "./_internal/stateTable.js";
import { type ClusterChainParams, MAX_PROCESS_STATES, solveSpec } from "./clusterChain.js";
import { leaderAckLoss } from "./messagePath.js";
import type { Probability } from "./probability.js";

/**
 * Most states of the region chain (sites' lumped chains × the failover control) that mqrel
 * solves. A product of chains fills in when eliminated (its separators are whole copies of
 * a site's chain), so the end of the elimination is dense: 1 600 states take 1.1–1.9 s
 * (measured December 2026, shared 2-core machine), and the time grows as the cube.
 */
export const MAX_REGION_STATES = 2_500;

/** One site: a cluster in a region that goes dark as a whole. */
export interface RegionSite {
  /**
   * the site's cluster, as for clusterChain; only its quorum matters here (`failover` and
   * `controller` move the queue's leader, not the quorum, and are ignored)
   */
  readonly cluster: ClusterChainParams;
  /** region outages per hour (0: never), and their mean length in hours */
  readonly outage: { readonly rate: number; readonly mttr: number };
}

/** The failover control shared by every form of the region chain (hours; 0 is at once). */
export interface RegionControl {
  /** mean of the exponential detection delay before a failover starts */
  readonly after: number;
  /** mean of the exponential switch time of a failover */
  readonly time: number;
  /** mean of the exponential time until a confirmed record is copied to the other sites */
  readonly lag: number;
  /** a planned switch back to the first site: its delay and its switch time (means) */
  readonly failback?: { readonly after: number; readonly time: number };
}

export interface RegionsParams extends RegionControl {
  /** in list order: the first is active at the start, failover targets the first available other */
  readonly sites: readonly RegionSite[];
}

/** A site as the region chain sees it: any CTMC with its available states marked. */
export interface SiteChain {
  /** the site's chain (regions and cluster together); state 0 is its state at the start */
  readonly chain: CsrChain;
  /** 1 where the site is available */
  readonly available: Uint8Array;
}

export interface RegionsResult {
  /** service availability: the active site available and no switch under way; complement summed directly */
  readonly service: Probability;
  /** failovers per hour (planned switches back are not counted) */
  readonly failoversPerHour: number;
  /** planned switches back to the first site per hour */
  readonly failbacksPerHour: number;
  /** the share of confirmed records lost at failovers: ν·lag/(1 + ν·lag), ν = failoversPerHour / service availability */
  readonly loss: Probability;
  readonly states: {
    /** per site: states of its cluster's chain (process × zones), and of that chain lumped by availability */
    readonly clusters?: readonly { readonly full: number; readonly lumped: number }[];
    /** per site: states of the site's chain (lumped cluster × region) as composed */
    readonly sites: readonly number[];
    /** states of the region chain solved */
    readonly total: number;
  };
}

/**
 * Exact service availability, failovers per year and loss of a service run on several
 * sites (docs/design.md §3d): each site a cluster in a region; the first site active; a
 * failover after a detection delay to the first available other site; an asynchronous
 * copy of the records between the sites.
 *
 * The chain. Each site is a continuous-time Markov chain of its own: its cluster's general
 * chain (clusterChain.ts: failure modes, crews, zones, common cause; state = process × zones,
 * up while at least k nodes are up) composed with its region (up → dark at `outage.rate`,
 * back at 1/`outage.mttr`, independent of the cluster); the site is available while its
 * region is up and its cluster has its quorum. The cluster chain is first lumped by
 * availability (availabilityLumping.ts): to the two states available / unavailable where
 * that is exact — a one-node cluster of one mode —, else to the coarsest exact partition
 * (often the full chain); the site chain (lumped cluster × region) is lumped again. The
 * sites are independent of each other and of the control; the region chain is their
 * product with the control state: active site a, or a switch under way to site j (a
 * failover's, or a failback's). Its transitions:
 * - any site's own moves, at their rates;
 * - active a unavailable and some other site available: a failover starts at rate 1/after
 *   (the exponential timer "restarts" when a recovers first: the rate just stops), to the
 *   first available other site j in list order; the switch ends at rate 1/time, and j is
 *   active whatever its state then (if it is down, the next failover's timer runs);
 * - with `failback`: active a ≠ 0 available and site 0 available: a planned switch to site
 *   0 starts at rate 1/failback.after and ends at rate 1/failback.time.
 * A zero `after` or `time` makes that step immediate: the state it leaves is vanishing
 * and is folded into the transition that reached it (events counted on the way), so the
 * chain holds tangible states only. With after = time = 0 the service is up iff some site
 * is: the article's parallel formula over the sites, A = 1 − ∏ U_i (tested).
 *
 * Metrics, from the stationary distribution π (sparse GTH, subtraction-free):
 * service = Σ π over states where the control is "active a" and site a is available; its
 * complement is summed over the other states, not 1 − value. Failovers per hour = Σ_s π_s ·
 * (rate of transitions out of s that start a failover, each counted as often as it starts
 * one). Loss: records are confirmed only while the service is up, at rate r·service; at a
 * failover the old site's confirmed records not yet copied are lost. The §3b lag dynamics
 * (the message path's `durability.leader_ack`): each record's copy completes after an
 * exponential time of mean `lag` from its confirmation, independently, while the old site
 * is available (a dark site copies nothing). So the records pending when the old site goes
 * down are those confirmed at t − s whose copy took longer than s: E = ∫₀^T r·e^(−s/lag) ds
 * = r·lag·(1 − e^(−T/lag)), T the time it had been confirming — hours to years against a
 * lag of seconds, so E = r·lag, "the last lag of traffic". Per record: with failovers at
 * ν = failoversPerHour / service per hour of confirming time, a record is lost when the
 * outage that ends in a failover comes before its copy, P(Exp(ν) < Exp(1/lag)) =
 * ν·lag / (1 + ν·lag) — leaderAckLoss, complement 1 / (1 + ν·lag) directly; its leading
 * term ν·lag is the r·lag per failover over the r·service confirmed per hour, whatever r.
 * Left out, both of relative order ν·lag or a site's unavailability: a failover onto a site
 * that was itself down while records were confirmed lacks those too (their copy waited for
 * it), and a failover off a site that became active only just before confirmed less.
 *
 * Limits: at most 8 sites (the model's), MAX_PROCESS_STATES per cluster chain, and
 * MAX_REGION_STATES (2 500) states in all. Measured with a failover delay (instant
 * failover has fewer tangible states): two sites of 3-node one-mode clusters, 256 states;
 * of 3-node clusters with two modes and one crew, 1 600 (about 1.5 s); one of them over
 * three zones (48 states a site), or three sites of 3-node one-mode clusters, more than
 * 2 500: refused, as are the presets' clusters (three modes over three zones).
 * Each site must be able to become unavailable (else the chain is not irreducible), and
 * every mean ≥ 0.
 *
 * Units: hours and per hour (any one unit works).
 * Source: the product of independent CTMCs with a control driven by their states is a
 * CTMC (Trivedi, Probability and Statistics with Reliability, Queuing, and Computer Science
 * Applications, 2nd ed., 2002, ch. 8–9); vanishing states eliminated as in generalized
 * stochastic Petri nets (Ajmone Marsan, Balbo, Conte, ACM TOCS 2(2), 1984); GTH (Grassmann,
 * Taksar & Heyman, Operations Research 33(5), 1985); lumpability (Kemeny & Snell 1960).
 *
 * @throws RangeError on out-of-domain parameters, a site that can never become
 *   unavailable, or a chain beyond the limits (ChainTooLargeError)
 * @example regionsChain({sites: [a, b], after: 0, time: 0, lag: 0}).service.complement // = U_a·U_b
 */
export function regionsChain(params: RegionsParams): RegionsResult {
  if (params.sites.length < 2) throw new RangeError(`regionsChain requires at least 2 sites, got ${params.sites.length}`);
  const clusters: { full: number; lumped: number }[] = [];
  const sites = params.sites.map((site, i) => {
    const cluster = clusterAvailabilityChain(site.cluster);
    clusters.push({ full: cluster.blockOf.length, lumped: cluster.chain.size });
    return siteChain(cluster, site.outage, i);
  });
  const result = regionServiceChain(sites, params);
  return { ...result, states: { ...result.states, clusters } };
}

/**
 * The region chain over sites given as chains of their own (see {@link regionsChain} for
 * the model and the metrics). Each site's state 0 is where it starts.
 */
export function regionServiceChain(sites: readonly SiteChain[], control: RegionControl): RegionsResult {
  checkControl(control, sites.length);
  sites.forEach((site, i) => {
    if (!site.available.includes(0)) throw new RangeError(`regionsChain: site ${i + 1} can never become unavailable`);
  });
  const n = sites.length;
  const words = n + 1;
  const rates = {
    after: rateOf(control.after),
    time: rateOf(control.time),
    backAfter: control.failback ? rateOf(control.failback.after) : 0,
    backTime: control.failback ? rateOf(control.failback.time) : 0,
  };
  const failback = control.failback !== undefined;
  const available = (x: Int32Array, i: number) => (sites[i] as SiteChain).available[x[i] as number] === 1;
  /** the first available site other than a, or −1 */
  const target = (x: Int32Array, a: number) => {
    for (let j = 0; j < n; j++) if (j !== a && available(x, j)) return j;
    return -1;
  };
  // control: a (active a), n + j (a failover's switch to j), 2n + j (a failback's switch to j)
  const events = { failovers: 0, failbacks: 0 };
  /** Apply the immediate steps (zero delays) to the state in x, counting the events on the way. */
  const settle = (x: Int32Array) => {
    for (let step = 0; step <= 4 * n + 4; step++) {
      const c = x[n] as number;
      if (c < n) {
        const j = available(x, c) ? -1 : target(x, c);
        if (j >= 0 && rates.after === Number.POSITIVE_INFINITY) {
          x[n] = n + j;
          events.failovers++;
        } else if (failback && c !== 0 && available(x, c) && available(x, 0) && rates.backAfter === Number.POSITIVE_INFINITY) {
          x[n] = 2 * n;
          events.failbacks++;
        } else return;
      } else if (c < 2 * n && rates.time === Number.POSITIVE_INFINITY) x[n] = c - n;
      else if (c >= 2 * n && rates.backTime === Number.POSITIVE_INFINITY) x[n] = c - 2 * n;
      else return;
    }
    throw new Error("regionsChain: the immediate steps do not settle (a bug)");
  };
  const table = new StateTable(words);
  const start = new Int32Array(words);
  settle(start);
  events.failovers = 0;
  events.failbacks = 0;
  const what = "the region chain (the sites' chains × the failover control)";
  addInitial(table, start, 0, MAX_REGION_STATES, what);
  let failoverFlow: Float64Array = new Float64Array(1024);
  let failbackFlow: Float64Array = new Float64Array(1024);
  const maxOut = sites.reduce((m, s) => m + maxRow(s.chain), 0) + 2;
  const out = new TransitionBuffer(words, maxOut);
  const x = new Int32Array(words);
  const chain = exploreChain(
    table,
    (s, buf) => {
      if (s >= failoverFlow.length) {
        failoverFlow = grown(failoverFlow, 2 * failoverFlow.length);
        failbackFlow = grown(failbackFlow, 2 * failbackFlow.length);
      }
      const from = table.keys.subarray(s * words, (s + 1) * words);
      let count = 0;
      let fo = 0;
      let fb = 0;
      const emit = (rate: number) => {
        events.failovers = 0;
        events.failbacks = 0;
        settle(x);
        buf.keys.set(x, count * words);
        buf.rates[count] = rate;
        buf.index[count] = -1;
        count++;
        fo += rate * events.failovers;
        fb += rate * events.failbacks;
      };
      for (let i = 0; i < n; i++) {
        const site = (sites[i] as SiteChain).chain;
        const xi = from[i] as number;
        for (let e = site.rowStart[xi] as number; e < (site.rowStart[xi + 1] as number); e++) {
          x.set(from);
          x[i] = site.target[e] as number;
          emit(site.rate[e] as number);
        }
      }
      const c = from[n] as number;
      x.set(from);
      if (c < n) {
        const j = available(x, c) ? -1 : target(x, c);
        if (j >= 0) {
          x[n] = n + j;
          emit(rates.after);
          fo += rates.after;
        } else if (failback && c !== 0 && available(x, c) && available(x, 0)) {
          x[n] = 2 * n;
          emit(rates.backAfter);
          fb += rates.backAfter;
        }
      } else if (c < 2 * n) {
        x[n] = c - n;
        emit(rates.time);
      } else {
        x[n] = c - 2 * n;
        emit(rates.backTime);
      }
      failoverFlow[s] = fo;
      failbackFlow[s] = fb;
      return count;
    },
    out,
    MAX_REGION_STATES,
    what,
  );
  const pi = chain.size > 1 ? sparseGthStationary(chain) : Float64Array.of(1);
  let up = 0;
  let down = 0;
  let failovers = 0;
  let failbacks = 0;
  for (let s = 0; s < chain.size; s++) {
    const p = pi[s] as number;
    const c = table.keys[s * words + n] as number;
    if (c < n && (sites[c] as SiteChain).available[table.keys[s * words + c] as number] === 1) up += p;
    else down += p;
    failovers += p * (failoverFlow[s] as number);
    failbacks += p * (failbackFlow[s] as number);
  }
  // failovers per hour of confirming (service-up) time, and the message path's competing exponentials
  const loss = up > 0 ? leaderAckLoss(failovers / up, control.lag) : { value: 1, complement: 0 };
  return {
    service: { value: up, complement: down },
    failoversPerHour: failovers,
    failbacksPerHour: failbacks,
    loss,
    states: { sites: sites.map((site) => site.chain.size), total: chain.size },
  };
}

/** A mean time → its rate; 0 → Infinity (the step is immediate). */
function rateOf(mean: number): number {
  return mean === 0 ? Number.POSITIVE_INFINITY : 1 / mean;
}

function checkControl(control: RegionControl, sites: number): void {
  if (sites < 2) throw new RangeError(`regionsChain requires at least 2 sites, got ${sites}`);
  const means: [string, number][] = [
    ["after", control.after],
    ["time", control.time],
    ["lag", control.lag],
    ...(control.failback
      ? ([
          ["failback.after", control.failback.after],
          ["failback.time", control.failback.time],
        ] as [string, number][])
      : []),
  ];
  for (const [name, value] of means) {
    if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`regionsChain requires ${name} ≥ 0 (hours), got ${value}`);
  }
}

function maxRow(chain: CsrChain): number {
  let most = 0;
  for (let s = 0; s < chain.size; s++) most = Math.max(most, (chain.rowStart[s + 1] as number) - (chain.rowStart[s] as number));
  return most;
}

function grown(a: Float64Array, capacity: number): Float64Array {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}

/**
 * A cluster's chain (process × zones, no leader: a site needs the quorum only), lumped by
 * availability; its state 0 is all up.
 */
export function clusterAvailabilityChain(params: ClusterChainParams): Lumped {
  const { failover: _f, controller: _c, ...quorumOnly } = params;
  const spec = solveSpec(quorumOnly, "regionsChain");
  const full = dynamics(spec, true, false, processCodec(spec));
  const w = full.codec.words;
  const table = new StateTable(w);
  const what = "a site's cluster chain (failure modes × crews × zones)";
  addInitial(table, new Int32Array(w), 0, MAX_PROCESS_STATES, what);
  const chain = exploreDynamics(full, table, MAX_PROCESS_STATES, what);
  const available = new Uint8Array(chain.size);
  for (let s = 0; s < chain.size; s++) {
    full.codec.decode(table.keys, s * w, full.u);
    available[s] = full.upNodes(full.u) >= spec.quorum ? 1 : 0;
  }
  return lumpByAvailability(chain, available);
}

/**
 * A site: its (lumped) cluster chain × its region (up, dark), lumped again by the site's
 * availability; state 0 is the cluster's all-up block with the region up.
 */
function siteChain(cluster: Lumped, outage: RegionSite["outage"], index: number): SiteChain {
  const { rate, mttr } = outage;
  if (!(Number.isFinite(rate) && rate >= 0)) throw new RangeError(`regionsChain requires site ${index + 1}'s outage rate ≥ 0, got ${rate}`);
  if (!(Number.isFinite(mttr) && mttr > 0)) throw new RangeError(`regionsChain requires site ${index + 1}'s outage mttr > 0, got ${mttr}`);
  const c = cluster.chain;
  const regions = rate > 0 ? 2 : 1;
  const size = c.size * regions;
  const start = cluster.blockOf[0] as number;
  // number the pairs (cluster block, region) so that (start, up) is 0
  const indexOf = (b: number, r: number) => {
    const k = b * regions + r;
    const s = start * regions;
    return k === s ? 0 : k === 0 ? s : k;
  };
  const rowStart = new Int32Array(size + 1);
  const target: number[] = [];
  const rates: number[] = [];
  const available = new Uint8Array(size);
  const rows: { target: number[]; rate: number[] }[] = Array.from({ length: size }, () => ({ target: [], rate: [] }));
  for (let b = 0; b < c.size; b++) {
    for (let r = 0; r < regions; r++) {
      const row = rows[indexOf(b, r)] as { target: number[]; rate: number[] };
      available[indexOf(b, r)] = cluster.available[b] === 1 && r === 0 ? 1 : 0;
      for (let e = c.rowStart[b] as number; e < (c.rowStart[b + 1] as number); e++) {
        row.target.push(indexOf(c.target[e] as number, r));
        row.rate.push(c.rate[e] as number);
      }
      if (regions === 2) {
        row.target.push(indexOf(b, 1 - r));
        row.rate.push(r === 0 ? rate : 1 / mttr);
      }
    }
  }
  for (let s = 0; s < size; s++) {
    const row = rows[s] as { target: number[]; rate: number[] };
    target.push(...row.target);
    rates.push(...row.rate);
    rowStart[s + 1] = target.length;
  }
  const product: CsrChain = { size, rowStart, target: Int32Array.from(target), rate: Float64Array.from(rates) };
  const lumped = lumpByAvailability(product, available);
  return startAtZero(lumped, lumped.blockOf[0] as number);
}

/** The same chain with block `first` renumbered 0 (and 0 renumbered `first`). */
function startAtZero(lumped: Lumped, first: number): SiteChain {
  if (first === 0) return { chain: lumped.chain, available: lumped.available };
  const swap = (s: number) => (s === first ? 0 : s === 0 ? first : s);
  const { chain } = lumped;
  const rowStart = new Int32Array(chain.size + 1);
  const target: number[] = [];
  const rate: number[] = [];
  const available = new Uint8Array(chain.size);
  for (let s = 0; s < chain.size; s++) {
    const old = swap(s);
    available[s] = lumped.available[old] as number;
    for (let e = chain.rowStart[old] as number; e < (chain.rowStart[old + 1] as number); e++) {
      target.push(swap(chain.target[e] as number));
      rate.push(chain.rate[e] as number);
    }
    rowStart[s + 1] = target.length;
  }
  return { chain: { size: chain.size, rowStart, target: Int32Array.from(target), rate: Float64Array.from(rate) }, available };
}
