/**
 * The control plane (cluster.controller, docs/design.md §3e) through the command line:
 * validate held to the formulas' assumptions, the breakdown naming it, and its bad input.
 */
import { describe, expect, it } from "vitest";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

const MODEL = "test/fixtures/modes/controller.yaml";

interface Comparison {
  metric: string;
  verdict: string;
}

describe("cluster.controller", () => {
  it("when a model with a control plane is validated under the formulas' assumptions then queue.availability agrees (exit 0)", async () => {
    // Act
    const r = await runCli(["validate", MODEL, "--assume", "formula", "--json", "--quiet"]);

    // Assert
    expect(r.status, r.stderr).toBe(0);
    const { comparisons } = JSON.parse(r.stdout) as { comparisons: Comparison[] };
    expect(comparisons.find((c) => c.metric === "queue.availability")?.verdict).toBe("agrees");
  });

  it("when the model is evaluated then the control plane's share of the queue's downtime is in the breakdown", async () => {
    const r = await runCli(["eval", MODEL]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.replace(/\s+/g, " ")).toMatch(/the control plane \d/);
  });

  it.each([
    [["--set", "cluster.failover.time=0"], /cluster\.failover\.time: must be > 0 with cluster\.controller/],
    [["--set", "cluster.controller.quorum=4"], /cluster\.controller\.quorum: quorum 4 is more than the 3 nodes of the controller/],
    [
      ["--set", "cluster.maintenance.every=30 d", "--set", "cluster.maintenance.duration=10 min"],
      /cluster\.maintenance: is not modelled with cluster\.controller yet/,
    ],
    [["--set", "cluster.controller.node.crew=true"], /cluster\.controller\.node\.crew: unknown field/],
  ])("when %j then one line says what is wrong (exit 2)", async (args, message) => {
    const line = expectOneLineError(await runCli(["eval", MODEL, ...args]));
    expect(line).toMatch(message);
  });
});
