/**
 * `solve` with several targets (src/plan/solve.ts `runSearch`), through the PointProbe
 * seam: fake metrics that are plain functions of the field's value, no model. "Meets" is
 * the conjunction of every target. Each reference answer comes from a brute-force pass
 * written here over every point (no order, no early stop) or from closed-form roots; the
 * binding target is checked against the same brute force: at the answer every target is
 * met, and at its less demanding neighbour the ones named as binding are the ones missed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { METRIC, type MetricId, type Threshold } from "../../src/metrics/index.js";
import type { CostFunction } from "../../src/plan/cost.js";
import type { MetricReading } from "../../src/plan/evaluate.js";
import {
  DEFAULT_TOLERANCE,
  intervalSpace,
  type PointProbe,
  type PointReading,
  runSearch,
  type SearchSpace,
  type SolveRequest,
  type SolveTarget,
  space,
} from "../../src/plan/solve.js";
import type { VariedValue } from "../../src/plan/vary.js";

/** Two metric ids for the fake metrics (any two ids of the registry do: the search only keys readings by them). */
const A = METRIC.clusterAvailability;
const L = METRIC.messageLoss;
const MODEL = { name: "fake", file: "fake.yaml" };

/** Fake metrics: each metric's value at the fields' values, or a refusal of the whole point. */
type Metrics = (x: Readonly<Record<string, number>>) => Partial<Record<MetricId, number>> | "refused";

/** The probe of fake metrics; a metric's score is its value (only the cheapest search's ties read it). */
function probeOf(metrics: Metrics): PointProbe {
  return (values): PointReading => {
    const x = Object.fromEntries([...values].map(([path, v]) => [path, v.value as number]));
    const y = metrics(x);
    if (y === "refused") return { kind: "refused", error: new InputError(`no model at ${JSON.stringify(x)}`, { path: "fake.field" }) };
    const readings = new Map<MetricId, MetricReading>();
    for (const [id, value] of Object.entries(y)) readings.set(id as MetricId, { value: value as number, score: value as number });
    return { kind: "reading", readings };
  };
}

function threshold(operator: ">=" | "<=", target: number): Threshold {
  return { operator, text: `${operator} ${target}`, target };
}

function target(metric: MetricId, operator: ">=" | "<=", value: number): SolveTarget {
  return { metric, threshold: threshold(operator, value), from: "target" };
}

function request(paths: readonly string[], targets: readonly SolveTarget[], extra: Partial<SolveRequest> = {}): SolveRequest {
  return { paths, targets, ranges: new Map(), ...extra };
}

/** A target met by a plain value, as brute force judges it (values here are thousandths: no tie tolerance matters). */
function meets(t: SolveTarget, y: number | undefined): boolean {
  if (y === undefined) return false;
  return t.threshold.operator === ">=" ? y >= t.threshold.target : y <= t.threshold.target;
}

function counts(path: string, low: number, high: number): SearchSpace {
  const values: VariedValue[] = Array.from({ length: high - low + 1 }, (_, i) => ({ text: String(low + i), value: low + i }));
  return space(path, "plain", "whole numbers", values, false, false);
}

function searched(candidate: { values: ReadonlyMap<string, VariedValue> } | undefined, path = "n"): number | undefined {
  return candidate?.values.get(path)?.value as number | undefined;
}

describe("solve's whole-number scan with several targets", () => {
  it("when availability rises with n and loss rises with n too then the answer is the first n meeting both, and the target missed one step before binds", () => {
    // a(n) = 1 − 0.5^n ≥ 0.99 needs n ≥ 7 (0.5^7 = 0.0078); l(n) = n · 1e-4 ≤ 1e-3 needs n ≤ 10.
    // Least demanding is the smallest n: 7 meets both, 6 misses a (0.984): availability binds.
    const result = runSearch(
      probeOf(({ n }) => ({ [A]: 1 - 0.5 ** (n as number), [L]: (n as number) * 1e-4 })),
      request(["n"], [target(A, ">=", 0.99), target(L, "<=", 1e-3)]),
      MODEL,
      [counts("n", 1, 30)],
      { goal: "min" },
    );
    expect(searched(result.answer)).toBe(7);
    expect(result.answer?.targets.map((t) => t.pass)).toEqual([true, true]);
    expect(result.binding?.missed).toEqual([0]);
    expect(searched(result.binding)).toBe(6);
    // searched from the other end (--find max): 10 meets both, 11 misses the loss target, which binds
    const max = runSearch(
      probeOf(({ n }) => ({ [A]: 1 - 0.5 ** (n as number), [L]: (n as number) * 1e-4 })),
      request(["n"], [target(A, ">=", 0.99), target(L, "<=", 1e-3)]),
      MODEL,
      [counts("n", 1, 30)],
      { goal: "max" },
    );
    expect([searched(max.answer), searched(max.binding), max.binding?.missed]).toEqual([10, 11, [1]]);
  });

  it("when the least demanding value meets every target then none binds", () => {
    const result = runSearch(
      probeOf(() => ({ [A]: 1, [L]: 0 })),
      request(["n"], [target(A, ">=", 0.5), target(L, "<=", 0.1)]),
      MODEL,
      [counts("n", 1, 5)],
      {
        goal: "min",
      },
    );
    expect([searched(result.answer), result.binding]).toEqual([1, undefined]);
  });

  it("when the neighbour is refused then the binding says so and names no target", () => {
    const result = runSearch(
      probeOf(({ n }) => ((n as number) === 2 ? "refused" : { [A]: (n as number) / 10, [L]: 0 })),
      request(["n"], [target(A, ">=", 0.3), target(L, "<=", 0.1)]),
      MODEL,
      [counts("n", 1, 5)],
      { goal: "min" },
    );
    // 1 misses (0.1), 2 is refused, 3 meets: its neighbour is the refused 2
    expect([searched(result.answer), searched(result.binding), result.binding?.why, result.binding?.missed]).toEqual([3, 2, "refused", []]);
  });

  it("when a probe's point lacks one target's metric then the point is counted as refused (unread)", () => {
    const result = runSearch(
      probeOf(({ n }) => ((n as number) < 3 ? { [A]: 1 } : { [A]: 1, [L]: 0 })),
      request(["n"], [target(A, ">=", 0.5), target(L, "<=", 0.1)]),
      MODEL,
      [counts("n", 1, 5)],
      { goal: "min" },
    );
    expect([searched(result.answer), result.refused, result.binding?.why]).toEqual([3, 2, "unread"]);
  });

  it("when nothing meets both then the best is the point meeting the most targets, then the least relative shortfall", () => {
    // a(n) = n/10 ≥ 0.75 needs n ≥ 8; l(n) = n/100 ≤ 0.05 needs n ≤ 5: no n meets both.
    // Every n meets one; the worst relative margins: n ≤ 5: (n/10 − 0.75)/0.75, n ≥ 8: (0.05 − n/100)/0.05;
    // n = 5: −0.333, n = 8: −0.6, n = 6 and 7 meet neither. Best: n = 5.
    const result = runSearch(
      probeOf(({ n }) => ({ [A]: (n as number) / 10, [L]: (n as number) / 100 })),
      request(["n"], [target(A, ">=", 0.75), target(L, "<=", 0.05)]),
      MODEL,
      [counts("n", 1, 10)],
      { goal: "min" },
    );
    expect(result.met).toBe(false);
    expect(searched(result.best)).toBe(5);
    expect(result.best?.targets.map((t) => t.pass)).toEqual([false, true]);
  });

  it("when the floor rules a point out then the targets it misses are the binding ones", () => {
    const probe: PointProbe = (values) =>
      (values.get("n")?.value as number) < 4
        ? { kind: "pruned", floor: 1e-3, missed: [1] }
        : {
            kind: "reading",
            readings: new Map([
              [A, { value: 1, score: 1 }],
              [L, { value: 0, score: 0 }],
            ]),
          };
    const result = runSearch(probe, request(["n"], [target(L, "<=", 0.1), target(A, ">=", 0.5)]), MODEL, [counts("n", 1, 10)], {
      goal: "min",
    });
    expect([searched(result.answer), searched(result.binding), result.binding?.why, result.binding?.missed]).toEqual([4, 3, "pruned", [1]]);
  });

  it("property: on any two tables, with refusals, the answer is the first value meeting both that a plain scan finds, and the binding targets are exactly those missed one step before", () => {
    const thousandths = fc.integer({ min: 0, max: 1000 }).map((i) => i / 1000);
    const row = fc.oneof(fc.constant<"refused">("refused"), fc.tuple(thousandths, thousandths));
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 40 }),
        thousandths,
        thousandths,
        fc.constantFrom<"min" | "max">("min", "max"),
        (table, ta, tl, goal) => {
          fc.pre(table.some((y) => y !== "refused"));
          const targets = [target(A, ">=", ta), target(L, "<=", tl)];
          const metrics: Metrics = ({ n }) => {
            const y = table[(n as number) - 1] as [number, number] | "refused";
            return y === "refused" ? y : { [A]: y[0], [L]: y[1] };
          };
          const result = runSearch(probeOf(metrics), request(["n"], targets), MODEL, [counts("n", 1, table.length)], { goal });
          // brute force: every n, judged on every target, in the goal's order
          const order = table.map((_, i) => i + 1);
          if (goal === "max") order.reverse();
          const misses = (n: number): number[] | "refused" => {
            const y = table[n - 1] as [number, number] | "refused";
            return y === "refused" ? y : targets.flatMap((t, i) => (meets(t, y[i]) ? [] : [i]));
          };
          const answer = order.find((n) => {
            const m = misses(n);
            return m !== "refused" && m.length === 0;
          });
          if (answer === undefined) {
            expect(result.met).toBe(false);
            return;
          }
          expect(searched(result.answer)).toBe(answer);
          const before = order[order.indexOf(answer) - 1];
          if (before === undefined) {
            expect(result.binding).toBeUndefined();
            return;
          }
          expect(searched(result.binding)).toBe(before);
          const missed = misses(before);
          expect(result.binding?.missed).toEqual(missed === "refused" ? [] : missed);
          // the neighbour fails: refused, or at least one target missed
          if (missed !== "refused") expect(missed.length).toBeGreaterThan(0);
        },
      ),
      { seed: 2020, numRuns: 300 },
    );
  });
});

describe("solve's continuous search with targets whose directions disagree", () => {
  // a(x) = 1 − exp(−x) rises with x: a ≥ 0.99 ⇔ x ≥ ln 100 = 4.605170185988091;
  // l(x) = 1e-6 · x² rises with x: l ≤ 1e-4 ⇔ x ≤ 10. Both met on [ln 100, 10] (closed forms).
  const low = Math.log(100);
  const high = 10;
  const metrics: Metrics = ({ x }) => ({ [A]: -Math.expm1(-(x as number)), [L]: 1e-6 * (x as number) ** 2 });
  const targets = [target(A, ">=", 0.99), target(L, "<=", 1e-4)];

  it("when the least x is sought then the answer is ln 100 to the tolerance, and availability binds", () => {
    const result = runSearch(probeOf(metrics), request(["x"], targets), MODEL, [intervalSpace("x", "plain", 0.1, 100, false)], {
      goal: "min",
    });
    const x = searched(result.answer, "x") as number;
    expect(x).toBeGreaterThanOrEqual(low);
    expect((x - low) / low).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
    expect(result.binding?.missed).toEqual([0]);
    // the neighbour the bisection last found missing is within the tolerance below the answer, and misses availability only
    const before = searched(result.binding, "x") as number;
    expect(before).toBeLessThan(x);
    expect((x - before) / x).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
    expect([meets(targets[0] as SolveTarget, -Math.expm1(-before)), meets(targets[1] as SolveTarget, 1e-6 * before ** 2)]).toEqual([
      false,
      true,
    ]);
  });

  it("when the largest x is sought then the answer is 10 to the tolerance, and the loss target binds", () => {
    const result = runSearch(probeOf(metrics), request(["x"], targets), MODEL, [intervalSpace("x", "plain", 0.1, 100, false)], {
      goal: "max",
    });
    const x = searched(result.answer, "x") as number;
    // "meets" is ≤ 1e-4 up to the comparison's tie tolerance (a relative 1e-12)
    expect(x).toBeLessThanOrEqual(high * (1 + 1e-12));
    expect((high - x) / x).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
    expect(result.binding?.missed).toEqual([1]);
  });

  it("property: for any feasible interval inside the range, the least and the largest x are its ends to the tolerance, the answer meets both and the neighbour misses the target that binds", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 40, noNaN: true }),
        fc.double({ min: 1.2, max: 20, noNaN: true }),
        fc.constantFrom<"min" | "max">("min", "max"),
        fc.constantFrom(1e-3, 1e-6, 1e-9),
        (a, ratio, goal, tolerance) => {
          // metric A = x ≥ a, metric L = x ≤ b = a · ratio: the feasible interval [a, b], wider than a grid step
          // (the 61-point geometric grid over 0.1…1000 steps by 10^(4/60) ≈ 1.166)
          const b = a * ratio;
          const ts = [target(A, ">=", a), target(L, "<=", b)];
          const result = runSearch(
            probeOf(({ x }) => ({ [A]: x as number, [L]: x as number })),
            request(["x"], ts, { tolerance }),
            MODEL,
            [intervalSpace("x", "plain", 0.1, 1000, false)],
            { goal },
          );
          const x = searched(result.answer, "x") as number;
          const end = goal === "min" ? a : b;
          expect(x).toBeGreaterThanOrEqual(a * (1 - 1e-12));
          expect(x).toBeLessThanOrEqual(b * (1 + 1e-12));
          expect(Math.abs(x - end)).toBeLessThanOrEqual(tolerance * x + 1e-12 * end);
          const before = searched(result.binding, "x") as number;
          const binds = goal === "min" ? 0 : 1;
          expect(result.binding?.missed).toEqual([binds]);
          expect(meets(ts[binds] as SolveTarget, before)).toBe(false);
        },
      ),
      { seed: 77, numRuns: 200 },
    );
  });
});

describe("solve --minimize with several targets", () => {
  function linearCost(wa: number, wb: number): CostFunction {
    return (values) => wa * (values.get("a")?.value.value as number) + wb * (values.get("b")?.value.value as number);
  }
  // availability of a nodes (one must be up) in series with b replicas; loss grows with the replicas' copies in flight
  const metrics: Metrics = ({ a, b }) => ({ [A]: (1 - 0.3 ** (a as number)) * (1 - 0.5 ** (b as number)), [L]: (b as number) * 1e-5 });

  it("property: for any weights and targets, the answer's cost is the brute-force scan's least cost meeting both, and the binding combination is the dearest one cheaper than it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
        fc.integer({ min: 1, max: 12 }),
        (wa, wb, ta, maxReplicas) => {
          const ts = [target(A, ">=", ta), target(L, "<=", maxReplicas * 1e-5)];
          const result = runSearch(
            probeOf(metrics),
            request(["a", "b"], ts, { minimize: "cost" }),
            MODEL,
            [counts("a", 1, 12), counts("b", 1, 12)],
            {
              cost: linearCost(wa, wb),
            },
          );
          // brute force over all 144 combinations
          let least: number | undefined;
          const all: { cost: number; missed: number[] }[] = [];
          for (let a = 1; a <= 12; a++) {
            for (let b = 1; b <= 12; b++) {
              const y = metrics({ a, b }) as Record<MetricId, number>;
              const missed = ts.flatMap((t, i) => (meets(t, y[t.metric]) ? [] : [i]));
              const cost = wa * a + wb * b;
              all.push({ cost, missed });
              if (missed.length === 0 && (least === undefined || cost < least)) least = cost;
            }
          }
          if (least === undefined) {
            expect(result.met).toBe(false);
            return;
          }
          expect(result.answer?.cost).toBe(least);
          expect(result.answer?.targets.every((t) => t.pass)).toBe(true);
          const cheaper = all.filter((c) => c.cost < (least as number));
          if (cheaper.length === 0) {
            expect(result.binding).toBeUndefined();
            return;
          }
          const dearest = Math.max(...cheaper.map((c) => c.cost));
          const at = result.binding?.values as ReadonlyMap<string, VariedValue>;
          const bindingCost = wa * (at.get("a")?.value as number) + wb * (at.get("b")?.value as number);
          expect(bindingCost).toBe(dearest);
          // the binding targets are the ones that combination misses, judged here
          const y = metrics({ a: at.get("a")?.value as number, b: at.get("b")?.value as number }) as Record<MetricId, number>;
          expect(result.binding?.missed).toEqual(ts.flatMap((t, i) => (meets(t, y[t.metric]) ? [] : [i])));
          expect(result.binding?.missed.length).toBeGreaterThan(0);
        },
      ),
      { seed: 31, numRuns: 150 },
    );
  });
});
