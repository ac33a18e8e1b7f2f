/**
 * From a simulation's totals to estimates with 95 % confidence intervals, each by a method
 * that fits what it estimates. docs/simulator.md "Statistics" is the user-facing
 * version of this comment.
 *
 * Point estimates use every simulated hour: unavailability is total downtime over total
 * simulated time, the unfinished regeneration cycle at each run's horizon included, so a
 * short horizon does not bias it (only the transient out of the all-up start remains,
 * of relative size ≈ recovery time / horizon). The mean time to losing quorum is the
 * exposure before quorum losses over the number of losses, the unfinished cycle's
 * exposure counted as censored (no loss).
 *
 * Intervals: r ± t·SE, with Student's t at the degrees of freedom of the independent
 * units the standard error was estimated from:
 *
 * - runs (independent replications, R − 1 degrees of freedom) whenever there are at least
 *   {@link RUNS_AS_UNITS} runs, and always for non-exponential (Weibull) failures, where
 *   the all-up state is not a regeneration point. Ratio estimators r = Σa/Σb over runs
 *   use the delta-method variance Σ(a − rb)²/(R − 1) / (R·b̄²);
 * - regeneration cycles (Crane & Iglehart 1975; Asmussen & Glynn, Stochastic Simulation
 *   (2007), §IV.4) when fewer runs are long enough to hold many cycles: the segments
 *   between entries to the all-up state are i.i.d. when failures are exponential (n − 1
 *   degrees of freedom);
 * - retry sequences held to the formula's assumption of independent attempts: Wilson's
 *   score interval (Wilson 1927) on the failures, or the one-sided rule of three when
 *   none failed. With realistic mechanics, sequences in one run share its outage
 *   timeline and are not independent: the run is the unit.
 *
 * "Enough events": an interval is trusted when it rests on at least {@link MIN_EVENTS}
 * events (outages, quorum losses, loss windows, failed sequences) and, where runs are
 * the unit, at least {@link MIN_RUNS} runs. Below that intervals undercover (skewness),
 * and the estimate is marked "too few events". Between {@link MIN_RUNS} and
 * {@link RELIABLE_RUNS} runs as units, the estimate is judged (validate's t* is at least
 * 4.78 at 9 degrees of freedom, and its false alarms were measured at 0.4 % with 10 runs)
 * but its 95 % interval's method says plainly that the interval is unreliable
 * (src/report/estimateMethod.ts): with few runs the variance itself is uncertain, and a
 * skewed metric's interval undercovers. Splitting long runs into batches was not chosen:
 * a batch is not independent of the next (a maintenance schedule runs across them, each
 * starts where the last left the cluster), and more runs are always the user's to ask.
 */
import { HOURS_PER_YEAR } from "../../expr/units.js";
import { METRIC, type MetricId } from "../../metrics/index.js";
import { SINGLE_SET_METRICS } from "../../model/fleet.js";
import { CONFIDENCE } from "../../stats/confidence.js";
import { normalQuantile } from "../../stats/normalQuantile.js";
import { ruleOfThree } from "../../stats/ruleOfThree.js";
import { wilsonInterval } from "../../stats/wilsonInterval.js";
import { RUN_RECORD } from "../kernel/plainRun.js";
import { type FleetEstimateOptions, fleetEstimates } from "./fleetEstimate.js";
import { interval, type Ratio, ratio, runRatio, segmentRatio, unitsOf } from "./ratios.js";
import { RUN_PAIRS, type RunPair, type RunTotals } from "./runTotals.js";

export const MIN_EVENTS = 100;
export const MIN_RUNS = 10;
/** With at least this many runs, runs are the independent unit even when cycles would do. */
export const RUNS_AS_UNITS = 30;
/**
 * Fewest runs a 95 % interval over runs is trusted to cover (issue 22): below it the
 * interval's method says plainly that it is unreliable ({@link EstimateBasis.unitsNeeded}).
 * The same number as {@link RUNS_AS_UNITS}.
 */
export const RELIABLE_RUNS = RUNS_AS_UNITS;

export interface Estimate {
  /** the metric (availability, loss probability, hours, …) */
  readonly estimate: number;
  readonly ci: readonly [number, number] | null;
  /** its small complement (unavailability, survival of loss, …) where it has one */
  readonly complement?: number;
  readonly complementCi?: readonly [number, number] | null;
  readonly standardError: number;
  /** degrees of freedom of the interval's t quantile (Infinity: normal / Wilson) */
  readonly degreesOfFreedom: number;
  /** what was measured and how the interval was made (src/report writes the sentence from it) */
  readonly basis: EstimateBasis;
  /** events the estimate rests on */
  readonly events: number;
  /** for proportions of independent trials: how many (the events are the failures) */
  readonly trials?: number;
  readonly enough: boolean;
  /** importance sampling: plain Monte Carlo's variance per regenerative cycle over this one's */
  readonly varianceReduction?: number;
  /** importance sampling: the 95 % interval's half-width over the estimate (on the small side) */
  readonly relativeError?: number;
}

/** How an estimate's interval was made. */
export type EstimateKind =
  /** a ratio Σa/Σb over independent units (runs or regeneration cycles), Student's t */
  | "ratio"
  /** a ratio over regenerative cycles simulated under balanced failure biasing, Student's t */
  | "importance-sampling"
  /** Wilson's score interval on failures of independent trials */
  | "wilson"
  /** no failure in N independent trials: the one-sided rule of three */
  | "rule-of-three"
  /** no episode in the simulated time: the Poisson rule of three on episodes */
  | "poisson-rule-of-three"
  /** an outcome the mechanics rule out: exactly 0 */
  | "exact-zero"
  /** nothing of the kind in any run: no interval */
  | "none-seen";

/** What an estimate measures (each has its own sentence in src/report). */
export type Estimand =
  | "unavailability"
  | "downtime"
  | "mttf-exposure"
  | "mttf-up-time"
  | "outages"
  | "queue-unavailability"
  | "lost-confirmed"
  | "lost-unconfirmed"
  | "unconfirmed-survived"
  | "single-copy-unpersisted"
  | "single-copy-unconfirmed"
  | "message-duplicates"
  | "loss-window"
  | "redelivery-window"
  | "retry-failures"
  | "ack-confirms-at-once"
  | "fsync-always"
  | "fsync-before-ack"
  | "fleet-unavailability"
  | "fleet-partitions-unavailable"
  | "fleet-partition-unavailability"
  | "fleet-loss-events"
  | "fleet-partitions-lost"
  | "fleet-loss-intensity"
  | "fleet-partitions-lost-intensity"
  | "fleet-elections"
  | "service-unavailability"
  | "region-failovers"
  | "region-loss";

/** The counts an estimate's description names, beside its events and units. */
export interface BasisCounts {
  readonly simulatedHours?: number;
  readonly runs?: number;
  readonly elections?: number;
  readonly sequences?: number;
  readonly failures?: number;
  /** importance sampling with a leader: the cycles simulated without biasing */
  readonly naturalCycles?: number;
}

/**
 * The facts behind an estimate, in structured form: what it measures, how its interval was
 * made, at which level, from how many independent units. src/report's describeMethod
 * writes the sentence the outputs show from these.
 */
export interface EstimateBasis {
  readonly kind: EstimateKind;
  readonly estimand: Estimand;
  /** the interval's confidence */
  readonly level: number;
  /** the independent units the standard error was estimated from */
  readonly unit?: "runs" | "regeneration cycles";
  readonly units?: number;
  /** the units' degrees of freedom, max(1, units − 1) */
  readonly degreesOfFreedom?: number;
  /** for a metric per year: the per-hour quantity × this many hours */
  readonly perYearHours?: number;
  /**
   * the units' residual skewness, when the interval was corrected for it (Hall's
   * transformation, src/stats/hallInterval.ts; runs as units)
   */
  readonly skewness?: number;
  /** runs are the units and fewer than this many ({@link RELIABLE_RUNS}): the 95 % interval is unreliable */
  readonly unitsNeeded?: number;
  readonly counts?: BasisCounts;
  /** importance sampling on the exponential-equivalent chain, which has the same value (estimate/insensitivity.ts) */
  readonly exponentialEquivalent?: boolean;
}

/** An estimate with its basis: the one way src/sim builds one. */
export function newEstimate(values: Omit<Estimate, "basis">, basis: Omit<EstimateBasis, "level" | "unitsNeeded">): Estimate {
  const few = basis.unit === "runs" && basis.units !== undefined && basis.units < RELIABLE_RUNS;
  return { ...values, basis: { ...basis, level: CONFIDENCE, ...(few ? { unitsNeeded: RELIABLE_RUNS } : {}) } };
}

export interface SimulationSummary {
  readonly runs: number;
  readonly simulatedHours: number;
  readonly nodeEvents: number;
  readonly regenerative: boolean;
  readonly metrics: Partial<Readonly<Record<MetricId, Estimate>>>;
  /** the message path's other outcomes (shares of accepted records), when it is simulated */
  readonly messagePath?: MessagePathOutcomes;
  /** present when the cluster's metrics come from importance sampling (importanceEstimate.ts) */
  readonly importance?: ImportanceSamplingInfo;
}

/** Shares of the records the queue accepted, by fate, each measured exactly on the simulated failovers. */
export interface MessagePathOutcomes {
  /** lost after their confirm (message.loss) */
  readonly lostConfirmed: Estimate;
  /** lost before their confirm: the publisher was not told they were stored */
  readonly lostUnconfirmed: Estimate;
  /** unconfirmed at a failover but survived it: a resend duplicates them */
  readonly unconfirmedSurvived: Estimate;
}

/** How an importance-sampling estimate was made, for the output. */
export interface ImportanceSamplingInfo {
  /** total probability given to the failure transitions where a repair is possible */
  readonly bias: number;
  readonly cycles: number;
  /** jump-chain transitions simulated */
  readonly transitions: number;
  /** cycles that reached a quorum loss (under the biased measure) */
  readonly lossCycles: number;
  /** the regeneration state the cycles start from and return to */
  readonly regeneration: string;
  /** estimated mean cycle length (hours) */
  readonly meanCycleHours: number;
  /** simulated time plain Monte Carlo would need for the same interval on unavailability (hours) */
  readonly plainEquivalentHours: number;
  /** with failover: the queue's availability (quorum up and leader elected), also under metrics when the registry has queue.availability */
  readonly queue?: Estimate;
}

export interface SummaryOptions {
  /** the cluster's nodes are a fleet's brokers (kernel/fleetTracker.ts): its metrics replace one replica set's */
  readonly fleet?: FleetEstimateOptions;
  /** all-up is a regeneration point (exponential failures) */
  readonly regenerative: boolean;
  readonly durabilityWindowHours?: number;
  /** retry attempts independent of outages (the formula's assumption): sequences are i.i.d. */
  readonly independentRetries?: boolean;
  /** a queue leader is simulated: estimate queue.availability */
  readonly queue?: boolean;
  /**
   * the message path is simulated (kernel/messagePath.ts): message.loss, message.duplicates and the
   * article's persistence and ack rows from its measures. `article`: "single copy" holds the
   * article's rows to their own assumption (one copy, one fault: --assume formula); "actual"
   * sets them beside what really happens to the records (realistic).
   */
  readonly messages?: {
    readonly article: "single copy" | "actual";
    readonly duplicates: boolean;
    /** ack: leader — every record is confirmed at once (no unconfirmed outcome exists) */
    readonly confirmsAtOnce?: boolean;
    /** fsync: always — no record is ever unflushed */
    readonly durableAtOnce?: boolean;
  };
}

export function summarize(totals: RunTotals, options: SummaryOptions): SimulationSummary {
  const metrics: Partial<Record<MetricId, Estimate>> = {};
  const runs = totals.runs;
  const simulatedHours = totals.sum(RUN_RECORD.horizonHours);
  const outages = totals.sum(RUN_RECORD.outages);
  const byRuns = runs >= RUNS_AS_UNITS || !options.regenerative;
  const enoughUnits = (r: Ratio) => r.unit !== "runs" || r.units >= MIN_RUNS;

  // Unavailability, and from it availability and downtime per year.
  const u = byRuns
    ? runRatio(totals, "downtime")
    : segmentRatio(totals, RUN_RECORD.sumSegmentDowntime, RUN_RECORD.sumSegmentDowntimeSquared, RUN_RECORD.sumSegmentLengthTimesDowntime);
  const uCi = interval(u, 0, 1);
  const enoughDown = outages >= MIN_EVENTS && enoughUnits(u);
  const timeAverage = { kind: "ratio", ...unitsOf(u), counts: { simulatedHours } } as const;
  metrics[METRIC.clusterAvailability] = newEstimate(
    {
      estimate: 1 - u.value,
      ci: uCi ? [1 - uCi[1], 1 - uCi[0]] : null,
      complement: u.value,
      complementCi: uCi,
      standardError: u.standardError,
      degreesOfFreedom: u.degreesOfFreedom,
      events: outages,
      enough: enoughDown,
    },
    { ...timeAverage, estimand: "unavailability" },
  );
  metrics[METRIC.clusterDowntimePerYear] = newEstimate(
    {
      ...perYear(u, uCi),
      degreesOfFreedom: u.degreesOfFreedom,
      events: outages,
      enough: enoughDown,
    },
    { ...timeAverage, estimand: "downtime", perYearHours: HOURS_PER_YEAR },
  );

  if (options.regenerative) {
    const losses = totals.sum(RUN_RECORD.lossSegments);
    const m = byRuns
      ? runRatio(totals, "exposure")
      : ratio(
          {
            count: totals.sum(RUN_RECORD.segments),
            sumNumerator: totals.sum(RUN_RECORD.sumExposure),
            sumDenominator: losses,
            sumNumeratorSquared: totals.sum(RUN_RECORD.sumExposureSquared),
            sumDenominatorSquared: losses, // D² = D for D ∈ {0, 1}
            sumProduct: totals.sum(RUN_RECORD.sumExposureInLossSegments),
          },
          "regeneration cycles",
        );
    metrics[METRIC.clusterMttf] = newEstimate(
      {
        estimate: m.value,
        ci: interval(m),
        standardError: m.standardError,
        degreesOfFreedom: m.degreesOfFreedom,
        events: losses,
        enough: losses >= MIN_EVENTS && enoughUnits(m),
      },
      { kind: "ratio", estimand: "mttf-exposure", ...unitsOf(m) },
    );
  } else {
    // Without a regeneration point at all-up (Weibull ages, a maintenance schedule), the
    // MTTF is the mean up time between quorum losses: up time over losses.
    const m = runRatio(totals, "upTime");
    metrics[METRIC.clusterMttf] = newEstimate(
      {
        estimate: m.value,
        ci: interval(m),
        standardError: m.standardError,
        degreesOfFreedom: m.degreesOfFreedom,
        events: outages,
        enough: outages >= MIN_EVENTS && enoughUnits(m),
      },
      { kind: "ratio", estimand: "mttf-up-time", ...unitsOf(m) },
    );
  }

  const o = byRuns
    ? runRatio(totals, "outages")
    : segmentRatio(totals, RUN_RECORD.sumSegmentOutages, RUN_RECORD.sumSegmentOutagesSquared, RUN_RECORD.sumSegmentLengthTimesOutages);
  const oCi = interval(o);
  metrics[METRIC.clusterOutagesPerYear] = newEstimate(
    {
      ...perYear(o, oCi),
      degreesOfFreedom: o.degreesOfFreedom,
      events: outages,
      enough: outages >= MIN_EVENTS && enoughUnits(o),
    },
    { kind: "ratio", estimand: "outages", ...unitsOf(o), perYearHours: HOURS_PER_YEAR },
  );

  if (options.queue) {
    // The leader makes all-up no regeneration point for the queue: the runs are the unit.
    const q = runRatio(totals, "queueDowntime");
    const qCi = interval(q, 0, 1);
    const queueOutages = totals.sum(RUN_RECORD.queueOutages);
    metrics[METRIC.queueAvailability] = newEstimate(
      {
        estimate: 1 - q.value,
        ci: qCi ? [1 - qCi[1], 1 - qCi[0]] : null,
        complement: q.value,
        complementCi: qCi,
        standardError: q.standardError,
        degreesOfFreedom: q.degreesOfFreedom,
        events: queueOutages,
        enough: queueOutages >= MIN_EVENTS && q.units >= MIN_RUNS,
      },
      { kind: "ratio", estimand: "queue-unavailability", ...unitsOf(q), counts: { elections: totals.sum(RUN_RECORD.elections) } },
    );
  }
  let messagePath: MessagePathOutcomes | undefined;
  if (options.messages) {
    const lost = messageShare(totals, "lostConfirmed", RUN_RECORD.lossEvents, "lost-confirmed");
    metrics[METRIC.messageLoss] = lost;
    messagePath = {
      lostConfirmed: lost,
      lostUnconfirmed: messageShare(totals, "lostUnconfirmed", RUN_RECORD.unconfirmedEvents, "lost-unconfirmed"),
      unconfirmedSurvived: messageShare(totals, "unconfirmedSurvived", RUN_RECORD.unconfirmedEvents, "unconfirmed-survived"),
    };
    if (options.messages.confirmsAtOnce) {
      // ack: leader confirms on the leader's write: no record is ever unconfirmed
      const none = structuralZero("ack-confirms-at-once");
      messagePath = { ...messagePath, lostUnconfirmed: none, unconfirmedSurvived: none };
    }
    const single = options.messages.article === "single copy";
    const persistence =
      options.messages.durableAtOnce && single
        ? structuralZero("fsync-always")
        : single
          ? messageShare(totals, "singleCopyUnpersisted", RUN_RECORD.destroyingEvents, "single-copy-unpersisted")
          : lost;
    const ack = options.messages.confirmsAtOnce
      ? (messagePath.lostUnconfirmed as Estimate)
      : single
        ? messageShare(totals, "singleCopyUnconfirmed", RUN_RECORD.destroyingEvents, "single-copy-unconfirmed")
        : (messagePath.lostUnconfirmed as Estimate);
    metrics[METRIC.persistenceReliability] = asReliability(persistence);
    metrics[METRIC.ackReliability] = asReliability(ack);
    if (options.messages.duplicates) {
      metrics[METRIC.messageDuplicates] = messageShare(totals, "messageDuplicates", RUN_RECORD.duplicateEpisodes, "message-duplicates");
    }
  }
  if (options.durabilityWindowHours !== undefined) {
    metrics[METRIC.messageLoss] = measuredFraction(totals, "loss", RUN_RECORD.lossEpisodes, options.durabilityWindowHours);
  }
  if (!options.messages && (totals.sum(RUN_RECORD.duplicateEpisodes) > 0 || totals.sum(RUN_RECORD.duplicateMeasure) > 0)) {
    metrics[METRIC.messageDuplicates] = measuredFraction(totals, "duplicates", RUN_RECORD.duplicateEpisodes, undefined);
  }
  if (options.fleet) {
    // the quorum and queue of "the" replica set mean nothing for a fleet (model/fleet.ts SINGLE_SET_METRICS)
    for (const id of SINGLE_SET_METRICS) delete metrics[id];
    Object.assign(metrics, fleetEstimates(totals, byRuns, options.fleet));
  }
  const retry = retryEstimate(totals, options.independentRetries ?? false);
  if (retry !== undefined) metrics[METRIC.retrySuccess] = retry;
  return {
    runs,
    simulatedHours,
    nodeEvents: totals.sum(RUN_RECORD.nodeEvents),
    regenerative: options.regenerative,
    metrics,
    ...(messagePath ? { messagePath } : {}),
  };
}

/** An outcome the mechanics rule out: exactly 0, with nothing to estimate. */
function structuralZero(estimand: Estimand): Estimate {
  return newEstimate(
    {
      estimate: 0,
      ci: [0, 0],
      complement: 1,
      complementCi: [1, 1],
      standardError: 0,
      degreesOfFreedom: Number.POSITIVE_INFINITY,
      events: 0,
      enough: true,
    },
    { kind: "exact-zero", estimand },
  );
}

/** A share of the accepted records (a measure over the queue's up time), runs as the units. */
function messageShare(totals: RunTotals, pair: RunPair, eventsField: number, estimand: Estimand): Estimate {
  const events = totals.sum(eventsField);
  const r = runRatio(totals, pair);
  if (!(totals.sum(RUN_PAIRS[pair][0]) > 0)) {
    return newEstimate(
      {
        estimate: 0,
        ci: null,
        complement: 1,
        complementCi: null,
        standardError: Number.POSITIVE_INFINITY,
        degreesOfFreedom: r.degreesOfFreedom,
        events: 0,
        enough: false,
      },
      { kind: "none-seen", estimand, counts: { runs: totals.runs } },
    );
  }
  const ci = interval(r, 0, 1);
  return newEstimate(
    {
      estimate: r.value,
      ci,
      complement: 1 - r.value,
      complementCi: ci ? [1 - ci[1], 1 - ci[0]] : null,
      standardError: r.standardError,
      degreesOfFreedom: r.degreesOfFreedom,
      events,
      enough: events >= MIN_EVENTS && r.units >= MIN_RUNS,
    },
    { kind: "ratio", estimand, ...unitsOf(r) },
  );
}

/**
 * A per-hour ratio (unavailability as hours down per hour, outages per hour) as a per-year
 * figure: the estimate, its interval and its standard error, each times the hours of a year.
 */
export function perYear(
  ratio: { readonly value: number; readonly standardError: number },
  ci: readonly [number, number] | null,
): { estimate: number; ci: readonly [number, number] | null; standardError: number } {
  return {
    estimate: ratio.value * HOURS_PER_YEAR,
    ci: ci ? [ci[0] * HOURS_PER_YEAR, ci[1] * HOURS_PER_YEAR] : null,
    standardError: ratio.standardError * HOURS_PER_YEAR,
  };
}

/** A loss share as a reliability: the value is its survival, the complement the share itself. */
function asReliability(share: Estimate): Estimate {
  const flip = (ci: readonly [number, number] | null | undefined) => (ci ? ([ci[0], ci[1]] as const) : null);
  return {
    ...share,
    estimate: share.complement ?? 1 - share.estimate,
    ci: share.complementCi ?? null,
    complement: share.estimate,
    complementCi: flip(share.ci),
  };
}

function measuredFraction(totals: RunTotals, pair: "loss" | "duplicates", episodeField: number, windowHours: number | undefined): Estimate {
  const estimand = pair === "loss" ? "loss-window" : "redelivery-window";
  const episodes = totals.sum(episodeField);
  if (windowHours === 0) return structuralZero("fsync-before-ack");
  const totalHours = totals.sum(RUN_RECORD.horizonHours);
  if (episodes === 0) {
    // The Poisson rule of three: with no episode seen, the expected number of episodes in
    // the simulated time is at most −ln(0.05) ≈ 3 (95 %), each losing at most one window.
    const upper = windowHours !== undefined ? Math.min(1, (-Math.log(1 - CONFIDENCE) * windowHours) / totalHours) : 0;
    return newEstimate(
      {
        estimate: 0,
        ci: [0, upper],
        complement: 1,
        complementCi: [1 - upper, 1],
        standardError: 0,
        degreesOfFreedom: Number.POSITIVE_INFINITY,
        events: 0,
        enough: false,
      },
      { kind: "poisson-rule-of-three", estimand, counts: { runs: totals.runs } },
    );
  }
  const r = runRatio(totals, pair);
  const ci = interval(r, 0, 1);
  return newEstimate(
    {
      estimate: r.value,
      ci,
      complement: 1 - r.value,
      complementCi: ci ? [1 - ci[1], 1 - ci[0]] : null,
      standardError: r.standardError,
      degreesOfFreedom: r.degreesOfFreedom,
      events: episodes,
      enough: episodes >= MIN_EVENTS && r.units >= MIN_RUNS,
    },
    { kind: "ratio", estimand, ...unitsOf(r) },
  );
}

function retryEstimate(totals: RunTotals, independent: boolean): Estimate | undefined {
  const sequences = totals.sum(RUN_RECORD.retrySequences);
  if (sequences === 0) return undefined;
  const failures = totals.sum(RUN_RECORD.retryFailures);
  const p = failures / sequences;
  if (independent || failures === 0) {
    const failureCi: readonly [number, number] =
      failures === 0 ? [0, ruleOfThree(sequences)] : wilsonInterval(failures, sequences, normalQuantile((1 + CONFIDENCE) / 2));
    return newEstimate(
      {
        estimate: 1 - p,
        ci: [1 - failureCi[1], 1 - failureCi[0]],
        complement: p,
        complementCi: failureCi,
        standardError: Math.sqrt((p * (1 - p)) / sequences),
        degreesOfFreedom: Number.POSITIVE_INFINITY,
        events: failures,
        trials: sequences,
        // With realistic mechanics and no failure seen, the rule of three still assumes
        // independent sequences: make no claim.
        enough: independent && failures > 0,
      },
      { kind: failures === 0 ? "rule-of-three" : "wilson", estimand: "retry-failures", counts: { sequences, failures } },
    );
  }
  const r = runRatio(totals, "retry");
  const ci = interval(r, 0, 1);
  return newEstimate(
    {
      estimate: 1 - r.value,
      ci: ci ? [1 - ci[1], 1 - ci[0]] : null,
      complement: r.value,
      complementCi: ci,
      standardError: r.standardError,
      degreesOfFreedom: r.degreesOfFreedom,
      events: failures,
      enough: failures >= MIN_EVENTS && r.units >= MIN_RUNS,
    },
    { kind: "ratio", estimand: "retry-failures", ...unitsOf(r), counts: { sequences, failures } },
  );
}

/** How far each estimate's interval is from a target relative half-width. */
export interface TargetCheck {
  readonly met: boolean;
  /** the metrics the stopping rule watched */
  readonly watched: readonly MetricId[];
  /** watched metrics whose relative half-width is still above the target, with that half-width */
  readonly missed: readonly { readonly metric: MetricId; readonly relativeHalfWidth: number }[];
  /** the other estimates and their relative half-widths (reported, never waited for) */
  readonly unwatched: readonly { readonly metric: MetricId; readonly relativeHalfWidth: number }[];
  /**
   * the two-stage rule (run/scheduler.ts): the pilot's runs, which set the budget and are
   * not in the estimates, and the fresh runs it set (all of them were made unless interrupted)
   */
  readonly pilot?: { readonly runs: number; readonly budget: number };
}

/**
 * An estimate's relative half-width, on its small side: the complement when it is the
 * small number (unavailability, retry failure), else the estimate. Exactly zero with a
 * zero-width interval (nothing can be lost): 0; a zero estimate with a non-zero interval,
 * or no interval: ∞.
 */
export function relativeHalfWidth(estimate: Estimate): number {
  const small = estimate.complement !== undefined && estimate.complement < 0.5;
  const centre = small ? (estimate.complement as number) : estimate.estimate;
  const ci = small ? estimate.complementCi : estimate.ci;
  if (ci === null || ci === undefined) return Number.POSITIVE_INFINITY;
  if (ci[1] - ci[0] === 0) return 0;
  return centre === 0 ? Number.POSITIVE_INFINITY : (ci[1] - ci[0]) / 2 / Math.abs(centre);
}

/**
 * Relative half-width of each estimate's interval ({@link relativeHalfWidth}) against the
 * target: an estimate that is exactly zero with a zero-width interval (nothing can be
 * lost) meets any target; a zero estimate with a non-zero interval meets none.
 */
export function checkTarget(summary: SimulationSummary, target: number, watch: (metric: string) => boolean = () => true): TargetCheck {
  const watched: MetricId[] = [];
  const missed: { metric: MetricId; relativeHalfWidth: number }[] = [];
  const unwatched: { metric: MetricId; relativeHalfWidth: number }[] = [];
  for (const [metric, estimate] of Object.entries(summary.metrics) as [MetricId, Estimate][]) {
    const relative = relativeHalfWidth(estimate);
    if (!watch(metric)) unwatched.push({ metric, relativeHalfWidth: relative });
    else {
      watched.push(metric);
      if (!(relative <= target)) missed.push({ metric, relativeHalfWidth: relative });
    }
  }
  return { met: missed.length === 0, watched, missed, unwatched };
}
