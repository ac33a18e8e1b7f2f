import { MAX_NODES } from "./limits.js";
import { assertProbability, type Probability } from "./probability.js";

/**
 * k-out-of-n availability: the cluster is up while at least k of its n nodes are up
 * (a Raft majority for RabbitMQ quorum queues and NATS JetStream, min.insync.replicas
 * for Kafka with acks=all).
 *
 *   A = P(N_up ≥ k) = Σ_{j=k..n} P(N_up = j),   U = Σ_{j=0..k−1} P(N_up = j)
 *
 * With identical nodes N_up is binomial(n, a); with per-node availabilities a_i it is
 * Poisson-binomial. Both are computed by the same recurrence over nodes,
 *
 *   P_i(j) = P_{i−1}(j) · u_i + P_{i−1}(j−1) · a_i,
 *
 * which only adds and multiplies non-negative numbers: each state probability keeps
 * its relative accuracy (≈ 2n ulp). The smaller of the availability and the
 * unavailability is summed from its own terms, so a tiny one keeps every digit; the
 * larger is 1 minus it, so that the two add up to 1 and the value is never above 1.
 * O(n²) time, O(n) space.
 *
 * Assumptions: independent nodes; steady state (each node's availability is its
 * long-run fraction of time up); the cluster state is a function of how many are up.
 * Source: Barlow & Proschan (1975), ch. 2 (k-out-of-n structures); Poisson-binomial
 * recurrence: Barlow & Heidtmann, "Computing k-out-of-n system reliability", IEEE
 * Trans. Reliability R-33 (1984) 322–323.
 *
 * @throws when k is not a whole number in 1..n, or there are no nodes or more than {@link MAX_NODES}
 * @example kofnAvailability(2, [a, a, a]) with a = {value: 0.99, complement: 0.01} // value 0.999702, complement 2.98e-4
 */
export function kofnAvailability(quorum: number, nodes: readonly Probability[]): Probability {
  const n = nodes.length;
  if (n === 0) throw new RangeError("kofnAvailability requires at least one node");
  if (n > MAX_NODES) throw new RangeError(`kofnAvailability requires at most ${MAX_NODES} nodes, got ${n}`);
  if (!Number.isInteger(quorum) || quorum < 1 || quorum > n) {
    throw new RangeError(`kofnAvailability requires a whole k in 1..n (n = ${n}), got ${quorum}`);
  }
  for (const node of nodes) assertProbability(node, "kofnAvailability");
  const upCount = upCountDistribution(nodes);
  let unavailability = 0;
  for (let j = 0; j < quorum; j++) unavailability += upCount[j] as number;
  let availability = 0;
  for (let j = n; j >= quorum; j--) availability += upCount[j] as number;
  // The smaller of the two keeps its relative accuracy; the larger is 1 minus it, which
  // is exact to half an ulp of 1 — closer than the ≈ 2n ulp of its own sum at a thousand
  // nodes, and never above 1 nor 0.999999999999999 beside a complement of 0.
  if (unavailability <= availability) return { value: 1 - unavailability, complement: unavailability };
  return { value: availability, complement: 1 - availability };
}

/**
 * P(exactly j nodes up) for j = 0..n, for independent nodes with availabilities a_i
 * (and unavailabilities u_i given separately, so that tiny u_i keep their digits).
 */
export function upCountDistribution(nodes: readonly Probability[]): Float64Array {
  const probabilityOfCount = new Float64Array(nodes.length + 1);
  probabilityOfCount[0] = 1;
  let seen = 0;
  for (const node of nodes) {
    seen++;
    for (let j = seen; j >= 1; j--) {
      probabilityOfCount[j] = (probabilityOfCount[j] as number) * node.complement + (probabilityOfCount[j - 1] as number) * node.value;
    }
    probabilityOfCount[0] = (probabilityOfCount[0] as number) * node.complement;
  }
  return probabilityOfCount;
}
