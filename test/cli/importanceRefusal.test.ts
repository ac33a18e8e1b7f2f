/**
 * An explicit `--method is` where importance sampling cannot apply is refused in one line
 * (exit 2) naming the mechanism or the metric (src/sim/estimate/insensitivity.ts and
 * methodChoice.ts have the argument); `auto` falls back to plain Monte Carlo without a
 * word; `--assume formula` (every time exponential) lifts the repair-law conditions.
 * test/cli/importanceRealistic.test.ts has where it applies, against exact values.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/runCli.js";

const INDEPENDENT = "test/fixtures/importance/independent-repairs.yaml";

async function json(args: string[]): Promise<Record<string, unknown> & { metrics: Record<string, { method: string }> }> {
  const r = await runCli(args);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("an explicit --method is where importance sampling cannot apply", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "shared crews",
      [INDEPENDENT, "--set", "cluster.repair_crews=2"],
      /cannot apply: 5 nodes share 2 repair crews, and with lognormal repairs the time nodes wait for one depends on more than the mean repair time/,
    ],
    [
      "a common cause",
      [INDEPENDENT, "--set", "cluster.common_cause.rate=1/year", "--set", "cluster.common_cause.mttr=1h"],
      /cannot apply: a common cause voids the repairs under way/,
    ],
    [
      "a maintenance schedule",
      [INDEPENDENT, "--set", "cluster.maintenance.every=30d", "--set", "cluster.maintenance.duration=5min"],
      /cannot apply: maintenance rounds run on a fixed schedule/,
    ],
    [
      "Weibull failures",
      [INDEPENDENT, "--set", "simulation.failure.distribution=weibull", "--set", "simulation.failure.shape=0.7"],
      /cannot apply: Weibull failures are not exponential/,
    ],
    ["a control plane", ["test/fixtures/modes/controller.yaml"], /cannot apply: the control plane's nodes are simulated event by event/],
    ["a fleet", ["models/kafka-fleet-12x600.yaml"], /cannot apply: a fleet's partitions are simulated event by event/],
    [
      "a targeted MTTF",
      [INDEPENDENT, "--target-rel-error", "0.1", "--target-metric", "cluster.mttf"],
      /cannot estimate cluster\.mttf with these mechanics: the mean time from all-up to the first quorum loss depends on the lognormal repair-time distribution/,
    ],
    [
      "a targeted queue availability with fixed elections",
      [INDEPENDENT, "--target-rel-error", "0.1", "--target-metric", "queue.availability"],
      /cannot estimate queue\.availability with these mechanics: elections take a fixed time/,
    ],
  ];
  for (const [what, args, why] of cases) {
    it(`when the model has ${what} then it is refused in one line saying why, exit 2`, async () => {
      const r = await runCli(["simulate", ...args, "--method", "is", "--runs", "2", "--horizon", "1 year"]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/--method is: importance sampling/);
      expect(lines[0]).toMatch(why);
    });
  }

  it("when auto meets such a mechanism then plain Monte Carlo runs without a note", async () => {
    const out = await json(["simulate", INDEPENDENT, "--set", "cluster.repair_crews=2", "--runs", "2", "--horizon", "10 years", "--json"]);
    expect(out.method).toBe("plain");
    expect(out).not.toHaveProperty("method_note");
  });

  it("when --assume formula makes the repairs exponential then shared crews and a common cause do not stop it", async () => {
    const out = await json([
      "simulate",
      INDEPENDENT,
      "--assume",
      "formula",
      "--set",
      "cluster.repair_crews=2",
      "--set",
      "cluster.common_cause.rate=1/year",
      "--set",
      "cluster.common_cause.mttr=1h",
      "--method",
      "is",
      "--cycles",
      "1024",
      "--json",
    ]);
    expect(out.method).toBe("importance sampling");
    expect(out.method_note).toBe("importance sampling, as asked (--method is)");
    expect(out.metrics["cluster.mttf"]?.method).toMatch(/importance sampling/);
  });

  it("when the repairs are exponential and only the elections fixed then is runs on the cluster's own chain (crews and all) and only the queue comes from plain runs", async () => {
    const out = await json([
      "simulate",
      INDEPENDENT,
      "--set",
      "simulation.repair.distribution=exponential",
      "--set",
      "cluster.repair_crews=2",
      "--method",
      "is",
      "--cycles",
      "1024",
      "--runs",
      "2",
      "--horizon",
      "10 years",
      "--json",
    ]);
    expect(out.method_note).toBe(
      "importance sampling, as asked (--method is); on the cluster's chain without the queue's leader (elections take a fixed time here, and the leader changes nothing in how nodes fail); queue.availability from plain runs beside it",
    );
    expect(out.metrics["cluster.mttf"]?.method).toMatch(/importance sampling/);
    expect(out.metrics["cluster.availability"]?.method).not.toMatch(/exponential-equivalent/);
    expect(out.metrics["queue.availability"]?.method).toMatch(/^time without quorum or without an elected leader/);
  });
});
