import { describe, expect, it } from "vitest";
import { expectRelativelyClose } from "../helpers/close.js";
import { run, runJson } from "../helpers/inProcess.js";
import { Rational } from "../helpers/rational.js";

const HELD_OUT = "test/fixtures/plan/held-out-majority.yaml";

/** P(at least n − k + 1 of n nodes down), each down with probability u: exact binomial sum. */
function majorityUnavailability(n: number, u: Rational): Rational {
  const k = Math.floor(n / 2) + 1;
  const a = Rational.of(1).sub(u);
  let total = Rational.of(0);
  let binomial = 1n;
  for (let down = 0; down <= n; down++) {
    if (down > 0) binomial = (binomial * BigInt(n - down + 1)) / BigInt(down);
    if (down >= n - k + 1) total = total.add(new Rational(binomial).mul(u.pow(down)).mul(a.pow(n - down)));
  }
  return total;
}

describe("mqrel sweep", () => {
  it("when nodes vary 1..9 on a majority quorum then every row's unavailability is the exact binomial tail", async () => {
    // reference: exact rational binomial sums; cross-checked with
    // python3 -c "from fractions import Fraction as F; from math import comb; u=F(1,100); print([float(sum(comb(n,d)*u**d*(1-u)**(n-d) for d in range(n-(n//2+1)+1,n+1))) for n in range(1,10)])"
    // → [0.01, 0.0199, 0.000298, 0.00059203, 9.8506e-06, 1.955359e-05, 3.416698e-07, 6.778784035e-07, 1.218536857e-08]
    const json = await runJson(["sweep", HELD_OUT, "--vary", "cluster.nodes=1..9", "--format", "json"]);
    expect(json.rows).toHaveLength(9);
    json.rows.forEach((row: { params: Record<string, number>; metrics: Record<string, { complement: number }> }, i: number) => {
      const n = i + 1;
      expect(row.params["cluster.nodes"]).toBe(n);
      const exact = majorityUnavailability(n, Rational.of("0.01")).toNumber();
      expectRelativelyClose(row.metrics["cluster.availability"]?.complement as number, exact, 1e-12, `n = ${n}`);
    });
  });

  it("when the model has an SLO then each row says whether it meets it and the first that does is marked", async () => {
    const json = await runJson(["sweep", HELD_OUT, "--vary", "cluster.nodes=1..6", "--format", "json"]);
    expect(json.slo).toEqual({ "cluster.availability": ">= 99.97%" });
    const meets = json.rows.map(
      (row: { metrics: Record<string, { meets_slo: boolean }> }) => row.metrics["cluster.availability"]?.meets_slo,
    );
    // U ≤ 3e-4: 1e-2 no, 1.99e-2 no, 2.98e-4 yes, 5.92e-4 no, 9.85e-6 yes, 1.96e-5 yes (values above)
    expect(meets).toEqual([false, false, true, false, true, true]);
    const first = json.rows.map(
      (row: { metrics: Record<string, { first_to_meet?: boolean }> }) => row.metrics["cluster.availability"]?.first_to_meet === true,
    );
    expect(first).toEqual([false, false, true, false, false, false]);
    const text = await run(["sweep", HELD_OUT, "--vary", "cluster.nodes=1..6"]);
    expect(text.stdout).toMatch(/cluster\.availability first meets >= 99\.97% at cluster\.nodes = 3/);
    expect(text.stdout).toMatch(/← first/);
  });

  it("when a range has units then the values are generated in them and reported in hours", async () => {
    const json = await runJson([
      "sweep",
      "test/fixtures/classic/single-node.yaml",
      "--vary",
      "cluster.node.mttr=30 min..2 h:30 min",
      "--metric",
      "cluster.availability",
      "--format",
      "json",
    ]);
    const mttrs = json.rows.map((row: { params: Record<string, number> }) => row.params["cluster.node.mttr"]);
    expect(mttrs).toEqual([0.5, 1, 1.5, 2]);
    // single node, mtbf 2 years = 17532 h: U = mttr / (17532 + mttr), by hand
    json.rows.forEach((row: { metrics: Record<string, { complement: number }> }, i: number) => {
      const mttr = mttrs[i] as number;
      expectRelativelyClose(row.metrics["cluster.availability"]?.complement as number, mttr / (17532 + mttr), 1e-13);
    });
    expect(Object.keys(json.rows[0].metrics)).toEqual(["cluster.availability"]);
  });

  it("when the range spans decades then it is geometric, 10 steps", async () => {
    const json = await runJson([
      "sweep",
      "test/fixtures/classic/default.yaml",
      "--vary",
      "cluster.node.mttr=6 min..60 h",
      "--metric",
      "cluster.availability",
      "--format",
      "json",
    ]);
    const mttrs: number[] = json.rows.map((row: { params: Record<string, number> }) => row.params["cluster.node.mttr"]);
    expect(mttrs).toHaveLength(11);
    // 6 min = 0.1 h to 60 h is a factor 600: 0.1 h · 600^(i/10) for i = 0..10
    mttrs.forEach((m, i) => {
      expectRelativelyClose(m, 0.1 * 600 ** (i / 10), 1e-11);
    });
  });

  it("when a list and a second --vary are given then rows are their product and the chart has a line per value", async () => {
    const json = await runJson([
      "sweep",
      "test/fixtures/classic/default.yaml",
      "--vary",
      "cluster.nodes=3,5",
      "--vary",
      "cluster.common_cause.rate=0,0.1 / year",
      "--metric",
      "cluster.availability",
      "--format",
      "json",
    ]);
    const pairs = json.rows.map((row: { params: Record<string, number> }) => [
      row.params["cluster.nodes"],
      row.params["cluster.common_cause.rate"],
    ]);
    expect(pairs.map((p: number[]) => p[0])).toEqual([3, 5, 3, 5]);
    expect(pairs.slice(0, 2).map((p: number[]) => p[1])).toEqual([0, 0]);
    // 0.1 / year in per hour: 0.1 / 8766
    for (const p of pairs.slice(2)) expectRelativelyClose(p[1], 0.1 / 8766, 1e-15);
    const text = await run([
      "sweep",
      "test/fixtures/classic/default.yaml",
      "--vary",
      "cluster.nodes=3,5",
      "--vary",
      "cluster.common_cause.rate=0,0.1 / year",
      "--metric",
      "cluster.availability",
    ]);
    expect(text.stdout).toMatch(/── cluster\.common_cause\.rate=0 {2,}── cluster\.common_cause\.rate=0\.1 \/ year/);
    // a list of mixed kinds shows each value as written, not in per-hour units
    expect(text.stdout).toMatch(/│ 0\.1 \/ year +│/);
    expect(text.stdout).not.toMatch(/1\.141e-5/);
  });

  it("when a point is not a valid model then its row says why and the others are computed", async () => {
    const json = await runJson([
      "sweep",
      "test/fixtures/classic/kafka-rf3-minisr2-acks-all.yaml",
      "--vary",
      "cluster.nodes=1..3",
      "--metric",
      "cluster.availability",
      "--format",
      "json",
    ]);
    expect(json.rows[0].error).toMatch(/quorum 2 is more than the 1 node\b/);
    expect(json.rows[0].metrics).toEqual({});
    expect(json.rows[1].metrics["cluster.availability"].value).toBeGreaterThan(0.99);
  });

  it("when every metric is shown then the tables fit the width (as many metrics per table as fit, the varied field in each) and refusals are listed under them", async () => {
    // Act
    const r = await run(["sweep", "test/fixtures/classic/default.yaml", "--vary", "cluster.nodes=1..4", "--no-chart"], 80);

    // Assert
    expect(r.code, r.stderr).toBe(0);
    const widest = Math.max(...r.stdout.split("\n").map((line) => [...line].length));
    expect(widest).toBeLessThanOrEqual(80);
    const shown = await runJson(["sweep", "test/fixtures/classic/default.yaml", "--vary", "cluster.nodes=1..4", "--format", "json"]);
    for (const id of Object.keys(shown.rows[2].metrics)) expect(r.stdout, id).toContain(id);
    expect(r.stdout.match(/│ cluster\.nodes │/g)?.length).toBeGreaterThan(1);
  });

  it("when the table is printed then a chart of nines follows with the node counts under it", async () => {
    const r = await run(["sweep", HELD_OUT, "--vary", "cluster.nodes=1..5"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    const title = lines.findIndex((line) => line.startsWith("cluster.availability, nines"));
    expect(title).toBeGreaterThan(0);
    const axisLine = lines[title + 1] as string;
    expect(axisLine).toMatch(/^ *\d+\.\d\d [┤┼]/);
    expect(lines.slice(title).some((line) => /^ +1 +2 +3 +4 +5$/.test(line))).toBe(true);
    const noChart = await run(["sweep", HELD_OUT, "--vary", "cluster.nodes=1..5", "--no-chart"]);
    expect(noChart.stdout).not.toMatch(/^ *\d+\.\d\d [┤┼]/m);
  });

  it("when asked for CSV then it is one header and one line per point, RFC 4180", async () => {
    const r = await run(["sweep", HELD_OUT, "--vary", "cluster.nodes=2..4", "--format", "csv"]);
    const lines = r.stdout.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "cluster.nodes,node.availability,node.availability.complement,cluster.availability,cluster.availability.complement,cluster.availability.meets_slo,cluster.downtime_per_year,error",
    );
    expect(lines).toHaveLength(4);
    expect(lines[2]?.split(",")[0]).toBe("3");
    expect(Number(lines[2]?.split(",")[4])).toBeCloseTo(2.98e-4, 15);
    const md = await run(["sweep", HELD_OUT, "--vary", "cluster.nodes=2..4", "--format", "markdown"]);
    expect(md.stdout).toMatch(/\| 3 \| .* \| \*\*3\.53 nines ✓\*\* \(first\) \|/);
  });

  it("when the --vary is malformed then it exits 2 with one line", async () => {
    for (const [vary, message] of [
      ["cluster.nodes", /expected path=from\.\.to/],
      ["cluster.node.mttr=1 h..2 / year", /both durations/],
      ["cluster.nodes=9..1", /from must not be above to/],
      ["cluster.nodes=1..100000", /at most 1000/],
      ["cluster.node.mttr=1 h..2 h:*0.5", /factor > 1/],
    ] as const) {
      const r = await run(["sweep", HELD_OUT, "--vary", vary]);
      expect(r.code, vary).toBe(2);
      expect(r.stderr.trim().split("\n"), vary).toHaveLength(1);
      expect(r.stderr, vary).toMatch(message);
      expect(r.stdout).toBe("");
    }
    const unknown = await run(["sweep", HELD_OUT, "--vary", "cluster.nodes=1..3", "--metric", "cluster.availabilty"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/did you mean "cluster\.availability"/);
    const absent = await run(["sweep", HELD_OUT, "--vary", "cluster.nodes=1..3", "--metric", "retry.success"]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/does not compute retry\.success/);
  });
});

describe("mqrel sweep --simulate", () => {
  it("when points are simulated then each carries the estimate and its interval beside the formula", async () => {
    const json = await runJson([
      "sweep",
      "test/fixtures/classic/default.yaml",
      "--vary",
      "cluster.nodes=2..3",
      "--metric",
      "cluster.availability",
      "--simulate",
      "--runs",
      "6",
      "--horizon",
      "500 years",
      "--workers",
      "1",
      "--format",
      "json",
    ]);
    for (const row of json.rows) {
      const cell = row.metrics["cluster.availability"];
      expect(cell.simulated.method).toMatch(/regeneration cycles|runs/);
      const [low, high] = cell.simulated.complement_ci;
      expect(low).toBeLessThanOrEqual(cell.simulated.complement);
      expect(high).toBeGreaterThanOrEqual(cell.simulated.complement);
      expect(cell.simulated.events).toBeGreaterThan(0);
    }
  });
});
