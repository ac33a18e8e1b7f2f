/**
 * The region chain (src/formulas/regions.ts, docs/design.md §3d) against references built
 * here another way:
 * - two identical one-node sites: the 8-state chain over (active up?, other up?) with a
 *   switch under way or not — labels by role, not by site — written out by hand and solved
 *   in exact rational arithmetic;
 * - two different one-node sites with a failback: the 20-state chain over (site 0 up?,
 *   site 1 up?, control) enumerated whole (no exploration, no vanishing states), exact;
 * - after = time = 0: the article's parallel formula over the sites, 1 − ∏ U_i, with U_i
 *   from clusterChain (its own solver) and the region's two-state unavailability.
 */
import { describe, expect, it } from "vitest";
import { type ClusterChainParams, clusterChain } from "../../src/formulas/clusterChain.js";
import { parallelAvailability } from "../../src/formulas/parallel.js";
import { type RegionSite, regionsChain } from "../../src/formulas/regions.js";
import { ONE, Rational, solveExact, ZERO } from "../helpers/rational.js";

/** Stationary distribution of the generator given by its off-diagonal rates, exactly (πQ = 0, Σπ = 1). */
function stationary(size: number, rates: [number, number, Rational][]): Rational[] {
  const q = Array.from({ length: size }, () => Array.from({ length: size }, () => ZERO));
  for (const [from, to, r] of rates) {
    (q[from] as Rational[])[to] = ((q[from] as Rational[])[to] as Rational).add(r);
    (q[from] as Rational[])[from] = ((q[from] as Rational[])[from] as Rational).sub(r);
  }
  // Qᵀ π = 0 with the last equation replaced by Σπ = 1
  const a = Array.from({ length: size }, (_, i) =>
    Array.from({ length: size }, (_, j) => (i === size - 1 ? ONE : ((q[j] as Rational[])[i] as Rational))),
  );
  const b = Array.from({ length: size }, (_, i) => (i === size - 1 ? ONE : ZERO));
  return solveExact(a, b);
}

const sum = (xs: Rational[]) => xs.reduce((a, b) => a.add(b), ZERO);
const R = (x: string) => Rational.of(x);

function oneNode(failure: string, repair: string, outage: RegionSite["outage"] = { rate: 0, mttr: 1 }): RegionSite {
  return {
    cluster: { nodes: 1, quorum: 1, modes: [{ failureRate: Number(failure), repairRate: Number(repair), needsCrew: true }] },
    outage,
  };
}

function close(actual: number, expected: number, relative = 1e-12): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(relative * Math.abs(expected));
}

describe("regionsChain", () => {
  it("when two identical one-node sites fail over with a delay and a switch time then it matches the 8-state chain by roles, exactly", () => {
    // λ = 0.001/h, μ = 0.25/h, after = 5 min (12/h), time = 15 min (4/h)
    const [lambda, mu, detect, finish] = [R("0.001"), R("0.25"), R("12"), R("4")];
    // 0 N(U,U) 1 N(U,D) 2 N(D,U) 3 N(D,D): active, other; 4..7 S(t,o): target, old active (U,U) (U,D) (D,U) (D,D)
    const S = (t: boolean, o: boolean) => 4 + (t ? 0 : 2) + (o ? 0 : 1);
    const N = (a: boolean, o: boolean) => (a ? 0 : 2) + (o ? 0 : 1);
    const rates: [number, number, Rational][] = [];
    for (const a of [true, false]) {
      for (const o of [true, false]) {
        rates.push([N(a, o), N(!a, o), a ? lambda : mu], [N(a, o), N(a, !o), o ? lambda : mu]);
        rates.push([S(a, o), S(!a, o), a ? lambda : mu], [S(a, o), S(a, !o), o ? lambda : mu]);
        // the switch ends: the target is active, the old active is the other
        rates.push([S(a, o), N(a, o), finish]);
      }
    }
    // active down, other up: the failover starts, to the other site (target up, old down)
    rates.push([N(false, true), S(true, false), detect]);
    const pi = stationary(8, rates);
    const up = (pi[0] as Rational).add(pi[1] as Rational);
    const down = sum(pi.slice(2));
    const failovers = (pi[2] as Rational).mul(detect);

    const lag = 2 / 3600;
    const result = regionsChain({ sites: [oneNode("0.001", "0.25"), oneNode("0.001", "0.25")], after: 1 / 12, time: 0.25, lag });
    close(result.service.value, up.toNumber());
    close(result.service.complement, down.toNumber());
    close(result.failoversPerHour, failovers.toNumber());
    expect(result.failbacksPerHour).toBe(0);
    // the loss: x/(1 + x), x = failovers per hour of service × lag (the derivation in regions.ts)
    const x = failovers.div(up).mul(R("2").div(R("3600")));
    close(result.loss.value, x.div(ONE.add(x)).toNumber());
    close(result.loss.complement, ONE.div(ONE.add(x)).toNumber());
    // sites of one node and no region outage lump to two states each: 2 × 2 site states × 4 control states (active 0 or 1, switching to 0 or 1), all reachable
    expect(result.states.clusters).toEqual([
      { full: 2, lumped: 2 },
      { full: 2, lumped: 2 },
    ]);
    expect(result.states.sites).toEqual([2, 2]);
    expect(result.states.total).toBe(16);
  });

  it("when failover starts at once (after = 0) but the switch takes time then the vanishing state is folded in: the 7-state chain by roles, exactly", () => {
    const [lambda, mu, finish] = [R("0.001"), R("0.25"), R("4")];
    // the tangible states: 0 N(U,U) 1 N(U,D) 2 N(D,D), 3..6 S(t,o) as above; N(D,U) (active down, other up) is left at once for S(U,D)
    const S = (t: boolean, o: boolean) => 3 + (t ? 0 : 2) + (o ? 0 : 1);
    const N = (a: boolean, o: boolean) => (a ? (o ? 0 : 1) : o ? -1 : 2);
    const rates: [number, number, Rational][] = [];
    const failoverFlows: [number, Rational][] = [];
    const add = (from: number, to: number, r: Rational) => {
      if (to === -1) {
        rates.push([from, S(true, false), r]);
        failoverFlows.push([from, r]);
      } else rates.push([from, to, r]);
    };
    for (const a of [true, false]) {
      for (const o of [true, false]) {
        if (N(a, o) !== -1) {
          add(N(a, o), N(!a, o), a ? lambda : mu);
          add(N(a, o), N(a, !o), o ? lambda : mu);
        }
        add(S(a, o), S(!a, o), a ? lambda : mu);
        add(S(a, o), S(a, !o), o ? lambda : mu);
        add(S(a, o), N(a, o), finish);
      }
    }
    const pi = stationary(7, rates);
    const up = (pi[0] as Rational).add(pi[1] as Rational);
    const failovers = sum(failoverFlows.map(([from, r]) => (pi[from] as Rational).mul(r)));
    const result = regionsChain({ sites: [oneNode("0.001", "0.25"), oneNode("0.001", "0.25")], after: 0, time: 0.25, lag: 0 });
    close(result.service.value, up.toNumber());
    close(result.service.complement, sum(pi.slice(2)).toNumber());
    close(result.failoversPerHour, failovers.toNumber());
    // N(D,U) in both roles (site 0 or site 1 active) is vanishing: 16 − 2
    expect(result.states.total).toBe(14);
  });

  it("when two different one-node sites have a failback then it matches the 20-state chain by site, enumerated whole, exactly", () => {
    const l = [R("0.002"), R("0.0005")];
    const m = [R("0.25"), R("0.125")];
    const [after, time, backAfter, backTime] = [R("6"), R("3"), R("1"), R("2")]; // rates: 10 min, 20 min, 1 h, 30 min
    // state: x0, x1 (1 up, 0 down), control: 0 A0, 1 A1, 2 failover to 0, 3 failover to 1, 4 failback to 0
    const index = (x0: number, x1: number, c: number) => c * 4 + x0 * 2 + x1;
    const rates: [number, number, Rational][] = [];
    const foFrom: [number, Rational][] = [];
    const fbFrom: [number, Rational][] = [];
    for (let c = 0; c < 5; c++) {
      for (const x0 of [0, 1]) {
        for (const x1 of [0, 1]) {
          const s = index(x0, x1, c);
          rates.push([s, index(1 - x0, x1, c), x0 === 1 ? (l[0] as Rational) : (m[0] as Rational)]);
          rates.push([s, index(x0, 1 - x1, c), x1 === 1 ? (l[1] as Rational) : (m[1] as Rational)]);
          const up = [x0, x1];
          if (c <= 1) {
            const other = 1 - c;
            if (up[c] === 0 && up[other] === 1) {
              rates.push([s, index(x0, x1, 2 + other), after]);
              foFrom.push([s, after]);
            }
            if (c === 1 && up[1] === 1 && up[0] === 1) {
              rates.push([s, index(x0, x1, 4), backAfter]);
              fbFrom.push([s, backAfter]);
            }
          } else if (c <= 3) rates.push([s, index(x0, x1, c - 2), time]);
          else rates.push([s, index(x0, x1, 0), backTime]);
        }
      }
    }
    const pi = stationary(20, rates);
    let up = ZERO;
    for (const x0 of [0, 1]) for (const x1 of [0, 1]) if (x0 === 1) up = up.add(pi[index(x0, x1, 0)] as Rational);
    for (const x0 of [0, 1]) up = up.add(pi[index(x0, 1, 1)] as Rational);
    const failovers = sum(foFrom.map(([s, r]) => (pi[s] as Rational).mul(r)));
    const failbacks = sum(fbFrom.map(([s, r]) => (pi[s] as Rational).mul(r)));
    const down = sum(pi).sub(up);

    const result = regionsChain({
      sites: [oneNode("0.002", "0.25"), oneNode("0.0005", "0.125")],
      after: 1 / 6,
      time: 1 / 3,
      lag: 0,
      failback: { after: 1, time: 0.5 },
    });
    close(result.service.value, up.toNumber());
    close(result.service.complement, down.toNumber());
    close(result.failoversPerHour, failovers.toNumber());
    close(result.failbacksPerHour, failbacks.toNumber());
    expect(result.loss).toEqual({ value: 0, complement: 1 });
    expect(result.states.total).toBe(20);
  });

  describe("after = time = 0: the article's parallel formula over the sites", () => {
    const threeNodes: ClusterChainParams = {
      nodes: 3,
      quorum: 2,
      modes: [
        { failureRate: 1 / 17532, repairRate: 1 / 8, needsCrew: true },
        { failureRate: 6 / 8766, repairRate: 30, needsCrew: false },
      ],
      repairCrews: 1,
    };
    const zoned: ClusterChainParams = {
      nodes: 3,
      quorum: 2,
      modes: [{ failureRate: 1 / 8766, repairRate: 1 / 4, needsCrew: true }],
      zones: { placement: [1, 1, 1], outageRate: 1 / 8766, restoreRate: 1 / 2 },
      commonCause: { rate: 0.1 / 8766, restoreRate: 1 / 2 },
    };
    /** a site's unavailability: cluster down, or cluster up and region dark — each term direct */
    const siteUnavailability = (site: RegionSite) => {
      const c = clusterChain(site.cluster);
      const rm = site.outage.rate * site.outage.mttr;
      const region = { value: rm / (1 + rm), complement: 1 / (1 + rm) };
      return { value: c.complement + region.value * c.value, complement: region.complement * c.value };
    };
    const cases: [string, RegionSite[]][] = [
      [
        "two one-node sites with region outages",
        [oneNode("0.001", "0.25", { rate: 0.5 / 8766, mttr: 6 }), oneNode("0.0002", "0.1", { rate: 1 / 8766, mttr: 3 })],
      ],
      [
        "a 3-node site with two modes and one crew, and a 3-node site over three zones with a common cause",
        [
          { cluster: threeNodes, outage: { rate: 0.5 / 8766, mttr: 6 } },
          { cluster: zoned, outage: { rate: 0.25 / 8766, mttr: 12 } },
        ],
      ],
      [
        "three sites",
        [
          {
            cluster: { nodes: 3, quorum: 2, modes: [{ failureRate: 1 / 8766, repairRate: 1 / 4, needsCrew: true }] },
            outage: { rate: 0.5 / 8766, mttr: 6 },
          },
          oneNode("0.001", "0.25", { rate: 2 / 8766, mttr: 1 }),
          oneNode("0.0001", "0.5", { rate: 1 / 8766, mttr: 2 }),
        ],
      ],
    ];
    for (const [what, sites] of cases) {
      it(`when ${what} then the service unavailability is ∏ U_i to 1e-12`, () => {
        const expected = parallelAvailability(sites.map(siteUnavailability));
        const result = regionsChain({ sites, after: 0, time: 0, lag: 1 / 3600 });
        close(result.service.complement, expected.complement);
        close(result.service.value, expected.value);
        expect(result.service.complement).toBeGreaterThan(0);
      });
    }
  });

  it("when both sites have one node and failover is instant then failovers per hour are λμ/(λ+μ) (both up: the active fails; both down: the other recovers first)", () => {
    // identical two-state sites: P(both up)·λ + P(both down)·μ = λμ/(λ + μ), by hand
    const [l, m] = [0.001, 0.25];
    const result = regionsChain({ sites: [oneNode("0.001", "0.25"), oneNode("0.001", "0.25")], after: 0, time: 0, lag: 0 });
    close(result.failoversPerHour, (l * m) / (l + m));
    close(result.service.complement, (l / (l + m)) ** 2);
  });

  it("when a cluster's chain has symmetric zones then it is lumped exactly, and a one-mode single node to available / unavailable", () => {
    const zones = {
      nodes: 2,
      quorum: 1,
      modes: [{ failureRate: 0.001, repairRate: 0.25, needsCrew: false }],
      zones: { placement: [1, 1], outageRate: 0.0001, restoreRate: 0.5 },
    };
    const result = regionsChain({
      sites: [{ cluster: zones, outage: { rate: 0.0001, mttr: 6 } }, oneNode("0.001", "0.25")],
      after: 0.1,
      time: 0.2,
      lag: 0,
    });
    const [first, second] = result.states.clusters ?? [];
    expect(second).toEqual({ full: 2, lumped: 2 });
    // nodes (process up/down) × zones (up/down), 16 states; by symmetry and availability fewer
    expect(first?.full).toBe(16);
    expect(first?.lumped).toBeLessThan(16);
  });

  it("when a site can never become unavailable, or a mean is negative, then it refuses", () => {
    const never: RegionSite = {
      cluster: { nodes: 1, quorum: 1, modes: [{ failureRate: 0, repairRate: 1, needsCrew: true }] },
      outage: { rate: 0, mttr: 1 },
    };
    expect(() => regionsChain({ sites: [oneNode("0.001", "0.25"), never], after: 0, time: 0, lag: 0 })).toThrow(
      /site 2 can never become unavailable/,
    );
    expect(() => regionsChain({ sites: [oneNode("0.001", "0.25"), oneNode("0.001", "0.25")], after: 0, time: 0, lag: -1 })).toThrow(
      /lag ≥ 0/,
    );
  });
});
