/**
 * Renderers for `mqrel eval`: table, JSON (docs/design.md §5 shape), Markdown. One model gets
 * its full table (value, complement, reading, formula); several models are set side by
 * side, a column per model.
 */
import type { ChalkInstance } from "chalk";
import { lineStart, printable, withoutCommands } from "../common/text.js";
import { inDisplayOrder, METRIC, type MetricId, metricSpec } from "../metrics/index.js";
import type { Alternative, Metrics, MetricValue } from "../model/evaluate.js";
import type { FleetModel, Model } from "../model/types.js";
import type { Contributors } from "../plan/index.js";
import { exact, formatHours, formatNines, formatPercent, markdownText, modelHeading, short } from "./format.js";
import { contributorSentence, contributorsJson } from "./planFormat.js";
import { fitLines, renderTable } from "./table.js";

export interface EvaluatedModel {
  readonly model: Model;
  readonly metrics: Metrics;
  /** what the unavailability and the message loss are made of (src/plan/contributors.ts) */
  readonly contributors?: readonly Contributors[];
  /**
   * Metrics the model defines but no formula computes for it, each with the note why
   * (a coupled fleet's: "simulated only: … — mqrel simulate estimates it"): shown
   * without a value (src/model/evaluate.ts metricsOnlySimulated).
   */
  readonly simulatedOnly?: ReadonlyMap<MetricId, string>;
}

/** Every metric of a model in display order: a computed value, or the note that it is only simulated. */
function rowsOf(result: EvaluatedModel): [MetricId, MetricValue | string][] {
  return inDisplayOrder<MetricValue | string>([...result.metrics, ...(result.simulatedOnly ?? [])]);
}

/** The notes of the simulated-only metrics, once per distinct note: "fleet.*: simulated only: …". */
function simulatedOnlySentences(result: EvaluatedModel): string[] {
  const byNote = new Map<string, MetricId[]>();
  for (const [id, note] of result.simulatedOnly ?? []) byNote.set(note, [...(byNote.get(note) ?? []), id]);
  return [...byNote].map(([note, ids]) => `${ids.join(", ")}: ${note}`);
}

export function evalJson(results: readonly EvaluatedModel[]): unknown {
  return {
    models: results.map((result) => ({
      file: result.model.file,
      name: result.model.name,
      metrics: Object.fromEntries(
        rowsOf(result).map(([id, m]) => [
          id,
          typeof m === "string"
            ? { value: null, complement: null, formula: null, unit: metricSpec(id).unit, note: m }
            : metricJson(id, m, result.contributors),
        ]),
      ),
      ...(result.model.fleet ? { fleet: { placement: placementJson(result.model.fleet) } } : {}),
    })),
  };
}

/** One computed metric of eval's JSON (docs/design.md §5: value, complement, formula, and what more it has). */
function metricJson(id: MetricId, m: MetricValue, contributors: readonly Contributors[] | undefined): unknown {
  return {
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
    ...contributorsOf(contributors, id),
  };
}

/** docs/design.md §3c: `fleet.placement` of eval's JSON, from the summary the resolver made. */
function placementJson(fleet: FleetModel): unknown {
  const { replicasPerBroker, leadersPerBroker, distinctReplicaSets } = fleet.summary;
  return {
    replicas_per_broker: { min: replicasPerBroker.min, max: replicasPerBroker.max },
    leaders_per_broker: { min: leadersPerBroker.min, max: leadersPerBroker.max },
    distinct_replica_sets: distinctReplicaSets,
  };
}

/** "150" or "149–151". */
function spread(range: { readonly min: number; readonly max: number }): string {
  return range.min === range.max ? String(range.min) : `${range.min}–${range.max}`;
}

/** One line on a fleet's placement, for the table: where the partitions went. */
function placementSentence(model: Model): string | undefined {
  const fleet = model.fleet;
  if (fleet === undefined) return undefined;
  const { summary, placement } = fleet;
  const how = placement.kind === "explicit" ? "an explicit list" : `placement ${placement.kind}`;
  const zoned = placement.kind === "kafka" && model.cluster.zones !== undefined ? " (rack-aware over the zones)" : "";
  return (
    `fleet: ${fleet.partitions} partitions × ${fleet.replication} replicas on ${model.cluster.nodes} brokers by ${how}${zoned}: ` +
    `${spread(summary.replicasPerBroker)} replicas and ${spread(summary.leadersPerBroker)} preferred leaders per broker, ` +
    `${summary.distinctReplicaSets} distinct replica sets; writable with ${fleet.minInsync} of ${fleet.replication} up`
  );
}

function contributorsOf(contributors: readonly Contributors[] | undefined, id: MetricId): { contributors?: unknown } {
  const found = contributors?.find((c) => c.metric === id);
  return found ? { contributors: contributorsJson(found) } : {};
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
  const inWorst = check.placement[check.worstZone] as number;
  const worst = `zone ${check.worstZone + 1} (${inWorst} node${inWorst === 1 ? "" : "s"})`;
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

/** Plain-word findings under a model's numbers: what the simpler formulas claim, what dominates. */
function findings(result: EvaluatedModel): string[] {
  const cluster = result.metrics.get(METRIC.clusterAvailability);
  const zone = cluster ? zoneSentence(cluster) : undefined;
  const placement = placementSentence(result.model);
  return [
    ...(placement !== undefined ? [placement] : []),
    ...simulatedOnlySentences(result),
    ...(cluster?.alternatives ?? []).map((a) => alternativeSentence(cluster as MetricValue, a)),
    ...(zone !== undefined ? [zone] : []),
    ...(result.contributors ?? []).map((c) => contributorSentence(c)),
  ];
}

/** The metrics of several models, in display order, each once. */
function unionOfMetrics(results: readonly EvaluatedModel[]): MetricId[] {
  return inDisplayOrder(new Map(results.flatMap((result) => rowsOf(result).map(([id]) => [id, 0] as const)))).map(([id]) => id);
}

function sideBySideText(results: readonly EvaluatedModel[], chalk: ChalkInstance, width: number | undefined): string {
  const columns = [{ header: "metric" }, ...results.map(({ model }) => ({ header: model.name, wrap: true, min: 14 }))];
  const rows = unionOfMetrics(results).map((id) => [
    id,
    ...results.map(({ metrics, simulatedOnly }) => {
      const m = metrics.get(id);
      if (m !== undefined) return `${human(id, m)} · ${m.formula}`;
      return { text: simulatedOnly?.has(id) ? "— (simulated only)" : "—", style: chalk.dim };
    }),
  ]);
  const notes = results.flatMap((result) =>
    findings(result).map((sentence) => `${chalk.bold(lineStart(result.model.name))}: ${chalk.yellow(printable(sentence))}`),
  );
  return fitLines([renderTable(chalk, columns, rows, width), ...notes].join("\n"), width);
}

/** The value column: exact digits, durations in a unit a person would write. */
function valueCell(id: MetricId, m: MetricValue): string {
  return metricSpec(id).unit === "hours" ? formatHours(m.value) : exact(m.value);
}

export function evalText(results: readonly EvaluatedModel[], chalk: ChalkInstance, options: { width?: number } = {}): string {
  if (results.length > 1) return sideBySideText(results, chalk, options.width);
  const parts: string[] = [];
  const columns = [
    { header: "metric" },
    { header: "value" },
    { header: "complement", wrap: true, min: 12 },
    { header: "reads as", wrap: true, min: 14 },
    { header: "formula", wrap: true, min: 12 },
  ];
  for (const result of results) {
    const { model } = result;
    const rows = rowsOf(result).map(([id, m]) =>
      typeof m === "string"
        ? [id, { text: "—", style: chalk.dim }, "", { text: "simulated only", style: chalk.dim }, { text: "—", style: chalk.dim }]
        : [
            id,
            valueCell(id, m),
            m.complement === undefined ? "" : exact(m.complement),
            human(id, m),
            { text: m.formula, style: chalk.dim },
          ],
    );
    let text = `${modelHeading(chalk, model.name, model.file)}\n`;
    if (model.description) text += `${printable(model.description.trim())}\n`;
    text += `${renderTable(chalk, columns, rows, options.width)}\n`;
    for (const sentence of findings(result)) text += `${chalk.yellow(printable(sentence))}\n`;
    parts.push(text);
  }
  return fitLines(parts.join("\n"), options.width);
}

function sideBySideMarkdown(results: readonly EvaluatedModel[]): string {
  const cell = (text: string) => markdownText(text);
  const head = `| metric | ${results.map(({ model }) => cell(model.name)).join(" | ")} |`;
  const rows = unionOfMetrics(results).map(
    (id) =>
      `| \`${id}\` | ${results
        .map(({ metrics, simulatedOnly }) => {
          const m = metrics.get(id);
          if (m !== undefined) return `${cell(human(id, m))}<br>\`${m.formula}\``;
          return simulatedOnly?.has(id) ? "— (simulated only)" : "—";
        })
        .join(" | ")} |`,
  );
  const notes = results.flatMap((result) => findings(result).map((sentence) => `- **${cell(result.model.name)}**: ${sentence}`));
  return `${head}\n|---|${results.map(() => "---").join("|")}|\n${rows.join("\n")}\n${notes.length > 0 ? `\n${notes.join("\n")}\n` : ""}`;
}

export function evalMarkdown(results: readonly EvaluatedModel[]): string {
  if (results.length > 1) return sideBySideMarkdown(results);
  const parts: string[] = [];
  for (const result of results) {
    const { model, metrics, contributors } = result;
    const rows = rowsOf(result).map(([id, m]) =>
      typeof m === "string"
        ? `| \`${id}\` | — | | simulated only | — |`
        : `| \`${id}\` | ${markdownText(valueCell(id, m))} | ${m.complement === undefined ? "" : exact(m.complement)} | ${markdownText(human(id, m))} | \`${m.formula}\` |`,
    );
    let text = `### ${markdownText(model.name)}\n\n${markdownText(model.file)}${model.description ? ` — ${markdownText(model.description.trim())}` : ""}\n\n| metric | value | complement | reads as | formula |\n|---|---|---|---|---|\n${rows.join("\n")}\n`;
    const sentences = findings({
      model,
      metrics,
      ...(contributors ? { contributors } : {}),
      ...(result.simulatedOnly ? { simulatedOnly: result.simulatedOnly } : {}),
    }).map((sentence) => `- ${markdownText(sentence)}`);
    if (sentences.length > 0) text += `\n${sentences.join("\n")}\n`;
    parts.push(text);
  }
  return withoutCommands(parts.join("\n"));
}
