/**
 * Renderers for `mqrel formulas` and `mqrel formula`: result → text or JSON, nothing
 * computed here.
 */
import type { ChalkInstance } from "chalk";
import type { FormulaEntry, FormulaResult, ParamKind, ParamValue, ResolvedParams } from "../catalog/index.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import type { Probability } from "../formulas/index.js";
import { exact, formatHours, formatNines, formatPercent, short } from "./format.js";
import { fitLines, renderTable } from "./table.js";

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

export function catalogText(entries: readonly FormulaEntry[], chalk: ChalkInstance, width?: number): string {
  const columns = [
    { header: "id" },
    { header: "math", wrap: true, min: 16, breakWords: true },
    { header: "params", wrap: true, min: 12, breakWords: true },
  ];
  const rows = entries.map((entry) => [
    { text: entry.id, style: chalk.cyan },
    entry.math,
    entry.params.map((s) => paramLabel(s.name, s.default, s.optional)).join(", "),
  ]);
  const notes = entries
    .filter((entry) => entry.article !== undefined)
    .map((entry) => `  ${chalk.cyan(entry.id)}\n    article: ${entry.article?.wording}\n    reading: ${entry.article?.reading}`)
    .join("\n");
  return `${fitLines(`${renderTable(chalk, columns, rows, width)}\n\n${chalk.bold("Reading the article's formulas")}\n${notes}\n\nEvery parameter's meaning, the assumptions and the sources: ${chalk.bold("mqrel formulas --json")}. Compute one: ${chalk.bold("mqrel formula <id> --param name=value …")}`, width)}\n`;
}

function paramLabel(name: string, fallback: string | undefined, optional: boolean | undefined): string {
  if (fallback !== undefined) return `${name}=${fallback}`;
  return optional ? `[${name}]` : name;
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

export function formulaText(
  entry: FormulaEntry,
  params: ResolvedParams,
  result: FormulaResult,
  chalk: ChalkInstance,
  width?: number,
): string {
  const lines: string[] = [];
  lines.push(`${chalk.bold(entry.id)}  ${entry.title}`);
  lines.push(`  ${entry.math}`);
  const kinds = new Map(entry.params.map((spec) => [spec.name, spec.kind]));
  const shown = [...params].map(([name, value]) => `${name}=${formatParam(value, kinds.get(name))}`).join("  ");
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
  if (result.mttf !== undefined) rows.push(["MTTF (all up → quorum lost)", formatHours(result.mttf)]);
  if (result.method !== undefined) rows.push(["method", result.method]);
  for (const [name, value] of Object.entries(result.details ?? {})) {
    const hours = name.endsWith("_hours");
    const one = (x: number) => (hours ? formatHours(x) : exact(x));
    const label = (hours ? name.slice(0, -"_hours".length) : name).replaceAll("_", " ");
    const list = Array.isArray(value) ? value : [value as number];
    const shownList = list.length > 12 ? [...list.slice(0, 12).map(one), `… (${list.length} in all)`] : list.map(one);
    rows.push([label, shownList.join(", ")]);
  }
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) lines.push(`  ${label.padEnd(labelWidth)}  ${chalk.bold(value)}`);
  return `${fitLines(lines.join("\n"), width)}\n`;
}

function formatParam(value: ParamValue, kind: ParamKind | undefined): string {
  if (typeof value === "number") {
    if (kind === "time") return formatHours(value);
    if (kind === "rate") return formatRate(value);
    return exact(value);
  }
  if (Array.isArray(value)) return value.map((x: number | Probability) => exact(typeof x === "number" ? x : x.value)).join(",");
  return exact((value as Probability).value);
}

/** A rate given per hour, in the unit that reads best: "0.5/year", "2/h", "1000/s". */
export function formatRate(perHour: number): string {
  if (perHour === 0) return "0";
  const perYear = perHour * HOURS_PER_YEAR;
  if (perYear < 1000) return `${short(perYear)} / year`;
  if (perHour < 3600) return `${short(perHour)} / h`;
  return `${short(perHour / 3600)} / s`;
}
