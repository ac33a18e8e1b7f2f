/**
 * What one run of a simulation is, for the runner (scheduler.ts) and its worker threads:
 * how to simulate one run on its PRNG stream, what the run's record adds to the exact
 * totals, how much work a run is (for progress), and how the totals become estimates.
 *
 * - "plain": plain Monte Carlo — one run is the cluster (and the messages on its
 *   timeline) over the horizon (kernel/plainRun.ts); the totals are {@link RunTotals}.
 * - "is": importance sampling — one run is a fixed number of regenerative cycles of the
 *   cluster's Markov chain under balanced failure biasing (kernel/importanceRun.ts); the totals are
 *   {@link ImportanceTotals}. With realistic mechanics, the chain is the exponential
 *   equivalent (estimate/insensitivity.ts), and the metrics that differ there are left out.
 *
 * A kernel is made from plain data ({@link KernelSpec} and the SimConfig), so that a worker
 * thread builds the same one from a message.
 */

import { type SimulationSummary, type SummaryOptions, summarize } from "../estimate/estimate.js";
import { summarizeImportance } from "../estimate/importanceEstimate.js";
import { ImportanceTotals } from "../estimate/importanceTotals.js";
import { exponentialEquivalent, sensitiveMetrics, usesExponentialEquivalent } from "../estimate/insensitivity.js";
import { RunTotals, type RunTotalsJson } from "../estimate/runTotals.js";
import type { RunControl } from "../kernel/cluster.js";
import type { SimConfig } from "../kernel/config.js";
import { FleetTracker } from "../kernel/fleetTracker.js";
import { IMPORTANCE_RECORD, simulateImportanceRun, warmUpImportance } from "../kernel/importanceRun.js";
import { RUN_RECORD, simulateRun, warmUp } from "../kernel/plainRun.js";
import type { RngState, StreamDomain } from "../kernel/rng.js";

export type KernelSpec =
  | { readonly kind: "plain" }
  | {
      readonly kind: "is";
      /** total probability of the failure transitions where a repair is possible (balanced failure biasing) */
      readonly bias: number;
      /** regenerative cycles in one run */
      readonly cyclesPerRun: number;
    };

/** Exact running totals of a simulation's runs (any order, any split, same bits). */
export interface SimulationTotals {
  readonly runs: number;
  add(record: Float64Array): void;
  merge(other: SimulationTotals): void;
  toJSON(): unknown;
}

export interface Kernel {
  readonly spec: KernelSpec;
  /** which family of PRNG streams its runs use (kernel/rng.ts) */
  readonly domain: StreamDomain;
  newTotals(): SimulationTotals;
  /** @throws RangeError when the JSON is not totals of this kernel saved by this version */
  totalsFromJSON(json: unknown): SimulationTotals;
  simulate(rng: RngState, control?: RunControl): Float64Array;
  /** progress units in one run's record (simulated hours, or cycles) */
  work(record: Float64Array): number;
  /** progress units one complete run adds */
  readonly workPerRun: number;
  summarize(totals: SimulationTotals): SimulationSummary;
  /** a few short runs, so that V8 optimises the hot loop with every path's type feedback */
  warmUp(): void;
}

export function summaryOptions(config: SimConfig): SummaryOptions {
  return {
    // all-up is a regeneration point for the cluster when every failure clock is memoryless
    // and no schedule runs (a maintenance round has a phase)
    // (nor with the in-sync set: all-up leaves the followers' sides and the frozen set open)
    regenerative:
      config.cluster.failure.kind === "exponential" && config.cluster.maintenance === undefined && config.cluster.isr === undefined,
    queue: config.cluster.failover !== undefined,
    ...(config.cluster.fleet
      ? { fleet: { partitions: config.cluster.fleet.partitions, lossesByIntensity: FleetTracker.lossesByIntensity(config.cluster) } }
      : {}),
    ...(config.durability ? { durabilityWindowHours: config.durability.windowHours } : {}),
    independentRetries: config.retry !== undefined && !config.retry.failDuringOutages,
    ...(config.messages
      ? {
          messages: {
            article: config.mode === "formula" ? "single copy" : "actual",
            duplicates: config.duplicates !== undefined,
            confirmsAtOnce: config.messages.ack === "leader",
            durableAtOnce: config.messages.fsync === "always",
          },
        }
      : {}),
  };
}

export const PLAIN: KernelSpec = { kind: "plain" };

export function kernelFor(config: SimConfig, spec: KernelSpec = PLAIN): Kernel {
  if (spec.kind === "plain") {
    const options = summaryOptions(config);
    return {
      spec,
      domain: 0,
      newTotals: () => new RunTotals(),
      totalsFromJSON: (json) => RunTotals.fromJSON(json as RunTotalsJson),
      simulate: (rng, control) => simulateRun(config, rng, control),
      work: (record) => record[RUN_RECORD.horizonHours] as number,
      workPerRun: config.horizonHours,
      summarize: (totals) => summarize(totals as RunTotals, options),
      warmUp: () => warmUp(config),
    };
  }
  const { bias, cyclesPerRun } = spec;
  // realistic mechanics: the chain with the same means, for the metrics that have the same value there
  const equivalent = usesExponentialEquivalent(config);
  const chain = equivalent ? exponentialEquivalent(config.cluster) : config.cluster;
  const stands = equivalent
    ? { leaveOut: new Set(sensitiveMetrics(config).keys()), exponentialRepairs: config.cluster.repair.kind !== "exponential" }
    : undefined;
  return {
    spec,
    domain: 1,
    newTotals: () => new ImportanceTotals(),
    totalsFromJSON: (json) => ImportanceTotals.fromJSON(json),
    simulate: (rng, control) => simulateImportanceRun(chain, bias, cyclesPerRun, rng, control),
    work: (record) => record[IMPORTANCE_RECORD.cycles] as number,
    workPerRun: cyclesPerRun,
    summarize: (totals) => summarizeImportance(totals as ImportanceTotals, chain, bias, stands),
    warmUp: () => warmUpImportance(chain, bias),
  };
}
