/**
 * Renderers for `mqrel formulas` and `mqrel formula`: result → text or JSON, nothing
 * computed here.
 */
import type { ChalkInstance } from "chalk";
import type { FormulaEntry, FormulaResult, ParamValue, ResolvedParams } from "../catalog.js";
import type { Probability } from "../formulas/index.js";
import { exact, formatHours, formatNines, formatPercent } from "./format.js";
import { makeTable } from "./table.js";

export function catalogJson(entries: readonly FormulaEntry[]): unknown {
  return {
    formulas: entries.map((entry) => ({
      id: entry.id,
      title: entry.title,
      math: entry.math,
      value: entry.valueName,
      complement: entry.complementName,
      params: entry.params.map((spec) => ({
        name: spec.name,
        kind: spec.kind,
        meaning: spec.meaning,
        ...(spec.default !== undefined ? { default: spec.default } : {}),
        required: spec.default === undefined && spec.optional !== true,
      })),
      assumptions: entry.assumptions,
      source: entry.source,
      ...(entry.article ? { article: entry.article } : {}),
    })),
  };
}

export function catalogText(entries: readonly FormulaEntry[], chalk: ChalkInstance, width: number): string {
  const table = makeTable(chalk, ["id", "math", "params"], {
    colWidths: columnWidths(width, [27, 0.55, 0.45]),
  });
  for (const entry of entries) {
    table.push([chalk.cyan(entry.id), entry.math, entry.params.map((s) => paramLabel(s.name, s.default, s.optional)).join(", ")]);
  }
  const notes = entries
    .filter((entry) => entry.article !== undefined)
    .map((entry) => `  ${chalk.cyan(entry.id)}\n    article: ${entry.article?.wording}\n    reading: ${entry.article?.reading}`)
    .join("\n");
  return `${table.toString()}\n\n${chalk.bold("Reading the article's formulas")}\n${notes}\n\nEvery parameter's meaning, the assumptions and the sources: ${chalk.bold("mqrel formulas --json")}. Compute one: ${chalk.bold("mqrel formula <id> --param name=value …")}\n`;
}

function paramLabel(name: string, fallback: string | undefined, optional: boolean | undefined): string {
  if (fallback !== undefined) return `${name}=${fallback}`;
  return optional ? `[${name}]` : name;
}

function columnWidths(total: number, spec: readonly number[]): number[] {
  const fixed = spec.filter((w) => w >= 1).reduce((a, b) => a + b, 0);
  const rest = Math.max(40, total - fixed - spec.length - 1);
  return spec.map((w) => (w >= 1 ? w : Math.max(12, Math.floor(rest * w))));
}

function paramJson(value: ParamValue): unknown {
  if (typeof value === "number") return value;
  if (Array.isArray(value)) return value.map((x: number | Probability) => (typeof x === "number" ? x : x.value));
  return (value as Probability).value;
}

export function formulaJson(entry: FormulaEntry, params: ResolvedParams, result: FormulaResult): unknown {
  return {
    id: entry.id,
    params: Object.fromEntries([...params].map(([name, value]) => [name, paramJson(value)])),
    value: result.value,
    complement: result.complement,
    ...(result.nines !== undefined ? { nines: Number.isFinite(result.nines) ? result.nines : null } : {}),
    ...(result.mttf !== undefined ? { mttf: Number.isFinite(result.mttf) ? result.mttf : null } : {}),
    ...(result.downtimePerYearHours !== undefined ? { downtime_per_year_hours: result.downtimePerYearHours } : {}),
    ...(result.method !== undefined ? { method: result.method } : {}),
    ...(result.details ?? {}),
  };
}

export function formulaText(entry: FormulaEntry, params: ResolvedParams, result: FormulaResult, chalk: ChalkInstance): string {
  const lines: string[] = [];
  lines.push(`${chalk.bold(entry.id)}  ${entry.title}`);
  lines.push(`  ${entry.math}`);
  const shown = [...params].map(([name, value]) => `${name}=${formatParam(value)}`).join("  ");
  lines.push(`  ${chalk.dim(shown)}`);
  lines.push("");
  const rows: [string, string][] = [
    [entry.valueName, exact(result.value)],
    [entry.complementName, exact(result.complement)],
  ];
  if (entry.kind === "availability") {
    rows.push(["as a percentage", formatPercent(result.value, result.complement)]);
    rows.push(["nines", formatNines(result.nines)]);
    if (result.downtimePerYearHours !== undefined) rows.push(["downtime per year", formatHours(result.downtimePerYearHours)]);
  }
  if (result.mttf !== undefined) rows.push(["MTTF (all up → quorum lost)", `${exact(result.mttf)} h (${formatHours(result.mttf)})`]);
  if (result.method !== undefined) rows.push(["method", result.method]);
  for (const [name, value] of Object.entries(result.details ?? {})) {
    rows.push([name.replaceAll("_", " "), Array.isArray(value) ? value.map(exact).join(", ") : exact(value as number)]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) lines.push(`  ${label.padEnd(width)}  ${chalk.bold(value)}`);
  return `${lines.join("\n")}\n`;
}

function formatParam(value: ParamValue): string {
  if (typeof value === "number") return exact(value);
  if (Array.isArray(value)) return value.map((x: number | Probability) => exact(typeof x === "number" ? x : x.value)).join(",");
  return exact((value as Probability).value);
}
