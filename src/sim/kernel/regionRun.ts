/**
 * One simulated run of a service over several sites (docs/design.md §3d, "Regions"): each
 * site's own cluster and region, then the failover between them, observed on the merged
 * timelines.
 *
 * The sites are independent of each other and of the failover, which only observes them, so
 * a run is built in two stages:
 *
 * 1. **Each site's timeline** (its unavailable intervals on [0, warm-up + horizon)): the
 *    site's cluster is run by the cluster kernel (cluster.ts) with every mechanism it has —
 *    failure modes, crews, zones, the common cause, maintenance and bad releases — and its
 *    quorum losses are recorded; its region's outages are superposed: Poisson arrivals at
 *    `outageRatePerHour` while the region is in, each lasting a restore drawn from the site's
 *    repair law (exponential under `--assume formula`; lognormal with the cluster's σ in
 *    realistic mode, as the cluster's zone and common-cause restores are), the cluster going
 *    on failing and being repaired meanwhile. A site is available while its region is in
 *    and its cluster has its quorum (the union of the two down sets is the site's); a
 *    fleet site (its cluster has `fleet`) while its region is in and every partition is
 *    writable (at least `minInsync` of its replicas up, fleet.availability's meaning), read
 *    from the fleet tracker after each of the cluster run's events.
 *    DECISION: "has its quorum" is read literally, so the site's own queue leader
 *    (`cluster.failover`, a control plane) does not enter: the cluster is simulated without
 *    them, which changes nothing in how its nodes move (elections and hand-overs move the
 *    leader only). `siteAvailability: "queue"` counts a site down also while its queue has no
 *    elected leader (the cluster kernel's queue down time).
 * 2. **The failover** ({@link runFailover}) walks the merged site timelines:
 *    - the first site is active at the start, no switch under way;
 *    - the timer runs while no switch is under way, the active site is unavailable and some
 *      other site is available. It fires after `afterHours` — an exponential time under
 *      `--assume formula`, exactly `afterHours` in realistic mode — and targets the first
 *      available other site in list order at the moment it fires. It restarts from scratch
 *      when it stops: the active site recovers, or no other site is available any more
 *      (an exponential timer is memoryless, so for it restart, pause and retarget are the
 *      same law);
 *    - a switch that has begun is committed: after `timeHours` (exponential under
 *      `--assume formula`, fixed in realistic mode, as the cluster's election is) the
 *      target becomes active even if it went down meanwhile (then a new timer starts, toward
 *      the first available other site, possibly the old one);
 *    - no failback unless `failback` is given (beyond the semantics above, as the model
 *      has it): then, while another site is active and available and the first site
 *      is available, a failback timer runs (`failback.afterHours`, the same laws as the
 *      failover's; it restarts when that stops holding) and starts a planned switch back to
 *      the first site, committed as a failover's, of `failback.timeHours`; it is no failover
 *      (counted apart) and loses nothing — a planned switch drains the copy first, so the
 *      backlog is 0 after it;
 *    - the service is up while no switch is under way and the active site is available; a
 *      failover is counted when a switch begins.
 *
 * **The loss, by conditional expectation.** Records are published (Poisson, rate r) while
 * the service is up; each one's copy to the other sites takes an exponential time of mean L
 * (`lagHours`) that advances only while the service is up; at a failover (a switch begins)
 * the records not yet copied are lost and the new active site starts with none uncopied.
 * Given the run's timeline, the uncopied records form an M/M/∞ queue whose clock runs only
 * while the service is up, so their expected number r·m(t) obeys
 *     dm/dt = 1 − m/L while up,  dm/dt = 0 while down,  m ← 0 at every failover,
 * m in hours of traffic. Over an up stretch of length u that starts from m₀:
 *     m(u) = m₀·e^(−u/L) + L·(1 − e^(−u/L))
 * (written with expm1, exact for small u/L). The expected loss of the run is r·Σ m over its
 * failovers, and its confirmed records r·(up time), so r cancels: the run records Σ m
 * (`lostHours`) and the up time, and regions.loss = Σ lost hours ÷ Σ up hours. This
 * integrates the records' fates exactly over the simulated timeline instead of counting rare
 * sampled records (conditional Monte Carlo: Asmussen & Glynn, Stochastic Simulation, 2007,
 * §V.4). After a long up stretch a failover loses r·L: L of traffic.
 *
 * **The start.** Each site's cluster is warmed up by the cluster kernel itself; the regions
 * and the failover machine are then run over a further warm-up of ten times the slowest of
 * the region restores, `after`, `time` and the lag ({@link regionsWarmupHours}), which is
 * thrown away. What remains is the transient of the active site itself (the first site at the
 * start, with no failback): its relative size is about 1 / (failovers in a run) where the
 * sites differ, nothing where they are alike.
 *
 * The failover loop runs per event of the merged timelines; it allocates nothing.
 */

import { simulateCluster } from "./cluster.js";
import type { ClusterSimConfig, SimulationMode } from "./config.js";
import { lognormalLogMeanForMean, sampleExponential, sampleLognormal } from "./distributions.js";
import { GrowableFloat64 } from "./growable.js";
import { CLUSTER_STATS, recordLayout } from "./records.js";
import { nextOpenUnit, type RngState } from "./rng.js";
import { type Intervals, union } from "./timeline.js";

/** One site: its cluster (as the cluster simulation reads it) and its region's outages. */
export interface RegionSiteSim {
  /** the site's cluster, as run/fromModel.ts builds it for a model's cluster (with its warm-up) */
  readonly cluster: ClusterSimConfig;
  /** region outages per hour while the region is in (0: never out) */
  readonly outageRatePerHour: number;
  /** mean length of a region outage, hours (> 0) */
  readonly outageMttrHours: number;
}

/** What the regions simulation reads, in hours. */
export interface RegionsSimConfig {
  /** in list order: the first is active at the start, a failover targets the first available other (at least 2) */
  readonly sites: readonly RegionSiteSim[];
  /** the failover delay: mean of an exponential under `--assume formula`, a fixed time in realistic mode (≥ 0) */
  readonly afterHours: number;
  /** the switch: mean of an exponential under `--assume formula`, a fixed time in realistic mode (≥ 0) */
  readonly timeHours: number;
  /** mean of the exponential cross-site copy delay of a record (≥ 0; 0: nothing is lost) */
  readonly lagHours: number;
  /** formula: exponential `after` and `time`; realistic: fixed */
  readonly mode: SimulationMode;
  /**
   * a planned switch back to the first site (absent: no failback): while another site is
   * active and available and the first site is available, it starts after `afterHours` and
   * takes `timeHours` (the same laws as the failover's), the service down meanwhile, and it
   * loses nothing (a planned switch drains the copy first)
   */
  readonly failback?: { readonly afterHours: number; readonly timeHours: number };
  /** what makes a site available beside its region (default "quorum", docs/design.md §3d) */
  readonly siteAvailability?: "quorum" | "queue";
}

/** The slots of one run's record (folded into exact totals by estimate/regionEstimate.ts). */
export const REGION_RUN = recordLayout([
  /** measured time of the run */
  "horizonHours",
  /** time the service was up: the active site available and no switch under way */
  "upHours",
  /** time it was down (the complement, measured directly) */
  "downHours",
  /** service outages begun: stretches of positive length down (an instant failover is none) */
  "serviceOutages",
  /** switches begun (failovers) */
  "failovers",
  /** planned switches back to the first site begun */
  "failbacks",
  /** Σ over the failovers of the expected uncopied backlog, in hours of traffic (records lost ÷ r) */
  "lostHours",
  /** the sites' cluster events (warm-ups included) */
  "clusterEvents",
  /** region outages and restores, and the changes of the sites' availability walked by the failover (warm-up included) */
  "siteEvents",
] as const);

/** The failover's phases: nothing under way, the failover timer, a switch, the failback timer. */
const STEADY = 0;
const TIMER = 1;
const SWITCH = 2;
const BACK = 3;

/**
 * The failover machine and the region process are warmed up over ten times their slowest
 * recovery: a region restore, the failover delay, the switch, the copy lag. The transient
 * out of the start (all regions in, the first site active, nothing uncopied) decays about
 * like e^(−t/that), so it is below e^(−10) of its size when the measured window opens.
 */
export function regionsWarmupHours(config: RegionsSimConfig): number {
  let slowest = Math.max(config.afterHours, config.timeHours, config.lagHours);
  if (config.failback) slowest = Math.max(slowest, config.failback.afterHours, config.failback.timeHours);
  for (const site of config.sites) if (site.outageRatePerHour > 0) slowest = Math.max(slowest, site.outageMttrHours);
  return 10 * slowest;
}

/**
 * Simulate one run: `horizonHours` of measured time after the warm-ups. Returns a
 * {@link REGION_RUN} record.
 */
export function simulateRegionsRun(config: RegionsSimConfig, horizonHours: number, rng: RngState): Float64Array {
  const out = new Float64Array(REGION_RUN.size);
  const warmup = regionsWarmupHours(config);
  const total = warmup + horizonHours;
  const down: Intervals[] = [];
  let clusterEvents = 0;
  let regionEvents = 0;
  for (const site of config.sites) {
    const timeline = siteTimeline(site, config.siteAvailability ?? "quorum", total, rng);
    down.push(timeline.down);
    clusterEvents += timeline.clusterEvents;
    regionEvents += timeline.regionEvents;
  }
  runFailover(down, config, warmup, total, rng, out);
  out[REGION_RUN.clusterEvents] = clusterEvents;
  out[REGION_RUN.siteEvents] = (out[REGION_RUN.siteEvents] as number) + regionEvents;
  return out;
}

/** A site's unavailable intervals on [0, totalHours), and the events that made them. */
export interface SiteTimeline {
  readonly down: Intervals;
  readonly clusterEvents: number;
  readonly regionEvents: number;
}

/**
 * One site: its cluster's quorum losses (or queue down time) ∪ its region's outages; for a
 * fleet site (`cluster.fleet`), the periods some partition is not writable (fewer than
 * `minInsync` of its replicas up: what fleet.availability counts), as the fleet tracker
 * finds them after each event, ∪ its region's outages.
 */
export function siteTimeline(site: RegionSiteSim, availability: "quorum" | "queue", totalHours: number, rng: RngState): SiteTimeline {
  const isFleet = site.cluster.fleet !== undefined;
  const cluster = availability === "quorum" || isFleet ? withoutLeader(site.cluster) : site.cluster;
  const run = simulateCluster(cluster, totalHours, rng, isFleet ? { fleetDownIntervals: true } : { downIntervals: true });
  const clusterDown = (isFleet ? run.fleetDownIntervals : run.downIntervals) ?? new Float64Array(0);
  const region = regionOutages(site, totalHours, rng);
  return {
    down: region.length === 0 ? clusterDown : union(clusterDown, region),
    clusterEvents: run.stats[CLUSTER_STATS.nodeEvents] as number,
    regionEvents: region.length,
  };
}

/** The cluster without its queue leader: its down intervals are then its quorum losses. */
function withoutLeader(cluster: ClusterSimConfig): ClusterSimConfig {
  if (cluster.failover === undefined && cluster.controller === undefined) return cluster;
  const { failover: _failover, controller: _controller, ...rest } = cluster;
  return rest;
}

/**
 * A region's outages on [0, totalHours) as sorted disjoint intervals, starting in: Poisson
 * arrivals at the outage rate while in, each outage a restore of mean `outageMttrHours`
 * drawn from the site's repair law (exponential, or lognormal with its σ).
 */
export function regionOutages(site: RegionSiteSim, totalHours: number, rng: RngState): Intervals {
  const rate = site.outageRatePerHour;
  const out = new GrowableFloat64(16);
  if (!(rate > 0)) return out.view();
  const mttr = site.outageMttrHours;
  const repair = site.cluster.repair;
  const lognormal = repair.kind === "lognormal";
  const sigma = repair.kind === "lognormal" ? repair.sigma : 0;
  const logMean = lognormal ? lognormalLogMeanForMean(mttr, sigma) : 0;
  let t = sampleExponential(rng, 1 / rate);
  while (t < totalHours) {
    const length = lognormal ? sampleLognormal(rng, logMean, sigma) : sampleExponential(rng, mttr);
    const end = t + length;
    out.push(t);
    out.push(Math.min(end, totalHours));
    t = end + sampleExponential(rng, 1 / rate);
  }
  return out.view();
}

/** A failover delay or a switch: exponential of this mean under `--assume formula`, exactly it in realistic mode. */
function delay(mean: number, exponential: boolean, rng: RngState): number {
  if (!exponential || !(mean > 0)) return mean;
  return -mean * Math.log(nextOpenUnit(rng));
}

/** The first available site other than `active` in list order, or −1. */
function firstAvailableOther(available: Uint8Array, active: number): number {
  for (let j = 0; j < available.length; j++) if (j !== active && available[j] === 1) return j;
  return -1;
}

/**
 * The failover state machine over the sites' unavailable intervals (each sorted, disjoint,
 * on [0, endHours)), from t = 0 — all sites as their intervals say, the first active, no
 * switch, nothing uncopied — to `endHours`; the measures cover [measureFromHours, endHours)
 * and are added into `out` ({@link REGION_RUN} slots: horizon, up, down, service outages,
 * failovers, failbacks, lost hours, site events). The module comment states the semantics and the loss's derivation.
 *
 * Simultaneous events (only at the window's edges, or with fixed delays of 0) are taken in
 * the order: the window's opening, the sites' changes in list order, the end of a switch,
 * the timer.
 */
export function runFailover(
  down: readonly Intervals[],
  config: Pick<RegionsSimConfig, "afterHours" | "timeHours" | "lagHours" | "mode" | "failback">,
  measureFromHours: number,
  endHours: number,
  rng: RngState,
  out: Float64Array,
): void {
  const sites = down.length;
  if (sites < 2) throw new RangeError(`runFailover requires at least 2 sites, got ${sites}`);
  const exponential = config.mode === "formula";
  const after = config.afterHours;
  const time = config.timeHours;
  const lag = config.lagHours;
  const failback = config.failback !== undefined;
  const backAfter = config.failback?.afterHours ?? 0;
  const backTime = config.failback?.timeHours ?? 0;
  const available = new Uint8Array(sites).fill(1);
  const next = new Int32Array(sites); // per site: the index of its next boundary (even: it goes down, odd: it comes back)
  let t = 0;
  let measuring = measureFromHours <= 0;
  let active = 0;
  let phase = STEADY;
  let timerAt = Number.POSITIVE_INFINITY;
  let switchAt = Number.POSITIVE_INFINITY;
  let target = -1;
  let backlog = 0; // m: the expected uncopied records ÷ r, hours of traffic
  let up = 0;
  let downtime = 0;
  let failovers = 0;
  let failbacks = 0;
  let outages = 0;
  let lost = 0;
  let events = 0;
  let lastSpanUp = true; // the service's state over the last stretch of positive length
  for (;;) {
    // the next event: −1 the window opens, 0 … sites−1 a site's change, sites the switch ends, sites+1 a timer fires
    let at = endHours;
    let kind = -2;
    if (!measuring && measureFromHours < at) {
      at = measureFromHours;
      kind = -1;
    }
    for (let i = 0; i < sites; i++) {
      const list = down[i] as Intervals;
      const k = next[i] as number;
      if (k < list.length && (list[k] as number) < at) {
        at = list[k] as number;
        kind = i;
      }
    }
    if (phase === SWITCH && switchAt < at) {
      at = switchAt;
      kind = sites;
    } else if ((phase === TIMER || phase === BACK) && timerAt < at) {
      at = timerAt;
      kind = sites + 1;
    }
    // [t, at): the service's state is constant
    const span = at - t;
    if (span > 0) {
      const serviceUp = phase !== SWITCH && available[active] === 1;
      // an outage is a stretch of positive length down (an instant failover is none)
      if (lastSpanUp && !serviceUp && measuring) outages++;
      lastSpanUp = serviceUp;
      if (serviceUp) {
        if (measuring) up += span;
        if (lag > 0) {
          const grown = -Math.expm1(-span / lag); // 1 − e^(−u/L)
          backlog = backlog * (1 - grown) + lag * grown;
        }
      } else if (measuring) {
        downtime += span;
      }
    }
    t = at;
    if (kind === -2) break;
    if (kind === -1) {
      measuring = true;
      continue;
    }
    if (kind === sites + 1 && phase === TIMER) {
      // the failover timer fires: a switch begins toward the first available other site, and
      // the records not yet copied are lost
      target = firstAvailableOther(available, active);
      if (measuring) {
        failovers++;
        lost += backlog;
      }
      backlog = 0;
      phase = SWITCH;
      switchAt = t + delay(time, exponential, rng);
      continue;
    }
    if (kind === sites + 1) {
      // the failback timer fires: a planned switch back to the first site, the copy drained first (no loss)
      target = 0;
      if (measuring) failbacks++;
      backlog = 0;
      phase = SWITCH;
      switchAt = t + delay(backTime, exponential, rng);
      continue;
    }
    if (kind === sites) {
      active = target;
      phase = STEADY;
    } else {
      next[kind] = (next[kind] as number) + 1;
      available[kind] = available[kind] === 1 ? 0 : 1;
      events++;
      if (phase === SWITCH) continue;
    }
    // outside a switch the phase follows from the sites; a timer that stops starts afresh next time
    if (available[active] === 1) {
      if (failback && active !== 0 && available[0] === 1) {
        if (phase !== BACK) {
          phase = BACK;
          timerAt = t + delay(backAfter, exponential, rng);
        }
      } else {
        phase = STEADY;
      }
    } else if (firstAvailableOther(available, active) < 0) {
      phase = STEADY;
    } else if (phase !== TIMER) {
      phase = TIMER;
      timerAt = t + delay(after, exponential, rng);
    }
  }
  out[REGION_RUN.horizonHours] = (out[REGION_RUN.horizonHours] as number) + (endHours - Math.max(0, measureFromHours));
  out[REGION_RUN.upHours] = (out[REGION_RUN.upHours] as number) + up;
  out[REGION_RUN.downHours] = (out[REGION_RUN.downHours] as number) + downtime;
  out[REGION_RUN.serviceOutages] = (out[REGION_RUN.serviceOutages] as number) + outages;
  out[REGION_RUN.failovers] = (out[REGION_RUN.failovers] as number) + failovers;
  out[REGION_RUN.failbacks] = (out[REGION_RUN.failbacks] as number) + failbacks;
  out[REGION_RUN.lostHours] = (out[REGION_RUN.lostHours] as number) + lost;
  out[REGION_RUN.siteEvents] = (out[REGION_RUN.siteEvents] as number) + events;
}
