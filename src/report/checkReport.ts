/** Renderers for `mqrel check`: table, JSON, JUnit XML, GitHub annotations, Markdown. */
import type { ChalkInstance } from "chalk";
import { printable, withoutCommands } from "../common/text.js";
import type { CheckError, CheckedModel, CheckReport, SloResult } from "../slo/check.js";
import { formatHours, markdownText, modelHeading, plural, short, signedMargin } from "./format.js";
import { type Cell, DEFAULT_WIDTH, fitLines, renderTable } from "./table.js";

function marginText(r: SloResult): string {
  // no value at all (a metric only simulated, judged without --simulate)
  if (Number.isNaN(r.margin)) return "—";
  const size = Math.abs(r.margin);
  if (!Number.isFinite(r.margin)) return r.margin > 0 ? "+∞" : "−∞";
  const shown = r.marginUnit === "nines" ? `${size.toFixed(2)} nines` : r.marginUnit === "hours" ? formatHours(size) : short(size);
  return signedMargin(shown, r.margin);
}

/** A value as a person reads it: "1 − 2.28e-5" near 1, "9.5e-9", "8.77 years". */
function valueText(r: SloResult): string {
  if (Number.isNaN(r.value)) return "—";
  if (r.marginUnit === "hours") return formatHours(r.value);
  if (r.complement !== undefined && r.value > 0.5) return r.complement === 0 ? "1" : `1 − ${short(r.complement)}`;
  return short(r.value);
}

/** The judged 95 % interval: "1 − [2.1e-5 … 3.4e-5]" for a complement, "[…]" for a value. */
function intervalText(r: SloResult): string {
  if (r.interval === undefined) return r.source === "simulation" ? "—" : "";
  const [low, high] = r.interval;
  if (r.intervalOf === "complement") return `1 − [${short(low)} … ${short(high)}]`;
  if (r.marginUnit === "hours") return `${formatHours(low)} … ${formatHours(high)}`;
  return `${short(low)} … ${short(high)}`;
}

const VERDICT_WORD = { pass: "pass", fail: "FAIL", inconclusive: "inconclusive" } as const;

function verdictCell(r: SloResult, chalk: ChalkInstance): Cell {
  const style = r.verdict === "pass" ? chalk.green : r.verdict === "fail" ? chalk.red : chalk.yellow;
  return { text: VERDICT_WORD[r.verdict], style };
}

function location(place: { file: string; line?: number }): string {
  return `${place.file}${place.line !== undefined ? `:${place.line}` : ""}`;
}

function simulationLine(model: CheckedModel): string | undefined {
  const s = model.simulation;
  if (s === undefined) return undefined;
  return `judged on the simulation's 95% intervals: ${plural(s.runs, "run")} × ${formatHours(s.horizonHours)}, seed ${s.seed}, ${s.mode} mechanics`;
}

export interface TextOptions {
  /** terminal width to fit (default 80) */
  readonly width?: number;
}

export function checkText(report: CheckReport, chalk: ChalkInstance, options: TextOptions = {}): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const simulated = report.results.some((r) => r.source === "simulation");
  const columns = [
    { header: "" },
    { header: "metric", wrap: true, min: 14 },
    { header: "threshold", wrap: true, min: 10 },
    { header: "value", wrap: true, min: 10 },
    ...(simulated ? [{ header: "95% CI", wrap: true, min: 12 }] : []),
    { header: "margin (+ inside)", wrap: true, min: 8 },
  ];
  const parts: string[] = [];
  for (const model of report.models) {
    const results = report.results.filter((r) => r.file === model.file);
    const head = modelHeading(chalk, model.name, model.file);
    const simulation = simulationLine(model);
    if (results.length === 0) {
      const allowed = report.options.allowEmpty === true;
      const style = allowed ? chalk.yellow : chalk.red;
      parts.push(
        `${head}\n${style(`no thresholds: the model has no slo: block, so it checks nothing${allowed ? " (allowed by --allow-empty)" : " (--allow-empty accepts this)"}`)}`,
      );
      continue;
    }
    const rows = results.map((r) => [
      verdictCell(r, chalk),
      r.metric,
      thresholdCell(r),
      valueText(r),
      ...(simulated ? [intervalText(r)] : []),
      r.verdict === "fail" ? { text: marginText(r), style: chalk.red } : marginText(r),
    ]);
    parts.push([head, ...(simulation ? [chalk.dim(simulation)] : []), renderTable(chalk, columns, rows, width)].join("\n"));
  }
  const lines = [parts.join("\n\n")];
  for (const r of report.results.filter((x) => x.verdict !== "pass")) {
    const what = `${printable(location(r.place))}: ${r.metric} ${valueText(r)}${r.interval ? ` (95% CI ${intervalText(r)})` : ""}`;
    if (r.verdict === "fail") lines.push(chalk.red(`${what} does not meet ${printable(thresholdCell(r))}`));
    else lines.push(chalk.yellow(`${what} is inconclusive for ${printable(thresholdCell(r))}${r.note ? `: ${r.note}` : ""}`));
  }
  for (const r of report.results.filter((x) => x.verdict === "pass" && x.note !== undefined)) {
    lines.push(chalk.dim(`${printable(location(r.place))}: ${r.metric}: ${r.note}`));
  }
  const summary = summaryLine(report);
  lines.push(report.pass ? chalk.green(summary) : chalk.red(summary));
  return `${fitLines(lines.join("\n"), width)}\n`;
}

/** A threshold as a table shows it: a `--target`'s marked as such, beside the model's own. */
function thresholdCell(r: SloResult): string {
  return r.from === "target" ? `${r.threshold} (--target)` : r.threshold;
}

/** "thresholds: 5 met, 1 violated; 1 model checks nothing; 1 model file could not be checked" */
export function summaryLine(report: CheckReport): string {
  const counts = [`${report.met} met`, `${report.violated} violated`];
  if (report.inconclusive > 0 || report.results.some((r) => r.source === "simulation")) counts.push(`${report.inconclusive} inconclusive`);
  const extra: string[] = [];
  if (report.empty.length > 0) extra.push(`${plural(report.empty.length, "model")} with no thresholds`);
  const invalid = report.errors.filter((e) => e.kind === "invalid").length;
  const internal = report.errors.filter((e) => e.kind === "internal").length;
  if (invalid > 0) extra.push(`${plural(invalid, "model file")} could not be checked`);
  if (internal > 0) extra.push(`${plural(internal, "model")} hit an internal error`);
  return `thresholds: ${counts.join(", ")}${extra.length > 0 ? `; ${extra.join("; ")}` : ""}`;
}

export function checkJson(report: CheckReport): unknown {
  return {
    pass: report.pass,
    exit_code: report.exitCode,
    met: report.met,
    violated: report.violated,
    inconclusive: report.inconclusive,
    models: report.models.map((m) => ({
      file: m.file,
      name: m.name,
      thresholds: m.thresholds,
      ...(m.simulation
        ? {
            simulation: {
              runs: m.simulation.runs,
              seed: m.simulation.seed,
              mode: m.simulation.mode,
              horizon_hours: m.simulation.horizonHours,
            },
          }
        : {}),
      ...(m.seconds !== undefined ? { seconds: m.seconds } : {}),
    })),
    results: report.results.map((r) => ({
      file: r.file,
      model: r.model,
      metric: r.metric,
      threshold: r.threshold,
      ...(r.from !== undefined ? { from: r.from } : {}),
      value: r.value,
      ...(r.complement !== undefined ? { complement: r.complement } : {}),
      pass: r.pass,
      verdict: r.verdict,
      margin: r.margin,
      margin_unit: r.marginUnit,
      formula: r.formula,
      source: r.source,
      ...(r.interval ? { ci: r.interval, ci_of: r.intervalOf } : {}),
      ...(r.note ? { note: r.note } : {}),
      line: r.place.line ?? null,
    })),
    empty: report.empty.map((m) => m.file),
    errors: report.errors,
  };
}

/** XML 1.0: control and bidi characters made visible, markup escaped, what XML cannot hold dropped. */
function xml(text: string): string {
  return printable(text)
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD]/g, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

const seconds = (s: number | undefined) => (s === undefined ? "0" : s.toFixed(3));

/**
 * JUnit XML as GitLab, Jenkins and the GitHub report actions read it: one testsuite per
 * model file, one testcase per threshold, <failure> for a violated one (and for an
 * inconclusive one, or a model with no thresholds, unless allowed: then <skipped>),
 * <error> for a model that could not be read. `time` is in seconds: a testsuite's is the
 * time to evaluate (or simulate) its model; a testcase's, the comparison alone, is 0.
 */
export function checkJunit(report: CheckReport): string {
  const files = [...new Set([...report.models.map((m) => m.file), ...report.errors.map((e) => e.file)])];
  const failures = (results: readonly SloResult[], empty: boolean) =>
    results.filter((r) => r.verdict === "fail" || (r.verdict === "inconclusive" && !report.options.allowInconclusive)).length +
    (empty && !report.options.allowEmpty ? 1 : 0);
  const total = report.models.reduce((sum, m) => sum + (m.seconds ?? 0), 0);
  const testCount = report.results.length + report.empty.length + report.errors.length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="mqrel check" tests="${testCount}" failures="${failures(report.results, false) + (report.options.allowEmpty ? 0 : report.empty.length)}" errors="${report.errors.length}" time="${seconds(total)}">`,
  );
  for (const file of files) {
    const model = report.models.find((m) => m.file === file);
    const results = report.results.filter((r) => r.file === file);
    const errors = report.errors.filter((e) => e.file === file);
    const empty = model !== undefined && model.thresholds === 0;
    const name = model?.name ?? file;
    out.push(
      `  <testsuite name="${xml(name)}" file="${xml(file)}" tests="${results.length + errors.length + (empty ? 1 : 0)}" failures="${failures(results, empty)}" errors="${errors.length}" skipped="${results.filter((r) => r.verdict === "inconclusive" && report.options.allowInconclusive).length + (empty && report.options.allowEmpty ? 1 : 0)}" time="${seconds(model?.seconds)}">`,
    );
    for (const r of results) {
      const open = `    <testcase classname="${xml(name)}" name="${xml(`${r.metric} ${thresholdCell(r)}`)}" file="${xml(file)}"${r.place.line !== undefined ? ` line="${r.place.line}"` : ""} time="0"`;
      const detail = `${r.metric} = ${valueText(r)}${r.interval ? ` (95% CI ${intervalText(r)})` : ""}`;
      if (r.verdict === "pass") out.push(`${open}/>`);
      else if (r.verdict === "fail") {
        const message = `${detail} does not meet ${thresholdCell(r)} (margin ${marginText(r)}; ${r.formula})`;
        out.push(
          `${open}>`,
          `      <failure type="SLOViolation" message="${xml(message)}">${xml(`${location(r.place)}: ${message}`)}</failure>`,
          "    </testcase>",
        );
      } else {
        const message = `${detail} is inconclusive for ${thresholdCell(r)}${r.note ? `: ${r.note}` : ""}`;
        out.push(
          `${open}>`,
          report.options.allowInconclusive
            ? `      <skipped message="${xml(message)}"/>`
            : `      <failure type="Inconclusive" message="${xml(message)}">${xml(`${location(r.place)}: ${message}`)}</failure>`,
          "    </testcase>",
        );
      }
    }
    if (empty) {
      const message = "the model has no slo: thresholds, so it checks nothing";
      out.push(
        `    <testcase classname="${xml(name)}" name="slo" file="${xml(file)}" time="0">`,
        report.options.allowEmpty
          ? `      <skipped message="${xml(message)}"/>`
          : `      <failure type="NoThresholds" message="${xml(message)}">${xml(`${file}: ${message}`)}</failure>`,
        "    </testcase>",
      );
    }
    for (const e of errors) {
      const type = e.kind === "internal" ? "InternalError" : "InvalidModel";
      out.push(
        `    <testcase classname="${xml(name)}" name="load model" file="${xml(file)}" time="0">`,
        `      <error type="${type}" message="${xml(e.message)}">${xml(e.message)}</error>`,
        "    </testcase>",
      );
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}

/** Workflow-command escaping, as @actions/core does it (after control characters are made visible). */
function escapeData(text: string): string {
  return printable(text).replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

function annotation(
  level: "error" | "warning",
  place: { file: string; line?: number; column?: number },
  title: string,
  message: string,
): string {
  const props = [`file=${escapeProperty(place.file)}`];
  if (place.line !== undefined) props.push(`line=${place.line}`);
  if (place.column !== undefined) props.push(`col=${place.column}`);
  props.push(`title=${escapeProperty(title)}`);
  return `::${level} ${props.join(",")}::${escapeData(message)}`;
}

/**
 * `::error file=…,line=…::…` lines for GitHub Actions: one per violated threshold or bad
 * model; an inconclusive threshold or a model with no thresholds is an error too, or a
 * warning when allowed.
 */
export function checkGithub(report: CheckReport): string {
  const lines: string[] = [];
  for (const r of report.results.filter((x) => x.verdict === "fail")) {
    lines.push(
      annotation(
        "error",
        r.place,
        `SLO violated: ${r.metric}`,
        `${r.metric} = ${valueText(r)}${r.interval ? ` (95% CI ${intervalText(r)})` : ""} does not meet ${thresholdCell(r)} (margin ${marginText(r)}; ${r.formula})`,
      ),
    );
  }
  for (const r of report.results.filter((x) => x.verdict === "inconclusive")) {
    lines.push(
      annotation(
        report.options.allowInconclusive ? "warning" : "error",
        r.place,
        `SLO inconclusive: ${r.metric}`,
        `${r.metric} = ${valueText(r)} (95% CI ${intervalText(r)}) is inconclusive for ${thresholdCell(r)}${r.note ? `: ${r.note}` : ""}`,
      ),
    );
  }
  for (const m of report.empty) {
    lines.push(
      annotation(
        report.options.allowEmpty ? "warning" : "error",
        { file: m.file },
        "no SLO thresholds",
        "the model has no slo: thresholds, so it checks nothing",
      ),
    );
  }
  for (const e of report.errors)
    lines.push(annotation("error", e, e.kind === "internal" ? "mqrel internal error" : "invalid model", e.message));
  lines.push(`mqrel check: ${summaryLine(report)}`);
  return `${lines.join("\n")}\n`;
}

const VERDICT_MARK = { pass: "✅ pass", fail: "❌ FAIL", inconclusive: "⚠️ inconclusive" } as const;

/** GitHub-flavoured Markdown for `$GITHUB_STEP_SUMMARY`: a verdict line, one table, then what failed. */
export function checkMarkdown(report: CheckReport): string {
  const simulated = report.results.some((r) => r.source === "simulation");
  const out: string[] = [`### mqrel check: ${report.pass ? "✅ pass" : "❌ fail"}`, "", markdownText(summaryLine(report))];
  for (const m of report.models.filter((x) => x.simulation !== undefined))
    out.push(`- ${markdownText(m.name)}: ${markdownText(simulationLine(m) ?? "")}`);
  if (report.results.length > 0) {
    out.push(
      "",
      `| | model | metric | threshold | value |${simulated ? " 95% CI |" : ""} margin |`,
      `|---|---|---|---|---|${simulated ? "---|" : ""}---|`,
    );
    for (const r of report.results) {
      out.push(
        `| ${VERDICT_MARK[r.verdict]} | ${markdownText(r.model)} | \`${r.metric}\` | ${markdownText(thresholdCell(r))} | ${markdownText(valueText(r))} |${simulated ? ` ${markdownText(intervalText(r))} |` : ""} ${markdownText(marginText(r))} |`,
      );
    }
  }
  const problems: string[] = [];
  for (const m of report.empty)
    problems.push(`- ${markdownText(m.file)}: no thresholds, so it checks nothing${report.options.allowEmpty ? " (allowed)" : ""}`);
  for (const e of report.errors)
    problems.push(`- ${e.kind === "internal" ? "internal error" : "invalid model"}: ${markdownText(e.message)}`);
  for (const r of report.results.filter((x) => x.note !== undefined))
    problems.push(`- ${markdownText(location(r.place))}: \`${r.metric}\`: ${markdownText(r.note ?? "")}`);
  if (problems.length > 0) out.push("", ...problems);
  return withoutCommands(`${out.join("\n")}\n`);
}

export type { CheckError };
