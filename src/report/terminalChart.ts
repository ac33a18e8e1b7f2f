/**
 * Line charts for the terminal, drawn by asciichart (which has no x axis: the x labels
 * are written under the plot here). Points are spread evenly across the width in the
 * order given — for a geometric range that is a log x axis — and each column shows the
 * nearest point's value, so no value is invented between points.
 */
import * as asciichart from "asciichart";
import type { ChalkInstance } from "chalk";

export interface TerminalSeries {
  readonly label: string;
  readonly y: readonly (number | null)[];
}

export interface TerminalChartOptions {
  readonly series: readonly TerminalSeries[];
  readonly xLabels: readonly string[];
  readonly yFormat: (y: number) => string;
  /** a horizontal line (the SLO threshold) */
  readonly threshold?: { readonly y: number; readonly label: string };
  /** terminal width (columns) */
  readonly width: number;
  readonly height?: number;
}

const ANSI = /\u001b\[[0-9;]*m/g;
const COLORS = [asciichart.cyan, asciichart.magenta, asciichart.green, asciichart.blue, asciichart.lightred, asciichart.lightcyan];

/** The chart, or undefined when fewer than two points have a value. */
export function lineChart(options: TerminalChartOptions, chalk: ChalkInstance): string | undefined {
  const count = options.xLabels.length;
  // columns whose every series has a value (a refused point leaves a column out)
  const keep = options.xLabels.map((_, i) => options.series.some((s) => s.y[i] !== null && s.y[i] !== undefined));
  const columns = options.xLabels.map((_, i) => i).filter((i) => keep[i]);
  if (columns.length < 2 || count < 2) return undefined;
  const values = options.series.flatMap((s) => columns.map((i) => s.y[i]).filter((y): y is number => y !== null && y !== undefined));
  const threshold = options.threshold;
  let min = Math.min(...values, ...(threshold ? [threshold.y] : []));
  let max = Math.max(...values, ...(threshold ? [threshold.y] : []));
  if (max - min < 1e-9) {
    min -= 0.5;
    max += 0.5;
  }
  const labelWidth = Math.max(...[min, max, (min + max) / 2].map((y) => options.yFormat(y).length));
  const plotWidth = Math.max(columns.length, Math.min(100, options.width) - labelWidth - 4);
  const cell = Math.max(1, Math.min(10, Math.floor((plotWidth - 1) / (columns.length - 1))));
  const length = (columns.length - 1) * cell + 1;
  const stretch = (y: readonly (number | null)[]): number[] => {
    const held = columns.map((i, k) => {
      let value = y[i];
      // a series without a value where another has one holds its neighbour's
      for (let d = 1; (value === null || value === undefined) && d < columns.length; d++) {
        value = y[columns[k - d] ?? -1] ?? y[columns[k + d] ?? -1];
      }
      return value ?? Number.NaN;
    });
    return Array.from({ length }, (_, c) => held[Math.round(c / cell)] as number);
  };
  const drawn = options.series.filter((s) => columns.some((i) => s.y[i] !== null && s.y[i] !== undefined));
  // the threshold first, so that the data is drawn over it where they meet
  const series = [...(threshold ? [Array.from({ length }, () => threshold.y)] : []), ...drawn.map((s) => stretch(s.y))];
  const coloured = chalk.level > 0;
  const colors = coloured ? [...(threshold ? [asciichart.red] : []), ...drawn.map((_, i) => COLORS[i % COLORS.length])] : undefined;
  const plot = asciichart.plot(series, {
    height: options.height ?? 10,
    min,
    max,
    format: (y: number) => options.yFormat(y).padStart(labelWidth),
    ...(colors ? { colors } : {}),
  });
  const firstLine = (plot.split("\n")[0] ?? "").replace(ANSI, "");
  const axis = Math.max(firstLine.indexOf("┤"), firstLine.indexOf("┼"));
  // point k is drawn centred on column axis + k·cell (point 0 sits on the axis itself)
  let labels = "";
  columns.forEach((i, k) => {
    const text = options.xLabels[i] as string;
    const at = Math.max(0, axis + k * cell - Math.floor(text.length / 2));
    if (labels.length > 0 && at < labels.length + 1) return; // would touch the previous label
    labels = labels.padEnd(at) + text;
  });
  const legend: string[] = [];
  if (options.series.length > 1 || threshold) {
    drawn.forEach((s, i) => {
      const mark = coloured ? asciichart.colored("──", COLORS[i % COLORS.length]) : "──";
      legend.push(`${mark} ${s.label}`);
    });
    if (threshold) legend.push(`${coloured ? asciichart.colored("──", asciichart.red) : "──"} ${threshold.label}`);
  }
  return [plot, labels, ...(legend.length > 0 ? [legend.join("   ")] : [])].join("\n");
}
