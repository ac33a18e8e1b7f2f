import { complementOf, type Probability, productOf } from "./probability.js";

/**
 * Parallel availability: the cluster is up while *any* node is up.
 *
 *   A = 1 − ∏ U_i          (U_i: unavailability of node i)
 *
 * The complement (cluster unavailability) is the product ∏ U_i itself, computed
 * directly, so three nodes at U = 1e-9 give 1e-27, not 0.
 *
 * Assumptions: nodes fail independently; one node is enough to serve (no quorum, no
 * shared state); steady state.
 * Source: message-queue-ha article §3.1.2, first equation (可用性 = 1 − P_u = 1 − ∏ P_u_i).
 * Note that replicated queues (Raft quorum queues, JetStream, min.insync.replicas) need
 * a quorum, not one node: see `kofnAvailability`.
 *
 * @throws when the list is empty or an entry is not a probability
 * @example parallelAvailability([{value: 0.01, complement: 0.99}, {value: 0.01, complement: 0.99}]) // value 0.9999, complement 1e-4
 */
export function parallelAvailability(nodeUnavailabilities: readonly Probability[]): Probability {
  if (nodeUnavailabilities.length === 0) {
    throw new RangeError("parallelAvailability requires at least one node");
  }
  return complementOf(productOf(nodeUnavailabilities, "parallelAvailability"));
}

/**
 * Parallel fault tolerance: a fault is tolerated unless *every* node errs.
 *
 *   FT = 1 − ∏ P_e_i       (P_e_i: probability that node i errs)
 *
 * The same algebra as `parallelAvailability`, with error probabilities in place of
 * unavailabilities; the complement is ∏ P_e_i.
 *
 * Assumptions: node errors are independent; one correct node suffices.
 * Source: message-queue-ha article §3.1.2, second equation (容错性 = 1 − P_e = 1 − ∏ P_e_i).
 *
 * @throws when the list is empty or an entry is not a probability
 * @example parallelFaultTolerance([{value: 0.1, complement: 0.9}, {value: 0.1, complement: 0.9}]) // value 0.99, complement 0.01
 */
export function parallelFaultTolerance(nodeErrorProbabilities: readonly Probability[]): Probability {
  if (nodeErrorProbabilities.length === 0) {
    throw new RangeError("parallelFaultTolerance requires at least one node");
  }
  return complementOf(productOf(nodeErrorProbabilities, "parallelFaultTolerance"));
}
