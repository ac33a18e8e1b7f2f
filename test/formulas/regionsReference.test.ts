/**
 * The production region chain (src/formulas/regions.ts regionsChain, helper R) against the
 * independent reference (test/helpers/regionChain.ts, helper R2, the reading of
 * docs/design.md §3d written down for issue 21): another construction — the full product
 * state with an explicit timer label, nothing lumped, no vanishing states folded, a dense
 * GTH and a dense killed elimination for the backlog — of the same semantics. Every metric
 * and the small complement (the unavailability, summed directly on both sides) agree to
 * 1e-12 relative.
 *
 * Not covered here: failback (the reference has no failback — the semantics it implements
 * have none; regions.test.ts checks it against a 20-state chain enumerated whole) and
 * after = 0 or time = 0 (the reference takes positive means only; regions.test.ts folds the
 * vanishing state against a hand-written chain).
 */
import { describe, expect, it } from "vitest";
import { type RegionSite, regionsChain } from "../../src/formulas/regions.js";
import { HOURS_PER_YEAR, identicalNodesCluster, type RegionSite as ReferenceSite, regionChain } from "../helpers/regionChain.js";

/** One kind of site, given once, in both forms: n identical nodes (one crew each), quorum k, and a region. */
interface Site {
  readonly n: number;
  readonly k: number;
  /** per hour */
  readonly lambda: number;
  readonly mu: number;
  readonly outageRate: number;
  readonly outageMttr: number;
}

const production = (s: Site): RegionSite => ({
  cluster: { nodes: s.n, quorum: s.k, modes: [{ failureRate: s.lambda, repairRate: s.mu, needsCrew: true }], repairCrews: s.n },
  outage: { rate: s.outageRate, mttr: s.outageMttr },
});
const reference = (s: Site): ReferenceSite => ({
  outageRate: s.outageRate,
  outageMttr: s.outageMttr,
  cluster: identicalNodesCluster(s.n, s.k, s.lambda, s.mu),
});

function close(actual: number, expected: number, what: string): void {
  expect(expected).toBeGreaterThan(0);
  expect(Math.abs(actual - expected) / expected, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12);
}

function agree(sites: Site[], after: number, time: number, lag: number): void {
  const mine = regionsChain({ sites: sites.map(production), after, time, lag });
  const ref = regionChain({ sites: sites.map(reference), after, time, lag });
  close(mine.service.value, ref.availability, "service.availability");
  close(mine.service.complement, ref.unavailability, "its complement");
  close(mine.failoversPerHour * HOURS_PER_YEAR, ref.failoversPerYear, "failovers per year");
  close(mine.loss.value, ref.loss, "regions.loss");
  // the exact backlog is below the steady one (a failover soon after a switch loses less)
  expect(mine.loss.value).toBeLessThan(ref.lossSteadyBacklog);
}

const year = HOURS_PER_YEAR;
const oneNode: Site = { n: 1, k: 1, lambda: 1e-3, mu: 0.25, outageRate: 0.5 / year, outageMttr: 6 };
const quorum: Site = { n: 3, k: 2, lambda: 1 / 17_532, mu: 1 / 8, outageRate: 0.5 / year, outageMttr: 6 };

describe("regionsChain against the reference chain of the tests", () => {
  it("when two one-node sites fail over after 5 min in 15 min with a 2 s lag then every metric agrees to 1e-12", () => {
    agree([oneNode, oneNode], 5 / 60, 0.25, 2 / 3600);
  });

  it("when two 3-node quorum-2 sites fail over then every metric agrees to 1e-12", () => {
    agree([quorum, quorum], 5 / 60, 0.25, 2 / 3600);
  });

  it("when the sites differ (nodes, rates, regions) and the lag is long then every metric agrees to 1e-12", () => {
    const other: Site = { n: 3, k: 2, lambda: 1e-3, mu: 0.5, outageRate: 2 / year, outageMttr: 12 };
    agree([oneNode, other], 0.5, 1, 0.25);
    agree([other, oneNode], 1 / 60, 2, 30 / 3600);
  });

  it("when there are three sites then the failover targets and every metric agree to 1e-12", () => {
    const a: Site = { n: 1, k: 1, lambda: 2e-3, mu: 0.5, outageRate: 1e-3, outageMttr: 5 };
    const b: Site = { n: 1, k: 1, lambda: 1e-3, mu: 0.25, outageRate: 2e-3, outageMttr: 3 };
    const c: Site = { n: 1, k: 1, lambda: 4e-3, mu: 1, outageRate: 5e-4, outageMttr: 8 };
    agree([a, b, c], 0.1, 0.3, 60 / 3600);
  });
});
