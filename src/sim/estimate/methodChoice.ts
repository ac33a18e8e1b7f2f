/**
 * Which method estimates the cluster's metrics: plain Monte Carlo (the discrete-event
 * simulation over runs × horizon) or importance sampling of the cluster's Markov chain
 * (kernel/importanceRun.ts), and why.
 *
 * - `plain`: always plain Monte Carlo.
 * - `is`: importance sampling where it applies; where it does not (a non-Markovian
 *   mechanism), plain Monte Carlo, and the output says why.
 * - `auto` (the default): importance sampling when it applies and plain Monte Carlo would
 *   see too few quorum losses for the relative error asked for (`--target-rel-error ε`,
 *   else 10 %). How many it would see comes from a pilot: the first {@link PILOT_CYCLES}
 *   importance-sampled cycles of the seed estimate the rate of quorum losses o, and plain
 *   Monte Carlo's runs × horizon would see about o·runs·horizon of them. An interval of
 *   ±ε on the unavailability needs about 2·(1.96/ε)² outages (each outage's duration
 *   exponential: relative variance 2 per outage — 768 for ±10 %). Never the formulas: the
 *   simulator does not lean on what it checks. The pilot is deterministic (seeded), so
 *   every shard of a simulation decides the same.
 *
 * Importance sampling estimates the cluster's metrics only (availability, downtime,
 * MTTF, quorum losses per year, queue availability): message loss, redeliveries and
 * retries are still simulated by plain Monte Carlo beside it.
 */
import { HOURS_PER_YEAR } from "../../expr/units.js";
import { Z_95 } from "../../stats/confidence.js";
import type { SimConfig } from "../kernel/config.js";
import { IMPORTANCE_RECORD, simulateImportanceRun } from "../kernel/importanceRun.js";
import { streamForRun } from "../kernel/rng.js";

export type MethodRequest = "auto" | "plain" | "is";

/** Balanced failure biasing's total failure probability where a repair is possible (Shahabuddin 1994; Goyal et al. 1992 use 0.5). */
export const DEFAULT_BIAS = 0.5;
/** Regenerative cycles in one importance-sampling run: the first target checkpoint (32 runs) is 1024 cycles. */
export const CYCLES_PER_RUN = 32;
/** Cycles when none are asked for (about 0.1–1 s), and the most with a target relative error. */
export const DEFAULT_CYCLES = 100_000;
export const DEFAULT_CYCLES_WITH_TARGET = 10_000_000;
export const PILOT_CYCLES = 1024;
/** The relative error `auto` plans for when no target is given. */
export const AUTO_RELATIVE_ERROR = 0.1;

export interface MethodDecision {
  readonly requested: MethodRequest;
  readonly used: "plain" | "is";
  /** one sentence for the output; empty when there was nothing to decide (plain asked, or auto with realistic mechanics) */
  readonly reason: string;
  /** why importance sampling could not apply, when it could not (for advice beside "too few events") */
  readonly blocker?: string;
}

/** Why importance sampling cannot simulate this cluster (undefined: it can). */
export function importanceSamplingBlocker(config: SimConfig): string | undefined {
  const c = config.cluster;
  if (c.fleet) return "a fleet's partitions are simulated event by event (importance sampling runs one replica set's chain)";
  if (c.isr) return "the in-sync set's followers are simulated event by event (importance sampling runs the brokers' chain)";
  if (c.controller) return "the control plane's nodes are simulated event by event (importance sampling runs the brokers' chain)";
  if (c.failure.kind !== "exponential") return "Weibull failures are not exponential (not a Markov chain)";
  if (c.repair.kind !== "exponential")
    return `${c.repair.kind} repairs are not exponential (not a Markov chain; --assume formula makes them so)`;
  if (c.maintenance) return "maintenance rounds run on a fixed schedule, which is not a Markov chain";
  if (c.failover?.fixed)
    return "elections take a fixed time with realistic mechanics (not a Markov chain; --assume formula makes them exponential)";
  return undefined;
}

export interface PilotInput {
  readonly seed: number;
  /** plain Monte Carlo's runs and horizon, as asked for */
  readonly runs: number;
  readonly targetRelativeError?: number;
}

/** Quorum losses an interval of ±ε on the unavailability needs: 2·(z/ε)², z the 95 % normal quantile. */
export function eventsNeeded(relativeError: number): number {
  return Math.ceil(2 * (Z_95 / relativeError) ** 2);
}

export function decideMethod(config: SimConfig, requested: MethodRequest, input: PilotInput): MethodDecision {
  if (requested === "plain") return { requested, used: "plain", reason: "" };
  const blocker = importanceSamplingBlocker(config);
  if (blocker !== undefined) {
    return {
      requested,
      used: "plain",
      reason: requested === "is" ? `importance sampling does not apply: ${blocker}; plain Monte Carlo instead` : "",
      blocker,
    };
  }
  if (requested === "is") return { requested, used: "is", reason: "importance sampling, as asked (--method is)" };
  const pilot = simulateImportanceRun(config.cluster, DEFAULT_BIAS, PILOT_CYCLES, streamForRun(input.seed, 0, 1));
  const ratePerHour = (pilot[IMPORTANCE_RECORD.outages] as number) / (pilot[IMPORTANCE_RECORD.tau] as number);
  const expected = ratePerHour * input.runs * config.horizonHours;
  const epsilon = input.targetRelativeError ?? AUTO_RELATIVE_ERROR;
  const needed = eventsNeeded(epsilon);
  const plainRuns = `${input.runs} runs × ${round(config.horizonHours / HOURS_PER_YEAR)} years`;
  const seen = `${plainRuns} would see about ${round(expected)} quorum losses (a pilot of ${PILOT_CYCLES} importance-sampled cycles puts them at ${round(ratePerHour * HOURS_PER_YEAR)} a year), and ±${round(epsilon * 100)} % needs about ${needed}`;
  return expected < needed
    ? { requested, used: "is", reason: `auto chose importance sampling: plain Monte Carlo's ${seen}` }
    : { requested, used: "plain", reason: `auto chose plain Monte Carlo: its ${seen}` };
}

function round(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  return Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3 ? x.toExponential(1).replace("e+", "e") : String(Number(x.toPrecision(2)));
}
