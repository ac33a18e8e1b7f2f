import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { expectOneLineError } from "../helpers/cli.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { runCli } from "../helpers/runCli.js";

const PRESETS = readdirSync("models").filter((f) => f.endsWith(".yaml"));

function tempFile(name: string, text?: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "mqrel-")), name);
  if (text !== undefined) writeFileSync(file, text);
  return file;
}

async function evalJson(...args: string[]) {
  const r = await runCli(["eval", ...args, "--format", "json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout).models;
}

describe("mqrel eval", () => {
  it("when the RabbitMQ quorum preset is evaluated then the Markov model is used and the k-of-n and parallel claims are shown beside it", async () => {
    // Act
    const [model] = await evalJson("test/fixtures/classic/rabbitmq-quorum-3.yaml");

    // Assert
    expect(model.file).toBe("test/fixtures/classic/rabbitmq-quorum-3.yaml");
    expect(model.name).toBe("rabbitmq-quorum-3");
    const cluster = model.metrics["cluster.availability"];
    // one repair crew and a common cause: the Markov model is the right formula
    expect(cluster.formula).toBe("availability.ctmc");
    // hand: node U = 4 h / (2·8766 h + 4 h) = 4/17536
    const u = 4 / 17536;
    const a = 17532 / 17536;
    expectRelativelyClose(model.metrics["node.availability"].complement, u, 1e-14);
    // independent 2-of-3 (binomial, by hand): U = 3·a·u² + u³; the article: u³
    expectRelativelyClose(cluster.alternatives["availability.kofn"].complement, 3 * a * u * u + u ** 3, 1e-12);
    expectRelativelyClose(cluster.alternatives["availability.parallel"].complement, u ** 3, 1e-12);
    expect(cluster.alternatives["availability.parallel"].overstates_nines).toBeGreaterThan(5);
    expect(cluster.complement).toBeGreaterThan(cluster.alternatives["availability.kofn"].complement);
  });

  it("when the quorum is 1 then the parallel formula is used, and with --set cluster.quorum=2 the k-of-n", async () => {
    // Act
    const [article] = await evalJson("examples/article-example.yaml");
    const [kofn] = await evalJson("examples/article-example.yaml", "--set", "cluster.quorum=2");

    // Assert
    expect(article.metrics["cluster.availability"].formula).toBe("availability.parallel");
    // hand: three nodes at U = 0.01 → 1e-6
    expectRelativelyClose(article.metrics["cluster.availability"].complement, 1e-6, 1e-13);
    expect(kofn.metrics["cluster.availability"].formula).toBe("availability.kofn");
    // hand: 3·0.99·0.01² + 0.01³ = 2.98e-4
    expectRelativelyClose(kofn.metrics["cluster.availability"].complement, 2.98e-4, 1e-12);
  });

  it("when the model has traffic then the loss probability is also given as lost messages per year", async () => {
    // Arrange: hand calculation for default.yaml (2 replicas, 30 s window, 0.2/yr crashes,
    // 0.01/yr correlated): loss = 1 − e^(−λc·w)·(1 − (1 − e^(−λ·w))²)
    const w = 30 / 3600;
    const x = (0.2 / 8766) * w;
    const xc = (0.01 / 8766) * w;
    const p = -Math.expm1(-x);
    const loss = -Math.expm1(-xc) + Math.exp(-xc) * p * p;

    // Act
    const [model] = await evalJson("test/fixtures/classic/default.yaml");

    // Assert
    const metric = model.metrics["message.loss"];
    expectRelativelyClose(metric.value, loss, 1e-12, "loss");
    expectRelativelyClose(metric.complement, Math.exp(-xc) * (1 - p * p), 1e-15, "survival");
    // 1000 messages/s × 31 557 600 s/year
    expectRelativelyClose(metric.lost_messages_per_year, 1000 * 31_557_600 * loss, 1e-12, "per year");
  });

  it.each([
    ["the manual's annotated example model", "docs/model-files.md"],
    ["the README's short example model", "README.md"],
  ])("when %s is saved then it passes its own SLOs and simulates", async (_what, page) => {
    // Arrange: the page's first YAML block that is a model
    const text = readFileSync(page, "utf8");
    const start = text.indexOf("```yaml\nmqrel: 1");
    expect(start, page).toBeGreaterThanOrEqual(0);
    const file = tempFile("example.yaml", text.slice(start + "```yaml\n".length, text.indexOf("```", start + 7)));

    // Act
    const check = await runCli(["check", file]);
    const simulate = await runCli(["simulate", file, "--runs", "4", "--horizon", "500 years", "--json"]);

    // Assert
    expect(check.status, check.stderr).toBe(0);
    expect(simulate.status, simulate.stderr).toBe(0);
  });

  it("when --set changes a field with a unit then the value follows it", async () => {
    // Act
    const [base] = await evalJson("test/fixtures/classic/single-node.yaml");
    const [faster] = await evalJson("test/fixtures/classic/single-node.yaml", "--set", "cluster.node.mttr=30 min");

    // Assert: hand, U = MTTR/(MTBF + MTTR) with MTBF = 2 years = 17532 h
    expectRelativelyClose(base.metrics["cluster.availability"].complement, 4 / 17536, 1e-14);
    expectRelativelyClose(faster.metrics["cluster.availability"].complement, 0.5 / 17532.5, 1e-14);
  });

  it("when several models are given then a table and Markdown show each, uncoloured on a pipe", async () => {
    // Act
    const table = await runCli(["eval", "test/fixtures/classic/default.yaml", "test/fixtures/classic/single-node.yaml"]);
    const md = await runCli(["eval", "models/", "--format", "markdown"]);

    // Assert
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/default-quorum-3/);
    expect(table.stdout).toMatch(/single-node/);
    expect(table.stdout).toMatch(/nines/);
    expect(table.stdout).not.toMatch(/\u001b\[/);
    expect(md.status).toBe(0);
    // several models: one table, a column per model (issue 12); one model: its own table
    expect(md.stdout).toMatch(/^\| metric \| default-quorum-3 \| kafka-2region-mm2 \| kafka-acks1 \|/m);
    expect(md.stdout).toMatch(/\| `cluster.availability` \|/);
    expect((await runCli(["eval", "test/fixtures/classic/default.yaml", "--format", "markdown"])).stdout).toMatch(/^### default-quorum-3/m);
  });

  it("when a model file types 0.999999999999999 then the complement is exactly 1e-15", async () => {
    // Arrange
    const file = tempFile("m.yaml", "mqrel: 1\ncluster:\n  nodes: 1\n  quorum: 1\n  node: { availability: 0.999999999999999 }\n");

    // Act
    const [model] = await evalJson(file);

    // Assert
    expect(model.metrics["cluster.availability"].complement).toBe(1e-15);
  });
});

describe("mqrel check", () => {
  it("when every preset is checked then each meets its own SLOs (exit 0, a table)", async () => {
    // Act
    const r = await runCli(["check", "models/"]);

    // Assert
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/thresholds: \d+ met, 0 violated/);
    for (const preset of PRESETS) expect(r.stdout).toContain(preset.replace(/\.yaml$/, "").slice(0, 12));
  });

  it("when a preset is opened then its top comment names the sources of its numbers", () => {
    for (const preset of PRESETS) {
      // Act
      const text = readFileSync(join("models", preset), "utf8");

      // Assert
      expect(text.startsWith("#"), preset).toBe(true);
      expect(text, preset).toMatch(/docs\/sources\.md/);
    }
  });

  it("when --format junit --output is given then the file is XML that parses, one testcase per threshold", async () => {
    // Arrange
    const out = tempFile("r.xml");

    // Act
    const r = await runCli(["check", "models/", "--format", "junit", "--output", out]);
    const json = JSON.parse((await runCli(["check", "models/", "--format", "json"])).stdout);

    // Assert
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    const xml = readFileSync(out, "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(xml);
    const suites = parsed.testsuites.testsuite as { "@_file": string; testcase: { "@_name": string }[] }[];
    expect(suites).toHaveLength(PRESETS.length);
    expect(suites.flatMap((s) => s.testcase)).toHaveLength(json.results.length);
    expect(Number(parsed.testsuites["@_failures"])).toBe(0);
    expect(balanced(xml)).toBe(true);
  });

  it("when one threshold is unreachable then it exits 1 and names that threshold's file and line in every format", async () => {
    // Arrange
    const file = tempFile("rabbitmq-quorum-3.yaml");
    copyFileSync("test/fixtures/classic/rabbitmq-quorum-3.yaml", file);
    const text = readFileSync(file, "utf8").replace('cluster.availability: ">= 99.99%"', 'cluster.availability: ">= 99.9999999%"');
    writeFileSync(file, text);
    const line = text.split("\n").findIndex((l) => l.includes("99.9999999%")) + 1;

    // Act
    const table = await runCli(["check", file]);
    const github = await runCli(["check", file, "--format", "github"]);
    const json = await runCli(["check", file, "--format", "json"]);
    const junit = await runCli(["check", file, "--format", "junit"]);

    // Assert
    expect(line).toBeGreaterThan(0);
    expect(table.status).toBe(1);
    expect(table.stdout).toContain(`${file}:${line}: cluster.availability`);
    expect(github.status).toBe(1);
    expect(github.stdout).toMatch(
      new RegExp(`^::error file=${file.replaceAll("/", "\\/")},line=${line},col=\\d+,title=SLO violated%3A cluster.availability::`, "m"),
    );
    const report = JSON.parse(json.stdout);
    expect(report.pass).toBe(false);
    const failing = report.results.filter((r: { pass: boolean }) => !r.pass);
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatchObject({ file, metric: "cluster.availability", threshold: ">= 99.9999999%", pass: false, line });
    expect(junit.status).toBe(1);
    expect(XMLValidator.validate(junit.stdout)).toBe(true);
    expect(junit.stdout).toMatch(/<failure type="SLOViolation" message="cluster.availability = /);
  });

  it("when one model is invalid then the others are still checked, and it exits 2", async () => {
    // Act
    const r = await runCli(["check", "test/fixtures/classic/single-node.yaml", "test/fixtures/bad/mttr-zero.yaml", "--format", "json"]);

    // Assert
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mttr-zero\.yaml:10:11: cluster\.node\.mttr: expected a duration > 0/);
    const json = JSON.parse(r.stdout);
    expect(json.results.map((x: { file: string }) => x.file)).toContain("test/fixtures/classic/single-node.yaml");
    expect(json.errors[0].file).toBe("test/fixtures/bad/mttr-zero.yaml");
  });

  it("when the --output directory does not exist then it is one error line and no file", async () => {
    // Act
    const r = await runCli(["check", "test/fixtures/classic/single-node.yaml", "--output", "/nonexistent-dir/r.xml"]);

    // Assert
    expect(expectOneLineError(r)).toMatch(/cannot write the output file/);
    expect(existsSync("/nonexistent-dir/r.xml")).toBe(false);
  });

  it("when thresholds are given in nines and durations then each is compared with the hand value", async () => {
    // Arrange: hand, U = 1/1001 → 3.0004 nines; MTTF = 1000 h; downtime = 8766/1001 = 8.757 h
    const file = tempFile(
      "m.yaml",
      'mqrel: 1\ncluster: { nodes: 1, node: { mtbf: 1000 h, mttr: 1 h } }\nslo:\n  cluster.availability: "> 2.9 nines"\n  cluster.mttf: ">= 1000 h"\n  cluster.downtime_per_year: "< 9 h"\n',
    );

    // Act
    const json = JSON.parse((await runCli(["check", file, "--format", "json"])).stdout);
    const stricter = await runCli(["check", file, "--set", 'slo.cluster.availability=">= 3.1 nines"']);
    const tighter = await runCli(["check", file, "--set", 'slo.cluster.downtime_per_year="< 8.7 h"']);

    // Assert
    expect(json.results.map((r: { pass: boolean }) => r.pass)).toEqual([true, true, true]);
    expect(stricter.status).toBe(1);
    expect(tighter.status).toBe(1);
  });
});

/** Every opened element is closed, in order (a minimal well-formedness check). */
function balanced(xml: string): boolean {
  const stack: string[] = [];
  for (const match of xml.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name as string);
  }
  return stack.length === 0;
}
