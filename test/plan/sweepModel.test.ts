/**
 * `sweep` in-process on an in-memory model (src/plan/sweep.ts through the model
 * evaluator), and the scores the planning commands rank by (src/plan/evaluate.ts). The
 * reference values are the binomial k-of-n sums written here, not mqrel's formulas.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { METRIC, parseThreshold } from "../../src/metrics/index.js";
import { parseModelText } from "../../src/model/index.js";
import { Evaluator, judge, score } from "../../src/plan/evaluate.js";
import { sweep } from "../../src/plan/sweep.js";
import { parseVariation } from "../../src/plan/vary.js";
import { expectRelativelyClose } from "../helpers/close.js";

/** P(fewer than k of n nodes up), each up with probability a: the k-of-n unavailability, summed from the down side. */
function kOfNDown(n: number, k: number, a: number): number {
  let down = 0;
  for (let i = 0; i < k; i++) {
    let c = 1;
    for (let j = 1; j <= i; j++) c = (c * (n - i + j)) / j;
    down += c * a ** i * (1 - a) ** (n - i);
  }
  return down;
}

const MODEL = `mqrel: 1
cluster:
  nodes: 3
  node: { availability: 0.99 }
slo:
  cluster.availability: ">= 99.999%"
`;

const evaluator = () => new Evaluator(parseModelText(MODEL, "sweep.yaml"), []);
const vary = (text: string) => parseVariation(text, () => undefined);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return `${error.location.path}: ${error.message}`;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("sweep through the model evaluator", () => {
  const result = sweep(evaluator(), [vary("cluster.nodes=1..5"), vary("cluster.quorum=1,2,3")]);

  it("when nodes and quorum are swept then there is a row per pair, nodes fastest, and the refused pairs carry the loader's reason", () => {
    expect(result.rows).toHaveLength(15);
    expect(result.rows.map((r) => `${r.params[0]?.value.text}/${r.params[1]?.value.text}`).slice(0, 6)).toEqual([
      "1/1",
      "2/1",
      "3/1",
      "4/1",
      "5/1",
      "1/2",
    ]);
    expect(result.rows.map((r) => r.series)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    const refused = result.rows.filter((r) => r.error !== undefined).map((r) => r.error);
    // quorum 2 over 1 node, quorum 3 over 1 and 2 nodes
    expect(refused).toEqual(["quorum 2 is more than the 1 node", "quorum 3 is more than the 1 node", "quorum 3 is more than the 2 nodes"]);
  });

  it("when a pair is valid then its availability's complement is the k-of-n sum", () => {
    for (const row of result.rows) {
      if (row.error !== undefined) continue;
      const n = row.params[0]?.value.value as number;
      const k = row.params[1]?.value.value as number;
      const cell = row.metrics.get(METRIC.clusterAvailability);
      expectRelativelyClose(cell?.complement as number, kOfNDown(n, k, 0.99), 1e-12, `${n} nodes, quorum ${k}`);
    }
  });

  it("when the model has an SLO then every cell says whether it meets it, and the first n that does in each series is marked", () => {
    // U ≤ 1e-5: quorum 1 from 3 nodes (1e-6), quorum 2 from 4 (3.97e-6), quorum 3 from 5 (9.85e-6)
    const firsts = [1, 2, 3].map((k) => [1, 2, 3, 4, 5].find((n) => n >= k && kOfNDown(n, k, 0.99) <= 1e-5));
    expect(firsts).toEqual([3, 4, 5]);
    for (const row of result.rows) {
      const cell = row.metrics.get(METRIC.clusterAvailability);
      if (cell === undefined) continue;
      const n = row.params[0]?.value.value as number;
      const k = row.params[1]?.value.value as number;
      expect(cell.meets, `${n}/${k}`).toBe(kOfNDown(n, k, 0.99) <= 1e-5);
      expect(cell.firstToMeet === true, `${n}/${k}`).toBe(firsts[k - 1] === n);
    }
  });

  it("when the chart is drawn then availability is on the nines scale, one series per quorum, refused points as gaps", () => {
    const chart = result.chart;
    expect(chart?.metric).toBe(METRIC.clusterAvailability);
    expect(chart?.scale).toBe("nines");
    expect(chart?.threshold).toBeCloseTo(5, 12); // 99.999 %: five nines
    expect(chart?.series.map((s) => s.label)).toEqual(["cluster.quorum=1", "cluster.quorum=2", "cluster.quorum=3"]);
    const third = chart?.series[2]?.y ?? [];
    expect(third.slice(0, 2)).toEqual([null, null]);
    // 3 nodes all needed: U = 1 − 0.99³ = 0.029701, 1.527 nines
    expect(third[2]).toBeCloseTo(-Math.log10(1 - 0.99 ** 3), 10);
  });

  it("when the sweep is asked for nothing, three fields, or the same field twice then it is refused", () => {
    expect(refusal(() => sweep(evaluator(), []))).toBe("--vary: give one or two --vary");
    expect(refusal(() => sweep(evaluator(), [vary("cluster.nodes=1..2"), vary("cluster.quorum=1"), vary("x=1")]))).toBe(
      "--vary: give one or two --vary",
    );
    expect(refusal(() => sweep(evaluator(), [vary("cluster.nodes=1..2"), vary("cluster.nodes=3..4")]))).toBe(
      "--vary: the two --vary name the same field",
    );
  });

  it("when a metric is asked for that the model does not compute then it is refused", () => {
    expect(refusal(() => sweep(evaluator(), [vary("cluster.nodes=1..2")], [METRIC.messageLoss]))).toMatch(
      /^--metric: the model does not compute message\.loss/,
    );
  });

  it("when every point is refused then the first point's error is thrown, at the --vary flag", () => {
    expect(refusal(() => sweep(evaluator(), [vary("cluster.quorum=5,6")]))).toBe(
      "--vary cluster.quorum: quorum 5 is more than the 3 nodes",
    );
  });
});

describe("scores: how good a reading is, in decades", () => {
  it("when a metric is availability-like then its score is its nines, −log10 of the complement", () => {
    expect(score(METRIC.clusterAvailability, 0.999, 1e-3)).toBeCloseTo(3, 14);
  });

  it("when lower is better (loss, downtime) then the score is −log10 of the value, and +∞ at 0", () => {
    expect(score(METRIC.messageLoss, 1e-9, undefined)).toBeCloseTo(9, 14);
    expect(score(METRIC.clusterDowntimePerYear, 0, undefined)).toBe(Number.POSITIVE_INFINITY);
  });

  it("when higher is better (MTTF) then the score is log10 of the value", () => {
    expect(score(METRIC.clusterMttf, 1e5, undefined)).toBeCloseTo(5, 14);
  });

  it("when a reading is judged then a threshold near 1 is compared on the complements", () => {
    // A ≥ 99.99 % ⇔ U ≤ 1e-4: U = 9e-5 meets with margin 1e-5
    const { pass, margin } = judge(parseThreshold(">= 99.99%", "availability-like"), { value: 1 - 9e-5, complement: 9e-5, score: 0 });
    expect(pass).toBe(true);
    expect(margin).toBeCloseTo(1e-5, 18);
  });
});
