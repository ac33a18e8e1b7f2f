/**
 * A fleet's estimates (docs/design.md §3c) from the runs' totals: each metric a ratio of a
 * measured quantity over simulated time (kernel/fleetTracker.ts counts them), with the
 * same choice of independent units as the cluster's time averages (estimate.ts): runs
 * when there are at least RUNS_AS_UNITS of them or all-up is no regeneration point,
 * else the regeneration cycles (all brokers up: every partition whole, nothing destroyed
 * — a regeneration point of the fleet too when failures are exponential).
 *
 * - fleet.availability: 1 − (time some partition was not writable) / time; the
 *   complement is the ratio itself. Events: the episodes with a partition not writable.
 * - fleet.partitions_unavailable: partition-hours not writable / time;
 *   fleet.partition_availability: 1 − that / partitions (complement: that / partitions).
 * - loss events, partitions lost, elections per year: counts / time × hours per year; the
 *   losses, with exponential failures, by their intensity measured on the simulated
 *   timeline (kernel/fleetTracker.ts: δ × the time a broker that can fail holds the last
 *   intact replica of a partition), which rests on the episodes of that exposure rather
 *   than on the rare losses themselves. With none seen, loss events and elections get the Poisson rule of three (at most
 *   −ln 0.05 ≈ 3 events over the simulated time, 95 %); partitions lost get no interval
 *   (an event may lose any number).
 */
import { HOURS_PER_YEAR } from "../../expr/units.js";
import { METRIC, type MetricId } from "../../metrics/index.js";
import { CONFIDENCE } from "../../stats/confidence.js";
import { RUN_RECORD } from "../kernel/plainRun.js";
import { type Estimand, type Estimate, MIN_EVENTS, MIN_RUNS, newEstimate, perYear } from "./estimate.js";
import { interval, type Ratio, runRatio, segmentRatio, unitsOf } from "./ratios.js";
import type { RunPair, RunTotals } from "./runTotals.js";

type FleetPair = Exclude<Extract<RunPair, `fleet${string}`>, `fleetExpected${string}`>;

/** Per fleet quantity: its segment sums (Σ Y, Σ Y², Σ τ·Y; the losses' by intensity or counted, as the tracker chose). */
const SEGMENT_SUMS: Record<FleetPair, readonly [number, number, number]> = {
  fleetDown: [RUN_RECORD.sumSegmentFleetDown, RUN_RECORD.sumSegmentFleetDownSquared, RUN_RECORD.sumSegmentLengthTimesFleetDown],
  fleetPartitionHours: [
    RUN_RECORD.sumSegmentFleetPartitionHours,
    RUN_RECORD.sumSegmentFleetPartitionHoursSquared,
    RUN_RECORD.sumSegmentLengthTimesFleetPartitionHours,
  ],
  fleetLossEvents: [
    RUN_RECORD.sumSegmentFleetLossEvents,
    RUN_RECORD.sumSegmentFleetLossEventsSquared,
    RUN_RECORD.sumSegmentLengthTimesFleetLossEvents,
  ],
  fleetPartitionsLost: [
    RUN_RECORD.sumSegmentFleetPartitionsLost,
    RUN_RECORD.sumSegmentFleetPartitionsLostSquared,
    RUN_RECORD.sumSegmentLengthTimesFleetPartitionsLost,
  ],
  fleetElections: [
    RUN_RECORD.sumSegmentFleetElections,
    RUN_RECORD.sumSegmentFleetElectionsSquared,
    RUN_RECORD.sumSegmentLengthTimesFleetElections,
  ],
};

export interface FleetEstimateOptions {
  readonly partitions: number;
  /** losses by their intensity (exponential failures, kernel/fleetTracker.ts), else counted */
  readonly lossesByIntensity: boolean;
}

export function fleetEstimates(totals: RunTotals, byRuns: boolean, options: FleetEstimateOptions): Partial<Record<MetricId, Estimate>> {
  const { partitions, lossesByIntensity } = options;
  const runPair = (pair: FleetPair): RunPair =>
    lossesByIntensity && pair === "fleetLossEvents"
      ? "fleetExpectedLossEvents"
      : lossesByIntensity && pair === "fleetPartitionsLost"
        ? "fleetExpectedPartitionsLost"
        : pair;
  const rate = (pair: FleetPair): Ratio => (byRuns ? runRatio(totals, runPair(pair)) : segmentRatio(totals, ...SEGMENT_SUMS[pair]));
  const enoughUnits = (r: Ratio) => r.unit !== "runs" || r.units >= MIN_RUNS;
  const simulatedHours = totals.sum(RUN_RECORD.horizonHours);
  const outages = totals.sum(RUN_RECORD.fleetOutages);
  const metrics: Partial<Record<MetricId, Estimate>> = {};

  const u = rate("fleetDown");
  const uCi = outages > 0 ? interval(u, 0, 1) : null;
  metrics[METRIC.fleetAvailability] = newEstimate(
    {
      estimate: 1 - u.value,
      ci: uCi ? [1 - uCi[1], 1 - uCi[0]] : null,
      complement: u.value,
      complementCi: uCi,
      standardError: u.standardError,
      degreesOfFreedom: u.degreesOfFreedom,
      events: outages,
      enough: outages >= MIN_EVENTS && enoughUnits(u),
    },
    { kind: "ratio", estimand: "fleet-unavailability", ...unitsOf(u), counts: { simulatedHours } },
  );

  const e = rate("fleetPartitionHours");
  const eCi = outages > 0 ? interval(e, 0, partitions) : null;
  const enoughE = outages >= MIN_EVENTS && enoughUnits(e);
  metrics[METRIC.fleetPartitionsUnavailable] = newEstimate(
    {
      estimate: e.value,
      ci: eCi,
      standardError: e.standardError,
      degreesOfFreedom: e.degreesOfFreedom,
      events: outages,
      enough: enoughE,
    },
    { kind: "ratio", estimand: "fleet-partitions-unavailable", ...unitsOf(e), counts: { simulatedHours } },
  );
  const share = e.value / partitions;
  const shareCi = eCi ? ([eCi[0] / partitions, eCi[1] / partitions] as const) : null;
  metrics[METRIC.fleetPartitionAvailability] = newEstimate(
    {
      estimate: 1 - share,
      ci: shareCi ? [1 - shareCi[1], 1 - shareCi[0]] : null,
      complement: share,
      complementCi: shareCi,
      standardError: e.standardError / partitions,
      degreesOfFreedom: e.degreesOfFreedom,
      events: outages,
      enough: enoughE,
    },
    { kind: "ratio", estimand: "fleet-partition-unavailability", ...unitsOf(e), counts: { simulatedHours } },
  );

  const seen = { simulatedHours, runs: totals.runs };
  // by intensity, the estimate rests on the episodes of exposure (a partition down to its
  // last intact replica, on a broker that can fail) and the outages' counted losses
  // (or on the losses counted, when more: at RF 1 a partition is exposed all the time)
  const counted = totals.sum(RUN_RECORD.fleetLossEvents);
  const lossEvents = lossesByIntensity
    ? Math.max(counted, totals.sum(RUN_RECORD.fleetLossExposures) + totals.sum(RUN_RECORD.fleetOutageLossEvents))
    : counted;
  metrics[METRIC.fleetLossEventsPerYear] = countPerYear(
    rate("fleetLossEvents"),
    lossEvents,
    lossesByIntensity ? "fleet-loss-intensity" : "fleet-loss-events",
    seen,
    true,
  );
  metrics[METRIC.fleetPartitionsLostPerYear] = countPerYear(
    rate("fleetPartitionsLost"),
    lossEvents,
    lossesByIntensity ? "fleet-partitions-lost-intensity" : "fleet-partitions-lost",
    seen,
    false,
  );
  const elections = totals.sum(RUN_RECORD.fleetElections);
  metrics[METRIC.fleetElectionsPerYear] = countPerYear(rate("fleetElections"), elections, "fleet-elections", seen, true);
  return metrics;
}

/**
 * Counts over simulated time, per year. `events` is what the interval rests on (the loss
 * events also for the partitions they lost). None seen: the Poisson rule of three when
 * each event counts one, else no interval.
 */
function countPerYear(
  r: Ratio,
  events: number,
  estimand: Estimand,
  seen: { readonly simulatedHours: number; readonly runs: number },
  ruleOfThree: boolean,
): Estimate {
  const { simulatedHours } = seen;
  if (events === 0) {
    const upper = ruleOfThree && simulatedHours > 0 ? (-Math.log(1 - CONFIDENCE) / simulatedHours) * HOURS_PER_YEAR : undefined;
    return newEstimate(
      {
        estimate: 0,
        ci: upper !== undefined ? [0, upper] : null,
        standardError: upper !== undefined ? 0 : Number.POSITIVE_INFINITY,
        degreesOfFreedom: Number.POSITIVE_INFINITY,
        events: 0,
        enough: false,
      },
      { kind: upper !== undefined ? "poisson-rule-of-three" : "none-seen", estimand, counts: seen },
    );
  }
  const ci = interval(r);
  return newEstimate(
    {
      ...perYear(r, ci),
      degreesOfFreedom: r.degreesOfFreedom,
      events,
      enough: events >= MIN_EVENTS && (r.unit !== "runs" || r.units >= MIN_RUNS),
    },
    { kind: "ratio", estimand, ...unitsOf(r), perYearHours: HOURS_PER_YEAR, counts: { simulatedHours } },
  );
}
