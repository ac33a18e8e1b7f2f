/**
 * `mqrel report`: one self-contained HTML file. No network and no scripts: a
 * Content-Security-Policy of `default-src 'none'` (inline styles and data: images
 * only), no external fonts (the system's sans-serif), the charts as static inline SVG
 * rendered here by Vega (`View.toSVG()`, no browser needed), a data table under each
 * chart, and every string that comes from the model file HTML-escaped. The report's
 * numbers are embedded as JSON (`<script type="application/json">`, data, never run).
 *
 * Vega and Vega-Lite are loaded with import() only here, so other commands never pay
 * for them.
 */

import { printable, printableDeep } from "../common/text.js";
import type { MetricId } from "../metrics/index.js";
import type { MetricRow, ReportData } from "../plan/reportData.js";
import { formatHours, formatNines, formatPercent, short } from "./format.js";
import type { Chart, ChartTable } from "./htmlCharts.js";
import { contributorSentence, formatReading } from "./planFormat.js";

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Render each chart's Vega-Lite spec to an SVG string, offline. */
export async function renderSvgs(charts: readonly Chart[]): Promise<string[]> {
  const [vegaLite, vega] = await Promise.all([import("vega-lite"), import("vega")]);
  const svgs: string[] = [];
  for (const chart of charts) {
    const compiled = vegaLite.compile(chart.spec).spec;
    // a loader that refuses every fetch: the data is inline, nothing may be loaded
    const loader = vega.loader();
    loader.load = async (uri: string) => {
      throw new Error(`the report loads nothing, but a chart asked for ${uri}`);
    };
    const view = new vega.View(vega.parse(compiled), { renderer: "none", loader });
    svgs.push(await view.toSVG());
    view.finalize();
  }
  return svgs;
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 980px; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.meta, figcaption, .note { color: #555; font-size: 0.92rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.55rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { font-variant-numeric: tabular-nums; }
.pass { color: #0a6b2a; font-weight: 600; }
.fail { color: #b00020; font-weight: 600; }
.finding { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.4rem 0.8rem; margin: 0.4rem 0; }
figure { margin: 1.5rem 0 2rem; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { margin-bottom: 0.5rem; }
figcaption h3 { color: #1b1b1b; font-size: 1.05rem; margin: 0 0 0.2rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  table, figure { break-inside: avoid; }
}
`;

function table(t: ChartTable, caption: string): string {
  const head = t.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("");
  const rows = t.rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td class="num">${escapeHtml(cell)}</td>`)).join("")}</tr>`,
    )
    .join("\n");
  return `<table class="data"><caption class="note">${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function metricValue(row: MetricRow): string {
  const id = row.id as MetricId;
  if (row.unit === "probability" && row.reading.complement !== undefined && row.reading.nines !== undefined) {
    return formatPercent(row.reading.value, row.reading.complement);
  }
  return formatReading(id, row.reading);
}

function metricsTable(data: ReportData): string {
  const rows = data.metrics.map((m) => {
    const verdict = m.slo
      ? `<td class="${m.slo.pass ? "pass" : "fail"}">${m.slo.pass ? "met" : "VIOLATED"}</td><td>${escapeHtml(m.slo.threshold)}</td><td class="num">${escapeHtml(marginText(m))}</td>`
      : `<td>—</td><td></td><td></td>`;
    return `<tr><th scope="row">${escapeHtml(m.id)}</th><td class="num">${escapeHtml(metricValue(m))}</td><td class="num">${m.reading.nines !== undefined ? escapeHtml(formatNines(m.reading.nines)) : ""}</td><td class="num">${m.downtimeHoursPerYear !== undefined ? escapeHtml(formatHours(m.downtimeHoursPerYear)) : ""}</td><td><code>${escapeHtml(m.formula)}</code></td>${verdict}</tr>`;
  });
  return `<table><thead><tr><th scope="col">metric</th><th scope="col">value</th><th scope="col">nines</th><th scope="col">downtime per year</th><th scope="col">formula</th><th scope="col">SLO</th><th scope="col">threshold</th><th scope="col">margin</th></tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

function marginText(m: MetricRow): string {
  const slo = m.slo;
  if (slo === undefined) return "";
  const sign = slo.margin >= 0 ? "+" : "−";
  const size = Math.abs(slo.margin);
  if (slo.marginUnit === "nines") return `${sign}${size.toFixed(2)} nines`;
  if (slo.marginUnit === "hours") return `${sign}${formatHours(size)}`;
  return `${sign}${short(size)}`;
}

function inputsTable(data: ReportData): string {
  const rows = data.inputs.map(
    (leaf) => `<tr><th scope="row"><code>${escapeHtml(leaf.path)}</code></th><td>${escapeHtml(leaf.text)}</td></tr>`,
  );
  const resolved = `nodes ${data.resolved.nodes}, quorum ${data.resolved.quorum} (nodes that must be up), repair crews ${data.resolved.repairCrews}`;
  return `<p class="note">As written in the model file (after any --set); resolved: ${escapeHtml(resolved)}. Plain times are hours, plain rates per hour.</p><table><thead><tr><th scope="col">field</th><th scope="col">value</th></tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

/** The whole page. `svgs[i]` is the rendered chart `charts[i]`. Model text is escaped (printable, then HTML). */
export function reportHtml(raw: ReportData, charts: readonly Chart[], svgs: readonly string[], version: string): string {
  const data = printableDeep(raw);
  // a description's line breaks read as spaces in HTML: made spaces, so that no line of the
  // page starts with the description's text (a workflow command when the page is printed)
  const description = raw.model.description === undefined ? undefined : printable(raw.model.description.replace(/\s*\n\s*/g, " "));
  const findings = data.contributors.map((c) => `<p class="finding">${escapeHtml(contributorSentence(c))}</p>`).join("\n");
  const figures = charts
    .map(
      (chart, i) => `<figure id="chart-${chart.id}" class="chart" aria-labelledby="chart-${chart.id}-title">
<figcaption><h3 id="chart-${chart.id}-title">${escapeHtml(chart.title)}</h3>${escapeHtml(chart.caption)}</figcaption>
<div class="svg" role="img" aria-label="${escapeHtml(`${chart.title}. ${chart.caption}`)}">${svgs[i] ?? ""}</div>
${table(chart.table, `Data of the chart “${chart.title}”`)}
</figure>`,
    )
    .join("\n");
  const simulation = data.simulation
    ? `<p class="meta">Simulated: ${data.simulation.runs} runs × ${escapeHtml(formatHours(data.simulation.horizonHours))} per point, seed ${data.simulation.seed}, ${escapeHtml(data.simulation.mode)} mechanics.</p>`
    : "";
  // JSON inside <script>: "<" escaped so that no string can close the element
  const json = JSON.stringify(data).replaceAll("<", "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mqrel ${escapeHtml(version)}">
<title>mqrel report: ${escapeHtml(data.model.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(data.model.name)}</h1>
${description !== undefined ? `<p>${escapeHtml(description)}</p>` : ""}
<p class="meta">Model file <code>${escapeHtml(data.model.file)}</code>; report by mqrel ${escapeHtml(version)}.</p>
${simulation}
</header>
<main>
<section id="findings"><h2>What dominates</h2>
${findings || '<p class="note">No failure mechanism to set against another in this model.</p>'}
</section>
<section id="metrics"><h2>Metrics</h2>
${metricsTable(data)}
</section>
<section id="parameters"><h2>Parameters</h2>
${inputsTable(data)}
</section>
<section id="charts"><h2>Charts</h2>
${figures}
</section>
</main>
<script type="application/json" id="mqrel-report-data">${json}</script>
</body>
</html>
`;
}
