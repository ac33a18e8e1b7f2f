/**
 * The HTML report's charts as Vega-Lite specs (with their data inline) and the data
 * table printed under each: a mapping of the report's numbers (src/plan/reportData.ts) to
 * marks and encodings, nothing computed.
 */
import type { TopLevelSpec } from "vega-lite";
import { printable, printableDeep } from "../common/text.js";
import { METRIC } from "../metrics/index.js";
import type { Curve, CurvePoint, FleetCurves, RegionCurve, ReportData, SimulatedPoint } from "../plan/reportData.js";
import type { SensitivityRow } from "../plan/sensitivity.js";
import { formatHours, short } from "./format.js";

export interface ChartTable {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface Chart {
  readonly id: string;
  readonly title: string;
  /** what the chart shows, in a sentence (the figure caption and the SVG's description) */
  readonly caption: string;
  readonly spec: TopLevelSpec;
  readonly table: ChartTable;
}

const WIDTH = 560;
const HEIGHT = 260;
const NINES_TITLE = "nines (−log10 of the unavailability)";

const SERIES_LABELS: Readonly<Record<CurvePoint["series"], string>> = {
  model: "this model's formula",
  kofn: "independent k-of-n",
  parallel: "the article's parallel formula",
};

function nines(n: number | null, digits = 2): string {
  return n === null ? "∞ (no downtime)" : n.toFixed(digits);
}

const base = {
  $schema: "https://vega.github.io/schema/vega-lite/v5.json",
  width: WIDTH,
  height: HEIGHT,
  config: { font: "sans-serif", title: { anchor: "start", fontSize: 14 }, legend: { orient: "bottom", labelLimit: 400 } },
} as const;

/** Points with a finite value, labelled by series. */
function plotted(points: readonly CurvePoint[], labels: Readonly<Record<string, string>> = SERIES_LABELS) {
  return points
    .filter((p) => p.nines !== null)
    .map((p) => ({ x: p.x, nines: p.nines, series: labels[p.series] ?? p.series, formula: p.formula }));
}

const COLORS = ["#e45756", "#4c78a8", "#f58518"];

/** Series colours in a fixed order: the model's own formula first. */
function seriesColor(domain: readonly string[] = [SERIES_LABELS.model, SERIES_LABELS.kofn, SERIES_LABELS.parallel]) {
  return { field: "series", type: "nominal", title: null, scale: { domain: [...domain], range: COLORS.slice(0, domain.length) } } as const;
}

function thresholdLayers(sloNines: number | undefined) {
  if (sloNines === undefined) return [];
  return [
    {
      data: { values: [{ nines: sloNines, label: `SLO: ${sloNines.toFixed(2)} nines` }] },
      mark: { type: "rule", color: "#b00020", strokeDash: [6, 4] },
      encoding: { y: { field: "nines", type: "quantitative" } },
    },
    {
      data: { values: [{ nines: sloNines, label: `SLO: ${sloNines.toFixed(2)} nines` }] },
      mark: { type: "text", color: "#b00020", align: "right", dy: -6, x: WIDTH },
      encoding: { y: { field: "nines", type: "quantitative" }, text: { field: "label" } },
    },
  ];
}

function currentLayer(current: number, field = "x") {
  return {
    data: { values: [{ [field]: current }] },
    mark: { type: "rule", color: "#888", strokeDash: [2, 3] },
    encoding: { x: { field, type: "quantitative" } },
  };
}

function curveTable(curve: Curve, xText: (x: number) => string, labels: Readonly<Record<string, string>> = SERIES_LABELS): ChartTable {
  const series = (["model", "kofn", "parallel"] as const).filter((s) => curve.points.some((p) => p.series === s));
  const xs = [...new Set([...curve.points.map((p) => p.x), ...curve.refused.map((r) => r.x)])].sort((a, b) => a - b);
  const rows = xs.map((x) => {
    const refused = curve.refused.find((r) => r.x === x);
    if (refused) return [xText(x), ...series.map(() => `refused: ${refused.reason}`)];
    return [
      xText(x),
      ...series.map((s) => {
        const p = curve.points.find((q) => q.x === x && q.series === s);
        return p === undefined ? "—" : `${nines(p.nines)} (U = ${short(p.complement)})`;
      }),
    ];
  });
  return { head: [curve.x, ...series.map((s) => labels[s] ?? s)], rows };
}

function nodesChart(data: ReportData): Chart {
  const curve = data.byNodes;
  return {
    id: "nodes",
    title: "Cluster availability against node count",
    caption: `Nines of cluster availability for 1 to ${Math.max(...curve.points.map((p) => p.x))} nodes (this model has ${curve.current}): the model's own formula beside the independent k-of-n and the article's parallel formula, which assume away the common cause, shared repair and the quorum.`,
    spec: {
      ...base,
      description: "Line chart: nines of cluster availability (y) against the number of nodes (x), one line per formula.",
      layer: [
        currentLayer(curve.current),
        {
          data: { values: plotted(curve.points) },
          mark: { type: "line", point: { size: 50 } },
          encoding: {
            x: { field: "x", type: "quantitative", title: "nodes", axis: { tickMinStep: 1, format: "d" } },
            y: { field: "nines", type: "quantitative", title: NINES_TITLE },
            color: seriesColor(),
            tooltip: [{ field: "x" }, { field: "nines", format: ".2f" }, { field: "formula" }],
          },
        },
        ...thresholdLayers(data.sloNines),
      ],
    } as TopLevelSpec,
    table: curveTable(curve, String),
  };
}

function mttrChart(data: ReportData, curve: Curve & { readonly mode?: string }): Chart {
  const what =
    curve.mode === undefined ? "the node MTTR" : `the MTTR of ${curve.mode} failures (the failure mode that keeps a node down longest)`;
  const axis = curve.mode === undefined ? "node MTTR" : `${curve.mode} MTTR`;
  return {
    id: "mttr",
    title:
      curve.mode === undefined
        ? "Cluster availability against node repair time"
        : `Cluster availability against the ${curve.mode} repair time`,
    caption: `Nines of cluster availability as ${what} goes from ${formatHours(Math.min(...curve.points.map((p) => p.x)))} to ${formatHours(Math.max(...curve.points.map((p) => p.x)))} (log scale; this model: ${formatHours(curve.current)}, dotted).`,
    spec: {
      ...base,
      description: `Line chart: nines of cluster availability (y) against the ${axis} in hours on a log scale (x), one line per formula.`,
      layer: [
        currentLayer(curve.current),
        {
          data: { values: plotted(curve.points) },
          mark: { type: "line", point: { size: 50 } },
          encoding: {
            x: { field: "x", type: "quantitative", title: `${axis} (hours, log scale)`, scale: { type: "log" } },
            y: { field: "nines", type: "quantitative", title: NINES_TITLE },
            color: seriesColor(),
          },
        },
        ...thresholdLayers(data.sloNines),
      ],
    } as TopLevelSpec,
    table: curveTable(curve, (x) => formatHours(x)),
  };
}

function retryChart(curve: Curve & { deadline: boolean }): Chart {
  const labels = {
    model: curve.deadline ? "with the deadline (retry.deadline)" : "retry.fault_tolerance",
    parallel: "the article's 1 − (1 − p)^n (no deadline)",
  };
  return {
    id: "retry",
    title: "Retry success against attempts",
    caption: curve.deadline
      ? `Nines of retry success for 1 to ${Math.max(...curve.points.map((p) => p.x))} attempts: attempts that would start after the deadline are not made, so the curve flattens where the article's formula keeps climbing (this model: ${curve.current} attempts).`
      : `Nines of retry success for 1 to ${Math.max(...curve.points.map((p) => p.x))} attempts (this model: ${curve.current}).`,
    spec: {
      ...base,
      description: "Line chart: nines of retry success (y) against the number of attempts (x).",
      layer: [
        currentLayer(curve.current),
        {
          data: { values: plotted(curve.points, labels) },
          mark: { type: "line", point: { size: 50 } },
          encoding: {
            x: { field: "x", type: "quantitative", title: "attempts (the first one included)", axis: { tickMinStep: 1, format: "d" } },
            y: { field: "nines", type: "quantitative", title: "nines (−log10 of the failure probability)" },
            color: seriesColor([labels.model, labels.parallel]),
          },
        },
      ],
    } as TopLevelSpec,
    table: curveTable(curve, String, labels),
  };
}

function tornadoValues(rows: readonly SensitivityRow[], baseScore: number, ends: readonly [string, string]) {
  return rows.flatMap((row, order) =>
    (["low", "high"] as const).flatMap((end, i) => {
      const score = row[end].reading?.score;
      if (score === undefined || !Number.isFinite(score)) return [];
      return [{ path: row.path, order, end: ends[i], from: baseScore, to: score, swing: row.swing }];
    }),
  );
}

function tornadoChart(
  id: string,
  title: string,
  caption: string,
  rows: readonly SensitivityRow[],
  data: ReportData,
  ends: readonly [string, string],
  labelOf: (row: SensitivityRow, end: "low" | "high") => string,
): Chart {
  const baseScore = data.sensitivity.base.score;
  return {
    id,
    title,
    caption,
    spec: {
      ...base,
      height: Math.max(60, 28 * rows.length),
      description: `Tornado chart: for each input (y), bars from the model's nines to the nines at the lower and at the upper end of the input (x).`,
      layer: [
        {
          data: { values: tornadoValues(rows, baseScore, ends) },
          mark: { type: "bar", height: 10 },
          encoding: {
            y: { field: "path", type: "nominal", title: null, sort: { field: "order", order: "ascending" }, axis: { labelLimit: 260 } },
            yOffset: { field: "end", type: "nominal" },
            x: { field: "from", type: "quantitative", title: "nines of cluster.availability", scale: { zero: false } },
            x2: { field: "to" },
            color: { field: "end", type: "nominal", title: null, scale: { domain: [...ends], range: ["#4c78a8", "#f58518"] } },
          },
        },
        {
          data: { values: [{ x: baseScore }] },
          mark: { type: "rule", color: "#333" },
          encoding: { x: { field: "x", type: "quantitative" } },
        },
      ],
    } as TopLevelSpec,
    table: {
      head: ["input", "as written", "lower end", "nines there", "upper end", "nines there", "swing (nines)"],
      rows: rows.map((row) => [
        row.path,
        row.text,
        labelOf(row, "low"),
        row.low.reading ? nines(Number.isFinite(row.low.reading.score) ? row.low.reading.score : null) : `refused: ${row.low.error ?? ""}`,
        labelOf(row, "high"),
        row.high.reading
          ? nines(Number.isFinite(row.high.reading.score) ? row.high.reading.score : null)
          : `refused: ${row.high.error ?? ""}`,
        short(row.swing),
      ]),
    },
  };
}

function simulatedChart(data: ReportData, simulated: readonly SimulatedPoint[]): Chart {
  const analytic = data.byNodes.points.filter((p) => p.series === "model" && p.x <= Math.max(...simulated.map((s) => s.x)));
  const shown = simulated.filter((s) => s.nines !== null);
  const sim = data.simulation;
  return {
    id: "simulated",
    title: "Simulated availability beside the formula",
    caption: `The simulator's estimate of cluster availability (diamonds, with 95 % intervals) beside the model's formula (line), for ${simulated.length} node counts${sim ? `: ${sim.runs} runs × ${formatHours(sim.horizonHours)} each, seed ${sim.seed}, ${sim.mode} mechanics` : ""}.`,
    spec: {
      ...base,
      description: "Line of the formula's nines against nodes, with simulated estimates as points and their 95% intervals as error bars.",
      layer: [
        {
          data: { values: plotted(analytic) },
          mark: { type: "line", point: { size: 40 } },
          encoding: {
            x: { field: "x", type: "quantitative", title: "nodes", axis: { tickMinStep: 1, format: "d" } },
            y: { field: "nines", type: "quantitative", title: NINES_TITLE, scale: { zero: false } },
            color: { value: "#4c78a8" },
          },
        },
        {
          data: { values: shown.filter((s) => s.low !== null && s.high !== null) },
          mark: { type: "errorbar", ticks: true, color: "#e45756" },
          encoding: {
            x: { field: "x", type: "quantitative" },
            y: { field: "low", type: "quantitative", title: NINES_TITLE },
            y2: { field: "high" },
          },
        },
        {
          data: { values: shown },
          mark: { type: "point", shape: "diamond", filled: true, size: 90, color: "#e45756" },
          encoding: { x: { field: "x", type: "quantitative" }, y: { field: "nines", type: "quantitative", title: NINES_TITLE } },
        },
        ...thresholdLayers(data.sloNines),
      ],
    } as TopLevelSpec,
    table: {
      head: ["nodes", "formula (nines)", "simulated (nines)", "95 % interval (nines)", "simulated unavailability", "down episodes"],
      rows: simulated.map((s) => {
        const formula = data.byNodes.points.find((p) => p.series === "model" && p.x === s.x);
        return [
          String(s.x),
          formula ? nines(formula.nines, 3) : "—",
          nines(s.nines, 3),
          s.low !== null || s.high !== null ? `${nines(s.low, 3)} … ${nines(s.high, 3)}` : "—",
          s.complementCi ? `${short(s.complement)} [${short(s.complementCi[0])}, ${short(s.complementCi[1])}]` : short(s.complement),
          `${s.events}${s.enough ? "" : " (too few)"}`,
        ];
      }),
    },
  };
}

function convergenceChart(convergence: NonNullable<ReportData["convergence"]>): Chart {
  const shown = convergence.points.filter((p) => p.nines !== null);
  const what = convergence.metric === METRIC.fleetAvailability ? "fleet availability (every partition writable)" : "availability";
  const analytic = convergence.analyticNines;
  return {
    id: "convergence",
    title: "Convergence of the simulated estimate",
    caption: `The simulated ${what} of this model after 1, 2, 4, … runs, with its 95 % interval (band); ${
      analytic !== undefined ? `the dashed line is the formula's ${analytic.toFixed(2)} nines.` : "no formula computes it for this model."
    }`,
    spec: {
      ...base,
      description:
        "Estimate of the nines (line with points) and its 95% interval (band) against the number of runs on a log scale, with the formula's value as a dashed rule.",
      layer: [
        {
          data: { values: shown.filter((p) => p.low !== null && p.high !== null) },
          mark: { type: "area", opacity: 0.25, color: "#e45756" },
          encoding: {
            x: { field: "runs", type: "quantitative", title: "runs (log scale)", scale: { type: "log", base: 2 } },
            y: { field: "low", type: "quantitative", title: NINES_TITLE, scale: { zero: false } },
            y2: { field: "high" },
          },
        },
        {
          data: { values: shown },
          mark: { type: "line", point: { size: 50 }, color: "#e45756" },
          encoding: { x: { field: "runs", type: "quantitative" }, y: { field: "nines", type: "quantitative" } },
        },
        ...(analytic !== undefined
          ? [
              {
                data: { values: [{ nines: analytic }] },
                mark: { type: "rule" as const, color: "#4c78a8", strokeDash: [6, 4] },
                encoding: { y: { field: "nines", type: "quantitative" as const } },
              },
            ]
          : []),
      ],
    } as TopLevelSpec,
    table: {
      head: ["runs", "simulated (nines)", "95 % interval (nines)", "unavailability"],
      rows: convergence.points.map((p) => [
        String(p.runs),
        nines(p.nines, 3),
        `${nines(p.low, 3)} … ${nines(p.high, 3)}`,
        short(p.complement),
      ]),
    },
  };
}

/**
 * Model text for a chart: printable, and without backslashes — Vega reads a title inside
 * a tooltip expression as a string literal and would turn `\x1b` or `\n` back into the
 * control character (a newline broke the expression: exit 3).
 */
const FLEET_COLORS = ["#e45756", "#4c78a8", "#f58518", "#54a24b"];

/**
 * The fleet chart, as one of two panels: fleet availability in nines, or loss events per
 * year on a log scale, against the broker count, one line per placement.
 */
function fleetChart(fleet: FleetCurves, panel: "availability" | "loss", sloNines: number | undefined): Chart {
  const availability = panel === "availability";
  const values = fleet.points
    .filter((p) => (availability ? p.nines !== null : p.lossEventsPerYear > 0))
    .map((p) => ({ x: p.x, placement: p.placement, y: availability ? p.nines : p.lossEventsPerYear }));
  const xs = [...new Set([...fleet.points.map((p) => p.x), ...fleet.refused.map((r) => r.x)])].sort((a, b) => a - b);
  const rows = xs.map((x) => [
    String(x),
    ...fleet.placements.map((placement) => {
      const p = fleet.points.find((q) => q.x === x && q.placement === placement);
      if (p === undefined) return fleet.refused.some((r) => r.x === x && r.placement === placement) ? "refused" : "—";
      return availability ? `${nines(p.nines)} (U = ${short(p.complement)})` : short(p.lossEventsPerYear);
    }),
  ]);
  const yTitle = availability ? NINES_TITLE : "loss events per year (log scale)";
  const range = `${xs[0] ?? fleet.current} to ${xs[xs.length - 1] ?? fleet.current} brokers`;
  return {
    id: availability ? "fleet" : "fleetloss",
    title: availability ? "Fleet availability against the broker count" : "Loss events against the broker count",
    caption: availability
      ? `Nines of fleet availability (every partition writable) for ${range}, one line per placement (this model: ${fleet.current} brokers, ${fleet.placement}); broker counts a placement refuses are left out.`
      : `Expected events per year in which some partition loses every replica, for ${range}, one line per placement (this model: ${fleet.current} brokers, ${fleet.placement}); a log scale.`,
    spec: {
      ...base,
      description: `Line chart: ${yTitle} (y) against the number of brokers (x), one line per placement.`,
      layer: [
        currentLayer(fleet.current),
        {
          data: { values },
          mark: { type: "line", point: { size: 50 } },
          encoding: {
            x: { field: "x", type: "quantitative", title: "brokers", axis: { tickMinStep: 1, format: "d" } },
            y: { field: "y", type: "quantitative", title: yTitle, ...(availability ? {} : { scale: { type: "log" } }) },
            color: {
              field: "placement",
              type: "nominal",
              title: "placement",
              scale: { domain: [...fleet.placements], range: FLEET_COLORS.slice(0, fleet.placements.length) },
            },
            tooltip: [{ field: "x" }, { field: "placement" }, { field: "y", format: availability ? ".2f" : ".3g" }],
          },
        },
        ...(availability ? thresholdLayers(sloNines) : []),
      ],
    } as TopLevelSpec,
    table: { head: ["brokers", ...fleet.placements], rows },
  };
}

/**
 * The region chart: service availability in nines against the failover delay
 * `regions.failover.after` (hours, log scale), the model's own delay dotted and the
 * service SLO as a rule; the table adds the failovers a year at each delay — a shorter
 * delay fails over on more of the cluster's own short outages (false failovers), a longer
 * one leaves the service down through more of each region outage.
 */
function regionsChart(curve: RegionCurve): Chart {
  const values = curve.points.filter((p) => p.nines !== null).map((p) => ({ x: p.x, nines: p.nines, failovers: p.failoversPerYear }));
  const xs = [...new Set([...curve.points.map((p) => p.x), ...curve.refused.map((r) => r.x)])].sort((a, b) => a - b);
  const rows = xs.map((x) => {
    const refused = curve.refused.find((r) => r.x === x);
    if (refused) return [formatHours(x), `refused: ${refused.reason}`, "—"];
    const p = curve.points.find((q) => q.x === x) as RegionCurve["points"][number];
    return [formatHours(x), `${nines(p.nines)} (U = ${short(p.complement)})`, short(p.failoversPerYear)];
  });
  return {
    id: "regions",
    title: "Service availability against the failover delay",
    caption: `Nines of service availability (the active site up and no switch under way) as the failover delay regions.failover.after goes from ${formatHours(xs[0] ?? curve.current)} to ${formatHours(xs[xs.length - 1] ?? curve.current)} (log scale; this model: ${formatHours(curve.current)}, dotted). A shorter delay fails over on more of a cluster's own short outages — the failovers a year in the table — and a longer one waits through more of each region outage.`,
    spec: {
      ...base,
      description: "Line chart: nines of service availability (y) against the failover delay in hours on a log scale (x).",
      layer: [
        currentLayer(curve.current),
        {
          data: { values },
          mark: { type: "line", color: COLORS[0], point: { size: 50, filled: true, color: COLORS[0] } },
          encoding: {
            x: {
              field: "x",
              type: "quantitative",
              title: "failover delay, regions.failover.after (hours, log scale)",
              scale: { type: "log" },
            },
            y: { field: "nines", type: "quantitative", title: NINES_TITLE, scale: { zero: false } },
            tooltip: [
              { field: "x", title: "after (h)" },
              { field: "nines", format: ".2f" },
              { field: "failovers", title: "failovers a year", format: ".3g" },
            ],
          },
        },
        ...thresholdLayers(curve.sloNines),
      ],
    } as TopLevelSpec,
    table: { head: ["regions.failover.after", "service availability", "failovers a year"], rows },
  };
}

function chartText(text: string): string {
  return printable(text).replaceAll("\\", "⧵");
}

/**
 * Every chart the report's data supports, in reading order. Model text (a failure mode's
 * key in an axis title or a tooltip) is escaped first ({@link chartText}).
 */
export function reportCharts(raw: ReportData): Chart[] {
  const data = printableDeep(raw, chartText);
  const charts: Chart[] = data.byFailoverAfter ? [regionsChart(data.byFailoverAfter)] : [];
  if (data.byNodes.points.length > 0) charts.push(nodesChart(data));
  if (data.fleet) charts.push(fleetChart(data.fleet, "availability", data.sloNines), fleetChart(data.fleet, "loss", undefined));
  if (data.byMttr) charts.push(mttrChart(data, data.byMttr));
  if (data.byAttempts && data.byAttempts.points.length > 0) charts.push(retryChart(data.byAttempts));
  const pct = `${Math.round(data.sensitivity.by * 100)} %`;
  const moving = data.sensitivity.rows.filter((row) => row.swing > 0).slice(0, 12);
  const endLabel = (row: SensitivityRow, end: "low" | "high") =>
    row.step === "complement"
      ? end === "low"
        ? `failure probability +${pct}`
        : `failure probability −${pct}`
      : end === "low"
        ? `−${pct}`
        : `+${pct}`;
  if (moving.length > 0) {
    charts.push(
      tornadoChart(
        "tornado",
        `What moves ${data.sensitivity.metric === METRIC.fleetAvailability ? "fleet" : data.sensitivity.metric === METRIC.serviceAvailability ? "service" : "cluster"} availability`,
        `Each input of the model moved down and up by ${pct} (probabilities near 1 on their complement); bars run from the model's nines (black rule) to the nines at each end, largest swing first.`,
        moving,
        data,
        ["lower input", "higher input"],
        endLabel,
      ),
    );
  }
  const counts = data.sensitivity.countRows.filter((row) => row.swing > 0);
  if (counts.length > 0) {
    charts.push(
      tornadoChart(
        "counts",
        "One more or one fewer",
        "Each count of the model (nodes, crews, replicas, attempts) one lower and one higher; with a majority quorum an even count can be worse than the odd count below it.",
        counts,
        data,
        ["one fewer", "one more"],
        (row, end) => `${end === "low" ? "one fewer" : "one more"} (${end === "low" ? row.low.value : row.high.value})`,
      ),
    );
  }
  const simulated = data.byNodes.simulated;
  if (simulated && simulated.length > 0) charts.push(simulatedChart(data, simulated));
  if (data.convergence && data.convergence.points.length > 0) charts.push(convergenceChart(data.convergence));
  return charts;
}
