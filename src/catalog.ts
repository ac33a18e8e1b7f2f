/**
 * The formula registry: every formula mqrel knows, with its id (DESIGN.md §2, fixed),
 * math, parameters, assumptions and source, and the glue from resolved parameters to
 * the pure functions in src/formulas. `mqrel formulas` prints this; `mqrel formula`
 * and the model evaluator compute through it.
 */

import { InputError } from "./errors.js";
import { HOURS_PER_YEAR } from "./expr/units.js";
import {
  ackReliability,
  type ChainSolveOptions,
  type ClusterChainParams,
  type ClusterChainResult,
  clusterChain,
  competingModesAvailability,
  complementOf,
  kofnAvailability,
  leaderAckLoss,
  MAX_ATTEMPTS,
  MAX_NODES,
  type MessagePathParams,
  maintenanceAvailability,
  messagePathOutcomes,
  nodeAvailability,
  type Probability,
  parallelAvailability,
  parallelFaultTolerance,
  persistenceReliability,
  quorumChain,
  redeliveryShare,
  replicatedDurability,
  retryFaultTolerance,
  retryWithinDeadline,
  seriesAvailability,
  zonedKofnAvailability,
} from "./formulas/index.js";
import { downtimeHoursPerYear, nines } from "./metrics/nines.js";

export type ParamKind = "probability" | "probabilities" | "count" | "counts" | "time" | "rate" | "rates" | "number";

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  readonly meaning: string;
  /** expression used when the parameter is not given; absent: required (unless `optional`) */
  readonly default?: string;
  /** may be left out without a default (one of several alternatives) */
  readonly optional?: boolean;
  /** counts: the smallest allowed value */
  readonly min?: number;
  /** counts: the largest allowed value (default 2^53 − 1) */
  readonly max?: number;
  /** times: may be 0 */
  readonly allowZero?: boolean;
}

/** A parameter after evaluation: probabilities keep their exact complements. */
export type ParamValue = number | Probability | readonly Probability[] | readonly number[];
export type ResolvedParams = ReadonlyMap<string, ParamValue>;

/** What a formula's value is a probability *of*, which decides how it is shown. */
export type ValueKind = "availability" | "reliability" | "loss";

export interface FormulaResult extends Probability {
  /** −log10(unavailability), for availabilities */
  readonly nines?: number;
  /** unavailability × one year, hours, for availabilities */
  readonly downtimePerYearHours?: number;
  /** mean time to losing quorum from all-up, hours (availability.ctmc) */
  readonly mttf?: number;
  /** quorum losses per hour (the chain formulas) */
  readonly outagesPerHour?: number;
  /** P(quorum up and leader elected), with failover */
  readonly queue?: Probability;
  /** how the value was computed, when a formula has more than one way */
  readonly method?: string;
  /** further figures worth showing (attempts made, the article's claim, …) */
  readonly details?: Readonly<Record<string, number | readonly number[]>>;
}

export interface FormulaEntry {
  readonly id: string;
  readonly title: string;
  readonly kind: ValueKind;
  /** names of the value and its complement, e.g. availability / unavailability */
  readonly valueName: string;
  readonly complementName: string;
  readonly math: string;
  readonly params: readonly ParamSpec[];
  readonly assumptions: readonly string[];
  readonly source: string;
  /** for the article's formulas: its own wording and our reading of it */
  readonly article?: { readonly wording: string; readonly reading: string };
  /** `options.cache`: process chains solved before, for the chain formulas (owned by the caller) */
  readonly compute: (params: ResolvedParams, options?: ChainSolveOptions) => FormulaResult;
}

export const ARTICLE = 'message-queue-ha article (see docs/sources.md, "The article")';

/** An availability with the figures people read it by: nines and downtime per year. */
function asAvailability({ value, complement }: Probability): FormulaResult {
  return { value, complement, nines: nines(complement), downtimePerYearHours: downtimeHoursPerYear(complement) };
}

function get<T extends ParamValue>(params: ResolvedParams, name: string): T {
  const value = params.get(name);
  if (value === undefined) throw new InputError(`missing parameter`, { path: name });
  return value as T;
}

function list(params: ResolvedParams, name: string): readonly Probability[] {
  const value = params.get(name);
  if (value === undefined) throw new InputError(`missing parameter`, { path: name });
  return Array.isArray(value) ? (value as readonly Probability[]) : [value as Probability];
}

/** Node availabilities for k-of-n and series: from `a` or from `u` (complements), never both. */
function availabilities(params: ResolvedParams, count?: number): readonly Probability[] {
  const hasA = params.has("a");
  const hasU = params.has("u");
  if (hasA === hasU) {
    throw new InputError(hasA ? "give a or u, not both" : "give a (availabilities) or u (unavailabilities)", { path: "a" });
  }
  const values = hasA ? list(params, "a") : list(params, "u").map(complementOf);
  if (count === undefined || values.length === count) return values;
  if (values.length === 1) return Array.from({ length: count }, () => values[0] as Probability);
  throw new InputError(`has ${values.length} entries but n is ${count}; give one value or n values`, {
    path: hasA ? "a" : "u",
  });
}

const p = (name: string, meaning: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name,
  kind: "probability",
  meaning,
  ...extra,
});

// ─── the general cluster chain (DESIGN.md §3a): failure modes, zones, failover, maintenance ───

const CLUSTER_SOURCE =
  "continuous-time Markov chain (Trivedi, Probability and Statistics with Reliability, Queuing, and Computer Science Applications, 2nd ed. 2002, ch. 8–9), solved by GTH state reduction (Grassmann, Taksar & Heyman, Operations Research 33(5), 1985); MTTF by renewal-reward (Ross, Stochastic Processes, 2nd ed. 1996, §3.6)";

const CLUSTER_ASSUMPTIONS = [
  "exponential times to failure and repair in every mode",
  "modes compete on an up node; a down node does not fail again until it is back",
  "crew modes queue first come first served for the shared crews; crew-free modes recover in parallel",
  "a node is up while its process and its zone are up; zones fail independently of the nodes and need no crew",
  "a common cause takes every node down (pending repairs void) and the cluster is restored as a whole",
  "the cluster is up while at least k nodes are up",
];

const MODE_PARAMS: readonly ParamSpec[] = [
  { name: "k", kind: "count", min: 1, meaning: "nodes that must be up" },
  { name: "lambda", kind: "rates", meaning: "failure rate of one up node in each mode (list, one per mode; plain number: per hour)" },
  { name: "mu", kind: "rates", meaning: "repair rate in each mode (list): per crew for crew modes, per node for crew-free ones" },
  {
    name: "crew",
    kind: "counts",
    optional: true,
    meaning: "1 if the mode waits for a repair crew, 0 if the node recovers by itself (list; default all 1)",
  },
  { name: "crews", kind: "count", min: 1, optional: true, meaning: "repair crews shared by the crew modes (default n)" },
  { name: "lambda_cc", kind: "rate", default: "0", meaning: "rate of common-cause events that take every node down" },
  {
    name: "mu_cc",
    kind: "rate",
    allowZero: false,
    optional: true,
    meaning: "restore rate after a common-cause event (needed with lambda_cc > 0)",
  },
];

const ZONE_PARAMS: readonly ParamSpec[] = [
  { name: "placement", kind: "counts", meaning: "nodes in each zone (list); n is their sum" },
  { name: "lambda_zone", kind: "rate", default: "0", meaning: "outage rate of each zone" },
  { name: "mu_zone", kind: "rate", allowZero: false, optional: true, meaning: "restore rate of a zone (needed with lambda_zone > 0)" },
];

const N_PARAM: ParamSpec = { name: "n", kind: "count", min: 1, meaning: "nodes" };
const FAILOVER_PARAM: ParamSpec = {
  name: "failover",
  kind: "time",
  allowZero: true,
  meaning: "mean leader election time after an unplanned failure of the leader (plain number: hours)",
};

function numbers(params: ResolvedParams, name: string): readonly number[] | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  return typeof value === "number" ? [value] : (value as readonly number[]);
}

/** The cluster chain's parameters from a formula's --param values. */
function clusterParams(params: ResolvedParams, withZones: boolean): ClusterChainParams {
  const k = get<number>(params, "k");
  const placement = withZones ? numbers(params, "placement") : undefined;
  const n = placement ? placement.reduce((a, b) => a + b, 0) : get<number>(params, "n");
  if (placement?.some((size) => size < 1)) throw new InputError("every zone must hold at least one node", { path: "placement" });
  if (k > n) throw new InputError(`must be at most n = ${n}, got ${k}`, { path: "k" });
  const lambda = numbers(params, "lambda") ?? [];
  const mu = numbers(params, "mu") ?? [];
  const crew = numbers(params, "crew") ?? lambda.map(() => 1);
  if (mu.length !== lambda.length)
    throw new InputError(`needs one repair rate per mode (${lambda.length}), got ${mu.length}`, { path: "mu" });
  if (crew.length !== lambda.length)
    throw new InputError(`needs one 0/1 per mode (${lambda.length}), got ${crew.length}`, { path: "crew" });
  if (crew.some((c) => c !== 0 && c !== 1))
    throw new InputError("expected 1 (waits for a crew) or 0 (recovers by itself) per mode", { path: "crew" });
  mu.forEach((rate) => {
    if (!(rate > 0)) throw new InputError(`repair rates must be > 0, got ${rate}`, { path: "mu" });
  });
  const lambdaCc = get<number>(params, "lambda_cc");
  const muCc = params.get("mu_cc") as number | undefined;
  if (lambdaCc > 0 && muCc === undefined)
    throw new InputError("is needed with lambda_cc > 0 (the restore rate after a common cause)", { path: "mu_cc" });
  const lambdaZone = withZones ? get<number>(params, "lambda_zone") : 0;
  const muZone = params.get("mu_zone") as number | undefined;
  if (lambdaZone > 0 && muZone === undefined)
    throw new InputError("is needed with lambda_zone > 0 (the restore rate of a zone)", { path: "mu_zone" });
  const failover = params.get("failover") as number | undefined;
  return {
    nodes: n,
    quorum: k,
    modes: lambda.map((rate, i) => ({ failureRate: rate, repairRate: mu[i] as number, needsCrew: crew[i] === 1 })),
    ...(params.has("crews") ? { repairCrews: get<number>(params, "crews") } : {}),
    ...(placement ? { zones: { placement, outageRate: lambdaZone, restoreRate: muZone ?? 1 } } : {}),
    ...(lambdaCc > 0 ? { commonCause: { rate: lambdaCc, restoreRate: muCc as number } } : {}),
    ...(failover !== undefined ? { failover: { electionRate: 1 / failover } } : {}),
  };
}

/** A chain result as a formula result; a chain too large becomes bad input, with the limit. */
function chainResult(compute: () => ClusterChainResult, path: string): FormulaResult {
  const result = solving(compute, path);
  return {
    ...asAvailability(result),
    mttf: result.meanTimeToFailure,
    outagesPerHour: result.outageFrequency,
    ...(result.queue ? { queue: result.queue } : {}),
    method: "Markov chain",
    details: {
      outages_per_year: result.outageFrequency * HOURS_PER_YEAR,
      ...(result.queue ? { queue_availability: result.queue.value, queue_unavailability: result.queue.complement } : {}),
      process_states: result.states.process,
      up_states: result.states.up,
    },
  };
}

function solving<T>(compute: () => T, path: string): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RangeError) throw new InputError(error.message, { path });
    throw error;
  }
}

/** Convolution applies when the nodes are independent: no shared crew ever waited for, no common cause. */
function independentNodes(c: ClusterChainParams): boolean {
  const crewModes = c.modes.some((m) => m.needsCrew && m.failureRate > 0);
  return (!crewModes || (c.repairCrews ?? c.nodes) >= c.nodes) && c.commonCause === undefined;
}

function clusterEntries(): FormulaEntry[] {
  const availability = { kind: "availability" as const, valueName: "availability", complementName: "unavailability" };
  return [
    {
      id: "availability.modes",
      title: "k-of-n cluster with failure modes and shared crews (Markov chain)",
      ...availability,
      math: "CTMC: per mode j an up node fails at λ_j; crew modes queue FIFO for `crews` (repair μ_j), crew-free modes recover at μ_j in parallel; common cause → all down, restored at μ_cc; A = Σ_{≥k up} π (sparse GTH); MTTF from all-up; outages = Σ_{s up} π_s·q(s → down)",
      params: [N_PARAM, ...MODE_PARAMS],
      assumptions: CLUSTER_ASSUMPTIONS,
      source: CLUSTER_SOURCE,
      compute: (params, options) => chainResult(() => clusterChain(clusterParams(params, false), options), "n"),
    },
    {
      id: "availability.zones",
      title: "k-of-n cluster over failure zones (exact convolution, or the Markov chain)",
      ...availability,
      math: "independent nodes: P(zone j has c up) = a_z·PB_j(c) + (1 − a_z)·[c = 0], convolved over zones, A = P(≥ k up); shared crews or a common cause: the chain of availability.modes with zones (π = π_process ⊗ π_zones)",
      params: [
        ...ZONE_PARAMS,
        ...MODE_PARAMS.map((spec) => (spec.name === "lambda" || spec.name === "mu" ? { ...spec, optional: true } : spec)),
        {
          name: "a",
          kind: "probabilities",
          optional: true,
          meaning: "or a node's availability (one, or one per node), instead of lambda and mu",
        },
      ],
      assumptions: [...CLUSTER_ASSUMPTIONS, "convolution: the nodes are independent (every node can be repaired at once, no common cause)"],
      source: `${CLUSTER_SOURCE}; convolution over zones: Barlow & Proschan (1975), ch. 2, with Barlow & Heidtmann, IEEE Trans. Reliability R-33 (1984)`,
      compute: (params, options) => {
        const placement = numbers(params, "placement") ?? [];
        if (!params.has("lambda")) {
          if (!params.has("a")) throw new InputError("give lambda and mu (rates per mode), or a (node availability)", { path: "lambda" });
          const k = get<number>(params, "k");
          const n = placement.reduce((x, y) => x + y, 0);
          if (k > n) throw new InputError(`must be at most n = ${n}, got ${k}`, { path: "k" });
          const nodes = availabilities(params, n);
          const lambdaZone = get<number>(params, "lambda_zone");
          const muZone = (params.get("mu_zone") as number | undefined) ?? 1;
          const zone = { value: muZone / (lambdaZone + muZone), complement: lambdaZone / (lambdaZone + muZone) };
          const starts = placement.map((_, z) => placement.slice(0, z).reduce((x, y) => x + y, 0));
          const zones = placement.map((size, z) => nodes.slice(starts[z], (starts[z] as number) + size));
          const result = solving(
            () =>
              zonedKofnAvailability(
                k,
                zones,
                zones.map(() => zone),
              ),
            "placement",
          );
          return { ...asAvailability(result), method: "convolution" };
        }
        const cluster = clusterParams(params, true);
        const chain = chainResult(() => clusterChain(cluster, options), "placement");
        if (!independentNodes(cluster)) return chain;
        const node = competingModesAvailability(cluster.modes);
        const zone = cluster.zones as NonNullable<ClusterChainParams["zones"]>;
        const total = zone.outageRate + zone.restoreRate;
        const zoneUp = { value: zone.restoreRate / total, complement: zone.outageRate / total };
        const result = zonedKofnAvailability(
          cluster.quorum,
          zone.placement.map((size) => new Array<Probability>(size).fill(node)),
          zone.placement.map(() => zoneUp),
        );
        return {
          ...chain,
          ...asAvailability(result),
          method: "convolution (availability); Markov chain (MTTF, outages)",
          details: { ...chain.details, chain_unavailability: chain.complement },
        };
      },
    },
    {
      id: "availability.queue",
      title: "Queue availability with leader failover (quorum up and leader elected)",
      ...availability,
      math: "the chain of availability.modes (with zones if placement is given) plus the leader: an unplanned loss of m of the u up nodes takes the leader with probability m/u (a common cause or a quorum loss always); elected again at rate 1/failover while a quorum is up; A_queue = P(quorum up and leader elected)",
      params: [
        { ...N_PARAM, optional: true, meaning: "nodes (or give placement)" },
        ...MODE_PARAMS,
        ...ZONE_PARAMS.map((spec) => ({ ...spec, optional: true })),
        FAILOVER_PARAM,
      ],
      assumptions: [
        ...CLUSTER_ASSUMPTIONS,
        "the queue's leader is equally likely on each up node at every moment (leadership spread over the up nodes)",
        "the election time is exponential with mean `failover`; a loss of quorum loses the leader, and an election follows once the quorum is back",
        "a planned restart hands leadership over first (no election)",
      ],
      source: `${CLUSTER_SOURCE}; the leader by aggregating the down states with their exact stationary exit flows (Meyer, SIAM Review 31, 1989)`,
      compute: (params, options) => {
        const zoned = params.has("placement");
        if (!zoned && !params.has("n")) throw new InputError("give n (nodes) or placement (nodes per zone)", { path: "n" });
        const result = chainResult(() => clusterChain(clusterParams(params, zoned), options), "failover");
        const queue = result.queue as Probability;
        return {
          ...asAvailability(queue),
          mttf: result.mttf as number,
          outagesPerHour: result.outagesPerHour as number,
          queue,
          method: "Markov chain",
          details: { ...result.details, cluster_availability: result.value, cluster_unavailability: result.complement },
        };
      },
    },
    {
      id: "availability.maintenance",
      title: "Cluster availability under rolling restarts (phase mixture over the schedule)",
      ...availability,
      math: "per round: down time = ∫_window U(t) dt (the n restart slots evolved by uniformization from the steady state, one up node held down per slot) + (every − n·duration)·U_π + y·U (relaxation, y·Q = π − p_end); U = down time / every",
      params: [
        { ...N_PARAM, optional: true, meaning: "nodes (or give placement)" },
        ...MODE_PARAMS,
        ...ZONE_PARAMS.map((spec) => ({ ...spec, optional: true })),
        { ...FAILOVER_PARAM, optional: true },
        { name: "every", kind: "time", meaning: "time between the starts of two rounds of rolling restarts (plain number: hours)" },
        { name: "duration", kind: "time", meaning: "how long one node is down for its restart (plain number: hours)" },
        {
          name: "order",
          kind: "counts",
          optional: true,
          min: 1,
          meaning: "zone (1-based) of the node restarted in each slot, in order (default: zone by zone)",
        },
      ],
      assumptions: [
        ...CLUSTER_ASSUMPTIONS,
        "every `every` the nodes restart one at a time, back to back, each down for `duration`; a node whose process is down (or a common cause) is skipped; a node in a zone that is out is still restarted",
        "a planned restart hands leadership over first (no election)",
        "each round starts in steady state (every ≫ the time the chain takes to relax); the error estimate says by how much this matters",
      ],
      source:
        "uniformization: Grassmann, Computers & Operations Research 4 (1977); Reibman & Trivedi, Computers & Operations Research 15 (1988); the relaxation by the fundamental matrix (Kemeny & Snell, Finite Markov Chains, 1960); the cluster chain as in availability.modes",
      compute: (params, options) => {
        const zoned = params.has("placement");
        if (!zoned && !params.has("n")) throw new InputError("give n (nodes) or placement (nodes per zone)", { path: "n" });
        const cluster = clusterParams(params, zoned);
        const order = numbers(params, "order")?.map((z) => z - 1);
        const result = solving(
          () =>
            maintenanceAvailability(
              {
                ...cluster,
                everyHours: get(params, "every"),
                durationHours: get(params, "duration"),
                ...(order ? { restartOrder: order } : {}),
              },
              options,
            ),
          "every",
        );
        return {
          ...asAvailability(result),
          outagesPerHour: result.outageFrequency,
          ...(result.queue ? { queue: result.queue } : {}),
          method: `phase mixture${result.queueMethod === "approximation" ? "; queue: approximation (election too fast to evolve)" : ""}`,
          details: {
            outages_per_year: result.outageFrequency * HOURS_PER_YEAR,
            mean_up_time_hours: result.meanUpTime,
            ...(result.queue ? { queue_availability: result.queue.value, queue_unavailability: result.queue.complement } : {}),
            steady_unavailability: result.steady.complement,
            added_unavailability: result.addedUnavailability,
            relaxation_unavailability: result.relaxation,
            error_estimate: result.errorEstimate,
            window_states: result.work.windowStates,
            uniformization_steps: result.work.steps,
          },
        };
      },
    },
  ];
}

// ─── the message path (DESIGN.md §3b) ───

const MESSAGE_PATH_SOURCE =
  "mqrel README \"The message path\": first-failover analysis of the simulator's mechanics; Kafka replication design (ISR, acks; docs/sources.md), Raft's election restriction (Ongaro & Ousterhout, USENIX ATC 2014, §5.4.1), page-cache writeback and NATS sync_interval (docs/sources.md)";

const MESSAGE_PATH_PARAMS: readonly ParamSpec[] = [
  { name: "n", kind: "count", min: 1, max: 16, meaning: "replicas of the queue (nodes)" },
  { name: "k", kind: "count", min: 1, max: 16, meaning: "nodes an election needs (the quorum)" },
  {
    name: "acks",
    kind: "count",
    min: 1,
    max: 16,
    meaning:
      "replicas holding a record when it is confirmed: 1 = the leader alone (acks=1; any in-sync follower succeeds it), ≥ 2 = the successor holds every confirmed record",
  },
  { name: "lag", kind: "time", meaning: "mean replication lag (exponential; plain number: hours)" },
  {
    name: "window",
    kind: "time",
    allowZero: true,
    default: "0",
    meaning: "fsync os: the page-cache writeback window (0 with interval or always)",
  },
  {
    name: "interval",
    kind: "time",
    allowZero: true,
    default: "0",
    meaning: "fsync interval: the fsync timer's period (0: not this policy)",
  },
  { name: "lambda", kind: "rates", meaning: "failure rate of the leader's node in each mode (list)" },
  { name: "mu", kind: "rates", meaning: "recovery rate in each mode (list): is the old leader back before the election" },
  {
    name: "loses",
    kind: "counts",
    meaning: "per mode, 1 if it destroys unflushed data (OS crash, power, disk), 0 if the page cache survives (list)",
  },
  { name: "failover", kind: "time", allowZero: true, meaning: "mean election time (exponential)" },
  { name: "placement", kind: "counts", optional: true, meaning: "nodes in each zone (list; sums to n)" },
  { name: "lambda_zone", kind: "rate", default: "0", meaning: "outage rate of each zone" },
  { name: "mu_zone", kind: "rate", allowZero: false, optional: true, meaning: "restore rate of a zone (needed with lambda_zone > 0)" },
  {
    name: "zone_loses",
    kind: "count",
    min: 0,
    max: 1,
    default: "1",
    meaning: "1 if a zone outage destroys its nodes' unflushed data (power), 0 if not",
  },
  { name: "lambda_cc", kind: "rate", default: "0", meaning: "rate of common-cause events (every node down at once)" },
  { name: "every", kind: "time", optional: true, meaning: "rolling restarts: a round every this long (with duration)" },
  { name: "duration", kind: "time", optional: true, meaning: "rolling restarts: each node down this long" },
  {
    name: "cc_loses",
    kind: "count",
    min: 0,
    max: 1,
    default: "1",
    meaning: "1 if the common cause destroys unflushed data (power), 0 if not",
  },
];

const MESSAGE_PATH_ASSUMPTIONS = [
  "Poisson failures; exponential recoveries, elections and replication lag",
  "every follower up and in sync when the record is published (their own failures are second order)",
  "a record's fate is decided at the first loss of its leader; planned hand-overs lose nothing",
  "a destroying failure keeps a node's copy only when it was durable: older than the window (os), written before the node's last tick (interval, uniform phase), or at once (always)",
  "acks = 1: the successor is an in-sync follower the loss spared (else a uniformly chosen node); acks ≥ 2: the record survives while any candidate of the election holds it intact",
];

/** The message path's parameters from a formula's --param values. */
function messagePathParams(params: ResolvedParams): MessagePathParams {
  const n = get<number>(params, "n");
  const k = get<number>(params, "k");
  const acks = get<number>(params, "acks");
  if (k > n) throw new InputError(`must be at most n = ${n}, got ${k}`, { path: "k" });
  if (acks > n) throw new InputError(`must be at most n = ${n}, got ${acks}`, { path: "acks" });
  const lambda = numbers(params, "lambda") ?? [];
  const mu = numbers(params, "mu") ?? [];
  const loses = numbers(params, "loses") ?? [];
  if (mu.length !== lambda.length)
    throw new InputError(`needs one recovery rate per mode (${lambda.length}), got ${mu.length}`, { path: "mu" });
  if (loses.length !== lambda.length)
    throw new InputError(`needs one 0/1 per mode (${lambda.length}), got ${loses.length}`, { path: "loses" });
  if (loses.some((l) => l !== 0 && l !== 1)) throw new InputError("expected 1 (destroys unflushed data) or 0 per mode", { path: "loses" });
  mu.forEach((rate) => {
    if (!(rate > 0)) throw new InputError(`recovery rates must be > 0, got ${rate}`, { path: "mu" });
  });
  const window = get<number>(params, "window");
  const interval = get<number>(params, "interval");
  if (window > 0 && interval > 0)
    throw new InputError("give window (fsync os) or interval (fsync interval), not both", { path: "interval" });
  const placement = numbers(params, "placement");
  if (placement && placement.reduce((a, b) => a + b, 0) !== n) {
    throw new InputError(`must add up to n = ${n}`, { path: "placement" });
  }
  if (placement?.some((size) => size < 1)) throw new InputError("every zone must hold at least one node", { path: "placement" });
  const lambdaZone = get<number>(params, "lambda_zone");
  const muZone = params.get("mu_zone") as number | undefined;
  if (placement && lambdaZone > 0 && muZone === undefined) throw new InputError("is needed with lambda_zone > 0", { path: "mu_zone" });
  const lambdaCc = get<number>(params, "lambda_cc");
  return {
    nodes: n,
    quorum: k,
    acks,
    lag: get(params, "lag"),
    fsync: window > 0 ? "os" : interval > 0 ? "interval" : "always",
    window: window > 0 ? window : interval,
    modes: lambda.map((rate, i) => ({ rate, mttr: 1 / (mu[i] as number), losesUnflushed: loses[i] === 1 })),
    failover: get(params, "failover"),
    ...(placement && lambdaZone > 0
      ? { zones: { placement, rate: lambdaZone, mttr: 1 / (muZone as number), losesUnflushed: get<number>(params, "zone_loses") === 1 } }
      : {}),
    ...(lambdaCc > 0 ? { commonCause: { rate: lambdaCc, losesUnflushed: get<number>(params, "cc_loses") === 1 } } : {}),
    ...maintenanceOf(params),
  };
}

/** Rolling restarts from `every` and `duration` (both, or neither). */
function maintenanceOf(params: ResolvedParams): { maintenance?: { every: number; duration: number } } {
  const every = params.get("every") as number | undefined;
  const duration = params.get("duration") as number | undefined;
  if (every === undefined && duration === undefined) return {};
  if (every === undefined || duration === undefined) {
    throw new InputError("rolling restarts need both every and duration", { path: every === undefined ? "every" : "duration" });
  }
  return { maintenance: { every, duration } };
}

function messagePathEntries(): FormulaEntry[] {
  const loss = { kind: "loss" as const, valueName: "loss probability", complementName: "survival probability" };
  return [
    {
      id: "durability.leader_ack",
      title: "Loss of a record confirmed by the leader alone, at the leader's failure (acks=1)",
      ...loss,
      math: "P = λ·lag / (1 + λ·lag), complement 1 / (1 + λ·lag)",
      params: [
        { name: "lambda", kind: "rate", meaning: "failure rate of the leader's node, any failure (plain number: per hour)" },
        { name: "lag", kind: "time", meaning: "mean replication lag (exponential; plain number: hours)" },
      ],
      assumptions: [
        "Poisson failures of the leader's node: a process crash loses the record too (the successor's log wins)",
        "exponential replication lag; the successor is an in-sync follower chosen without regard to its log",
      ],
      source:
        "Kafka ProducerConfig (acks=1: 'should the leader fail immediately after acknowledging the record but before the followers have replicated it then the record will be lost'); Vanlightly, How to lose messages on a Kafka cluster (2018); race of exponentials: Ross, Introduction to Probability Models, 11th ed., §5.2.3",
      compute: (params) => leaderAckLoss(get(params, "lambda"), get(params, "lag")),
    },
    {
      id: "durability.message_path",
      title: "Loss of a confirmed record on the message path (acks, replication lag, fsync, failover)",
      ...loss,
      math: "P = Σ_E r_E ∫_0^∞ e^(−Λx) P(confirmed ∧ lost | E at age x) dx over the leader's losses E (modes, its zone, the common cause), Λ = Σ r_E; lost when the successor (acks=1) or every candidate (acks ≥ 2) lacks an intact copy",
      params: MESSAGE_PATH_PARAMS,
      assumptions: MESSAGE_PATH_ASSUMPTIONS,
      source: MESSAGE_PATH_SOURCE,
      compute: (params) => {
        const result = solving(() => messagePathOutcomes(messagePathParams(params)), "n");
        return {
          ...result.lost,
          method: "first-failover analysis, adaptive Gauss–Kronrod",
          details: {
            lost_unconfirmed: result.lostUnconfirmed,
            unconfirmed_survived: result.unconfirmedSurvived,
            single_copy_unpersisted: result.singleCopyUnpersisted,
            single_copy_unconfirmed: result.singleCopyUnconfirmed,
            leader_losses_per_year: result.leaderLossRate * HOURS_PER_YEAR,
            destroying_faults_per_year: result.destroyingRate * HOURS_PER_YEAR,
          },
        };
      },
    },
    {
      id: "duplicates.redelivery",
      title: "Redelivered share of deliveries (connection lost or consumer crash between delivery and ack)",
      kind: "loss",
      valueName: "redelivered share",
      complementName: "delivered once",
      math: "P = 1 − e^(−λ_c·p)·(1 − a·(1 − e^(−Λ·p)))",
      params: [
        { name: "rate", kind: "rate", meaning: "Λ: failures of the consumer's broker node (or the queue's leader) while it serves" },
        p("a", "share of the time that broker is up to serve (1 for the queue's leader)", { default: "1" }),
        { name: "consumer_crash_rate", kind: "rate", default: "0", meaning: "λ_c: crashes of the consumer itself" },
        { name: "processing_time", kind: "time", meaning: "p: from delivery to ack" },
      ],
      assumptions: [
        "Poisson interruptions independent of the delivery",
        "a node down when the delivery starts does not fail again within p",
      ],
      source:
        "at-least-once redelivery of unacknowledged deliveries: RabbitMQ Consumer Acknowledgements and Publisher Confirms; Kafka design §4.6 (consumer position after a crash); see docs/sources.md",
      compute: (params) =>
        redeliveryShare(
          get(params, "rate"),
          (get(params, "a") as Probability).value,
          get(params, "consumer_crash_rate"),
          get(params, "processing_time"),
        ),
    },
    {
      id: "duplicates.message_path",
      title: "Duplicated share of records: resends of records that survived unconfirmed, plus redeliveries",
      kind: "loss",
      valueName: "duplicated share",
      complementName: "delivered once",
      math: "P = P(unconfirmed at a failover ∧ survived) [when the publisher resends and the broker keeps resends] + P_redelivery(Λ_leader, a = 1)",
      params: [
        ...MESSAGE_PATH_PARAMS,
        {
          name: "resends",
          kind: "count",
          min: 0,
          max: 1,
          default: "1",
          meaning: "1: the publisher resends unconfirmed records and the broker keeps them (no idempotence)",
        },
        { name: "consumer_crash_rate", kind: "rate", default: "0", meaning: "crashes of the consumer itself" },
        { name: "processing_time", kind: "time", default: "100 ms", meaning: "from delivery to ack" },
      ],
      assumptions: [...MESSAGE_PATH_ASSUMPTIONS, "the two kinds of duplicate are disjoint to first order (their overlap is second order)"],
      source: MESSAGE_PATH_SOURCE,
      compute: (params) => {
        const result = solving(() => messagePathOutcomes(messagePathParams(params)), "n");
        const resend = get<number>(params, "resends") === 1 ? result.unconfirmedSurvived : 0;
        const redelivery = redeliveryShare(result.leaderLossRate, 1, get(params, "consumer_crash_rate"), get(params, "processing_time"));
        return {
          value: resend + redelivery.value,
          complement: redelivery.complement - resend,
          details: { resend_duplicates: resend, redeliveries: redelivery.value },
        };
      },
    },
  ];
}

export const CATALOG: readonly FormulaEntry[] = [
  {
    id: "availability.parallel",
    title: "Parallel cluster availability (any node up)",
    kind: "availability",
    valueName: "availability",
    complementName: "unavailability",
    math: "A = 1 − ∏ U_i",
    params: [{ name: "u", kind: "probabilities", meaning: "per-node unavailabilities U_i (list)" }],
    assumptions: ["nodes fail independently", "the cluster is up while any one node is up (no quorum, no shared state)", "steady state"],
    source: `${ARTICLE} §3.1.2, first equation`,
    article: {
      wording: "可用性 = 1 − P_u = 1 − ∏ P_u_i: availability is one minus the product of the nodes' unavailabilities",
      reading:
        "as written: a parallel system up while any node is up. Replicated queues need a quorum, not one node: compare availability.kofn",
    },
    compute: (params) => asAvailability(parallelAvailability(list(params, "u"))),
  },
  {
    id: "fault_tolerance.parallel",
    title: "Parallel fault tolerance (any node correct)",
    kind: "reliability",
    valueName: "fault tolerance",
    complementName: "failure probability",
    math: "FT = 1 − ∏ P_e_i",
    params: [{ name: "e", kind: "probabilities", meaning: "per-node error probabilities P_e_i (list)" }],
    assumptions: ["node errors are independent", "one correct node is enough"],
    source: `${ARTICLE} §3.1.2, second equation`,
    article: {
      wording: "容错性 = 1 − P_e = 1 − ∏ P_e_i: fault tolerance is one minus the product of the nodes' error probabilities",
      reading: "as written; the same algebra as availability.parallel with error probabilities",
    },
    compute: (params) => parallelFaultTolerance(list(params, "e")),
  },
  {
    id: "persistence.reliability",
    title: "Persistence reliability (article)",
    kind: "reliability",
    valueName: "reliability",
    complementName: "loss probability",
    math: "R = 1 − P_unpersisted · P_fault",
    params: [
      p("p_unpersisted", "probability that a message is not yet persisted when a fault strikes"),
      p("p_fault", "probability of a fault"),
    ],
    assumptions: ["not-yet-persisted and fault are independent", "one fault loses an unpersisted message (no replication)"],
    source: `${ARTICLE} §3.2.2`,
    article: {
      wording: "可靠性 = 1 − P_丢失 = 1 − P_持久化 × P_故障, with P_持久化 labelled 'the probability that the message is persisted'",
      reading:
        "multiplied by the fault probability, the first factor only makes sense as the probability that the message is NOT yet persisted when the fault hits; read literally, more persistence would mean less reliability",
    },
    compute: (params) => persistenceReliability(get(params, "p_unpersisted"), get(params, "p_fault")),
  },
  {
    id: "ack.reliability",
    title: "Acknowledgement reliability (article)",
    kind: "reliability",
    valueName: "reliability",
    complementName: "loss probability",
    math: "R = 1 − P_unconfirmed · P_fault",
    params: [
      p("p_unconfirmed", "probability that a message is not yet confirmed when a fault strikes"),
      p("p_fault", "probability of a fault"),
    ],
    assumptions: [
      "not-yet-confirmed and fault are independent",
      "an unconfirmed message hit by a fault is lost (confirms let a publisher republish, which turns loss into duplicates)",
    ],
    source: `${ARTICLE} §3.4.2`,
    article: {
      wording: "可靠性 = 1 − P_丢失 = 1 − P_确认 × P_故障, with P_确认 labelled 'the probability of confirmation'",
      reading: "as with persistence: the factor must be the probability that the message is still UNconfirmed when the fault hits",
    },
    compute: (params) => ackReliability(get(params, "p_unconfirmed"), get(params, "p_fault")),
  },
  {
    id: "retry.fault_tolerance",
    title: "Retry fault tolerance (independent attempts)",
    kind: "reliability",
    valueName: "success probability",
    complementName: "failure probability",
    math: "FT = 1 − (1 − p)^n, n = total attempts",
    params: [
      p("p_success", "probability that one attempt succeeds"),
      { name: "attempts", kind: "count", min: 1, meaning: "n: total attempts, the first one included" },
    ],
    assumptions: ["attempts fail independently with the same probability (no outage that fails every attempt in a row)"],
    source: `${ARTICLE} §3.3.2`,
    article: {
      wording: "容错性 = 1 − P_失败 = 1 − (1 − P_成功)^n, with n called 'the retry count'",
      reading: "with n = 1 the formula gives p, so n counts every attempt, the first one included (Kafka's retries = n − 1)",
    },
    compute: (params) => retryFaultTolerance(get(params, "p_success"), get(params, "attempts")),
  },
  {
    id: "availability.node",
    title: "Node availability from MTBF and MTTR",
    kind: "availability",
    valueName: "availability",
    complementName: "unavailability",
    math: "A = MTBF / (MTBF + MTTR)",
    params: [
      { name: "mtbf", kind: "time", meaning: "mean time between failures (plain number: hours)" },
      { name: "mttr", kind: "time", meaning: "mean time to repair (plain number: hours)" },
    ],
    assumptions: ["alternating up and down periods with these means (any distributions)", "steady state"],
    source: "alternating renewal process: Barlow & Proschan, Statistical Theory of Reliability and Life Testing (1975), ch. 7",
    compute: (params) => asAvailability(nodeAvailability(get(params, "mtbf"), get(params, "mttr"))),
  },
  {
    id: "availability.series",
    title: "Series availability (every component up)",
    kind: "availability",
    valueName: "availability",
    complementName: "unavailability",
    math: "A = ∏ A_j",
    params: [
      { name: "a", kind: "probabilities", optional: true, meaning: "component availabilities A_j (list)" },
      { name: "u", kind: "probabilities", optional: true, meaning: "or their unavailabilities U_j (list; keeps tiny U exact)" },
    ],
    assumptions: ["components fail independently", "every component is needed", "steady state"],
    source: "Barlow & Proschan (1975), ch. 2, series structure",
    compute: (params) => asAvailability(seriesAvailability(availabilities(params))),
  },
  {
    id: "availability.kofn",
    title: "k-out-of-n availability (quorum)",
    kind: "availability",
    valueName: "availability",
    complementName: "unavailability",
    math: "A = P(at least k of n up) = Σ_{j≥k} P(N_up = j); binomial for one a, Poisson-binomial for a list",
    params: [
      { name: "k", kind: "count", min: 1, max: MAX_NODES, meaning: "nodes that must be up (quorum, min.insync.replicas)" },
      {
        name: "n",
        kind: "count",
        min: 1,
        max: MAX_NODES,
        optional: true,
        meaning: "nodes (needed with a single a; else the list's length)",
      },
      { name: "a", kind: "probabilities", optional: true, meaning: "node availability, or one per node (list)" },
      { name: "u", kind: "probabilities", optional: true, meaning: "or node unavailability, or one per node (keeps tiny U exact)" },
    ],
    assumptions: ["nodes fail independently", "the cluster is up while at least k nodes are up", "steady state"],
    source: "Barlow & Proschan (1975), ch. 2, k-out-of-n structures; Barlow & Heidtmann, IEEE Trans. Reliability R-33 (1984) 322–323",
    compute: (params) => {
      const k = get<number>(params, "k");
      const n = params.get("n") as number | undefined;
      const nodes = availabilities(params, n);
      if (k > nodes.length) {
        throw new InputError(`must be at most n = ${nodes.length}, got ${k}`, { path: "k" });
      }
      return asAvailability(kofnAvailability(k, nodes));
    },
  },
  {
    id: "availability.ctmc",
    title: "k-of-n cluster as a Markov chain (repair crews, common cause)",
    kind: "availability",
    valueName: "availability",
    complementName: "unavailability",
    math: "states i = nodes up (0..n) and C; i→i−1 at iλ, i→i+1 at min(crews, n−i)μ, i→C at λ_cc, C→n at μ_cc; A = Σ_{i≥k} π_i (GTH); MTTF = mean time from n to i<k or C",
    params: [
      { name: "n", kind: "count", min: 1, max: MAX_NODES, meaning: "nodes" },
      { name: "k", kind: "count", min: 1, max: MAX_NODES, meaning: "nodes that must be up" },
      { name: "lambda", kind: "rate", meaning: "failure rate of one node (plain number: per hour)" },
      { name: "mu", kind: "rate", allowZero: false, meaning: "repair rate of one crew (plain number: per hour)" },
      { name: "crews", kind: "count", min: 1, optional: true, meaning: "repair crews (default n: independent repair)" },
      { name: "lambda_cc", kind: "rate", default: "0", meaning: "rate of common-cause events that take every node down" },
      { name: "mu_cc", kind: "rate", allowZero: false, optional: true, meaning: "restore rate after a common-cause event (default mu)" },
    ],
    assumptions: [
      "exponential times to failure and repair",
      "identical nodes; a down node does not fail again",
      "repairs first come first served with `crews` servers",
      "common-cause events take every node down and are repaired as a whole",
    ],
    source:
      "birth–death availability model (Trivedi, Probability and Statistics with Reliability, Queuing, and Computer Science Applications, 2nd ed. 2002, ch. 8–9) with a common-cause state; solved by GTH state reduction (Grassmann, Taksar & Heyman, Operations Research 33(5), 1985)",
    compute: (params) => {
      const n = get<number>(params, "n");
      const k = get<number>(params, "k");
      if (k > n) throw new InputError(`must be at most n = ${n}, got ${k}`, { path: "k" });
      const mu = get<number>(params, "mu");
      const crews = params.get("crews") as number | undefined;
      const muCc = params.get("mu_cc") as number | undefined;
      const result = quorumChain({
        nodes: n,
        quorum: k,
        failureRate: get(params, "lambda"),
        repairRate: mu,
        repairCrews: crews ?? n,
        commonCauseRate: get(params, "lambda_cc"),
        commonCauseRepairRate: muCc ?? mu,
      });
      return {
        ...asAvailability(result),
        mttf: result.meanTimeToFailure,
        outagesPerHour: result.outageFrequency,
        details: { outages_per_year: result.outageFrequency * HOURS_PER_YEAR },
      };
    },
  },
  {
    id: "durability.replicated",
    title: "Loss of an acknowledged message held unflushed on q replicas",
    kind: "loss",
    valueName: "loss probability",
    complementName: "survival probability",
    math: "P = 1 − (1 − p_cc)(1 − p^q), p = 1 − e^(−λw), p_cc = 1 − e^(−λ_cc·w)",
    params: [
      { name: "q", kind: "count", min: 1, max: MAX_NODES, meaning: "replicas holding the message when it is acknowledged" },
      { name: "lambda", kind: "rate", meaning: "per replica, rate of crashes that lose unflushed data (plain number: per hour)" },
      {
        name: "window",
        kind: "time",
        allowZero: true,
        meaning: "how long the message stays unflushed (plain number: hours; 0 = fsync before ack)",
      },
      { name: "lambda_cc", kind: "rate", default: "0", meaning: "rate of correlated crashes hitting every replica at once" },
    ],
    assumptions: [
      "crashes are Poisson, independent across replicas apart from the correlated ones",
      "a message is lost only if every replica holding it crashes before the window closes",
      "only page-cache-destroying faults count (OS crash, power loss), not process crashes",
    ],
    source: "mqrel DESIGN.md §2; flush windows and crash rates: docs/sources.md",
    compute: (params) =>
      replicatedDurability({
        replicas: get(params, "q"),
        crashRate: get(params, "lambda"),
        window: get(params, "window"),
        correlatedCrashRate: get(params, "lambda_cc"),
      }),
  },
  {
    id: "retry.deadline",
    title: "Retry success within a deadline (timeouts and exponential backoff)",
    kind: "reliability",
    valueName: "success probability",
    complementName: "failure probability",
    math: "s_1 = 0, s_(i+1) = s_i + timeout + min(initial·multiplier^(i−1), max); m = #{i ≤ attempts: s_i < deadline}; FT = 1 − (1 − p)^m",
    params: [
      p("p_success", "probability that one attempt succeeds"),
      { name: "attempts", kind: "count", min: 1, max: MAX_ATTEMPTS, meaning: "most attempts the client makes" },
      { name: "timeout", kind: "time", allowZero: true, meaning: "time an attempt waits before it is given up (plain number: hours)" },
      { name: "backoff_initial", kind: "time", allowZero: true, default: "100 ms", meaning: "backoff before the second attempt" },
      { name: "backoff_multiplier", kind: "number", default: "2", meaning: "growth factor of the backoff (≥ 1)" },
      { name: "backoff_max", kind: "time", allowZero: true, default: "1 s", meaning: "cap on one backoff" },
      { name: "deadline", kind: "time", meaning: "no attempt starts at or after this time after the first" },
    ],
    assumptions: [
      "attempts fail independently with the same probability",
      "a failed attempt is noticed only when its timeout expires",
      "backoff defaults are Kafka's producer defaults (100 ms, ×2, 1 s), without jitter",
    ],
    source: "mqrel DESIGN.md §2; schedule after Kafka's producer (retry.backoff.ms, retry.backoff.max.ms, delivery.timeout.ms)",
    compute: (params) => {
      const multiplier = get<number>(params, "backoff_multiplier");
      if (multiplier < 1) throw new InputError(`must be ≥ 1, got ${multiplier}`, { path: "backoff_multiplier" });
      const result = retryWithinDeadline(get(params, "p_success"), {
        attempts: get(params, "attempts"),
        timeout: get(params, "timeout"),
        backoffInitial: get(params, "backoff_initial"),
        backoffMultiplier: multiplier,
        backoffMax: get(params, "backoff_max"),
        deadline: get(params, "deadline"),
      });
      return {
        value: result.value,
        complement: result.complement,
        details: { attempts_made: result.attemptsMade, start_times_hours: result.startTimes },
      };
    },
  },
  ...clusterEntries(),
  ...messagePathEntries(),
];

const BY_ID: ReadonlyMap<string, FormulaEntry> = new Map(CATALOG.map((entry) => [entry.id, entry]));

export function findFormula(id: string): FormulaEntry | undefined {
  return BY_ID.get(id);
}

export function formulaIds(): string[] {
  return CATALOG.map((entry) => entry.id);
}
