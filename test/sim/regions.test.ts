/**
 * The regions simulation (src/sim/run/regions.ts, docs/design.md §3d), seeded: each
 * estimate within 4 of its standard errors of an exact value computed independently of
 * src/ — the product chain over the sites' clusters, regions, active site and failover
 * phase (test/helpers/regionChain.ts, solved by GTH), the article's parallel formula, or a
 * closed form derived below — and the failover's semantics on timelines written by hand.
 */
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/model/index.js";
import type { ClusterSimConfig } from "../../src/sim/kernel/config.js";
import { REGION_RUN, type RegionSiteSim, runFailover } from "../../src/sim/kernel/regionRun.js";
import { nextOpenUnit, seedState, streamForRun } from "../../src/sim/kernel/rng.js";
import { simConfigFromModel, warmupHours } from "../../src/sim/run/fromModel.js";
import { type RegionsSimConfig, simulateRegions } from "../../src/sim/run/regions.js";
import { regionsSimConfigFromModel } from "../../src/sim/run/regionsFromModel.js";
import { ONE, Rational, solveExact, ZERO } from "../helpers/rational.js";
import { HOURS_PER_YEAR, identicalNodesCluster, type RegionSite, regionChain } from "../helpers/regionChain.js";
import { expectWithinStandardErrors } from "../helpers/statistical.js";

/** n identical nodes with one repair each (crews = nodes), exponential times: the chain's identicalNodesCluster. */
function nodes(n: number, quorum: number, mtbfHours: number, mttrHours: number): ClusterSimConfig {
  const cluster = {
    nodes: n,
    quorum,
    repairCrews: n,
    modes: [{ name: "node", mtbfHours, mttrHours, crew: true }],
    failure: { kind: "exponential" as const },
    repair: { kind: "exponential" as const },
    commonCauseRatePerHour: 0,
    commonCauseMttrHours: 1,
  };
  return { ...cluster, warmupHours: warmupHours(cluster) };
}

interface Site {
  readonly n: number;
  readonly quorum: number;
  readonly mtbfHours: number;
  readonly mttrHours: number;
  readonly outageRatePerHour: number;
  readonly outageMttrHours: number;
}

const simSite = (s: Site): RegionSiteSim => ({
  cluster: nodes(s.n, s.quorum, s.mtbfHours, s.mttrHours),
  outageRatePerHour: s.outageRatePerHour,
  outageMttrHours: s.outageMttrHours,
});
const chainSite = (s: Site): RegionSite => ({
  cluster: identicalNodesCluster(s.n, s.quorum, 1 / s.mtbfHours, 1 / s.mttrHours),
  outageRate: s.outageRatePerHour,
  outageMttr: s.outageMttrHours,
});

/** The three metrics against the chain, each within 4 SE (and each test able to see a 10 % error). */
function expectAgreesWithChain(
  sites: readonly Site[],
  after: number,
  time: number,
  lag: number,
  runs: number,
  horizon: number,
  seed: number,
) {
  const input: RegionsSimConfig = { sites: sites.map(simSite), afterHours: after, timeHours: time, lagHours: lag, mode: "formula" };
  const sim = simulateRegions(input, runs, horizon, seed);
  const exact = regionChain({ sites: sites.map(chainSite), after, time, lag });
  const m = sim.metrics;
  expectWithinStandardErrors(
    "service unavailability",
    m["service.availability"].complement,
    m["service.availability"].standardError,
    exact.unavailability,
    seed,
  );
  expectWithinStandardErrors(
    "failovers per year",
    m["regions.failovers_per_year"].estimate,
    m["regions.failovers_per_year"].standardError,
    exact.failoversPerYear,
    seed,
  );
  expectWithinStandardErrors("regions.loss", m["regions.loss"].estimate, m["regions.loss"].standardError, exact.loss, seed);
  return { sim, exact };
}

describe("simulated regions against the product chain (--assume formula)", () => {
  it("when two single-node sites with regions fail over then the three metrics agree with the chain", () => {
    // node up 100 h / down 5 h; region out 1 / 400 h for 8 h; failover after 30 min, switch 1 h, lag 2 h
    const site: Site = { n: 1, quorum: 1, mtbfHours: 100, mttrHours: 5, outageRatePerHour: 1 / 400, outageMttrHours: 8 };
    const { sim, exact } = expectAgreesWithChain([site, site], 0.5, 1, 2, 40, 20_000, 1);
    // the lag matters: a failover loses less than the steady backlog L
    expect(exact.lossPerFailoverHours).toBeLessThan(2);
    expect(sim.metrics["regions.loss"].enough).toBe(true);
  });

  it("when two 3-node sites of quorum 2 with regions fail over then the three metrics agree with the chain", () => {
    const site: Site = { n: 3, quorum: 2, mtbfHours: 50, mttrHours: 10, outageRatePerHour: 1 / 300, outageMttrHours: 6 };
    expectAgreesWithChain([site, site], 0.25, 2, 1, 40, 20_000, 2);
  });

  it("when the sites differ (a single node and 3 nodes of quorum 2) then the active site's law is the chain's too", () => {
    const single: Site = { n: 1, quorum: 1, mtbfHours: 100, mttrHours: 5, outageRatePerHour: 1 / 400, outageMttrHours: 8 };
    const three: Site = { n: 3, quorum: 2, mtbfHours: 50, mttrHours: 10, outageRatePerHour: 1 / 300, outageMttrHours: 6 };
    expectAgreesWithChain([single, three], 1, 0.5, 0.5, 40, 20_000, 3);
  });

  it("when three sites fail over then the target is the first available other site, as in the chain", () => {
    const site: Site = { n: 1, quorum: 1, mtbfHours: 40, mttrHours: 5, outageRatePerHour: 1 / 400, outageMttrHours: 8 };
    expectAgreesWithChain([site, { ...site, mtbfHours: 60 }, site], 0.5, 1, 1, 40, 10_000, 4);
  });
});

describe("the instant-failover limit", () => {
  it("when after = time = 0 then the service is up while any site is: the parallel formula over the sites", () => {
    // Each site is down while its region is out (share λm/(1 + λm), the two-state chain) or
    // its node is down (mttr/(mtbf + mttr)), independently: u = u_region + u_node·(1 − u_region).
    // The service is down only while every site is: U = Π u_i (the article's parallel
    // formula over the sites, as unavailabilities; no 1 − x anywhere).
    const seed = 5;
    const sites: Site[] = [
      { n: 1, quorum: 1, mtbfHours: 100, mttrHours: 10, outageRatePerHour: 1 / 200, outageMttrHours: 10 },
      { n: 1, quorum: 1, mtbfHours: 80, mttrHours: 10, outageRatePerHour: 1 / 300, outageMttrHours: 20 },
    ];
    const siteUnavailability = (s: Site) => {
      const region = (s.outageRatePerHour * s.outageMttrHours) / (1 + s.outageRatePerHour * s.outageMttrHours);
      return region + (s.mttrHours / (s.mtbfHours + s.mttrHours)) * (1 - region);
    };
    const exact = siteUnavailability(sites[0] as Site) * siteUnavailability(sites[1] as Site);
    for (const mode of ["formula", "realistic"] as const) {
      // Realistic: lognormal node repairs (σ = 1) and so lognormal region restores too, and
      // fixed (zero) delays. Each site still alternates between exponential up times and
      // down times of the same means, and the long-run share of an alternating renewal
      // process depends on the means alone (Ross, Stochastic Processes, 2nd ed., 1996,
      // Theorem 3.4.4): the same product.
      const repair = mode === "realistic" ? { kind: "lognormal" as const, sigma: 1 } : { kind: "exponential" as const };
      const input: RegionsSimConfig = {
        sites: sites.map((s) => {
          const site = simSite(s);
          return { ...site, cluster: { ...site.cluster, repair } };
        }),
        afterHours: 0,
        timeHours: 0,
        lagHours: 1,
        mode,
      };
      const m = simulateRegions(input, 40, 50_000, seed).metrics["service.availability"];
      expectWithinStandardErrors(`service unavailability, ${mode}`, m.complement, m.standardError, exact, seed);
    }
  });
});

describe("a site's availability read as its queue's", () => {
  it("when siteAvailability is queue then a site is down until its leader is elected too: the parallel formula over the queue's chain", () => {
    // A single node with an election (exponential, mean e) after each recovery: the queue's
    // chain up-with-leader →(λ) down →(μ) up-electing →(1/e) up-with-leader, up-electing
    // →(λ) down. Balance, relative to π(up-with-leader) = 1: π(electing) = eλ,
    // π(down) = λ(1 + eλ)/μ; the queue's unavailability is their share. No regions; after =
    // time = 0, so the service is down only while both sites are: the product.
    const seed = 7;
    const lambda = 1 / 50;
    const mu = 1 / 5;
    const election = 2;
    const electing = election * lambda;
    const down = (lambda * (1 + electing)) / mu;
    const queueUnavailability = (electing + down) / (1 + electing + down);
    const cluster = { ...nodes(1, 1, 1 / lambda, 1 / mu), failover: { meanHours: election, fixed: false } };
    const site: RegionSiteSim = { cluster, outageRatePerHour: 0, outageMttrHours: 1 };
    const input: RegionsSimConfig = { sites: [site, site], afterHours: 0, timeHours: 0, lagHours: 0, mode: "formula" };
    const queue = simulateRegions({ ...input, siteAvailability: "queue" }, 40, 40_000, seed).metrics["service.availability"];
    expectWithinStandardErrors("service unavailability over queues", queue.complement, queue.standardError, queueUnavailability ** 2, seed);
    // read as the quorum (the default), the election does not count: the node's own share
    const quorum = simulateRegions(input, 40, 40_000, seed).metrics["service.availability"];
    const nodeUnavailability = 1 / mu / (1 / lambda + 1 / mu);
    expectWithinStandardErrors(
      "service unavailability over quorums",
      quorum.complement,
      quorum.standardError,
      nodeUnavailability ** 2,
      seed,
    );
  });
});

describe("the failover's semantics on timelines written by hand (realistic: fixed after and time)", () => {
  /** runFailover over [0, end) with the sites' down intervals as given; the record's slots by name. */
  function walk(down: number[][], after: number, time: number, lag: number, end: number) {
    const out = new Float64Array(REGION_RUN.size);
    const config = { afterHours: after, timeHours: time, lagHours: lag, mode: "realistic" as const };
    runFailover(
      down.map((d) => Float64Array.from(d)),
      config,
      0,
      end,
      seedState(1),
      out,
    );
    return {
      up: out[REGION_RUN.upHours],
      down: out[REGION_RUN.downHours],
      failovers: out[REGION_RUN.failovers],
      outages: out[REGION_RUN.serviceOutages],
      lost: out[REGION_RUN.lostHours] as number,
    };
  }
  /** the backlog after an up stretch of u from m: m·e^(−u/L) + L·(1 − e^(−u/L)) */
  const grow = (m: number, u: number, lag: number) => m * Math.exp(-u / lag) + lag * (1 - Math.exp(-u / lag));

  it("when the active site recovers before `after` then the timer stops, and it starts afresh at the next outage", () => {
    // site 0 down [1, 1.5) and [2, 5); site 1 always up; after 1 h, switch 0.25 h, lag 0.5 h.
    // [1, 1.5): recovered before the timer (1 h) fires. [2, 3): the timer; the switch [3, 3.25);
    // then site 1 is active and up until 10. Up 1 + 0.5 + 6.75 = 8.25, down 0.5 + 1.25 = 1.75.
    // The backlog grows over [0, 1) and [1.5, 2), frozen between, and is lost at 3.
    const r = walk([[1, 1.5, 2, 5], []], 1, 0.25, 0.5, 10);
    expect(r).toMatchObject({ up: 8.25, down: 1.75, failovers: 1, outages: 2 });
    expect(r.lost).toBeCloseTo(grow(grow(0, 1, 0.5), 0.5, 0.5), 15);
  });

  it("when no other site is available the timer stops, and it restarts from scratch when one is back", () => {
    // site 0 down [2, 5); site 1 down [2.5, 2.8): the timer runs [2, 2.5), stops, restarts at
    // 2.8 and fires at 3.8 (not 3.3); the switch ends at 4.05. Down [2, 4.05).
    const r = walk(
      [
        [2, 5],
        [2.5, 2.8],
      ],
      1,
      0.25,
      0.5,
      10,
    );
    expect(r.down).toBeCloseTo(2.05, 14);
    expect(r.failovers).toBe(1);
  });

  it("when the target goes down during the switch then the switch still completes, and a timer later fails back toward the old site", () => {
    // site 0 down [1, 10); site 1 down [2.2, 20); after 1, time 0.5. The timer [1, 2) fires
    // toward site 1, the switch [2, 2.5) completes onto site 1, down since 2.2; no other site
    // is available until 10, when site 0 is: a timer [10, 11), a switch [11, 11.5) back to
    // site 0. Down [1, 11.5): 10.5 h; two failovers; the second loses nothing (no up time
    // since the first reset the backlog), the first what [0, 1) built up.
    const r = walk(
      [
        [1, 10],
        [2.2, 20],
      ],
      1,
      0.5,
      0.5,
      30,
    );
    expect(r).toMatchObject({ up: 19.5, down: 10.5, failovers: 2, outages: 1 });
    expect(r.lost).toBeCloseTo(grow(0, 1, 0.5), 15);
  });

  it("when failback is given then the service moves back to the first site once it has been available for failback.after", () => {
    // site 0 down [1, 3); site 1 always up; after 0.5, time 0.25; failback after 1, time 0.5.
    // Failover at 1.5, on site 1 from 1.75; site 0 back at 3, the failback timer fires at 4,
    // the planned switch [4, 4.5). Down 0.75 + 0.5; the failover loses what [0, 1) built up,
    // the failback nothing.
    const out = new Float64Array(REGION_RUN.size);
    const config = {
      afterHours: 0.5,
      timeHours: 0.25,
      lagHours: 0.5,
      mode: "realistic" as const,
      failback: { afterHours: 1, timeHours: 0.5 },
    };
    runFailover([Float64Array.from([1, 3]), new Float64Array(0)], config, 0, 10, seedState(1), out);
    expect(out[REGION_RUN.downHours]).toBe(1.25);
    expect([out[REGION_RUN.failovers], out[REGION_RUN.failbacks], out[REGION_RUN.serviceOutages]]).toEqual([1, 1, 2]);
    expect(out[REGION_RUN.lostHours]).toBeCloseTo(grow(0, 1, 0.5), 15);
  });

  it("when after = time = 0 then the service is down only while every site is", () => {
    // site 0 down [1, 2), site 1 down [1.5, 3): at 1 the service moves to site 1 at once; at 2
    // (site 0 back, site 1 down) it moves back. Down [1.5, 2) only; two failovers.
    const r = walk(
      [
        [1, 2],
        [1.5, 3],
      ],
      0,
      0,
      0.5,
      10,
    );
    expect(r).toMatchObject({ up: 9.5, down: 0.5, failovers: 2, outages: 1 });
  });
});

describe("a fixed `after` against a closed form (realistic)", () => {
  it("when the standby is always up then each run's downtime and loss are the closed forms of one failover", () => {
    // Site 0: a single node, up for exponential times of mean 1/λ, down for exponential
    // times D of mean 1/μ, starting up at 0 (the timeline is drawn here, alternating). Site 1
    // is always up. With the fixed delay a and switch τ and no failback, an outage with
    // D ≤ a costs D and the service returns to site 0; the first outage with D > a costs
    // a + τ and the service moves to site 1 for good. With p = P(D > a) = e^(−μa), the
    // outages are i.i.d., so the short ones before the first long one number (1 − p)/p on
    // average (geometric), each E[D | D ≤ a]:
    //   E[downtime of a run] = E[D; D ≤ a]/p + a + τ,  E[D; D ≤ a] = (1 − e^(−μa)(1 + μa))/μ.
    // The backlog (hours of traffic, lag L) starts at 0 and over each up stretch U goes to
    // m·e^(−U/L) + L(1 − e^(−U/L)), frozen during outages; with U ~ Exp(λ),
    // E[e^(−U/L)] = q = λL/(1 + λL), so after k up stretches E[m] = L(1 − q^k). The failing
    // outage follows the K-th stretch, K geometric on {1, 2, …} with success p, K independent
    // of the stretches, so E[loss] = L(1 − E[q^K]) = L(1 − pq/(1 − (1 − p)q)).
    const lambda = 1 / 10;
    const mu = 1;
    const a = 1;
    const tau = 0.25;
    const lag = 2;
    // outages every 11 h on average, each the failing one with p = 0.37: P(no failover in
    // 600 h) is about P(fewer than one in 54 outages) = 0.63^54 ≈ 1e-11
    const horizon = 600;
    const p = Math.exp(-mu * a);
    const q = (lambda * lag) / (1 + lambda * lag);
    const exactDown = (1 - Math.exp(-mu * a) * (1 + mu * a)) / mu / p + a + tau;
    const exactLoss = lag * (1 - (p * q) / (1 - (1 - p) * q));
    const seed = 6;
    const runs = 4000;
    let sumDown = 0;
    let sumDown2 = 0;
    let sumLost = 0;
    let sumLost2 = 0;
    for (let i = 0; i < runs; i++) {
      const rng = streamForRun(seed, i);
      const site0: number[] = [];
      for (let t = -Math.log(nextOpenUnit(rng)) / lambda; t < horizon; ) {
        const end = t - Math.log(nextOpenUnit(rng)) / mu;
        site0.push(t, Math.min(end, horizon));
        t = end - Math.log(nextOpenUnit(rng)) / lambda;
      }
      const out = new Float64Array(REGION_RUN.size);
      runFailover(
        [Float64Array.from(site0), new Float64Array(0)],
        { afterHours: a, timeHours: tau, lagHours: lag, mode: "realistic" },
        0,
        horizon,
        rng,
        out,
      );
      expect(out[REGION_RUN.failovers], `run ${i} (seed ${seed})`).toBe(1);
      const down = out[REGION_RUN.downHours] as number;
      const lost = out[REGION_RUN.lostHours] as number;
      sumDown += down;
      sumDown2 += down * down;
      sumLost += lost;
      sumLost2 += lost * lost;
    }
    const mean = (s: number) => s / runs;
    const se = (s: number, s2: number) => Math.sqrt((s2 / runs - mean(s) ** 2) / (runs - 1));
    expectWithinStandardErrors("downtime per run", mean(sumDown), se(sumDown, sumDown2), exactDown, seed);
    expectWithinStandardErrors("loss per run", mean(sumLost), se(sumLost, sumLost2), exactLoss, seed);
  });
});

describe("failback (an extension: a planned switch back to the first site)", () => {
  /**
   * The exact chain of two single-node sites with failover and failback, written out here in
   * exact rationals (test/helpers/rational.ts): state (site 0 up?, site 1 up?, control), the
   * control A0/A1 (that site active, nothing under way), F0/F1 (a failover's switch to that
   * site), B0 (the failback's switch to site 0). Every time exponential:
   * site i fails at λ_i and is repaired at μ_i; A0 with site 0 down and site 1 up → F1 at
   * 1/after; A1 with site 1 down and site 0 up → F0 at 1/after; A1 with both up → B0 at
   * 1/failback.after; F_j → A_j at 1/time; B0 → A0 at 1/failback.time. Service up: A_a with
   * site a up. Loss: the backlog m (hours of traffic) solves m·(Q̃ − diag(up/L)) = −π∘up,
   * Q̃ the generator without the off-diagonal failover and failback rates (both reset the
   * backlog; only a failover loses it), lost per hour Σ m(s)/after over the failover states.
   */
  function failbackChain(
    lambda: readonly [Rational, Rational],
    mu: readonly [Rational, Rational],
    after: Rational,
    time: Rational,
    backAfter: Rational,
    backTime: Rational,
    lag: Rational,
  ) {
    const controls = ["A0", "A1", "F0", "F1", "B0"] as const;
    type Control = (typeof controls)[number];
    const states: { up: [boolean, boolean]; c: Control }[] = [];
    for (const u0 of [true, false]) for (const u1 of [true, false]) for (const c of controls) states.push({ up: [u0, u1], c });
    const index = (up: readonly boolean[], c: Control) => states.findIndex((s) => s.up[0] === up[0] && s.up[1] === up[1] && s.c === c);
    const N = states.length;
    const q = Array.from({ length: N }, () => Array.from({ length: N }, () => ZERO));
    const failover = Array.from({ length: N }, () => ZERO); // rate of a failover out of each state
    const reset = Array.from({ length: N }, () => ZERO); // rate of a failover or failback out of each state
    const add = (i: number, j: number, r: Rational) => {
      (q[i] as Rational[])[j] = ((q[i] as Rational[])[j] as Rational).add(r);
    };
    states.forEach((s, i) => {
      for (const site of [0, 1] as const) {
        const up: [boolean, boolean] = [s.up[0], s.up[1]];
        up[site] = !up[site];
        add(i, index(up, s.c), s.up[site] ? (lambda[site] as Rational) : (mu[site] as Rational));
      }
      const rateAfter = ONE.div(after);
      if (s.c === "A0" && !s.up[0] && s.up[1]) {
        add(i, index(s.up, "F1"), rateAfter);
        failover[i] = rateAfter;
      }
      if (s.c === "A1" && !s.up[1] && s.up[0]) {
        add(i, index(s.up, "F0"), rateAfter);
        failover[i] = rateAfter;
      }
      if (s.c === "A1" && s.up[1] && s.up[0]) {
        add(i, index(s.up, "B0"), ONE.div(backAfter));
        reset[i] = ONE.div(backAfter);
      }
      if (s.c === "F0") add(i, index(s.up, "A0"), ONE.div(time));
      if (s.c === "F1") add(i, index(s.up, "A1"), ONE.div(time));
      if (s.c === "B0") add(i, index(s.up, "A0"), ONE.div(backTime));
      reset[i] = (reset[i] as Rational).add(failover[i] as Rational);
    });
    const outflow = q.map((row) => row.reduce((sum, r) => sum.add(r), ZERO));
    // π Q = 0, Σ π = 1: the transposed balance equations, the last replaced by the sum
    const a = Array.from({ length: N }, (_, j) =>
      j === N - 1
        ? states.map(() => ONE)
        : states.map((_, i) => (i === j ? ZERO.sub(outflow[i] as Rational) : ((q[i] as Rational[])[j] as Rational))),
    );
    const pi = solveExact(
      a,
      states.map((_, j) => (j === N - 1 ? ONE : ZERO)),
    );
    const serviceUp = states.map((s) => (s.c === "A0" && s.up[0]) || (s.c === "A1" && s.up[1]));
    // the backlog: for each state j, Σ_i m_i·(Q̃ − D)[i][j] = −π_j·up_j, Q̃ without the resetting moves
    const b = Array.from({ length: N }, (_, j) =>
      states.map((_, i) => {
        if (i === j) return ZERO.sub(outflow[i] as Rational).sub(serviceUp[i] ? ONE.div(lag) : ZERO);
        const moving = (q[i] as Rational[])[j] as Rational;
        const resetting = states[j]?.c === "F0" || states[j]?.c === "F1" || states[j]?.c === "B0";
        const fromSteady = states[i]?.c === "A0" || states[i]?.c === "A1";
        return resetting && fromSteady ? ZERO : moving;
      }),
    );
    const m = solveExact(
      b,
      states.map((_, j) => (serviceUp[j] ? ZERO.sub(pi[j] as Rational) : ZERO)),
    );
    let down = ZERO;
    let failovers = ZERO;
    let failbacks = ZERO;
    let lost = ZERO;
    states.forEach((s, i) => {
      const p = pi[i] as Rational;
      if (!serviceUp[i]) down = down.add(p);
      failovers = failovers.add(p.mul(failover[i] as Rational));
      if (s.c === "A1" && s.up[0] && s.up[1]) failbacks = failbacks.add(p.mul(ONE.div(backAfter)));
      lost = lost.add((m[i] as Rational).mul(failover[i] as Rational));
    });
    const availability = ONE.sub(down);
    return {
      unavailability: down.toNumber(),
      failoversPerYear: failovers.toNumber() * HOURS_PER_YEAR,
      failbacksPerYear: failbacks.toNumber() * HOURS_PER_YEAR,
      loss: lost.div(availability).toNumber(),
    };
  }

  it("when the failback never comes then the chain written here is regionChain's", () => {
    // a cross-check of the construction above against the independent reference
    const r = (x: number, y = 1) => Rational.of(x).div(Rational.of(y));
    const mine = failbackChain([r(1, 50), r(1, 40)], [r(1, 5), r(1, 4)], r(1, 2), r(1), r(10 ** 15), r(1, 2), r(1));
    const reference = regionChain({
      sites: [
        { cluster: identicalNodesCluster(1, 1, 1 / 50, 1 / 5), outageRate: 0, outageMttr: 1 },
        { cluster: identicalNodesCluster(1, 1, 1 / 40, 1 / 4), outageRate: 0, outageMttr: 1 },
      ],
      after: 0.5,
      time: 1,
      lag: 1,
    });
    expect(mine.unavailability).toBeCloseTo(reference.unavailability, 12);
    expect(mine.failoversPerYear / reference.failoversPerYear).toBeCloseTo(1, 10);
    expect(mine.loss / reference.loss).toBeCloseTo(1, 10);
  });

  it("when failback is given then the three metrics and the failbacks agree with the exact chain", () => {
    const seed = 8;
    const r = (x: number, y = 1) => Rational.of(x).div(Rational.of(y));
    // site 0: up 50 h, down 5 h; site 1: up 40 h, down 4 h; after 30 min, switch 1 h; failback after 2 h, switch 30 min; lag 1 h
    const exact = failbackChain([r(1, 50), r(1, 40)], [r(1, 5), r(1, 4)], r(1, 2), r(1), r(2), r(1, 2), r(1));
    const site = (mtbf: number, mttr: number): RegionSiteSim => ({
      cluster: nodes(1, 1, mtbf, mttr),
      outageRatePerHour: 0,
      outageMttrHours: 1,
    });
    const input: RegionsSimConfig = {
      sites: [site(50, 5), site(40, 4)],
      afterHours: 0.5,
      timeHours: 1,
      lagHours: 1,
      mode: "formula",
      failback: { afterHours: 2, timeHours: 0.5 },
    };
    const m = simulateRegions(input, 40, 20_000, seed).metrics;
    const availability = m["service.availability"];
    expectWithinStandardErrors("service unavailability", availability.complement, availability.standardError, exact.unavailability, seed);
    const failovers = m["regions.failovers_per_year"];
    expectWithinStandardErrors("failovers per year", failovers.estimate, failovers.standardError, exact.failoversPerYear, seed);
    expectWithinStandardErrors(
      "failbacks per year",
      m.failbacksPerYear.estimate,
      m.failbacksPerYear.standardError,
      exact.failbacksPerYear,
      seed,
    );
    expectWithinStandardErrors("regions.loss", m["regions.loss"].estimate, m["regions.loss"].standardError, exact.loss, seed);
  });
});

describe("the runs", () => {
  it("when the same seed is given then the numbers are the same bits, and a stop between runs keeps the runs made", () => {
    const site: Site = { n: 1, quorum: 1, mtbfHours: 100, mttrHours: 5, outageRatePerHour: 1 / 400, outageMttrHours: 8 };
    const input: RegionsSimConfig = { sites: [simSite(site), simSite(site)], afterHours: 0.5, timeHours: 1, lagHours: 2, mode: "formula" };
    const first = simulateRegions(input, 6, 2000, 11);
    expect(simulateRegions(input, 6, 2000, 11).metrics).toEqual(first.metrics);
    const seen: number[] = [];
    const stopped = simulateRegions(input, 6, 2000, 11, { shouldStop: () => seen.length === 4, onRun: (done) => seen.push(done) });
    expect([stopped.runs, stopped.stopped, seen]).toEqual([4, true, [1, 2, 3, 4]]);
    // runs 0–3 are the same runs as in the full simulation: the first four of six
    expect(simulateRegions(input, 4, 2000, 11).metrics).toEqual(stopped.metrics);
    expect(first.runs).toBe(6);
  });
});

describe("from a model's regions to the simulation", () => {
  it("when the sites run the default model's cluster then each site is that cluster as the simulator builds it, and nothing else", () => {
    // Arrange: models/default.yaml has zones, maintenance, a common cause, failover, messages, retries and traffic
    const model = loadModel("models/default.yaml");
    const site = { outage: { ratePerHour: 0.5 / 8766, mttrHours: 6 }, cluster: model.cluster };
    const regions = { failover: { afterHours: 1 / 12, timeHours: 0.25 }, replication: { lagHours: 2 / 3600 }, sites: [site, site] };

    // Act
    const plan = regionsSimConfigFromModel(model, regions, { mode: "realistic", runs: 30, horizonHours: 8766 });

    // Assert: the site's cluster is the model's (lognormal repairs, a fixed election), with its warm-up
    const cluster = simConfigFromModel(model, { mode: "realistic" }).config.cluster;
    expect(plan.config.sites[1]?.cluster).toEqual(cluster);
    expect(plan.config).toMatchObject({ afterHours: 1 / 12, timeHours: 0.25, lagHours: 2 / 3600, mode: "realistic" });
    expect(plan.config.failback).toBeUndefined();
    expect([plan.runs, plan.horizonHours]).toEqual([30, 8766]);
    // and it runs: every run's time is either up or down
    const sim = simulateRegions(plan.config, 2, 8766, 1);
    const a = sim.metrics["service.availability"];
    expect(a.estimate + (a.complement as number)).toBeCloseTo(1, 12);
  });
});
