import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kofnAvailability, type Probability, parallelAvailability, seriesAvailability } from "../../src/formulas/index.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { ONE, Rational, ZERO } from "../helpers/rational.js";

/** Reference: enumerate all 2^n up/down states in exact rational arithmetic. */
function bruteForceKofn(k: number, availabilities: readonly string[]): { a: number; u: number } {
  const n = availabilities.length;
  const av = availabilities.map((x) => Rational.of(x));
  let up = ZERO;
  let down = ZERO;
  for (let mask = 0; mask < 1 << n; mask++) {
    let term = ONE;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const ai = av[i] as Rational;
      if (mask & (1 << i)) {
        term = term.mul(ai);
        count++;
      } else term = term.mul(ONE.sub(ai));
    }
    if (count >= k) up = up.add(term);
    else down = down.add(term);
  }
  return { a: up.toNumber(), u: down.toNumber() };
}

/** A node availability given as decimal text, with its complement exact (as the CLI does). */
function node(text: string): Probability {
  const a = Rational.of(text);
  return { value: a.toNumber(), complement: ONE.sub(a).toNumber() };
}

describe("availability.kofn", () => {
  it("when a = 0.99, n = 3, k = 2 then U = 3a·u² + u³ = 2.98e-4 (hand calculation; shared/domain/message-queues.md §7 P1)", () => {
    const r = kofnAvailability(2, [node("0.99"), node("0.99"), node("0.99")]);
    expectRelativelyClose(r.complement, 2.98e-4, 1e-13);
    expectRelativelyClose(r.value, 0.999702, 1e-15);
  });

  it("when a = 0.999, n = 3, k = 2 then U = 2.998e-6 (hand: 3·0.999·1e-6 + 1e-9)", () => {
    const r = kofnAvailability(2, [node("0.999"), node("0.999"), node("0.999")]);
    expectRelativelyClose(r.complement, 2.998e-6, 1e-13);
  });

  it("matches brute-force enumeration of all node states for identical and per-node availabilities", () => {
    const cases: [number, string[]][] = [
      [2, ["0.99", "0.99", "0.99"]],
      [3, ["0.99", "0.99", "0.99", "0.99", "0.99"]],
      [1, ["0.9", "0.8", "0.7"]],
      [4, ["0.999", "0.9999", "0.99", "0.995", "0.9", "0.97", "0.999999"]],
      [2, ["0.5", "0.25", "0.125", "0.0625"]],
    ];
    for (const [k, avs] of cases) {
      const reference = bruteForceKofn(k, avs);
      const r = kofnAvailability(k, avs.map(node));
      expectRelativelyClose(r.value, reference.a, 1e-13, `A k=${k} ${avs}`);
      expectRelativelyClose(r.complement, reference.u, 1e-13, `U k=${k} ${avs}`);
    }
  });

  it("keeps unavailabilities near 1e-15 and below to 1e-12 relative (brute force, exact rationals)", () => {
    // a = 1 − 1e-8 per node; 2 of 3: U ≈ 3e-16. 3 of 5: U ≈ 1e-23.
    for (const [k, n, a] of [
      [2, 3, "0.99999999"],
      [3, 5, "0.99999999"],
      [2, 3, "0.9999999999999"],
    ] as const) {
      const avs = Array.from({ length: n }, () => a);
      const reference = bruteForceKofn(k, avs);
      const r = kofnAvailability(k, avs.map(node));
      expect(reference.u).toBeLessThan(1e-14);
      expectRelativelyClose(r.complement, reference.u, 1e-12, `U ${k}/${n} a=${a}`);
    }
  });

  it("throws when k is outside 1..n or there are no nodes", () => {
    expect(() => kofnAvailability(0, [node("0.9")])).toThrow(/1\.\.n/);
    expect(() => kofnAvailability(2, [node("0.9")])).toThrow(/1\.\.n/);
    expect(() => kofnAvailability(1, [])).toThrow(/at least one node/);
  });

  const probability = fc.double({ min: 0, max: 1, noNaN: true }).map((p) => ({ value: p, complement: 1 - p }));
  const nodes = fc.array(probability, { minLength: 1, maxLength: 12 });

  it("property: value and complement lie in [0, 1] and add up to 1 within rounding", () => {
    fc.assert(
      fc.property(nodes, fc.nat(), (ns, seed) => {
        const k = 1 + (seed % ns.length);
        const r = kofnAvailability(k, ns);
        expect(r.value).toBeGreaterThanOrEqual(0);
        expect(r.complement).toBeGreaterThanOrEqual(0);
        expect(r.value).toBeLessThanOrEqual(1 + 1e-15);
        expect(Math.abs(r.value + r.complement - 1)).toBeLessThan(1e-13);
      }),
    );
  });

  it("property: availability does not increase with k, and does not decrease when a node is added", () => {
    fc.assert(
      fc.property(nodes, probability, (ns, extra) => {
        for (let k = 1; k < ns.length; k++) {
          expect(kofnAvailability(k + 1, ns).value).toBeLessThanOrEqual(kofnAvailability(k, ns).value * (1 + 1e-14));
          expect(kofnAvailability(k, [...ns, extra]).value).toBeGreaterThanOrEqual(kofnAvailability(k, ns).value * (1 - 1e-14));
        }
      }),
    );
  });

  it("property: availability does not decrease when one node's availability rises", () => {
    fc.assert(
      fc.property(nodes, fc.double({ min: 0, max: 1, noNaN: true }), (ns, bump) => {
        const better = ns.map((x, i) => (i === 0 ? { value: x.value + (1 - x.value) * bump, complement: x.complement * (1 - bump) } : x));
        for (let k = 1; k <= ns.length; k++) {
          expect(kofnAvailability(k, better).value).toBeGreaterThanOrEqual(kofnAvailability(k, ns).value * (1 - 1e-14));
        }
      }),
    );
  });

  it("property: k = 1 is the article's parallel formula and k = n is the series formula", () => {
    fc.assert(
      fc.property(nodes, (ns) => {
        const parallel = parallelAvailability(ns.map((x) => ({ value: x.complement, complement: x.value })));
        const atLeastOne = kofnAvailability(1, ns);
        expectRelativelyClose(atLeastOne.complement, parallel.complement, 1e-12);
        expectRelativelyClose(atLeastOne.value, parallel.value, 1e-12);
        const series = seriesAvailability(ns);
        const all = kofnAvailability(ns.length, ns);
        expectRelativelyClose(all.value, series.value, 1e-12);
        expect(Math.abs(all.complement - series.complement)).toBeLessThanOrEqual(1e-12 * series.complement + 1e-300);
      }),
    );
  });
});
