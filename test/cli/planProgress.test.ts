import { describe, expect, it } from "vitest";
import { run } from "../helpers/inProcessCli.js";

/** carriage return, erase the line: how the progress line is rewritten and finally cleared */
const CLEAR_LINE = "\r\u001b[2K";

describe("progress of the planning commands", () => {
  it("when stderr is a terminal then sweep says which point it computes, and clears the line at the end", async () => {
    const plain = await run(["sweep", "models/default.yaml", "--vary", "cluster.nodes=3..5", "--no-chart"]);
    const tty = await run(["sweep", "models/default.yaml", "--vary", "cluster.nodes=3..5", "--no-chart"], { stderrColumns: 120 });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toBe(plain.stdout);
    expect(plain.stderr).toBe("");
    expect(tty.stderr).toContain(`${CLEAR_LINE}sweep: point 1 of 3 · cluster.nodes=3 · `);
    expect(tty.stderr).toContain(`${CLEAR_LINE}sweep: point 3 of 3 · cluster.nodes=5 · `);
    expect(tty.stderr.endsWith(CLEAR_LINE)).toBe(true);
  });

  it("when the output is a machine format then nothing is written to stderr, terminal or not", async () => {
    for (const argv of [
      ["sweep", "models/default.yaml", "--vary", "cluster.nodes=3..5", "--format", "json"],
      ["sweep", "models/default.yaml", "--vary", "cluster.nodes=3..5", "--format", "csv"],
      ["sensitivity", "models/default.yaml", "--json"],
      ["solve", "models/default.yaml", "--for", "cluster.nodes", "--target", ">= 0.9999", "--json"],
    ]) {
      const r = await run(argv, { stderrColumns: 120 });
      expect(r.stderr, argv.join(" ")).toBe("");
    }
  });

  it("when sensitivity and solve run on a terminal then they show their points and leave a clean line", async () => {
    const sensitivity = await run(["sensitivity", "models/default.yaml"], { stderrColumns: 120 });
    expect(sensitivity.stderr).toContain(`${CLEAR_LINE}sensitivity: the model as given · `);
    expect(sensitivity.stderr).toContain(`${CLEAR_LINE}sensitivity: point 1 · params.hardware_mttr=(4 h) * 0.9 · `);
    expect(sensitivity.stderr.endsWith(CLEAR_LINE)).toBe(true);
    const solve = await run(["solve", "models/default.yaml", "--for", "cluster.nodes", "--target", ">= 0.9999"], { stderrColumns: 120 });
    expect(solve.stderr).toContain(`${CLEAR_LINE}solve: point `);
    expect(solve.stderr.endsWith(CLEAR_LINE)).toBe(true);
  });

  it("when TERM is dumb then no progress is shown", async () => {
    const r = await run(["sweep", "models/default.yaml", "--vary", "cluster.nodes=3..4", "--no-chart"], {
      stderrColumns: 120,
      env: { TERM: "dumb" },
    });
    expect(r.stderr).toBe("");
  });
});
