/**
 * The sentence beside each simulated estimate ("method" in the outputs and the JSON),
 * written from the estimate's structured basis (src/sim/estimate/estimate.ts): what was measured,
 * how the interval was made, from how many independent units. The simulator states the
 * facts; the words live here.
 */
import { InternalError } from "../common/errors.js";
import type { Estimand, Estimate, EstimateBasis } from "../sim/estimate/estimate.js";

/** What describeMethod reads of an estimate. */
export type DescribedEstimate = Pick<Estimate, "basis" | "events" | "varianceReduction">;

const EXACT = "measured exactly on each run's simulated failovers";

/** The message path's shares of records, in words (the runs are their units). */
const SHARES: Partial<Record<Estimand, string>> = {
  "lost-confirmed": `confirmed records lost, ${EXACT}`,
  "lost-unconfirmed": `records lost before their confirm, ${EXACT}`,
  "unconfirmed-survived": `records unconfirmed at a failover that survived it, ${EXACT}`,
  "single-copy-unpersisted": `held to the article's assumption (one copy: the leader's data-destroying fault finds the record unflushed there), ${EXACT}`,
  "single-copy-unconfirmed": `held to the article's assumption (one copy: the leader's data-destroying fault finds the record unconfirmed), ${EXACT}`,
  "message-duplicates":
    "resend duplicates (records unconfirmed at a failover that survived it) and redeliveries (a leader loss or consumer crash between delivery and ack), measured exactly on each run's simulated timeline",
};

/** A fleet's counted events, in words (for "none seen"). */
const FLEET_EVENTS: Partial<Record<Estimand, string>> = {
  "fleet-loss-events": "loss event (a partition's last replica destroyed)",
  "fleet-loss-intensity": "partition down to its last intact replica",
  "fleet-elections": "election (a partition's leader lost unplanned)",
};

/** Outcomes the mechanics rule out, and why. */
const EXACT_ZEROS: Partial<Record<Estimand, string>> = {
  "ack-confirms-at-once": "ack: leader confirms on the leader's write: no record is unconfirmed at a failover",
  "fsync-always": "fsync: always: a record is durable when written, never unflushed",
  "fsync-before-ack": "no unflushed window (fsync before ack): no crash can lose an acknowledged message",
};

/** How the estimate was made, in one sentence. */
export function describeMethod(e: DescribedEstimate): string {
  const b = e.basis;
  switch (b.kind) {
    case "exact-zero":
      return known(EXACT_ZEROS, b.estimand);
    case "none-seen":
      if (b.estimand === "fleet-partitions-lost" || b.estimand === "fleet-partitions-lost-intensity")
        return `no partition lost in ${b.counts?.runs} runs: no interval (one event may lose many)`;
      return `${known(SHARES, b.estimand)}: none in ${b.counts?.runs} runs`;
    case "poisson-rule-of-three": {
      const fleetEvent = FLEET_EVENTS[b.estimand];
      if (fleetEvent !== undefined) {
        return `no ${fleetEvent} in ${b.counts?.runs} runs (${fourDigits(b.counts?.simulatedHours as number)} simulated hours): Poisson rule of three (≤ 3 over the simulated time)`;
      }
      const what = windowWhat(b.estimand);
      return `no ${what} window in ${b.counts?.runs} runs: rule of three on ${what} episodes (≤ 3 windows over the simulated time)`;
    }
    case "rule-of-three":
      return `no failed sequence in ${b.counts?.sequences}: one-sided rule of three (failure ≤ ≈3/N)`;
    case "wilson":
      return `Wilson score interval over ${b.counts?.sequences} independent retry sequences (${b.counts?.failures} failed)`;
    case "importance-sampling":
      return importanceSentence(e, b);
    case "ratio":
      return ratioSentence(e, b);
  }
}

/** The units of a ratio's interval, and plainly when they are too few to trust it (basis.unitsNeeded). */
function unitsSentence(b: EstimateBasis): string {
  const skew = b.skewness !== undefined ? `, corrected for the units' skewness ${twoDigits(b.skewness)} (Hall's transformation)` : "";
  return `${b.units} ${b.unit}, Student's t with ${b.degreesOfFreedom} degrees of freedom${skew}${
    b.unitsNeeded !== undefined ? ` — fewer than ${b.unitsNeeded} runs: the interval is unreliable (raise --runs)` : ""
  }`;
}

function ratioSentence(e: DescribedEstimate, b: EstimateBasis): string {
  const units = unitsSentence(b);
  switch (b.estimand) {
    case "unavailability":
      return `time without quorum over ${fourDigits(b.counts?.simulatedHours as number)} simulated hours; ${units}`;
    case "downtime":
      return `unavailability × ${b.perYearHours} h; ${ratioSentence(e, { ...b, estimand: "unavailability" })}`;
    case "mttf-exposure":
      return `exposure from all-up to the first quorum loss of each cycle (unfinished cycles censored) over ${e.events} quorum losses; ${units}`;
    case "mttf-up-time":
      return `mean up time between quorum losses (time with quorum over ${e.events} losses: all-up is no regeneration point with non-exponential failures or a maintenance schedule); ${units}`;
    case "outages":
      return `quorum losses over simulated time × ${b.perYearHours} h; ${units}`;
    case "queue-unavailability":
      return `time without quorum or without an elected leader (${b.counts?.elections} elections); ${units}`;
    case "loss-window":
    case "redelivery-window": {
      const timeline = b.estimand === "loss-window" ? "crash" : "node-failure";
      return `share of publish instants in a ${windowWhat(b.estimand)} window, measured exactly on each run's simulated ${timeline} timeline (${e.events} episodes); ${units}`;
    }
    case "fleet-unavailability":
      return `time with some partition not writable over ${fourDigits(b.counts?.simulatedHours as number)} simulated hours (${e.events} such episodes); ${units}`;
    case "fleet-partitions-unavailable":
      return `partition-hours not writable over ${fourDigits(b.counts?.simulatedHours as number)} simulated hours; ${units}`;
    case "fleet-partition-unavailability":
      return `partition-hours not writable over simulated hours, per partition; ${units}`;
    case "fleet-loss-events":
      return `events that destroyed the last replica of some partition (${e.events}) over simulated time × ${b.perYearHours} h; ${units}`;
    case "fleet-partitions-lost":
      return `partitions whose last replica was destroyed (in ${e.events} loss events) over simulated time × ${b.perYearHours} h; ${units}`;
    case "fleet-loss-intensity":
      return `losses by their intensity: δ (the rate of loses: disk failures) × the time a broker that can fail holds the last intact replica of some partition (${e.events} such episodes, and outages' losses counted) over simulated time × ${b.perYearHours} h; ${units}`;
    case "fleet-partitions-lost-intensity":
      return `partitions lost by their intensity: δ × Σ over brokers that can fail of the partitions whose last intact replica each holds, integrated over time (${e.events} episodes) × ${b.perYearHours} h; ${units}`;
    case "fleet-elections":
      return `partitions whose leader was lost unplanned (${e.events}) over simulated time × ${b.perYearHours} h; ${units}`;
    case "service-unavailability":
      return `time the service was down (the active site unavailable, or a switch under way) over ${fourDigits(b.counts?.simulatedHours as number)} simulated hours (${e.events} outages); ${units}`;
    case "region-failovers":
      return `failovers begun (${e.events}) over simulated time × ${b.perYearHours} h; ${units}`;
    case "region-loss":
      return `records not yet copied at each failover (${e.events}), integrated exactly on each run's simulated timeline, over the records confirmed; ${units}`;
    case "retry-failures":
      return `failed retry sequences (${b.counts?.failures} of ${b.counts?.sequences}); sequences in one run share its outage timeline, so the run is the unit: ${units}`;
    default:
      return `${known(SHARES, b.estimand)} (${e.events} leader losses); ${units}`;
  }
}

function importanceSentence(e: DescribedEstimate, b: EstimateBasis): string {
  const vr = e.varianceReduction;
  const how = `importance sampling (balanced failure biasing), ${b.units} regenerative cycles, Student's t with ${b.degreesOfFreedom} degrees of freedom${
    vr !== undefined && Number.isFinite(vr) ? `; variance reduction against plain Monte Carlo ${twoDigits(vr)}× per cycle` : ""
  }${
    b.exponentialEquivalent
      ? "; of the exponential-equivalent chain (the same mean times), which has the same value: it depends on the repair times only through their means here (independent repairs)"
      : ""
  }`;
  switch (b.estimand) {
    case "unavailability":
      return `E[time without quorum per cycle] / E[cycle length]; ${how}`;
    case "downtime":
      return `unavailability × ${b.perYearHours} h; ${importanceSentence(e, { ...b, estimand: "unavailability" })}`;
    case "mttf-exposure":
      return `E[time from all-up to the first quorum loss or the cycle's end] / P(quorum loss in a cycle); ${how}`;
    case "outages":
      return `E[quorum losses per cycle] / E[cycle length] × ${b.perYearHours} h; ${how}`;
    case "queue-unavailability":
      return `unavailability (above) + E[time with a quorum but no leader per cycle] / E[cycle length] from ${b.counts?.naturalCycles} cycles without biasing (elections are not rare); ${how}`;
    default:
      throw new InternalError(`no importance-sampling description for ${b.estimand}`);
  }
}

function known(table: Partial<Record<Estimand, string>>, estimand: Estimand): string {
  const text = table[estimand];
  if (text === undefined) throw new InternalError(`no description for ${estimand}`);
  return text;
}

function windowWhat(estimand: Estimand): string {
  return estimand === "loss-window" ? "loss" : "redelivery";
}

/** 4 significant digits, as in 8.766e+6 → "8766000". */
function fourDigits(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/** 2 significant digits, e.g. 3.1e+7 or 0.85. */
function twoDigits(x: number): string {
  return Number(x.toPrecision(2)).toString();
}
