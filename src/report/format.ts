/**
 * Number formatting shared by the text renderers. JSON output never goes through here:
 * it carries the full doubles.
 */

import type { ChalkInstance } from "chalk";
import stringWidth from "string-width";
import { lineStart, printable } from "../common/text.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { MIN_WIDTH, wrapText } from "./table.js";

/**
 * The line every human report of a model starts with: its name (bold) and its file (dim),
 * both escaped, the name quoted when a CI log would read it as a command. Given a width,
 * a heading wider than it puts the file on the next line, indented, and wraps either
 * (a long name beside a temporary directory's path took 111 columns at 80).
 */
export function modelHeading(chalk: ChalkInstance, name: string, file: string, width?: number): string {
  const shownName = lineStart(name);
  const shownFile = printable(file);
  const fitTo = Math.max(MIN_WIDTH, width ?? 0);
  if (width === undefined || stringWidth(`${shownName}  ${shownFile}`) <= fitTo) {
    return `${chalk.bold(shownName)}  ${chalk.dim(shownFile)}`;
  }
  return [
    ...wrapText(shownName, fitTo).map((line) => chalk.bold(line)),
    ...wrapText(shownFile, fitTo - 2).map((line) => `  ${chalk.dim(line)}`),
  ].join("\n");
}

/**
 * Text for a Markdown table cell or line: one line, no Markdown markup, no HTML (GitHub
 * renders `$GITHUB_STEP_SUMMARY` as HTML, so a model named `<img …>` must stay text).
 */
export function markdownText(text: string): string {
  return printable(text)
    .replaceAll("\\", "\\\\")
    .replaceAll("|", "\\|")
    .replaceAll("`", "\\`")
    .replaceAll("*", "\\*")
    .replaceAll("_", "\\_")
    .replaceAll("[", "\\[")
    .replaceAll("]", "\\]")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

/**
 * A number with up to 15 significant digits: every digit a double carries reliably, and
 * none of the rounding noise of the 16th and 17th (0.001, not 0.0010000000000000002).
 * JSON output never goes through here: it carries the full doubles.
 */
export function exact(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  if (x === 0) return "0";
  const rounded = Number(x.toPrecision(15));
  if (Math.abs(rounded) < 1e-4 || Math.abs(rounded) >= 1e21) return rounded.toExponential().replace("e+", "e");
  return String(rounded);
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

/** "1 run", "3 runs": a count with its noun, singular or plural. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * A margin with its sign (positive: inside the threshold); one that rounds to zero at
 * the precision shown has no sign, so −1e-17 (a tie) does not read as a miss.
 */
export function signedMargin(shown: string, margin: number): string {
  // "0", "0.00 nines", "0 s" — not "0.999" or "0.0012"
  if (/^0(\.0+)?(?![.\d])/.test(shown)) return shown;
  return `${margin >= 0 ? "+" : "−"}${shown}`;
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
  const years = hours / HOURS_PER_YEAR;
  // whole years read as years ("1 year", "10000 years"); other spans under two years as days
  const wholeYears = years >= 1 && Math.abs(years - Math.round(years)) <= 1e-9 * years;
  if (hours < 72 && !wholeYears) return `${short(hours)} h`;
  if (hours < HOURS_PER_YEAR * 2 && !wholeYears) return `${short(hours / 24)} days`;
  return `${short(years)} ${short(years) === "1" ? "year" : "years"}`;
}

/** A percentage with enough digits to show the nines: 99.97%, 99.9999702% */
export function formatPercent(value: number, complement: number): string {
  if (complement <= 0) return "100%";
  const digits = Math.min(12, Math.max(2, Math.ceil(-Math.log10(complement)) + 1));
  const text = (value * 100).toFixed(digits);
  // a complement below what 12 decimals show (1 − 1e-15) must not round up to 100%
  return Number(text) >= 100 ? `99.${"9".repeat(digits)}%` : `${text}%`;
}
