/**
 * Sizes the formulas accept. They keep every computation to well under a second and a
 * few megabytes: the k-of-n recurrence is O(n²), the Markov chain's GTH reduction O(n²)
 * time and memory for its birth–death structure, the retry schedule one step an attempt.
 * A real cluster has a handful of nodes; a client, a few dozen attempts.
 */

/** Nodes in a cluster (and replicas, and entries of a per-node list). */
export const MAX_NODES = 1000;

/** Attempts of one retried operation. */
export const MAX_ATTEMPTS = 1_000_000;
