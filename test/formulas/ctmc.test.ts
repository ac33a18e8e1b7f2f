import { describe, expect, it } from "vitest";
import { kofnAvailability, quorumChain } from "../../src/formulas/index.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { type ChainSpec, exactChain } from "../helpers/ctmcExact.js";
import { Rational } from "../helpers/rational.js";

function run(spec: ChainSpec) {
  return quorumChain({
    nodes: spec.n,
    quorum: spec.k,
    failureRate: Rational.of(spec.lambda).toNumber(),
    repairRate: Rational.of(spec.mu).toNumber(),
    repairCrews: spec.crews,
    commonCauseRate: Rational.of(spec.lambdaCc ?? "0").toNumber(),
    commonCauseRepairRate: Rational.of(spec.muCc ?? spec.mu).toNumber(),
  });
}

describe("availability.ctmc", () => {
  const cases: ChainSpec[] = [
    { n: 3, k: 2, lambda: "0.0001", mu: "0.25", crews: 3 },
    { n: 3, k: 2, lambda: "0.0001", mu: "0.25", crews: 1 },
    { n: 3, k: 2, lambda: "0.00005", mu: "0.25", crews: 1, lambdaCc: "0.00001", muCc: "0.5" },
    { n: 5, k: 3, lambda: "0.0001", mu: "1", crews: 1 },
    { n: 5, k: 3, lambda: "0.0001", mu: "1", crews: 2, lambdaCc: "0.000001" },
    { n: 7, k: 4, lambda: "0.00001", mu: "2", crews: 7 },
    { n: 7, k: 4, lambda: "0.00001", mu: "2", crews: 1 },
    { n: 1, k: 1, lambda: "0.001", mu: "0.1", crews: 1 },
    { n: 4, k: 4, lambda: "0.01", mu: "0.5", crews: 2, lambdaCc: "0.001", muCc: "0.2" },
  ];

  it("matches the exact rational solution of the balance equations, tiny unavailabilities included", () => {
    for (const spec of cases) {
      const exact = exactChain(spec);
      const r = run(spec);
      const label = JSON.stringify(spec);
      expectRelativelyClose(r.value, exact.a, 1e-13, `A ${label}`);
      expectRelativelyClose(r.complement, exact.u, 1e-12, `U ${label}`);
      expectRelativelyClose(r.meanTimeToFailure, exact.mttf, 1e-12, `MTTF ${label}`);
    }
  });

  it("reaches unavailabilities far below 1e-15 without losing digits (7 nodes, 4 needed: U ≈ 2e-20)", () => {
    const spec = cases[5] as ChainSpec;
    const exact = exactChain(spec);
    expect(exact.u).toBeLessThan(1e-15);
    expectRelativelyClose(run(spec).complement, exact.u, 1e-12);
  });

  it("with independent repair and no common cause equals the binomial k-of-n with a = μ/(λ+μ)", () => {
    for (const [n, k, lambda, mu] of [
      [3, 2, 1 / 17532, 1 / 4],
      [5, 3, 0.5 / 8766, 1 / 24],
      [9, 5, 1e-3, 0.1],
    ] as const) {
      const r = quorumChain({ nodes: n, quorum: k, failureRate: lambda, repairRate: mu });
      const node = { value: mu / (lambda + mu), complement: lambda / (lambda + mu) };
      const binomial = kofnAvailability(
        k,
        Array.from({ length: n }, () => node),
      );
      expectRelativelyClose(r.complement, binomial.complement, 1e-12, `U ${n}/${k}`);
      expectRelativelyClose(r.value, binomial.value, 1e-14, `A ${n}/${k}`);
    }
  });

  it("gives the textbook TMR-with-repair MTTF 5/(6λ) + μ/(6λ²) (Trivedi 2nd ed., ch. 8, TMR with repair)", () => {
    const lambda = 1e-4;
    const mu = 0.25;
    const r = quorumChain({ nodes: 3, quorum: 2, failureRate: lambda, repairRate: mu, repairCrews: 1 });
    // With one crew and one node down there is exactly one repair in progress, so the
    // textbook's single-repair TMR applies.
    expectRelativelyClose(r.meanTimeToFailure, 5 / (6 * lambda) + mu / (6 * lambda * lambda), 1e-12);
  });

  it("gives MTTF 1/λ for a single node and 1/(nλ + λ_cc) when every node is needed", () => {
    expectRelativelyClose(quorumChain({ nodes: 1, quorum: 1, failureRate: 0.002, repairRate: 1 }).meanTimeToFailure, 500, 1e-15);
    expectRelativelyClose(
      quorumChain({ nodes: 3, quorum: 3, failureRate: 0.001, repairRate: 1, commonCauseRate: 0.0005 }).meanTimeToFailure,
      1 / 0.0035,
      1e-15,
    );
  });

  it("with no failures at all is always up", () => {
    const r = quorumChain({ nodes: 3, quorum: 2, failureRate: 0, repairRate: 1 });
    expect(r.value).toBe(1);
    expect(r.complement).toBe(0);
    expect(r.meanTimeToFailure).toBe(Number.POSITIVE_INFINITY);
  });

  it("with only common-cause failures has U = λcc/(λcc + μcc) and MTTF 1/λcc", () => {
    const r = quorumChain({ nodes: 3, quorum: 2, failureRate: 0, repairRate: 1, commonCauseRate: 0.01, commonCauseRepairRate: 0.5 });
    expectRelativelyClose(r.complement, 0.01 / 0.51, 1e-14);
    expectRelativelyClose(r.meanTimeToFailure, 100, 1e-14);
  });

  it("throws on out-of-domain parameters", () => {
    expect(() => quorumChain({ nodes: 3, quorum: 4, failureRate: 1, repairRate: 1 })).toThrow(/quorum/);
    expect(() => quorumChain({ nodes: 3, quorum: 2, failureRate: -1, repairRate: 1 })).toThrow(/lambda/);
    expect(() => quorumChain({ nodes: 3, quorum: 2, failureRate: 1, repairRate: 0 })).toThrow(/mu/);
    expect(() => quorumChain({ nodes: 3, quorum: 2, failureRate: 1, repairRate: 1, repairCrews: 0 })).toThrow(/crew/);
  });
});

/**
 * Stiff chains, where the stationary probabilities span more than the double range.
 * References: the same birth–death chain in mpmath at 50 digits (400 for the MTTF),
 * from detailed balance π_{i+1}/π_i = min(crews, n−i)·μ / ((i+1)·λ), and for the
 * common-cause chain by solving πQ = 0, Σπ = 1 with mp.lu_solve:
 *
 *   from mpmath import mp, mpf, fsum; mp.dps = 50; H = mpf(8766)
 *   def w(n, lam, mu, crews):
 *       out = [mpf(1)]
 *       for i in range(n): out.append(out[-1] * min(crews, n - i) * mu / ((i + 1) * lam))
 *       return out
 *   ws = w(50, 1/(100*H), 60, 1); fsum(ws[:k]) / fsum(ws)      # U for k = 1, 26, 50
 *
 * Printed (20 digits):
 *   n=50   k=1    2.7254525446698436123e-322     (a subnormal double: ~2 digits)
 *   n=50   k=26   1.8561414520153130407e-154
 *   n=50   k=50   9.5064261634642364449e-7
 *   n=1000 k=1000 0.000019012852326921943478
 *   n=1000 k=501  1.1012177616566384798e-2427   (below the double range: 0)
 *   n=1000 k=990, mtbf 1e12 years, μ = 3.6e12 /h  3.061160658287650285e-281
 *   n=50 k=26, mtbf 1 min, mttr 100 years: A = 4.4628298682022652115e-228
 *   n=50 k=26, λ_cc = 0.1/year, μ_cc = 0.5/h: U = 0.000022814902694440008213
 *   n=50 k=50, same common cause:             U = 0.000023765523441227355568
 *   MTTF n=50 k=26 (−Q_TT·t = 1, mp.dps = 400): 8.9792094290590269397e+151 h
 */
describe("availability.ctmc on stiff chains (issue 9: NaN for 50 nodes)", () => {
  const H = 8766;
  const lambda = 1 / (100 * H); // mtbf 100 years
  const mu = 60; // mttr 1 min
  const chain = (n: number, k: number, extra: Partial<Parameters<typeof quorumChain>[0]> = {}) =>
    quorumChain({ nodes: n, quorum: k, failureRate: lambda, repairRate: mu, repairCrews: 1, ...extra });

  it("when 50 nodes need 26 then the unavailability near 1e-154 is exact to 1e-13, and A = 1", () => {
    const r = chain(50, 26);
    expectRelativelyClose(r.complement, 1.856141452015313e-154, 1e-13);
    expect(r.value).toBeCloseTo(1, 15);
    expectRelativelyClose(r.meanTimeToFailure, 8.979209429059027e151, 1e-12);
  });

  it("when 50 nodes need 1 then U is the subnormal double nearest 2.725e-322 (within 2 subnormal steps)", () => {
    const r = chain(50, 1);
    expect(Number.isFinite(r.complement)).toBe(true);
    expect(Math.abs(r.complement - 2.7e-322)).toBeLessThanOrEqual(2 * Number.MIN_VALUE);
    expect(r.value).toBeCloseTo(1, 15);
  });

  it("when every node is needed then U and MTTF are exact (MTTF = 1/(50λ) = 17532 h by hand)", () => {
    expectRelativelyClose(chain(50, 50).complement, 9.506426163464236e-7, 1e-13);
    expectRelativelyClose(chain(50, 50).meanTimeToFailure, 17532, 1e-13);
    expectRelativelyClose(chain(1000, 1000).complement, 1.9012852326921945e-5, 1e-12);
  });

  it("when the true unavailability is below the double range then it is 0, not NaN", () => {
    const r = chain(1000, 501);
    expect(r.complement).toBe(0);
    expect(r.value).toBe(1);
  });

  it("when rates are 28 orders apart then U near 1e-281 is still exact", () => {
    const r = quorumChain({ nodes: 1000, quorum: 990, failureRate: 1 / (1e12 * H), repairRate: 3.6e12, repairCrews: 1 });
    expectRelativelyClose(r.complement, 3.06116065828765e-281, 1e-12);
  });

  it("when nodes are mostly down then the availability near 1e-228 is exact", () => {
    const r = quorumChain({ nodes: 50, quorum: 26, failureRate: 60, repairRate: lambda, repairCrews: 1 });
    expectRelativelyClose(r.value, 4.4628298682022655e-228, 1e-13);
    expect(r.complement).toBe(1);
  });

  it("when a common cause joins the stiff chain then U is exact", () => {
    const cc = { commonCauseRate: 0.1 / H, commonCauseRepairRate: 0.5 };
    expectRelativelyClose(chain(50, 26, cc).complement, 2.281490269444001e-5, 1e-13);
    expectRelativelyClose(chain(50, 50, cc).complement, 2.3765523441227354e-5, 1e-13);
  });

  it("when any n up to the node cap is asked then every result is finite", () => {
    for (const n of [2, 10, 50, 100, 300, 1000]) {
      for (const k of [1, Math.floor(n / 2) + 1, n]) {
        const r = chain(n, k);
        expect(Number.isFinite(r.value) && Number.isFinite(r.complement), `${n}/${k}`).toBe(true);
        expect(r.value + r.complement).toBeCloseTo(1, 12);
      }
    }
  });
});
