/**
 * Estimates from importance-sampled regenerative cycles (kernel/importanceRun.ts), in the same
 * Estimate shapes as plain Monte Carlo's (estimate.ts), so that verdicts and SLO checks
 * read them unchanged.
 *
 * Regenerative ratio estimators (Goyal et al. 1992, §3; Shahabuddin 1994, §2), each a ratio
 * of two cycle means, both from the same importance-sampled cycles (likelihood-ratio
 * weighted, superscript L below):
 *
 *   unavailability      U = E[D]/E[τ]               time without quorum per cycle / cycle length
 *   queue unavailability  E[Q]/E[τ]
 *   quorum losses/hour  E[O]/E[τ]
 *   MTTF from all-up    E[min(T_loss, τ)]/P(loss in a cycle) = E[X]/E[F]
 *
 * The denominator E[τ] comes from the same cycles, not from separate plain ones: τ is the
 * expected holding time in the all-up state (1/Λ, weighted by a likelihood ratio of 1: no
 * transition has been made yet) plus the excursion's, which is short (a repair time) and
 * whose ratio stays bounded under balanced failure biasing (each repair step multiplies it
 * by at most 1/(1 − bias)); so τ^L has a relative variance of the order of (repair time /
 * time between failures)², negligible beside the numerator's, and one set of cycles serves
 * both — no budget is split, and the pairs (D^L, τ^L) give the delta-method interval
 * directly.
 *
 * Intervals: r ± t·SE, SE² = Σ(a − r·b)²/(n − 1)/n / b̄² (delta method, Crane & Iglehart
 * 1975; Asmussen & Glynn 2007, §IV.4), t at n − 1 degrees of freedom, n the cycles.
 *
 * Variance reduction: plain Monte Carlo's variance per cycle of the same residual,
 * Var_p(a − r·b), estimated from the importance-sampled cycles through E_p[Z²] = E_q[Z²·L]
 * (L the whole cycle's ratio; drawn exponential holding times add Σh² of variance beside
 * the conditional means), over this method's Var_q(a^L − r·b^L). It is a ratio of two
 * estimates: a rough figure, quoted to two digits.
 *
 * "Enough events": at least {@link MIN_EVENTS} cycles reached a quorum loss (a queue
 * outage, for the queue).
 */
import { HOURS_PER_YEAR } from "../../expr/units.js";
import { METRIC, type MetricId } from "../../metrics/index.js";
import { CONFIDENCE } from "../../stats/confidence.js";
import { ratioEstimate } from "../../stats/ratioEstimate.js";
import { studentTQuantile } from "../../stats/studentTQuantile.js";
import type { ClusterSimConfig } from "../kernel/config.js";
import { IMPORTANCE_RECORD as F } from "../kernel/importanceRun.js";
import { type Estimate, type EstimateBasis, MIN_EVENTS, newEstimate, perYear, type SimulationSummary } from "./estimate.js";
import type { ImportanceTotals } from "./importanceTotals.js";

interface CycleRatio {
  readonly value: number;
  readonly standardError: number;
  readonly degreesOfFreedom: number;
  /** Var_q(a − r·b) per cycle */
  readonly varianceIs: number;
}

function cycleRatio(n: number, a: number, b: number, aa: number, bb: number, ab: number): CycleRatio {
  const degreesOfFreedom = Math.max(1, n - 1);
  if (n < 2 || !(b > 0)) {
    const value = b > 0 ? a / b : a > 0 ? Number.POSITIVE_INFINITY : Number.NaN;
    return { value, standardError: Number.POSITIVE_INFINITY, degreesOfFreedom, varianceIs: Number.NaN };
  }
  const r = ratioEstimate({
    count: n,
    sumNumerator: a,
    sumDenominator: b,
    sumNumeratorSquared: aa,
    sumDenominatorSquared: bb,
    sumProduct: ab,
  });
  const varianceIs = Math.max(0, aa - 2 * r.value * ab + r.value * r.value * bb) / (n - 1);
  return { value: r.value, standardError: r.standardError, degreesOfFreedom, varianceIs };
}

function halfWidth(r: CycleRatio): number {
  return Number.isFinite(r.standardError)
    ? studentTQuantile((1 + CONFIDENCE) / 2, r.degreesOfFreedom) * r.standardError
    : Number.POSITIVE_INFINITY;
}

function interval(r: CycleRatio, low = 0, high = Number.POSITIVE_INFINITY): readonly [number, number] | null {
  if (!Number.isFinite(r.standardError) || !Number.isFinite(r.value)) return null;
  const half = halfWidth(r);
  return [Math.max(low, r.value - half), Math.min(high, r.value + half)];
}

function relativeError(r: CycleRatio): number {
  return r.value > 0 ? halfWidth(r) / r.value : Number.POSITIVE_INFINITY;
}

/** plain's variance over this method's; NaN when either is unknown. */
function reduction(plainVariance: number, r: CycleRatio): number {
  if (!(r.varianceIs > 0) || !Number.isFinite(plainVariance)) return Number.NaN;
  return Math.max(0, plainVariance) / r.varianceIs;
}

/** What R is, in words. */
export function regenerationText(config: ClusterSimConfig): string {
  const parts = ["every node up"];
  if (config.zones && config.zones.outageRatePerHour > 0) parts.push("every zone up");
  if (config.commonCauseRatePerHour > 0) parts.push("no common-cause outage");
  if (config.failover) parts.push("the queue's leader elected");
  return parts.join(", ");
}

/** How the cycles stand for realistic mechanics (insensitivity.ts). */
export interface EquivalentChain {
  /** metrics not estimated: they differ between the mechanics and the chain the cycles ran on */
  readonly leaveOut: ReadonlySet<MetricId>;
  /** the chain has exponential repairs in place of the mechanics' (each estimate's basis says so) */
  readonly exponentialRepairs: boolean;
}

/**
 * The cluster's estimates from importance-sampling totals. With `equivalent` (the cycles
 * ran on the exponential equivalent of realistic mechanics: insensitivity.ts), the metrics
 * it leaves out are not estimated, and with exponential repairs standing in for others,
 * every estimate's basis says it is the equivalent chain's, which has the same value.
 *
 * @throws RangeError from the ratio estimator when the sums are not finite
 */
export function summarizeImportance(
  totals: ImportanceTotals,
  config: ClusterSimConfig,
  bias: number,
  equivalent?: EquivalentChain,
): SimulationSummary {
  const s = (field: number) => totals.sum(field);
  const n = s(F.cycles);
  const lossCycles = s(F.lossCycles);
  const tau = s(F.tau);
  // every estimate's basis: the biased cycles (the queue's interval takes the smaller sample's degrees of freedom)
  const cycles = {
    kind: "importance-sampling",
    unit: "regeneration cycles",
    units: n,
    degreesOfFreedom: Math.max(1, n - 1),
    ...(equivalent?.exponentialRepairs ? { exponentialEquivalent: true } : {}),
  } as const satisfies Partial<EstimateBasis>;
  const metrics: Partial<Record<MetricId, Estimate>> = {};

  // Unavailability: E[D]/E[τ].
  const u = cycleRatio(n, s(F.down), tau, s(F.down2), s(F.tau2), s(F.downTau));
  const uPlain =
    n > 0
      ? (s(F.plainDown2) -
          2 * u.value * s(F.plainDownTau) +
          u.value * u.value * s(F.plainTau2) +
          (1 - u.value) * (1 - u.value) * s(F.plainDownH2) +
          u.value * u.value * (s(F.plainTauH2) - s(F.plainDownH2))) /
        n
      : Number.NaN;
  const uVr = reduction(uPlain, u);
  const uCi = interval(u, 0, 1);
  const enough = lossCycles >= MIN_EVENTS;
  metrics[METRIC.clusterAvailability] = newEstimate(
    {
      estimate: 1 - u.value,
      ci: uCi ? [1 - uCi[1], 1 - uCi[0]] : null,
      complement: u.value,
      complementCi: uCi,
      standardError: u.standardError,
      degreesOfFreedom: u.degreesOfFreedom,
      events: lossCycles,
      enough,
      varianceReduction: uVr,
      relativeError: relativeError(u),
    },
    { ...cycles, estimand: "unavailability" },
  );
  metrics[METRIC.clusterDowntimePerYear] = newEstimate(
    {
      ...perYear(u, uCi),
      degreesOfFreedom: u.degreesOfFreedom,
      events: lossCycles,
      enough,
      varianceReduction: uVr,
      relativeError: relativeError(u),
    },
    { ...cycles, estimand: "downtime", perYearHours: HOURS_PER_YEAR },
  );

  // MTTF from all-up: E[X]/E[F], F = L·1{loss in the cycle}.
  const m = cycleRatio(n, s(F.exposure), s(F.lossWeight), s(F.exposure2), s(F.lossWeight2), s(F.exposureLoss));
  const mPlain =
    n > 0
      ? (s(F.plainExposure2) - 2 * m.value * s(F.plainExposureLoss) + m.value * m.value * s(F.plainLoss) + s(F.plainExposureH2)) / n
      : Number.NaN;
  const mVr = reduction(mPlain, m);
  metrics[METRIC.clusterMttf] = newEstimate(
    {
      estimate: m.value,
      ci: interval(m),
      standardError: m.standardError,
      degreesOfFreedom: m.degreesOfFreedom,
      events: lossCycles,
      enough,
      varianceReduction: mVr,
      relativeError: relativeError(m),
    },
    { ...cycles, estimand: "mttf-exposure" },
  );

  // Quorum losses per hour: E[O]/E[τ].
  const o = cycleRatio(n, s(F.outages), tau, s(F.outages2), s(F.tau2), s(F.outagesTau));
  const oPlain =
    n > 0
      ? (s(F.plainOutages2) - 2 * o.value * s(F.plainOutagesTau) + o.value * o.value * (s(F.plainTau2) + s(F.plainTauH2))) / n
      : Number.NaN;
  const oVr = reduction(oPlain, o);
  const oCi = interval(o);
  metrics[METRIC.clusterOutagesPerYear] = newEstimate(
    {
      ...perYear(o, oCi),
      degreesOfFreedom: o.degreesOfFreedom,
      events: lossCycles,
      enough,
      varianceReduction: oVr,
      relativeError: relativeError(o),
    },
    { ...cycles, estimand: "outages", perYearHours: HOURS_PER_YEAR },
  );

  let queue: Estimate | undefined;
  if (config.failover) {
    // Q = D + E: time without quorum (rare: the biased cycles' U) plus time with a quorum
    // but no leader (elections, frequent: the unbiased cycles). Independent samples: the
    // variances add; degrees of freedom those of the smaller sample.
    const nNatural = s(F.naturalCycles);
    const e = cycleRatio(nNatural, s(F.naturalElect), s(F.naturalTau), s(F.naturalElect2), s(F.naturalTau2), s(F.naturalElectTau));
    const value = u.value + e.value;
    const q: CycleRatio = {
      value,
      standardError: Math.sqrt(u.standardError ** 2 + e.standardError ** 2),
      degreesOfFreedom: Math.min(u.degreesOfFreedom, e.degreesOfFreedom),
      varianceIs: Number.NaN,
    };
    // Plain Monte Carlo's asymptotic variance per simulated hour, part by part (each per
    // cycle of its own regeneration, over that cycle's mean length; the two parts'
    // covariance is left out): the time it would need for this standard error, and that
    // time over the time these cycles stand for.
    const eValue = e.value;
    const ePlain =
      nNatural > 0
        ? (s(F.naturalElect2) -
            2 * eValue * s(F.naturalElectTau) +
            eValue * eValue * s(F.naturalTau2) +
            (1 - eValue) * (1 - eValue) * s(F.naturalElectH2) +
            eValue * eValue * (s(F.naturalTauH2) - s(F.naturalElectH2))) /
          nNatural
        : Number.NaN;
    const perHour = uPlain / (tau / n) + ePlain / (s(F.naturalTau) / nNatural);
    const qVr = q.standardError > 0 ? perHour / q.standardError ** 2 / tau : Number.NaN;
    const qCi = interval(q, 0, 1);
    const elections = s(F.naturalElectionCycles);
    queue = newEstimate(
      {
        estimate: 1 - value,
        ci: qCi ? [1 - qCi[1], 1 - qCi[0]] : null,
        complement: value,
        complementCi: qCi,
        standardError: q.standardError,
        degreesOfFreedom: q.degreesOfFreedom,
        events: lossCycles + elections,
        enough: lossCycles >= MIN_EVENTS && elections >= MIN_EVENTS,
        varianceReduction: qVr,
        relativeError: relativeError(q),
      },
      { ...cycles, estimand: "queue-unavailability", counts: { naturalCycles: nNatural } },
    );
    metrics[METRIC.queueAvailability] = queue;
  }

  for (const id of equivalent?.leaveOut ?? []) delete metrics[id];
  const meanCycleHours = n > 0 ? tau / n : Number.NaN;
  return {
    runs: totals.runs,
    simulatedHours: tau,
    nodeEvents: s(F.transitions),
    regenerative: true,
    metrics,
    importance: {
      bias,
      cycles: n,
      transitions: s(F.transitions),
      lossCycles,
      regeneration: regenerationText(config),
      meanCycleHours,
      plainEquivalentHours: Number.isFinite(uVr) ? n * uVr * meanCycleHours : Number.NaN,
      ...(queue ? { queue } : {}),
    },
  };
}
