/**
 * The caches are the caller's (EvaluationCache, ClusterSolveCache): with one shared across
 * evaluations, every figure is bit for bit the one computed without a cache (the reference
 * is the same evaluation with no cache at all: a fresh solve), and nothing a caller is
 * handed can change what a later call returns.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ClusterSolveCache, solveSteadyState } from "../../src/formulas/_internal/clusterSolve.js";
import { clusterChain, solveSpec } from "../../src/formulas/clusterChain.js";
import { maintenanceAvailability } from "../../src/formulas/index.js";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics, type Metrics } from "../../src/model/evaluate.js";
import { EvaluationCache } from "../../src/model/evaluationCache.js";
import { loadModel } from "../../src/model/index.js";

const presets = readdirSync("models")
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => join("models", f));

/** The metrics as plain data (their shape; numbersOf checks the numbers bit for bit). */
function plain(metrics: Metrics): unknown {
  return JSON.parse(JSON.stringify([...metrics]));
}

/** Every number of a value, in order, so that toEqual checks each one with Object.is. */
function numbersOf(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number") out.push(value);
  else if (value instanceof Float64Array || value instanceof Int32Array) out.push(...value);
  else if (Array.isArray(value)) for (const x of value) numbersOf(x, out);
  else if (value instanceof Map) for (const x of value.values()) numbersOf(x, out);
  else if (typeof value === "object" && value !== null) for (const x of Object.values(value)) numbersOf(x, out);
  return out;
}

const Y = 8766;
const modes = [
  { failureRate: 0.5 / Y, repairRate: 1 / 8, needsCrew: true },
  { failureRate: 6 / Y, repairRate: 30, needsCrew: false },
];
const zoned = (quorum: number) => ({
  nodes: 5,
  quorum,
  modes,
  repairCrews: 1,
  zones: { placement: [2, 2, 1], outageRate: 1 / Y, restoreRate: 0.5 },
  failover: { electionRate: 3600 / 10 },
});

describe("an EvaluationCache shared across evaluations", () => {
  it("when every preset is evaluated twice with one cache then each figure is the uncached one, bit for bit", () => {
    const cache = new EvaluationCache();
    for (const file of presets) {
      const model = loadModel(file);
      const fresh = evaluateMetrics(model);
      const first = evaluateMetrics(model, cache);
      const again = evaluateMetrics(model, cache);
      expect(numbersOf(first), file).toEqual(numbersOf(fresh));
      expect(numbersOf(again), file).toEqual(numbersOf(fresh));
      expect(plain(first), file).toEqual(plain(fresh));
      expect(plain(again), file).toEqual(plain(fresh));
    }
    expect(cache.chains.size).toBeGreaterThan(0);
  });

  it("when a caller mutates what it was handed then a later call returns the cached values unchanged", () => {
    const cache = new EvaluationCache();
    const model = loadModel("models/rabbitmq-quorum-5-3az.yaml");
    const fresh = plain(evaluateMetrics(model));
    const first = evaluateMetrics(model, cache) as Map<string, unknown>;
    const availability = first.get(METRIC.clusterAvailability) as { value: number; alternatives: { value: number }[] };
    expect(availability.alternatives.length).toBeGreaterThan(0);
    // the values are frozen: writing to them throws (ES modules are strict)
    expect(() => {
      availability.value = 0;
    }).toThrow(TypeError);
    expect(() => {
      (availability.alternatives[0] as { value: number }).value = 0;
    }).toThrow(TypeError);
    // the Map is the caller's own
    first.delete(METRIC.clusterAvailability);
    first.set(METRIC.clusterMttf, { value: -1, formula: "mutated" });
    const later = evaluateMetrics(model, cache);
    expect(plain(later)).toEqual(fresh);
    expect(numbersOf(later)).toEqual(numbersOf(evaluateMetrics(model)));
  });
});

describe("a ClusterSolveCache shared across chain formulas", () => {
  it("when the quorum moves then the process chain is solved once, and each result is the uncached one, bit for bit", () => {
    const cache = new ClusterSolveCache();
    for (const quorum of [3, 2, 4, 3]) {
      expect(numbersOf(clusterChain(zoned(quorum), { cache }))).toEqual(numbersOf(clusterChain(zoned(quorum))));
    }
    const maintenance = { ...zoned(3), everyHours: 720, durationHours: 1 / 6 };
    expect(numbersOf(maintenanceAvailability(maintenance, { cache }))).toEqual(numbersOf(maintenanceAvailability(maintenance)));
    // quorum, zone rates and election do not enter the process chain: one chain kept
    expect(cache.size).toBe(1);
  });

  it("when a caller mutates the arrays of a steady state then a later solve from the cache is unchanged", () => {
    const spec = solveSpec(zoned(3), "test");
    const cache = new ClusterSolveCache();
    const reference = solveSteadyState(spec);
    const first = solveSteadyState(spec, cache);
    first.pi.fill(0.5);
    first.chain.rate.fill(0);
    first.chain.target.fill(0);
    first.table.keys.fill(7);
    first.table.add(Int32Array.of(...new Array<number>(first.table.words).fill(99)), 0);
    const later = solveSteadyState(spec, cache);
    expect([...later.pi]).toEqual([...reference.pi]);
    expect([...later.chain.rate]).toEqual([...reference.chain.rate]);
    expect([...later.chain.target]).toEqual([...reference.chain.target]);
    expect([...later.table.keys.subarray(0, later.table.size * later.table.words)]).toEqual([
      ...reference.table.keys.subarray(0, reference.table.size * reference.table.words),
    ]);
    expect(later.table.size).toBe(reference.table.size);
    const b = Float64Array.from(reference.pi, (p, i) => (i === 0 ? p - 1 : p));
    expect([...later.deviation(b).y]).toEqual([...reference.deviation(b).y]);
    expect([later.availability, later.unavailability, later.outageFrequency]).toEqual([
      reference.availability,
      reference.unavailability,
      reference.outageFrequency,
    ]);
  });
});
