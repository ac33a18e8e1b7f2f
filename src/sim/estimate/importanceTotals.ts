/**
 * The running totals of importance-sampling runs (importanceRun.ts): every run's record
 * folded into exact sums, which merge into the same bits in any order; the estimators
 * (importanceEstimate.ts) read only these.
 */
import { ExactSum } from "../../stats/exactSum.js";
import { IMPORTANCE_RECORD } from "../kernel/importanceRun.js";

/** The exact totals of importance-sampling runs: every record field summed exactly. */
export class ImportanceTotals {
  runs = 0;
  private readonly fields: ExactSum[] = Array.from({ length: IMPORTANCE_RECORD.size }, () => new ExactSum());

  add(record: Float64Array): void {
    this.runs++;
    for (let i = 0; i < IMPORTANCE_RECORD.size; i++) (this.fields[i] as ExactSum).add(record[i] as number);
  }

  merge(other: ImportanceTotals): void {
    this.runs += other.runs;
    for (let i = 0; i < IMPORTANCE_RECORD.size; i++) (this.fields[i] as ExactSum).merge(other.fields[i] as ExactSum);
  }

  /** Σ over runs of one record field (correctly rounded). */
  sum(field: number): number {
    return (this.fields[field] as ExactSum).value();
  }

  toJSON(): { runs: number; fields: number[][] } {
    return { runs: this.runs, fields: this.fields.map((f) => f.toJSON()) };
  }

  /** @throws RangeError when the JSON is not importance-sampling totals saved by this version */
  static fromJSON(json: unknown): ImportanceTotals {
    const saved = json as { runs?: unknown; fields?: unknown };
    if (
      typeof saved !== "object" ||
      saved === null ||
      !Number.isSafeInteger(saved.runs) ||
      (saved.runs as number) < 0 ||
      !Array.isArray(saved.fields) ||
      saved.fields.length !== IMPORTANCE_RECORD.size ||
      !saved.fields.every((f) => Array.isArray(f) && f.every((x) => typeof x === "number"))
    ) {
      throw new RangeError("ImportanceTotals.fromJSON requires importance-sampling totals saved by this version of mqrel");
    }
    const totals = new ImportanceTotals();
    totals.runs = saved.runs as number;
    (saved.fields as number[][]).forEach((partials, i) => {
      (totals.fields[i] as ExactSum).merge(ExactSum.fromJSON(partials));
    });
    return totals;
  }
}
