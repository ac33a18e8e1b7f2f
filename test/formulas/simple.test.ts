import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ackReliability,
  attemptStartTimes,
  nodeAvailability,
  type Probability,
  parallelAvailability,
  parallelFaultTolerance,
  persistenceReliability,
  replicatedDurability,
  retryFaultTolerance,
  retryWithinDeadline,
  seriesAvailability,
} from "../../src/formulas/index.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { ONE, Rational, ZERO } from "../helpers/rational.js";

/** A probability typed as decimal text, its complement exact (as the CLI and models give it). */
function pr(text: string): Probability {
  const x = Rational.of(text);
  return { value: x.toNumber(), complement: ONE.sub(x).toNumber() };
}

describe("availability.parallel and fault_tolerance.parallel (article §3.1.2)", () => {
  it("when three nodes are each unavailable 1e-9 then U = 1e-27, not 0", () => {
    const r = parallelAvailability([pr("1e-9"), pr("1e-9"), pr("1e-9")]);
    expectRelativelyClose(r.complement, 1e-27, 1e-15);
    expect(r.value).toBe(1);
  });

  it("when U = 0.01 and 0.02 then A = 1 − 2e-4 (hand calculation)", () => {
    const r = parallelAvailability([pr("0.01"), pr("0.02")]);
    expectRelativelyClose(r.complement, 2e-4, 1e-15);
    expectRelativelyClose(r.value, 0.9998, 1e-15);
  });

  it("when every node is almost always down then A is small and still exact (exact rationals)", () => {
    const us = ["0.999999", "0.9999999", "0.99999"];
    const exactProduct = us.map((x) => Rational.of(x)).reduce((a, b) => a.mul(b), ONE);
    const r = parallelAvailability(us.map(pr));
    expectRelativelyClose(r.value, ONE.sub(exactProduct).toNumber(), 1e-12);
    expectRelativelyClose(r.complement, exactProduct.toNumber(), 1e-15);
  });

  it("fault tolerance has the same algebra: e = 0.1, 0.1 → 0.99", () => {
    const r = parallelFaultTolerance([pr("0.1"), pr("0.1")]);
    expectRelativelyClose(r.value, 0.99, 1e-15);
    expectRelativelyClose(r.complement, 0.01, 1e-15);
  });

  it("throws on an empty list", () => {
    expect(() => parallelAvailability([])).toThrow(/at least one node/);
    expect(() => parallelFaultTolerance([])).toThrow(/at least one node/);
  });

  it("property: A ≥ 1 − min U_i (parallel is at least as good as its best node) and A + U = 1", () => {
    const prob = fc.double({ min: 0, max: 1, noNaN: true }).map((p) => ({ value: p, complement: 1 - p }));
    fc.assert(
      fc.property(fc.array(prob, { minLength: 1, maxLength: 10 }), (us) => {
        const r = parallelAvailability(us);
        const best = Math.min(...us.map((u) => u.value));
        expect(r.complement).toBeLessThanOrEqual(best * (1 + 1e-14));
        expect(Math.abs(r.value + r.complement - 1)).toBeLessThan(1e-14);
      }),
    );
  });
});

describe("availability.series", () => {
  it("when five components are each unavailable 1e-16 then U = 5e-16 (not 0, not 4.44e-16)", () => {
    const r = seriesAvailability(Array.from({ length: 5 }, () => pr("0.9999999999999999")));
    // exact: 1 − (1 − 1e-16)^5 = 5e-16 − 1e-31 + …
    expectRelativelyClose(r.complement, 5e-16, 1e-14);
  });

  it("when A = 0.999, 0.999 then A = 0.998001, U = 0.001999 (hand calculation)", () => {
    const r = seriesAvailability([pr("0.999"), pr("0.999")]);
    expectRelativelyClose(r.value, 0.998001, 1e-15);
    expectRelativelyClose(r.complement, 0.001999, 1e-14);
  });

  it("property: series availability ≤ min A_j", () => {
    const prob = fc.double({ min: 0, max: 1, noNaN: true }).map((p) => ({ value: p, complement: 1 - p }));
    fc.assert(
      fc.property(fc.array(prob, { minLength: 1, maxLength: 10 }), (as) => {
        const r = seriesAvailability(as);
        expect(r.value).toBeLessThanOrEqual(Math.min(...as.map((a) => a.value)) * (1 + 1e-15));
        expect(Math.abs(r.value + r.complement - 1)).toBeLessThan(1e-14);
      }),
    );
  });
});

describe("persistence.reliability and ack.reliability (article §3.2.2, §3.4.2)", () => {
  it("when 1e-3 unpersisted and 1e-2 fault then loss = 1e-5 (hand calculation)", () => {
    const r = persistenceReliability(pr("1e-3"), pr("1e-2"));
    expectRelativelyClose(r.complement, 1e-5, 1e-15);
    expectRelativelyClose(r.value, 0.99999, 1e-15);
  });

  it("when 2e-3 unconfirmed and 5e-2 fault then the ack loss = 1e-4 and reliability 0.9999 (hand calculation)", () => {
    const r = ackReliability(pr("2e-3"), pr("5e-2"));
    expectRelativelyClose(r.complement, 1e-4, 1e-15);
    expectRelativelyClose(r.value, 0.9999, 1e-15);
  });

  it("when the factors are tiny then loss 1e-16 survives", () => {
    const r = ackReliability(pr("1e-8"), pr("1e-8"));
    expectRelativelyClose(r.complement, 1e-16, 1e-15);
  });

  it("when both factors are near 1 then the small reliability is exact: 1 − 0.999999·0.999999 = 1.999999e-6", () => {
    const r = persistenceReliability(pr("0.999999"), pr("0.999999"));
    expectRelativelyClose(r.value, 1.999999e-6, 1e-12);
  });
});

describe("retry.fault_tolerance (article §3.3.2)", () => {
  it("when p = 0.9 and 3 attempts then failure = 1e-3", () => {
    const r = retryFaultTolerance(pr("0.9"), 3);
    expectRelativelyClose(r.complement, 1e-3, 1e-14);
  });

  it("when n = 1 then the success probability is p (n counts every attempt)", () => {
    expect(retryFaultTolerance(pr("0.7"), 1).value).toBe(0.7);
  });

  it("when p = 0.99999 and 3 attempts then failure = 1e-15 exactly", () => {
    expectRelativelyClose(retryFaultTolerance(pr("0.99999"), 3).complement, 1e-15, 1e-14);
  });

  it("when p is tiny then the success probability is n·p without cancellation (exact rationals)", () => {
    const p = Rational.of("1e-12");
    const exact = ONE.sub(ONE.sub(p).pow(4)).toNumber();
    expectRelativelyClose(retryFaultTolerance(pr("1e-12"), 4).value, exact, 1e-12);
  });

  it("throws when attempts is not a whole number ≥ 1", () => {
    expect(() => retryFaultTolerance(pr("0.5"), 0)).toThrow(/attempts/);
    expect(() => retryFaultTolerance(pr("0.5"), 2.5)).toThrow(/attempts/);
  });

  it("property: success grows with attempts and with p", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        (a, b, n) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(retryFaultTolerance({ value: lo, complement: 1 - lo }, n + 1).value).toBeGreaterThanOrEqual(
            retryFaultTolerance({ value: lo, complement: 1 - lo }, n).value,
          );
          expect(retryFaultTolerance({ value: hi, complement: 1 - hi }, n).value).toBeGreaterThanOrEqual(
            retryFaultTolerance({ value: lo, complement: 1 - lo }, n).value,
          );
        },
      ),
    );
  });
});

describe("retry.deadline", () => {
  const schedule = { attempts: 5, timeout: 2, backoffInitial: 0.1, backoffMultiplier: 2, backoffMax: 10, deadline: 5 };

  it("when timeout 2, backoff 0.1·2^i and deadline 5 then attempts start at 0, 2.1, 4.3 (hand) and m = 3", () => {
    const r = retryWithinDeadline(pr("0.9"), schedule);
    expect(r.attemptsMade).toBe(3);
    expect(r.startTimes.map((s) => Math.round(s * 1e9) / 1e9)).toEqual([0, 2.1, 4.3]);
    expectRelativelyClose(r.complement, 1e-3, 1e-14);
  });

  it("when an attempt would start exactly at the deadline then it is not made (s_i < deadline)", () => {
    // starts 0, 0.3, 0.6, 0.9 (0.1 + 0.2 style sums carry rounding): deadline 0.9 allows 3
    const starts = attemptStartTimes({
      attempts: 10,
      timeout: 0.2,
      backoffInitial: 0.1,
      backoffMultiplier: 1,
      backoffMax: 1,
      deadline: 0.9,
    });
    expect(starts.length).toBe(3);
  });

  it("when the deadline is generous then m = attempts, the same as retry.fault_tolerance", () => {
    const r = retryWithinDeadline(pr("0.6"), { ...schedule, deadline: 1000 });
    expect(r.attemptsMade).toBe(5);
    expect(r.value).toBe(retryFaultTolerance(pr("0.6"), 5).value);
  });

  it("when backoff is capped then the cap applies: timeout 1, backoff 1·10^i capped at 3 → 0, 2, 6, 10", () => {
    const starts = attemptStartTimes({ attempts: 4, timeout: 1, backoffInitial: 1, backoffMultiplier: 10, backoffMax: 3, deadline: 100 });
    expect(starts).toEqual([0, 2, 6, 10]);
  });

  it("throws on bad schedules", () => {
    expect(() => retryWithinDeadline(pr("0.9"), { ...schedule, deadline: 0 })).toThrow(/deadline/);
    expect(() => retryWithinDeadline(pr("0.9"), { ...schedule, backoffMultiplier: 0.5 })).toThrow(/multiplier/);
    expect(() => retryWithinDeadline(pr("0.9"), { ...schedule, timeout: -1 })).toThrow(/timeout/);
  });
});

describe("availability.node", () => {
  it("when MTBF 2 years (17532 h) and MTTR 4 h then U = 4/17536 (hand)", () => {
    const r = nodeAvailability(17532, 4);
    expectRelativelyClose(r.complement, 4 / 17536, 1e-15);
    expectRelativelyClose(r.value, 17532 / 17536, 1e-15);
  });

  it("throws when MTTR or MTBF is not positive", () => {
    expect(() => nodeAvailability(100, 0)).toThrow(/mttr/);
    expect(() => nodeAvailability(100, -1)).toThrow(/mttr/);
    expect(() => nodeAvailability(0, 1)).toThrow(/mtbf/);
  });
});

/** e^(−x) as an exact rational Taylor sum (x ≥ 0 rational), accurate far beyond a double. */
function expNeg(x: Rational, terms = 80): Rational {
  let sum = ZERO;
  let term = ONE;
  for (let k = 0; k < terms; k++) {
    sum = k % 2 === 0 ? sum.add(term) : sum.sub(term);
    term = term.mul(x).div(Rational.of(k + 1));
  }
  return sum;
}

describe("durability.replicated", () => {
  function reference(q: number, lambda: string, w: string, lambdaCc = "0"): { loss: number; survival: number } {
    const x = Rational.of(lambda).mul(Rational.of(w));
    const xc = Rational.of(lambdaCc).mul(Rational.of(w));
    const p = ONE.sub(expNeg(x));
    const keepCc = expNeg(xc);
    const survival = keepCc.mul(ONE.sub(p.pow(q)));
    return { loss: ONE.sub(survival).toNumber(), survival: survival.toNumber() };
  }

  it("matches 1 − (1 − p_cc)(1 − p^q) evaluated with exact rational Taylor series", () => {
    const cases: [number, string, string, string][] = [
      [1, "0.000114", "0.0166", "0"], // single node, 1/yr, 60 s window: ≈ 1.9e-6 (message-queues.md §7 P5)
      [2, "0.0000228", "0.00833", "0"], // 0.2/yr, 30 s, 2 replicas: ≈ 3.6e-14
      [3, "0.0000228", "0.0333", "0.0000114"], // with correlated crashes
      [2, "2", "3", "0"], // window much longer than MTBF: p^q near 1
      [3, "0.001", "0.000001", "0"], // p ≈ 1e-9, p^3 ≈ 1e-27
    ];
    for (const [q, lambda, w, cc] of cases) {
      const ref = reference(q, lambda, w, cc);
      const r = replicatedDurability({ replicas: q, crashRate: Number(lambda), window: Number(w), correlatedCrashRate: Number(cc) });
      expectRelativelyClose(r.value, ref.loss, 1e-12, `loss ${q} ${lambda} ${w} ${cc}`);
      expectRelativelyClose(r.complement, ref.survival, 1e-12, `survival ${q} ${lambda} ${w} ${cc}`);
    }
  });

  it("when the window is 0 (fsync before ack) then nothing is lost", () => {
    const r = replicatedDurability({ replicas: 1, crashRate: 5, window: 0, correlatedCrashRate: 1 });
    expect(r.value).toBe(0);
    expect(r.complement).toBe(1);
  });

  it("throws on a bad replica count or a negative rate", () => {
    expect(() => replicatedDurability({ replicas: 0, crashRate: 1, window: 1 })).toThrow(/replicas/);
    expect(() => replicatedDurability({ replicas: 1, crashRate: -1, window: 1 })).toThrow(/crash rate/);
  });
});
