import type { Probability } from "../formulas/index.js";
import type { MetricId, Threshold } from "../metrics/index.js";

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
  readonly commonCause?: { readonly ratePerHour: number; readonly mttrHours: number };
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
  readonly persistence?: { readonly pUnpersisted: Probability; readonly pFault: Probability };
  readonly ack?: { readonly pUnconfirmed: Probability; readonly pFault: Probability };
  readonly durability?: {
    readonly replicas: number;
    readonly windowHours: number;
    readonly crashRatePerHour: number;
    readonly correlatedCrashRatePerHour: number;
  };
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
