/**
 * The region reference (test/helpers/regionChain.ts, issue 21, docs/design.md §3d) against
 * computations that share nothing with it: the parallel formula over independent sites
 * worked out here by hand, and a two-site chain whose 16 states and transitions are
 * written out below and solved in exact rational arithmetic (test/helpers/rational.ts,
 * Gaussian elimination, not GTH).
 */
import { describe, expect, it } from "vitest";
import { ONE, Rational, solveExact, ZERO } from "../helpers/rational.js";
import { type ClusterChain, HOURS_PER_YEAR, identicalNodesCluster, type RegionSite, regionChain } from "../helpers/regionChain.js";

const rel = (x: number, ref: number) => Math.abs(x - ref) / Math.abs(ref);

/** A site's unavailability by hand: region out, or region in and fewer than k of n nodes up (binomial). */
function siteUnavailability(outageRate: number, outageMttr: number, n: number, k: number, lambda: number, mu: number): number {
  const regionOut = (outageRate * outageMttr) / (1 + outageRate * outageMttr);
  const regionIn = 1 / (1 + outageRate * outageMttr);
  const p = mu / (lambda + mu); // a node up
  const q = lambda / (lambda + mu); // a node down
  let binom = 1;
  let clusterDown = 0;
  for (let up = 0; up < k; up++) {
    clusterDown += binom * p ** up * q ** (n - up);
    binom = (binom * (n - up)) / (up + 1);
  }
  return regionOut + regionIn * clusterDown;
}

describe("regionChain: instant failover is the parallel formula over the sites", () => {
  it("two regions of 3 nodes (quorum 2): 1 − A → Π(1 − A_i) as after, time → 0", () => {
    const lambda = 1 / 17_532; // a node fails every 2 years
    const mu = 1 / 4; // 4 h repair
    const outage = 0.5 / HOURS_PER_YEAR; // 0.5 / year
    const mttr = 6;
    const site: RegionSite = { outageRate: outage, outageMttr: mttr, cluster: identicalNodesCluster(3, 2, lambda, mu) };
    const parallel = siteUnavailability(outage, mttr, 3, 2, lambda, mu) ** 2;
    const gap = (t: number) => {
      const r = regionChain({ sites: [site, site], after: t, time: t, lag: 0 });
      return (r.unavailability - parallel) / parallel;
    };
    const fast = gap(1e-9);
    // a finite failover only adds downtime; about F·(after + time) ≈ 2e-13 on 1.2e-7
    expect(fast).toBeGreaterThanOrEqual(0);
    expect(fast).toBeLessThan(1e-5);
    // and the gap shrinks in proportion to after + time
    expect(gap(1e-6) / fast).toBeGreaterThan(500);
  });

  it("three sites of one node each, with their regions", () => {
    const spec = [
      { rate: 1e-3, mttr: 5, lambda: 2e-3, mu: 0.5 },
      { rate: 2e-3, mttr: 3, lambda: 1e-3, mu: 0.25 },
      { rate: 5e-4, mttr: 8, lambda: 4e-3, mu: 1 },
    ];
    const sites = spec.map((s) => ({ outageRate: s.rate, outageMttr: s.mttr, cluster: identicalNodesCluster(1, 1, s.lambda, s.mu) }));
    const parallel = spec.map((s) => siteUnavailability(s.rate, s.mttr, 1, 1, s.lambda, s.mu)).reduce((x, y) => x * y);
    const r = regionChain({ sites, after: 1e-9, time: 1e-9, lag: 0 });
    expect(r.states).toBe(4 ** 3 * 3 * 3);
    expect(r.unavailability).toBeGreaterThanOrEqual(parallel);
    expect(rel(r.unavailability, parallel)).toBeLessThan(1e-5);
  });
});

/**
 * Two sites of one node each, no region outages: node i fails at λi, is repaired at μi.
 * States "<phase><active>:<x1><x2>" (x = 1 up): N = steady or timer, S = switching to the
 * other site. The timer runs only in N1:01 and N2:10 (active down, the other up) and fires
 * at a = 1/after (a failover); a switch completes at s = 1/time whatever the nodes do
 * meanwhile (the committed switch). Up: N1:1x and N2:x1.
 */
interface HandSpec {
  l1: string;
  m1: string;
  l2: string;
  m2: string;
  after: string;
  time: string;
  lag: string;
}

function handChain(spec: HandSpec) {
  const [l1, m1, l2, m2] = [spec.l1, spec.m1, spec.l2, spec.m2].map((x) => Rational.of(x)) as [Rational, Rational, Rational, Rational];
  const a = ONE.div(Rational.of(spec.after));
  const s = ONE.div(Rational.of(spec.time));
  const c = ONE.div(Rational.of(spec.lag));
  const groups = ["N1", "S12", "N2", "S21"];
  const names = groups.flatMap((g) => ["11", "10", "01", "00"].map((x) => `${g}:${x}`));
  const at = (name: string) => names.indexOf(name);
  const transitions: [string, string, Rational, boolean][] = [];
  // the nodes, the same in every group
  const nodeMoves: [string, string, Rational][] = [
    ["11", "01", l1],
    ["11", "10", l2],
    ["10", "00", l1],
    ["10", "11", m2],
    ["01", "11", m1],
    ["01", "00", l2],
    ["00", "10", m1],
    ["00", "01", m2],
  ];
  for (const g of groups) for (const [x, y, r] of nodeMoves) transitions.push([`${g}:${x}`, `${g}:${y}`, r, false]);
  // the failovers and the switches
  transitions.push(["N1:01", "S12:01", a, true], ["N2:10", "S21:10", a, true]);
  for (const x of ["11", "10", "01", "00"]) transitions.push([`S12:${x}`, `N2:${x}`, s, false], [`S21:${x}`, `N1:${x}`, s, false]);
  const up = new Set(["N1:11", "N1:10", "N2:11", "N2:01"]);

  const n = names.length;
  const q = names.map(() => names.map(() => ZERO));
  const qKept = names.map(() => names.map(() => ZERO)); // without the failovers' off-diagonal rates
  for (const [from, to, r, failover] of transitions) {
    const i = at(from);
    const j = at(to);
    q[i]![j] = q[i]![j]!.add(r);
    q[i]![i] = q[i]![i]!.sub(r);
    if (!failover) qKept[i]![j] = qKept[i]![j]!.add(r);
    qKept[i]![i] = qKept[i]![i]!.sub(r);
  }
  // π Q = 0, Σ π = 1: the columns of Q as equations, the last replaced by the sum
  const rows = names.map((_, j) => names.map((_, i) => q[i]![j]!));
  rows[n - 1] = names.map(() => ONE);
  const pi = solveExact(
    rows,
    names.map((_, j) => (j === n - 1 ? ONE : ZERO)),
  );
  let availability = ZERO;
  let unavailability = ZERO;
  names.forEach((name, i) => {
    if (up.has(name)) availability = availability.add(pi[i]!);
    else unavailability = unavailability.add(pi[i]!);
  });
  const failoverStates = ["N1:01", "N2:10"].map(at);
  const perHour = failoverStates.reduce((sum, i) => sum.add(pi[i]!.mul(a)), ZERO);
  // the backlog (hours of traffic): m (Q̃ − diag(c·up)) = −π∘up
  const reward = names.map((_, j) => names.map((_, i) => (i === j && up.has(names[i]!) ? qKept[i]![j]!.sub(c) : qKept[i]![j]!)));
  const m = solveExact(
    reward,
    names.map((name, j) => (up.has(name) ? ZERO.sub(pi[j]!) : ZERO)),
  );
  const lostPerHour = failoverStates.reduce((sum, i) => sum.add(m[i]!.mul(a)), ZERO);
  return {
    availability: availability.toNumber(),
    unavailability: unavailability.toNumber(),
    failoversPerYear: perHour.mul(Rational.of(HOURS_PER_YEAR)).toNumber(),
    loss: lostPerHour.div(availability).toNumber(),
    lossPerFailoverHours: lostPerHour.div(perHour).toNumber(),
    lossSteadyBacklog: perHour.mul(Rational.of(spec.lag)).div(availability).toNumber(),
  };
}

/** The same two sites for the helper: one node each, regions that never go out. */
function helperTwoNodes(spec: HandSpec) {
  const node = (l: string, m: string): RegionSite => ({
    outageRate: 0,
    outageMttr: 1,
    cluster: identicalNodesCluster(1, 1, Number(l), Number(m)),
  });
  return regionChain({
    sites: [node(spec.l1, spec.m1), node(spec.l2, spec.m2)],
    after: Number(spec.after),
    time: Number(spec.time),
    lag: Number(spec.lag),
  });
}

describe("regionChain: two sites of one node, against the chain written by hand (exact rationals)", () => {
  const cases: [string, HandSpec][] = [
    [
      "coarse rates, a long lag (the backlog below its steady level shows)",
      { l1: "0.01", m1: "0.25", l2: "0.02", m2: "0.125", after: "0.1", time: "0.25", lag: "0.5" },
    ],
    [
      "a region-like pair: 5 min detection, 15 min switch, 2 s lag",
      { l1: "0.0001", m1: "0.2", l2: "0.0003", m2: "0.1", after: "0.0833", time: "0.25", lag: "0.000556" },
    ],
  ];
  for (const [name, spec] of cases) {
    it(name, () => {
      const ref = handChain(spec);
      const got = helperTwoNodes(spec);
      expect(got.states).toBe(16);
      expect(rel(got.availability, ref.availability)).toBeLessThan(1e-12);
      expect(rel(got.unavailability, ref.unavailability)).toBeLessThan(1e-12);
      expect(rel(got.failoversPerYear, ref.failoversPerYear)).toBeLessThan(1e-12);
      expect(rel(got.loss, ref.loss)).toBeLessThan(1e-12);
      expect(rel(got.lossPerFailoverHours, ref.lossPerFailoverHours)).toBeLessThan(1e-12);
      expect(rel(got.lossSteadyBacklog, ref.lossSteadyBacklog)).toBeLessThan(1e-12);
      // each failover loses less than the steady backlog of `lag` hours of traffic
      expect(got.lossPerFailoverHours).toBeLessThan(Number(spec.lag));
    });
  }

  it("the direct complement: unavailability ≈ 2e-15 from tiny rates, where 1 − availability is off", () => {
    const spec: HandSpec = { l1: "1e-9", m1: "1", l2: "2e-9", m2: "0.5", after: "1e-6", time: "1e-6", lag: "1e-6" };
    const ref = handChain(spec);
    const got = helperTwoNodes(spec);
    expect(ref.unavailability).toBeLessThan(1e-14);
    expect(rel(got.unavailability, ref.unavailability)).toBeLessThan(1e-12);
    expect(rel(got.failoversPerYear, ref.failoversPerYear)).toBeLessThan(1e-12);
    expect(rel(got.loss, ref.loss)).toBeLessThan(1e-12);
    // what the direct sum buys: the double nearest the availability cannot carry these digits
    expect(rel(1 - got.availability, ref.unavailability)).toBeGreaterThan(1e-4);
  });
});

/** The product of a cluster chain and a two-state region (in = 0, out = 1), quorum ⇔ quorum ∧ in. */
function withRegion(cluster: ClusterChain, outageRate: number, outageMttr: number): ClusterChain {
  const m = cluster.generator.length;
  const generator: number[][] = [];
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < m; c++) {
      const row = new Array<number>(2 * m).fill(0);
      cluster.generator[c]!.forEach((rate, d) => {
        if (d !== c) row[r * m + d] = rate;
      });
      row[(1 - r) * m + c] = r === 0 ? outageRate : 1 / outageMttr;
      generator.push(row);
    }
  }
  const quorum = [...cluster.quorum, ...cluster.quorum.map(() => false)];
  return { generator, quorum, start: cluster.start ?? 0 };
}

describe("regionChain: a region is a two-state process beside the cluster", () => {
  it("gives the same metrics as the region folded into the cluster's own chain", () => {
    const sites = [
      { outageRate: 1e-3, outageMttr: 6, cluster: identicalNodesCluster(3, 2, 1e-3, 0.2) },
      { outageRate: 4e-4, outageMttr: 10, cluster: identicalNodesCluster(2, 1, 2e-3, 0.1) },
    ];
    const failover = { after: 0.1, time: 0.3, lag: 0.01 };
    const direct = regionChain({ sites, ...failover });
    const folded = regionChain({
      sites: sites.map((s) => ({ outageRate: 0, outageMttr: 1, cluster: withRegion(s.cluster, s.outageRate, s.outageMttr) })),
      ...failover,
    });
    expect(folded.states).toBe(direct.states);
    for (const key of ["availability", "unavailability", "failoversPerYear", "loss", "lossPerFailoverHours"] as const) {
      expect(rel(folded[key], direct[key])).toBeLessThan(1e-12);
    }
  });
});
