/**
 * The layering rules of docs/design.md §1, checked on the import statements of src/:
 * folders point one way (no cycle between them), formulas import nothing of ours, the
 * simulator never imports the formulas it checks, and inside it the kernel (one run)
 * knows nothing of the estimators or the orchestration, metric ids live in the registry,
 * the common utilities import nothing of ours, only entry points sit at the top of src/,
 * and nothing below src/cli touches the process's streams.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formulaIds } from "../src/catalog/index.js";
import { METRIC_IDS } from "../src/metrics/index.js";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/**
 * The unit a file belongs to: its top folder under src/, or its own name for files at the
 * top; under src/sim, its subfolder (sim/kernel, sim/estimate, sim/run).
 */
function unitOf(file: string): string {
  const [first, second, third] = relative(SRC, file).split("/");
  if (second === undefined) return (first as string).replace(/\.ts$/, "");
  return first === "sim" && third !== undefined ? `sim/${second}` : (first as string);
}

const SIM_UNITS = ["sim/kernel", "sim/estimate", "sim/run"];
const isSim = (unit: string) => unit === "sim" || unit.startsWith("sim/");

const IMPORT = /(?:from|import)\s*\(?\s*"(\.[^"]+)"/g;

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly file: string;
}

function edges(): Edge[] {
  const found: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const target = resolve(dirname(file), (match[1] as string).replace(/\.js$/, ".ts"));
      const from = unitOf(file);
      const to = unitOf(target);
      if (from !== to) found.push({ from, to, file: relative(SRC, file) });
    }
  }
  return found;
}

/** Strongly connected groups of more than one unit (Tarjan). */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) as number, indices.get(next) as number));
    }
    if (low.get(node) === indices.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return groups;
}

describe("architecture", () => {
  const all = edges();
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of all) graph.set(from, (graph.get(from) ?? new Set()).add(to));

  it("when folders import each other then no two of them do so in a circle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("when src/formulas imports then only from itself", () => {
    expect(all.filter((edge) => edge.from === "formulas")).toEqual([]);
  });

  it("when src/sim imports then never the formulas or the catalog it is meant to check", () => {
    expect(all.filter((edge) => isSim(edge.from) && (edge.to === "formulas" || edge.to === "catalog"))).toEqual([]);
  });

  it("when src/sim is listed then every file sits in kernel/, estimate/ or run/", () => {
    const units = new Set(sourceFiles(join(SRC, "sim")).map(unitOf));
    expect([...units].sort()).toEqual([...SIM_UNITS].sort());
  });

  it("when the simulator's kernel imports then never the estimators or the orchestration", () => {
    expect(all.filter((edge) => edge.from === "sim/kernel" && (edge.to === "sim/estimate" || edge.to === "sim/run"))).toEqual([]);
  });

  it("when the simulator's estimators import then never the orchestration", () => {
    expect(all.filter((edge) => edge.from === "sim/estimate" && edge.to === "sim/run")).toEqual([]);
  });

  it("when src/common imports then only from itself", () => {
    expect(all.filter((edge) => edge.from === "common")).toEqual([]);
  });

  it("when the catalog is imported then never by the layers below it (formulas, expressions, metrics, stats, common, the simulator)", () => {
    const below = new Set(["formulas", "expr", "metrics", "stats", "common"]);
    expect(all.filter((edge) => edge.to === "catalog" && (below.has(edge.from) || isSim(edge.from)))).toEqual([]);
  });

  it("when a file sits at the top of src/ then it is an entry point (api.ts, bundled as dist/api.js)", () => {
    const top = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isFile());
    expect(top.map((entry) => entry.name)).toEqual(["api.ts"]);
  });

  it("when the model layer imports then never the SLO layer built on it", () => {
    expect(all.filter((edge) => edge.from === "model" && edge.to === "slo")).toEqual([]);
  });

  it("when the metric registry is used then model, sim, validate, slo and report all take it from src/metrics", () => {
    for (const unit of ["model", "validate", "slo", "report"]) {
      expect(graph.get(unit)?.has("metrics"), unit).toBe(true);
    }
    expect(
      SIM_UNITS.some((unit) => graph.get(unit)?.has("metrics")),
      "sim",
    ).toBe(true);
    expect(all.filter((edge) => edge.file === "metrics/registry.ts")).toEqual([]);
  });

  it("when a metric id is spelt out as a string then it is only in the registry", () => {
    // The article's persistence.reliability and ack.reliability are also formula ids (the
    // catalog's, docs/design.md §2), which may be written where formulas are named.
    const formulas = new Set(formulaIds());
    const metricOnly = METRIC_IDS.filter((id) => !formulas.has(id));
    const quoted = new RegExp(`"(${metricOnly.map((id) => id.replace(".", "\\.")).join("|")})"`);
    const spelt = sourceFiles(SRC)
      .filter((file) => quoted.test(readFileSync(file, "utf8")))
      .map((file) => relative(SRC, file));
    expect(spelt).toEqual(["metrics/registry.ts"]);
  });

  it("when code below src/cli runs then it never writes to the process's streams or exits", () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !relative(SRC, file).startsWith("cli/"))
      .filter((file) => /process\.(stdout|stderr|exit\b)|console\.(log|error|warn)/.test(readFileSync(file, "utf8")))
      .map((file) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });
});
