/**
 * Issue 9, class by class: hostile input, resource limits, safe output and the
 * conventions of a CLI, run in-process through main(). Bad input must exit 2 with one
 * line on stderr and no stack trace; hangs and memory bombs must be refused (the test
 * asserts the refusal, not the time); wrong numbers and false passes must not happen.
 * The model-file fixtures of these classes are also in test/fixtures/bad (manifest.json).
 */
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { expectInputError, run, tempDir } from "../helpers/inProcessCli.js";

const MODEL = "mqrel: 1\ncluster: { nodes: 3, quorum: 2, node: { mtbf: 2 years, mttr: 4 h } }\n";
const write = (dir: string, name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const widest = (text: string) => Math.max(...text.split("\n").map((line) => [...line.replace(/\u001b\[[0-9;]*m/g, "")].length));

describe("wrong numbers and false passes", () => {
  it("when 50 nodes need 1 with one crew (mtbf 100 years, mttr 1 min) then check passes on a finite value, not NaN", async () => {
    const dir = tempDir();
    const file = write(
      dir,
      "fifty.yaml",
      'mqrel: 1\ncluster: { nodes: 50, quorum: 1, repair_crews: 1, node: { mtbf: 100 years, mttr: 1 min } }\nslo: { cluster.availability: ">= 99.9%" }\n',
    );
    const r = await run(["check", file, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout).results[0];
    // mpmath reference (test/formulas/ctmc.test.ts): U = 2.725e-322
    expect(result.complement).toBeGreaterThan(0);
    expect(result.complement).toBeLessThan(3e-322);
    expect(result.pass).toBe(true);
  });

  it("when a threshold can never be met (>= 1e309) then it is an input error, not a pass", async () => {
    const dir = tempDir();
    const file = write(dir, "m.yaml", `${MODEL}slo: { cluster.mttf: ">= 1e309" }\n`);
    expect(expectInputError(await run(["check", file]), { report: true })).toMatch(/slo\.cluster\.mttf: 1e309 is too large for a double/);
  });

  it("when a duration overflows a sum (mtbf = mttr = 1e308) then it is refused, never 100% with ∞ nines", async () => {
    const dir = tempDir();
    const file = write(
      dir,
      "m.yaml",
      'mqrel: 1\ncluster: { nodes: 1, node: { mtbf: 1e308, mttr: 1e308 } }\nslo: { cluster.availability: ">= 99.9%" }\n',
    );
    expect(expectInputError(await run(["check", file]), { report: true })).toMatch(/expected a duration between 1 ns and 1e12 years/);
  });

  it("when an SLO is keyed __proto__, toString or constructor then it is an error naming the key, never a silent pass or exit 3", async () => {
    const dir = tempDir();
    for (const key of ["__proto__", "toString", "constructor", "hasOwnProperty"]) {
      const file = write(dir, `${key}.yaml`, `${MODEL}slo: { ${key}: ">= 99%" }\n`);
      expect(expectInputError(await run(["check", file]), { report: true }), key).toMatch(
        key === "__proto__" ? /"__proto__" cannot be a key/ : /unknown metric/,
      );
    }
  });

  it("when --set names __proto__ or constructor then --set is blamed and nothing is polluted", async () => {
    expect(expectInputError(await run(["eval", "test/fixtures/classic/default.yaml", "--set", "__proto__.x=1"]))).toMatch(
      /--set __proto__\.x: "__proto__" cannot be a field name/,
    );
    expect(expectInputError(await run(["eval", "test/fixtures/classic/default.yaml", "--set", "constructor.x=1"]))).toMatch(
      /constructor: unknown field/,
    );
    expect(expectInputError(await run(["eval", "test/fixtures/classic/default.yaml", "--set", 'cluster={"__proto__": {"x": 1}}']))).toMatch(
      /--set cluster: "__proto__" cannot be a key/,
    );
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("when a model has no slo: then check says it checks nothing and exits 1, unless --allow-empty", async () => {
    const dir = tempDir();
    const file = write(dir, "empty-slo.yaml", MODEL);
    const r = await run(["check", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no thresholds: the model has no slo: block, so it checks nothing/);
    expect(r.stdout).toMatch(/1 model with no thresholds/);
    expect((await run(["check", file, "--allow-empty"])).code).toBe(0);
    const junit = (await run(["check", file, "--format", "junit"])).stdout;
    expect(junit).toMatch(/<failure type="NoThresholds"/);
    expect((await run(["check", file, "--format", "junit", "--allow-empty"])).stdout).toMatch(/<skipped message=/);
  });

  it("when check --simulate judges an availability the simulation cannot resolve then it is inconclusive (exit 1), and says runs and seed", async () => {
    const r = await run([
      "check",
      "test/fixtures/classic/rabbitmq-classic-mirrored.yaml",
      "--simulate",
      "--runs",
      "20",
      "--seed",
      "3",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.models[0].simulation).toMatchObject({ runs: 20, seed: 3, mode: "realistic" });
    const availability = json.results.find((x: { metric: string }) => x.metric === "cluster.availability");
    expect(availability.verdict).toBe("inconclusive");
    expect(availability.source).toBe("simulation");
    expect(
      (await run(["check", "test/fixtures/classic/rabbitmq-classic-mirrored.yaml", "--simulate", "--runs", "20", "--allow-inconclusive"]))
        .code,
    ).toBe(0);
  });

  it("when check --simulate runs a model whose interval clears or misses the threshold then it passes or fails", async () => {
    const dir = tempDir();
    // hand: one node, mtbf 10 h, mttr 1 h → U = 1/11 ≈ 0.0909; with exponential repairs (--assume formula)
    // the simulated interval sits tightly around it.
    const file = write(
      dir,
      "one.yaml",
      'mqrel: 1\ncluster: { nodes: 1, node: { mtbf: 10 h, mttr: 1 h } }\nslo:\n  cluster.availability: ">= 80%"\n  cluster.downtime_per_year: "<= 100 h"\n',
    );
    const r = await run(["check", file, "--simulate", "--assume", "formula", "--runs", "20", "--horizon", "10 years", "--json"]);
    const verdicts = JSON.parse(r.stdout).results.map((x: { verdict: string }) => x.verdict);
    expect(verdicts).toEqual(["pass", "fail"]);
    expect(r.code).toBe(1);
    const text = await run(["check", file, "--simulate", "--assume", "formula", "--runs", "20", "--horizon", "10 years"]);
    expect(text.stdout.replace(/\n\s+/g, " ")).toMatch(/20 runs × 10 years, seed 1, formula mechanics/);
    expect(text.stdout).toMatch(/95% CI/);
  });

  it("when --runs is given without --simulate then it is a usage error", async () => {
    expect(expectInputError(await run(["check", "test/fixtures/classic/default.yaml", "--runs", "5"]))).toMatch(/--runs: needs --simulate/);
  });
});

describe("hangs and memory", () => {
  it("when the model is a device, a FIFO or a directory then it is refused without reading it", async () => {
    expect(expectInputError(await run(["eval", "/dev/zero"]))).toMatch(/\/dev\/zero: is a character device, expected a model file/);
    const dir = tempDir();
    const fifo = join(dir, "model.yaml");
    execFileSync("mkfifo", [fifo]);
    expect(expectInputError(await run(["eval", fifo]))).toMatch(/is a FIFO \(named pipe\)/);
    // a FIFO found while searching a directory is skipped, not opened
    write(dir, "real.yaml", MODEL);
    const r = await run(["eval", dir, "--verbose", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped: .*model\.yaml: not a regular file/);
  });

  it("when standard input is endless then at most 1 MiB is read and the model is refused", async () => {
    let sent = 0;
    async function* endless() {
      const chunk = Buffer.alloc(64 * 1024, "y");
      for (;;) {
        sent += chunk.length;
        yield chunk;
      }
    }
    expect(expectInputError(await run(["eval", "-"], { stdin: endless() }))).toMatch(/<stdin>: standard input holds more than 128 KiB/);
    expect(sent).toBeLessThanOrEqual(128 * 1024 + 64 * 1024);
  });

  it("when a mapping has 10 000 keys then it is read in one pass (the YAML library's duplicate check is quadratic)", async () => {
    const dir = tempDir();
    const params = Array.from({ length: 10_000 }, (_, i) => `  p${i}: 1`).join("\n");
    const file = write(dir, "keys.yaml", `${MODEL}params:\n${params}\n`);
    const r = await run(["eval", file, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const duplicated = write(dir, "dup.yaml", `${MODEL}params:\n${params}\n  p9999: 2\n`);
    expect(expectInputError(await run(["eval", duplicated]))).toMatch(/duplicate key "p9999" \(first at line 10003/);
  });

  it("when a model file is over 128 KiB then it is refused before it is parsed (the parser takes seconds per MiB)", async () => {
    const dir = tempDir();
    const file = write(dir, "big.yaml", `${MODEL}description: [${"{a: 1},".repeat(30_000)}{}]\n`);
    expect(expectInputError(await run(["eval", file]))).toMatch(/file is 206 KiB; a model file may be at most 128 KiB/);
  });

  it("when a threshold holds a long run of spaces then it is refused at once", async () => {
    const dir = tempDir();
    const file = write(dir, "spaces.yaml", `${MODEL}slo:\n  cluster.mttf: ">= 1${" ".repeat(120_000)}x"\n`);
    expect(expectInputError(await run(["check", file]), { report: true })).toMatch(/slo\.cluster\.mttf: expression is \d+ characters long/);
  });

  it.each([
    [
      ["availability.ctmc", "-p", "n=10000", "-p", "k=1", "-p", "lambda=1", "-p", "mu=1"],
      /--param n: expected a whole number ≤ 1000, got 10000/,
    ],
    [["availability.kofn", "-p", "n=1e7", "-p", "k=1", "-p", "a=0.9"], /--param n: expected a whole number ≤ 1000, got 1e7/],
    [["availability.kofn", "-p", "n=2^53", "-p", "k=1", "-p", "a=0.9"], /--param n: expected a whole number ≤ 1000/],
    [
      [
        "retry.deadline",
        "-p",
        "p_success=0.5",
        "-p",
        "attempts=1e15",
        "-p",
        "timeout=0",
        "-p",
        "backoff_initial=0",
        "-p",
        "backoff_max=0",
        "-p",
        "deadline=1",
      ],
      /--param attempts: expected a whole number ≤ 1000000, got 1e15/,
    ],
    [
      ["availability.parallel", "-p", `u=${Array.from({ length: 1001 }, () => "0.1").join(",")}`],
      /--param u: expected a list of at most 1000 entries/,
    ],
    [
      ["availability.node", "-p", "mtbf=1e-310", "-p", "mttr=1"],
      /--param mtbf: expected a duration between 1 ns and 1e12 years, got 1e-310 h/,
    ],
    [["availability.node", "-p", "mtbf=1e200", "-p", "mttr=1e-200"], /--param mtbf: expected a duration between 1 ns and 1e12 years/],
  ])("when formula %j asks too much then it is refused with the bound", async (args, message) => {
    expect(expectInputError(await run(["formula", ...(args as string[])]))).toMatch(message as RegExp);
  });

  it("when the largest allowed sizes are asked then they are computed", async () => {
    const ctmc = await run([
      "formula",
      "availability.ctmc",
      "-p",
      "n=1000",
      "-p",
      "k=501",
      "-p",
      "lambda=1/(100 years)",
      "-p",
      "mu=1/min",
      "--json",
    ]);
    expect(ctmc.code, ctmc.stderr).toBe(0);
    expect(JSON.parse(ctmc.stdout).complement).toBe(0); // mpmath: 1.1e-2427, below the double range
    const kofn = await run(["formula", "availability.kofn", "-p", "n=1000", "-p", "k=500", "-p", "a=0.5", "--json"]);
    expect(kofn.code, kofn.stderr).toBe(0);
  });

  it.each([
    ["mtbf: 1 ms", "cluster: { nodes: 3, node: { mtbf: 1 ms, mttr: 1 ms } }", [], /one run would process about .* node events/],
    [
      "a long horizon alone",
      "cluster: { nodes: 3, node: { mtbf: 1 h, mttr: 1 h } }",
      ["--horizon", "1e6 years"],
      /one run would process about/,
    ],
    [
      "retry_samples 1e15",
      "cluster: { nodes: 3, node: { mtbf: 2 years, mttr: 4 h } }\nretry: { attempts: 5, p_success: 0.9 }\nsimulation: { retry_samples: 1e15 }",
      [],
      /simulation\.retry_samples: one run would simulate about .* retry attempts/,
    ],
    [
      "Weibull shape 1e-300",
      "cluster: { nodes: 3, node: { mtbf: 2 years, mttr: 4 h } }\nsimulation: { failure: { distribution: weibull, shape: 1e-300 } }",
      [],
      /shape: expected a number between 0\.1 and 100/,
    ],
    [
      "--runs 1e300",
      "cluster: { nodes: 3, node: { mtbf: 2 years, mttr: 4 h } }",
      ["--runs", "1e300"],
      /--runs: expected a whole number from 1 to 2\^53 − 1/,
    ],
  ])("when the simulator is given %s then it refuses before starting, with the numbers", async (_name, body, extra, message) => {
    const dir = tempDir();
    const file = write(dir, "m.yaml", `mqrel: 1\n${body}\n`);
    for (const command of ["simulate", "validate"]) {
      expect(expectInputError(await run([command, file, "--workers", "1", ...(extra as string[])])), command).toMatch(message as RegExp);
    }
  });
});

describe("crashes on user input become input errors", () => {
  it("when a name or a --set value is megabytes long then it is refused without a quadratic suggestion search", async () => {
    const long = "x".repeat(1 << 20);
    expect(expectInputError(await run(["formula", long]))).toMatch(/unknown formula id/);
    expect(expectInputError(await run(["eval", "test/fixtures/classic/default.yaml", "--set", `cluster.nodes=${long}`]))).toMatch(
      /--set cluster\.nodes: is \d+ characters long; the limit is 10000/,
    );
    expect(expectInputError(await run(["eval", "test/fixtures/classic/default.yaml", "--set", `${long}=1`]))).toMatch(/the limit is 10000/);
  });

  it("when a file cannot be listed as a directory or read then the error names it (exit 2)", async () => {
    const dir = tempDir();
    const notDir = write(dir, "plain.yaml", MODEL);
    expect(expectInputError(await run(["eval", join(notDir, "x.yaml")]))).toMatch(/a part of the path is not a directory/);
  });

  it("when a YAML alias bomb, an unknown alias or a self-referencing alias is read then each is one line", async () => {
    for (const [fixture, message] of [
      ["alias-bomb.yaml", /more than 100000 values/],
      ["alias-unknown.yaml", /unknown alias \*nope/],
      ["alias-self.yaml", /refers to a value that contains it/],
    ] as const) {
      expect(expectInputError(await run(["eval", `test/fixtures/bad/${fixture}`])), fixture).toMatch(message);
    }
  });
});

describe("output safety", () => {
  it("when --output is a device, a FIFO or a directory then it is refused and left as it was", async () => {
    const dir = tempDir();
    const fifo = join(dir, "out.fifo");
    execFileSync("mkfifo", [fifo]);
    expect(expectInputError(await run(["check", "test/fixtures/classic/single-node.yaml", "--output", fifo]))).toMatch(
      /--output: is a FIFO/,
    );
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(expectInputError(await run(["check", "test/fixtures/classic/single-node.yaml", "--output", dir]))).toMatch(
      /--output: is a directory/,
    );
    const device = join(dir, "null");
    let made = true;
    try {
      execFileSync("mknod", [device, "c", "1", "3"], { stdio: "ignore" });
    } catch {
      made = false; // no CAP_MKNOD here: the FIFO and directory cases above still hold
    }
    if (made) {
      expect(expectInputError(await run(["eval", "test/fixtures/classic/single-node.yaml", "--output", device]))).toMatch(
        /--output: is a device/,
      );
      expect(statSync(device).isCharacterDevice()).toBe(true);
    }
  });

  it("when --output is a symbolic link then its target is replaced atomically and the link stays", async () => {
    const dir = tempDir();
    const target = write(dir, "report.json", "old");
    const link = join(dir, "link.json");
    symlinkSync(target, link);
    const r = await run(["check", "test/fixtures/classic/single-node.yaml", "--json", "--output", link]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(JSON.parse(readFileSync(target, "utf8")).pass).toBe(true);
  });

  it("when --output is - then the report goes to standard output, and no file named - appears", async () => {
    const r = await run(["check", "test/fixtures/classic/single-node.yaml", "--output", "-", "--json"]);
    expect(JSON.parse(r.stdout).pass).toBe(true);
    expect(existsSync("-")).toBe(false);
  });

  it("when --output is one of the models being checked then it is refused", async () => {
    const dir = tempDir();
    const file = write(dir, "m.yaml", `${MODEL}slo: { cluster.availability: ">= 99%" }\n`);
    expect(expectInputError(await run(["check", file, "--output", file]))).toMatch(/--output: is one of the model files being checked/);
    expect(readFileSync(file, "utf8")).toMatch(/^mqrel: 1/);
  });

  it("when the model file is - then it is read from standard input", async () => {
    const r = await run(["eval", "-", "--json"], { stdin: MODEL });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).models[0].file).toBe("<stdin>");
    const bad = await run(["eval", "-"], { stdin: "mqrel: 1\ncluster: { nodes: 0, node: { mtbf: 1 h, mttr: 1 h } }\n" });
    expect(expectInputError(bad)).toMatch(/^error: <stdin>:2:19: cluster\.nodes: expected a whole number ≥ 1/);
  });

  it("when a model's name carries a newline, a workflow command and ESC then no human format prints them raw", async () => {
    const dir = tempDir();
    const name = "evil\\n::error file=x.yaml,line=1::injected\\u001b[2J\\u202e";
    const file = write(
      dir,
      "evil.json",
      `{"mqrel": 1, "name": "${name}", "description": "d\\n::warning::x", "cluster": {"nodes": 1, "node": {"mtbf": "10 h", "mttr": "1 h"}}, "slo": {"cluster.availability": ">= 99.9%"}}`,
    );
    const outputs = [
      (await run(["eval", file])).stdout,
      (await run(["eval", file, "--format", "markdown"])).stdout,
      (await run(["check", file])).stdout,
      (await run(["check", file, "--format", "markdown"])).stdout,
      (await run(["check", file, "--format", "github"])).stdout,
      (await run(["check", file, "--format", "junit"])).stdout,
      (await run(["simulate", file, "--runs", "2", "--horizon", "10 years", "--workers", "1"])).stdout,
      (await run(["validate", file, "--runs", "2", "--horizon", "10 years", "--workers", "1"])).stdout,
    ];
    for (const out of outputs) {
      expect(out).not.toMatch(/[\u001b\u202e]/);
      // the only workflow commands are mqrel's own annotations, never text from the model
      for (const line of out.split("\n").filter((l) => l.startsWith("::"))) expect(line).toMatch(/^::error file=.*evil\.json/);
      expect(out.split("\n").some((l) => l.startsWith("::error file=x.yaml"))).toBe(false);
    }
  });

  it("when one model hits a bad input then the others are still reported and the output file is written", async () => {
    const dir = tempDir();
    const out = join(dir, "r.xml");
    const r = await run([
      "check",
      "test/fixtures/classic/single-node.yaml",
      "test/fixtures/bad/mttr-zero.yaml",
      "--format",
      "junit",
      "--output",
      out,
    ]);
    expect(r.code).toBe(2);
    const xml = readFileSync(out, "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toMatch(/type="InvalidModel"/);
    expect(xml).toMatch(/single-node/);
  });
});

describe("conventions", () => {
  it("when help is asked in any of its forms then it exits 0 on stdout", async () => {
    for (const argv of [["help"], ["help", "check"], ["--help"], ["check", "--help"]]) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(0);
      expect(r.stdout).toMatch(/Usage: mqrel/);
    }
  });

  it("when help is shown then the exit codes are listed once, in mqrel --help only", async () => {
    expect((await run(["--help"])).stdout.match(/Exit codes:/g)).toHaveLength(1);
    for (const command of ["formulas", "formula", "eval", "check", "simulate", "validate"]) {
      expect((await run([command, "--help"])).stdout, command).not.toMatch(/Exit codes:/);
    }
  });

  it("when commander rejects a command line then it says so on one line (exit 2)", async () => {
    expect(expectInputError(await run(["chekc"]))).toMatch(/unknown command 'chekc' \(Did you mean check\?\)/);
    expect(expectInputError(await run(["check", "--formt", "json", "models/"]))).toMatch(
      /unknown option '--formt' \(Did you mean --format\?\)/,
    );
    expect(expectInputError(await run(["check", "models/", "--json", "--format", "junit"]))).toMatch(
      /--json and --format junit ask for two formats/,
    );
  });

  it("when check gets a directory then only files with a top-level mqrel: key are models; --exclude and duplicates work", async () => {
    const dir = tempDir();
    write(dir, "model.yaml", `${MODEL}slo: { cluster.availability: ">= 99%" }\n`);
    write(dir, "deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\n");
    write(dir, "package.json", '{"name": "x", "version": "1.0.0"}');
    write(dir, "flow.yaml", `{mqrel: 1, cluster: {nodes: 1, node: {mtbf: 10 h, mttr: 1 h}}, slo: {cluster.availability: ">= 50%"}}`);
    mkdirSync(join(dir, "drafts"));
    write(join(dir, "drafts"), "broken.yaml", "mqrel: 1\ncluster: nope\n");
    const r = await run(["check", dir, "--json", "--verbose"]);
    expect(r.code).toBe(2); // drafts/broken.yaml is a model, and invalid
    expect(r.stderr).toMatch(/skipped: .*deployment\.yaml: no top-level mqrel: key/);
    expect(r.stderr).toMatch(/skipped: .*package\.json: no top-level mqrel: key/);
    const excluded = await run(["check", dir, "--exclude", "drafts", "--json"]);
    expect(excluded.code, excluded.stderr).toBe(0);
    expect(JSON.parse(excluded.stdout).models.map((m: { file: string }) => m.file.replace(`${dir}/`, ""))).toEqual([
      "flow.yaml",
      "model.yaml",
    ]);
    const twice = await run(["check", join(dir, "model.yaml"), join(dir, "model.yaml"), `${dir}/./model.yaml`, "--json"]);
    expect(JSON.parse(twice.stdout).models).toHaveLength(1);
    const onlyOthers = tempDir();
    write(onlyOthers, "deployment.yaml", "kind: Deployment\n");
    expect(expectInputError(await run(["check", onlyOthers]))).toMatch(
      /no mqrel model files .* found; 1 file skipped \(--verbose lists them\)/,
    );
  });

  it("when a time or rate is a plain number then a warning names the unit it was read in, and --strict-units refuses it", async () => {
    const dir = tempDir();
    const file = write(
      dir,
      "plain.yaml",
      "mqrel: 1\ncluster:\n  nodes: 3\n  node: { mtbf: 2 years, mttr: 4 h }\n  common_cause: { rate: 0.1, mttr: 2 h }\ndurability: { replicas: 2, window: 30, crash_rate: 0.2 / year }\n",
    );
    const r = await run(["eval", file, "--json"]);
    expect(r.code).toBe(0);
    const warnings = r.stderr.trim().split("\n");
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^warning: .*plain\.yaml:5:25: cluster\.common_cause\.rate: plain number read as 0\.1 per hour \(876\.6 per year\); write "0\.1 \/ h" to keep that, or "0\.1 \/ year"/,
    );
    expect(warnings[1]).toMatch(/durability\.window: plain number read as 30 h; write "30 h" to keep that, or "30 s"/);
    expect(expectInputError(await run(["eval", file, "--strict-units"]))).toMatch(
      /cluster\.common_cause\.rate: a plain number for a rate needs a unit with --strict-units/,
    );
    expect(
      expectInputError(await run(["eval", "test/fixtures/classic/default.yaml", "--strict-units", "--set", "cluster.node.mttr=8"])),
    ).toMatch(/--set cluster\.node\.mttr: a plain number/);
    expect((await run(["eval", "models/", "--strict-units", "--json"])).code).toBe(0);
  });

  it("when --format json or --json is asked on any command that prints results then the output is JSON", async () => {
    for (const argv of [
      ["formulas"],
      ["formula", "availability.node", "-p", "mtbf=2 years", "-p", "mttr=4 h"],
      ["eval", "test/fixtures/classic/single-node.yaml"],
      ["check", "test/fixtures/classic/single-node.yaml"],
      ["simulate", "test/fixtures/classic/single-node.yaml", "--runs", "2", "--workers", "1"],
      ["validate", "test/fixtures/classic/single-node.yaml", "--runs", "2", "--workers", "1"],
    ]) {
      const viaFormat = await run([...argv, "--format", "json"]);
      const viaAlias = await run([...argv, "--json"]);
      expect(viaFormat.code, argv.join(" ")).toBe(0);
      // the same document, apart from how long each model took to check
      const withoutTimes = (text: string) => JSON.stringify(JSON.parse(text), (key, value) => (key === "seconds" ? undefined : value));
      expect(withoutTimes(viaFormat.stdout)).toBe(withoutTimes(viaAlias.stdout));
    }
  });

  it("when simulate and validate get --output and --set then the override is used and the file written", async () => {
    const dir = tempDir();
    for (const command of ["simulate", "validate"]) {
      const out = join(dir, `${command}.json`);
      const r = await run([
        command,
        "test/fixtures/classic/single-node.yaml",
        "--runs",
        "2",
        "--workers",
        "1",
        "--set",
        "cluster.node.mttr=30 min",
        "--json",
        "--output",
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe("");
      expect(JSON.parse(readFileSync(out, "utf8")).runs).toBe(2);
    }
    const validated = JSON.parse(readFileSync(join(dir, "validate.json"), "utf8"));
    const node = validated.comparisons.find((c: { metric: string }) => c.metric === "node.availability");
    // hand: U = 0.5 h / (17532 h + 0.5 h)
    expect(node.analytic_complement).toBeCloseTo(0.5 / 17532.5, 15);
  });

  it("when human output is printed then it fits 80 columns by default, COLUMNS, and a terminal's width", async () => {
    const commands = [
      ["formulas"],
      ["formula", "availability.ctmc", "-p", "n=3", "-p", "k=2", "-p", "lambda=0.5 / year", "-p", "mu=1 / (4 h)"],
      ["eval", "test/fixtures/classic/default.yaml"],
      ["check", "models/"],
      ["simulate", "test/fixtures/classic/default.yaml", "--runs", "4", "--workers", "1"],
      ["validate", "test/fixtures/classic/default.yaml", "--runs", "4", "--workers", "1"],
    ];
    for (const argv of commands) {
      expect(widest((await run(argv)).stdout), argv.join(" ")).toBeLessThanOrEqual(80);
      expect(widest((await run(argv, { env: { COLUMNS: "60" } })).stdout), `${argv.join(" ")} at 60`).toBeLessThanOrEqual(60);
      expect(widest((await run(argv, { columns: 132 })).stdout), `${argv.join(" ")} at 132`).toBeLessThanOrEqual(132);
    }
    // a wide terminal gets the table, not the narrow layout
    expect((await run(["check", "models/"], { columns: 132 })).stdout).toMatch(/│ pass │ cluster\.availability/);
  });

  it("when times and counts are printed then they read as a person would write them", async () => {
    const formula = (await run(["formula", "availability.node", "-p", "mtbf=2 years", "-p", "mttr=30 s"])).stdout;
    expect(formula).toMatch(/mtbf=2 years {2}mttr=30 s/);
    const noise = (await run(["formula", "retry.fault_tolerance", "-p", "p_success=0.9", "-p", "attempts=3"])).stdout;
    expect(noise).toMatch(/failure probability +0\.001\n/); // 0.1³ = 0.0010000000000000002 as a double
    expect(noise).not.toMatch(/0\.00100000000000000/);
    const sim = (await run(["simulate", "test/fixtures/classic/single-node.yaml", "--runs", "1", "--workers", "1", "--method", "plain"]))
      .stdout;
    expect(sim).toMatch(/simulated 1 run × 1000 years/);
  });

  it("when a probability is typed as a percentage then errors show it as typed", async () => {
    expect(expectInputError(await run(["formula", "availability.kofn", "-p", "k=1", "-p", "n=2", "-p", "a=150%"]))).toMatch(/got 150%/);
  });

  it("when check writes Markdown then it is a step summary: verdict heading, one escaped table", async () => {
    const r = await run(["check", "test/fixtures/classic/single-node.yaml", "--format", "markdown"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^### mqrel check: ✅ pass\n/);
    expect(r.stdout).toMatch(/\| ✅ pass \| single-node \| `cluster\.availability` \| &gt;= 99\.9% \| 1 − 2\.281e-4 \| \+7\.719e-4 \|/);
    const failing = await run([
      "check",
      "test/fixtures/classic/single-node.yaml",
      "--format",
      "markdown",
      "--set",
      'slo.cluster.availability=">= 99.99%"',
    ]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/❌ FAIL/);
  });

  it("when check writes JUnit then every suite and case carries time, and counts add up", async () => {
    const r = await run(["check", "models/", "--format", "junit"]);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(
      r.stdout,
    );
    expect(Number(parsed.testsuites["@_time"])).toBeGreaterThanOrEqual(0);
    for (const suite of parsed.testsuites.testsuite) {
      expect(suite["@_time"]).toMatch(/^\d+\.\d{3}$/);
      for (const testcase of suite.testcase) expect(testcase["@_time"]).toBe("0");
    }
  });

  it("when a model says a shape or horizon in plain words then the error keeps to one line even with control characters", async () => {
    const line = expectInputError(await run(["eval", "test/fixtures/bad/expression-control-characters.json"]));
    expect(line).toMatch(/\\n::error file=x::injected\\x1b\[2J/);
  });
});
