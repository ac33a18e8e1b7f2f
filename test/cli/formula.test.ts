import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectOneLineError } from "../helpers/cli.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { runCli } from "../helpers/runCli.js";

async function formulaJson(id: string, ...params: string[]) {
  const r = await runCli(["formula", id, ...params.flatMap((p) => ["--param", p]), "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("mqrel formula", () => {
  it("when k=2, n=3, a=0.999 then the JSON has the exact binomial value, complement and nines", async () => {
    // Act
    const json = await formulaJson("availability.kofn", "k=2", "n=3", "a=0.999");

    // Assert
    expect(json.id).toBe("availability.kofn");
    expect(json.params).toEqual({ k: 2, n: 3, a: [0.999] });
    // hand: U = 3·a·u² + u³ = 3·0.999·1e-6 + 1e-9 = 2.998e-6; A = 1 − U = 0.999997002
    expectRelativelyClose(json.complement, 2.998e-6, 1e-13);
    expectRelativelyClose(json.value, 0.999997002, 1e-15);
    expectRelativelyClose(json.nines, -Math.log10(2.998e-6), 1e-13);
    // hand: 2.998e-6 × 8766 h
    expectRelativelyClose(json.downtime_per_year_hours, 2.998e-6 * 8766, 1e-13);
  });

  it("when three nodes are each unavailable 1e-9 then the complement is 1e-27, not 0", async () => {
    // Act
    const json = await formulaJson("availability.parallel", "u=1e-9,1e-9,1e-9");

    // Assert
    expectRelativelyClose(json.complement, 1e-27, 1e-15);
    expect(json.value).toBe(1);
    expectRelativelyClose(json.nines, 27, 1e-14);
  });

  it("when the CTMC's rates are given with units then its MTTF is the textbook TMR value in hours", async () => {
    // Act
    const json = await formulaJson("availability.ctmc", "n=3", "k=2", "lambda=1e-4", "mu=1 / (4 h)", "crews=1");

    // Assert: TMR with repair (Trivedi): MTTF = 5/(6λ) + μ/(6λ²) with λ = 1e-4/h, μ = 0.25/h
    expectRelativelyClose(json.mttf, 5 / 6e-4 + 0.25 / 6e-8, 1e-12);
  });

  it("when 0.999999999999999 is typed then it is read as exactly 1 − 1e-15", async () => {
    // Act
    const json = await formulaJson("availability.series", "a=0.999999999999999");

    // Assert
    expect(json.complement).toBe(1e-15);
  });

  // Every catalog formula through the command line (parameter parsing, units), against
  // an independent hand calculation of both the value and the complement.
  const w = (30 / 3600) * (0.2 / 8766); // λ·w for 0.2/year over 30 s
  const crash = -Math.expm1(-w); // p = 1 − e^(−λw)
  const r = 1e-4 / 0.25; // λ/μ
  it.each([
    // hand: 0.1 · 0.2
    ["fault_tolerance.parallel", ["e=0.1,0.2"], 0.98, 0.02],
    // hand: 1e-3 · 1e-2
    ["persistence.reliability", ["p_unpersisted=1e-3", "p_fault=1e-2"], 0.99999, 1e-5],
    // hand: 2e-3 · 5e-2
    ["ack.reliability", ["p_unconfirmed=2e-3", "p_fault=5e-2"], 0.9999, 1e-4],
    // hand: 0.1³
    ["retry.fault_tolerance", ["p_success=0.9", "attempts=3"], 0.999, 1e-3],
    // hand: 2 years = 17532 h; U = 4/17536
    ["availability.node", ["mtbf=2 years", "mttr=4 h"], 17532 / 17536, 4 / 17536],
    // hand: 0.999² = 0.998001
    ["availability.series", ["a=0.999,0.999"], 0.998001, 0.001999],
    // hand: 3·0.9²·0.1 + 0.9³ = 0.972
    ["availability.kofn", ["k=2", "n=3", "a=0.9"], 0.972, 0.028],
    // hand: birth–death chain 3 → 2 → 1 → 0 with one crew, π_i ∝ (3·2·…)·r^(3−i), r = λ/μ:
    // U = (6r² + 6r³)/(1 + 3r + 6r² + 6r³)
    [
      "availability.ctmc",
      ["n=3", "k=2", "lambda=1e-4", "mu=0.25", "crews=1"],
      (1 + 3 * r) / (1 + 3 * r + 6 * r ** 2 + 6 * r ** 3),
      (6 * r ** 2 + 6 * r ** 3) / (1 + 3 * r + 6 * r ** 2 + 6 * r ** 3),
    ],
    // hand: loss p² with p = 1 − e^(−λw), λ = 0.2/8766 h, w = 30/3600 h
    ["durability.replicated", ["q=2", "lambda=0.2 / year", "window=30 s"], crash * crash, 1 - crash * crash],
    // hand: starts 0, 2.1 s, 4.3 s (next 6.7 s > 5 s) → 3 attempts, failure 0.1³
    [
      "retry.deadline",
      ["p_success=0.9", "attempts=5", "timeout=2 s", "deadline=5 s", "backoff_initial=100 ms", "backoff_max=10 s"],
      0.999,
      1e-3,
    ],
  ] as const)(
    "when %s is computed from the command line then value and complement match the hand calculation",
    async (id, params, value, complement) => {
      // Act
      const json = await formulaJson(id, ...params);

      // Assert
      expect(json.id).toBe(id);
      expectRelativelyClose(json.value, value, 1e-12, `${id} value`);
      expectRelativelyClose(json.complement, complement, 1e-12, `${id} complement`);
    },
  );

  it("when retry.deadline has a 5 s deadline then the attempts start at 0, 2.1 s, 4.3 s (hand) with Kafka's backoff defaults", async () => {
    // Act
    const json = await formulaJson("retry.deadline", "p_success=0.9", "attempts=5", "timeout=2 s", "deadline=5 s");

    // Assert: backoff 100 ms doubling: 0, 2 + 0.1, 4.1 + 0.2
    expect(json.attempts_made).toBe(3);
    expect(json.start_times_hours.map((h: number) => Math.round(h * 3600 * 1e6) / 1e6)).toEqual([0, 2.1, 4.3]);
    expectRelativelyClose(json.complement, 1e-3, 1e-13);
  });

  it("when no --json is given then a readable text report is printed, uncoloured on a pipe", async () => {
    // Act
    const r = await runCli(["formula", "availability.kofn", "-p", "k=2", "-p", "n=3", "-p", "a=0.999"]);

    // Assert: 2.998e-6 · 31 557 600 s = 94.6 s
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
  ])("when the input is bad (case %#) then it exits 2 with one line", async (args, message) => {
    // Act
    const result = await runCli(args as string[]);

    // Assert
    expect(expectOneLineError(result)).toMatch(message);
  });
});

describe("mqrel formulas", () => {
  it("when --json is given then every formula of docs/formulas.md's tables is listed with its parameters, and the article's five cite the article", async () => {
    // Arrange: the parameter names of docs/formulas.md's two tables (the formulas' public interface)
    const expected: Record<string, string[]> = {
      "availability.parallel": ["u"],
      "fault_tolerance.parallel": ["e"],
      "persistence.reliability": ["p_unpersisted", "p_fault"],
      "ack.reliability": ["p_unconfirmed", "p_fault"],
      "retry.fault_tolerance": ["p_success", "attempts"],
      "availability.node": ["mtbf", "mttr"],
      "availability.series": ["a", "u"],
      "availability.kofn": ["k", "n", "a", "u"],
      "availability.ctmc": ["n", "k", "lambda", "mu", "crews", "lambda_cc", "mu_cc"],
      "durability.replicated": ["q", "lambda", "window", "lambda_cc"],
      "retry.deadline": ["p_success", "attempts", "timeout", "backoff_initial", "backoff_multiplier", "backoff_max", "deadline"],
      "durability.leader_ack": ["lambda", "lag"],
      "duplicates.redelivery": ["rate", "a", "consumer_crash_rate", "processing_time"],
    };
    // the cluster chain's formulas (docs/design.md §3a) are listed too, with at least one parameter each
    const chain = ["availability.modes", "availability.zones", "availability.queue", "availability.maintenance"];
    // and the message path's (docs/design.md §3b), whose parameter lists docs/formulas.md's table names
    chain.push("durability.message_path", "duplicates.message_path");
    const article = [
      "availability.parallel",
      "fault_tolerance.parallel",
      "persistence.reliability",
      "ack.reliability",
      "retry.fault_tolerance",
    ];

    // Act
    const r = await runCli(["formulas", "--json"]);

    // Assert
    expect(r.status).toBe(0);
    const { formulas } = JSON.parse(r.stdout) as {
      formulas: { id: string; params: { name: string }[]; source: string; article?: { reading: string } }[];
    };
    const byId = Object.fromEntries(formulas.map((f) => [f.id, f.params.map((p) => p.name)]));
    expect(Object.keys(byId).sort()).toEqual([...Object.keys(expected), ...chain].sort());
    for (const [id, names] of Object.entries(expected)) expect(byId[id], id).toEqual(names);
    for (const id of chain) expect(byId[id]?.length, id).toBeGreaterThan(0);
    expect(formulas.filter((f) => f.article).map((f) => f.id)).toEqual(article);
    for (const f of formulas.filter((x) => x.article)) expect(f.source, f.id).toMatch(/message-queue-ha article .*§3\.\d/);
  });

  it("when no --json is given then the table shows the article's wording and mqrel's reading, uncoloured", async () => {
    // Act
    const r = await runCli(["formulas"]);

    // Assert
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("availability.ctmc");
    expect(r.stdout.replace(/\n\s+/g, " ")).toMatch(/reading: .*NOT yet persisted/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });
});

describe("the command line", () => {
  it("when --help is asked then it exits 0 with examples; an unknown command or option exits 2", async () => {
    // Act
    const help = await runCli(["--help"]);
    const sub = await runCli(["formula", "--help"]);
    const unknownCommand = await runCli(["frobnicate"]);
    const unknownOption = await runCli(["formulas", "--jsn"]);
    const missingArgument = await runCli(["formula"]);

    // Assert
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    expect(help.stdout).toMatch(/Exit codes:/);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toMatch(/\$ mqrel formula availability\.kofn/);
    expect([unknownCommand.status, unknownOption.status, missingArgument.status]).toEqual([2, 2, 2]);
    expect(unknownCommand.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(unknownOption.stderr).toMatch(/^error: unknown option '--jsn' \(Did you mean --json\?\)\n$/); // one line
  });

  it("when --version is asked then it prints package.json's version", async () => {
    // Arrange
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

    // Act
    const r = await runCli(["--version"]);

    // Assert
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it("when FORCE_COLOR=1 or --color is given then the text is coloured, and JSON never is", async () => {
    // Act
    const forced = await runCli(["formulas"], { env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    const flag = await runCli(["--color", "formulas"]);
    const json = await runCli(["formulas", "--json"], { env: { FORCE_COLOR: "1" } });

    // Assert
    expect(forced.stdout).toMatch(/\u001b\[/);
    expect(flag.stdout).toMatch(/\u001b\[/);
    expect(json.stdout).not.toMatch(/\u001b\[/);
  });
});

describe("mqrel formula, the cluster chain", () => {
  it("when availability.modes gets lists of rates with units then it prints the chain's figures as JSON", async () => {
    const r = await runCli([
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

  it("when lists do not match the modes then it names the parameter", async () => {
    const r = await runCli(["formula", "availability.modes", "-p", "n=3", "-p", "k=2", "-p", "lambda=1,2", "-p", "mu=1"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mu: needs one repair rate per mode \(2\), got 1/);
  });
});
