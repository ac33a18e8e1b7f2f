import type { Probability } from "./probability.js";

export interface ReplicatedDurabilityParams {
  /** q: replicas holding the message when it is acknowledged (≥ 1) */
  readonly replicas: number;
  /** λ: rate, per replica, of crashes that lose unflushed data (OS crash, power loss) */
  readonly crashRate: number;
  /** w: how long an acknowledged message stays unflushed (0 = fsync before ack) */
  readonly window: number;
  /** λ_cc: rate of correlated crashes that hit every replica at once (default 0) */
  readonly correlatedCrashRate?: number;
}

/**
 * Loss probability of an acknowledged message held unflushed on q replicas.
 *
 *   p    = 1 − e^(−λ·w)          one replica crashes inside the window
 *   p_cc = 1 − e^(−λ_cc·w)       a correlated crash hits all replicas inside the window
 *   P    = 1 − (1 − p_cc)(1 − p^q)
 *
 * computed without cancellation as
 *
 *   P        = p_cc + e^(−λ_cc·w) · p^q          (p = −expm1(−λw), p_cc = −expm1(−λ_cc·w))
 *   survival = e^(−λ_cc·w) · (1 − p^q)           (1 − p^q = −expm1(q·log1p(−e^(−λw))) when p^q ≥ ½)
 *
 * The value is the loss probability and the complement its survival.
 *
 * Assumptions: crashes are Poisson in time, independent across replicas apart from the
 * correlated events; the message is lost only if *every* replica that holds it loses
 * its unflushed data before the window closes; a process crash that leaves the page
 * cache intact does not count (use the rate of page-cache-destroying faults).
 * Units: λ and λ_cc per unit time, w in the same unit.
 * Source: mqrel docs/design.md §2 (durability.replicated); the "loss needs every replica in
 * the window" reading follows the Kafka design notes and the NATS sync_interval docs
 * (see docs/sources.md, "Flush windows").
 *
 * @throws when q is not a whole number ≥ 1 or a rate or the window is negative
 * @example replicatedDurability({replicas: 1, crashRate: 1 / 8766, window: 60 / 3600}) // ≈ 1.9e-6
 */
export function replicatedDurability(params: ReplicatedDurabilityParams): Probability {
  const { replicas, crashRate, window } = params;
  const correlatedCrashRate = params.correlatedCrashRate ?? 0;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new RangeError(`replicatedDurability requires a whole number of replicas ≥ 1, got ${replicas}`);
  }
  for (const [name, value] of [
    ["crash rate", crashRate],
    ["window", window],
    ["correlated crash rate", correlatedCrashRate],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`replicatedDurability requires a ${name} ≥ 0, got ${value}`);
    }
  }
  const oneReplicaHit = -Math.expm1(-crashRate * window);
  const allReplicasHit = oneReplicaHit ** replicas;
  const correlatedHit = -Math.expm1(-correlatedCrashRate * window);
  const correlatedMiss = Math.exp(-correlatedCrashRate * window);
  const notAllHit = allReplicasHit < 0.5 ? 1 - allReplicasHit : -Math.expm1(replicas * Math.log1p(-Math.exp(-crashRate * window)));
  return {
    value: correlatedHit + correlatedMiss * allReplicasHit,
    complement: correlatedMiss * notAllHit,
  };
}
