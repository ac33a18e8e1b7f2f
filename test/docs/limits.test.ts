/**
 * The limits the manual and `--help` state hold: each number is read from the text a user
 * reads (docs/model-files.md, docs/planning.md, a command's --help) and exercised at the
 * limit (accepted) and one step beyond it (refused with one line, exit 2, naming the
 * limit). Should a limit move in the code and not in the docs, or the other way round,
 * a test here fails. In-process runs (test/helpers/inProcessCli.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectInputError, run, tempDir } from "../helpers/inProcessCli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const doc = (name: string) => readFileSync(join(ROOT, "docs", name), "utf8").replace(/\s+/g, " ");

/** The first group of `pattern` in `text` as a number ("1 000 000" → 1000000); fails the test when absent. */
function stated(text: string, pattern: RegExp, what: string): number[] {
  const match = pattern.exec(text);
  if (match === null) throw new Error(`the docs no longer state ${what} (${pattern})`);
  return match.slice(1).map((group) => Number((group as string).replace(/[\s\u00a0]/g, "")));
}

const write = (name: string, text: string) => {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
};

describe("docs/model-files.md's limits", () => {
  const text = doc("model-files.md");

  it("when a cluster has the stated most nodes then it is evaluated, one more is refused naming the limit", async () => {
    const [nodes] = stated(text, /at most (\d[\d ]*) nodes/, "the node limit") as [number];
    expect(nodes).toBe(1000);
    const model = (n: number) =>
      write(`n${n}.yaml`, `mqrel: 1\ncluster: { nodes: ${n}, quorum: majority, node: { availability: 0.999 } }\n`);
    const ran = await run(["eval", model(nodes), "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    // value and complement of the k-of-n availability agree (issue 18: 0.999999999999999 beside 0)
    const availability = JSON.parse(ran.stdout).models[0].metrics["cluster.availability"];
    expect(availability.value + availability.complement).toBeCloseTo(1, 15);
    expect(availability.value).toBeLessThanOrEqual(1);
    expect(expectInputError(await run(["eval", model(nodes + 1)]))).toMatch(new RegExp(`at most ${nodes} nodes`));
  });

  it("when retry.attempts is the stated most then it is evaluated, one more is refused naming the limit", async () => {
    const [attempts] = stated(text, /at most (\d[\d ]*) retry attempts/, "the retry attempt limit") as [number];
    expect(attempts).toBe(1_000_000);
    const model = "test/fixtures/classic/default.yaml";
    expect((await run(["eval", model, "--set", `retry.attempts=${attempts}`, "--json"])).code).toBe(0);
    expect(expectInputError(await run(["eval", model, "--set", `retry.attempts=${attempts + 1}`]))).toMatch(
      new RegExp(`at most ${attempts} attempts`),
    );
  });

  it("when parameters refer to each other as deep as stated then the model is read, one level more is refused", async () => {
    const [depth] = stated(text, /parameters may refer to parameters at most (\d+) levels deep/, "the parameter depth") as [number];
    /** p0 … p<n−1>, each naming the one before: n deep */
    const chain = (n: number) => {
      const params = Array.from({ length: n }, (_, i) => (i === 0 ? "  p0: 4 h" : `  p${i}: p${i - 1}`));
      return write(
        `d${n}.yaml`,
        `mqrel: 1\nparams:\n${params.join("\n")}\ncluster: { nodes: 3, quorum: 2, node: { mtbf: 2 years, mttr: p${n - 1} } }\n`,
      );
    };
    expect((await run(["eval", chain(depth), "--json"])).code).toBe(0);
    expect(expectInputError(await run(["eval", chain(depth + 1)]))).toMatch(new RegExp(`more than ${depth} deep`));
  });

  it("when a Weibull shape or a lognormal sigma is at the stated ends then it is read, just beyond them it is refused", async () => {
    const [shapeLow, shapeHigh, sigmaLow, sigmaHigh] = stated(
      text,
      /Weibull `shape` lies in ([\d.]+) … ([\d.]+) and a lognormal `sigma` in ([\d.]+) … ([\d.]+)/,
      "the shape and sigma ranges",
    ) as [number, number, number, number];
    const file = write(
      "w.yaml",
      "mqrel: 1\ncluster: { nodes: 3, quorum: 2, node: { mtbf: 2 years, mttr: 4 h } }\nsimulation: { failure: { distribution: weibull, shape: 1 }, repair: { distribution: lognormal, sigma: 1 } }\n",
    );
    for (const [path, low, high] of [
      ["simulation.failure.shape", shapeLow, shapeHigh],
      ["simulation.repair.sigma", sigmaLow, sigmaHigh],
    ] as const) {
      for (const ok of [low, high]) expect((await run(["eval", file, "--set", `${path}=${ok}`, "--json"])).code, `${path}=${ok}`).toBe(0);
      for (const bad of [low * (1 - 1e-6), high * (1 + 1e-6)]) {
        expect(expectInputError(await run(["eval", file, "--set", `${path}=${bad}`])), `${path}=${bad}`).toMatch(
          new RegExp(`expected a number between ${low} and ${high}`),
        );
      }
    }
  });

  it("when a duration is 1 ns or 1e12 years (the stated range) then it is read, beyond it refused", async () => {
    expect(text).toMatch(/a duration lies between 1 ns and 10\^12 years/);
    const file = "test/fixtures/classic/single-node.yaml";
    for (const ok of ["1 ns", "1e12 years"])
      expect((await run(["eval", file, "--set", `cluster.node.mttr=${ok}`, "--json"])).code, ok).toBe(0);
    for (const bad of ["0.999 ns", "1.001e12 years"]) {
      expect(expectInputError(await run(["eval", file, "--set", `cluster.node.mttr=${bad}`])), bad).toMatch(/between 1 ns and 1e12 years/);
    }
  });
});

describe("docs/planning.md's and --help's limits", () => {
  const text = doc("planning.md");
  const model = "test/fixtures/classic/single-node.yaml";

  it("when a sweep gives a field the stated most values then it runs; one more value, or more points in all, are refused at once", async () => {
    const [perField, inAll] = stated(text, /Up to (\d[\d ]*) values per field and (\d[\d ]*) points in all/, "the sweep's limits") as [
      number,
      number,
    ];
    // --help says the same
    expect((await run(["sweep", "--help"])).stdout.replace(/\s+/g, " ")).toContain(
      `At most ${perField} values a field, ${inAll} points in all`,
    );
    const ran = await run(["sweep", model, "--vary", `cluster.node.mttr=1 h..${perField} h:1 h`, "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout).rows).toHaveLength(perField);
    expect(expectInputError(await run(["sweep", model, "--vary", `cluster.node.mttr=1 h..${perField + 1} h:1 h`]))).toMatch(
      new RegExp(`the range has ${perField + 1} values; at most ${perField}`),
    );
    // two fields whose product is one more round of the first: beyond the points limit
    const second = Math.floor(inAll / perField) + 1;
    expect(
      expectInputError(
        await run(["sweep", model, "--vary", `cluster.node.mttr=1 h..${perField} h:1 h`, "--vary", `cluster.nodes=1..${second}`]),
      ),
    ).toMatch(new RegExp(`at most ${inAll}`));
  });

  it("when solve's --range has the stated most values it runs; one more is refused, and the stated step reaches the model's attempt limit", async () => {
    const [most] = stated(text, /a `--range` takes at most (\d[\d ]*) values/, "the --range limit") as [number];
    const argv = ["solve", "test/fixtures/classic/default.yaml", "--for", "retry.attempts", "--metric", "retry.success"];
    expect((await run([...argv, "--range", `retry.attempts=1..${most}`, "--json"])).code).toBeLessThanOrEqual(1);
    expect(expectInputError(await run([...argv, "--range", `retry.attempts=1..${most + 1}`]))).toMatch(
      new RegExp(`the range has ${most + 1} values; at most ${most}`),
    );
    // the docs' own example for searching higher works, and says what it searched
    const [from, to, factor] = stated(text, /`--range retry\.attempts=(\d+)\.\.(\d+):\*(\d+)`/, "the geometric example") as [
      number,
      number,
      number,
    ];
    const ran = await run([...argv, "--range", `retry.attempts=${from}..${to}:*${factor}`, "--json"]);
    expect(ran.code === 0 || ran.code === 1, ran.stderr).toBe(true);
    // from·factor^k ≤ to
    const count = Math.floor(Math.log(to / from) / Math.log(factor)) + 1;
    expect(JSON.parse(ran.stdout).searched[0]).toMatchObject({ method: "values", values: count, from });
  });

  it("when --minimize would cost more combinations than stated then it is refused at once, naming the limit", async () => {
    const [most] = stated(text, /continuous fields over their grid, at most (\d[\d ]*)\) is costed/, "the combination limit") as [number];
    // 1000 × 1000 × 2 = 2 000 000 combinations, each --range within its 1000 values
    const line = expectInputError(
      await run([
        ...[
          "solve",
          "test/fixtures/classic/single-node.yaml",
          "--for",
          "cluster.nodes",
          "--for",
          "cluster.repair_crews",
          "--for",
          "cluster.node.mttr",
        ],
        ...["--range", "cluster.nodes=1..1000", "--range", "cluster.repair_crews=1..1000", "--range", "cluster.node.mttr=1 h,2 h"],
        ...["--minimize", "cluster.nodes"],
      ]),
    );
    expect(2_000_000).toBeGreaterThan(most);
    expect(line).toMatch(new RegExp(`2000000 combinations to cost .*; at most ${most}`));
  });

  it("when sensitivity --by is the least the help and the docs state it runs, and below it is refused", async () => {
    const help = (await run(["sensitivity", "--help"])).stdout.replace(/\s+/g, " ");
    const [least] = stated(help, /at least (\d+e-\d+) \(0\.0001 %\)/, "--by's least change") as [number];
    expect(least).toBe(1e-6);
    expect(text).toContain("`--by` lies between 1e-6");
    const ran = await run(["sensitivity", model, "--by", String(least), "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(expectInputError(await run(["sensitivity", model, "--by", String(least * 0.99)]))).toMatch(/at least 0\.0001 % \(1e-6\)/);
  });
});
