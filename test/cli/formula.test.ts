import { describe, expect, it } from "vitest";
import { expectOneLineError, mqrel } from "../helpers/cli.js";
import { expectRelativelyClose } from "../helpers/close.js";

describe("mqrel formula", () => {
  it("prints the exact binomial 2-of-3 value for a = 0.999 as JSON", () => {
    const r = mqrel(["formula", "availability.kofn", "--param", "k=2", "--param", "n=3", "--param", "a=0.999", "--json"]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(["id", "params", "value", "complement", "nines"]));
    expect(json.id).toBe("availability.kofn");
    // hand: U = 3·a·u² + u³ = 3·0.999·1e-6 + 1e-9 = 2.998e-6; A = 1 − U = 0.999997002
    expectRelativelyClose(json.complement, 2.998e-6, 1e-13);
    expectRelativelyClose(json.value, 0.999997002, 1e-15);
    expectRelativelyClose(json.nines, -Math.log10(2.998e-6), 1e-13);
  });

  it("prints a complement of 1e-27 for three nodes at U = 1e-9, not 0", () => {
    const r = mqrel(["formula", "availability.parallel", "--param", "u=1e-9,1e-9,1e-9", "--json"]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expectRelativelyClose(json.complement, 1e-27, 1e-15);
    expect(json.value).toBe(1);
    expectRelativelyClose(json.nines, 27, 1e-14);
  });

  it("accepts units and gives the CTMC's MTTF in hours", () => {
    const r = mqrel([
      "formula",
      "availability.ctmc",
      "-p",
      "n=3",
      "-p",
      "k=2",
      "-p",
      "lambda=1e-4",
      "-p",
      "mu=1 / (4 h)",
      "-p",
      "crews=1",
      "--json",
    ]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    // TMR with repair (Trivedi): MTTF = 5/(6λ) + μ/(6λ²) with λ = 1e-4/h, μ = 0.25/h
    expectRelativelyClose(json.mttf, 5 / 6e-4 + 0.25 / 6e-8, 1e-12);
  });

  it("reads a typed 0.999999999999999 as exactly 1 − 1e-15", () => {
    const r = mqrel(["formula", "availability.series", "-p", "a=0.999999999999999", "--json"]);
    expectRelativelyClose(JSON.parse(r.stdout).complement, 1e-15, 1e-15);
  });

  it("computes every catalog formula from the command line", () => {
    const cases: string[][] = [
      ["fault_tolerance.parallel", "e=0.1,0.2"],
      ["persistence.reliability", "p_unpersisted=1e-3", "p_fault=1e-2"],
      ["ack.reliability", "p_unconfirmed=1e-3", "p_fault=1e-2"],
      ["retry.fault_tolerance", "p_success=0.9", "attempts=3"],
      ["availability.node", "mtbf=2 years", "mttr=4 h"],
      ["durability.replicated", "q=2", "lambda=0.2 / year", "window=30 s"],
      ["retry.deadline", "p_success=0.9", "attempts=5", "timeout=2 s", "deadline=5 s", "backoff_initial=100 ms", "backoff_max=10 s"],
    ];
    for (const [id, ...params] of cases) {
      const r = mqrel(["formula", id as string, ...params.flatMap((p) => ["--param", p]), "--json"]);
      expect(r.status, `${id}: ${r.stderr}`).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.id).toBe(id);
      expect(Math.abs(json.value + json.complement - 1)).toBeLessThan(1e-15);
    }
  });

  it("gives retry.deadline the hand-computed schedule: starts 0, 2.1 s, 4.3 s before a 5 s deadline", () => {
    const r = mqrel([
      "formula",
      "retry.deadline",
      "-p",
      "p_success=0.9",
      "-p",
      "attempts=5",
      "-p",
      "timeout=2 s",
      "-p",
      "deadline=5 s",
      "--json",
    ]);
    const json = JSON.parse(r.stdout);
    expect(json.attempts_made).toBe(3);
    expectRelativelyClose(json.complement, 1e-3, 1e-13);
  });

  it("prints a readable text report by default", () => {
    const r = mqrel(["formula", "availability.kofn", "-p", "k=2", "-p", "n=3", "-p", "a=0.999"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/unavailability\s+2\.998(0+\d)?e-6/);
    expect(r.stdout).toMatch(/nines\s+5\.52 nines/);
    expect(r.stdout).toMatch(/downtime per year\s+94\.6\d? s/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it.each([
    [["formula", "availability.kofn", "-p", "k=2", "-p", "n=3", "-p", "a=1.5"], /--param a: expected a probability in \[0, 1\], got 1\.5/],
    [["formula", "availability.kofn", "-p", "k=2", "-p", "n=3", "-p", "a=NaN"], /--param a: .*NaN.*expected a finite number/],
    [["formula", "availability.kofn", "-p", "k=2", "-p", "n=3"], /give a \(availabilities\) or u/],
    [
      ["formula", "availability.kofn", "-p", "k=2", "-p", "n=3", "-p", "a=0.9", "-p", "aa=1"],
      /--param aa: unknown parameter.*did you mean "a"/,
    ],
    [["formula", "availability.kofn", "-p", "k=4", "-p", "n=3", "-p", "a=0.9"], /k: must be at most n = 3, got 4/],
    [["formula", "availability.kofm", "-p", "k=2"], /unknown formula id "availability.kofm".*did you mean "availability.kofn"/],
    [["formula", "availability.node", "-p", "mtbf=100", "-p", "mttr=0"], /--param mttr: expected a duration > 0, got 0 h/],
    [["formula", "availability.node", "-p", "mtbf=100", "-p", "mttr=-4 h"], /--param mttr: expected a duration > 0/],
    [
      ["formula", "retry.fault_tolerance", "-p", "p_success=0.9", "-p", "attempts=2.5"],
      /--param attempts: expected a whole number, got 2\.5/,
    ],
    [["formula", "availability.parallel", "-p", "u="], /--param u: expected a comma-separated list/],
    [["formula", "availability.parallel", "-p", "u=0.1,,0.2"], /--param u: expected a comma-separated list/],
    [["formula", "persistence.reliability", "-p", "p_unpersisted=abc", "-p", "p_fault=0.1"], /--param p_unpersisted: unknown name "abc"/],
    [["formula", "persistence.reliability", "-p", 'p_unpersisted=import("fs")', "-p", "p_fault=0.1"], /import\(\) is disabled/],
    [["formula", "persistence.reliability", "-p", 'p_unpersisted=evaluate("1")', "-p", "p_fault=0.1"], /evaluate\(\) is disabled/],
    [["formula", "availability.node", "-p", "mtbf=2 kg", "-p", "mttr=4 h"], /--param mtbf: expected a duration .* got a mass/],
    [
      ["formula", "availability.ctmc", "-p", "n=3", "-p", "k=2", "-p", "lambda=4 h", "-p", "mu=1"],
      /--param lambda: expected a rate .* got a duration/,
    ],
    [["formula", "persistence.reliability", "-p", "p_fault"], /--param: expected name=value/],
    [["formula", "persistence.reliability", "-p", "p_fault=0.1", "-p", "p_fault=0.2"], /given twice/],
    [["formula", "retry.fault_tolerance", "-p", "p_success=0.9"], /--param attempts: missing parameter/],
  ])("exits 2 with one line for bad input %#", (args, message) => {
    expect(expectOneLineError(mqrel(args as string[]))).toMatch(message);
  });
});

describe("mqrel formulas", () => {
  it("lists every formula id of DESIGN.md §2 (and the cluster chain's of §3a) in JSON, with math, params, assumptions, source", () => {
    const r = mqrel(["formulas", "--json"]);
    expect(r.status).toBe(0);
    const { formulas } = JSON.parse(r.stdout);
    expect(formulas.map((f: { id: string }) => f.id).sort()).toEqual(
      [
        "availability.parallel",
        "fault_tolerance.parallel",
        "persistence.reliability",
        "ack.reliability",
        "retry.fault_tolerance",
        "availability.node",
        "availability.series",
        "availability.kofn",
        "availability.ctmc",
        "durability.replicated",
        "retry.deadline",
        "availability.modes",
        "availability.zones",
        "availability.queue",
        "availability.maintenance",
      ].sort(),
    );
    for (const f of formulas) {
      expect(f.math.length).toBeGreaterThan(5);
      expect(f.params.length).toBeGreaterThan(0);
      expect(f.assumptions.length).toBeGreaterThan(0);
      expect(f.source.length).toBeGreaterThan(5);
    }
    const article = formulas.filter((f: { article?: unknown }) => f.article);
    expect(article.length).toBe(5);
  });

  it("prints a table with the article's wording and our reading", () => {
    const r = mqrel(["formulas"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("availability.ctmc");
    expect(r.stdout).toMatch(/reading: .*NOT yet persisted/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });
});

describe("the command line", () => {
  it("exits 0 with examples for --help, and 2 for an unknown command or option", () => {
    const help = mqrel(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    expect(help.stdout).toMatch(/Exit codes:/);
    const sub = mqrel(["formula", "--help"]);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toMatch(/\$ mqrel formula availability\.kofn/);
    expect(mqrel(["frobnicate"]).status).toBe(2);
    expect(mqrel(["formulas", "--jsn"]).status).toBe(2);
    expect(mqrel(["formula"]).status).toBe(2);
  });

  it("prints the version", () => {
    const r = mqrel(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("colours only when asked: FORCE_COLOR=1 or --color", () => {
    expect(mqrel(["formulas"], { env: { NO_COLOR: "", FORCE_COLOR: "1" } }).stdout).toMatch(/\u001b\[/);
    expect(mqrel(["--color", "formulas"]).stdout).toMatch(/\u001b\[/);
    expect(mqrel(["formulas", "--json"], { env: { FORCE_COLOR: "1" } }).stdout).not.toMatch(/\u001b\[/);
  });
});

describe("mqrel formula, the cluster chain", () => {
  it("when availability.modes gets lists of rates with units then it prints the chain's figures as JSON", () => {
    const r = mqrel([
      "formula",
      "availability.modes",
      "-p",
      "n=3",
      "-p",
      "k=2",
      "-p",
      "lambda=1/(2 years), 1/(5 years), 6/year",
      "-p",
      "mu=1/(8 h), 1/(24 h), 1/(2 min)",
      "-p",
      "crew=1,1,0",
      "-p",
      "crews=1",
      "-p",
      "lambda_cc=0.05/year",
      "-p",
      "mu_cc=1/(4 h)",
      "--json",
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // M1 of test/reference/cluster_chain_reference.py: U 0.00003097013023153218177617758505369032146617
    expect(Math.abs(out.complement / 0.00003097013023153218 - 1)).toBeLessThan(1e-12);
    expect(out.method).toBe("Markov chain");
    expect(out.outages_per_year).toBeGreaterThan(0);
  });

  it("when lists do not match the modes then it names the parameter", () => {
    const r = mqrel(["formula", "availability.modes", "-p", "n=3", "-p", "k=2", "-p", "lambda=1,2", "-p", "mu=1"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mu: needs one repair rate per mode \(2\), got 1/);
  });
});
