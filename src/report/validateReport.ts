/** Renderers for `mqrel validate`: analytic beside simulated, with verdicts. */
import type { ChalkInstance } from "chalk";
import { METRIC, metricSpec } from "../metrics/index.js";
import type { Contributors } from "../plan/index.js";
import type { SimulationResult } from "../sim/run/scheduler.js";
import type { SimulationOutcome } from "../sim/run/simulateByMethod.js";
import type { MessagePathFindings } from "../validate/messagePath.js";
import type { Comparison, Validation } from "../validate/validate.js";
import { describeMethod } from "./estimateMethod.js";
import { formatHours, formatNines, modelHeading, plural, short } from "./format.js";
import { contributorSentence, contributorsJson } from "./planFormat.js";
import { formatEstimate, importanceFoot, methodJson, methodLines, type SimulationContext, stopText } from "./simulateReport.js";
import { fitLines, renderTable } from "./table.js";

function analyticText(row: Comparison): string {
  if (Number.isNaN(row.analytic)) return "—";
  if (metricSpec(row.metric).unit === "hours") return formatHours(row.analytic);
  if (row.analyticComplement !== undefined && row.analyticComplement < 0.5) return `1 − ${short(row.analyticComplement)}`;
  return short(row.analytic);
}

const FORMULA_NAMES: Record<string, string> = {
  "availability.parallel": "the article's parallel formula",
  "availability.kofn": "independent k-of-n",
};

function formulaName(formula: string): string {
  return FORMULA_NAMES[formula] ?? formula;
}

function sigmas(row: Comparison): string {
  return Number.isFinite(row.z) ? `${Math.abs(row.z as number).toFixed(1)} SE` : "∞ SE";
}

function gapText(row: Comparison): string {
  return row.overstatesNines !== undefined ? `by ${Math.abs(row.overstatesNines).toFixed(2)} nines` : `(${sigmas(row)})`;
}

function verdictText(row: Comparison, mode: string): string {
  if (row.verdict === "optimistic" || row.verdict === "pessimistic") {
    const ignores = row.ignores && row.ignores.length > 0 ? `: it ignores ${row.ignores.join(" and ")}` : "";
    return `comparison: ${row.verdict} ${gapText(row)}${ignores}`;
  }
  if (row.verdict !== "disagrees") return row.verdict;
  return mode === "formula"
    ? `disagrees (${sigmas(row)}; the formula is ${row.direction}): a bug`
    : `differs (${sigmas(row)}): the formula is ${row.direction} against realistic mechanics`;
}

function verdictColour(row: Comparison, mode: string, chalk: ChalkInstance): (text: string) => string {
  if (row.verdict === "agrees") return chalk.green;
  if (row.verdict === "disagrees" && mode === "formula") return chalk.red;
  return chalk.yellow;
}

export function validateJson(
  context: SimulationContext,
  validation: Validation,
  result: SimulationResult,
  contributors: readonly Contributors[] = [],
  messagePath?: MessagePathFindings,
): unknown {
  // how the estimates were made, when importance sampling was used or considered (plain runs print as they always did)
  const method = methodJson(result);
  // with importance sampling, runs and horizon are those of the plain runs beside it, if any
  const plain = result.summary.importance !== undefined ? (result as Partial<SimulationOutcome>).plain : result;
  return {
    model: context.model,
    file: context.file,
    seed: context.seed,
    mode: context.mode,
    ...(method.method !== "plain" || "method_note" in method ? method : {}),
    ...(plain ? { runs: plain.runsDone, runs_requested: plain.runsRequested } : {}),
    ...(result.stoppedEarly ? { stopped_early: result.stoppedEarly } : {}),
    ...(plain ? { horizon_hours: context.horizonHours } : {}),
    comparisons: validation.rows.map((row) => ({
      metric: row.metric,
      formula: row.formula,
      primary: row.primary,
      analytic: Number.isNaN(row.analytic) ? null : row.analytic,
      ...(row.analyticComplement !== undefined ? { analytic_complement: row.analyticComplement } : {}),
      ...(row.simulated
        ? {
            simulated: row.simulated.estimate,
            ci: row.simulated.ci,
            ...(row.simulated.complement !== undefined
              ? { simulated_complement: row.simulated.complement, complement_ci: row.simulated.complementCi ?? null }
              : {}),
            method: describeMethod(row.simulated),
            degrees_of_freedom: Number.isFinite(row.simulated.degreesOfFreedom) ? row.simulated.degreesOfFreedom : null,
            events: row.simulated.events,
          }
        : {}),
      verdict: row.verdict,
      ...(row.z !== undefined && Number.isFinite(row.z) ? { z: row.z } : {}),
      ...(row.direction ? { direction: row.direction } : {}),
      ...(row.overstatesNines !== undefined ? { overstates_nines: row.overstatesNines } : {}),
      ...(row.ignores && row.ignores.length > 0 ? { ignores: row.ignores } : {}),
      ...(row.note ? { note: row.note } : {}),
    })),
    contributors: contributors.map(contributorsJson),
    ...(messagePath ? { message_path: messagePathJson(messagePath) } : {}),
  };
}

function messagePathJson(m: MessagePathFindings): unknown {
  return {
    article_inputs: {
      exposure_hours: m.exposureHours,
      p_fault: m.pFault,
      p_unpersisted: m.pUnpersisted,
      p_unconfirmed: m.pUnconfirmed,
      persistence_product: m.persistenceProduct,
      ack_product: m.ackProduct,
    },
    ...(m.leaderAck !== undefined ? { leader_ack: m.leaderAck } : {}),
    ...(m.leaderLossesPerYear !== undefined ? { leader_losses_per_year: m.leaderLossesPerYear } : {}),
    ...(m.leaderHandoversPerYear !== undefined ? { leader_handovers_per_year: m.leaderHandoversPerYear } : {}),
    outcomes: m.outcomes.map((o) => ({
      outcome: o.name,
      analytic: o.analytic ?? null,
      simulated: o.simulated ? o.simulated.estimate : null,
      ci: o.simulated ? o.simulated.ci : null,
      events: o.simulated ? o.simulated.events : null,
      enough_events: o.simulated ? o.simulated.enough : null,
      how: o.how,
    })),
    ...(m.lostPerYear
      ? { lost_after_confirm_per_year: { analytic: m.lostPerYear.analytic, simulated: m.lostPerYear.simulated ?? null } }
      : {}),
    ...(m.productOverLoss !== undefined ? { persistence_product_over_simulated_loss: m.productOverLoss } : {}),
    ...(m.productAboveBound !== undefined
      ? {
          persistence_product_above_simulated_bound: {
            upper_bound: m.productAboveBound.bound,
            simulated_years: m.productAboveBound.simulatedYears,
          },
        }
      : {}),
  };
}

/** The message path in words and one small table: the article's inputs, the outcomes, the misjudgement. */
function messagePathLines(m: MessagePathFindings, chalk: ChalkInstance, width?: number): string[] {
  const lines: string[] = [
    chalk.bold("Message path"),
    `The article's inputs from the mechanics: exposure ${formatHours(m.exposureHours)}, P(fault) = ${short(m.pFault)}, P(unpersisted) = ${short(m.pUnpersisted)}, P(unconfirmed) = ${short(m.pUnconfirmed)}; the products: persistence ${short(m.persistenceProduct)}, ack ${short(m.ackProduct)}.`,
  ];
  if (m.leaderAck !== undefined && m.leaderLossesPerYear !== undefined && m.leaderHandoversPerYear !== undefined) {
    const spared = m.leaderLossesPerYear - m.leaderHandoversPerYear;
    lines.push(
      `A follower takes over from a lost leader ${short(m.leaderHandoversPerYear)} times a year${
        spared > 0 ? ` (of ${short(m.leaderLossesPerYear)} losses: the others spare no follower, and the old leader's log goes on)` : ""
      }; acks from the leader alone lose what its successor had not copied yet: durability.leader_ack = ${short(m.leaderAck)}.`,
    );
  }
  const rows = m.outcomes.map((o) => [
    o.name,
    o.analytic === undefined ? "—" : short(o.analytic),
    o.simulated ? `${short(o.simulated.estimate)}${o.simulated.enough ? "" : " (too few events)"}` : "—",
    o.how,
  ]);
  lines.push(
    renderTable(
      chalk,
      [
        { header: "share of accepted records", wrap: true, min: 16 },
        { header: "formula" },
        { header: "simulated", wrap: true, min: 10 },
        { header: "how", wrap: true, min: 10 },
      ],
      rows,
      width,
    ),
  );
  if (m.lostPerYear) {
    const simulated = m.lostPerYear.simulated !== undefined ? `, ${short(m.lostPerYear.simulated)} simulated` : "";
    lines.push(`Confirmed records lost per year at the model's traffic: ${short(m.lostPerYear.analytic)} by the formula${simulated}.`);
  }
  if (m.productOverLoss !== undefined) {
    const factor = m.productOverLoss >= 1 ? m.productOverLoss : 1 / m.productOverLoss;
    lines.push(
      `The article's persistence product (${short(m.persistenceProduct)}) is ${m.productOverLoss >= 1 ? "pessimistic" : "optimistic"} by a factor of ${short(factor)} against the confirmed records the simulation loses: it ${m.productOverLoss >= 1 ? "counts faults that a copy on another replica survives" : "misses the losses of failovers and of faults that reach every replica"}.`,
    );
  }
  if (m.productAboveBound !== undefined) {
    const { bound, simulatedYears } = m.productAboveBound;
    lines.push(
      bound > 0
        ? `The article's persistence product (${short(m.persistenceProduct)}) is pessimistic by at least a factor of ${short(m.persistenceProduct / bound)}: the simulation's losses of confirmed records are too few to estimate, and even the upper end of their 95 % interval is ${short(bound)}. It counts faults that a copy on another replica survives.`
        : `The article's persistence product (${short(m.persistenceProduct)}) is pessimistic: the simulation lost no confirmed record in ${short(simulatedYears)} simulated years. It counts faults that a copy on another replica survives.`,
    );
  }
  return lines;
}

export function validateText(
  context: SimulationContext,
  validation: Validation,
  result: SimulationResult,
  chalk: ChalkInstance,
  options: { width?: number; contributors?: readonly Contributors[]; messagePath?: MessagePathFindings } = {},
): string {
  const columns = [
    { header: "metric" },
    { header: "formula", wrap: true, min: 12 },
    { header: "analytic", wrap: true, min: 10 },
    { header: "simulated", wrap: true, min: 10 },
    { header: "95% CI", wrap: true, min: 12 },
    { header: "verdict", wrap: true, min: 16 },
  ];
  const rows = validation.rows.map((row) => {
    const shown = row.simulated ? formatEstimate(row.metric, row.simulated) : { value: "—", ci: "" };
    const verdict = verdictText(row, context.mode);
    const style = verdictColour(row, context.mode, chalk);
    return [
      row.metric,
      row.formula,
      analyticText(row),
      shown.value,
      shown.ci,
      { text: row.note ? `${verdict}: ${row.note}` : verdict, style },
    ];
  });
  const held = context.mode === "formula" ? "simulator held to each formula's assumptions (--assume formula)" : "realistic mechanics";
  const how =
    result.summary.importance !== undefined
      ? `${methodLines(context, result).join("\n")}${context.mode === "formula" ? `\n${held}` : ""}`
      : [
          `${plural(result.runsDone, "run")} × ${formatHours(context.horizonHours)}, seed ${context.seed}, ${held}`,
          ...methodLines(context, result).slice(1),
        ].join("\n");
  const lines = [
    modelHeading(chalk, context.model, context.file),
    `${how}${stopText(result, chalk)}`,
    renderTable(chalk, columns, rows, options.width),
    ...importanceFoot(result),
    ...(options.messagePath ? messagePathLines(options.messagePath, chalk, options.width) : []),
    ...plainWords(validation, context.mode, result),
    ...(options.contributors ?? []).map((c) => contributorSentence(c, "By the formulas, ")),
  ];
  if (result.stoppedEarly === "interrupted") {
    const cycles = result.summary.importance?.cycles;
    const done =
      cycles !== undefined
        ? `${plural(cycles, "cycle")}: the verdicts rest on those cycles only.`
        : `${plural(result.runsDone, "run")}: the verdicts rest on those runs only.`;
    lines.push(chalk.yellow(`Interrupted after ${done}`));
  }
  return `${fitLines(lines.join("\n"), options.width)}\n`;
}

/** What the comparison means, in sentences: only what the judged rows support. */
function plainWords(validation: Validation, mode: string, result: SimulationResult): string[] {
  const sentences: string[] = [];
  for (const row of validation.rows) {
    const simulated = row.simulated;
    if (row.metric !== METRIC.clusterAvailability || row.verdict === "too few events" || !simulated) continue;
    if (row.overstatesNines === undefined || row.analyticNines === undefined || row.simulatedNines === undefined) continue;
    if (!Number.isFinite(row.simulatedNines)) continue;
    const name = row.primary ? `The model's formula (${row.formula})` : capitalise(formulaName(row.formula));
    const claim = `${name} claims ${formatNines(row.analyticNines)}; the simulation shows ${row.simulatedNines.toFixed(2)} nines`;
    const gap = row.overstatesNines;
    if (row.verdict === "agrees") {
      sentences.push(`${claim}: they agree.`);
    } else {
      const ignores = row.ignores && row.ignores.length > 0 ? `: it ignores ${row.ignores.join(" and ")}` : "";
      sentences.push(
        `${claim} (95% CI on the unavailability ${short(simulated.complementCi?.[0] ?? 0)} … ${short(simulated.complementCi?.[1] ?? 0)}): it is ${gap > 0 ? "optimistic" : "pessimistic"} by ${Math.abs(gap).toFixed(2)} nines (${short(10 ** Math.abs(gap))}× ${gap > 0 ? "less" : "more"} downtime than simulated)${ignores}.`,
      );
    }
  }
  if (validation.judged === 0 && validation.tooFewEvents.length === 0) {
    sentences.push("No formula could be judged: no simulated metric of this model has an exact formula (they are only simulated).");
  } else if (validation.judged === 0) {
    sentences.push("No formula could be judged: every simulated metric rests on too few events (raise --runs or --horizon).");
  } else if (mode === "formula") {
    sentences.push(
      validation.disagreement
        ? "Held to the formulas' own assumptions, a formula disagrees with the simulation: that is a bug in one of them."
        : "Held to the formulas' own assumptions, every formula that could be judged agrees with the simulation.",
    );
  }
  if (validation.tooFewEvents.length > 0 && validation.judged > 0) {
    sentences.push(`Too few simulated events to judge ${validation.tooFewEvents.join(", ")}: raise --runs or --horizon.`);
  }
  // rare quorum losses: importance sampling would see them, where the mechanics allow it
  const blocker = (result as Partial<SimulationOutcome>).decision?.blocker;
  const rareCluster = validation.tooFewEvents.some((id) => id === METRIC.clusterAvailability || id === METRIC.clusterMttf);
  if (rareCluster && blocker !== undefined && result.summary.importance === undefined) {
    sentences.push(`Importance sampling (--method is) estimates rare quorum losses, but not here: ${blocker}.`);
  }
  return sentences;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
