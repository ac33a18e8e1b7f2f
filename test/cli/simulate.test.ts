/**
 * simulate and validate through the command line, in-process (one thread: worker threads
 * exist only in the built bundle, and test/e2e/bin.test.ts checks that they change
 * nothing, and Ctrl-C).
 */
import { describe, expect, it } from "vitest";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";
import { expectWithinStandardErrors } from "../helpers/statistical.js";

interface Comparison {
  metric: string;
  formula: string;
  primary: boolean;
  verdict: string;
  direction?: string;
  overstates_nines?: number;
}

describe("mqrel validate", () => {
  it("when the default model is held to the formulas' assumptions then every simulated metric agrees (exit 0)", async () => {
    // Act
    const r = await runCli(["validate", "test/fixtures/classic/default.yaml", "--assume", "formula", "--json"]);

    // Assert
    expect(r.status, r.stderr).toBe(0);
    const { comparisons } = JSON.parse(r.stdout) as { comparisons: Comparison[] };
    const checked = comparisons.filter((c) => c.primary && c.verdict !== "not simulated" && c.verdict !== "simulated only");
    expect(checked.map((c) => c.metric)).toEqual(
      expect.arrayContaining(["cluster.availability", "cluster.mttf", "cluster.downtime_per_year", "message.loss", "retry.success"]),
    );
    for (const c of checked) expect(c.verdict, c.metric).toBe("agrees");
  });

  it("when RabbitMQ quorum queues are validated with realistic mechanics then the report says by how many nines the article's parallel formula overstates, and exits 0", async () => {
    // Arrange: 50 of the model's 200 runs are plenty for a gap of about six nines
    const args = ["validate", "test/fixtures/classic/rabbitmq-quorum-3.yaml", "--runs", "50"];

    // Act
    const text = await runCli(args);
    const json = await runCli([...args, "--json"]);

    // Assert: the gap is the finding, not a bug: exit 0
    expect(text.status, text.stderr).toBe(0);
    expect(json.status, json.stderr).toBe(0);
    expect(text.stdout.replace(/\n\s*/g, " ")).toMatch(
      /The article's parallel formula claims 10\.\d\d nines; the simulation shows 4\.\d\d nines .*: it is optimistic by \d\.\d\d nines .*: it ignores the quorum .* and the common cause/,
    );
    const parallel = (JSON.parse(json.stdout).comparisons as Comparison[]).find((c) => c.formula === "availability.parallel");
    // a simpler formula beside the model's own is a comparison, not a "disagrees"
    expect(parallel?.verdict).toBe("optimistic");
    expect(parallel?.primary).toBe(false);
    expect(parallel?.overstates_nines).toBeGreaterThan(5);
  });

  it("when a model with bad releases is held to the formulas' assumptions then every simulated metric agrees (exit 0)", async () => {
    // Arrange: three zones, two failure modes, weekly restarts, one release in 20 bad
    const args = ["validate", "test/fixtures/modes/bad-release.yaml", "--assume", "formula", "--runs", "50", "--json"];

    // Act
    const r = await runCli(args);

    // Assert
    expect(r.status, r.stderr).toBe(0);
    const { comparisons } = JSON.parse(r.stdout) as { comparisons: Comparison[] };
    const checked = comparisons.filter((c) => c.primary && c.verdict !== "not simulated" && c.verdict !== "simulated only");
    expect(checked.map((c) => c.metric)).toEqual(
      expect.arrayContaining(["cluster.availability", "cluster.outages_per_year", "queue.availability"]),
    );
    for (const c of checked) expect(c.verdict, c.metric).toBe("agrees");
  });

  it("when the hand-derived bad-release model is evaluated and simulated then both give U = 0.1 · 45 min / 720 h", async () => {
    // Arrange: test/fixtures/modes/bad-release-hand.yaml, derived in test/formulas/badRelease.test.ts:
    // each bad round (p = 0.1) loses the quorum from its second restart until the rollback, 45 min
    const file = "test/fixtures/modes/bad-release-hand.yaml";
    const hand = (0.1 * 0.75) / 720;
    const seed = 3;

    // Act
    const evaluated = await runCli(["eval", file, "--json"]);
    const simulated = await runCli([
      "simulate",
      file,
      "--assume",
      "formula",
      "--runs",
      "20",
      "--horizon",
      "1000 years",
      "--seed",
      String(seed),
      "--json",
    ]);

    // Assert: the formula within its neglected node failures (≲ 1e-11), the simulation within 4 SE
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const formula = (JSON.parse(evaluated.stdout) as { models: { metrics: Record<string, { complement: number }> }[] }).models[0]?.metrics[
      "cluster.availability"
    ];
    expect(Math.abs((formula?.complement as number) - hand)).toBeLessThanOrEqual(1e-11);
    expect(simulated.status, simulated.stderr).toBe(0);
    const estimate = (JSON.parse(simulated.stdout) as { metrics: Record<string, { complement: number; standard_error: number }> }).metrics[
      "cluster.availability"
    ];
    expectWithinStandardErrors("unavailability", estimate?.complement, estimate?.standard_error, hand, seed);
  });
});

describe("mqrel simulate", () => {
  it("when --json is given then it prints docs/simulator.md's shape, each metric with the estimator docs/simulator.md names", async () => {
    // Act
    const r = await runCli([
      "simulate",
      "test/fixtures/classic/default.yaml",
      "--runs",
      "20",
      "--horizon",
      "2000 years",
      "--seed",
      "3",
      "--json",
    ]);

    // Assert
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(""); // no progress bar when stderr is not a terminal
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      model: "default-quorum-3",
      file: "test/fixtures/classic/default.yaml",
      seed: 3,
      runs: 20,
      horizon_hours: 2000 * 8766,
    });
    expect(json.simulated_hours).toBe(20 * 2000 * 8766);
    const methods: Record<string, RegExp> = {
      // 20 runs (< 30): the regeneration cycles are the units for the time averages
      "cluster.availability": /time without quorum over [\d.e+]+ simulated hours; \d+ regeneration cycles, Student's t/,
      "cluster.mttf": /exposure from all-up to the first quorum loss of each cycle \(unfinished cycles censored\).*regeneration cycles/,
      "message.loss": /measured exactly on each run's simulated crash timeline .*; 20 runs, Student's t with 19 degrees of freedom/,
      // realistic retries share their run's outage timeline: the run is the unit
      "retry.success": /sequences in one run share its outage timeline, so the run is the unit: 20 runs/,
    };
    for (const [id, method] of Object.entries(methods)) {
      const m = json.metrics[id];
      expect(m.method, id).toMatch(method);
      expect(m.ci[0], id).toBeLessThanOrEqual(m.estimate);
      expect(m.estimate, id).toBeLessThanOrEqual(m.ci[1]);
    }
  });

  it("when --target-rel-error is met early then it stops and says so", async () => {
    // Act
    const r = await runCli([
      "simulate",
      "test/fixtures/classic/single-node.yaml",
      "--runs",
      "5000",
      "--horizon",
      "100 years",
      "--target-rel-error",
      "0.2",
      "--json",
    ]);

    // Assert
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.stopped_early).toBe("target");
    expect(json.runs).toBeLessThan(5000);
    // the two-stage rule: a pilot of 32 runs set the budget; the estimates come from at least 32 fresh runs
    expect(json.target.pilot_runs).toBe(32);
    expect(json.runs).toBeGreaterThanOrEqual(32);
  });

  it("when the default model is simulated to ±5 % then it stops on the cluster's metrics, and reports the message metrics it did not wait for; --target-metric waits for one", async () => {
    // Act: message.loss sees no loss in a few runs (quorum confirms), so it would never meet ±5 %
    const byDefault = await runCli(["simulate", "models/default.yaml", "--target-rel-error", "0.05", "--json"]);
    const named = await runCli([
      "simulate",
      "models/default.yaml",
      "--runs",
      "64",
      "--target-rel-error",
      "0.05",
      "--target-metric",
      "message.loss",
      "--json",
    ]);

    // Assert
    expect(byDefault.status, byDefault.stderr).toBe(0);
    const json = JSON.parse(byDefault.stdout);
    expect(json.stopped_early).toBe("target");
    expect(json.runs).toBeLessThan(200);
    expect(json.target.watched).toContain("cluster.availability");
    expect(json.target.watched).not.toContain("message.loss");
    expect(json.target.not_waited_for.map((m: { metric: string }) => m.metric)).toContain("message.loss");
    // the two-stage rule: a pilot of 32 runs set the budget (met about nine times in ten);
    // every watched interval really is within ±5 % of its estimate, or is listed as missed with its half-width
    expect(json.target.pilot_runs).toBe(32);
    for (const id of json.target.watched as string[]) {
      const m = json.metrics[id];
      const [centre, ci] = m.complement !== undefined && m.complement < 0.5 ? [m.complement, m.complement_ci] : [m.estimate, m.ci];
      const relative = (ci[1] - ci[0]) / 2 / centre;
      const missed = (json.target.missed as { metric: string; relative_half_width: number }[]).find((x) => x.metric === id);
      if (relative <= 0.05) expect(missed, id).toBeUndefined();
      else expect(missed?.relative_half_width, id).toBeCloseTo(relative, 12);
    }
    const waited = JSON.parse(named.stdout);
    expect(waited.stopped_early).toBeUndefined();
    expect(waited.target.watched).toEqual(["message.loss"]);
    expect(waited.target.met).toBe(false);
    expect(expectOneLineError(await runCli(["simulate", "models/default.yaml", "--target-metric", "message.loss"]))).toMatch(
      /--target-metric: needs --target-rel-error/,
    );
  });

  it.each([
    [
      ["simulate", "test/fixtures/classic/default.yaml", "--runs", "0"],
      /--runs: expected a whole number from 1 to 2\^53 − 1 \(9007199254740991\), got "0"/,
    ],
    [["simulate", "test/fixtures/classic/default.yaml", "--horizon", "5 kg"], /--horizon: expected a duration .* got a mass/],
    [["simulate", "test/fixtures/classic/default.yaml", "--seed", "-1"], /--seed: expected a whole number from 0 to 2\^53 − 1/],
    [
      ["simulate", "test/fixtures/classic/default.yaml", "--target-rel-error", "2"],
      /--target-rel-error: expected a number between 0 and 1/,
    ],
    [["simulate", "test/fixtures/classic/article-example.yaml"], /cluster\.node: the simulator needs node\.mtbf and node\.mttr/],
    [["validate", "test/fixtures/bad/mttr-zero.yaml"], /mttr-zero\.yaml:10:11: cluster\.node\.mttr/],
    [
      ["simulate", "test/fixtures/classic/default.yaml", "--horizon", "1e9 years"],
      /simulation\.horizon: one run would hold about 5\.0e8 crash or failure times/,
    ],
  ])("when the input is bad (case %#) then it exits 2 with one line", async (args, message) => {
    // Act
    const result = await runCli(args as string[]);

    // Assert
    expect(expectOneLineError(result)).toMatch(message);
  });
});
