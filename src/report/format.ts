/**
 * Number formatting shared by the text renderers. JSON output never goes through here:
 * it carries the full doubles.
 */
import { HOURS_PER_YEAR } from "../expr/units.js";

/** Shortest text that reads back as the same double (what JSON would show). */
export function exact(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "∞";
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential();
  return String(x);
}

/** 4 significant digits, in exponent form when small or large. */
export function short(x: number): string {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : x < 0 ? "−∞" : "NaN";
  const magnitude = Math.abs(x);
  if (magnitude < 1e-3 || magnitude >= 1e6)
    return x
      .toExponential(3)
      .replace(/\.?0+e/, "e")
      .replace("e+", "e");
  return Number(x.toPrecision(4)).toString();
}

/** "5.2 nines" */
export function formatNines(nines: number | undefined): string {
  if (nines === undefined) return "";
  if (!Number.isFinite(nines)) return "∞ nines";
  return `${nines.toFixed(2)} nines`;
}

/** A duration given in hours, in the largest unit that keeps it readable: "31.6 s", "8.77 h". */
export function formatHours(hours: number): string {
  if (!Number.isFinite(hours)) return "∞";
  const seconds = hours * 3600;
  if (seconds === 0) return "0 s";
  if (seconds < 1e-3) return `${short(seconds * 1e6)} µs`;
  if (seconds < 1) return `${short(seconds * 1e3)} ms`;
  if (seconds < 120) return `${short(seconds)} s`;
  if (seconds < 7200) return `${short(seconds / 60)} min`;
  if (hours < 72) return `${short(hours)} h`;
  if (hours < HOURS_PER_YEAR * 2) return `${short(hours / 24)} days`;
  return `${short(hours / HOURS_PER_YEAR)} years`;
}

/** A percentage with enough digits to show the nines: 99.97%, 99.9999702% */
export function formatPercent(value: number, complement: number): string {
  if (complement <= 0) return "100%";
  const digits = Math.min(12, Math.max(2, Math.ceil(-Math.log10(complement)) + 1));
  return `${(value * 100).toFixed(digits)}%`;
}
