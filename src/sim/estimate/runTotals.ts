/**
 * The running totals of a simulation: every run's record folded into exact sums, so that
 * memory stays flat however many runs are made, and the totals of any set of runs —
 * made by one thread, several workers, or machines running shards — merge into exactly
 * the same bits (src/stats/exactSum.ts). The estimators (estimate.ts) read only these.
 */
import { ExactSum } from "../../stats/exactSum.js";
import type { RatioSumsData } from "../../stats/ratioEstimate.js";
import { RUN_RECORD } from "../kernel/plainRun.js";

/**
 * Per-run pairs (a, b) whose cross-run moments Σa², Σb², Σab the run-level ratio
 * estimators need (runs as independent replications of a/b), and the third moments Σa³,
 * Σa²b, Σab², Σb³ from which the residuals' skewness comes (issue 22: the interval is
 * skewness-corrected, src/stats/hallInterval.ts). All exact, so shards merge to the same bits.
 */
export const RUN_PAIRS = {
  /** downtime / simulated time: unavailability */
  downtime: [RUN_RECORD.downtimeHours, RUN_RECORD.horizonHours],
  /** quorum losses / simulated time */
  outages: [RUN_RECORD.outages, RUN_RECORD.horizonHours],
  /** exposure before quorum losses / quorum losses (regenerative MTTF from all-up) */
  exposure: [RUN_RECORD.sumExposure, RUN_RECORD.lossSegments],
  /** up time / quorum losses: the mean up time between quorum losses (MTTF where all-up is no regeneration point) */
  upTime: [RUN_RECORD.upTimeHours, RUN_RECORD.outages],
  /** time the queue took no writes / simulated time: queue unavailability */
  queueDowntime: [RUN_RECORD.queueDowntimeHours, RUN_RECORD.horizonHours],
  /** publish instants lost / simulated time */
  loss: [RUN_RECORD.lostMeasure, RUN_RECORD.horizonHours],
  /** delivery instants redelivered / simulated time */
  duplicates: [RUN_RECORD.duplicateMeasure, RUN_RECORD.horizonHours],
  /** the message path: shares of the records the queue accepted (publish instants while it took writes) */
  lostConfirmed: [RUN_RECORD.lostConfirmed, RUN_RECORD.queueUpHours],
  lostUnconfirmed: [RUN_RECORD.lostUnconfirmed, RUN_RECORD.queueUpHours],
  unconfirmedSurvived: [RUN_RECORD.unconfirmedSurvived, RUN_RECORD.queueUpHours],
  singleCopyUnpersisted: [RUN_RECORD.singleCopyUnpersisted, RUN_RECORD.queueUpHours],
  singleCopyUnconfirmed: [RUN_RECORD.singleCopyUnconfirmed, RUN_RECORD.queueUpHours],
  messageDuplicates: [RUN_RECORD.messageDuplicateMeasure, RUN_RECORD.queueUpHours],
  /** failed retry sequences / sequences */
  retry: [RUN_RECORD.retryFailures, RUN_RECORD.retrySequences],
  /** a fleet's quantities over simulated time: some partition not writable, partition-hours not writable, loss events, partitions lost, elections */
  fleetDown: [RUN_RECORD.fleetDownHours, RUN_RECORD.horizonHours],
  fleetPartitionHours: [RUN_RECORD.fleetPartitionHours, RUN_RECORD.horizonHours],
  fleetLossEvents: [RUN_RECORD.fleetLossEvents, RUN_RECORD.horizonHours],
  fleetPartitionsLost: [RUN_RECORD.fleetPartitionsLost, RUN_RECORD.horizonHours],
  fleetElections: [RUN_RECORD.fleetElections, RUN_RECORD.horizonHours],
  /** the losses by their intensity (fleetTracker.ts), over simulated time */
  fleetExpectedLossEvents: [RUN_RECORD.fleetExpectedLossEvents, RUN_RECORD.horizonHours],
  fleetExpectedPartitionsLost: [RUN_RECORD.fleetExpectedPartitionsLost, RUN_RECORD.horizonHours],
} as const;

export type RunPair = keyof typeof RUN_PAIRS;
const PAIR_NAMES = Object.keys(RUN_PAIRS) as RunPair[];

/** The moments kept per pair: second (aa, bb, ab) and third (aaa, aab, abb, bbb). */
const MOMENTS = ["aa", "bb", "ab", "aaa", "aab", "abb", "bbb"] as const;
type Moment = (typeof MOMENTS)[number];
type PairMoments = Readonly<Record<Moment, ExactSum>>;

const newMoments = (): PairMoments => Object.fromEntries(MOMENTS.map((m) => [m, new ExactSum()])) as unknown as PairMoments;

/** What a saved set of totals looks like in JSON (shards, worker messages). */
export interface RunTotalsJson {
  readonly runs: number;
  readonly fields: number[][];
  readonly pairs: Record<string, Record<Moment, number[]>>;
}

export class RunTotals {
  runs = 0;
  private readonly fields: ExactSum[] = Array.from({ length: RUN_RECORD.size }, () => new ExactSum());
  private readonly pairs = new Map<RunPair, PairMoments>(PAIR_NAMES.map((name) => [name, newMoments()]));

  /** Fold in one run's record. */
  add(record: Float64Array): void {
    this.runs++;
    for (let i = 0; i < RUN_RECORD.size; i++) (this.fields[i] as ExactSum).add(record[i] as number);
    for (const name of PAIR_NAMES) {
      const [ia, ib] = RUN_PAIRS[name];
      const a = record[ia] as number;
      const b = record[ib] as number;
      const moments = this.pairs.get(name) as PairMoments;
      const aa = a * a;
      const bb = b * b;
      moments.aa.add(aa);
      moments.bb.add(bb);
      moments.ab.add(a * b);
      moments.aaa.add(aa * a);
      moments.aab.add(aa * b);
      moments.abb.add(a * bb);
      moments.bbb.add(bb * b);
    }
  }

  merge(other: RunTotals): void {
    this.runs += other.runs;
    for (let i = 0; i < RUN_RECORD.size; i++) (this.fields[i] as ExactSum).merge(other.fields[i] as ExactSum);
    for (const name of PAIR_NAMES) {
      const mine = this.pairs.get(name) as PairMoments;
      const theirs = other.pairs.get(name) as PairMoments;
      for (const m of MOMENTS) mine[m].merge(theirs[m]);
    }
  }

  /** Σ over runs of one record field (correctly rounded). */
  sum(field: number): number {
    return (this.fields[field] as ExactSum).value();
  }

  /** Runs as the independent units of the ratio Σa/Σb. */
  runRatio(pair: RunPair): RatioSumsData {
    const [ia, ib] = RUN_PAIRS[pair];
    const moments = this.pairs.get(pair) as PairMoments;
    return {
      count: this.runs,
      sumNumerator: this.sum(ia),
      sumDenominator: this.sum(ib),
      sumNumeratorSquared: moments.aa.value(),
      sumDenominatorSquared: moments.bb.value(),
      sumProduct: moments.ab.value(),
      third: {
        sumNumeratorCubed: moments.aaa.value(),
        sumNumeratorSquaredDenominator: moments.aab.value(),
        sumNumeratorDenominatorSquared: moments.abb.value(),
        sumDenominatorCubed: moments.bbb.value(),
      },
    };
  }

  toJSON(): RunTotalsJson {
    return {
      runs: this.runs,
      fields: this.fields.map((sum) => sum.toJSON()),
      pairs: Object.fromEntries(
        PAIR_NAMES.map((name) => {
          const m = this.pairs.get(name) as PairMoments;
          return [name, Object.fromEntries(MOMENTS.map((which) => [which, m[which].toJSON()])) as Record<Moment, number[]>];
        }),
      ),
    };
  }

  /** @throws when the JSON is not a saved RunTotals of this version */
  static fromJSON(json: RunTotalsJson): RunTotals {
    const totals = new RunTotals();
    if (!Number.isSafeInteger(json.runs) || json.runs < 0 || json.fields.length !== RUN_RECORD.size) {
      throw new RangeError("RunTotals.fromJSON requires totals saved by this version of mqrel");
    }
    totals.runs = json.runs;
    json.fields.forEach((partials, i) => {
      (totals.fields[i] as ExactSum).merge(ExactSum.fromJSON(partials));
    });
    for (const name of PAIR_NAMES) {
      const saved = json.pairs[name];
      if (saved === undefined) throw new RangeError(`RunTotals.fromJSON: missing the ${name} moments`);
      const m = totals.pairs.get(name) as PairMoments;
      for (const which of MOMENTS) {
        const partials = saved[which];
        if (!Array.isArray(partials)) throw new RangeError(`RunTotals.fromJSON: missing the ${name}.${which} moment`);
        m[which].merge(ExactSum.fromJSON(partials));
      }
    }
    return totals;
  }
}
