/**
 * What the simulator simulates, as plain numbers (hours, per hour). Built from a model
 * by fromModel.ts; nothing here knows about formulas.
 */

export type FailureDistribution = { readonly kind: "exponential" } | { readonly kind: "weibull"; readonly shape: number };
export type RepairDistribution = { readonly kind: "exponential" } | { readonly kind: "lognormal"; readonly sigma: number };

export interface ClusterSimConfig {
  readonly nodes: number;
  /** k: nodes that must be up */
  readonly quorum: number;
  readonly repairCrews: number;
  readonly mtbfHours: number;
  readonly mttrHours: number;
  readonly failure: FailureDistribution;
  readonly repair: RepairDistribution;
  /** simulated and thrown away before each run's measured window (see cluster.ts) */
  readonly warmupHours: number;
  /** common-cause events that take every node down (0: none) */
  readonly commonCauseRatePerHour: number;
  readonly commonCauseMttrHours: number;
}

export interface DurabilitySimConfig {
  /** replicas holding each acknowledged message */
  readonly replicas: number;
  readonly windowHours: number;
  /** per replica: crashes that lose unflushed data */
  readonly crashRatePerHour: number;
  /** crashes hitting every replica at once */
  readonly correlatedCrashRatePerHour: number;
  /** realistic: a common-cause event of the cluster also destroys every page cache */
  readonly commonCauseDestroysPageCache: boolean;
}

export interface RetrySimConfig {
  /** most attempts per message */
  readonly attempts: number;
  readonly pSuccess: number;
  /** the client's schedule (all 0 and an infinite deadline when the model gives no timing) */
  readonly timeoutHours: number;
  readonly backoffInitialHours: number;
  readonly backoffMultiplier: number;
  readonly backoffMaxHours: number;
  readonly deadlineHours: number;
  /** realistic: an attempt made while the cluster is down fails (time-correlated outages) */
  readonly failDuringOutages: boolean;
  /** retry sequences sampled per run */
  readonly samplesPerRun: number;
}

export interface DuplicateSimConfig {
  /** a delivery is processed for this long before its ack; a failure of the consumer's node inside it redelivers */
  readonly processingHours: number;
  /** crashes of the consumer itself between processing and ack (Poisson; 0: none) */
  readonly consumerCrashRatePerHour: number;
}

export type SimulationMode = "formula" | "realistic";

export interface SimConfig {
  readonly mode: SimulationMode;
  readonly cluster: ClusterSimConfig;
  readonly durability?: DurabilitySimConfig;
  readonly retry?: RetrySimConfig;
  readonly duplicates?: DuplicateSimConfig;
  readonly horizonHours: number;
}
