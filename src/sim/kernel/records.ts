/**
 * The layouts of the simulator's records: what each slot of a run's Float64Array holds.
 * Runs come back from worker threads as plain arrays of numbers and are folded into exact
 * totals slot by slot (estimate/runTotals.ts, estimate/importanceTotals.ts), so every reader and writer of a record
 * names its slots through these objects.
 *
 * Each layout is an ordered list of field names; the slots are numbered from that order
 * ({@link recordLayout}), never by hand, so that adding a field cannot leave a gap or a
 * clash. The layouts are frozen plain objects of small integers, built once at load: V8
 * reads their fields as constants in optimised code (the hot loop pays nothing for the
 * names, as long as the objects keep fast properties — see recordLayout).
 */

/** A record's slots by name, and `size`, the number of slots. */
export type RecordLayout<Names extends readonly string[]> = { readonly [Name in Names[number]]: number } & { readonly size: number };

/**
 * Number the fields in the order given, from `first` (a layout that extends another starts
 * where the other ends).
 *
 * @throws Error when a name is given twice, or is `size`
 * @example recordLayout(["a", "b"]) // { a: 0, b: 1, size: 2 }
 */
export function recordLayout<const Names extends readonly string[]>(names: Names, first = 0): RecordLayout<Names> {
  const seen = new Set<string>(["size"]);
  for (const name of names) {
    if (seen.has(name)) throw new Error(`recordLayout: the field ${name} is given twice or is reserved`);
    seen.add(name);
  }
  // Object.fromEntries keeps the object's properties fast; adding 20-odd computed keys one
  // by one would turn it into a dictionary, whose every read in the loop is a call.
  const entries: [string, number][] = names.map((name, i) => [name, first + i]);
  entries.push(["size", first + names.length]);
  return Object.freeze(Object.fromEntries(entries)) as RecordLayout<Names>;
}

/**
 * What one run of the cluster adds up (simulateCluster's `stats`, cluster.ts).
 *
 * A regeneration cycle runs from one entry to the all-up state to the next (with
 * exponential failures all-up is a regeneration point). The run is cut into *segments*:
 * its complete cycles, and the unfinished cycle at the horizon as one more segment, so
 * that every simulated hour is counted (dropping the unfinished cycle biases short runs:
 * it is usually a long stretch of all-up). Per segment: its length τ, downtime Y, quorum
 * losses O, and X, the time from its start to its first quorum loss (or its whole
 * length, censored, when it has none), with D = 1 when it has one.
 */
const CLUSTER_FIELDS = [
  /** simulated time of the run (the horizon, or less when the run was stopped) */
  "horizonHours",
  /** time the cluster spent without quorum */
  "downtimeHours",
  /** quorum losses (outages) in the run */
  "outages",
  /** node failure, repair and common-cause events processed */
  "nodeEvents",
  /** complete regeneration cycles (from one entry to all-up to the next) */
  "cycles",
  /**
   * segments: the complete cycles, plus the one under way when the warm-up ended (unless
   * it ended at all-up) and the unfinished one at the horizon
   */
  "segments",
  /** Σ τ, Σ Y, Σ τ², Σ Y², Σ τ·Y over segments */
  "sumSegmentLength",
  "sumSegmentDowntime",
  "sumSegmentLengthSquared",
  "sumSegmentDowntimeSquared",
  "sumSegmentLengthTimesDowntime",
  /** Σ X (exposure before the first quorum loss), Σ D (segments that lost quorum), Σ X², Σ X·D */
  "sumExposure",
  "lossSegments",
  "sumExposureSquared",
  "sumExposureInLossSegments",
  /** Σ O, Σ O², Σ τ·O over segments */
  "sumSegmentOutages",
  "sumSegmentOutagesSquared",
  "sumSegmentLengthTimesOutages",
  /** time the cluster had quorum (the horizon less the downtime) */
  "upTimeHours",
  /** 1 when the run was stopped before its horizon (Ctrl-C) */
  "stopped",
  /** time the queue could not take writes (no quorum, or no leader), and such episodes */
  "queueDowntimeHours",
  "queueOutages",
  /** elections after an unplanned loss of the leader */
  "elections",
  /**
   * A fleet (fleetTracker.ts; zero without one): time some partition was not writable and
   * such episodes; the time integral of the partitions not writable (partition-hours); loss
   * events, partitions lost and elections (per partition) in the measured window.
   */
  "fleetDownHours",
  "fleetOutages",
  "fleetPartitionHours",
  "fleetLossEvents",
  "fleetPartitionsLost",
  "fleetElections",
  /**
   * The losses by their intensity (conditional Monte Carlo, fleetTracker.ts): δ·∫(brokers
   * that are the last intact replica of some partition and can fail) dt plus the losses
   * of zone or common-cause outages, counted; the same for partitions; and the episodes
   * of such exposure (what the estimate rests on).
   */
  "fleetExpectedLossEvents",
  "fleetExpectedPartitionsLost",
  "fleetLossExposures",
  /** loss events of zone or common-cause outages (`loses: disk`), counted (in fleetLossEvents too) */
  "fleetOutageLossEvents",
  /**
   * per segment, as for the cluster's downtime: Σ Y, Σ Y², Σ τ·Y of each fleet quantity Y
   * above but its outages (the losses: by their intensity when failures are exponential,
   * else counted)
   */
  "sumSegmentFleetDown",
  "sumSegmentFleetDownSquared",
  "sumSegmentLengthTimesFleetDown",
  "sumSegmentFleetPartitionHours",
  "sumSegmentFleetPartitionHoursSquared",
  "sumSegmentLengthTimesFleetPartitionHours",
  "sumSegmentFleetLossEvents",
  "sumSegmentFleetLossEventsSquared",
  "sumSegmentLengthTimesFleetLossEvents",
  "sumSegmentFleetPartitionsLost",
  "sumSegmentFleetPartitionsLostSquared",
  "sumSegmentLengthTimesFleetPartitionsLost",
  "sumSegmentFleetElections",
  "sumSegmentFleetElectionsSquared",
  "sumSegmentLengthTimesFleetElections",
] as const;

/** Slots of a cluster run's statistics (see CLUSTER_FIELDS above for what each holds). */
export const CLUSTER_STATS = recordLayout(CLUSTER_FIELDS);

/**
 * A run's record (run.ts): the cluster statistics (the same slots as {@link CLUSTER_STATS}),
 * then what was measured on that timeline.
 */
export const RUN_RECORD = recordLayout([
  ...CLUSTER_FIELDS,
  /** measure (hours) of publish instants whose message is lost; lossEpisodes: disjoint loss windows */
  "lostMeasure",
  "lossEpisodes",
  /** measure (hours) of delivery instants that are redelivered; duplicateEpisodes: disjoint windows */
  "duplicateMeasure",
  "duplicateEpisodes",
  /** retry sequences sampled, and how many of them failed */
  "retrySequences",
  "retryFailures",
  /** the time the queue took writes (publish instants of accepted records), hours */
  "queueUpHours",
  /** the message path (messagePath.ts): measures of publish instants, hours, and the leader losses behind them */
  "lostConfirmed",
  "lostUnconfirmed",
  "unconfirmedSurvived",
  "singleCopyUnpersisted",
  "singleCopyUnconfirmed",
  "lossEvents",
  "unconfirmedEvents",
  "destroyingEvents",
  /** resend duplicates plus redeliveries (hours of instants), over the queue's up time */
  "messageDuplicateMeasure",
] as const);

/**
 * The four numbers per node j at LEADERSHIP.NODE + LEADERSHIP_NODE.size·j of a
 * {@link LEADERSHIP} record.
 */
export const LEADERSHIP_NODE = recordLayout([
  /** when j's current up period began if j was up just before the loss (else NaN) */
  "upSince",
  /** how the loss hit j: HIT_NONE, HIT_KEEPS_CACHE or HIT_LOSES_UNFLUSHED (cluster.ts) */
  "hit",
  /** 1 when j is a candidate at the election (up then), else 0 */
  "candidate",
  /** when j last went down before the loss (−Infinity: never in the run) */
  "downAt",
] as const);

const LEADERSHIP_HEAD = recordLayout([
  /** the loss */
  "lostAt",
  /** the election that ended it */
  "electedAt",
  /** the node that led until the loss, and the node elected */
  "oldLeader",
  "newLeader",
  /** when the old leader began to lead (an election or a planned hand-over) */
  "tenureStart",
] as const);

/**
 * One record of a cluster run's `leadership` list per unplanned loss of the leader that an
 * election resolved inside the measured window: LEADERSHIP.stride(n) numbers, times from
 * the end of the warm-up — the loss's own fields, then from NODE on, per node, the fields
 * of {@link LEADERSHIP_NODE}.
 */
export const LEADERSHIP = {
  ...LEADERSHIP_HEAD,
  /** where the per-node fields start */
  NODE: LEADERSHIP_HEAD.size,
  /** slot of node j's `field` within a record */
  node: (j: number, field: number): number => LEADERSHIP_HEAD.size + LEADERSHIP_NODE.size * j + field,
  /** numbers in one record of a cluster of `nodes` nodes */
  stride: (nodes: number): number => LEADERSHIP_HEAD.size + LEADERSHIP_NODE.size * nodes,
} as const;

/**
 * One importance-sampling run's record (importance.ts): sums over its cycles (each a
 * double accumulated in cycle order — deterministic for the run's stream), folded into
 * exact totals across runs (ImportanceTotals).
 */
export const IMPORTANCE_RECORD = recordLayout([
  "cycles",
  /** jump-chain transitions simulated (both passes) */
  "transitions",
  /** cycles that lost quorum (under the biased measure) */
  "lossCycles",
  /** quorum losses seen (under the biased measure, unweighted) */
  "losses",
  /** Σ τ, Σ D, Σ X, Σ F, Σ O (weighted by the likelihood ratio) */
  "tau",
  "down",
  "exposure",
  "lossWeight",
  "outages",
  /** second moments of the weighted sums */
  "tau2",
  "down2",
  "downTau",
  "exposure2",
  "lossWeight2",
  "exposureLoss",
  "outages2",
  "outagesTau",
  /** plain Monte Carlo's second moments, E_q[· × L_T] */
  "plainDown2",
  "plainDownTau",
  "plainTau2",
  "plainDownH2",
  "plainTauH2",
  "plainExposure2",
  "plainExposureLoss",
  "plainLoss",
  "plainExposureH2",
  "plainOutages2",
  "plainOutagesTau",
  /** 1 when the run was stopped before its last cycle (Ctrl-C) */
  "stopped",
  /**
   * With failover, as many cycles again under the original measure (no biasing, ratio 1),
   * with the queue's leader: their count, Σ τ, Σ E (time with a quorum but no leader:
   * elections), Σ τ², Σ E², Σ E·τ, Σ h² over the states with an election pending and over
   * all states, and the cycles that saw an election. The queue's unavailability is
   * U + E[E]/E[τ]: the rare part U from the biased cycles, the frequent election part from
   * these, where biasing would only add variance (a measure-specific choice of the
   * sampling measure, as Goyal et al. 1992 §4 advocate).
   */
  "naturalCycles",
  "naturalTau",
  "naturalElect",
  "naturalTau2",
  "naturalElect2",
  "naturalElectTau",
  "naturalElectH2",
  "naturalTauH2",
  "naturalElectionCycles",
] as const);
