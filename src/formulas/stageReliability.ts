import { complementOf, type Probability, productOf } from "./probability.js";

/**
 * Persistence reliability: a message is lost when it is not yet persisted *and* a
 * fault strikes.
 *
 *   R = 1 − P_unpersisted · P_fault
 *
 * The article writes the first factor as "the probability that the message is
 * persisted" (P_持久化); multiplied by the fault probability that only makes sense as
 * the probability that it is *not yet* persisted when the fault hits, so the parameter
 * is named for that reading. The complement (loss probability) is the product itself.
 *
 * Assumptions: the two events are independent; one fault is enough to lose an
 * unpersisted message (no replication).
 * Source: message-queue-ha article §3.2.2 (可靠性 = 1 − P_丢失 = 1 − P_持久化 × P_故障).
 *
 * @example persistenceReliability({value: 1e-3, complement: 0.999}, {value: 1e-2, complement: 0.99}) // value 0.99999, complement 1e-5
 */
export function persistenceReliability(unpersisted: Probability, fault: Probability): Probability {
  return complementOf(productOf([unpersisted, fault], "persistenceReliability"));
}

/**
 * Acknowledgement reliability: a message is lost when it is not yet confirmed *and* a
 * fault strikes.
 *
 *   R = 1 − P_unconfirmed · P_fault
 *
 * The article's factor is "the probability of confirmation" (P_确认); read as above, it
 * must be the probability that the message is still *unconfirmed* when the fault hits.
 * Confirms do not prevent faults: they let a publisher detect and republish, which
 * turns loss into duplicates (see docs/model-files.md, "The message path").
 *
 * Assumptions: independent events; an unconfirmed message hit by a fault is lost.
 * Source: message-queue-ha article §3.4.2 (可靠性 = 1 − P_丢失 = 1 − P_确认 × P_故障).
 *
 * @example ackReliability({value: 1e-3, complement: 0.999}, {value: 1e-2, complement: 0.99}) // value 0.99999, complement 1e-5
 */
export function ackReliability(unconfirmed: Probability, fault: Probability): Probability {
  return complementOf(productOf([unconfirmed, fault], "ackReliability"));
}
