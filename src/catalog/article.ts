/**
 * The article's formulas, as it writes them, with its wording and our reading:
 * availability.parallel, fault_tolerance.parallel, persistence.reliability,
 * ack.reliability and retry.fault_tolerance.
 */

import {
  ackReliability,
  parallelAvailability,
  parallelFaultTolerance,
  persistenceReliability,
  retryFaultTolerance,
} from "../formulas/index.js";
import { asAvailability, get, list, p } from "./helpers.js";
import type { FormulaEntry } from "./types.js";

export const ARTICLE = 'message-queue-ha article (see docs/sources.md, "The article")';

export const ARTICLE_ENTRIES: readonly FormulaEntry[] = [
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
];
