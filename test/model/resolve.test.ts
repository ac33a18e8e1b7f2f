/**
 * The model resolver (src/model/resolve.ts) on in-memory model files: defaults filled,
 * units converted to hours and per hour, `--set` overrides applied, plain-number
 * warnings, and refused inputs with their place. Reference values by hand: a year is
 * 365.25 days = 8766 h, so 2 years = 17 532 h; a line and column are counted in the
 * YAML text written here (1-based, the column of the value).
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { type Override, parseModelText, resolveModel } from "../../src/model/index.js";

const FILE = "resolve.yaml";

function resolve(yaml: string, overrides: readonly Override[] = [], strictUnits = false) {
  return resolveModel(parseModelText(yaml, FILE), overrides, { strictUnits });
}

/** The one-line error of a refused model: `file:line:col: path: message (did you mean …)`. */
function refusal(yaml: string, overrides: readonly Override[] = [], strictUnits = false): string {
  try {
    resolve(yaml, overrides, strictUnits);
  } catch (error) {
    if (error instanceof InputError) return error.format();
    throw error;
  }
  throw new Error("expected the model to be refused");
}

const PLAIN = `mqrel: 1
cluster:
  nodes: 5
  node: { mtbf: 2 years, mttr: 30 min }
`;

describe("resolveModel: defaults", () => {
  it("when only nodes and the node's times are given then quorum, crews, name and the empty blocks are filled in", () => {
    const model = resolve(PLAIN);
    expect(model.name).toBe("resolve"); // the file's name without its extension
    expect(model.file).toBe(FILE);
    expect(model.cluster.nodes).toBe(5);
    expect(model.cluster.quorum).toBe(3); // majority: ⌊5/2⌋ + 1
    expect(model.cluster.repairCrews).toBe(5); // one crew per node
    expect(model.cluster.commonCause).toBeUndefined();
    expect(model.slo).toEqual([]);
    expect(model.simulation).toEqual({});
    expect(model.warnings).toEqual([]);
  });

  it("when the node is given by mtbf and mttr then its availability is mtbf / (mtbf + mttr) with the exact complement", () => {
    const { node } = resolve(PLAIN).cluster;
    // 2 years = 2 × 8766 h = 17 532 h; 30 min = 0.5 h
    expect(node.mtbfHours).toBe(17_532);
    expect(node.mttrHours).toBe(0.5);
    expect(node.availability.value).toBeCloseTo(17_532 / 17_532.5, 15);
    expect(node.availability.complement).toBeCloseTo(0.5 / 17_532.5, 20);
  });

  it("when the node is given by mtbf and mttr then it is one failure mode named node, repaired by a crew, losing unflushed data", () => {
    expect(resolve(PLAIN).cluster.failureModes).toEqual([
      { name: "node", ratePerHour: 1 / 17_532, mttrHours: 0.5, crew: true, loses: "unflushed" },
    ]);
  });

  it("when quorum is named then majority, any and all are ⌊n/2⌋ + 1, 1 and n", () => {
    const quorum = (word: string) => resolve(PLAIN, [{ path: "cluster.quorum", value: word }]).cluster.quorum;
    expect([quorum("majority"), quorum("any"), quorum("all")]).toEqual([3, 1, 5]);
  });

  it("when retry has a deadline but no backoff then the backoff defaults to 100 ms × 2 up to 1 s, and no timeout", () => {
    const model = resolve(`${PLAIN}retry:\n  attempts: 3\n  p_success: 0.9\n  deadline: 2 min\n`);
    expect(model.retry?.timing).toEqual({
      timeoutHours: 0,
      backoffInitialHours: 0.1 / 3600,
      backoffMultiplier: 2,
      backoffMaxHours: 1 / 3600,
      deadlineHours: 2 / 60,
    });
    expect(model.retry?.pSuccess.value).toBe(0.9);
  });

  it("when durability has no correlated crash rate then it is 0", () => {
    const model = resolve(`${PLAIN}durability: { replicas: 2, window: 200 ms, crash_rate: 0.2 / year }\n`);
    expect(model.durability?.correlatedCrashRatePerHour).toBe(0);
    expect(model.durability?.windowHours).toBeCloseTo(0.2 / 3600, 18);
    expect(model.durability?.crashRatePerHour).toBeCloseTo(0.2 / 8766, 18);
  });
});

describe("resolveModel: units", () => {
  it.each([
    ["90 s", 0.025],
    ["30 min", 0.5],
    ["4 h", 4],
    ["3 d", 72],
    ["2 yr", 17_532],
    ["2 years", 17_532],
    ["1 week", 168],
    ["1.5 h + 30 min", 2],
  ])("when a time is written %j then it is %s hours", (text, hours) => {
    const model = resolve(`mqrel: 1\ncluster:\n  nodes: 3\n  node: { mtbf: 1000 h, mttr: ${text} }\n`);
    expect(model.cluster.node.mttrHours).toBeCloseTo(hours, 12);
  });

  it.each([
    ["6 / year", 6 / 8766],
    ["0.5 / h", 0.5],
    ["1 / (10 d)", 1 / 240],
    ["24 / d", 1],
  ])("when a rate is written %j then it is %s per hour", (text, perHour) => {
    const model = resolve(
      `mqrel: 1\ncluster:\n  nodes: 3\n  node: { mtbf: 1000 h, mttr: 1 h }\n  common_cause: { rate: ${text}, mttr: 1 h }\n`,
    );
    expect(model.cluster.commonCause?.ratePerHour).toBeCloseTo(perHour, 15);
  });

  it("when a field is a param's expression then the param's unit carries through", () => {
    const model = resolve(
      `mqrel: 1\nparams:\n  node_mttr: 4 h\ncluster:\n  nodes: 3\n  node: { mtbf: 1000 h, mttr: node_mttr * 2 + 30 min }\n`,
    );
    expect(model.cluster.node.mttrHours).toBe(8.5);
  });

  it("when an availability is a percentage then it is a probability with the exact decimal complement", () => {
    // 99.99 % = 0.9999, complement 1e-4 exactly (not 1 − 0.9999 in doubles)
    const node = resolve(`mqrel: 1\ncluster:\n  nodes: 3\n  node: { availability: 99.99% }\n`).cluster.node;
    expect(node.availability.value).toBe(0.9999);
    expect(node.availability.complement).toBe(1e-4);
  });
});

describe("resolveModel: --set overrides", () => {
  it("when --set changes the node count then the defaults that follow it follow", () => {
    const model = resolve(PLAIN, [{ path: "cluster.nodes", value: "7" }]);
    expect([model.cluster.nodes, model.cluster.quorum, model.cluster.repairCrews]).toEqual([7, 4, 7]);
  });

  it("when --set gives a time with its unit then it is converted like the file's own text", () => {
    expect(resolve(PLAIN, [{ path: "cluster.node.mttr", value: "2 d" }]).cluster.node.mttrHours).toBe(48);
  });

  it("when --set changes a param then every field written with it changes", () => {
    const yaml = "mqrel: 1\nparams:\n  node_mttr: 4 h\ncluster:\n  nodes: 3\n  node: { mtbf: 1000 h, mttr: node_mttr }\n";
    expect(resolve(yaml, [{ path: "params.node_mttr", value: "8 h" }]).cluster.node.mttrHours).toBe(8);
  });

  it("when --set names a block the file does not have then the block is made", () => {
    const model = resolve(PLAIN, [
      { path: "cluster.common_cause.rate", value: "1 / year" },
      { path: "cluster.common_cause.mttr", value: "2 h" },
    ]);
    expect(model.cluster.commonCause?.ratePerHour).toBeCloseTo(1 / 8766, 18);
    expect(model.cluster.commonCause?.mttrHours).toBe(2);
    expect(model.cluster.commonCause?.loses).toBe("unflushed");
  });

  it("when a path is set twice then the last one holds", () => {
    const model = resolve(PLAIN, [
      { path: "cluster.nodes", value: "3" },
      { path: "cluster.nodes", value: "9" },
    ]);
    expect(model.cluster.nodes).toBe(9);
  });

  it("when --set adds an slo then its metric id keeps its dots", () => {
    const [entry] = resolve(PLAIN, [{ path: "slo.cluster.availability", value: ">= 99.9%" }]).slo;
    expect(entry?.metric).toBe("cluster.availability");
    expect(entry?.threshold.target).toBe(0.999);
    expect(entry?.place).toEqual({ file: FILE, path: "--set slo.cluster.availability" });
  });
});

describe("resolveModel: plain numbers where a unit is expected", () => {
  const UNITLESS = `mqrel: 1
cluster:
  nodes: 3
  node: { mtbf: 20000, mttr: 4 }
  common_cause: { rate: 0.001, mttr: 1 h }
durability: { replicas: 2, window: 0, crash_rate: 0.2 / year }
`;

  it("when a time or a rate is a plain number then it is read as hours or per hour, with a warning at its place", () => {
    // 20 000 h = 2.282 years (20 000 / 8766); 0.001 per hour = 8.766 per year
    const model = resolve(UNITLESS);
    expect(model.cluster.node.mtbfHours).toBe(20_000);
    expect(model.cluster.commonCause?.ratePerHour).toBe(0.001);
    expect(model.warnings).toEqual([
      {
        place: { file: FILE, path: "cluster.node.mtbf", line: 4, column: 17 },
        message:
          'plain number read as 20000 h (2.282 years); write "20000 h" to keep that, or "20000 years" if that is what you meant (--strict-units makes this an error)',
      },
      {
        place: { file: FILE, path: "cluster.node.mttr", line: 4, column: 30 },
        message: 'plain number read as 4 h; write "4 h" to say so (--strict-units makes this an error)',
      },
      {
        place: { file: FILE, path: "cluster.common_cause.rate", line: 5, column: 25 },
        message:
          'plain number read as 0.001 per hour (8.766 per year); write "0.001 / h" to keep that, or "0.001 / year" if that is what you meant (--strict-units makes this an error)',
      },
    ]);
  });

  it("when the plain number is 0 then it needs no unit and no warning is given (the durability window above)", () => {
    expect(resolve(UNITLESS).warnings.map((w) => w.place.path)).not.toContain("durability.window");
  });

  it("when --strict-units is on then the first plain number is refused at its place", () => {
    expect(refusal(UNITLESS, [], true)).toBe(
      'resolve.yaml:4:17: cluster.node.mtbf: a plain number for a duration needs a unit with --strict-units: write "20000 h", or "20000 years" if that is what you meant',
    );
  });

  it("when a plain number comes from --set then the warning is placed at the flag", () => {
    const [warning] = resolve(PLAIN, [{ path: "cluster.node.mttr", value: "2" }]).warnings;
    expect(warning?.place).toEqual({ file: FILE, path: "--set cluster.node.mttr" });
  });
});

describe("resolveModel: refused inputs and their place", () => {
  const nodes = (rest: string) => `mqrel: 1\ncluster:\n  nodes: 3\n${rest}`;

  it.each([
    [
      "a misspelt key (at the key, with the nearest name)",
      "mqrel: 1\ncluster:\n  nodez: 3\n  node: { mtbf: 2 years, mttr: 4 h }\n",
      'resolve.yaml:3:3: cluster.nodez: unknown field; expected one of nodes, quorum, node, repair_crews, common_cause, zones, maintenance, failover, controller (did you mean "nodes"?)',
    ],
    ["no cluster block", "mqrel: 1\n", "resolve.yaml:1:1: cluster: missing field"],
    [
      "another format version",
      "mqrel: 2\ncluster:\n  nodes: 3\n  node: { mtbf: 2 years, mttr: 4 h }\n",
      "resolve.yaml:1:8: mqrel: expected 1 (the model format version), got number 2",
    ],
    [
      "a quorum above the node count",
      nodes("  quorum: 4\n  node: { mtbf: 2 years, mttr: 4 h }\n"),
      "resolve.yaml:4:11: cluster.quorum: quorum 4 is more than the 3 nodes",
    ],
    [
      "more nodes than the cap",
      "mqrel: 1\ncluster:\n  nodes: 1001\n  node: { mtbf: 2 years, mttr: 4 h }\n",
      "resolve.yaml:3:10: cluster.nodes: expected at most 1000 nodes, got 1001",
    ],
    [
      "a fractional node count",
      "mqrel: 1\ncluster:\n  nodes: 2.5\n  node: { mtbf: 2 years, mttr: 4 h }\n",
      "resolve.yaml:3:10: cluster.nodes: expected a whole number, got 2.5",
    ],
    [
      "a negative repair time",
      nodes("  node:\n    mtbf: 2 years\n    mttr: -2 h\n"),
      "resolve.yaml:6:11: cluster.node.mttr: expected a duration > 0, got -2 h",
    ],
    [
      "a time in the wrong unit",
      nodes("  node: { mtbf: 2 kg, mttr: 4 h }\n"),
      "resolve.yaml:4:17: cluster.node.mtbf: expected a duration (e.g. 4 h, 30 min), got a mass",
    ],
    [
      "a duration where a rate is expected",
      nodes("  node: { mtbf: 2 years, mttr: 4 h }\n  common_cause: { rate: 2 h, mttr: 1 h }\n"),
      "resolve.yaml:5:25: cluster.common_cause.rate: expected a rate (e.g. 2 / year, 0.5 / h), got a duration; did you mean 1 / (…)?",
    ],
    [
      "an availability above 1",
      nodes("  node: { availability: 1.5 }\n"),
      "resolve.yaml:4:25: cluster.node.availability: expected a probability in [0, 1], got 1.5",
    ],
    [
      "times and an availability together",
      nodes("  node: { mtbf: 2 years, mttr: 4 h, availability: 0.99 }\n"),
      "resolve.yaml:4:32: cluster.node.mttr: give mtbf + mttr, or availability, or unavailability — not mtbf and mttr and availability",
    ],
    ["an mttr without mtbf", nodes("  node: { mttr: 4 h }\n"), "resolve.yaml:4:9: cluster.node.mtbf: missing field (mttr needs mtbf)"],
    [
      "too few crews for a node given by its availability",
      nodes("  repair_crews: 1\n  node: { availability: 0.99 }\n"),
      "resolve.yaml:5:9: cluster.node: repair_crews below nodes or a common_cause need the Markov model, which needs node.mtbf and node.mttr (not availability)",
    ],
    [
      "parameters in a cycle",
      "mqrel: 1\nparams:\n  a: b\n  b: a\ncluster:\n  nodes: 3\n  node: { mtbf: 2 years, mttr: a }\n",
      "resolve.yaml:3:6: params.a: parameters refer to each other in a cycle: a → b → a",
    ],
    [
      "a parameter named like a unit",
      "mqrel: 1\nparams:\n  h: 3\ncluster:\n  nodes: 3\n  node: { mtbf: 2 years, mttr: 4 h }\n",
      'resolve.yaml:3:6: params.h: "h" is a unit, a function or a constant in expressions; choose another name',
    ],
    [
      "an unknown name in an expression",
      nodes("  node: { mtbf: 2 years, mttr: node_mttr }\n"),
      'resolve.yaml:4:32: cluster.node.mttr: unknown name "node_mttr" (not a parameter, a unit or a constant)',
    ],
    [
      "an slo on a metric the model does not compute",
      nodes('  node: { mtbf: 2 years, mttr: 4 h }\nslo:\n  message.loss: "<= 1e-9"\n'),
      "resolve.yaml:6:17: slo.message.loss: the model has no durability or messages block, so message.loss is not computed",
    ],
  ])("when the file has %s then it is refused at its place", (_what, yaml, message) => {
    expect(refusal(yaml)).toBe(message);
  });

  it.each([
    [{ path: "cluster.nodes", value: "0" }, "resolve.yaml: --set cluster.nodes: expected a whole number ≥ 1, got 0"],
    [
      { path: "cluster.node.mttr", value: "-1 h", flag: "--for" },
      "resolve.yaml: --for cluster.node.mttr: expected a duration > 0, got -1 h",
    ],
    [{ path: "cluster.nodes.x", value: "1" }, "resolve.yaml: --set cluster.nodes.x: cannot set a field inside number 5"],
    [
      { path: "cluster.nodez", value: "1" },
      'resolve.yaml: --set cluster.nodez: unknown field; expected one of nodes, quorum, node, repair_crews, common_cause, zones, maintenance, failover, controller (did you mean "nodes"?)',
    ],
    [{ path: "cluster..nodes", value: "1" }, "--set cluster..nodes: expected a dotted field path like cluster.nodes"],
    [{ path: "cluster.__proto__.x", value: "1" }, '--set cluster.__proto__.x: "__proto__" cannot be a field name'],
  ])("when the override %j is refused then it is placed at its flag: %s", (override, message) => {
    expect(refusal(PLAIN, [override])).toBe(message);
  });
});
