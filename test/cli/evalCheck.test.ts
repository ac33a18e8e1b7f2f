import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { expectOneLineError, mqrel } from "../helpers/cli.js";
import { expectRelativelyClose } from "../helpers/close.js";

const PRESETS = readdirSync("models").filter((f) => f.endsWith(".yaml"));

describe("mqrel eval", () => {
  it("shows the k-of-n availability and the article's parallel formula for the same RabbitMQ nodes", () => {
    const r = mqrel(["eval", "models/rabbitmq-quorum-3.yaml", "--format", "json"]);
    expect(r.status).toBe(0);
    const model = JSON.parse(r.stdout).models[0];
    expect(model.file).toBe("models/rabbitmq-quorum-3.yaml");
    expect(model.name).toBe("rabbitmq-quorum-3");
    const cluster = model.metrics["cluster.availability"];
    // one repair crew and a common cause: the Markov model is the right formula
    expect(cluster.formula).toBe("availability.ctmc");
    const node = model.metrics["node.availability"];
    // hand: node U = 4 h / (2·8766 h + 4 h) = 4/17536
    expectRelativelyClose(node.complement, 4 / 17536, 1e-14);
    const u = 4 / 17536;
    const a = 17532 / 17536;
    // independent 2-of-3 (binomial, by hand): U = 3·a·u² + u³; the article: u³
    expectRelativelyClose(cluster.alternatives["availability.kofn"].complement, 3 * a * u * u + u ** 3, 1e-12);
    expectRelativelyClose(cluster.alternatives["availability.parallel"].complement, u ** 3, 1e-12);
    expect(cluster.alternatives["availability.parallel"].overstates_nines).toBeGreaterThan(5);
    expect(cluster.complement).toBeGreaterThan(cluster.alternatives["availability.kofn"].complement);
  });

  it("uses the parallel formula for quorum 1 and k-of-n for a quorum with independent repair", () => {
    const article = JSON.parse(mqrel(["eval", "models/article-example.yaml", "--format", "json"]).stdout).models[0].metrics;
    expect(article["cluster.availability"].formula).toBe("availability.parallel");
    // hand: three nodes at U = 0.01 → 1e-6
    expectRelativelyClose(article["cluster.availability"].complement, 1e-6, 1e-13);
    const kofn = JSON.parse(mqrel(["eval", "models/article-example.yaml", "--set", "cluster.quorum=2", "--format", "json"]).stdout)
      .models[0];
    expect(kofn.metrics["cluster.availability"].formula).toBe("availability.kofn");
    expectRelativelyClose(kofn.metrics["cluster.availability"].complement, 2.98e-4, 1e-12);
  });

  it("turns the loss probability into lost messages per year at the model's traffic rate", () => {
    const metrics = JSON.parse(mqrel(["eval", "models/default.yaml", "--format", "json"]).stdout).models[0].metrics;
    const loss = metrics["message.loss"];
    // 1000 messages/s × 31 557 600 s/year × P(loss)
    expectRelativelyClose(loss.lost_messages_per_year, 1000 * 31_557_600 * loss.value, 1e-12);
  });

  it("accepts the annotated example model of the README, and simulates it", () => {
    const readme = readFileSync("README.md", "utf8");
    const start = readme.indexOf("```yaml\nmqrel: 1");
    const example = readme.slice(start + "```yaml\n".length, readme.indexOf("```", start + 7));
    const dir = mkdtempSync(join(tmpdir(), "mqrel-"));
    const file = join(dir, "readme.yaml");
    writeFileSync(file, example);
    expect(mqrel(["check", file]).status).toBe(0);
    expect(mqrel(["simulate", file, "--runs", "4", "--horizon", "500 years", "--json"]).status).toBe(0);
  });

  it("applies --set to any field, with units", () => {
    const base = JSON.parse(mqrel(["eval", "models/single-node.yaml", "--format", "json"]).stdout).models[0].metrics;
    const faster = JSON.parse(mqrel(["eval", "models/single-node.yaml", "--set", "cluster.node.mttr=30 min", "--format", "json"]).stdout)
      .models[0].metrics;
    expectRelativelyClose(base["cluster.availability"].complement, 4 / 17536, 1e-14);
    expectRelativelyClose(faster["cluster.availability"].complement, 0.5 / 17532.5, 1e-14);
  });

  it("renders a table and Markdown for several models", () => {
    const table = mqrel(["eval", "models/default.yaml", "models/single-node.yaml"]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/default-quorum-3/);
    expect(table.stdout).toMatch(/single-node/);
    expect(table.stdout).toMatch(/nines/);
    expect(table.stdout).not.toMatch(/\u001b\[/);
    const md = mqrel(["eval", "models/", "--format", "markdown"]);
    expect(md.status).toBe(0);
    expect(md.stdout).toMatch(/^### /m);
    expect(md.stdout).toMatch(/\| `cluster.availability` \|/);
  });

  it("keeps the exact complement of a typed decimal through a model file", () => {
    const dir = mkdtempSync(join(tmpdir(), "mqrel-"));
    const file = join(dir, "m.yaml");
    writeFileSync(file, "mqrel: 1\ncluster:\n  nodes: 1\n  quorum: 1\n  node: { availability: 0.999999999999999 }\n");
    const json = JSON.parse(mqrel(["eval", file, "--format", "json"]).stdout);
    expect(json.models[0].metrics["cluster.availability"].complement).toBe(1e-15);
  });
});

describe("mqrel check", () => {
  it("passes every preset's own SLOs (exit 0, a table)", () => {
    const r = mqrel(["check", "models/"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/thresholds: \d+ met, 0 violated/);
    for (const preset of PRESETS) expect(r.stdout).toContain(preset.replace(/\.yaml$/, "").slice(0, 12));
  });

  it("every preset documents the sources of its numbers at its top", () => {
    for (const preset of PRESETS) {
      const text = readFileSync(join("models", preset), "utf8");
      expect(text.startsWith("#"), preset).toBe(true);
      expect(text, preset).toMatch(/docs\/sources\.md/);
    }
  });

  it("writes JUnit XML that parses, one testcase per threshold", () => {
    const dir = mkdtempSync(join(tmpdir(), "mqrel-"));
    const out = join(dir, "r.xml");
    const r = mqrel(["check", "models/", "--format", "junit", "--output", out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    const xml = readFileSync(out, "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(xml);
    const suites = parsed.testsuites.testsuite as { "@_file": string; testcase: { "@_name": string }[] }[];
    const json = JSON.parse(mqrel(["check", "models/", "--format", "json"]).stdout);
    expect(suites).toHaveLength(PRESETS.length);
    expect(suites.flatMap((s) => s.testcase)).toHaveLength(json.results.length);
    expect(Number(parsed.testsuites["@_failures"])).toBe(0);
    expect(balanced(xml)).toBe(true);
  });

  it("when one threshold is unreachable then it exits 1 and names that threshold's file and line", () => {
    const dir = mkdtempSync(join(tmpdir(), "mqrel-"));
    const file = join(dir, "rabbitmq-quorum-3.yaml");
    copyFileSync("models/rabbitmq-quorum-3.yaml", file);
    const text = readFileSync(file, "utf8").replace('cluster.availability: ">= 99.99%"', 'cluster.availability: ">= 99.9999999%"');
    writeFileSync(file, text);
    const line = text.split("\n").findIndex((l) => l.includes("99.9999999%")) + 1;
    const table = mqrel(["check", file]);
    expect(table.status).toBe(1);
    expect(table.stdout).toContain(`${file}:${line}: cluster.availability`);
    const github = mqrel(["check", file, "--format", "github"]);
    expect(github.status).toBe(1);
    expect(github.stdout).toMatch(
      new RegExp(`^::error file=${file.replaceAll("/", "\\/")},line=${line},col=\\d+,title=SLO violated%3A cluster.availability::`, "m"),
    );
    const json = JSON.parse(mqrel(["check", file, "--format", "json"]).stdout);
    expect(json.pass).toBe(false);
    const failing = json.results.filter((r: { pass: boolean }) => !r.pass);
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatchObject({ file, metric: "cluster.availability", threshold: ">= 99.9999999%", pass: false, line });
    const junit = mqrel(["check", file, "--format", "junit"]);
    expect(XMLValidator.validate(junit.stdout)).toBe(true);
    expect(junit.stdout).toMatch(/<failure type="SLOViolation" message="cluster.availability = /);
  });

  it("when one model is invalid then the others are still checked, and it exits 2", () => {
    const r = mqrel(["check", "models/single-node.yaml", "test/fixtures/bad/mttr-zero.yaml", "--format", "json"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mttr-zero\.yaml:10:11: cluster\.node\.mttr: expected a duration > 0/);
    const json = JSON.parse(r.stdout);
    expect(json.results.length).toBeGreaterThan(0);
    expect(json.errors[0].file).toBe("test/fixtures/bad/mttr-zero.yaml");
  });

  it("never leaves a half-written output file: a bad --output directory is one error line", () => {
    const r = mqrel(["check", "models/single-node.yaml", "--output", "/nonexistent-dir/r.xml"]);
    expect(expectOneLineError(r)).toMatch(/cannot write the output file/);
    expect(existsSync("/nonexistent-dir/r.xml")).toBe(false);
  });

  it("reads nines and duration thresholds", () => {
    const dir = mkdtempSync(join(tmpdir(), "mqrel-"));
    const file = join(dir, "m.yaml");
    writeFileSync(
      file,
      'mqrel: 1\ncluster: { nodes: 1, node: { mtbf: 1000 h, mttr: 1 h } }\nslo:\n  cluster.availability: "> 2.9 nines"\n  cluster.mttf: ">= 1000 h"\n  cluster.downtime_per_year: "< 9 h"\n',
    );
    // hand: U = 1/1001 → 3.0004 nines; MTTF = 1000 h; downtime = 8766/1001 = 8.757 h
    const json = JSON.parse(mqrel(["check", file, "--format", "json"]).stdout);
    expect(json.results.map((r: { pass: boolean }) => r.pass)).toEqual([true, true, true]);
    const failing = mqrel(["check", file, "--set", 'slo.cluster.availability=">= 3.1 nines"']);
    expect(failing.status).toBe(1);
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
