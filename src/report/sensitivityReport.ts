/** Renderers for `mqrel sensitivity`: a terminal tornado chart, or JSON (docs/design.md §5 shape). */
import type { ChalkInstance } from "chalk";
import { printableDeep } from "../common/text.js";
import { metricSpec } from "../metrics/index.js";
import type { Perturbation, SensitivityResult, SensitivityRow } from "../plan/index.js";
import { modelHeading, short } from "./format.js";
import { contributorSentence, contributorsJson, formatReadingLong } from "./planFormat.js";
import { quoteCommands } from "./table.js";

/** What the score is called for this metric (the tornado's unit). */
export function scoreName(result: SensitivityResult): string {
  const spec = metricSpec(result.metric);
  if (spec.nines) return "nines";
  return spec.better === "lower" ? `−log10 ${result.metric}` : `log10 ${result.metric}`;
}

function scoreText(p: Perturbation): string {
  if (p.error !== undefined) return "refused";
  const s = p.reading?.score;
  return s === undefined ? "—" : Number.isFinite(s) ? s.toFixed(2) : "∞";
}

function endLabel(row: SensitivityRow, which: "low" | "high", by: number): string {
  if (row.step === "count") return String(which === "low" ? row.low.value : row.high.value);
  // 10%, 0.5%, 1e-4% — never "0%" for a change that is not zero
  const pct = `${by * 100 >= 1 ? Math.round(by * 100) : short(by * 100)}%`;
  if (row.step === "complement") return which === "low" ? `1−p +${pct}` : `1−p −${pct}`;
  return which === "low" ? `−${pct}` : `+${pct}`;
}

function tornado(result: SensitivityResult, rows: readonly SensitivityRow[], chalk: ChalkInstance, width: number): string[] {
  const shown = rows.filter((row) => row.swing > 0);
  if (shown.length === 0) return [];
  const scores = shown
    .flatMap((row) => [row.low.reading?.score, row.high.reading?.score])
    .filter((s): s is number => s !== undefined && Number.isFinite(s));
  // at least a hundredth of a decade across, so that rounding noise is not drawn as a bar
  const spread = Math.max(Math.max(result.base.score, ...scores) - Math.min(result.base.score, ...scores), 0.01);
  const middle = (Math.max(result.base.score, ...scores) + Math.min(result.base.score, ...scores)) / 2;
  const lo = Math.min(result.base.score, ...scores, middle - spread / 2);
  const hi = Math.max(result.base.score, ...scores, middle + spread / 2);
  const labelWidth = Math.max(...shown.map((row) => row.path.length));
  const details = shown.map(
    (row) =>
      `${endLabel(row, "low", result.by)}: ${scoreText(row.low)}  ${endLabel(row, "high", result.by)}: ${scoreText(row.high)}  swing ${short(row.swing)}`,
  );
  const detailWidth = Math.max(...details.map((d) => d.length));
  // label, bar and detail on one line when a 20-column bar fits; else the label on a line
  // of its own and the bar under it, indented
  const inline = labelWidth + 2 + MIN_BAR + 2 + detailWidth <= width;
  const lead = inline ? labelWidth + 2 : 2;
  const barWidth = Math.max(inline ? MIN_BAR : MIN_BAR / 2, Math.min(MAX_BAR, width - lead - 2 - detailWidth));
  const at = (s: number) => (hi > lo ? Math.round(((s - lo) / (hi - lo)) * (barWidth - 1)) : Math.floor(barWidth / 2));
  const base = at(result.base.score);
  const lines: string[] = [];
  shown.forEach((row, i) => {
    const ends = [row.low.reading?.score, row.high.reading?.score, result.base.score].filter(
      (s): s is number => s !== undefined && Number.isFinite(s),
    );
    const from = at(Math.min(...ends));
    const to = at(Math.max(...ends));
    let bar = "";
    for (let j = 0; j < barWidth; j++) bar += j === base ? "│" : j >= from && j <= to ? "█" : " ";
    if (inline) lines.push(`${row.path.padEnd(labelWidth)}  ${chalk.cyan(bar)}  ${details[i]}`);
    else lines.push(row.path, `  ${chalk.cyan(bar)}  ${details[i]}`);
  });
  const axis = `${"".padEnd(lead)}${lo.toFixed(2).padEnd(barWidth - hi.toFixed(2).length)}${hi.toFixed(2)}`;
  lines.push(chalk.dim(axis));
  return lines;
}

/** The tornado's bar: at least this wide (else it says nothing), at most this wide. */
const MIN_BAR = 20;
const MAX_BAR = 50;

/** Break prose at spaces so that no line is wider than the terminal. */
function wrap(text: string, width: number): string {
  const limit = Math.max(40, width);
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join("\n");
}

/** The tornado chart for a terminal of `width` columns; model text escaped. */
export function sensitivityText(raw: SensitivityResult, chalk: ChalkInstance, width: number): string {
  const result = printableDeep(raw);
  const name = scoreName(result);
  const pct = `${short(result.by * 100)} %`;
  const lines = [
    modelHeading(chalk, result.model.name, result.model.file, width),
    wrap(
      `${result.metric}: ${formatReadingLong(result.metric, result.base)}. Each input ×(1 ± ${pct}) (probabilities near 1: their complement), counts ±1; bars span the ${name} over both ends and the model (│).`,
      width,
    ),
  ];
  if (result.contributors) lines.push(chalk.yellow(wrap(contributorSentence(result.contributors), width)));
  lines.push("", chalk.bold(`Inputs, ±${pct}, largest swing first`), ...tornado(result, result.rows, chalk, width));
  if (result.countRows.some((row) => row.swing > 0)) {
    lines.push("", chalk.bold("Counts, one fewer / one more"), ...tornado(result, result.countRows, chalk, width));
  }
  const refused = [...result.rows, ...result.countRows].filter((row) => row.low.error !== undefined || row.high.error !== undefined);
  for (const row of refused) {
    const which = row.low.error !== undefined ? row.low : row.high;
    lines.push(chalk.dim(wrap(`${row.path}: ${which === row.low ? "lower" : "upper"} end refused (${which.error})`, width)));
  }
  const none = [...result.rows, ...result.countRows].filter((row) => row.swing === 0).map((row) => row.path);
  if (none.length > 0) lines.push("", chalk.dim(wrap(`No effect on ${result.metric}: ${none.join(", ")}`, width)));
  return quoteCommands(`${lines.join("\n")}\n`, width);
}

function endJson(p: Perturbation): Record<string, unknown> {
  return {
    input: p.value ?? p.text,
    value: p.reading?.value ?? null,
    complement: p.reading?.complement ?? null,
    score: p.reading && Number.isFinite(p.reading.score) ? p.reading.score : null,
    ...(p.error !== undefined ? { error: p.error } : {}),
  };
}

function rowJson(row: SensitivityRow): Record<string, unknown> {
  return {
    path: row.path,
    value_low: row.low.reading?.value ?? null,
    value_high: row.high.reading?.value ?? null,
    swing_nines: row.swing,
    kind: row.kind,
    step: row.step,
    written: row.text,
    ...(row.value !== undefined ? { input: row.value } : {}),
    low: endJson(row.low),
    high: endJson(row.high),
  };
}

export function sensitivityJson(result: SensitivityResult): unknown {
  return {
    metric: result.metric,
    model: result.model.name,
    file: result.model.file,
    by: result.by,
    base: { value: result.base.value, complement: result.base.complement ?? null, score: result.base.score },
    rows: result.rows.map(rowJson),
    count_rows: result.countRows.map(rowJson),
    ...(result.contributors ? { contributors: contributorsJson(result.contributors) } : {}),
  };
}
