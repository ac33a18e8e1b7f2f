/**
 * `--method` through the command line, in-process: importance sampling on the 3-of-5
 * models near 1e-9 and 1e-12 reaches a 10 % relative error with an interval that covers
 * the exact value (the BigInt-rational birth–death chain, test/helpers/ctmcExact.ts),
 * the output states the method, the cycles, the relative error and the variance
 * reduction; auto says what it chose; an explicit --method is is refused where it cannot
 * apply (test/cli/importanceRealistic.test.ts has every mechanism).
 */
import { describe, expect, it } from "vitest";
import { exactChain } from "../helpers/ctmcExact.js";
import { runCli } from "../helpers/runCli.js";

interface Metric {
  estimate: number;
  ci: [number, number];
  complement?: number;
  complement_ci?: [number, number];
  variance_reduction?: number | null;
  relative_error?: number | null;
  enough_events: boolean;
}

describe("mqrel simulate --method is", () => {
  // node MTBF 1 year and 10 years, MTTR 4 h, 2 crews, 3 of 5 (bench/models/quorum-5-*.yaml)
  for (const [name, mtbfHours] of [
    ["1e-9", 8766],
    ["1e-12", 87660],
  ] as const) {
    it(`when the 3-of-5 cluster near ${name} is simulated to a 10 % target then the interval covers the exact unavailability and MTTF, and the output says how`, async () => {
      // Arrange
      const exact = exactChain({ n: 5, k: 3, lambda: String(1 / mtbfHours), mu: "0.25", crews: 2 });

      // Act
      const r = await runCli(["simulate", `bench/models/quorum-5-${name}.yaml`, "--method", "is", "--target-rel-error", "0.1", "--json"]);

      // Assert
      expect(r.status, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json).toMatchObject({
        method: "importance sampling",
        method_note: "importance sampling, as asked (--method is)",
        stopped_early: "target",
      });
      expect(json.importance_sampling).toMatchObject({ bias: 0.5, regeneration: "every node up" });
      expect(json.importance_sampling.cycles).toBeGreaterThanOrEqual(1024);
      expect(json).not.toHaveProperty("runs"); // no plain runs: the model has no messages
      const u = json.metrics["cluster.availability"] as Metric;
      const [low, high] = u.complement_ci as [number, number];
      expect(low <= exact.u && exact.u <= high, `unavailability CI ${low} … ${high}, exact ${exact.u} (seed 1)`).toBe(true);
      expect(u.relative_error as number).toBeLessThanOrEqual(0.1);
      expect(u.variance_reduction as number).toBeGreaterThan(name === "1e-9" ? 1e4 : 1e6);
      expect(u.enough_events).toBe(true);
      const m = json.metrics["cluster.mttf"] as Metric;
      expect(m.ci[0] <= exact.mttf && exact.mttf <= m.ci[1], `MTTF CI ${m.ci}, exact ${exact.mttf} (seed 1)`).toBe(true);
    });
  }

  it("when the table is printed then it says importance sampling, the cycles, the relative error reached and what plain Monte Carlo would need", async () => {
    const r = await runCli(["simulate", "bench/models/quorum-5-1e-12.yaml", "--method", "is", "--cycles", "2048"]);
    expect(r.status, r.stderr).toBe(0);
    const text = r.stdout.replace(/\n\s*/g, " ");
    expect(text).toMatch(/importance sampling: 2048 regenerative cycles from all-up \(every node up; balanced failure biasing, bias 0\.5;/);
    expect(text).toMatch(/Relative error reached \(95 % half-width\): cluster\.availability ±\d/);
    expect(text).toMatch(
      /Variance reduction against plain Monte Carlo on the unavailability: [\d.e]+× per cycle; plain Monte Carlo would need about [\d.e]+ years of simulated time/,
    );
  });

  it("when validate uses importance sampling then the model's own formula agrees (exit 0)", async () => {
    const r = await runCli(["validate", "bench/models/quorum-5-1e-9.yaml", "--method", "is", "--cycles", "4096", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.method).toBe("importance sampling");
    const own = json.comparisons.filter(
      (c: { primary: boolean; verdict: string }) => c.primary && c.verdict !== "not simulated" && c.verdict !== "simulated only",
    );
    expect(own.length).toBeGreaterThanOrEqual(3);
    for (const c of own) expect(c.verdict, c.metric).toBe("agrees");
  });

  it("when the model also has messages then importance sampling estimates the cluster and plain runs the messages, and both are named", async () => {
    const r = await runCli([
      "simulate",
      "test/fixtures/classic/default.yaml",
      "--assume",
      "formula",
      "--method",
      "is",
      "--cycles",
      "1024",
      "--runs",
      "10",
      "--horizon",
      "100 years",
      "--json",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.method).toBe("importance sampling");
    expect(json.runs).toBe(10);
    expect(json.metrics["cluster.availability"].method).toMatch(
      /^E\[time without quorum per cycle\] \/ E\[cycle length\]; importance sampling/,
    );
    expect(json.metrics["message.loss"].method).toMatch(/measured exactly on each run's simulated crash timeline/);
  });

  it("when auto decides then the output says which method it chose and why", async () => {
    const rare = JSON.parse(
      (await runCli(["simulate", "bench/models/quorum-5-1e-9.yaml", "--runs", "10", "--cycles", "1024", "--json"])).stdout,
    );
    expect(rare.method).toBe("importance sampling");
    expect(rare.method_note).toMatch(/^auto chose importance sampling: plain Monte Carlo's 10 runs × 1000 years would see about/);
    // the default model loses quorum about 0.1 times a year: 4 × 4000 years see well over 769 losses
    const frequent = JSON.parse(
      (
        await runCli([
          "simulate",
          "test/fixtures/classic/default.yaml",
          "--assume",
          "formula",
          "--runs",
          "4",
          "--horizon",
          "4000 years",
          "--json",
        ])
      ).stdout,
    );
    expect(frequent.method).toBe("plain");
    expect(frequent.method_note).toMatch(/^auto chose plain Monte Carlo: its 4 runs × 4000 years would see about/);
  });

  it("when importance sampling cannot apply (lognormal repairs voided by a common cause) then --method is is refused in one line, exit 2", async () => {
    const r = await runCli(["simulate", "test/fixtures/classic/default.yaml", "--method", "is", "--runs", "4", "--horizon", "50 years"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--method is: importance sampling cannot apply: a common cause voids the repairs under way/);
  });
});
