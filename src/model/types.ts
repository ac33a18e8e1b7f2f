import type { Probability } from "../formulas/index.js";
import type { MetricId, Threshold } from "../metrics/index.js";
import type { RegionsModel } from "./regions.js";

/** A place in a model file, for messages and annotations. */
export interface Place {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly path: string;
}

export interface NodeModel {
  /** steady-state availability of one node, with its exact complement */
  readonly availability: Probability;
  /** given when the node is described by mtbf + mttr (needed by the Markov model and the simulator) */
  readonly mtbfHours?: number;
  readonly mttrHours?: number;
}

export interface ClusterModel {
  readonly nodes: number;
  /** k: nodes that must be up */
  readonly quorum: number;
  readonly node: NodeModel;
  /** default: nodes (independent repair) */
  readonly repairCrews: number;
  /** `loses`: what the event destroys on every node (default unflushed: a power event) */
  readonly commonCause?: { readonly ratePerHour: number; readonly mttrHours: number; readonly loses: FailureLoss };
  /**
   * How a node goes down (docs/design.md §3a): `node.failures`, or `node: {mtbf, mttr}` as one
   * mode named "node" with crew: true. Absent when the node is given as an availability.
   */
  readonly failureModes?: readonly FailureModeModel[];
  /** failure domains (availability zones, racks) */
  readonly zones?: ZonesModel;
  /** rolling restarts, one node at a time; each round a release, bad with probability badRelease.p */
  readonly maintenance?: { readonly everyHours: number; readonly durationHours: number; readonly badRelease?: BadReleaseModel };
  /** leader election after an unplanned failure of the leader's node */
  readonly failover?: { readonly timeHours: number };
  /** the control plane: no leader election while it has no quorum (docs/design.md §3e) */
  readonly controller?: ControllerModel;
}

/** The controller quorum: its own crew-free nodes, independent of the brokers. */
export interface ControllerModel {
  readonly nodes: number;
  /** controller nodes that must be up for an election */
  readonly quorum: number;
  /** competing modes of one controller node; each recovers by itself */
  readonly modes: readonly { readonly name: string; readonly ratePerHour: number; readonly mttrHours: number }[];
}

/**
 * Change-induced failures (docs/design.md §3e; the semantics in formulas/maintenance.ts):
 * a round's release is bad with probability p; every node it restarts stays down
 * (broken) until `rollbackHours` after the detection, `detectHours` after the end of the
 * round's first slot, which stops the round.
 */
export interface BadReleaseModel {
  readonly p: number;
  readonly detectHours: number;
  readonly rollbackHours: number;
}

/** What a failure destroys: nothing (process crash), the unflushed page cache, or the replica's disk. */
export type FailureLoss = "nothing" | "unflushed" | "disk";

export interface FailureModeModel {
  /** the mode's key in `node.failures` ("node" for node: {mtbf, mttr}) */
  readonly name: string;
  /** failures per hour of one up node (1 / mtbf) */
  readonly ratePerHour: number;
  readonly mttrHours: number;
  /** waits for one of the shared repair crews (FIFO); else recovers by itself, in parallel */
  readonly crew: boolean;
  /** default: "unflushed" for crew modes (hardware, OS), "nothing" for crew-free ones (process restarts) */
  readonly loses: FailureLoss;
}

export interface ZonesModel {
  /** nodes per zone */
  readonly placement: readonly number[];
  /** zone (0-based) of each node, in node order: blocks for `placement`, round-robin for `count` */
  readonly zoneOfNode: readonly number[];
  /** how the placement was given */
  readonly given: "placement" | "count";
  /** each zone's outages; absent: zones never fail (the placement is still checked) */
  /** `loses`: what an outage destroys on the zone's nodes (default unflushed: an AZ power loss) */
  readonly outage?: { readonly ratePerHour: number; readonly mttrHours: number; readonly loses: FailureLoss };
}

/** How a fleet's replica sets were made: a placement word (with its seed), or an explicit list. */
export type PlacementKind = "kafka" | "random" | "rack_aware" | "copyset" | "explicit";

/**
 * Many partitions over the cluster's nodes, the brokers (docs/design.md §3c). With a fleet,
 * `cluster.nodes` is the broker count and `cluster.node`, failures, zones, maintenance and
 * the common cause describe every broker; `cluster.quorum` is not used (a fleet model may
 * not give it: each partition's is `minInsync`).
 */
export interface FleetModel {
  readonly partitions: number;
  /** R: replicas per partition */
  readonly replication: number;
  /** a partition is writable while at least this many of its replicas are up (default ⌊R/2⌋ + 1) */
  readonly minInsync: number;
  readonly placement: {
    readonly kind: PlacementKind;
    /** the seed the placement drew from (kafka, random, copyset; recorded for the others too) */
    readonly seed: number;
    /** copyset: the scatter width S */
    readonly scatterWidth?: number;
  };
  /**
   * Each partition's replica set, computed at resolve time: broker ids from 0, in
   * preference order (the first is the preferred leader; the leader is the first up).
   */
  readonly replicaSets: readonly (readonly number[])[];
  /**
   * Present when something couples the brokers that the exact sums cannot condition on
   * (a common cause, rolling restarts, crew modes sharing fewer crews than brokers): the
   * fleet's metrics are then only simulated. `why`: "a common cause (cluster.common_cause)
   * couples the brokers"; `place`: the first such field.
   */
  readonly simulatedOnly?: { readonly why: string; readonly place: Place };
  /** how the replica sets spread over the brokers (eval's `fleet.placement`) */
  readonly summary: {
    readonly replicasPerBroker: { readonly min: number; readonly max: number };
    readonly leadersPerBroker: { readonly min: number; readonly max: number };
    readonly distinctReplicaSets: number;
  };
}

/** The message path (docs/design.md §3b), in hours. */
export interface MessagesModel {
  /** when the broker confirms: the leader alone, `quorum` replicas (cluster.quorum), or every in-sync replica */
  readonly ack: "leader" | "quorum" | "all";
  /** mean of the exponential time until a follower holds a record */
  readonly replicationLagHours: number;
  readonly fsync: "always" | "interval" | "os";
  /** fsync: interval — the period of each node's fsync timer */
  readonly fsyncIntervalHours: number;
  /** fsync: os — how long a record stays in the page cache before it is written back */
  readonly writebackHours: number;
  readonly publisher: {
    /** the publisher waits for confirms and resends what is not confirmed */
    readonly confirms: boolean;
    readonly confirmTimeoutHours: number;
    /** the broker drops a resend of a record it already holds (Kafka's idempotent producer) */
    readonly idempotent: boolean;
  };
  /**
   * the in-sync set (docs/model-files.md "The in-sync set"): per follower, the rate at
   * which it falls out while up and in sync, and the mean time it takes to catch up and be
   * back in (absent: every up follower is in sync)
   */
  readonly isr?: { readonly shrinkPerHour: number; readonly recoverHours: number };
  /** with isr: when no in-sync replica is up, an out-of-sync one may lead (default false) */
  readonly uncleanElection: boolean;
}

export interface RetryModel {
  readonly attempts: number;
  readonly pSuccess: Probability;
  /** present when a deadline is given: retry.deadline applies */
  readonly timing?: {
    readonly timeoutHours: number;
    readonly backoffInitialHours: number;
    readonly backoffMultiplier: number;
    readonly backoffMaxHours: number;
    readonly deadlineHours: number;
  };
}

export interface SloEntry {
  readonly metric: MetricId;
  readonly threshold: Threshold;
  readonly place: Place;
}

/** Something legal but probably not meant: a plain number read as hours or per hour. */
export interface ModelWarning {
  readonly place: Place;
  /** one line, without the place */
  readonly message: string;
}

/** A model file after validation: every value evaluated, in hours / per hour, defaults filled. */
export interface Model {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly cluster: ClusterModel;
  /** many partitions over the brokers (docs/design.md §3c); `cluster.nodes` is then the broker count */
  readonly fleet?: FleetModel;
  /** several sites, each a cluster, serving one service (docs/design.md §3d); `cluster` is the default site cluster */
  readonly regions?: RegionsModel;
  readonly persistence?: { readonly pUnpersisted: Probability; readonly pFault: Probability };
  readonly ack?: { readonly pUnconfirmed: Probability; readonly pFault: Probability };
  readonly durability?: {
    readonly replicas: number;
    readonly windowHours: number;
    readonly crashRatePerHour: number;
    readonly correlatedCrashRatePerHour: number;
  };
  readonly messages?: MessagesModel;
  readonly retry?: RetryModel;
  readonly traffic?: { readonly ratePerHour: number; readonly processingHours?: number; readonly consumerCrashRatePerHour?: number };
  readonly slo: readonly SloEntry[];
  /** plain numbers read as hours or per hour (errors instead with `strictUnits`) */
  readonly warnings: readonly ModelWarning[];
  readonly simulation: {
    readonly horizonHours?: number;
    readonly runs?: number;
    readonly seed?: number;
    readonly failure?: { readonly distribution: "exponential" } | { readonly distribution: "weibull"; readonly shape: number };
    readonly repair?: { readonly distribution: "exponential" } | { readonly distribution: "lognormal"; readonly sigma: number };
    readonly retrySamples?: number;
  };
}
