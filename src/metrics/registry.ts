/**
 * The metric registry: every metric mqrel reports (docs/design.md §3), with everything each
 * layer needs to know about it — what kind of number it is, its unit, the model block it
 * comes from, where it is shown, which way is better, whether comparisons and SLOs work
 * on its small complement, the SLO grammar it accepts, and why it is not simulated or
 * has no formula. This is the only place where metric ids are written out; every other
 * layer (model, sim, validate, slo, report) takes them from here.
 *
 * Imports nothing of mqrel's.
 */

/** Metric ids, in display order. */
export const METRIC_IDS = [
  "node.availability",
  "cluster.availability",
  "cluster.downtime_per_year",
  "cluster.mttf",
  "cluster.outages_per_year",
  "queue.availability",
  "persistence.reliability",
  "ack.reliability",
  "message.loss",
  "message.duplicates",
  "retry.success",
  "fleet.availability",
  "fleet.partition_availability",
  "fleet.partitions_unavailable",
  "fleet.loss_events_per_year",
  "fleet.partitions_lost_per_year",
  "fleet.elections_per_year",
  "service.availability",
  "regions.failovers_per_year",
  "regions.loss",
] as const;

export type MetricId = (typeof METRIC_IDS)[number];

/**
 * Named handles for the code, so that no other file spells an id out:
 * `METRIC.clusterAvailability` is "cluster.availability".
 */
export const METRIC = {
  nodeAvailability: "node.availability",
  clusterAvailability: "cluster.availability",
  clusterDowntimePerYear: "cluster.downtime_per_year",
  clusterMttf: "cluster.mttf",
  clusterOutagesPerYear: "cluster.outages_per_year",
  queueAvailability: "queue.availability",
  persistenceReliability: "persistence.reliability",
  ackReliability: "ack.reliability",
  messageLoss: "message.loss",
  messageDuplicates: "message.duplicates",
  retrySuccess: "retry.success",
  fleetAvailability: "fleet.availability",
  fleetPartitionAvailability: "fleet.partition_availability",
  fleetPartitionsUnavailable: "fleet.partitions_unavailable",
  fleetLossEventsPerYear: "fleet.loss_events_per_year",
  fleetPartitionsLostPerYear: "fleet.partitions_lost_per_year",
  fleetElectionsPerYear: "fleet.elections_per_year",
  serviceAvailability: "service.availability",
  regionsFailoversPerYear: "regions.failovers_per_year",
  regionsLoss: "regions.loss",
} as const satisfies Record<string, MetricId>;

/** What kind of number a metric is. */
export type MetricKind = "probability" | "duration" | "rate" | "count";

/**
 * The unit of a metric's value: probabilities are plain, durations in hours, rates per
 * year, counts in what they count (`partitions`: a time-average number of partitions).
 */
export type MetricUnit = "probability" | "hours" | "per year" | "partitions";

/**
 * How an SLO threshold on the metric reads (see src/metrics/threshold.ts):
 * - `availability-like`: "N nines" or a probability; near 1, compared through the complement
 * - `probability`: a probability (loss, duplicates)
 * - `duration`: a time with units, a plain number is hours
 * - `rate-per-year`: a rate with units ("2 / year"), a plain number is per year
 * - `count`: a plain number ≥ 0 (fleet.partitions_unavailable: "<= 0.01")
 */
export type SloGrammar = "availability-like" | "probability" | "duration" | "rate-per-year" | "count";

/** The model block a metric is computed from (a metric exists when its block does). */
export type ModelBlock = "cluster" | "persistence" | "ack" | "durability" | "messages" | "retry" | "traffic" | "fleet" | "regions";

export interface MetricSpec {
  readonly id: MetricId;
  /** a few words for sentences: "cluster availability" */
  readonly title: string;
  readonly kind: MetricKind;
  readonly unit: MetricUnit;
  readonly block: ModelBlock;
  /** another block the metric is computed from as well (the message path derives it) */
  readonly orBlock?: ModelBlock;
  /**
   * a field inside the block the metric also needs (a path in the model file), with why;
   * `orPath`: another field that does as well
   */
  readonly needs?: { readonly path: readonly string[]; readonly orPath?: readonly string[]; readonly why: string };
  /** is a larger value better (availability, MTTF) or worse (loss, downtime)? */
  readonly better: "higher" | "lower";
  /**
   * Compared, judged and SLO-checked through its complement (unavailability, failure
   * probability), which is small and exact where the value is rounded near 1.
   */
  readonly onComplement: boolean;
  /** the complement's name, for probability metrics */
  readonly complementName?: string;
  /** shown as nines (−log10 of the complement) */
  readonly nines: boolean;
  readonly slo: SloGrammar;
  /** why the simulator does not estimate it (absent: it does) */
  readonly notSimulated?: string;
  /** why no closed form gives it (absent: the catalog does) */
  readonly noFormula?: string;
}

const availabilityLike = {
  kind: "probability",
  unit: "probability",
  better: "higher",
  onComplement: true,
  nines: true,
  slo: "availability-like",
} as const;

/** Why the region metrics have no simulated estimate yet. */
const REGIONS_NOT_SIMULATED = "the simulator has no regions yet (sites, failover, cross-region copy: later work)";

const SPECS: readonly MetricSpec[] = [
  {
    id: METRIC.nodeAvailability,
    title: "node availability",
    ...availabilityLike,
    block: "cluster",
    complementName: "unavailability",
    notSimulated: "a single node's availability is the model's input",
  },
  {
    id: METRIC.clusterAvailability,
    title: "cluster availability",
    ...availabilityLike,
    block: "cluster",
    complementName: "unavailability",
  },
  {
    id: METRIC.clusterDowntimePerYear,
    title: "downtime per year",
    kind: "duration",
    unit: "hours",
    block: "cluster",
    better: "lower",
    onComplement: false,
    nines: false,
    slo: "duration",
  },
  {
    id: METRIC.clusterMttf,
    title: "mean time to losing quorum",
    kind: "duration",
    unit: "hours",
    block: "cluster",
    needs: {
      path: ["cluster", "node", "mtbf"],
      orPath: ["cluster", "node", "failures"],
      why: "cluster.mttf needs cluster.node.mtbf and cluster.node.mttr, or cluster.node.failures",
    },
    better: "higher",
    onComplement: false,
    nines: false,
    slo: "duration",
  },
  {
    id: METRIC.clusterOutagesPerYear,
    title: "quorum losses per year",
    kind: "rate",
    unit: "per year",
    block: "cluster",
    needs: {
      path: ["cluster", "node", "mtbf"],
      orPath: ["cluster", "node", "failures"],
      why: "cluster.outages_per_year needs cluster.node.mtbf and cluster.node.mttr, or cluster.node.failures",
    },
    better: "lower",
    onComplement: false,
    nines: false,
    slo: "rate-per-year",
  },
  {
    id: METRIC.queueAvailability,
    title: "queue availability (quorum up and leader elected)",
    ...availabilityLike,
    block: "cluster",
    needs: { path: ["cluster", "failover"], why: "queue.availability needs cluster.failover (the leader election time)" },
    complementName: "unavailability",
  },
  {
    id: METRIC.persistenceReliability,
    title: "persistence reliability",
    ...availabilityLike,
    block: "persistence",
    orBlock: "messages",
    complementName: "loss probability",
    notSimulated: "the article's persistence formula given bare probabilities has no mechanics to simulate: give messages: to derive them",
  },
  {
    id: METRIC.ackReliability,
    title: "acknowledgement reliability",
    ...availabilityLike,
    block: "ack",
    orBlock: "messages",
    complementName: "loss probability",
    notSimulated: "the article's ack formula given bare probabilities has no mechanics to simulate: give messages: to derive them",
  },
  {
    id: METRIC.messageLoss,
    title: "message loss probability",
    kind: "probability",
    unit: "probability",
    block: "durability",
    orBlock: "messages",
    better: "lower",
    onComplement: false,
    complementName: "survival probability",
    nines: false,
    slo: "probability",
  },
  {
    id: METRIC.messageDuplicates,
    title: "redelivered share of messages",
    kind: "probability",
    unit: "probability",
    block: "traffic",
    orBlock: "messages",
    better: "lower",
    onComplement: false,
    complementName: "delivered once",
    nines: false,
    slo: "probability",
  },
  {
    id: METRIC.retrySuccess,
    title: "retry success",
    ...availabilityLike,
    block: "retry",
    complementName: "failure probability",
  },
  // Fleets: many partitions over many brokers (`fleet:`, docs/design.md §3).
  {
    id: METRIC.fleetAvailability,
    title: "fleet availability (every partition writable)",
    ...availabilityLike,
    block: "fleet",
    complementName: "unavailability",
  },
  {
    id: METRIC.fleetPartitionAvailability,
    title: "partition availability (time-average share of partitions writable)",
    ...availabilityLike,
    block: "fleet",
    complementName: "unavailability",
  },
  {
    id: METRIC.fleetPartitionsUnavailable,
    title: "partitions not writable (time average)",
    kind: "count",
    unit: "partitions",
    block: "fleet",
    better: "lower",
    onComplement: false,
    nines: false,
    slo: "count",
  },
  {
    id: METRIC.fleetLossEventsPerYear,
    title: "failures that lose a partition, per year",
    kind: "rate",
    unit: "per year",
    block: "fleet",
    better: "lower",
    onComplement: false,
    nines: false,
    slo: "rate-per-year",
  },
  {
    id: METRIC.fleetPartitionsLostPerYear,
    title: "partitions lost per year",
    kind: "rate",
    unit: "per year",
    block: "fleet",
    better: "lower",
    onComplement: false,
    nines: false,
    slo: "rate-per-year",
  },
  {
    id: METRIC.fleetElectionsPerYear,
    title: "leader elections per year (per partition)",
    kind: "rate",
    unit: "per year",
    block: "fleet",
    better: "lower",
    onComplement: false,
    nines: false,
    slo: "rate-per-year",
  },
  // Regions: several sites, each a cluster, serving one service (`regions:`, docs/design.md §3d).
  {
    id: METRIC.serviceAvailability,
    title: "service availability (active site available, no switch under way)",
    ...availabilityLike,
    block: "regions",
    complementName: "unavailability",
    notSimulated: REGIONS_NOT_SIMULATED,
  },
  {
    id: METRIC.regionsFailoversPerYear,
    title: "failovers between sites per year",
    kind: "rate",
    unit: "per year",
    block: "regions",
    better: "lower",
    onComplement: false,
    nines: false,
    slo: "rate-per-year",
    notSimulated: REGIONS_NOT_SIMULATED,
  },
  {
    id: METRIC.regionsLoss,
    title: "share of confirmed records lost at failovers",
    kind: "probability",
    unit: "probability",
    block: "regions",
    better: "lower",
    onComplement: false,
    complementName: "survival probability",
    nines: false,
    slo: "probability",
    notSimulated: REGIONS_NOT_SIMULATED,
  },
];

const BY_ID: ReadonlyMap<string, MetricSpec> = new Map(SPECS.map((spec) => [spec.id, spec]));

/** The registry entry of a metric. */
export function metricSpec(id: MetricId): MetricSpec {
  return BY_ID.get(id) as MetricSpec;
}

/** Is this text a metric id? (for ids read from user files) */
export function isMetricId(text: string): text is MetricId {
  return BY_ID.has(text);
}

/** Display position of a metric (its index in {@link METRIC_IDS}). */
export function metricOrder(id: MetricId): number {
  return METRIC_IDS.indexOf(id);
}

/** Sort metric-keyed entries into display order. */
export function inDisplayOrder<T>(entries: Iterable<readonly [MetricId, T]>): [MetricId, T][] {
  return [...entries].sort(([a], [b]) => metricOrder(a) - metricOrder(b)) as [MetricId, T][];
}
