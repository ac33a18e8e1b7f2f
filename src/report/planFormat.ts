/** Text forms shared by the planning reports (sweep, solve, sensitivity, the HTML report). */
import { printable } from "../common/text.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { METRIC, type MetricId, metricSpec } from "../metrics/index.js";
import type { Contributors, MetricReading, VariedValue } from "../plan/index.js";
import { formatHours, formatNines, formatPercent, short } from "./format.js";

/** A field's value as people read it: "30 min", "0.1 / year", "3". */
export function formatVaried(kind: string, v: VariedValue): string {
  // a list that mixes kinds ("0,0.1 / year"): each value as the user wrote it
  if (typeof v.value !== "number" || kind === "mixed") return v.text;
  if (kind === "time") return formatHours(v.value);
  if (kind === "rate") return `${short(v.value * HOURS_PER_YEAR)} / year`;
  if (v.complement !== undefined && v.complement < 0.01) return `1 − ${short(v.complement)}`;
  return short(v.value);
}

/** A metric's value in a cell: "4.64 nines", "9.506e-9", "9.932 years". */
export function formatReading(id: MetricId, r: { value: number; complement?: number; nines?: number }): string {
  const spec = metricSpec(id);
  if (spec.unit === "hours") return formatHours(r.value);
  if (spec.nines && r.nines !== undefined) return formatNines(r.nines);
  if (spec.unit === "per year") return `${short(r.value)} / year`;
  return short(r.value);
}

/** The long form: "99.997703% (4.64 nines)". */
export function formatReadingLong(id: MetricId, r: MetricReading): string {
  const spec = metricSpec(id);
  if (spec.nines && r.complement !== undefined) return `${formatPercent(r.value, r.complement)} (${formatNines(r.nines ?? r.score)})`;
  return formatReading(id, r);
}

function percent(share: number): string {
  const p = share * 100;
  // below a hundredth of a percent the digits say nothing (and rounding may even make
  // the share 0 or slightly negative); never round a share below 100 % up to 100 %
  if (Math.abs(p) < 0.01) return "< 0.01 %";
  if (p < 0) return `${Number(p.toPrecision(2))} %`;
  if (p < 1) return `${Number(p.toPrecision(2))} %`;
  if (p < 10) return `${p.toFixed(1)} %`;
  if (p < 99) return `${p.toFixed(0)} %`;
  if (p < 99.9) return `${(Math.floor(p * 10) / 10).toFixed(1)} %`;
  if (p < 100) return "> 99.9 %";
  return "100 %";
}

/**
 * "The common cause is 99 % of the downtime: without it the unavailability would be
 * 1.6e-7 instead of 2.3e-5." — from a {@link Contributors} result, nothing computed. It
 * names failure modes by the model's keys, so it is escaped here ({@link printable}),
 * whoever prints it (validate printed a key's ESC raw).
 */
export function contributorSentence(c: Contributors, lead = ""): string {
  return printable(contributorWords(c, lead));
}

function contributorWords(c: Contributors, lead: string): string {
  const what =
    c.quantity === "loss probability"
      ? "the message loss"
      : c.metric === METRIC.queueAvailability
        ? "the queue's downtime"
        : "the downtime";
  const dominant = c.dominant;
  if (dominant === undefined) {
    const parts = c.contributions.map((x) => `${x.name} ${percent(x.share)}`).join(", ");
    return `${lead}${lead ? "no" : "No"} single mechanism dominates ${what}: removing each in turn removes ${parts}.`;
  }
  const name = dominant.name;
  const rest = c.contributions
    .filter((x) => x !== dominant)
    .map((x) => `${x.name} ${percent(x.share)}`)
    .join(", ");
  const verb = dominant.singular ? "is" : "are";
  const subject = lead ? name : `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  return `${lead}${subject} ${verb} ${percent(dominant.share)} of ${what}: without it the ${c.quantity} would be ${short(dominant.without)} instead of ${short(c.total)}${rest ? ` (${rest})` : ""}.`;
}

export function contributorsJson(c: Contributors): Record<string, unknown> {
  return {
    metric: c.metric,
    quantity: c.quantity,
    total: c.total,
    dominant: c.dominant?.mechanism ?? null,
    contributions: c.contributions.map((x) => ({ mechanism: x.mechanism, share: x.share, without: x.without })),
  };
}
