import { gthStationary } from "./_internal/gth.js";
import { MAX_NODES } from "./limits.js";
import type { Probability } from "./probability.js";

/** Parameters of the repairable k-of-n cluster chain (one time unit throughout). */
export interface QuorumChainParams {
  /** n: nodes in the cluster */
  readonly nodes: number;
  /** k: nodes that must be up for the cluster to be up */
  readonly quorum: number;
  /** λ: failure rate of one node */
  readonly failureRate: number;
  /** μ: repair rate of one crew working on one node */
  readonly repairRate: number;
  /** crews: nodes that can be repaired at once (default n: independent repair) */
  readonly repairCrews?: number;
  /** λ_cc: rate of common-cause events that take every node down at once (default 0) */
  readonly commonCauseRate?: number;
  /** μ_cc: rate of restoring the whole cluster after a common-cause event (default μ) */
  readonly commonCauseRepairRate?: number;
}

export interface QuorumChainResult extends Probability {
  /** Mean time from all-up to the first loss of quorum (same time unit as the rates). */
  readonly meanTimeToFailure: number;
  /** Stationary probability of i nodes up, i = 0..n. */
  readonly upCountProbabilities: readonly number[];
  /** Stationary probability of the common-cause down state (0 when λ_cc = 0). */
  readonly commonCauseProbability: number;
  /**
   * Quorum losses per unit time: the flow into the down set, π_k·k·λ + λ_cc·Σ_{i≥k} π_i
   * (a failure at exactly k up, or a common cause while up).
   */
  readonly outageFrequency: number;
}

/**
 * Exact steady state of a repairable k-of-n cluster as a continuous-time Markov chain.
 *
 * States: i = nodes up (0..n), plus C = all down by a common cause.
 *   i → i−1  at rate i·λ                       (one of the i up nodes fails)
 *   i → i+1  at rate min(crews, n−i)·μ         (repair crews work in parallel; the rest queue)
 *   i → C    at rate λ_cc for every i           (a common cause strikes)
 *   C → n    at rate μ_cc                      (the cluster is restored as a whole)
 * The cluster is up while i ≥ k.
 *
 *   A = Σ_{i≥k} π_i,   U = Σ_{i<k} π_i + π_C
 *
 * π is found by GTH state reduction, which is subtraction-free and keeps every
 * stationary probability to its relative accuracy: plain LU in doubles loses about
 * four digits of an unavailability near 1e-12. A and U are summed from their own states.
 *
 * The mean time to failure (MTTF) from all-up is the mean first-passage time from n to
 * the down set {i < k} ∪ {C}. It is computed by renewal-reward on the chain in which
 * every failure restarts the cluster at n: in that chain the long-run rate of failures
 * is Σ_i π'_i · exit_i, and its reciprocal is the mean time between restarts, which is
 * exactly the MTTF (Ross, Stochastic Processes (2nd ed., 1996), §3.6 renewal-reward).
 * π' comes from GTH again, so this too is free of cancellation.
 *
 * Assumptions: exponential times to failure and repair; identical nodes; failures of
 * up nodes are independent apart from the common-cause events; repairs are
 * first-come-first-served with `crews` servers; a node that is down does not fail again.
 * Source: the birth–death availability model of Trivedi (2nd ed., 2002), ch. 8–9, with
 * a common-cause shock state (the β-factor idea of Fleming, 1974); GTH: Grassmann,
 * Taksar & Heyman (1985).
 *
 * @throws when a parameter is out of its domain (n above {@link MAX_NODES} included)
 * @example quorumChain({nodes: 3, quorum: 2, failureRate: 1e-4, repairRate: 0.25})
 */
export function quorumChain(params: QuorumChainParams): QuorumChainResult {
  const n = params.nodes;
  const k = params.quorum;
  const lambda = params.failureRate;
  const mu = params.repairRate;
  const crews = params.repairCrews ?? n;
  const lambdaCc = params.commonCauseRate ?? 0;
  const muCc = params.commonCauseRepairRate ?? mu;
  if (!Number.isInteger(n) || n < 1 || n > MAX_NODES) throw new RangeError(`quorumChain requires 1 ≤ n ≤ ${MAX_NODES} nodes, got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new RangeError(`quorumChain requires a whole quorum k in 1..n (n = ${n}), got ${k}`);
  }
  if (!Number.isInteger(crews) || crews < 1) {
    throw new RangeError(`quorumChain requires at least one whole repair crew, got ${crews}`);
  }
  for (const [name, value] of [
    ["lambda", lambda],
    ["lambda_cc", lambdaCc],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`quorumChain requires ${name} ≥ 0, got ${value}`);
  }
  for (const [name, value] of [
    ["mu", mu],
    ["mu_cc", muCc],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`quorumChain requires ${name} > 0, got ${value}`);
  }

  const withCommonCause = lambdaCc > 0;
  // State order for GTH: index i = i nodes up (0..n), index n+1 = C. GTH eliminates from
  // the highest index down, so every state must reach a lower one: i → i−1 at i·λ, and
  // C → n. With λ = 0 the all-up state only leaves via C; handled below.
  const size = n + 1 + (withCommonCause ? 1 : 0);
  const upCountProbabilities: number[] = [];
  let commonCauseProbability = 0;
  if (lambda === 0 && !withCommonCause) {
    // No failure mechanism at all: the cluster stays up forever.
    for (let i = 0; i < n; i++) upCountProbabilities.push(0);
    upCountProbabilities.push(1);
    return {
      value: 1,
      complement: 0,
      meanTimeToFailure: Number.POSITIVE_INFINITY,
      upCountProbabilities,
      commonCauseProbability,
      outageFrequency: 0,
    };
  }
  const rates = zeroMatrix(size);
  for (let i = 0; i <= n; i++) {
    const row = rates[i] as number[];
    if (i > 0) row[i - 1] = i * lambda;
    if (i < n) row[i + 1] = Math.min(crews, n - i) * mu;
    if (withCommonCause) row[n + 1] = lambdaCc;
  }
  if (withCommonCause) (rates[n + 1] as number[])[n] = muCc;
  // Put C first so that it is eliminated last and every other state can always reach a
  // lower-numbered one (C → n exists; i → C exists for every i when λ_cc > 0).
  const order = withCommonCause ? [n + 1, ...range(n + 1)] : range(n + 1);
  const pi = gthStationary(permute(rates, order));
  const stationary = new Float64Array(size);
  order.forEach((state, position) => {
    stationary[state] = pi[position] as number;
  });

  let unavailability = withCommonCause ? (stationary[n + 1] as number) : 0;
  for (let i = 0; i < k; i++) unavailability += stationary[i] as number;
  let availability = 0;
  for (let i = k; i <= n; i++) availability += stationary[i] as number;
  for (let i = 0; i <= n; i++) upCountProbabilities.push(stationary[i] as number);
  commonCauseProbability = withCommonCause ? (stationary[n + 1] as number) : 0;

  const outageFrequency = (stationary[k] as number) * k * lambda + lambdaCc * availability;
  return {
    value: availability,
    complement: unavailability,
    outageFrequency,
    meanTimeToFailure: meanTimeToQuorumLoss(n, k, lambda, mu, crews, lambdaCc),
    upCountProbabilities,
    commonCauseProbability,
  };
}

/**
 * Mean first-passage time from n up to fewer than k up (or to C), by renewal-reward on
 * the up states with every failure sent back to n. Exit rate from state i: k·λ at i = k
 * (one more failure loses quorum) plus λ_cc everywhere.
 */
function meanTimeToQuorumLoss(n: number, k: number, lambda: number, mu: number, crews: number, lambdaCc: number): number {
  const size = n - k + 1; // states k..n, index i − k
  if (size === 1) {
    // Only the all-up state is up: the first failure of any kind ends it.
    return 1 / (n * lambda + lambdaCc);
  }
  const rates = zeroMatrix(size);
  const exitRate = new Float64Array(size);
  for (let i = k; i <= n; i++) {
    const row = rates[i - k] as number[];
    if (i > k) row[i - k - 1] = i * lambda;
    if (i < n) row[i - k + 1] = Math.min(crews, n - i) * mu;
    exitRate[i - k] = (i === k ? k * lambda : 0) + lambdaCc;
    // The restart: failure from i goes back to n (a self-loop at i = n changes nothing).
    if (i < n) row[n - k] = (row[n - k] as number) + (exitRate[i - k] as number);
  }
  // Order states from n down to k so that every state reaches a lower index (its
  // neighbour one failure down), except k, which reaches n via the restart.
  const order = range(size).reverse();
  const pi = gthStationary(permute(rates, order));
  let failureFlow = 0;
  order.forEach((state, position) => {
    failureFlow += (pi[position] as number) * (exitRate[state] as number);
  });
  return 1 / failureFlow;
}

function zeroMatrix(size: number): number[][] {
  return Array.from({ length: size }, () => new Array<number>(size).fill(0));
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** Rates among `order[0], order[1], …` renumbered 0, 1, … */
function permute(rates: readonly (readonly number[])[], order: readonly number[]): number[][] {
  return order.map((from) => order.map((to) => (rates[from] as number[])[to] as number));
}
