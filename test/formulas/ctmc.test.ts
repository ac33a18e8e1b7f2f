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
