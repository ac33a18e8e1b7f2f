/**
 * Issue 18, class by class: the planning commands (sweep, solve, sensitivity), merge,
 * report and the gates keep the contract the loader keeps (test/cli/hostile.test.ts).
 * Each case asserts it: bad input exits 2 with one line on stderr; nothing from a model
 * reaches the terminal raw (no ESC, no bidirectional override, no line a CI log reads as
 * a workflow command); no command writes over a file it reads; no wrong answer.
 * In-process runs (test/helpers/inProcessCli.ts).
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { RUN_RECORD } from "../../src/sim/kernel/plainRun.js";
import { digestsOf, parseShard } from "../../src/sim/run/shard.js";
import { expectInputError, type Ran, run, tempDir } from "../helpers/inProcessCli.js";

const MODEL = "mqrel: 1\ncluster: { nodes: 3, quorum: 2, node: { mtbf: 2 years, mttr: 4 h } }\n";
const write = (dir: string, name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** Terminal controls, C1 controls, line separators and bidirectional overrides: never in human output (\n and CSV's \r are ours). */
const RAW = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Nothing raw, and no line that GitHub Actions would run as a workflow command. */
function expectNothingRaw(text: string, what: string): void {
  expect(text, what).not.toMatch(RAW);
  for (const line of text.split("\n")) expect(line, `${what}: a line reads as a workflow command`).not.toMatch(/^\s*(::|##\[)/);
}

/** A successful run whose stdout and stderr are both safe. */
function expectSafe(ran: Ran, what: string): void {
  expect(ran.code, `${what}: ${ran.stderr}`).toBe(0);
  expectNothingRaw(ran.stdout, `${what} (stdout)`);
  expectNothingRaw(ran.stderr, `${what} (stderr)`);
}

// A failure mode whose key is hostile: ESC (a colour), U+202E (right-to-left override),
// a newline followed by a workflow command. The name and description are hostile too.
const KEY = "::error::disk\u001b[31m\u202e\nx";
const EVIL = {
  mqrel: 1,
  name: "::warning::name\u001b]0;title\u0007\u2028<img src=x onerror=alert(1)>|`*_",
  description: "d\n::error file=x::description",
  cluster: {
    nodes: 3,
    quorum: 2,
    node: { failures: { [KEY]: { mtbf: "2 years", mttr: "4 h" }, other: { mtbf: "3 years", mttr: "1 h" } } },
  },
  slo: { "cluster.availability": ">= 99.99%" },
};
const evilModel = () => write(tempDir(), "evil.json", JSON.stringify(EVIL));
const EVIL_PATH = `cluster.node.failures.${KEY}.mttr`;

describe("model text never reaches the terminal raw (one escaping path for every human format)", () => {
  const cases: readonly (readonly [string, readonly string[]])[] = [
    ["sweep, table", ["sweep", "MODEL", "--vary", "cluster.nodes=3..5"]],
    ["sweep, table without chart", ["sweep", "MODEL", "--vary", "cluster.nodes=3..5", "--no-chart"]],
    ["sweep, markdown", ["sweep", "MODEL", "--vary", "cluster.nodes=3..5", "--format", "markdown"]],
    ["sweep, csv", ["sweep", "MODEL", "--vary", "cluster.nodes=3..5", "--format", "csv"]],
    ["sweep over the other failure mode", ["sweep", "MODEL", "--vary", "cluster.node.failures.other.mttr=1 h..4 h"]],
    ["sweep with refused points", ["sweep", "MODEL", "--vary", "cluster.quorum=1..5"]],
    ["sweep with refused points, markdown", ["sweep", "MODEL", "--vary", "cluster.quorum=1..5", "--format", "markdown"]],
    ["solve over a count", ["solve", "MODEL", "--for", "cluster.nodes"]],
    ["solve over the hostile field", ["solve", "MODEL", "--for", EVIL_PATH]],
    ["solve that finds nothing", ["solve", "MODEL", "--for", "cluster.nodes", "--target", ">= 99.9999999999999%"]],
    ["sensitivity", ["sensitivity", "MODEL"]],
    ["sensitivity, narrow", ["sensitivity", "MODEL", "--by", "50%"]],
  ];
  for (const [what, argv] of cases) {
    it(`when a model's name, description and a failure mode's key hold ESC, U+202E and '\\n::error' then ${what} prints them escaped`, async () => {
      const file = evilModel();
      const ran = await run(argv.map((a) => (a === "MODEL" ? file : a)));
      expectSafe(ran, what);
      // the text is there, escaped, not dropped (CSV has no name line)
      if (!argv.includes("csv")) expect(ran.stdout, what).toMatch(/\\x1b.*\\u2028/);
    });
  }

  it("when stderr is a terminal then the progress line names the hostile field escaped (only its own line control)", async () => {
    const ran = await run(["solve", evilModel(), "--for", EVIL_PATH], { stderrColumns: 400 });
    expect(ran.code, ran.stderr).toBe(0);
    // the progress line's own control: carriage return and erase-line, nothing else
    const own = ran.stderr.replaceAll("\r\u001b[2K", "");
    expect(own).toMatch(/::error::disk\\x1b\[31m\\u202e\\nx/);
    expect(own).not.toMatch(RAW);
  });

  it("when report writes the hostile model's page to standard output then it is written (no Vega expression error, exit 0) and nothing in it is raw", async () => {
    const ran = await run(["report", evilModel(), "--out", "-"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^<!doctype html>/i);
    expectNothingRaw(ran.stdout, "report page");
    expect(ran.stdout).not.toMatch(/<img src=x/);
    expect(ran.stdout).toMatch(/::error::disk⧵x1b\[31m⧵u202e⧵nx/);
  });

  it("when the report is Markdown then HTML and Markdown markup in the model's name stay text", async () => {
    const ran = await run(["sweep", evilModel(), "--vary", "cluster.nodes=3..4", "--format", "markdown"]);
    expectSafe(ran, "markdown");
    expect(ran.stdout).not.toMatch(/<img/);
    expect(ran.stdout).toMatch(/&lt;img src=x onerror=alert\(1\)&gt;\\\|\\`\\\*\\_/);
  });

  it("when the hostile key starts a line (the contributor sentence, a wrapped list) then that line is quoted, not a workflow command", async () => {
    const ran = await run(["sensitivity", evilModel()], { env: { COLUMNS: "40" } });
    expectSafe(ran, "sensitivity at 40 columns");
    expect(ran.stdout).toMatch(/^"::error::disk\\\\x1b\[31m\\\\u202e\\\\nx/m);
  });

  it("when the hostile text is in a --vary value list then the error is one escaped line", async () => {
    const ran = await run(["sweep", evilModel(), "--vary", "cluster.nodes=3,\u001b[2J\u202e\n::error::x"]);
    const line = expectInputError(ran);
    expectNothingRaw(line, "the error line");
  });

  it("when --vary names the hostile field then it is refused with one escaped line (solve --for reaches it instead)", async () => {
    for (const format of ["table", "csv", "markdown"]) {
      const line = expectInputError(await run(["sweep", evilModel(), "--vary", `${EVIL_PATH}=1 h..4 h`, "--format", format]));
      expect(line).toMatch(/--vary: expected a dotted field path/);
      expectNothingRaw(line, "the error line");
    }
  });

  it("when the JSON is asked then the model's text is kept as data (JSON escapes control characters itself)", async () => {
    const ran = await run(["sweep", evilModel(), "--vary", "cluster.nodes=3..4", "--json"]);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).model).toBe(EVIL.name);
    expect(ran.stdout).not.toMatch(/\u001b/);
  });
});

describe("no command writes over a file it reads (one guard for every output)", () => {
  /** A model file and its bytes, in a fresh directory. */
  function setup() {
    const dir = tempDir();
    const model = write(dir, "m.yaml", MODEL);
    return { dir, model, bytes: readFileSync(model) };
  }
  const unchanged = (file: string, bytes: Buffer) => expect(readFileSync(file).equals(bytes), `${file} was overwritten`).toBe(true);

  const cases: readonly (readonly [string, (model: string, dir: string) => readonly string[]])[] = [
    ["report --out the model", (m) => ["report", m, "--out", m]],
    ["report --output the model", (m) => ["report", m, "--output", m]],
    ["eval --output the model", (m) => ["eval", m, "--output", m]],
    ["eval --output the model spelled ./", (m, dir) => ["eval", m, "--output", `./${relative(process.cwd(), join(dir, "m.yaml"))}`]],
    ["check --output the model", (m) => ["check", m, "--output", m]],
    ["validate --output the model", (m) => ["validate", m, "--runs", "2", "--horizon", "1 year", "--output", m]],
    ["simulate --output the model", (m) => ["simulate", m, "--runs", "2", "--horizon", "1 year", "--output", m]],
    ["simulate --shard --out the model", (m) => ["simulate", m, "--runs", "2", "--horizon", "1 year", "--shard", "1/2", "--out", m]],
    ["simulate --out the model (one shard)", (m) => ["simulate", m, "--runs", "2", "--horizon", "1 year", "--out", m]],
  ];
  for (const [what, argv] of cases) {
    it(`when ${what} then it is refused (exit 2, one line) and the model is unchanged`, async () => {
      const { dir, model, bytes } = setup();
      const line = expectInputError(await run(argv(model, dir)));
      expect(line).toMatch(/--(out|output): is (the|one of the) model files? being \w+( on)? \(.*m\.yaml\); choose another file$/);
      unchanged(model, bytes);
    });
  }

  it("when the output is a symbolic link or a hard link to the model then it is refused too", async () => {
    const { dir, model, bytes } = setup();
    const soft = join(dir, "soft.yaml");
    symlinkSync(model, soft);
    const hard = join(dir, "hard.yaml");
    linkSync(model, hard);
    expect(expectInputError(await run(["eval", model, "--output", soft]))).toMatch(/is one of the model files being evaluated/);
    expect(expectInputError(await run(["report", model, "--out", hard]))).toMatch(/is the model file being reported on/);
    unchanged(model, bytes);
  });

  it("when eval reads several models and --output is the second then it is refused before anything is evaluated", async () => {
    const { dir, model } = setup();
    const second = write(dir, "second.yaml", MODEL);
    const bytes = readFileSync(second);
    expect(expectInputError(await run(["eval", model, second, "--output", second]))).toMatch(/second\.yaml/);
    unchanged(second, bytes);
  });

  it("when merge --output names one of its shards (given, or found in a directory) then it is refused and the shard kept", async () => {
    const { dir, model } = setup();
    const parts = join(dir, "parts");
    mkdirSync(parts);
    for (const i of [1, 2]) {
      expect((await run(["simulate", model, "--runs", "4", "--horizon", "1 year", "--shard", `${i}/2`, "--out", `${parts}/`])).code).toBe(
        0,
      );
    }
    const shard = join(parts, "part-2-of-2.json");
    const bytes = readFileSync(shard);
    expect(expectInputError(await run(["merge", join(parts, "part-1-of-2.json"), shard, "--output", shard]))).toMatch(
      /--output: is one of the shard files being merged/,
    );
    expect(expectInputError(await run(["merge", parts, "--output", shard]))).toMatch(/is one of the shard files being merged/);
    unchanged(shard, bytes);
    // a new file is fine
    const out = join(dir, "merged.json");
    expect((await run(["merge", parts, "--json", "--output", out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).runs).toBe(4);
  });

  it("when report --out is - then the page goes to standard output, its summary to standard error, and no file named - appears", async () => {
    const { model } = setup();
    const ran = await run(["report", model, "--out", "-"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^<!doctype html>/i);
    expect(ran.stderr).toMatch(/^wrote standard output: \d+ charts, \d+ KiB\n$/);
    expect(existsSync("-")).toBe(false);
  });

  it("when the output is a new file beside the model then it is written", async () => {
    const { dir, model, bytes } = setup();
    const out = join(dir, "eval.json");
    expect((await run(["eval", model, "--json", "--output", out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).models).toHaveLength(1);
    unchanged(model, bytes);
  });
});

describe("merge verifies what it adds", () => {
  /** Two shards of one small simulation, and the unsharded JSON to compare with. */
  async function shardsOf(argv: (i: number) => readonly string[]) {
    const dir = tempDir();
    const model = write(dir, "d.yaml", MODEL);
    const files: string[] = [];
    for (const i of [1, 2]) {
      const out = join(dir, `p${i}.json`);
      const ran = await run([...argv(i).map((a) => (a === "MODEL" ? model : a)), "--shard", `${i}/2`, "--out", out]);
      expect(ran.code, ran.stderr).toBe(0);
      files.push(out);
    }
    return { dir, model, files };
  }
  // plain runs (the edits below name RUN_RECORD's fields): auto would pick importance sampling for this model
  const SIM = ["simulate", "MODEL", "--runs", "6", "--horizon", "50 years", "--seed", "7", "--workers", "1", "--method", "plain"];

  /** Rewrite shard 1's totals and its digests (as someone covering the edit would, with mqrel's own digest code). */
  function tamper(file: string, edit: (fields: unknown[][]) => void, rehash = true): string {
    const json = JSON.parse(readFileSync(file, "utf8"));
    edit(json.parts[0].totals.fields);
    if (rehash) Object.assign(json, digestsOf(json, parseShard(file, JSON.parse(readFileSync(file, "utf8"))).header.config));
    const out = file.replace(/\.json$/, "-edited.json");
    writeFileSync(out, JSON.stringify(json));
    return out;
  }

  it("when the shards are untouched then merge prints exactly what the unsharded simulation prints", async () => {
    const { model, files } = await shardsOf(() => SIM);
    const merged = await run(["merge", ...files, "--json"]);
    const whole = await run([...SIM.map((a) => (a === "MODEL" ? model : a)), "--json"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout).metrics).toEqual(JSON.parse(whole.stdout).metrics);
  });

  // RUN_RECORD (src/sim/run.ts): 0 simulated hours, 1 downtime, 2 outages, 19 stopped
  const total = (partials: unknown[]) => (partials as number[]).reduce((a, b) => a + b, 0);
  const edits: readonly (readonly [string, number, (old: unknown[]) => number[], RegExp])[] = [
    ["a downtime of 1e12 hours", 1, () => [1e12], /a downtime of 1000000000000 h exceeds/],
    ["a downtime of −5 hours", 1, () => [-5], /downtimeHours sums to -5; every sum is finite and at least 0/],
    ["a downtime a little larger (plausible)", 1, (old) => [total(old) + 1], /do not add up/],
    ["half an outage", 2, () => [0.5], /outages counts 0\.5, not a whole number/],
    ["fewer simulated hours", 0, () => [5], /5 simulated hours in 3 runs of 438300 h/],
    ["a run stopped early", 19, () => [1], /a run was stopped early/],
  ];
  for (const [what, field, value, message] of edits) {
    it(`when a shard's sums were edited (${what}) and its digest recomputed then merge refuses it with one line`, async () => {
      const { files } = await shardsOf(() => SIM);
      const edited = tamper(files[0] as string, (fields) => {
        fields[field] = value(fields[field] as unknown[]);
      });
      const line = expectInputError(await run(["merge", edited, files[1] as string]));
      expect(line).toMatch(message);
      expect(line).toMatch(/p1-edited\.json: parts\[0\]\.totals: .*\(the file was changed or damaged\)$/);
    });
  }

  it("when one partial sum of a shard was edited (still valid JSON) and its digests left as they were then merge refuses it naming the file and field", async () => {
    const { files } = await shardsOf(() => SIM);
    // one partial of the up time's exact sum, one hour less: a plausible edit
    const edited = tamper(
      files[0] as string,
      (fields) => {
        const partials = fields[RUN_RECORD.upTimeHours] as number[];
        expect(partials.length).toBeGreaterThan(0);
        partials[partials.length - 1] = (partials[partials.length - 1] as number) - 1;
      },
      false,
    );
    const ran = await run(["merge", edited, files[1] as string]);
    expect(ran.code).toBe(2);
    expect(expectInputError(ran)).toMatch(
      /p1-edited\.json: parts\[0\]\.totals\.fields\.upTimeHours: does not match its digest in field_sha256 \(the file was changed or damaged\)$/,
    );
  });

  it("when a shard's seed was edited and its digests left as they were then merge refuses it naming the overall digest", async () => {
    const { files } = await shardsOf(() => SIM);
    const json = JSON.parse(readFileSync(files[0] as string, "utf8"));
    json.seed = 8;
    const edited = (files[0] as string).replace(/\.json$/, "-seed.json");
    writeFileSync(edited, JSON.stringify(json));
    // alone (merged with shard 2 the seeds would differ first)
    expect(expectInputError(await run(["merge", edited]))).toMatch(/p1-seed\.json: sums_sha256: does not match the file's seed, runs/);
  });

  it("when a pair moment was edited below what its sum allows and the digests recomputed then merge refuses it", async () => {
    const { files } = await shardsOf(() => SIM);
    const json = JSON.parse(readFileSync(files[0] as string, "utf8"));
    // Σa² of the up time (a run's hours with quorum) 0 while Σa > 0: no three runs have that (Cauchy–Schwarz)
    json.parts[0].totals.pairs.upTime.aa = [0];
    Object.assign(
      json,
      digestsOf(json, parseShard(files[0] as string, JSON.parse(readFileSync(files[0] as string, "utf8"))).header.config),
    );
    const edited = (files[0] as string).replace(/\.json$/, "-moment.json");
    writeFileSync(edited, JSON.stringify(json));
    expect(expectInputError(await run(["merge", edited, files[1] as string]))).toMatch(
      /parts\[0\]\.totals: the upTime\.aa moment sums to 0, less than \(Σa\)²\/runs = .* \(the file was changed or damaged\)$/,
    );
  });

  it("when a shard's sum is 1e400 (Infinity once read) then merge refuses it", async () => {
    const { files } = await shardsOf(() => SIM);
    const text = readFileSync(files[0] as string, "utf8");
    const json = JSON.parse(text);
    // the digests of the file as merge reads it (1e400 reads as Infinity, which JSON writes as null)
    json.parts[0].totals.fields[1] = [null];
    Object.assign(json, digestsOf(json, parseShard(files[0] as string, JSON.parse(text)).header.config));
    json.parts[0].totals.fields[1] = ["INF"];
    const edited = (files[0] as string).replace(/\.json$/, "-inf.json");
    writeFileSync(edited, JSON.stringify(json).replace('"INF"', "1e400"));
    expect(expectInputError(await run(["merge", edited, files[1] as string]))).toMatch(/parts\[0\]\.totals: .*finite/);
  });

  it("when a shard has no digest then merge refuses it", async () => {
    const { files } = await shardsOf(() => SIM);
    const json = JSON.parse(readFileSync(files[0] as string, "utf8"));
    delete json.sums_sha256;
    const edited = (files[0] as string).replace(/\.json$/, "-nodigest.json");
    writeFileSync(edited, JSON.stringify(json));
    expect(expectInputError(await run(["merge", edited, files[1] as string]))).toMatch(/sums_sha256: expected a string/);
  });

  it("when the same model is spelled d.yaml in one shard and ./d.yaml (or a copy elsewhere) in the other then they merge", async () => {
    const dir = tempDir();
    const model = write(dir, "d.yaml", MODEL);
    const spelled = `./${relative(process.cwd(), model)}`;
    const copyDir = join(dir, "elsewhere");
    mkdirSync(copyDir);
    const copy = join(copyDir, "d.yaml");
    copyFileSync(model, copy);
    const shard = async (file: string, i: number) => {
      const out = join(dir, `s${i}-${file === copy ? "copy" : "same"}.json`);
      const r = await run(["simulate", file, "--runs", "6", "--horizon", "50 years", "--seed", "7", "--shard", `${i}/2`, "--out", out]);
      expect(r.code, r.stderr).toBe(0);
      return out;
    };
    const a = await run(["merge", await shard(model, 1), await shard(spelled, 2), "--json"]);
    expect(a.code, a.stderr).toBe(0);
    const b = await run(["merge", await shard(model, 1), await shard(copy, 2), "--json"]);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(a.stdout).metrics).toEqual(JSON.parse(b.stdout).metrics);
  });

  it("when the other shard's model differs in its bytes then the shards are still refused as different simulations", async () => {
    const { dir, files } = await shardsOf(() => SIM);
    const other = write(dir, "other.yaml", MODEL.replace("4 h", "5 h"));
    const out = join(dir, "other-2.json");
    expect(
      (await run(["simulate", other, "--runs", "6", "--horizon", "50 years", "--seed", "7", "--shard", "2/2", "--out", out])).code,
    ).toBe(0);
    expect(expectInputError(await run(["merge", files[0] as string, out]))).toMatch(/shards of different simulations cannot be merged/);
  });
});

describe("the gates judge a cluster that is never up", () => {
  // hand: every node fails within minutes and takes 1000 years to repair — the cluster
  // loses quorum at once and never regains it (the formula gives 1.08e-17).
  const NEVER =
    'mqrel: 1\ncluster: { nodes: 3, quorum: 2, node: { mtbf: 1 min, mttr: 1000 years } }\nslo: { cluster.availability: ">= 99.9%" }\n';
  const SIMULATE = ["--simulate", "--runs", "10", "--horizon", "10 years", "--workers", "1"];

  it("when check --simulate --allow-inconclusive simulates an availability of 0 then it fails (exit 1), not 'too few events'", async () => {
    const file = write(tempDir(), "never.yaml", NEVER);
    const ran = await run(["check", file, ...SIMULATE, "--allow-inconclusive", "--json"]);
    expect(ran.code, ran.stderr).toBe(1);
    const result = JSON.parse(ran.stdout).results[0];
    expect(result).toMatchObject({ value: 0, verdict: "fail", pass: false });
    expect(result.margin).toBeCloseTo(-0.999, 12);
  });

  it("when a failing margin is printed in text then it has its sign, as in JSON (formula and simulation)", async () => {
    const file = write(tempDir(), "never.yaml", NEVER);
    const formula = await run(["check", file]);
    expect(formula.code).toBe(1);
    expect(formula.stdout).toMatch(/FAIL .* −0\.999 /);
    const simulated = await run(["check", file, ...SIMULATE]);
    expect(simulated.code).toBe(1);
    expect(simulated.stdout).toMatch(/FAIL .* −0\.999 /);
    const github = await run(["check", file, "--format", "github"]);
    expect(github.stdout).toMatch(/margin −0\.999;/);
  });

  it("when no event happens because the cluster never goes down then the verdict stays inconclusive (zero events prove nothing either way)", async () => {
    // hand: mtbf 10^6 years over 10 runs of 10 years: no failure at all, downtime 0 exactly
    const file = write(
      tempDir(),
      "solid.yaml",
      'mqrel: 1\ncluster: { nodes: 3, quorum: 2, node: { mtbf: 1000000 years, mttr: 1 h } }\nslo: { cluster.availability: ">= 99.9%" }\n',
    );
    const ran = await run(["check", file, ...SIMULATE, "--json"]);
    const result = JSON.parse(ran.stdout).results[0];
    expect(result.verdict).not.toBe("fail");
  });
});

describe("a target that watches nothing is refused", () => {
  const plain = () => write(tempDir(), "plain.yaml", MODEL);
  const cases: readonly (readonly [string, RegExp])[] = [
    ["message.loss", /--target-metric: the model has no durability or messages block, so message\.loss is not simulated$/],
    ["retry.success", /--target-metric: the model has no retry block, so retry\.success is not simulated$/],
    ["queue.availability", /--target-metric: queue\.availability needs cluster\.failover/],
    ["node.availability", /--target-metric: the simulator does not estimate node\.availability: /],
  ];
  for (const [metric, message] of cases) {
    it(`when simulate --target-rel-error 0.1 --target-metric ${metric} runs a model without it then it is refused (exit 2), not "target met"`, async () => {
      expect(expectInputError(await run(["simulate", plain(), "--target-rel-error", "0.1", "--target-metric", metric]))).toMatch(message);
    });
  }

  it("when validate is given such a target then it is refused too", async () => {
    expect(expectInputError(await run(["validate", plain(), "--target-rel-error", "0.1", "--target-metric", "message.loss"]))).toMatch(
      /message\.loss is not simulated/,
    );
  });

  it("when the model has the metric then the target is watched", async () => {
    const ran = await run([
      "simulate",
      "test/fixtures/classic/single-node.yaml",
      "--target-rel-error",
      "0.9",
      "--target-metric",
      "message.loss",
      "--runs",
      "64",
      "--horizon",
      "10 years",
      "--workers",
      "1",
      "--json",
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout).target.watched).toEqual(["message.loss"]);
  });

  it("when report --help is shown then it offers no --target-metric, and giving one is a usage error", async () => {
    const help = await run(["report", "--help"]);
    expect(help.stdout).not.toMatch(/--target-/);
    expectInputError(await run(["report", plain(), "--out", join(tempDir(), "r.html"), "--target-metric", "message.loss"]));
  });
});

describe("a thousand nodes: value and complement agree", () => {
  it("when 1000 nodes need 501 then eval's cluster.availability is 1 beside a complement of 0, never 1.0000000000000466", async () => {
    const file = write(tempDir(), "k1000.yaml", "mqrel: 1\ncluster: { nodes: 1000, quorum: 501, node: { mtbf: 2 years, mttr: 4 h } }\n");
    const ran = await run(["eval", file, "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    const availability = JSON.parse(ran.stdout).models[0].metrics["cluster.availability"];
    // the unavailability, a binomial tail below 1e-1000, underflows to 0
    expect(availability).toMatchObject({ value: 1, complement: 0 });
  });

  it("when k of 1000 nodes are needed then value + complement = 1 for every k, the value never above 1", async () => {
    const { kofnAvailability } = await import("../../src/formulas/kofn.js");
    const node = { value: 0.99, complement: 0.01 };
    const nodes = Array.from({ length: 1000 }, () => node);
    for (const k of [1, 10, 100, 500, 900, 980, 990, 995, 1000]) {
      const r = kofnAvailability(k, nodes);
      expect(r.value, `k = ${k}`).toBeLessThanOrEqual(1);
      expect(r.complement, `k = ${k}`).toBeGreaterThanOrEqual(0);
      expect(r.value === 1 - r.complement || r.complement === 1 - r.value, `k = ${k}: ${r.value} + ${r.complement}`).toBe(true);
    }
    // every node needed: A = 0.99^1000 (Math.pow, an independent computation), to a few ulp
    const all = kofnAvailability(1000, nodes);
    expect(Math.abs(all.value - 0.99 ** 1000) / 0.99 ** 1000).toBeLessThan(1e-12);
  });
});

describe("sweep's size is bounded", () => {
  it("when two --vary make a million points then sweep refuses at once (exit 2), naming the limit its --help states", async () => {
    const file = write(tempDir(), "m.yaml", MODEL);
    const line = expectInputError(
      await run(["sweep", file, "--vary", "cluster.nodes=3..1000", "--vary", "cluster.node.mttr=1 h..1000 h:1 h"]),
    );
    expect(line).toMatch(/--vary: 998 × 1000 = 998000 points; a sweep has at most 10000/);
    expect((await run(["sweep", "--help"])).stdout).toMatch(/10000 points in all/);
  });
});

describe("planning output fits the terminal", () => {
  const widest = (text: string) => Math.max(...text.split("\n").map((line) => [...line].length));
  const cases: readonly (readonly [string, readonly string[]])[] = [
    [
      "solve over two fields",
      [
        "solve",
        "models/default.yaml",
        "--for",
        "cluster.node.failures.hardware.mttr",
        "--for",
        "cluster.nodes",
        "--minimize",
        "cluster.nodes",
      ],
    ],
    ["solve over a count", ["solve", "test/fixtures/classic/default.yaml", "--for", "cluster.nodes"]],
    ["sensitivity with long field paths", ["sensitivity", "test/fixtures/classic/default.yaml"]],
    ["sensitivity of message.loss", ["sensitivity", "test/fixtures/classic/kafka-acks1.yaml", "--metric", "message.loss"]],
    ["sweep with its chart", ["sweep", "test/fixtures/classic/default.yaml", "--vary", "cluster.nodes=3..5"]],
  ];
  for (const [what, argv] of cases) {
    it(`when COLUMNS=80 then ${what} keeps every line within 80 columns`, async () => {
      const ran = await run(argv, { env: { COLUMNS: "80" } });
      expect(ran.code === 0 || ran.code === 1, ran.stderr).toBe(true);
      expect(widest(ran.stdout), ran.stdout).toBeLessThanOrEqual(80);
    });
  }
});

describe("negative zero and long numbers in messages", () => {
  const withFailover = (time: string) =>
    write(
      tempDir(),
      "m.yaml",
      `mqrel: 1\ncluster: { nodes: 3, quorum: 2, node: { mtbf: 2 years, mttr: 4 h }, failover: { time: ${time} } }\n`,
    );

  it("when failover.time is -0 then eval and simulate refuse it at load (exit 2, one line), not with an election rate of -Infinity", async () => {
    const file = withFailover("-0");
    for (const argv of [
      ["eval", file],
      ["simulate", file, "--runs", "2"],
      ["sweep", file, "--vary", "cluster.nodes=3..4"],
    ]) {
      const line = expectInputError(await run(argv));
      expect(line).toMatch(/cluster\.failover\.time: expected a duration ≥ 0, got -0 h$/);
      expect(line).not.toMatch(/Infinity/);
    }
  });

  it("when a computed duration is out of range then the message shows it with at most 6 significant digits", async () => {
    const line = expectInputError(await run(["eval", withFailover("-1 s")]));
    // −1 s = −1/3600 h = −0.000277777… h
    expect(line).toMatch(/got -0\.000277778 h$/);
  });

  it("when a computed probability is just above 1 then the message shows enough digits to see it (never 'got 1')", async () => {
    const file = write(tempDir(), "p.yaml", "mqrel: 1\ncluster: { nodes: 3, quorum: 2, node: { availability: 1 + 1e-7 } }\n");
    expect(expectInputError(await run(["eval", file]))).toMatch(/expected a probability in \[0, 1\], got 1\.0000001$/);
  });

  it("when failover.time is 0 then it is a valid model (an instant election)", async () => {
    expect((await run(["eval", withFailover("0"), "--json"])).code).toBe(0);
  });
});

describe("plain numbers for times and rates in the planning commands", () => {
  const cases: readonly (readonly [string, readonly string[], RegExp])[] = [
    [
      "sweep --vary",
      ["sweep", "test/fixtures/classic/default.yaml", "--vary", "cluster.common_cause.rate=0.1..1", "--no-chart"],
      /--vary cluster\.common_cause\.rate: plain number read as 0\.1 per hour/,
    ],
    [
      "solve --set",
      ["solve", "test/fixtures/classic/default.yaml", "--for", "cluster.nodes", "--set", "cluster.node.mttr=4"],
      /--set cluster\.node\.mttr: plain number read as 4 h/,
    ],
    [
      "sensitivity --set",
      ["sensitivity", "test/fixtures/classic/default.yaml", "--set", "cluster.node.mttr=4"],
      /--set cluster\.node\.mttr: plain number read as 4 h/,
    ],
  ];
  for (const [what, argv, warning] of cases) {
    it(`when ${what} gives a plain number for a time or rate then a warning says how it reads, and --strict-units refuses it`, async () => {
      const warned = await run(argv);
      expect(warned.code === 0 || warned.code === 1, warned.stderr).toBe(true);
      expect(warned.stderr).toMatch(new RegExp(`^warning: .*${warning.source}`));
      expect(warned.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(expectInputError(await run([...argv, "--strict-units"]))).toMatch(/needs a unit with --strict-units/);
    });
  }

  it("when the values have units then --strict-units has nothing to say", async () => {
    const ran = await run([
      "sweep",
      "test/fixtures/classic/default.yaml",
      "--vary",
      "cluster.common_cause.rate=0.1 / year..1 / year",
      "--strict-units",
      "--json",
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toBe("");
  });
});

describe("the README's limits hold", () => {
  /** params p0 … p<n−1>, each naming the one before: a chain n deep. */
  const chain = (n: number, reversed = false) => {
    const params = Array.from({ length: n }, (_, i) => (i === 0 ? "  p0: 4 h" : `  p${i}: p${i - 1}`));
    if (reversed) params.reverse();
    return `mqrel: 1\nparams:\n${params.join("\n")}\ncluster: { nodes: 3, quorum: 2, node: { mtbf: 2 years, mttr: p${n - 1} } }\n`;
  };

  it("when parameters form a chain 100 deep then it is read; 101 or 5000 deep (in file order or reversed) then it is refused", async () => {
    const dir = tempDir();
    expect((await run(["eval", write(dir, "d100.yaml", chain(100)), "--json"])).code).toBe(0);
    for (const [name, text] of [
      ["d101.yaml", chain(101)],
      ["d5000.yaml", chain(5000)],
      ["r5000.yaml", chain(5000, true)],
    ] as const) {
      expect(expectInputError(await run(["eval", write(dir, name, text)])), name).toMatch(
        /parameters refer to each other more than 100 deep/,
      );
    }
  });

  it("when retry.attempts is beyond 1 000 000 then it is refused", async () => {
    for (const attempts of ["1000001", "1e15"]) {
      expect(expectInputError(await run(["eval", "test/fixtures/classic/default.yaml", "--set", `retry.attempts=${attempts}`]))).toMatch(
        /expected at most 1000000 attempts/,
      );
    }
  });
});

describe("sensitivity's step", () => {
  it("when --by is below 1e-6 then it is refused (the change would vanish in the 12 digits values are written with), not 'no effect'", async () => {
    const line = expectInputError(await run(["sensitivity", "test/fixtures/classic/default.yaml", "--by", "1e-12"]));
    expect(line).toMatch(/--by: expected a relative change of at least 0\.0001 % \(1e-6\), got "1e-12"$/);
  });

  it("when --by is small but allowed then the ends are labelled with it, never ±0%, and every input has an effect", async () => {
    const ran = await run(["sensitivity", "test/fixtures/classic/single-node.yaml", "--by", "0.5%", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    const text = await run(["sensitivity", "test/fixtures/classic/single-node.yaml", "--by", "0.5%"]);
    expect(text.stdout).toMatch(/−0\.5%: .* \+0\.5%: /);
    expect(text.stdout).not.toMatch(/[−+]0%/);
    // a node's mtbf and mttr move a single node's availability whatever the step
    const rows = JSON.parse(ran.stdout).rows as { path: string; swing_nines: number }[];
    const mttr = rows.find((row) => /mttr/.test(row.path));
    expect(mttr?.swing_nines).toBeGreaterThan(0);
  });
});

describe("solve over a time field with a plain --range", () => {
  it("when --range gives plain numbers for a repair time then the answer is shown in hours, with its unit, and warned about", async () => {
    const argv = [
      "solve",
      "models/default.yaml",
      "--for",
      "cluster.node.failures.hardware.mttr",
      "--range",
      "cluster.node.failures.hardware.mttr=1..2",
    ];
    const ran = await run(argv);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toMatch(/^warning: .*--range cluster\.node\.failures\.hardware\.mttr: plain number read as 1 h/);
    expect(ran.stdout).toMatch(/cluster\.node\.failures\.hardware\.mttr = 2 h: the largest value/);
    // the same search with units gives the same number (JSON: hours)
    const withUnits = await run([...argv.slice(0, -1), "cluster.node.failures.hardware.mttr=1 h..2 h", "--json"]);
    expect(JSON.parse(withUnits.stdout).value).toBe(JSON.parse((await run([...argv, "--json"])).stdout).value);
  });
});

describe("no line of eval's, check's, validate's or simulate's human output is raw or reads as a workflow command", () => {
  // eval's findings sentence starts with the failure mode's key: wrapped at 80 columns it
  // began a line with "::error::disk…" (fitLines now quotes such a line, as sweep's did)
  const cases: readonly (readonly [string, readonly string[], Record<string, string>])[] = [
    ["eval, table at 80 columns", ["eval", "MODEL"], {}],
    ["eval, table at 40 columns", ["eval", "MODEL"], { COLUMNS: "40" }],
    ["eval, markdown", ["eval", "MODEL", "--format", "markdown"], {}],
    ["check, table", ["check", "MODEL"], {}],
    ["check, markdown", ["check", "MODEL", "--format", "markdown"], {}],
    // validate's "By the formulas, …" sentence printed the key's ESC and U+202E raw
    ["validate", ["validate", "MODEL", "--runs", "20", "--horizon", "10 years"], {}],
    ["simulate", ["simulate", "MODEL", "--runs", "20", "--horizon", "10 years"], {}],
    // the planning commands quote such a line too, and fit it again (sensitivity's was 85 at 80)
    ["sensitivity at 80 columns", ["sensitivity", "MODEL"], {}],
    ["solve at 80 columns", ["solve", "MODEL", "--for", "cluster.nodes"], {}],
    ["sweep at 80 columns", ["sweep", "MODEL", "--vary", "cluster.nodes=3..5"], {}],
  ];
  for (const [what, argv, env] of cases) {
    it(`when the hostile model is given to ${what} then nothing is raw and no line starts with '::'`, async () => {
      const ran = await run(
        argv.map((a) => (a === "MODEL" ? evilModel() : a)),
        { env },
      );
      expect(ran.code === 0 || ran.code === 1, ran.stderr).toBe(true);
      expectNothingRaw(ran.stdout, `${what} (stdout)`);
      expectNothingRaw(ran.stderr, `${what} (stderr)`);
      // a quoted line is wider than the line it quotes: it still fits (eval's was 85 at 80)
      if (!argv.includes("markdown")) {
        const width = Number(env.COLUMNS ?? 80);
        for (const line of ran.stdout.split("\n")) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
      }
    });
  }
});

describe("solve --minimize when the common-cause floor rules everything out", () => {
  // floor = λ_cc/(λ_cc + μ_cc) with λ_cc = 1/8766 per h, 1/μ_cc = 8 h: 9.12e-4, so no
  // combination reaches 99.99 % whatever its nodes, crews and repair times
  const CC =
    "mqrel: 1\ncluster: { nodes: 3, quorum: 2, node: { mtbf: 2 years, mttr: 4 h }, common_cause: { rate: 1 / year, mttr: 8 h } }\n";

  it("when none of three searched fields moves the floor then solve answers at once that nothing meets the target (exit 1), every combination ruled out", async () => {
    const file = write(tempDir(), "cc.yaml", CC);
    const before = readFileSync(file);
    const argv = ["solve", file, "--for", "cluster.nodes", "--for", "cluster.repair_crews", "--for", "cluster.node.mttr"];
    const ranges = ["--range", "cluster.nodes=1..100", "--range", "cluster.repair_crews=1..100"];
    const cost = ["--minimize", "cluster.nodes * 300 + cluster.repair_crews * 2000", "--target", ">= 99.99%"];
    const started = Date.now();
    const ran = await run([...argv, ...ranges, ...cost, "--json"]);
    // 100 × 100 × 61 combinations: took 100 s and 393 MB before; now no combination is visited
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ran.code, ran.stderr).toBe(1);
    expect(ran.stderr).toBe("");
    const json = JSON.parse(ran.stdout);
    expect(json).toMatchObject({ met: false, evaluated: 0, refused: 0, pruned: 100 * 100 * 61 });
    expect(json.common_cause_floor.unavailability).toBeCloseTo(8 / (8766 + 8), 12);
    const text = await run([...argv, ...ranges, ...cost]);
    expect(text.stdout).toMatch(/0 models computed,\s+610000 ruled out by the\s+common-cause floor/);
    expect(readFileSync(file)).toEqual(before);
  });

  it("when the floor's own field is searched beside others that the loader refuses at some values then every combination is still ruled out, quickly", async () => {
    const file = write(tempDir(), "cc.yaml", CC);
    const started = Date.now();
    // nodes = 1 is refused (quorum 2 of 1 node): that refusal must not hide the floor of the
    // combinations beside it (it made every point with the same common-cause mttr computed: 292 s)
    const ran = await run([
      ...["solve", file, "--for", "cluster.nodes", "--for", "cluster.common_cause.mttr", "--for", "cluster.node.mttr"],
      ...["--range", "cluster.nodes=1..10", "--range", "cluster.common_cause.mttr=8 h..16 h"],
      ...["--minimize", "cluster.nodes * 300", "--target", ">= 99.99%", "--json"],
    ]);
    expect(Date.now() - started).toBeLessThan(10000);
    expect(ran.code, ran.stderr).toBe(1);
    expect(JSON.parse(ran.stdout)).toMatchObject({ met: false, evaluated: 0, pruned: 10 * 61 * 61 });
  });

  it("when the floor does not rule the target out then the cheapest combination is found and eval agrees it meets the target", async () => {
    const file = write(tempDir(), "cc.yaml", CC);
    const ran = await run([
      ...["solve", file, "--for", "cluster.nodes", "--for", "cluster.common_cause.mttr", "--range", "cluster.nodes=1..7"],
      ...[
        "--range",
        "cluster.common_cause.mttr=1 min,10 min,1 h,8 h",
        "--minimize",
        "cluster.nodes * 300 - cluster.common_cause.mttr / 1 h",
      ],
      ...["--target", ">= 99.99%", "--json"],
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    const json = JSON.parse(ran.stdout);
    expect(json.met).toBe(true);
    expect(json.pruned).toBeGreaterThan(0);
    // checked by eval at the answer, an independent run of the model
    const [nodes, mttr] = [json.value["cluster.nodes"], json.value["cluster.common_cause.mttr"]];
    const evaluated = await run([
      "eval",
      file,
      "--set",
      `cluster.nodes=${nodes}`,
      "--set",
      `cluster.common_cause.mttr=${mttr} h`,
      "--json",
    ]);
    const availability = JSON.parse(evaluated.stdout).models[0].metrics["cluster.availability"];
    expect(availability.value).toBeCloseTo(json.metric_value, 12);
    expect(availability.value).toBeGreaterThanOrEqual(0.9999);
  });
});

describe("numbers in messages: about 6 significant digits, never rounded across a line the message draws", () => {
  it("when a rate target is computed just below 0 then the message shows -0.000002, not the double's 17 digits", async () => {
    // 0.999998 − 1 = −1.999999999946489e-6 in binary floating point
    const line = expectInputError(
      await run([
        "solve",
        "test/fixtures/classic/default.yaml",
        "--for",
        "cluster.nodes",
        "--metric",
        "cluster.outages_per_year",
        "--target",
        "<= 0.999998 - 1",
      ]),
    );
    expect(line).toBe("error: --target: expected a rate ≥ 0, got -0.000002 per year");
  });

  it("when a plain rate is computed (1/3) then its warning shows 6 significant digits", async () => {
    const ran = await run(["eval", "test/fixtures/classic/default.yaml", "--set", "cluster.common_cause.rate=1/3", "--json"]);
    for (const line of ran.stderr.split("\n")) expect(line).not.toMatch(/\d{8,}/);
    // it read "0.3333333333333333 per hour"
    expect(ran.stderr).toMatch(/plain number read as 0\.333333 per hour \(2922 per year\)/);
  });
});

describe("a range message never rounds the value into the range it names", () => {
  it("when a repair time is just under 1 ns then the message shows it below 1 ns (2.7777777e-13 h), not 2.77778e-13 h, which is above", async () => {
    // 1 ns = 1e-9/3600 h = 2.7777…e-13 h; 0.99999999 ns = 2.77777775e-13 h
    const line = expectInputError(
      await run(["eval", "test/fixtures/classic/single-node.yaml", "--set", "cluster.node.mttr=0.99999999 ns"]),
    );
    expect(line).toMatch(/expected a duration between 1 ns and 1e12 years, got 2\.7777777e-13 h$/);
    expect((await run(["eval", "test/fixtures/classic/single-node.yaml", "--set", "cluster.node.mttr=1 ns", "--json"])).code).toBe(0);
  });

  it("when a plain number is read as hours then the warning does not repeat itself ('1 h (1 hours)', 'write \"1 h\", or \"1 h\"')", async () => {
    const argv = ["solve", "test/fixtures/classic/single-node.yaml", "--for", "cluster.node.mttr", "--range", "cluster.node.mttr=1..2"];
    const warned = await run(argv);
    expect(warned.stderr).toMatch(/plain number read as 1 h; write "1 h" to say so \(--strict-units makes this an error\)$/m);
    const line = expectInputError(await run([...argv, "--strict-units"]));
    expect(line).toMatch(/a plain number for a duration needs a unit with --strict-units: write "1 h"$/);
  });
});

describe("solve says what it searched", () => {
  it("when --range over a count is geometric (1000..1000000:*2) then the searched line lists those values, not 'every whole number'", async () => {
    const argv = ["solve", "test/fixtures/classic/default.yaml", "--for", "retry.attempts", "--range", "retry.attempts=1000..1000000:*2"];
    const ran = await run(argv);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).not.toMatch(/every whole number/);
    // 1000·2^k ≤ 1 000 000: k = 0…9, ten values
    expect(ran.stdout).toMatch(/searched retry\.attempts: 10 values 1000, 2000, 4000, …, 256000, 512000;/);
    const json = JSON.parse((await run([...argv, "--json"])).stdout);
    expect(json.searched[0]).toMatchObject({ method: "values", from: 1000, to: 512000, values: 10 });
  });

  it("when --range over a count is a plain interval then it is every whole number, and a list is its values", async () => {
    const base = ["solve", "test/fixtures/classic/default.yaml", "--for", "cluster.nodes"];
    expect((await run([...base, "--range", "cluster.nodes=3..9"])).stdout).toMatch(/every whole number 3…9 \(7\)/);
    expect((await run([...base, "--range", "cluster.nodes=3,5,7"])).stdout).toMatch(/3 values 3, 5, 7/);
  });
});

describe("the formula table keeps words whole", () => {
  it("when COLUMNS is 80, 100 or 120 then every word of every formula's math and parameters that fits its column appears unbroken", async () => {
    const catalog = JSON.parse((await run(["formulas", "--json"])).stdout).formulas as {
      math: string;
      params: { name: string; default?: string; required?: boolean }[];
    }[];
    const label = (p: { name: string; default?: string; required?: boolean }) =>
      p.default !== undefined ? `${p.name}=${p.default}` : p.required ? p.name : `[${p.name}]`;
    for (const columns of ["80", "100", "120"]) {
      const out = (await run(["formulas"], { env: { COLUMNS: columns } })).stdout;
      const broken: string[] = [];
      for (const entry of catalog) {
        // the one word wider than the math column can be at 80 columns breaks after a punctuation mark
        for (const word of `${entry.math} ${entry.params.map(label).join(", ")}`.split(/\s+/)) {
          if (word.length <= 24 && !out.includes(word)) broken.push(word);
        }
      }
      // at 80 columns "backoff_multiplier=2," and "consumer_crash_rate=0," were split
      expect(broken, `COLUMNS=${columns}`).toEqual([]);
    }
    const at80 = (await run(["formulas"], { env: { COLUMNS: "80" } })).stdout;
    expect(at80).toMatch(/min\(initial·multiplier\^ *│[^\n]*\n[^\n]*│ \(i−1\), max\)/);
  });
});

describe("a long sweep in a pipe shows life on stderr (docs/planning.md), never in machine formats", () => {
  const argv = ["sweep", "MODEL", "--vary", "cluster.node.failures.other.mttr=1 h..3 h:1 h"];
  const withModel = (extra: readonly string[]) => [...argv, ...extra].map((a) => (a === "MODEL" ? evilModel() : a));

  it("when stderr is a pipe and MQREL_PROGRESS_SECONDS=0 then a plain line per point says how many are done, the hostile field escaped", async () => {
    const ran = await run(withModel([]), { env: { MQREL_PROGRESS_SECONDS: "0" } });
    expectSafe(ran, "sweep with plain progress");
    const lines = ran.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("sweep: 0 of 3 points done, now the model as given, 0 s elapsed");
    expect(lines.at(-1)).toMatch(/^sweep: 2 of 3 points done, now cluster\.node\.failures\.other\.mttr=3 h, \d+ s elapsed$/);
    // solve reaches the hostile field: its label is escaped in the plain line too
    const solved = await run(["solve", evilModel(), "--for", EVIL_PATH], { env: { MQREL_PROGRESS_SECONDS: "0" } });
    expectSafe(solved, "solve with plain progress");
    expect(solved.stderr).toMatch(/^solve: 1 point done, now cluster\.node\.failures\.::error::disk\\x1b\[31m\\u202e\\nx\.mttr=/m);
  });

  it("when the sweep ends before the interval (10 s by default) then stderr stays empty", async () => {
    expect((await run(withModel([]))).stderr).toBe("");
  });

  for (const extra of [["--json"], ["--format", "csv"], ["--quiet"]]) {
    it(`when ${extra.join(" ")} is given then no progress line is printed even with MQREL_PROGRESS_SECONDS=0`, async () => {
      const ran = await run(withModel(extra), { env: { MQREL_PROGRESS_SECONDS: "0" } });
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stderr).toBe("");
    });
  }
});

describe("the README's planning example is what solve prints", () => {
  it("when the README's five-nines solve is run then its output has the README's lines (refused points stay refused, not ruled out)", async () => {
    const readme = readFileSync("README.md", "utf8");
    const block = /\$ npx mqrel solve models\/default\.yaml --for cluster\.nodes --target ">= 99\.999%"\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block, "the README's example").toBeDefined();
    // the README's transcripts are printed at the width it states
    const [columns] = /what these commands print \(`COLUMNS=(\d+)`\)/.exec(readme)?.slice(1) ?? ["?"];
    const ran = await run(["solve", "models/default.yaml", "--for", "cluster.nodes", "--target", ">= 99.999%"], {
      env: { COLUMNS: columns },
    });
    expect(ran.code).toBe(1);
    expect(ran.stdout.trimEnd()).toBe((block as string).trimEnd());
  });
});

describe("solve's --tolerance is one a double can keep", () => {
  it("when --tolerance is below 1e-15 then it is refused (the answer claimed 'a relative tolerance of 1e-300'), and 1e-15 is met", async () => {
    const argv = ["solve", "test/fixtures/classic/single-node.yaml", "--for", "cluster.node.mttr", "--target", ">= 99.9%"];
    expect(expectInputError(await run([...argv, "--tolerance", "1e-300"]))).toMatch(
      /--tolerance: expected a relative tolerance from 1e-15/,
    );
    const ran = await run([...argv, "--tolerance", "1e-15", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout).tolerance).toBe(1e-15);
  });
});
