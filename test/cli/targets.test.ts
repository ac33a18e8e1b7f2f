/**
 * Several `--target`s on the command line, for solve and check: the forms each accepts,
 * the hostile ones it refuses (exit 2, one line, no stack), and the issue's own command on
 * the Kafka preset checked against a sweep of the same quorum values (an independent pass
 * over every value, judged here).
 */
import { describe, expect, it } from "vitest";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

const KAFKA = "models/kafka-rf3-minisr2-acks-all.yaml";
const COUPLED_FLEET = "test/fixtures/fleet/kafka-12x600-coupled.yaml";
const AVAILABILITY = "cluster.availability >= 99.99%";
const LOSS = "message.loss <= 1e-12";
// no quorum of the preset meets the issue's 1e-12 since the rolling restarts' step-down loss
// is counted (8.2e-12 at quorum 2; a test below runs the issue's command): the tests of an
// answer take 1e-11, which quorum 2 meets
const MET_LIMIT = 1e-11;
const LOSS_MET = `message.loss <= ${MET_LIMIT}`;

interface TargetJson {
  metric: string;
  target: string;
  value: number | null;
  margin: number | null;
  met: boolean | null;
  binds: boolean;
}

describe("solve with several --target", () => {
  it("when the issue's command is run on the Kafka preset then the answer is the largest quorum a sweep finds meeting both, and the binding target is the one the next quorum misses", async () => {
    const solved = await runCli(["solve", KAFKA, "--for", "cluster.quorum", "--target", AVAILABILITY, "--target", LOSS_MET, "--json"]);
    expect(solved.status, solved.stderr).toBe(0);
    const json = JSON.parse(solved.stdout) as {
      value: number;
      metric: string;
      metric_value: number;
      target: string;
      targets: TargetJson[];
      binding: { value: number; missed: string[] } | null;
    };
    // the one-target fields stay, and are the first target's
    expect([json.metric, json.target]).toEqual(["cluster.availability", ">= 99.99%"]);
    expect(json.targets.map((t) => [t.metric, t.target])).toEqual([
      ["cluster.availability", ">= 99.99%"],
      ["message.loss", `<= ${MET_LIMIT}`],
    ]);
    expect(json.targets.every((t) => t.met === true)).toBe(true);
    // the sweep of every quorum, judged here: availability's complement ≤ 1e-4 and loss ≤ the limit
    const sweep = await runCli([
      ...["sweep", KAFKA, "--vary", "cluster.quorum=1..3", "--metric", "cluster.availability", "--metric", "message.loss"],
      ...["--format", "json"],
    ]);
    expect(sweep.status, sweep.stderr).toBe(0);
    const rows = (
      JSON.parse(sweep.stdout) as {
        rows: { params: Record<string, number>; metrics: Record<string, { value: number; complement?: number }> }[];
      }
    ).rows;
    const misses = (quorum: number) => {
      const row = rows.find((r) => r.params["cluster.quorum"] === quorum);
      const availability = row?.metrics["cluster.availability"];
      const loss = row?.metrics["message.loss"];
      return [
        ...((availability?.complement as number) <= 1e-4 ? [] : ["cluster.availability"]),
        ...((loss?.value as number) <= MET_LIMIT ? [] : ["message.loss"]),
      ];
    };
    // least demanding for a quorum is the largest (the field registry): the largest quorum meeting both
    const meeting = [3, 2, 1].filter((q) => misses(q).length === 0);
    expect(json.value).toBe(meeting[0]);
    expect(json.metric_value).toBe(rows.find((r) => r.params["cluster.quorum"] === json.value)?.metrics["cluster.availability"]?.value);
    if (json.value < 3) {
      expect(json.binding?.value).toBe(json.value + 1);
      expect(json.binding?.missed).toEqual(misses(json.value + 1));
      expect(json.targets.filter((t) => t.binds).map((t) => t.metric)).toEqual(misses(json.value + 1));
    } else expect(json.binding).toBeNull();
  });

  it("when the issue's own command is run (loss ≤ 1e-12) then no quorum meets both and solve exits 1 rather than answer 1", async () => {
    const solved = await runCli(["solve", KAFKA, "--for", "cluster.quorum", "--target", AVAILABILITY, "--target", LOSS, "--json"]);
    expect(solved.status, solved.stderr).toBe(1);
    expect((JSON.parse(solved.stdout) as { met: boolean }).met).toBe(false);
  });

  it("when the answer is printed as text then every target is listed with its value and margin, and the binding one is marked", async () => {
    const solved = await runCli(["solve", KAFKA, "--for", "cluster.quorum", "--target", AVAILABILITY, "--target", LOSS_MET], {
      env: { COLUMNS: "200" },
    });
    expect(solved.status, solved.stderr).toBe(0);
    expect(solved.stdout).toMatch(/that meets both targets\n/);
    expect(solved.stdout).toMatch(/^ {2}cluster\.availability >= 99\.99%: .*, margin \+/m);
    expect(solved.stdout).toMatch(/^ {2}message\.loss <= 1e-11: .*, margin \+/m);
    expect(solved.stdout).toMatch(/ — binds$/m);
    expect(solved.stdout).toMatch(/^ {2}one step less demanding, cluster\.quorum = \d misses .*: (it binds|they bind)$/m);
  });

  it("when one target leaves its metric out then --metric gives it, and the answer is the same as with the metric named", async () => {
    const named = await runCli(["solve", KAFKA, "--for", "cluster.quorum", "--target", AVAILABILITY, "--target", LOSS_MET, "--json"]);
    const metric = await runCli([
      ...["solve", KAFKA, "--for", "cluster.quorum", "--metric", "cluster.availability"],
      ...["--target", ">= 99.99%", "--target", LOSS_MET, "--json"],
    ]);
    expect(metric.status, metric.stderr).toBe(0);
    expect(JSON.parse(metric.stdout).value).toBe(JSON.parse(named.stdout).value);
  });

  it("when one target is given then the output keeps its one-target form (no target list in the text)", async () => {
    const one = await runCli(["solve", KAFKA, "--for", "cluster.quorum", "--target", AVAILABILITY]);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/that meets cluster\.availability >= 99\.99%\n {2}cluster\.availability there: /);
    expect(one.stdout).not.toMatch(/binds/);
  });

  it("when nothing meets every target then it exits 1, lists them, and the best value is the one meeting the most, nearest the rest", async () => {
    const args = ["solve", "models/rabbitmq-quorum-3.yaml", "--for", "cluster.nodes", "--range", "cluster.nodes=3..5"];
    const targets = ["--target", "cluster.availability >= 99.99%", "--target", "cluster.mttf >= 100 years"];
    const text = await runCli([...args, ...targets], { env: { COLUMNS: "200" } });
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(
      /Nothing in the searched range meets both targets: cluster\.availability >= 99\.99%, cluster\.mttf >= 100 years\.\n/,
    );
    const solved = await runCli([...args, ...targets, "--json"]);
    const json = JSON.parse(solved.stdout) as { met: boolean; binding: unknown; best: { value: number; targets: TargetJson[] } };
    expect([json.met, json.binding]).toEqual([false, null]);
    // a sweep of the same counts, judged here: of those meeting availability, the one with the longest MTTF
    const sweep = await runCli([
      "sweep",
      "models/rabbitmq-quorum-3.yaml",
      "--vary",
      "cluster.nodes=3..5",
      "--metric",
      "cluster.availability",
      "--metric",
      "cluster.mttf",
      "--format",
      "json",
    ]);
    const rows = (
      JSON.parse(sweep.stdout) as {
        rows: { params: Record<string, number>; metrics: Record<string, { value: number; complement?: number }> }[];
      }
    ).rows;
    const available = rows.filter((r) => (r.metrics["cluster.availability"]?.complement as number) <= 1e-4);
    expect(available.length).toBeGreaterThan(0);
    // MTTF in hours: 100 years of 8766 h
    expect(available.every((r) => (r.metrics["cluster.mttf"]?.value as number) < 100 * 8766)).toBe(true);
    const longest = available.reduce((a, b) =>
      (b.metrics["cluster.mttf"]?.value as number) > (a.metrics["cluster.mttf"]?.value as number) ? b : a,
    );
    expect(json.best.value).toBe(longest.params["cluster.nodes"]);
    expect(json.best.targets.map((t) => t.met)).toEqual([true, false]);
  });

  it.each([
    [
      "an unknown metric, with the closest id",
      ["--target", "message.los <= 1e-12", "--target", AVAILABILITY],
      /--target: unknown metric "message\.los".*\(did you mean "message\.loss"\?\)$/,
    ],
    [
      "a target without an operator",
      ["--target", "message.loss 1e-12", "--target", AVAILABILITY],
      /--target: expected an operator and a value after message\.loss/,
    ],
    ["two targets that name no metric", ["--target", ">= 99.99%", "--target", "<= 1e-12"], /--target: 2 of the 2 --target name no metric/],
    [
      "one target with no metric and no --metric",
      ["--target", ">= 99.99%", "--target", LOSS],
      /--target: ">= 99\.99%" names no metric: .*give --metric$/,
    ],
    [
      "a --metric no target is on",
      ["--metric", "cluster.mttf", "--target", AVAILABILITY, "--target", LOSS],
      /--metric: cluster\.mttf has no --target: every --target names its own metric; leave --metric out$/,
    ],
    [
      "the same metric with contradicting bounds",
      ["--target", LOSS, "--target", "message.loss >= 1e-9"],
      /--target: "message\.loss <= 1e-12" and "message\.loss >= 1e-9" contradict: no value of message\.loss meets both$/,
    ],
    [
      "the same metric bounded twice from one side",
      ["--target", LOSS, "--target", "message.loss <= 1e-9"],
      /--target: .* bound message\.loss twice from above: give the stricter one once$/,
    ],
    [
      "a metric the model does not compute",
      ["--target", "fleet.availability >= 99%", "--target", LOSS],
      /--target: the model does not compute fleet\.availability \(it needs the fleet block\)$/,
    ],
    [
      "a threshold in the wrong grammar",
      ["--target", "message.loss <= 3 nines", "--target", AVAILABILITY],
      /--target: "nines" apply to availability and reliability metrics only$/,
    ],
  ])("when solve is given %s then it is refused in one line (exit 2)", async (_, args, message) => {
    const line = expectOneLineError(await runCli(["solve", KAFKA, "--for", "cluster.quorum", ...args]));
    expect(line).toMatch(message);
  });

  it("when a fleet whose metrics are only simulated is solved with a fleet target then it is refused in one line at the coupling", async () => {
    const line = expectOneLineError(
      await runCli([
        "solve",
        COUPLED_FLEET,
        "--for",
        "cluster.nodes",
        "--target",
        "fleet.availability >= 99%",
        "--target",
        "fleet.elections_per_year <= 100",
      ]),
    );
    expect(line).toMatch(/cluster\.maintenance: this fleet's metrics are only simulated/);
  });
});

describe("check with --target", () => {
  it("when targets are given then each is checked beside the model's own thresholds, marked as a --target, and one violated exits 1", async () => {
    const checked = await runCli(["check", KAFKA, "--target", LOSS, "--target", "cluster.availability >= 99.999%", "--format", "json"]);
    const json = JSON.parse(checked.stdout) as {
      results: { metric: string; threshold: string; from?: string; pass: boolean; value: number; complement?: number }[];
    };
    const own = json.results.filter((r) => r.from === undefined);
    const targets = json.results.filter((r) => r.from === "target");
    // the model's own slo: block is still checked in full (it bounds cluster.availability itself)
    expect(own.map((r) => r.metric)).toContain("cluster.availability");
    expect(targets.map((r) => [r.metric, r.threshold])).toEqual([
      ["message.loss", "<= 1e-12"],
      ["cluster.availability", ">= 99.999%"],
    ]);
    // judged here from the values printed: 1e-5 on the complement, 1e-12 on the loss
    const availability = targets[1] as { complement?: number; pass: boolean };
    expect(availability.pass).toBe((availability.complement as number) <= 1e-5);
    const loss = targets[0] as { value: number; pass: boolean };
    expect(loss.pass).toBe(loss.value <= 1e-12);
    expect(checked.status).toBe(json.results.every((r) => r.pass) ? 0 : 1);
    expect(checked.status).toBe(1);
  });

  it("when a target is violated then the table marks it as a --target and the line below names it", async () => {
    const checked = await runCli(["check", KAFKA, "--target", "cluster.availability >= 99.999%"], { env: { COLUMNS: "200" } });
    expect(checked.status).toBe(1);
    expect(checked.stdout).toMatch(/>= 99\.999% \(--target\)/);
    expect(checked.stdout).toMatch(/does not meet >= 99\.999% \(--target\)\n/);
  });

  it("when a model has no slo: block then a --target gives it a threshold (it is not empty)", async () => {
    const checked = await runCli([
      "check",
      "test/fixtures/classic/single-node.yaml",
      "--target",
      "cluster.availability >= 90%",
      "--format",
      "json",
    ]);
    expect(checked.status, checked.stderr).toBe(0);
    expect(JSON.parse(checked.stdout).empty).toEqual([]);
  });

  it.each([
    [
      "an unknown metric, with the closest id",
      ["--target", "cluster.availabilty >= 99%"],
      /--target: unknown metric "cluster\.availabilty".*\(did you mean "cluster\.availability"\?\)$/,
    ],
    ["a target without an operator", ["--target", "message.loss"], /--target: expected an operator and a value after message\.loss/],
    ["a target that names no metric", ["--target", ">= 99%"], /--target: ">= 99%" names no metric: check --target names it first/],
    [
      "contradicting bounds",
      ["--target", LOSS, "--target", "message.loss > 1e-12"],
      /--target: .* contradict: no value of message\.loss meets both$/,
    ],
  ])("when check is given %s then it is refused in one line before any model (exit 2)", async (_, args, message) => {
    expect(expectOneLineError(await runCli(["check", KAFKA, ...args]))).toMatch(message);
  });

  it.each([
    [
      "a metric the model does not compute",
      KAFKA,
      "fleet.availability >= 99%",
      /--target slo\.fleet\.availability: the model has no fleet block, so fleet\.availability is not computed$/,
    ],
    [
      "a single replica set's metric on a fleet",
      "models/kafka-fleet-12x600.yaml",
      "cluster.availability >= 99%",
      /--target slo\.cluster\.availability: cluster\.availability is one replica set's; a fleet model does not compute it/,
    ],
  ])("when check is given %s then that model is invalid: one line on stderr, exit 2", async (_, file, target, message) => {
    const checked = await runCli(["check", file, "--target", target]);
    expect(checked.status).toBe(2);
    const lines = checked.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(checked.stderr).not.toMatch(/\n\s+at /);
  });

  it("when check is given a fleet metric that is only simulated (a coupled fleet) then it is inconclusive with the reason, as the model's own slo: would be: exit 1", async () => {
    const checked = await runCli(["check", COUPLED_FLEET, "--target", "fleet.availability >= 99%", "--format", "json"]);
    expect(checked.status, checked.stderr).toBe(1);
    const [result] = (JSON.parse(checked.stdout) as { results: { metric: string; verdict: string; from?: string; note?: string }[] })
      .results;
    expect(result).toMatchObject({ metric: "fleet.availability", verdict: "inconclusive", from: "target" });
    expect(result?.note).toMatch(
      /^only simulated \(rolling restarts \(cluster\.maintenance\) couple the brokers\): check --simulate judges it$/,
    );
  });
});
