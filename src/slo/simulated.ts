/**
 * `mqrel check --simulate`: each SLO judged on the simulation's 95 % confidence interval
 * instead of the formula's value, so that a formula that is optimistic about the
 * modelled cluster cannot pass the gate.
 *
 *   pass          the whole interval meets the threshold
 *   fail          the whole interval misses it
 *   inconclusive  the interval straddles it, or cannot be trusted (too few events,
 *                 no interval at all): more runs or a longer horizon would decide
 *
 * Availability-like metrics (availability, retry success) are judged on the interval of
 * their small complement (unavailability, failure probability), the one the simulator
 * estimates with full relative accuracy; the others on the interval of their value. A
 * threshold is monotone in the metric, so judging the two ends of the interval judges
 * every value inside it.
 *
 * An estimate resting on fewer events than the simulator trusts (its `enough` flag) is
 * inconclusive, except when no event happened at all: then either the interval is a
 * one-sided rule-of-three bound [0, 3/N], valid with zero events, and when it meets the
 * threshold the metric does too, at 95 %; or the interval has no width — every run held
 * one state throughout (a cluster never up) — and a value that misses the threshold fails.
 *
 * Metrics the simulator does not estimate (a node's availability is the model's input;
 * the article's persistence and ack formulas take bare probabilities) are judged on
 * their formula, and the result says so.
 */
import { compare, metricSpec, type Threshold } from "../metrics/index.js";
import type { Metrics } from "../model/evaluate.js";
import type { Model } from "../model/types.js";
import type { Estimate, SimulationSummary } from "../sim/estimate/estimate.js";
import { checkSlos, type SloResult, type Verdict } from "./check.js";

export interface IntervalJudgement {
  readonly verdict: Verdict;
  /** the interval judged, and of what */
  readonly interval?: readonly [number, number];
  readonly intervalOf?: "value" | "complement";
  /** margin at the estimate itself (positive: inside), in the metric's unit or nines */
  readonly margin: number;
  readonly note?: string;
}

/** Judge one threshold on one simulated estimate (see the module comment). */
export function judgeOnInterval(threshold: Threshold, onComplement: boolean, estimate: Estimate): IntervalJudgement {
  const valueInterval = estimate.ci;
  const complementInterval = estimate.complementCi ?? null;
  const intervalOf = onComplement && complementInterval !== null ? "complement" : "value";
  const judged = intervalOf === "complement" ? complementInterval : valueInterval;
  const atEstimate = compare(threshold, estimate.estimate, estimate.complement);
  if (judged === null || judged === undefined || !judged.every(Number.isFinite) || Number.isNaN(estimate.estimate)) {
    return {
      verdict: "inconclusive",
      margin: atEstimate.margin,
      note: "no confidence interval (too few events): raise --runs or --horizon",
    };
  }
  const interval = [judged[0], judged[1]] as const;
  const ruleOfThree = estimate.events === 0 && interval[1] > interval[0];
  // No event and no spread: every run held one state all along (a cluster never up has a
  // simulated availability of 0). More runs cannot change that; a state that misses the
  // threshold fails it.
  if (estimate.events === 0 && interval[1] === interval[0] && !atEstimate.pass) {
    return {
      verdict: "fail",
      interval,
      intervalOf,
      margin: atEstimate.margin,
      note: "no event in any run: the value held throughout every run",
    };
  }
  if (!estimate.enough && !ruleOfThree) {
    return {
      verdict: "inconclusive",
      interval,
      intervalOf,
      margin: atEstimate.margin,
      note: `too few events (${estimate.events}) for the interval to be trusted: raise --runs or --horizon`,
    };
  }
  // The ends of the value interval and of the complement interval correspond reversed:
  // the lowest availability is the highest unavailability.
  const ends = [0, 1].map((i) => {
    const value = valueInterval?.[i] ?? (complementInterval ? 1 - (complementInterval[1 - i] as number) : estimate.estimate);
    const complement = complementInterval?.[1 - i];
    return compare(threshold, value, complement).pass;
  });
  const verdict: Verdict = ends.every(Boolean) ? "pass" : ends.some(Boolean) ? "inconclusive" : "fail";
  return {
    verdict,
    interval,
    intervalOf,
    margin: atEstimate.margin,
    ...(verdict === "inconclusive" ? { note: "the 95% interval straddles the threshold: raise --runs or --horizon to decide" } : {}),
  };
}

/**
 * A model's SLOs judged on a simulation: simulated metrics on their intervals, the others
 * on their formulas (`analytic`).
 */
export function checkSlosSimulated(model: Model, analytic: Metrics, summary: SimulationSummary): SloResult[] {
  const byFormula = checkSlos(model, analytic);
  return model.slo.map((entry, index) => {
    const formulaResult = byFormula[index] as SloResult;
    const spec = metricSpec(entry.metric);
    const estimate = summary.metrics[entry.metric];
    if (estimate === undefined) {
      return { ...formulaResult, note: `judged on its formula: ${spec.notSimulated ?? "the simulator does not estimate it"}` };
    }
    const judgement = judgeOnInterval(entry.threshold, spec.onComplement, estimate);
    // the formula's note (e.g. "only simulated") is not the simulated verdict's
    const { note: _formulaNote, ...judgedByFormula } = formulaResult;
    return {
      ...judgedByFormula,
      value: estimate.estimate,
      ...(estimate.complement !== undefined ? { complement: estimate.complement } : {}),
      verdict: judgement.verdict,
      pass: judgement.verdict === "pass",
      margin: judgement.margin,
      formula: "simulation",
      source: "simulation",
      ...(judgement.interval ? { interval: judgement.interval, intervalOf: judgement.intervalOf } : {}),
      ...(judgement.note ? { note: judgement.note } : {}),
    };
  });
}
