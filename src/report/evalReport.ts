/** Renderers for `mqrel eval`: table, JSON (DESIGN.md §5 shape), Markdown. */
import type { ChalkInstance } from "chalk";
import { inDisplayOrder, METRIC, type MetricId, metricSpec } from "../metrics/index.js";
import type { Alternative, Metrics, MetricValue } from "../model/metrics.js";
import type { Model } from "../model/types.js";
import { exact, formatHours, formatNines, formatPercent, short } from "./format.js";
import { makeTable } from "./table.js";

export interface EvaluatedModel {
  readonly model: Model;
  readonly metrics: Metrics;
}

function ordered(metrics: Metrics): [MetricId, MetricValue][] {
  return inDisplayOrder(metrics);
}

export function evalJson(results: readonly EvaluatedModel[]): unknown {
  return {
    models: results.map(({ model, metrics }) => ({
      file: model.file,
      name: model.name,
      metrics: Object.fromEntries(
        ordered(metrics).map(([id, m]) => [
          id,
          {
            value: m.value,
            complement: m.complement ?? null,
            formula: m.formula,
            unit: metricSpec(id).unit,
            ...(m.nines !== undefined ? { nines: m.nines } : {}),
            ...(m.perYear !== undefined ? { lost_messages_per_year: m.perYear } : {}),
            ...(m.method !== undefined ? { method: m.method } : {}),
            ...(m.errorEstimate !== undefined ? { error_estimate: m.errorEstimate } : {}),
            ...(m.zoneCheck
              ? {
                  zone_check: {
                    placement: m.zoneCheck.placement,
                    quorum: m.zoneCheck.quorum,
                    survives_any_zone_loss: m.zoneCheck.survives,
                    worst_zone: m.zoneCheck.worstZone + 1,
                    up_after_worst_loss: m.zoneCheck.upAfterWorstLoss,
                    ...(m.zoneCheck.suggestion
                      ? {
                          suggested_placement: m.zoneCheck.suggestion.placement,
                          moves: m.zoneCheck.suggestion.moves,
                          zones_added: m.zoneCheck.suggestion.zonesAdded,
                        }
                      : {}),
                  },
                }
              : {}),
            ...(m.alternatives
              ? {
                  alternatives: Object.fromEntries(
                    m.alternatives.map((a) => [
                      a.formula,
                      { value: a.value, complement: a.complement, nines: a.nines, overstates_nines: a.overstatesNines },
                    ]),
                  ),
                }
              : {}),
          },
        ]),
      ),
    })),
  };
}

const ALTERNATIVE_NAMES: Record<string, string> = {
  "availability.parallel": "the article's parallel formula (any node up)",
  "availability.kofn": "independent k-of-n (no shared repair, no common cause)",
};

/** "does the quorum survive losing a zone?", in words, from the metric's zone check. */
function zoneSentence(m: MetricValue): string | undefined {
  const check = m.zoneCheck;
  if (check === undefined) return undefined;
  const zones = `[${check.placement.join(", ")}]`;
  const worst = `zone ${check.worstZone + 1} (${check.placement[check.worstZone]} nodes)`;
  if (check.survives) {
    return `zone loss: placement ${zones} keeps the quorum of ${check.quorum} through the loss of any one zone (losing ${worst} leaves ${check.upAfterWorstLoss} up)`;
  }
  const lost = `zone loss: placement ${zones} loses the quorum of ${check.quorum} when ${worst} goes down (${check.upAfterWorstLoss} left up)`;
  if (check.suggestion === undefined) return `${lost}; no placement can survive a zone loss when every node is needed`;
  const { placement, moves, zonesAdded } = check.suggestion;
  const added = zonesAdded > 0 ? ` over ${zonesAdded} more zone${zonesAdded > 1 ? "s" : ""}` : "";
  return `${lost}; placement [${placement.join(", ")}] would survive (${moves} node${moves === 1 ? "" : "s"} moved${added})`;
}

function alternativeSentence(cluster: MetricValue, a: Alternative): string {
  const name = ALTERNATIVE_NAMES[a.formula] ?? a.formula;
  const claim = `${name} would claim ${formatNines(a.nines)}`;
  if (Math.abs(a.overstatesNines) < 0.005) return `${claim}, the same as ${cluster.formula}`;
  return `${claim}: ${Math.abs(a.overstatesNines).toFixed(2)} nines ${a.overstatesNines > 0 ? "more" : "fewer"} than ${cluster.formula} gives for the same nodes`;
}

/** Human form of a metric: "99.99970%  (5.52 nines)", "1.2e-15", "3.4 years". */
function human(id: MetricId, m: MetricValue): string {
  const spec = metricSpec(id);
  if (spec.unit === "hours") return formatHours(m.value);
  if (spec.nines && m.complement !== undefined) return `${formatPercent(m.value, m.complement)}  (${formatNines(m.nines)})`;
  if (m.value === 0) return "0 (nothing lost)";
  return m.perYear !== undefined ? `${short(m.value)} (≈ ${short(m.perYear)} messages/year)` : short(m.value);
}

export function evalText(results: readonly EvaluatedModel[], chalk: ChalkInstance): string {
  const parts: string[] = [];
  for (const { model, metrics } of results) {
    const table = makeTable(chalk, ["metric", "value", "complement", "reads as", "formula"]);
    for (const [id, m] of ordered(metrics)) {
      table.push([id, exact(m.value), m.complement === undefined ? "" : exact(m.complement), human(id, m), chalk.dim(m.formula)]);
    }
    let text = `${chalk.bold(model.name)}  ${chalk.dim(model.file)}\n`;
    if (model.description) text += `${model.description}\n`;
    text += `${table.toString()}\n`;
    const cluster = metrics.get(METRIC.clusterAvailability);
    for (const a of cluster?.alternatives ?? []) text += `${chalk.yellow(alternativeSentence(cluster as MetricValue, a))}\n`;
    const zone = cluster ? zoneSentence(cluster) : undefined;
    if (zone !== undefined) text += `${cluster?.zoneCheck?.survives ? chalk.green(zone) : chalk.red(zone)}\n`;
    parts.push(text);
  }
  return parts.join("\n");
}

export function evalMarkdown(results: readonly EvaluatedModel[]): string {
  const parts: string[] = [];
  for (const { model, metrics } of results) {
    const rows = ordered(metrics).map(
      ([id, m]) =>
        `| \`${id}\` | ${exact(m.value)} | ${m.complement === undefined ? "" : exact(m.complement)} | ${human(id, m)} | \`${m.formula}\` |`,
    );
    let text = `### ${model.name}\n\n\`${model.file}\`${model.description ? ` — ${model.description.trim()}` : ""}\n\n| metric | value | complement | reads as | formula |\n|---|---|---|---|---|\n${rows.join("\n")}\n`;
    const cluster = metrics.get(METRIC.clusterAvailability);
    const sentences = (cluster?.alternatives ?? []).map((a) => `- ${alternativeSentence(cluster as MetricValue, a)}`);
    const zone = cluster ? zoneSentence(cluster) : undefined;
    if (zone !== undefined) sentences.push(`- ${zone}`);
    if (sentences.length > 0) text += `\n${sentences.join("\n")}\n`;
    parts.push(text);
  }
  return parts.join("\n");
}
