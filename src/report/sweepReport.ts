/** Renderers for `mqrel sweep`: table with a chart, JSON (docs/design.md §5 shape), CSV, Markdown. */
import type { ChalkInstance } from "chalk";
import { printableDeep, withoutCommands } from "../common/text.js";
import { type MetricId, metricSpec } from "../metrics/index.js";
import type { SimulatedReading, SweepCell, SweepResult, SweepRow } from "../plan/index.js";
import { describeMethod } from "./estimateMethod.js";
import { formatNines, markdownText, modelHeading, short } from "./format.js";
import { formatReading, formatVaried } from "./planFormat.js";
import { displayWidth, MIN_WIDTH, makeTable, quoteCommands, wrapText } from "./table.js";
import { lineChart } from "./terminalChart.js";

function paramsText(result: SweepResult, row: SweepRow): string[] {
  return row.params.map((p, i) => formatVaried(result.varies[i]?.kind ?? "plain", p.value));
}

function simulatedText(id: MetricId, s: SimulatedReading): string {
  const spec = metricSpec(id);
  const enough = s.enough ? "" : " (too few events)";
  if (spec.nines && s.scoreCi) {
    const end = (x: number | null) => (x === null ? "∞" : x.toFixed(2));
    return `sim ${formatNines(s.score)} [${end(s.scoreCi[0])}, ${end(s.scoreCi[1])}]${enough}`;
  }
  const ci = s.ci ? ` [${short(s.ci[0])}, ${short(s.ci[1])}]` : "";
  return `sim ${short(s.estimate)}${ci}${enough}`;
}

function cellText(id: MetricId, cell: SweepCell | undefined, chalk: ChalkInstance): string {
  if (cell === undefined) return "";
  let text = formatReading(id, cell);
  if (cell.meets !== undefined) text += cell.meets ? " ✓" : " ✗";
  if (cell.firstToMeet) text = chalk.bold.green(`${text} ← first`);
  else if (cell.meets === false) text = chalk.red(text);
  if (cell.simulated) text += `\n${chalk.dim(simulatedText(id, cell.simulated))}`;
  return text;
}

function header(result: SweepResult, id: MetricId): string {
  const threshold = result.thresholds.get(id);
  return threshold ? `${id}\nSLO ${threshold.text}` : id;
}

/** The sweep as tables (and a chart) for a terminal of `width` columns; model text escaped. */
export function sweepText(raw: SweepResult, chalk: ChalkInstance, width: number): string {
  const result = printableDeep(raw);
  const lines = [modelHeading(chalk, result.model.name, result.model.file, width)];
  // Too many metrics for one table that fits: several tables, each with the varied fields.
  for (const metrics of metricGroups(result, chalk, width)) lines.push(tableText(result, metrics, chalk));
  const refused = result.rows.filter((row) => row.error !== undefined);
  for (const row of refused.slice(0, REFUSALS_SHOWN)) {
    const where = result.varies.map((v, i) => `${v.path} = ${paramsText(result, row)[i]}`).join(", ");
    lines.push(...wrapText(`refused at ${where}: ${row.error}`, Math.max(MIN_WIDTH, width)).map((line) => chalk.yellow(line)));
  }
  if (refused.length > REFUSALS_SHOWN) {
    lines.push(chalk.yellow(`… and ${refused.length - REFUSALS_SHOWN} more refused (--format json gives every reason)`));
  }
  for (const [id, threshold] of result.thresholds) {
    const first = result.rows.find((row) => row.metrics.get(id)?.firstToMeet === true);
    lines.push(
      first
        ? `${id} first meets ${threshold.text} at ${result.varies.map((v, i) => `${v.path} = ${paramsText(result, first)[i]}`).join(", ")}`
        : chalk.yellow(`${id}: no value in the range meets ${threshold.text}`),
    );
  }
  const chart = result.chart && chartText(result, chalk, width);
  if (chart) lines.push("", chart);
  if (result.interrupted) lines.push(chalk.yellow("interrupted: the rows after the last simulated one have no estimates"));
  return quoteCommands(`${lines.join("\n")}\n`, width);
}

/** Refusal reasons printed under the table; JSON and CSV carry every one. */
const REFUSALS_SHOWN = 3;

/** One table of the varied fields and these metrics; a refused point reads "refused" (its reason is under the table). */
function tableText(result: SweepResult, metrics: readonly MetricId[], chalk: ChalkInstance): string {
  const head = [...result.varies.map((v) => v.path), ...metrics.map((id) => header(result, id))];
  const table = makeTable(chalk, head);
  for (const row of result.rows) {
    const params = paramsText(result, row);
    if (row.error !== undefined) {
      table.push([...params, { content: chalk.yellow("refused"), colSpan: Math.max(1, metrics.length) }]);
      continue;
    }
    table.push([...params, ...metrics.map((id) => cellText(id, row.metrics.get(id), chalk))]);
  }
  return table.toString();
}

/**
 * The metrics in groups whose tables fit `width` columns, in display order: as many as
 * fit in each (a single metric wider than the terminal still gets its table).
 */
function metricGroups(result: SweepResult, chalk: ChalkInstance, width: number): MetricId[][] {
  const fitTo = Math.max(MIN_WIDTH, width);
  const groups: MetricId[][] = [];
  let current: MetricId[] = [];
  for (const id of result.metrics) {
    const trial = [...current, id];
    if (current.length > 0 && displayWidth(tableText(result, trial, chalk)) > fitTo) {
      groups.push(current);
      current = [id];
    } else current = trial;
  }
  if (current.length > 0 || groups.length === 0) groups.push(current);
  return groups;
}

function chartText(result: SweepResult, chalk: ChalkInstance, width: number): string | undefined {
  const chart = result.chart;
  if (chart === undefined) return undefined;
  const spec = metricSpec(chart.metric);
  const yFormat =
    chart.scale === "nines"
      ? (y: number) => y.toFixed(2)
      : chart.scale === "log10"
        ? (y: number) => short(10 ** y)
        : (y: number) => short(y);
  const threshold =
    chart.threshold !== undefined ? { y: chart.threshold, label: `SLO ${result.thresholds.get(chart.metric)?.text ?? ""}` } : undefined;
  const plot = lineChart(
    {
      series: chart.series,
      xLabels: chart.x.map((v) => formatVaried(result.varies[0]?.kind ?? "plain", v)),
      yFormat,
      ...(threshold ? { threshold } : {}),
      width,
    },
    chalk,
  );
  if (plot === undefined) return undefined;
  const unit = spec.unit === "hours" ? " (hours)" : spec.unit === "per year" ? " (per year)" : "";
  const scale =
    chart.scale === "nines" ? "nines (−log10 of the unavailability)" : chart.scale === "log10" ? `log scale${unit}` : `linear${unit}`;
  const title = wrapText(`${chart.metric}, ${scale}, against ${result.varies[0]?.path}`, Math.max(MIN_WIDTH, width));
  return `${title.map((line) => chalk.bold(line)).join("\n")}\n${plot}`;
}

function cellJson(cell: SweepCell): Record<string, unknown> {
  return {
    value: cell.value,
    complement: cell.complement ?? null,
    ...(cell.nines !== undefined ? { nines: Number.isFinite(cell.nines) ? cell.nines : null } : {}),
    ...(cell.meets !== undefined ? { meets_slo: cell.meets, margin: cell.margin } : {}),
    ...(cell.firstToMeet ? { first_to_meet: true } : {}),
    ...(cell.simulated
      ? {
          simulated: {
            estimate: cell.simulated.estimate,
            ci: cell.simulated.ci,
            ...(cell.simulated.complement !== undefined
              ? { complement: cell.simulated.complement, complement_ci: cell.simulated.complementCi ?? null }
              : {}),
            events: cell.simulated.events,
            enough_events: cell.simulated.enough,
            method: describeMethod(cell.simulated),
          },
        }
      : {}),
  };
}

export function sweepJson(result: SweepResult): unknown {
  return {
    model: result.model.name,
    file: result.model.file,
    vary: result.varies.map((v) => ({ path: v.path, spec: v.spec })),
    slo: Object.fromEntries([...result.thresholds].map(([id, t]) => [id, t.text])),
    rows: result.rows.map((row) => ({
      params: Object.fromEntries(row.params.map((p) => [p.path, p.value.value])),
      metrics: Object.fromEntries(
        result.metrics.flatMap((id) => {
          const cell = row.metrics.get(id);
          return cell ? [[id, cellJson(cell)]] : [];
        }),
      ),
      ...(row.error !== undefined ? { error: row.error } : {}),
    })),
    ...(result.interrupted ? { interrupted: true } : {}),
  };
}

/** RFC 4180 field. */
function csvField(value: unknown): string {
  const text = value === undefined || value === null ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The sweep as RFC 4180 CSV; text fields escaped as for the terminal (no control characters). */
export function sweepCsv(raw: SweepResult): string {
  const result = printableDeep(raw);
  const simulated = result.rows.some((row) => [...row.metrics.values()].some((cell) => cell.simulated));
  const columns: { title: string; get: (row: SweepRow) => unknown }[] = result.varies.map((v, i) => ({
    title: v.path,
    get: (row) => row.params[i]?.value.value,
  }));
  for (const id of result.metrics) {
    const spec = metricSpec(id);
    columns.push({ title: id, get: (row) => row.metrics.get(id)?.value });
    if (spec.kind === "probability") columns.push({ title: `${id}.complement`, get: (row) => row.metrics.get(id)?.complement });
    if (result.thresholds.has(id)) columns.push({ title: `${id}.meets_slo`, get: (row) => row.metrics.get(id)?.meets });
    if (simulated) {
      columns.push({ title: `${id}.simulated`, get: (row) => row.metrics.get(id)?.simulated?.estimate });
      columns.push({ title: `${id}.ci_low`, get: (row) => row.metrics.get(id)?.simulated?.ci?.[0] });
      columns.push({ title: `${id}.ci_high`, get: (row) => row.metrics.get(id)?.simulated?.ci?.[1] });
    }
  }
  columns.push({ title: "error", get: (row) => row.error });
  const lines = [columns.map((c) => csvField(c.title)).join(",")];
  for (const row of result.rows) lines.push(columns.map((c) => csvField(c.get(row))).join(","));
  return withoutCommands(`${lines.join("\r\n")}\r\n`);
}

/** A table cell: our line breaks as <br>, everything else already escaped. */
function markdownCell(text: string): string {
  return text.replaceAll("\n", "<br>");
}

/** A field path or metric id as code, or as escaped text when it is not a plain identifier. */
function markdownCode(text: string): string {
  return /^[\w.-]+$/.test(text) ? `\`${text}\`` : markdownText(text);
}

/** The sweep as a GitHub-flavoured Markdown table; model text escaped (no markup, no HTML). */
export function sweepMarkdown(raw: SweepResult): string {
  const result = printableDeep(raw);
  const head = [
    ...result.varies.map((v) => markdownCode(v.path)),
    ...result.metrics.map((id) => {
      const threshold = result.thresholds.get(id);
      return `${markdownCode(id)}${threshold ? ` (SLO ${markdownText(threshold.text)})` : ""}`;
    }),
  ];
  const lines = [
    `### ${markdownText(result.model.name)}`,
    "",
    `| ${head.map(markdownCell).join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
  ];
  for (const row of result.rows) {
    const params = paramsText(result, row).map(markdownText);
    const cells =
      row.error !== undefined
        ? [markdownText(`refused: ${row.error}`), ...result.metrics.slice(1).map(() => "")]
        : result.metrics.map((id) => {
            const cell = row.metrics.get(id);
            if (cell === undefined) return "";
            let text = markdownText(formatReading(id, cell));
            if (cell.meets !== undefined) text += cell.meets ? " ✓" : " ✗";
            if (cell.firstToMeet) text = `**${text}** (first)`;
            if (cell.simulated) text += `\n${markdownText(simulatedText(id, cell.simulated))}`;
            return text;
          });
    lines.push(`| ${[...params, ...cells].map(markdownCell).join(" | ")} |`);
  }
  return withoutCommands(`${lines.join("\n")}\n`);
}
