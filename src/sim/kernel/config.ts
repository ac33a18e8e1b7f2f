/**
 * What the simulator simulates, as plain numbers (hours, per hour). Built from a model
 * by run/fromModel.ts; nothing here knows about formulas.
 */

export type FailureDistribution = { readonly kind: "exponential" } | { readonly kind: "weibull"; readonly shape: number };
export type RepairDistribution = { readonly kind: "exponential" } | { readonly kind: "lognormal"; readonly sigma: number };

/** One way a node fails (hardware, process crash, …), competing with the others on an up node. */
export interface FailureModeSim {
  readonly name: string;
  /** mean time to this failure while the node is up */
  readonly mtbfHours: number;
  /** mean time to recover from it */
  readonly mttrHours: number;
  /** waits for one of the shared repair crews (FIFO); false: recovers on its own, in parallel */
  readonly crew: boolean;
  /** destroys the node's unflushed data (loses: unflushed or disk); false: the page cache survives */
  readonly losesUnflushed?: boolean;
  /** destroys the node's replica (loses: disk): a fleet's partition loses that copy while the node is down */
  readonly losesDisk?: boolean;
}

/**
 * A fleet (docs/design.md §3c): many partitions whose replica sets are drawn from the
 * cluster's nodes (the brokers). Who holds what, indexed by broker so that a broker's
 * event touches its own partitions only: broker b's replicas are slots
 * brokerStart[b] … brokerStart[b + 1] − 1 of brokerPartition (the partition) and
 * brokerPosition (the replica's place in the partition's preference order, 0 = preferred
 * leader).
 */
export interface FleetSimConfig {
  readonly partitions: number;
  /** replicas per partition (at most 30: a partition's replicas are bits of an int) */
  readonly replication: number;
  /** a partition is writable while at least this many of its replicas are up */
  readonly minInsync: number;
  readonly brokerStart: Int32Array;
  readonly brokerPartition: Int32Array;
  readonly brokerPosition: Int32Array;
  /** partition p's replicas in preference order: partitionBrokers[p·R … p·R + R − 1] */
  readonly partitionBrokers: Int32Array;
}

export interface ClusterSimConfig {
  readonly nodes: number;
  /** k: nodes that must be up */
  readonly quorum: number;
  /** crews shared by the modes with crew: true */
  readonly repairCrews: number;
  /** the node's failure modes (at least one; `node: {mtbf, mttr}` is one crew mode) */
  readonly modes: readonly FailureModeSim[];
  readonly failure: FailureDistribution;
  readonly repair: RepairDistribution;
  /** simulated and thrown away before each run's measured window (see cluster.ts) */
  readonly warmupHours: number;
  /** common-cause events that take every node down (0: none) */
  readonly commonCauseRatePerHour: number;
  readonly commonCauseMttrHours: number;
  /** the common cause destroys every node's unflushed data (default true: a power event) */
  readonly commonCauseLosesUnflushed?: boolean;
  /** the common cause destroys every replica (loses: disk) while it lasts */
  readonly commonCauseLosesDisk?: boolean;
  /** failure domains: zone of each node, and their outages (absent: no zones) */
  readonly zones?: {
    readonly zoneOfNode: readonly number[];
    readonly count: number;
    readonly outageRatePerHour: number;
    readonly mttrHours: number;
    /** an outage destroys its nodes' unflushed data (default true: an AZ power loss) */
    readonly losesUnflushed?: boolean;
    /** an outage destroys its nodes' replicas (loses: disk) while it lasts */
    readonly losesDisk?: boolean;
  };
  /** rolling restarts, one node at a time (absent: none) */
  readonly maintenance?: {
    readonly everyHours: number;
    readonly durationHours: number;
    /** each round a release, bad with probability p: its restarted nodes stay down until the rollback (absent: none) */
    readonly badRelease?: { readonly p: number; readonly detectHours: number; readonly rollbackHours: number };
  };
  /** leader election after an unplanned failure of the leader's node (absent: no queue leader modelled) */
  readonly failover?: {
    readonly meanHours: number;
    /** exponential (the formula's assumption) or a fixed delay (realistic) */
    readonly fixed: boolean;
  };
  /**
   * the queue's in-sync set (messages.isr; needs failover; docs/model-files.md "The in-sync
   * set"): while a leader is elected each up follower in sync falls out at `shrinkPerHour`
   * and one out of sync is back in after an exponential time of mean `recoverHours` (a
   * node back from down starts out of sync); without a leader the set is frozen. An
   * election takes an up member of the set; with `unclean`, when none is up, any up node.
   * `gateWrites` (ack: all): the queue takes writes only while `quorum` in-sync replicas
   * (the leader included) are up.
   */
  readonly isr?: {
    readonly shrinkPerHour: number;
    readonly recoverHours: number;
    readonly unclean: boolean;
    readonly gateWrites: boolean;
  };
  /** many partitions over the nodes (absent: the cluster is one replica set) */
  readonly fleet?: FleetSimConfig;
  /**
   * the control plane (docs/design.md §3e; needs failover): its own nodes, each failing in
   * competing modes and recovering by itself — exponential times in both modes —; no
   * election is held while fewer than `quorum` of them are up
   */
  readonly controller?: {
    readonly nodes: number;
    readonly quorum: number;
    readonly modes: readonly { readonly ratePerHour: number; readonly mttrHours: number }[];
  };
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

/**
 * The message path (messagePath.ts): records written on the leader, copied to each follower
 * after an exponential lag, made durable by the fsync policy, confirmed per the ack policy.
 */
export interface MessagesSimConfig {
  /** leader: confirmed on the leader's write, the successor is any in-sync follower; quorum/all: confirmed once copied, the successor holds every confirmed record */
  readonly ack: "leader" | "quorum" | "all";
  /** replicas (the leader included) that must hold a record for ack: quorum */
  readonly quorum: number;
  readonly lagHours: number;
  readonly fsync: "always" | "interval" | "os";
  /** fsync: os — page-cache writeback delay; fsync: interval — the timer's period */
  readonly windowHours: number;
  /** the publisher resends what is not confirmed, and the broker keeps the resend (no idempotence) */
  readonly resendDuplicates: boolean;
  /** ack: all with the in-sync set: a record published while fewer than `quorum` replicas were in sync was refused (absent: false) */
  readonly refusedBelowQuorum?: boolean;
}

export type SimulationMode = "formula" | "realistic";

export interface SimConfig {
  readonly mode: SimulationMode;
  readonly cluster: ClusterSimConfig;
  readonly durability?: DurabilitySimConfig;
  readonly messages?: MessagesSimConfig;
  readonly retry?: RetrySimConfig;
  readonly duplicates?: DuplicateSimConfig;
  readonly horizonHours: number;
}
