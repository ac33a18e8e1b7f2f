/**
 * From the runs of a regions simulation (kernel/regionRun.ts) to the three region metrics
 * with 95 % intervals (docs/design.md §3d):
 *
 * - service.availability = Σ up hours ÷ Σ measured hours, and its complement Σ down hours ÷
 *   Σ measured hours, measured directly (never 1 − availability);
 * - regions.failovers_per_year = Σ failovers ÷ Σ measured hours × 8766 (and the planned
 *   failbacks per year the same way, when the model has failback);
 * - regions.loss = Σ lost hours ÷ Σ up hours: the expected records lost at failovers (the
 *   uncopied backlog, integrated on each run's timeline) over the records confirmed, both in
 *   hours of traffic (the publish rate cancels).
 *
 * Each is a ratio Σa/Σb over runs, the runs being the independent units (the sites' and the
 * failover's states together have no regeneration point that recurs often enough to cut a
 * run into cycles): the delta-method standard error and Student's t at runs − 1 degrees of
 * freedom (ratios.ts, src/stats/ratioEstimate.ts). An interval is trusted ("enough") with
 * at least {@link RUNS_AS_UNITS} runs and {@link MIN_EVENTS} events — service outages for the
 * availability, failovers for the other two. The sums are exact (Shewchuk), so the totals of
 * any set of runs merge to the same bits.
 */
import { HOURS_PER_YEAR } from "../../expr/units.js";
import { ExactSum } from "../../stats/exactSum.js";
import { REGION_RUN } from "../kernel/regionRun.js";
import { MIN_EVENTS, RUNS_AS_UNITS } from "./estimate.js";
import { interval, ratio } from "./ratios.js";

/** The (numerator, denominator) slots of the region ratios. */
const REGION_PAIRS = {
  up: [REGION_RUN.upHours, REGION_RUN.horizonHours],
  down: [REGION_RUN.downHours, REGION_RUN.horizonHours],
  failovers: [REGION_RUN.failovers, REGION_RUN.horizonHours],
  failbacks: [REGION_RUN.failbacks, REGION_RUN.horizonHours],
  loss: [REGION_RUN.lostHours, REGION_RUN.upHours],
} as const;
type RegionPair = keyof typeof REGION_PAIRS;
const PAIRS = Object.keys(REGION_PAIRS) as RegionPair[];

/** The runs' records folded into exact sums: each field, and Σa², Σb², Σab of each ratio's pair. */
export class RegionTotals {
  runs = 0;
  private readonly fields = Array.from({ length: REGION_RUN.size }, () => new ExactSum());
  private readonly moments = new Map(PAIRS.map((name) => [name, [new ExactSum(), new ExactSum(), new ExactSum()] as const]));

  add(record: Float64Array): void {
    this.runs++;
    for (let i = 0; i < REGION_RUN.size; i++) (this.fields[i] as ExactSum).add(record[i] as number);
    for (const name of PAIRS) {
      const [ia, ib] = REGION_PAIRS[name];
      const a = record[ia] as number;
      const b = record[ib] as number;
      const [aa, bb, ab] = this.moments.get(name) as readonly [ExactSum, ExactSum, ExactSum];
      aa.add(a * a);
      bb.add(b * b);
      ab.add(a * b);
    }
  }

  merge(other: RegionTotals): void {
    this.runs += other.runs;
    this.fields.forEach((sum, i) => {
      sum.merge(other.fields[i] as ExactSum);
    });
    for (const name of PAIRS) {
      const mine = this.moments.get(name) as readonly ExactSum[];
      const theirs = other.moments.get(name) as readonly ExactSum[];
      mine.forEach((sum, i) => {
        sum.merge(theirs[i] as ExactSum);
      });
    }
  }

  /** Σ over the runs of one {@link REGION_RUN} field (correctly rounded). */
  sum(field: number): number {
    return (this.fields[field] as ExactSum).value();
  }

  /** The ratio Σa/Σb over runs, with its delta-method standard error. */
  ratio(pair: RegionPair): ReturnType<typeof ratio> {
    const [ia, ib] = REGION_PAIRS[pair];
    const [aa, bb, ab] = this.moments.get(pair) as readonly [ExactSum, ExactSum, ExactSum];
    return ratio(
      {
        count: this.runs,
        sumNumerator: this.sum(ia),
        sumDenominator: this.sum(ib),
        sumNumeratorSquared: aa.value(),
        sumDenominatorSquared: bb.value(),
        sumProduct: ab.value(),
      },
      "runs",
    );
  }
}

/** One region metric, estimated over runs (the fields of src/sim's Estimate that apply). */
export interface RegionEstimate {
  readonly estimate: number;
  /** 95 %: estimate ± t·SE, clipped to the metric's range; null without a standard error (fewer than 2 runs) */
  readonly ci: readonly [number, number] | null;
  /** service.availability: its complement (unavailability), measured directly */
  readonly complement?: number;
  readonly complementCi?: readonly [number, number] | null;
  readonly standardError: number;
  /** runs − 1 */
  readonly degreesOfFreedom: number;
  /** the runs (the independent units) */
  readonly runs: number;
  /** service outages (availability) or failovers (the others) in the measured windows */
  readonly events: number;
  /** at least 30 runs and 100 events */
  readonly enough: boolean;
}

export interface RegionEstimates {
  readonly "service.availability": RegionEstimate;
  readonly "regions.failovers_per_year": RegionEstimate;
  readonly "regions.loss": RegionEstimate;
  /** planned switches back to the first site per year (no metric of its own; 0 without failback) */
  readonly failbacksPerYear: RegionEstimate;
}

/** The three region metrics from the totals. */
export function regionEstimates(totals: RegionTotals): RegionEstimates {
  const runs = totals.runs;
  const failovers = totals.sum(REGION_RUN.failovers);
  const outages = totals.sum(REGION_RUN.serviceOutages);
  const enough = (events: number) => runs >= RUNS_AS_UNITS && events >= MIN_EVENTS;
  const base = (r: ReturnType<typeof ratio>, events: number, scale = 1) => ({
    estimate: r.value * scale,
    standardError: r.standardError * scale,
    degreesOfFreedom: r.degreesOfFreedom,
    runs,
    events,
    enough: enough(events),
  });
  const up = totals.ratio("up");
  const down = totals.ratio("down");
  const loss = totals.ratio("loss");
  const perYear = (r: ReturnType<typeof ratio>, events: number): RegionEstimate => {
    const perHourInterval = interval(r);
    return {
      ...base(r, events, HOURS_PER_YEAR),
      ci: perHourInterval && [perHourInterval[0] * HOURS_PER_YEAR, perHourInterval[1] * HOURS_PER_YEAR],
    };
  };
  return {
    "service.availability": {
      ...base(up, outages),
      ci: interval(up, 0, 1),
      complement: down.value,
      complementCi: interval(down, 0, 1),
    },
    "regions.failovers_per_year": perYear(totals.ratio("failovers"), failovers),
    "regions.loss": { ...base(loss, failovers), ci: interval(loss, 0, 1) },
    failbacksPerYear: perYear(totals.ratio("failbacks"), totals.sum(REGION_RUN.failbacks)),
  };
}
