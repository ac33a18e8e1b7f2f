/**
 * Which method estimates the cluster's metrics: plain Monte Carlo (the discrete-event
 * simulation over runs × horizon) or importance sampling of the cluster's Markov chain
 * (kernel/importanceRun.ts), and why.
 *
 * - `plain`: always plain Monte Carlo.
 * - `is`: importance sampling; refused (InputError, exit 2, one line naming the mechanism
 *   or the metric) where it cannot apply.
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
 *
 * With realistic mechanics (lognormal repairs, fixed elections) it runs on the
 * exponential-equivalent chain where the metrics it estimates do not depend on the
 * repair-time distribution beyond its mean (insensitivity.ts has the argument): then it
 * estimates availability, downtime and quorum losses per year, and plain runs beside it
 * the metrics that do depend on it (`cluster.mttf`, `queue.availability`).
 */
import { InputError } from "../../common/errors.js";
import { HOURS_PER_YEAR } from "../../expr/units.js";
import { Z_95 } from "../../stats/confidence.js";
import type { SimConfig } from "../kernel/config.js";
import { IMPORTANCE_RECORD, simulateImportanceRun } from "../kernel/importanceRun.js";
import { streamForRun } from "../kernel/rng.js";
import { exponentialEquivalent, insensitivityBlocker, sensitiveMetrics, usesExponentialEquivalent } from "./insensitivity.js";

export type MethodRequest = "auto" | "plain" | "is";

/** Balanced failure biasing's total failure probability where a repair is possible (Shahabuddin 1994; Goyal et al. 1992 use 0.5). */
export const DEFAULT_BIAS = 0.5;
/** Regenerative cycles in one importance-sampling run: a target's pilot (32 runs, run/scheduler.ts) is 1024 cycles. */
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

/**
 * Why importance sampling cannot estimate this cluster's metrics (undefined: it can — on
 * the cluster's own chain when its mechanics are Markovian, else on the exponential
 * equivalent, where insensitivity.ts shows the metrics it estimates are the same).
 */
export function importanceSamplingBlocker(config: SimConfig): string | undefined {
  const c = config.cluster;
  if (c.fleet) return "a fleet's partitions are simulated event by event (importance sampling runs one replica set's chain)";
  if (c.isr) return "the in-sync set's followers are simulated event by event (importance sampling runs the brokers' chain)";
  if (c.controller) return "the control plane's nodes are simulated event by event (importance sampling runs the brokers' chain)";
  if (c.failure.kind !== "exponential")
    return "Weibull failures are not exponential (not a Markov chain, and the rate of quorum losses depends on their shape)";
  if (c.maintenance) return "maintenance rounds run on a fixed schedule, which is not a Markov chain";
  return insensitivityBlocker(c);
}

export interface PilotInput {
  readonly seed: number;
  /** plain Monte Carlo's runs and horizon, as asked for */
  readonly runs: number;
  readonly targetRelativeError?: number;
  /** the metrics --target-metric names (an explicit `is` is refused for one it cannot estimate) */
  readonly targetMetrics?: readonly string[];
}

/** Quorum losses an interval of ±ε on the unavailability needs: 2·(z/ε)², z the 95 % normal quantile. */
export function eventsNeeded(relativeError: number): number {
  return Math.ceil(2 * (Z_95 / relativeError) ** 2);
}

/**
 * Plain Monte Carlo or importance sampling, and why.
 *
 * @throws InputError when importance sampling is asked for (`is`) and cannot apply: a
 *   mechanism that breaks it, or a --target-metric it cannot estimate with these mechanics
 */
export function decideMethod(config: SimConfig, requested: MethodRequest, input: PilotInput): MethodDecision {
  if (requested === "plain") return { requested, used: "plain", reason: "" };
  const blocker = importanceSamplingBlocker(config);
  if (blocker !== undefined) {
    if (requested === "is")
      throw new InputError(`importance sampling cannot apply: ${blocker}; use --method plain (or auto)`, { path: "--method is" });
    return { requested, used: "plain", reason: "", blocker };
  }
  const sensitive: ReadonlyMap<string, string> = sensitiveMetrics(config);
  const note = usesExponentialEquivalent(config) ? equivalentNote(config, sensitive) : "";
  if (requested === "is") {
    for (const metric of input.targetMetrics ?? []) {
      const why = sensitive.get(metric);
      if (why !== undefined)
        throw new InputError(
          `importance sampling cannot estimate ${metric} with these mechanics: ${why}; use --method plain or auto (plain runs estimate it)`,
          { path: "--method is" },
        );
    }
    return { requested, used: "is", reason: `importance sampling, as asked (--method is)${note}` };
  }
  const chain = note !== "" ? exponentialEquivalent(config.cluster) : config.cluster;
  const pilot = simulateImportanceRun(chain, DEFAULT_BIAS, PILOT_CYCLES, streamForRun(input.seed, 0, 1));
  const ratePerHour = (pilot[IMPORTANCE_RECORD.outages] as number) / (pilot[IMPORTANCE_RECORD.tau] as number);
  const expected = ratePerHour * input.runs * config.horizonHours;
  const epsilon = input.targetRelativeError ?? AUTO_RELATIVE_ERROR;
  const needed = eventsNeeded(epsilon);
  const plainRuns = `${input.runs} run${input.runs === 1 ? "" : "s"} × ${round(config.horizonHours / HOURS_PER_YEAR)} years`;
  const seen = `${plainRuns} would see about ${round(expected)} quorum losses (a pilot of ${PILOT_CYCLES} importance-sampled cycles puts them at ${round(ratePerHour * HOURS_PER_YEAR)} a year), and ±${round(epsilon * 100)} % needs about ${needed}`;
  return expected < needed
    ? {
        requested,
        used: "is",
        reason: `auto chose importance sampling: plain Monte Carlo's ${seen}${note}`,
      }
    : { requested, used: "plain", reason: `auto chose plain Monte Carlo: its ${seen}` };
}

/** What importance sampling on the exponential equivalent estimates, and what plain runs beside it do. */
function equivalentNote(config: SimConfig, sensitive: ReadonlyMap<string, string>): string {
  const plain = [...sensitive.keys()];
  const beside = plain.length > 0 ? `; ${plain.join(" and ")} from plain runs beside it` : "";
  if (config.cluster.repair.kind === "exponential")
    return `; on the cluster's chain without the queue's leader (elections take a fixed time here, and the leader changes nothing in how nodes fail)${beside}`;
  return `; on the exponential-equivalent chain (the same mean times), whose availability, downtime and quorum losses are those of these mechanics (they depend on the repair times only through their means: independent repairs, no common cause)${beside}`;
}

function round(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  return Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3 ? x.toExponential(1).replace("e+", "e") : String(Number(x.toPrecision(2)));
}
