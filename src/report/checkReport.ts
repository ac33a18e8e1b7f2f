/** Renderers for `mqrel check`: table, JSON, JUnit XML, GitHub annotations. */
import type { ChalkInstance } from "chalk";
import type { CheckReport, SloResult } from "../slo/check.js";
import { exact, formatHours, short } from "./format.js";
import { makeTable } from "./table.js";

function marginText(r: SloResult): string {
  const sign = r.margin >= 0 ? "+" : "−";
  const size = Math.abs(r.margin);
  if (r.marginUnit === "nines") return `${sign}${size.toFixed(2)} nines`;
  if (r.marginUnit === "hours") return `${sign}${formatHours(size)}`;
  return `${sign}${short(size)}`;
}

function valueText(r: SloResult): string {
  if (r.marginUnit === "hours") return formatHours(r.value);
  if (r.complement !== undefined && r.value > 0.5) return `${exact(r.value)} (1 − ${short(r.complement)})`;
  return exact(r.value);
}

export function checkText(report: CheckReport, chalk: ChalkInstance): string {
  const table = makeTable(chalk, ["", "model", "metric", "threshold", "value", "margin"]);
  for (const r of report.results) {
    table.push([
      r.pass ? chalk.green("pass") : chalk.red("FAIL"),
      r.model,
      r.metric,
      r.threshold,
      valueText(r),
      r.pass ? marginText(r) : chalk.red(marginText(r)),
    ]);
  }
  const lines = [table.toString()];
  for (const r of report.results.filter((x) => !x.pass)) {
    lines.push(chalk.red(`${location(r)}: ${r.metric} ${valueText(r)} does not meet ${r.threshold}`));
  }
  const summary = `thresholds: ${report.met} met, ${report.violated} violated${report.errors.length > 0 ? `; ${report.errors.length} model file(s) could not be checked` : ""}`;
  lines.push(report.pass ? chalk.green(summary) : chalk.red(summary));
  return `${lines.join("\n")}\n`;
}

function location(r: SloResult): string {
  return `${r.place.file}${r.place.line !== undefined ? `:${r.place.line}` : ""}`;
}

export function checkJson(report: CheckReport): unknown {
  return {
    pass: report.pass,
    results: report.results.map((r) => ({
      file: r.file,
      model: r.model,
      metric: r.metric,
      threshold: r.threshold,
      value: r.value,
      ...(r.complement !== undefined ? { complement: r.complement } : {}),
      pass: r.pass,
      margin: r.margin,
      margin_unit: r.marginUnit,
      formula: r.formula,
      line: r.place.line ?? null,
    })),
    errors: report.errors,
  };
}

/** XML 1.0: escape markup, drop characters XML cannot hold. */
function xml(text: string): string {
  return text
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD]/g, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/**
 * JUnit XML as GitLab, Jenkins and the GitHub report actions read it: one testsuite per
 * model file, one testcase per threshold, <failure> for a violated one, <error> for a
 * model that could not be read.
 */
export function checkJunit(report: CheckReport): string {
  const files = [...new Set([...report.results.map((r) => r.file), ...report.errors.map((e) => e.file)])];
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="mqrel check" tests="${report.results.length + report.errors.length}" failures="${report.violated}" errors="${report.errors.length}">`,
  );
  for (const file of files) {
    const results = report.results.filter((r) => r.file === file);
    const errors = report.errors.filter((e) => e.file === file);
    const name = results[0]?.model ?? file;
    out.push(
      `  <testsuite name="${xml(name)}" file="${xml(file)}" tests="${results.length + errors.length}" failures="${results.filter((r) => !r.pass).length}" errors="${errors.length}">`,
    );
    for (const r of results) {
      const open = `    <testcase classname="${xml(name)}" name="${xml(`${r.metric} ${r.threshold}`)}" file="${xml(file)}"${r.place.line !== undefined ? ` line="${r.place.line}"` : ""}`;
      if (r.pass) out.push(`${open}/>`);
      else {
        const message = `${r.metric} = ${valueText(r)} does not meet ${r.threshold} (margin ${marginText(r)}; formula ${r.formula})`;
        out.push(
          `${open}>`,
          `      <failure type="SLOViolation" message="${xml(message)}">${xml(`${location(r)}: ${message}`)}</failure>`,
          "    </testcase>",
        );
      }
    }
    for (const e of errors) {
      out.push(
        `    <testcase classname="${xml(name)}" name="load model" file="${xml(file)}">`,
        `      <error type="InvalidModel" message="${xml(e.message)}">${xml(e.message)}</error>`,
        "    </testcase>",
      );
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}

/** Workflow-command escaping, as @actions/core does it. */
function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** `::error file=…,line=…::…` lines for GitHub Actions, one per violated threshold or bad model. */
export function checkGithub(report: CheckReport): string {
  const lines: string[] = [];
  for (const r of report.results.filter((x) => !x.pass)) {
    const props = [`file=${escapeProperty(r.place.file)}`];
    if (r.place.line !== undefined) props.push(`line=${r.place.line}`);
    if (r.place.column !== undefined) props.push(`col=${r.place.column}`);
    props.push(`title=${escapeProperty(`SLO violated: ${r.metric}`)}`);
    lines.push(
      `::error ${props.join(",")}::${escapeData(`${r.metric} = ${valueText(r)} does not meet ${r.threshold} (margin ${marginText(r)}; ${r.formula})`)}`,
    );
  }
  for (const e of report.errors) {
    const props = [`file=${escapeProperty(e.file)}`];
    if (e.line !== undefined) props.push(`line=${e.line}`);
    if (e.column !== undefined) props.push(`col=${e.column}`);
    props.push(`title=${escapeProperty("invalid model")}`);
    lines.push(`::error ${props.join(",")}::${escapeData(e.message)}`);
  }
  lines.push(`mqrel check: ${report.met} thresholds met, ${report.violated} violated, ${report.errors.length} invalid model file(s)`);
  return `${lines.join("\n")}\n`;
}
