/**
 * From run records to estimates with 95% confidence intervals, each by a method that fits
 * what it estimates:
 *
 * - time averages (availability, downtime, outages per year) and the mean time to
 *   losing quorum: the regenerative ratio estimator over cycles between entries to the
 *   all-up state (Crane & Iglehart 1975; Asmussen & Glynn, Stochastic Simulation (2007),
 *   §IV.4): r = ΣY/Στ with the delta-method variance Σ(Y − rτ)²/(n − 1) / (n·τ̄²). The
 *   all-up state is a regeneration point when failures are exponential (every up node's
 *   remaining life is memoryless and no repair is in progress). With Weibull failures it
 *   is not, and the runs themselves (independent replications) are the unit instead;
 * - message loss and duplicates: losses come in bursts (one crash loses a whole window),
 *   so messages are not independent; the independent unit is the run: mean ± t·s/√R
 *   over the runs' exactly measured loss fractions;
 * - retry success: independent sequences, Wilson's score interval (Wilson 1927), and the
 *   one-sided rule of three (3/N) when no failure was seen.
 *
 * An estimate built on fewer than {@link MIN_EVENTS} events (down episodes, quorum
 * losses, loss episodes) is marked "too few events": such intervals undercover.
 */
import { HOURS_PER_YEAR } from "../expr/units.js";
import { METRIC, type MetricId } from "../metrics/index.js";
import { RUN_RECORD } from "./run.js";

export const MIN_EVENTS = 100;
const Z95 = 1.959963984540054;

export interface Estimate {
  /** the metric (availability, loss probability, hours, …) */
  readonly estimate: number;
  readonly ci: readonly [number, number] | null;
  /** its small complement (unavailability, survival of loss, …) where it has one */
  readonly complement?: number;
  readonly complementCi?: readonly [number, number] | null;
  readonly standardError: number;
  /** how the interval was made */
  readonly method: string;
  /** events the estimate rests on */
  readonly events: number;
  /** for proportions of independent trials: how many (the events are the failures) */
  readonly trials?: number;
  readonly enough: boolean;
}

export interface SimulationSummary {
  readonly runs: number;
  readonly simulatedHours: number;
  readonly nodeEvents: number;
  readonly regenerative: boolean;
  readonly metrics: Partial<Readonly<Record<MetricId, Estimate>>>;
}

function sumField(runs: readonly Float64Array[], index: number): number {
  let total = 0;
  for (const run of runs) total += run[index] as number;
  return total;
}

interface Ratio {
  readonly value: number;
  readonly standardError: number;
  readonly n: number;
}

/** r = ΣA/ΣB over n iid cycles, with the delta-method standard error. */
function ratio(sumA: number, sumB: number, sumA2: number, sumB2: number, sumAB: number, n: number): Ratio {
  if (n < 2 || sumB === 0) return { value: sumB === 0 ? Number.NaN : sumA / sumB, standardError: Number.POSITIVE_INFINITY, n };
  const r = sumA / sumB;
  const variance = Math.max(0, (sumA2 - 2 * r * sumAB + r * r * sumB2) / (n - 1));
  const meanB = sumB / n;
  return { value: r, standardError: Math.sqrt(variance / n) / meanB, n };
}

/** A per-cycle quantity per unit of cycle length, ΣA/Στ over all complete cycles of all runs. */
function perUnitTime(runs: readonly Float64Array[], sum: number, sumSquares: number, sumWithTau: number): Ratio {
  return ratio(
    sumField(runs, sum),
    sumField(runs, RUN_RECORD.sumCycleLength),
    sumField(runs, sumSquares),
    sumField(runs, RUN_RECORD.sumCycleLengthSquared),
    sumField(runs, sumWithTau),
    sumField(runs, RUN_RECORD.cycles),
  );
}

/** Mean and standard error of per-run values (independent replications). */
function replications(values: readonly number[]): { mean: number; standardError: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, standardError: Number.POSITIVE_INFINITY };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, standardError: Math.sqrt(variance / n) };
}

function interval(value: number, standardError: number, low = 0, high = Number.POSITIVE_INFINITY): readonly [number, number] | null {
  if (!Number.isFinite(standardError)) return null;
  return [Math.max(low, value - Z95 * standardError), Math.min(high, value + Z95 * standardError)];
}

/** Wilson score interval for k successes in n trials (95 % unless z is given). */
export function wilson(k: number, n: number, z = Z95): readonly [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function summarize(
  runs: readonly Float64Array[],
  options: { regenerative: boolean; durabilityWindowHours?: number },
): SimulationSummary {
  const metrics: Partial<Record<MetricId, Estimate>> = {};
  const simulatedHours = sumField(runs, RUN_RECORD.horizonHours);
  const outages = sumField(runs, RUN_RECORD.outages);
  const cycles = sumField(runs, RUN_RECORD.cycles);
  const enoughDown = outages >= MIN_EVENTS;

  // Unavailability, and from it availability and downtime per year.
  let unavailability: { value: number; standardError: number; method: string };
  if (options.regenerative) {
    const u = perUnitTime(runs, RUN_RECORD.sumCycleDowntime, RUN_RECORD.sumCycleDowntimeSquared, RUN_RECORD.sumCycleLengthTimesDowntime);
    unavailability = {
      value: u.value,
      standardError: u.standardError,
      method: `regenerative ratio estimator over ${cycles} all-up cycles`,
    };
  } else {
    const r = replications(runs.map((run) => (run[RUN_RECORD.downtimeHours] as number) / (run[RUN_RECORD.horizonHours] as number)));
    unavailability = { value: r.mean, standardError: r.standardError, method: `independent replications (${runs.length} runs)` };
  }
  const uCi = interval(unavailability.value, unavailability.standardError, 0, 1);
  metrics[METRIC.clusterAvailability] = {
    estimate: 1 - unavailability.value,
    ci: uCi ? [1 - uCi[1], 1 - uCi[0]] : null,
    complement: unavailability.value,
    complementCi: uCi,
    standardError: unavailability.standardError,
    method: `time in the up state; ${unavailability.method}`,
    events: outages,
    enough: enoughDown,
  };
  metrics[METRIC.clusterDowntimePerYear] = {
    estimate: unavailability.value * HOURS_PER_YEAR,
    ci: uCi ? [uCi[0] * HOURS_PER_YEAR, uCi[1] * HOURS_PER_YEAR] : null,
    standardError: unavailability.standardError * HOURS_PER_YEAR,
    method: `unavailability × 8766 h; ${unavailability.method}`,
    events: outages,
    enough: enoughDown,
  };

  const quorumLosses = sumField(runs, RUN_RECORD.quorumLossCycles);
  if (options.regenerative) {
    const m = ratio(
      sumField(runs, RUN_RECORD.sumTimeToQuorumLoss),
      quorumLosses,
      sumField(runs, RUN_RECORD.sumTimeToQuorumLossSquared),
      quorumLosses,
      sumField(runs, RUN_RECORD.sumTimeToQuorumLossInLossCycles),
      cycles,
    );
    metrics[METRIC.clusterMttf] = {
      estimate: m.value,
      ci: interval(m.value, m.standardError),
      standardError: m.standardError,
      method: `regenerative: time from all-up to the first quorum loss per cycle over cycles that lose quorum (${quorumLosses} losses in ${cycles} cycles)`,
      events: quorumLosses,
      enough: quorumLosses >= MIN_EVENTS,
    };
    const o = perUnitTime(runs, RUN_RECORD.sumCycleOutages, RUN_RECORD.sumCycleOutagesSquared, RUN_RECORD.sumCycleLengthTimesOutages);
    metrics[METRIC.clusterOutagesPerYear] = {
      estimate: o.value * HOURS_PER_YEAR,
      ci: interval(o.value * HOURS_PER_YEAR, o.standardError * HOURS_PER_YEAR),
      standardError: o.standardError * HOURS_PER_YEAR,
      method: `regenerative ratio estimator over ${cycles} all-up cycles`,
      events: outages,
      enough: enoughDown,
    };
  } else {
    const r = replications(
      runs.map((run) => ((run[RUN_RECORD.outages] as number) / (run[RUN_RECORD.horizonHours] as number)) * HOURS_PER_YEAR),
    );
    metrics[METRIC.clusterOutagesPerYear] = {
      estimate: r.mean,
      ci: interval(r.mean, r.standardError),
      standardError: r.standardError,
      method: `independent replications (${runs.length} runs)`,
      events: outages,
      enough: enoughDown,
    };
  }

  if (options.durabilityWindowHours !== undefined) {
    metrics[METRIC.messageLoss] = measuredFraction(
      runs,
      RUN_RECORD.lostMeasure,
      RUN_RECORD.lossEpisodes,
      options.durabilityWindowHours,
      "loss",
    );
  }
  if (runs.some((run) => (run[RUN_RECORD.duplicateEpisodes] as number) > 0 || (run[RUN_RECORD.duplicateMeasure] as number) > 0)) {
    metrics[METRIC.messageDuplicates] = measuredFraction(
      runs,
      RUN_RECORD.duplicateMeasure,
      RUN_RECORD.duplicateEpisodes,
      undefined,
      "redelivery",
    );
  }

  const sequences = sumField(runs, RUN_RECORD.retrySequences);
  if (sequences > 0) {
    const failures = sumField(runs, RUN_RECORD.retryFailures);
    const failureCi: readonly [number, number] = failures === 0 ? [0, 3 / sequences] : wilson(failures, sequences);
    const p = failures / sequences;
    metrics[METRIC.retrySuccess] = {
      estimate: 1 - p,
      ci: [1 - failureCi[1], 1 - failureCi[0]],
      complement: p,
      complementCi: failureCi,
      standardError: Math.sqrt((p * (1 - p)) / sequences),
      method:
        failures === 0
          ? `no failed sequence in ${sequences}: one-sided rule of three (failure ≤ 3/N)`
          : `Wilson score interval over ${sequences} independent retry sequences (${failures} failed)`,
      events: failures,
      trials: sequences,
      enough: failures > 0,
    };
  }
  return {
    runs: runs.length,
    simulatedHours,
    nodeEvents: sumField(runs, RUN_RECORD.nodeEvents),
    regenerative: options.regenerative,
    metrics,
  };
}

function measuredFraction(
  runs: readonly Float64Array[],
  measureIndex: number,
  episodeIndex: number,
  windowHours: number | undefined,
  what: string,
): Estimate {
  const episodes = sumField(runs, episodeIndex);
  if (windowHours === 0) {
    return {
      estimate: 0,
      ci: [0, 0],
      complement: 1,
      complementCi: [1, 1],
      standardError: 0,
      method: "no unflushed window (fsync before ack): no crash can lose an acknowledged message",
      events: 0,
      enough: true,
    };
  }
  const fractions = runs.map((run) => (run[measureIndex] as number) / (run[RUN_RECORD.horizonHours] as number));
  const r = replications(fractions);
  const totalHours = sumField(runs, RUN_RECORD.horizonHours);
  if (episodes === 0) {
    const upper = windowHours !== undefined ? (3 * windowHours) / totalHours : 0;
    return {
      estimate: 0,
      ci: [0, upper],
      complement: 1,
      complementCi: [1 - upper, 1],
      standardError: 0,
      method: `no ${what} window in ${runs.length} runs: rule of three on ${what} episodes (≤ 3 windows over the simulated time)`,
      events: 0,
      enough: false,
    };
  }
  const ci = interval(r.mean, r.standardError, 0, 1);
  return {
    estimate: r.mean,
    ci,
    complement: 1 - r.mean,
    complementCi: ci ? [1 - ci[1], 1 - ci[0]] : null,
    standardError: r.standardError,
    method: `share of publish instants in a ${what} window, measured exactly on each run's simulated ${what === "loss" ? "crash" : "node-failure"} timeline; runs as independent replications (${runs.length} runs, ${episodes} episodes)`,
    events: episodes,
    enough: episodes >= MIN_EVENTS && runs.length >= 10,
  };
}

/** Largest relative half-width of the intervals of the small complements (for --target-rel-error). */
export function worstRelativeError(summary: SimulationSummary): number {
  let worst = 0;
  for (const estimate of Object.values(summary.metrics)) {
    const centre = estimate.complement !== undefined && estimate.complement < 0.5 ? estimate.complement : estimate.estimate;
    const ci = estimate.complement !== undefined && estimate.complement < 0.5 ? estimate.complementCi : estimate.ci;
    if (ci === null || ci === undefined || centre === 0) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, (ci[1] - ci[0]) / 2 / Math.abs(centre));
  }
  return worst;
}
