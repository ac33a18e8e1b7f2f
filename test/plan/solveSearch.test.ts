/**
 * `solve`'s search (src/plan/solve.ts `runSearch`) against fake objectives: plain
 * functions of the field values, read through the PointProbe seam — no model, no
 * evaluator. Each reference answer is known by construction (a closed-form root) or
 * found by a brute-force scan written here, independently of the search's order and
 * early stops.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { METRIC, parseThreshold, type Threshold, TIE_TOLERANCE } from "../../src/metrics/index.js";
import type { CostFunction } from "../../src/plan/cost.js";
import {
  DEFAULT_TOLERANCE,
  GRID_POINTS,
  intervalSpace,
  type PointProbe,
  type PointReading,
  runSearch,
  type SearchSpace,
  type SolveRequest,
  space,
} from "../../src/plan/solve.js";
import type { VariedValue } from "../../src/plan/vary.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** A fake objective: the metric's value at the fields' values (internal units), or a refusal. */
type Objective = (x: Readonly<Record<string, number>>) => number | "refused" | "unread";

/**
 * The probe of a fake objective. Its score (what the cheapest search breaks cost ties
 * with) is the value itself: larger is better. Every call is recorded.
 */
function probeOf(objective: Objective, calls: Record<string, number>[] = []): PointProbe {
  return (values): PointReading => {
    const x = Object.fromEntries([...values].map(([path, v]) => [path, v.value as number]));
    calls.push(x);
    const y = objective(x);
    if (y === "refused") return { kind: "refused", error: new InputError(`no model at ${JSON.stringify(x)}`, { path: "fake.field" }) };
    if (y === "unread") return { kind: "unread" };
    return { kind: "reading", readings: new Map([[METRIC.clusterAvailability, { value: y, score: y }]]) };
  };
}

/** value ≥ target, compared on the value (no complement) */
function atLeast(target: number): Threshold {
  return { operator: ">=", text: `>= ${target}`, target };
}

function request(paths: readonly string[], threshold: Threshold, extra: Partial<SolveRequest> = {}): SolveRequest {
  return { paths, targets: [{ metric: METRIC.clusterAvailability, threshold, from: "target" }], ranges: new Map(), ...extra };
}

const MODEL = { name: "fake", file: "fake.yaml" };

/** The whole numbers low…high as a count's search space. */
function counts(path: string, low: number, high: number): SearchSpace {
  const values: VariedValue[] = Array.from({ length: high - low + 1 }, (_, i) => ({ text: String(low + i), value: low + i }));
  return space(path, "plain", "whole numbers", values, false, false);
}

/** The searched value of one field in a candidate. */
function searched(candidate: { values: ReadonlyMap<string, VariedValue> } | undefined, path = "n"): number | undefined {
  return candidate?.values.get(path)?.value as number | undefined;
}

describe("solve's whole-number scan against fake objectives", () => {
  it("when the objective rises with n then the answer is the smallest n that meets the target, and nothing beyond it is computed", () => {
    // 1 − 0.5^n ≥ 0.99 ⇔ 0.5^n ≤ 0.01 ⇔ n ≥ log2(100) = 6.64: n = 7 (0.5^7 = 0.0078, 0.5^6 = 0.0156)
    const calls: Record<string, number>[] = [];
    const result = runSearch(
      probeOf(({ n }) => 1 - 0.5 ** (n as number), calls),
      request(["n"], atLeast(0.99)),
      MODEL,
      [counts("n", 1, 100)],
      {
        goal: "min",
      },
    );
    expect(result.met).toBe(true);
    expect(searched(result.answer)).toBe(7);
    expect(result.answer?.margin).toBeCloseTo(0.01 - 0.5 ** 7, 15);
    expect(result.evaluated).toBe(7);
    expect(calls.map((c) => c.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.goal).toBe("min");
    expect(result.model).toEqual(MODEL);
  });

  it("when the objective dips (even n worse than the odd n below them) then the first n from the low end that meets is the answer, not a bisection's guess", () => {
    // majority quorum over n nodes of availability 0.9: the k-of-n sum, by hand below;
    // 1: 0.9, 2: 0.81 (2 of 2), 3: 0.972, 4: 0.9477 (3 of 4), 5: 0.99144, 6: 0.98415 (4 of 6), 7: 0.997272
    const majority = (n: number) => {
      const k = Math.floor(n / 2) + 1;
      let a = 0;
      for (let i = k; i <= n; i++) a += binomial(n, i) * 0.9 ** i * 0.1 ** (n - i);
      return a;
    };
    expect(majority(4)).toBeLessThan(majority(3)); // the dip
    const result = runSearch(
      probeOf(({ n }) => majority(n as number)),
      request(["n"], atLeast(0.99)),
      MODEL,
      [counts("n", 1, 20)],
      {
        goal: "min",
      },
    );
    // 6 nodes (0.98415) miss although 5 (0.99144) meet: the answer is 5
    expect(searched(result.answer)).toBe(5);
    expectRelativelyClose(result.answer?.reading.value as number, 0.99144, 1e-12);
  });

  it("when nothing meets the target then every value is computed and the best one (largest margin) is reported", () => {
    // peak at n = 13: 0.9 − (n − 13)²/1000 never reaches 0.95
    const result = runSearch(
      probeOf(({ n }) => 0.9 - ((n as number) - 13) ** 2 / 1000),
      request(["n"], atLeast(0.95)),
      MODEL,
      [counts("n", 1, 30)],
      {
        goal: "min",
      },
    );
    expect(result.met).toBe(false);
    expect(result.answer).toBeUndefined();
    expect(searched(result.best)).toBe(13);
    expect(result.best?.margin).toBeCloseTo(-0.05, 15);
    expect(result.evaluated).toBe(30);
  });

  it("when every value meets the target then the answer is the least demanding end: the low end for min, the high end for max", () => {
    const always: Objective = () => 1;
    const low = runSearch(probeOf(always), request(["n"], atLeast(0.5)), MODEL, [counts("n", 3, 9)], { goal: "min" });
    const high = runSearch(probeOf(always), request(["n"], atLeast(0.5)), MODEL, [counts("n", 3, 9)], { goal: "max" });
    expect([searched(low.answer), low.evaluated]).toEqual([3, 1]);
    expect([searched(high.answer), high.evaluated]).toEqual([9, 1]);
  });

  it("when points in the middle are refused then they are skipped and counted, and the first and the last refusal are kept with their field's message", () => {
    // refused at 3…6; the objective n/10 meets ≥ 0.55 first at n = 6, which is refused: the answer is 7
    const result = runSearch(
      probeOf(({ n }) => ((n as number) >= 3 && (n as number) <= 6 ? "refused" : (n as number) / 10)),
      request(["n"], atLeast(0.55)),
      MODEL,
      [counts("n", 1, 10)],
      { goal: "min" },
    );
    expect(searched(result.answer)).toBe(7);
    expect(result.evaluated).toBe(3); // 1, 2 and 7
    expect(result.refused).toBe(4);
    expect(result.refusals.map((r) => searched(r))).toEqual([3, 6]);
    expect(result.refusals[0]?.error).toBe('fake.field: no model at {"n":3}');
  });

  it("when a point computes no such metric then it counts as computed and refused, with no refusal message", () => {
    const result = runSearch(
      probeOf(({ n }) => (n === 1 ? "unread" : (n as number))),
      request(["n"], atLeast(2)),
      MODEL,
      [counts("n", 1, 5)],
      {
        goal: "min",
      },
    );
    expect(searched(result.answer)).toBe(2);
    expect([result.evaluated, result.refused, result.refusals.length]).toEqual([2, 1, 0]);
  });

  it("when the probe rules points out by a floor then they are counted as pruned, not computed, and the floor and its nines are reported", () => {
    const floorProbe: PointProbe = (values) =>
      (values.get("n")?.value as number) < 4
        ? { kind: "pruned", floor: 1e-3 }
        : { kind: "reading", readings: new Map([[METRIC.clusterAvailability, { value: 1, score: 1 }]]) };
    const result = runSearch(floorProbe, request(["n"], atLeast(0.5)), MODEL, [counts("n", 1, 10)], { goal: "min" });
    expect(searched(result.answer)).toBe(4);
    expect([result.evaluated, result.pruned, result.floor]).toEqual([1, 3, 1e-3]);
    expect(result.floorNines).toBeCloseTo(3, 12);
  });

  it("when every point is refused then the search throws the first refusal (the request itself is bad input)", () => {
    expect(() =>
      runSearch(
        probeOf(() => "refused"),
        request(["n"], atLeast(0.5)),
        MODEL,
        [counts("n", 2, 4)],
        { goal: "min" },
      ),
    ).toThrow('no model at {"n":2}');
  });

  it("property: on any objective, with refusals anywhere, the answer is the first value from the least demanding end that a plain scan finds meeting the target", () => {
    // values and targets in thousandths: comparisons and margins exact enough that "meets" is plain ≥
    const thousandths = fc.integer({ min: 0, max: 1000 }).map((i) => i / 1000);
    const point = fc.oneof(fc.constant<"refused">("refused"), thousandths);
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: 40 }),
        thousandths,
        fc.constantFrom<"min" | "max">("min", "max"),
        (table, target, goal) => {
          fc.pre(table.some((y) => y !== "refused"));
          const objective: Objective = ({ n }) => table[(n as number) - 1] as number | "refused";
          const result = runSearch(probeOf(objective), request(["n"], atLeast(target)), MODEL, [counts("n", 1, table.length)], { goal });
          // brute force: every n, in the goal's order (no early stop)
          const order = table.map((_, i) => i + 1);
          if (goal === "max") order.reverse();
          const meeting = order.filter((n) => {
            const y = table[n - 1];
            return y !== "refused" && (y as number) >= target;
          });
          if (meeting.length === 0) {
            expect(result.met).toBe(false);
            const computed = table.filter((y): y is number => y !== "refused");
            expect(result.best?.reading.value).toBe(Math.max(...computed));
            return;
          }
          const answer = meeting[0] as number;
          expect(searched(result.answer)).toBe(answer);
          // and the neighbour toward "less demanding", when there is one, does not meet it
          const before = order[order.indexOf(answer) - 1];
          if (before !== undefined) expect(meeting).not.toContain(before);
        },
      ),
      { seed: 1707, numRuns: 300 },
    );
  });
});

describe("solve's continuous search (grid, then bisection) against closed-form roots", () => {
  it("when 1 − exp(−x) ≥ t is solved for the least x then the answer is −ln(1 − t) within the tolerance, and meets the target", () => {
    // x* = −ln(1 − 0.999) = 6.907755278982137 (closed form)
    const t = 0.999;
    const root = -Math.log1p(-t);
    const result = runSearch(
      probeOf(({ x }) => -Math.expm1(-(x as number))),
      request(["x"], atLeast(t)),
      MODEL,
      [intervalSpace("x", "plain", 0.1, 100, false)],
      { goal: "min" },
    );
    const x = searched(result.answer, "x") as number;
    expect(result.met).toBe(true);
    expect(result.tolerance).toBe(DEFAULT_TOLERANCE);
    expect(-Math.expm1(-x)).toBeGreaterThanOrEqual(t);
    expect(x).toBeGreaterThanOrEqual(root);
    expect((x - root) / root).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
    expect(result.atRangeEnd).toBe(false);
  });

  it("property: for any target and range holding the root, the least x meeting 1 − exp(−x) ≥ t is −ln(1 − t) to the tolerance", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.999999, noNaN: true }),
        fc.double({ min: 1.01, max: 1000, noNaN: true }),
        fc.double({ min: 1.01, max: 1000, noNaN: true }),
        fc.constantFrom(1e-3, 1e-6, 1e-9),
        (t, below, above, tolerance) => {
          const root = -Math.log1p(-t);
          const result = runSearch(
            probeOf(({ x }) => -Math.expm1(-(x as number))),
            request(["x"], atLeast(t), { tolerance }),
            MODEL,
            [intervalSpace("x", "plain", root / below, root * above, false)],
            { goal: "min" },
          );
          const x = searched(result.answer, "x") as number;
          // "meets" is ≥ up to the threshold's tie tolerance (a relative 1e-12 on the value)
          expect(-Math.expm1(-x)).toBeGreaterThanOrEqual(t * (1 - TIE_TOLERANCE));
          // which moves the root by at most t · TIE_TOLERANCE / f'(root) = t · TIE_TOLERANCE / (1 − t)
          const tie = (t * TIE_TOLERANCE) / (1 - t);
          // the bisection stops within tolerance · x of the boundary
          expect(Math.abs(x - root)).toBeLessThanOrEqual(tolerance * x + tie + 1e-15 * root);
        },
      ),
      { seed: 4242, numRuns: 200 },
    );
  });

  it("when exp(−x) ≥ t is solved for the largest x (a repair time) then the answer is −ln t, from above the boundary toward it", () => {
    // x* = −ln(0.2) = 1.6094379124341003 (closed form); the search goes from the high end down
    const root = -Math.log(0.2);
    const result = runSearch(
      probeOf(({ x }) => Math.exp(-(x as number))),
      request(["x"], atLeast(0.2)),
      MODEL,
      [intervalSpace("x", "time", 0.5, 4, false)],
      {
        goal: "max",
      },
    );
    const x = searched(result.answer, "x") as number;
    expect(x).toBeLessThanOrEqual(root);
    expect((root - x) / x).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
    expect(result.answer?.values.get("x")?.text).toBe(`${x} h`);
  });

  it("when a probability near 1 is searched on its complement then p³ ≥ 0.999999 gives q = 1 − p at 1 − 0.999999^(1/3) to the tolerance", () => {
    // three nodes that must all be up: p³ ≥ 1 − 1e-6 ⇔ q ≤ 1 − (1 − 1e-6)^(1/3) = 3.333334444445062e-7 (−expm1(log1p(−1e-6)/3))
    const threshold = parseThreshold(">= 0.999999", "availability-like");
    const qStar = -Math.expm1(Math.log1p(-1e-6) / 3);
    const probe: PointProbe = (values) => {
      const v = values.get("p") as VariedValue;
      const q = v.complement as number;
      const complement = -Math.expm1(3 * Math.log1p(-q)); // 1 − (1 − q)³, exact to rounding
      return {
        kind: "reading",
        readings: new Map([[METRIC.clusterAvailability, { value: 1 - complement, complement, score: -Math.log10(complement) }]]),
      };
    };
    // solve's default for a probability near 1 (no --range): the complement over 1e-12…1
    const space = intervalSpace("p", "plain", 1e-12, 1, true);
    expect(space.values).toHaveLength(GRID_POINTS);
    expect(space.geometric).toBe(true);
    const result = runSearch(probe, request(["p"], threshold), MODEL, [space], { goal: "min" });
    const q = result.answer?.values.get("p")?.complement as number;
    expect(q).toBeLessThanOrEqual(qStar);
    expect((qStar - q) / q).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
    // the text handed to the loader is 1 − q written out exactly
    expect(result.answer?.values.get("p")?.text).toMatch(/^0\.9999996666/);
  });

  it("when the least demanding end of the grid already meets the target then it is the answer, flagged as at the range's end, with no bisection", () => {
    const calls: Record<string, number>[] = [];
    const result = runSearch(
      probeOf(({ x }) => x as number, calls),
      request(["x"], atLeast(0)),
      MODEL,
      [intervalSpace("x", "plain", 1, 2, false)],
      {
        goal: "min",
      },
    );
    expect([searched(result.answer, "x"), result.atRangeEnd, calls.length]).toEqual([1, true, 1]);
  });

  it("when no grid value meets the target then every grid value is computed and the best is reported", () => {
    const result = runSearch(
      probeOf(({ x }) => x as number),
      request(["x"], atLeast(5)),
      MODEL,
      [intervalSpace("x", "plain", 1, 2, false)],
      {
        goal: "min",
      },
    );
    expect([result.met, searched(result.best, "x"), result.evaluated]).toEqual([false, 2, GRID_POINTS]);
  });

  it("when the range spans less than a decade then the grid is linear, else geometric, with the ends exact", () => {
    const linear = intervalSpace("x", "plain", 2, 8, false);
    expect(linear.geometric).toBe(false);
    expect(linear.values[1]?.value).toBeCloseTo(2 + 6 / 60, 14);
    const geometric = intervalSpace("x", "rate", 0.01, 100, false);
    expect(geometric.geometric).toBe(true);
    // 0.01 · 10^(4/60): four decades over 60 steps
    expectRelativelyClose(geometric.values[1]?.value as number, 0.01 * 10 ** (4 / 60), 1e-14);
    expect([geometric.from.value, geometric.to.value]).toEqual([0.01, 100]);
    expect(geometric.from.text).toBe("0.01 / h");
  });
});

describe("solve --minimize: every combination costed, computed cheapest first", () => {
  /** cost = wa·a + wb·b, as the cost expression "a * wa + b * wb" would give */
  function linearCost(wa: number, wb: number): CostFunction {
    return (values) => wa * (values.get("a")?.value.value as number) + wb * (values.get("b")?.value.value as number);
  }
  /** a two-field availability: a nodes of which one must be up (1 − 0.3^a) in series with b replicas (1 − 0.5^b) */
  const series: Objective = ({ a, b }) => (1 - 0.3 ** (a as number)) * (1 - 0.5 ** (b as number));

  /** Brute force: the least cost among the grid points that meet, and the best value at that cost. */
  function bruteForce(objective: Objective, target: number, wa: number, wb: number, aMax: number, bMax: number) {
    let best: { cost: number; value: number } | undefined;
    for (let a = 1; a <= aMax; a++) {
      for (let b = 1; b <= bMax; b++) {
        const y = objective({ a, b });
        if (typeof y !== "number" || y < target) continue;
        const cost = wa * a + wb * b;
        if (best === undefined || cost < best.cost || (cost === best.cost && y > best.value)) best = { cost, value: y };
      }
    }
    return best;
  }

  it("when nodes cost 300 and replicas 2000 then the cheapest combination meeting 0.999 is the one a brute-force scan of the grid finds", () => {
    // by hand: b ≥ 10 (0.5^10 = 9.8e-4 < 1e-3); at b = 10, 1 − 0.3^a ≥ 0.999 / (1 − 0.5^10) needs
    // 0.3^a ≤ 2.3e-5, a ≥ 9: 9 × 300 + 10 × 2000 = 22 700; at b = 11, a ≥ 7: 24 100; more b costs more
    const reference = bruteForce(series, 0.999, 300, 2000, 20, 15);
    expect(reference?.cost).toBe(22_700);
    const result = runSearch(
      probeOf(series),
      request(["a", "b"], atLeast(0.999), { minimize: "a*300+b*2000" }),
      MODEL,
      [counts("a", 1, 20), counts("b", 1, 15)],
      {
        cost: linearCost(300, 2000),
      },
    );
    expect(result.goal).toBe("cheapest");
    expect(result.answer?.cost).toBe(reference?.cost);
    expect(result.answer?.reading.value).toBe(reference?.value);
    expect(result.minimize).toBe("a*300+b*2000");
  });

  it("property: for any weights, target and refusals, the answer's cost and value are the brute-force scan's, and only the combinations no dearer than it are computed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0.5, max: 0.99999, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        (wa, wb, target, refusedEvery) => {
          // with refusedEvery = k > 0, every combination with (a + b) % (k + 1) = 0 is refused
          const objective: Objective = (x) =>
            refusedEvery > 0 && ((x.a as number) + (x.b as number)) % (refusedEvery + 1) === 0 ? "refused" : series(x);
          const reference = bruteForce(objective, target, wa, wb, 12, 12);
          // never every combination refused (a + b takes 23 values), so the search never throws
          const result = runSearch(
            probeOf(objective),
            request(["a", "b"], atLeast(target), { minimize: "cost" }),
            MODEL,
            [counts("a", 1, 12), counts("b", 1, 12)],
            {
              cost: linearCost(wa, wb),
            },
          );
          if (reference === undefined) {
            expect(result.met).toBe(false);
            expect(result.evaluated + result.refused).toBe(144);
            return;
          }
          expect(result.answer?.cost).toBe(reference.cost);
          expect(result.answer?.reading.value).toBe(reference.value);
          let noDearer = 0;
          for (let a = 1; a <= 12; a++) for (let b = 1; b <= 12; b++) if (wa * a + wb * b <= reference.cost) noDearer++;
          expect(result.evaluated + result.refused).toBe(noDearer);
        },
      ),
      { seed: 99, numRuns: 150 },
    );
  });
});

/** n choose k, exactly for small n */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}
