import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectRelativelyClose } from "../helpers/close.js";
import { run, runJson } from "../helpers/inProcess.js";
import { chainUnavailability } from "../helpers/quorumChain.js";
import { Rational } from "../helpers/rational.js";

const HELD_OUT = "test/fixtures/plan/held-out-majority.yaml";
// the presets as of before issue 10 (test/fixtures/classic/README.md): nine node counts of
// each, swept and solved; the current presets' maintenance chains make that minutes long
const PRESETS = readdirSync("test/fixtures/classic")
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => `test/fixtures/classic/${f}`);

/** Exact P(majority lost) for n independent nodes each down with probability u (binomial tail). */
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

/** Smallest (or largest) n in 1..top with U(n) ≤ limit, by brute force in exact arithmetic. */
function bruteForce(limit: Rational, top: number, end: "min" | "max"): number | undefined {
  const ok = (n: number) => limit.sub(majorityUnavailability(n, Rational.of("0.01"))).num >= 0n;
  const ns = Array.from({ length: top }, (_, i) => i + 1).filter(ok);
  return end === "min" ? ns[0] : ns[ns.length - 1];
}

describe("mqrel solve: counts, searched without assuming monotonicity", () => {
  it("when even node counts are worse than the odd count below them then the true minimum is returned", async () => {
    // U(n) for u = 0.01, majority quorum (exact binomial tails, see sweep.test.ts):
    // 3: 2.98e-4, 4: 5.92e-4, 5: 9.85e-6, 6: 1.96e-5, 7: 3.42e-7, 8: 6.78e-7, 9: 1.22e-8.
    // For U ≤ 5e-7 the feasible set is {7, 9, 10, …}: 8 is not in it, so a bisection that
    // assumed monotonicity and probed 8 would answer 9.
    for (const [target, limit] of [
      [">= 99.97%", "0.0003"],
      [">= 0.99999", "0.00001"],
      [">= 99.99995%", "0.0000005"],
    ] as const) {
      const json = await runJson(["solve", HELD_OUT, "--for", "cluster.nodes", "--target", target, "--json"]);
      const expected = bruteForce(Rational.of(limit), 30, "min");
      expect(json.value, target).toBe(expected);
      expectRelativelyClose(
        json.metric_complement,
        majorityUnavailability(expected as number, Rational.of("0.01")).toNumber(),
        1e-12,
        target,
      );
    }
  });

  it("when asked for the largest count then it is the largest in the range, found exhaustively", async () => {
    const json = await runJson([
      "solve",
      HELD_OUT,
      "--for",
      "cluster.nodes",
      "--target",
      ">= 99.97%",
      "--find",
      "max",
      "--range",
      "cluster.nodes=1..8",
      "--json",
    ]);
    expect(json.value).toBe(bruteForce(Rational.of("0.0003"), 8, "max"));
    expect(json.goal).toBe("max");
  });

  it("prints the fixed JSON shape of docs/design.md §5 {for, value, metric, metric_value}", async () => {
    const json = await runJson([
      "solve",
      "test/fixtures/classic/nats-jetstream-r3.yaml",
      "--for",
      "cluster.nodes",
      "--metric",
      "cluster.availability",
      "--target",
      ">= 0.99999",
      "--json",
    ]);
    expect(json).toMatchObject({ for: "cluster.nodes", value: 3, metric: "cluster.availability", met: true });
    expect(typeof json.metric_value).toBe("number");
    expect(json.searched).toEqual([{ path: "cluster.nodes", method: "whole numbers", from: 1, to: 1000, values: 1000 }]);
  });

  it("when nothing in the range meets the target then it exits 1 and names the common cause as the reason", async () => {
    const r = await run([
      "solve",
      "test/fixtures/classic/rabbitmq-quorum-3.yaml",
      "--for",
      "cluster.nodes",
      "--metric",
      "cluster.availability",
      "--target",
      ">= 0.99999",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Nothing in the searched range meets cluster\.availability >= 0\.99999/);
    expect(r.stdout).toMatch(/The common cause alone keeps the unavailability at or above 2\.281e-5 \(4\.64 nines\)/);
    const json = await runJson(
      [
        "solve",
        "test/fixtures/classic/rabbitmq-quorum-3.yaml",
        "--for",
        "cluster.nodes",
        "--range",
        "cluster.nodes=1..20",
        "--target",
        ">= 0.99999",
        "--json",
      ],
      1,
    );
    expect(json).toMatchObject({ for: "cluster.nodes", value: null, metric: "cluster.availability", metric_value: null, met: false });
    // λ_cc = 0.1 / 8766 h, μ_cc = 1 / 2 h; π_C = λ_cc / (λ_cc + μ_cc) (hand; python: 2.281490269444001e-05)
    expectRelativelyClose(json.common_cause_floor.unavailability, 2.281490269444001e-5, 1e-13);
  });

  it("when sweep and solve look at the same node counts of a preset then they agree", async () => {
    for (const preset of PRESETS) {
      for (const target of [undefined, ">= 0.99999"]) {
        const set = target ? ["--set", `slo.cluster.availability=${target}`] : [];
        const sweep = await runJson([
          "sweep",
          preset,
          "--vary",
          "cluster.nodes=1..9",
          "--metric",
          "cluster.availability",
          "--format",
          "json",
          ...set,
        ]);
        if (sweep.slo["cluster.availability"] === undefined) continue;
        const first = sweep.rows.find(
          (row: { metrics: Record<string, { meets_slo?: boolean }> }) => row.metrics["cluster.availability"]?.meets_slo,
        );
        const r = await run(["solve", preset, "--for", "cluster.nodes", "--range", "cluster.nodes=1..9", "--json", ...set]);
        const solved = JSON.parse(r.stdout);
        expect(solved.target_from, preset).toBe("slo");
        expect(solved.value, `${preset} ${target ?? "own SLO"}`).toBe(first ? first.params["cluster.nodes"] : null);
        expect(r.code).toBe(first ? 0 : 1);
        if (first) expect(solved.metric_value).toBe(first.metrics["cluster.availability"].value);
      }
    }
  });
});

describe("mqrel solve: continuous fields, bisection to a stated tolerance", () => {
  it("when the longest MTTR for four nines is asked then it sits on the boundary within the tolerance", async () => {
    const json = await runJson([
      "solve",
      "test/fixtures/classic/rabbitmq-quorum-3.yaml",
      "--for",
      "cluster.node.mttr",
      "--target",
      ">= 99.99%",
      "--json",
    ]);
    expect(json.goal).toBe("max");
    expect(json.tolerance).toBe(1e-6);
    const mttr = json.value as number;
    // independent: the chain solved in exact rationals (mtbf 2 years = 17532 h, cc 0.1/8766 per h, 2 h)
    const chain = { nodes: 3, quorum: 2, crews: 1, mtbfHours: 17532, ccRatePerHour: 0.1 / 8766, ccMttrHours: 2 };
    const at = chainUnavailability({ ...chain, mttrHours: mttr });
    const beyond = chainUnavailability({ ...chain, mttrHours: mttr * (1 + 2e-6) });
    expect(at).toBeLessThanOrEqual(1e-4 * (1 + 1e-12));
    expect(beyond).toBeGreaterThan(1e-4);
    expectRelativelyClose(json.metric_complement, at, 1e-10);
  });

  it("when a probability near 1 is solved for then it is searched on its complement", async () => {
    // default.yaml: 4 attempts start before the 120 s deadline (0, 30.1, 60.3, 90.7 s), so
    // retry.success = 1 − (1 − p)^4 ≥ 0.99999 ⇔ 1 − p ≤ 1e-5^(1/4) = 0.05623413251903491 (python)
    const json = await runJson([
      "solve",
      "test/fixtures/classic/default.yaml",
      "--for",
      "retry.p_success",
      "--metric",
      "retry.success",
      "--target",
      ">= 0.99999",
      "--json",
    ]);
    expect(json.goal).toBe("min");
    expectRelativelyClose(1 - json.value, 0.05623413251903491, 2e-6);
    expect(json.metric_complement).toBeLessThanOrEqual(1e-5 * (1 + 1e-12));
    expect(json.searched[0].on_complement).toBe(true);
  });

  it("when every value up to the end of the range meets the target then it says the boundary may lie beyond", async () => {
    const json = await runJson([
      "solve",
      "test/fixtures/classic/default.yaml",
      "--for",
      "cluster.node.mttr",
      "--range",
      "cluster.node.mttr=1 min..10 min",
      "--target",
      ">= 99.99%",
      "--json",
    ]);
    expect(json.at_range_end).toBe(true);
    expect(json.value).toBeCloseTo(10 / 60, 12);
  });
});

describe("mqrel solve --minimize", () => {
  it("when nodes and crews have costs then the cheapest combination meeting the target is returned", async () => {
    // Cheaper than 3 nodes + 1 crew (2900) are only (1, 1) = 2300 and (2, 1) = 2600; neither
    // meets 99.99 %: one node alone is down u = 4/17536 = 2.3e-4 of the time, and 2 of 2
    // nodes are down at least 2u(1 − u) ≈ 4.6e-4 of the time (hand).
    const json = await runJson([
      "solve",
      "test/fixtures/classic/rabbitmq-quorum-3.yaml",
      "--for",
      "cluster.nodes",
      "--for",
      "cluster.repair_crews",
      "--target",
      ">= 99.99%",
      "--minimize",
      "cluster.nodes * 300 + cluster.repair_crews * 2000",
      "--json",
    ]);
    expect(json.for).toEqual(["cluster.nodes", "cluster.repair_crews"]);
    expect(json.value).toEqual({ "cluster.nodes": 3, "cluster.repair_crews": 1 });
    expect(json.cost).toBe(2900);
    expect(json.evaluated).toBe(3);
  });

  it("when the cost expression reaches outside the sandbox or names no field then it exits 2 with one line", async () => {
    for (const [expression, message] of [
      ['import("fs")', /disabled/],
      ["cluster.nodes.length", /no numeric field cluster\.nodes\.length/],
      ["cluster.nodes * cluster.bogus", /no numeric field cluster\.bogus/],
    ] as const) {
      const r = await run(["solve", HELD_OUT, "--for", "cluster.nodes", "--minimize", expression]);
      expect(r.code, expression).toBe(2);
      expect(r.stderr.trim().split("\n"), expression).toHaveLength(1);
      expect(r.stderr, expression).toMatch(message);
    }
  });

  it("when the request cannot be searched then it exits 2 saying why", async () => {
    const several = await run(["solve", HELD_OUT, "--for", "cluster.nodes", "--for", "cluster.quorum"]);
    expect(several.stderr).toMatch(/several --for need --minimize/);
    const noTarget = await run([
      "solve",
      "test/fixtures/classic/nats-jetstream-r3.yaml",
      "--for",
      "cluster.nodes",
      "--metric",
      "cluster.mttf",
    ]);
    expect(noTarget.stderr).toMatch(/give --target: the model has no SLO for cluster\.mttf/);
    const param = await run(["solve", "test/fixtures/classic/default.yaml", "--for", "params.unknown_thing", "--target", ">= 99%"]);
    expect(param.stderr).toMatch(/no numeric field params\.unknown_thing|which end/);
    for (const r of [several, noTarget, param]) expect(r.code).toBe(2);
  });

  it("lists the four planning examples in --help", async () => {
    const r = await run(["solve", "--help"]);
    expect(r.stdout).toMatch(/fewest nodes for five nines/);
    expect(r.stdout).toMatch(/longest instance repair time/);
    expect(r.stdout).toMatch(/fewest retry attempts within/);
    expect(r.stdout).toMatch(/cheapest nodes × repair crews/);
  });
});

describe("mqrel solve, bad requests", () => {
  it("when no value of the field makes a valid model then it is bad input (exit 2), not a missed target", async () => {
    // NATS has no retry block: retry.attempts alone is not a valid retry block
    const r = await run(["solve", "test/fixtures/classic/nats-jetstream-r3.yaml", "--for", "retry.attempts", "--target", ">= 0.999"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/retry\.p_success: missing field/);
  });
});
