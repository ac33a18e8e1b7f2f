/**
 * The formula registry: every formula mqrel knows, with its id (DESIGN.md §2, fixed),
 * math, parameters, assumptions and source, and the glue from resolved parameters to
 * the pure functions in src/formulas. `mqrel formulas` prints this; `mqrel formula`
 * and the model evaluator compute through it.
 */

import { InputError } from "./errors.js";
import {
  ackReliability,
  complementOf,
  kofnAvailability,
  MAX_ATTEMPTS,
  MAX_NODES,
  nodeAvailability,
  type Probability,
  parallelAvailability,
  parallelFaultTolerance,
  persistenceReliability,
  quorumChain,
  replicatedDurability,
  retryFaultTolerance,
  retryWithinDeadline,
  seriesAvailability,
} from "./formulas/index.js";
import { downtimeHoursPerYear, nines } from "./metrics/nines.js";

export type ParamKind = "probability" | "probabilities" | "count" | "time" | "rate" | "number";

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
export type ParamValue = number | Probability | readonly Probability[];
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
  readonly compute: (params: ResolvedParams) => FormulaResult;
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
  return Array.isArray(value) ? value : [value as Probability];
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
      return { ...asAvailability(result), mttf: result.meanTimeToFailure };
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
];

const BY_ID: ReadonlyMap<string, FormulaEntry> = new Map(CATALOG.map((entry) => [entry.id, entry]));

export function findFormula(id: string): FormulaEntry | undefined {
  return BY_ID.get(id);
}

export function formulaIds(): string[] {
  return CATALOG.map((entry) => entry.id);
}
