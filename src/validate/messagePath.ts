/**
 * What `validate` says about the message path, beyond its rows: the article's inputs
 * derived from the mechanics, the outcomes of the accepted records (analytic beside
 * simulated, and how each was estimated), lost records per year, and — with realistic
 * mechanics — by how much the article's persistence product misjudges the loss of
 * confirmed records. Numbers only: the renderers print them.
 */
import { HOURS_PER_YEAR } from "../expr/units.js";
import { METRIC } from "../metrics/index.js";
import type { Metrics } from "../model/evaluate.js";
import type { Estimate, SimulationSummary } from "../sim/estimate/estimate.js";

export interface MessagePathOutcome {
  readonly name: string;
  readonly analytic?: number;
  readonly simulated?: Estimate;
  /** "exact on the simulated timeline" or "counted" */
  readonly how: string;
}

export interface MessagePathFindings {
  /** the article's inputs derived from the mechanics */
  readonly pFault: number;
  readonly pUnpersisted: number;
  readonly pUnconfirmed: number;
  readonly exposureHours: number;
  /** the article's products P(unpersisted)·P(fault) and P(unconfirmed)·P(fault) */
  readonly persistenceProduct: number;
  readonly ackProduct: number;
  /** durability.leader_ack for ack: leader (λ = the leader's losses a follower takes over from) */
  readonly leaderAck?: number;
  readonly leaderLossesPerYear?: number;
  readonly leaderHandoversPerYear?: number;
  readonly outcomes: readonly MessagePathOutcome[];
  /** confirmed records lost per year at the model's traffic: analytic and simulated */
  readonly lostPerYear?: { readonly analytic: number; readonly simulated?: number };
  /** realistic: the persistence product over the simulated loss (> 1: the product is pessimistic) */
  readonly productOverLoss?: number;
  /**
   * realistic, when the simulation saw too few losses to estimate them: the upper end of
   * its 95 % interval (0 when it lost nothing at all) and the simulated years, set
   * beside the product — a product far above even that bound is pessimistic by at
   * least product / bound.
   */
  readonly productAboveBound?: { readonly bound: number; readonly simulatedYears: number };
  readonly mode: string;
}

export function messagePathFindings(
  analytic: Metrics,
  summary: SimulationSummary,
  mode: string,
  trafficPerHour: number | undefined,
): MessagePathFindings | undefined {
  const loss = analytic.get(METRIC.messageLoss);
  const persistence = analytic.get(METRIC.persistenceReliability);
  const ack = analytic.get(METRIC.ackReliability);
  const inputs = persistence?.inputs;
  if (loss === undefined || persistence === undefined || ack === undefined || inputs?.p_fault === undefined) return undefined;
  const outcomesSimulated = summary.messagePath;
  const exact = "exact (on the timeline)";
  const duplicates = analytic.get(METRIC.messageDuplicates);
  const retry = summary.metrics[METRIC.retrySuccess];
  const outcomes: MessagePathOutcome[] = [
    { name: "lost after confirm (message.loss)", analytic: loss.value, ...pick(outcomesSimulated?.lostConfirmed), how: exact },
    { name: "lost before the confirm", analytic: loss.inputs?.lost_unconfirmed, ...pick(outcomesSimulated?.lostUnconfirmed), how: exact },
    {
      name: "unconfirmed at a failover, survived (a resend duplicates it)",
      analytic: loss.inputs?.unconfirmed_survived,
      ...pick(outcomesSimulated?.unconfirmedSurvived),
      how: exact,
    },
    {
      name: "duplicated (resends and redeliveries: message.duplicates)",
      analytic: duplicates?.value,
      ...pick(summary.metrics[METRIC.messageDuplicates]),
      how: exact,
    },
    ...(retry
      ? [
          {
            name: "given up (the publisher's attempts all failed: 1 − retry.success)",
            analytic: analytic.get(METRIC.retrySuccess)?.complement,
            simulated: { ...retry, estimate: retry.complement ?? 0 },
            how: "counted (sampled retry sequences)",
          },
        ]
      : []),
  ];
  const simulatedLoss = outcomesSimulated?.lostConfirmed;
  const productOverLoss =
    mode !== "formula" && simulatedLoss && simulatedLoss.enough && simulatedLoss.estimate > 0
      ? (persistence.complement as number) / simulatedLoss.estimate
      : undefined;
  const productAboveBound =
    mode !== "formula" && simulatedLoss && productOverLoss === undefined && (persistence.complement as number) > 0
      ? {
          bound: simulatedLoss.estimate > 0 ? (simulatedLoss.ci?.[1] ?? Number.POSITIVE_INFINITY) : 0,
          simulatedYears: summary.simulatedHours / HOURS_PER_YEAR,
        }
      : undefined;
  return {
    pFault: inputs.p_fault,
    pUnpersisted: inputs.p_unpersisted ?? 0,
    pUnconfirmed: inputs.p_unconfirmed ?? 0,
    exposureHours: inputs.exposure_hours ?? 0,
    persistenceProduct: persistence.complement as number,
    ackProduct: ack.complement as number,
    ...(loss.inputs?.leader_ack !== undefined ? { leaderAck: loss.inputs.leader_ack } : {}),
    ...(loss.inputs?.leader_losses_per_year !== undefined ? { leaderLossesPerYear: loss.inputs.leader_losses_per_year } : {}),
    ...(loss.inputs?.leader_handovers_per_year !== undefined ? { leaderHandoversPerYear: loss.inputs.leader_handovers_per_year } : {}),
    outcomes,
    ...(trafficPerHour !== undefined
      ? {
          lostPerYear: {
            analytic: trafficPerHour * HOURS_PER_YEAR * loss.value,
            ...(simulatedLoss?.enough ? { simulated: trafficPerHour * HOURS_PER_YEAR * simulatedLoss.estimate } : {}),
          },
        }
      : {}),
    ...(productOverLoss !== undefined ? { productOverLoss } : {}),
    ...(productAboveBound !== undefined && productAboveBound.bound < (persistence.complement as number) ? { productAboveBound } : {}),
    mode,
  };
}

function pick(estimate: Estimate | undefined): { simulated?: Estimate } {
  return estimate ? { simulated: estimate } : {};
}
