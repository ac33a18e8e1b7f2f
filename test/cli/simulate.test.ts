import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectOneLineError, mqrel, ROOT } from "../helpers/cli.js";

describe("mqrel validate", () => {
  it("agrees on every metric of the default model when held to the formulas' assumptions, within 30 s", () => {
    const started = Date.now();
    const r = mqrel(["validate", "models/default.yaml", "--assume", "formula", "--json"]);
    const seconds = (Date.now() - started) / 1000;
    expect(r.status, r.stderr).toBe(0);
    expect(seconds).toBeLessThan(30);
    const { comparisons } = JSON.parse(r.stdout);
    const primary = comparisons.filter(
      (c: { metric: string }, i: number) => comparisons.findIndex((d: { metric: string }) => d.metric === c.metric) === i,
    );
    const checked = primary.filter((c: { verdict: string }) => c.verdict !== "not simulated" && c.verdict !== "simulated only");
    expect(checked.map((c: { metric: string }) => c.metric)).toEqual(
      expect.arrayContaining(["cluster.availability", "cluster.mttf", "cluster.downtime_per_year", "message.loss", "retry.success"]),
    );
    for (const c of checked) expect(c.verdict, c.metric).toBe("agrees");
  });

  it("reports by how many nines the article's parallel formula overstates RabbitMQ quorum availability", () => {
    const r = mqrel(["validate", "models/rabbitmq-quorum-3.yaml"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.replace(/\n\s+/g, " ")).toMatch(
      /The article's parallel formula claims 10\.\d\d nines; the simulation shows 4\.\d\d nines .*: it overstates availability by \d\.\d\d nines/,
    );
    const json = JSON.parse(mqrel(["validate", "models/rabbitmq-quorum-3.yaml", "--json"]).stdout);
    const parallel = json.comparisons.find((c: { formula: string }) => c.formula === "availability.parallel");
    expect(parallel.verdict).toBe("disagrees");
    expect(parallel.direction).toBe("optimistic");
    expect(parallel.overstates_nines).toBeGreaterThan(5);
  });

  it("exits 0 with realistic mechanics even where formulas disagree: the gap is the finding, not a bug", () => {
    const r = mqrel(["validate", "models/rabbitmq-quorum-3.yaml", "--runs", "20", "--json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).comparisons.some((c: { verdict: string }) => c.verdict === "disagrees")).toBe(true);
  });
});

describe("mqrel simulate", () => {
  it("prints the DESIGN.md JSON shape: metrics.<id>.estimate, .ci, .method", () => {
    const r = mqrel(["simulate", "models/default.yaml", "--runs", "20", "--horizon", "2000 years", "--seed", "3", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.model).toBe("default-quorum-3");
    expect(json.seed).toBe(3);
    for (const id of ["cluster.availability", "cluster.mttf", "message.loss", "retry.success"]) {
      const m = json.metrics[id];
      expect(typeof m.estimate, id).toBe("number");
      expect(m.ci, id).toHaveLength(2);
      expect(m.ci[0], id).toBeLessThanOrEqual(m.ci[1]);
      expect(m.method.length, id).toBeGreaterThan(10);
    }
    expect(r.stderr).toBe(""); // no progress bar when stderr is not a terminal
  });

  it("gives identical output for --workers 1 and --workers 2 with the same seed", () => {
    const args = ["simulate", "models/rabbitmq-quorum-3.yaml", "--runs", "24", "--horizon", "3000 years", "--seed", "11", "--json"];
    const one = mqrel([...args, "--workers", "1"]);
    const two = mqrel([...args, "--workers", "2"]);
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const table1 = mqrel(["simulate", "models/default.yaml", "--runs", "8", "--workers", "1"]);
    const table2 = mqrel(["simulate", "models/default.yaml", "--runs", "8", "--workers", "2"]);
    expect(table2.stdout).toBe(table1.stdout);
  });

  it("stops early with --target-rel-error and says so", () => {
    const r = mqrel([
      "simulate",
      "models/single-node.yaml",
      "--runs",
      "5000",
      "--horizon",
      "100 years",
      "--target-rel-error",
      "0.2",
      "--json",
    ]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.stopped_early).toBe("target");
    expect(json.runs).toBeLessThan(5000);
  });

  it("on Ctrl-C prints the partial estimates and exits 130", async () => {
    const bin = fileURLToPath(new URL("../../bin/mqrel.js", import.meta.url));
    const child = spawn(
      process.execPath,
      [bin, "simulate", "models/default.yaml", "--runs", "100000", "--horizon", "2000 years", "--workers", "1"],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted: estimates from the \d+ of 100000 runs finished/);
    expect(stdout).toMatch(/cluster\.availability/);
  });

  it.each([
    [["simulate", "models/default.yaml", "--runs", "0"], /--runs: expected a whole number ≥ 1, got "0"/],
    [["simulate", "models/default.yaml", "--horizon", "5 kg"], /--horizon: expected a duration .* got a mass/],
    [["simulate", "models/default.yaml", "--seed", "-1"], /--seed: expected a whole number ≥ 0/],
    [["simulate", "models/default.yaml", "--target-rel-error", "2"], /--target-rel-error: expected a number between 0 and 1/],
    [["simulate", "models/article-example.yaml"], /cluster\.node: the simulator needs node\.mtbf and node\.mttr/],
    [["validate", "test/fixtures/bad/mttr-zero.yaml"], /mttr-zero\.yaml:10:11: cluster\.node\.mttr/],
    [
      ["simulate", "models/default.yaml", "--horizon", "1e9 years"],
      /simulation\.horizon: one run would hold about 5\.0e8 crash or failure times/,
    ],
  ])("exits 2 with one line for bad input %#", (args, message) => {
    expect(expectOneLineError(mqrel(args as string[]))).toMatch(message);
  });
});
