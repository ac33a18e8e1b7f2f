import { integrate } from "./_internal/quadrature.js";
import type { MessagePathParams } from "./messagePath.js";

/**
 * Three nodes, a quorum of 2, a record confirmed on a follower (ack quorum or all): the
 * records lost when a rolling restart goes on while the quorum is lost. During node j's
 * restart slot (length D) the two other nodes — the leader and a follower — are the up
 * ones and hold every record published since the slot began (j, down, holds none of them).
 * Let N be the next node of the round and X the other. When X fails in a mode that
 * destroys unflushed data, at t into the slot, the quorum is lost (X the leader: its loss;
 * X the follower: the leader steps down), N keeps every record and X's copies younger than
 * the window W are gone. N is restarted at the slot's end D and is back at 2D; j is back at
 * D. X back (after R, its mode's recovery) restores the quorum and starts the election
 * (exponential, mean `failover`, E); it goes on through D (j's return and N's restart
 * at once keep the quorum). When it completes between D and 2D the queue goes on from j or
 * X: the records published in the last min(W, t) before X's failure are lost (the
 * simulator's rule: no candidate of the election holds them intact). Completed before D,
 * N is a candidate (safe); after 2D, N is back (safe).
 *
 *   P = (B/every) · Σ_m λ_m ∫_0^D min(W, t) · P(D ≤ t + R_m + E < 2D) dt
 *
 * with B = n − 1 = 2 slots a round that have a next node, R_m ~ Exp(mttr_m), E ~ Exp(failover):
 *   P(…) = ∫_0^(2D−t) (1/m)·e^(−r/m)·P(D − t − r ≤ E < 2D − t − r) dr
 * (the inner integral by quadrature with a breakpoint at D − t; the outer by adaptive
 * Gauss–Kronrod with a breakpoint at W; fsync interval: min(W, t) is E[min(δ, t)] over the
 * tick's phase δ, uniform on (0, I)). X's modes are the node's failure modes and its
 * zone's outage (one node a zone; with zones shared, taken alike).
 * Assumptions and error: Poisson failures, exponential recoveries and election; the
 * a leader's failure here overlaps the first-failover analysis's (its restart share is in
 * that analysis's stated error); X and N up at the slot's start (1 − u); the
 * records' lag (ms) against the window; fsync always: 0.
 * Units: hours and per hour.
 * Source: mqrel (docs/design.md §3a, §3b): the simulator's rolling restart (one node at a
 * time, the next as soon as the last is back, whatever the quorum) and election rule.
 *
 * @returns the loss probability of a record (0 unless 3 nodes, quorum 2, acks ≥ 2,
 *   maintenance and a window)
 */
export function restartStepDownLoss(params: MessagePathParams): number {
  const { nodes: n, quorum: k, acks, maintenance, fsync, window, failover } = params;
  if (n !== 3 || k !== 2 || acks < 2 || maintenance === undefined || fsync === "always" || !(window > 0)) return 0;
  const D = maintenance.duration;
  const modes = params.modes.filter((m) => m.rate > 0 && m.losesUnflushed).map((m) => ({ rate: m.rate, mttr: m.mttr }));
  const zones = params.zones;
  if (zones && zones.rate > 0 && zones.losesUnflushed) modes.push({ rate: zones.rate, mttr: zones.mttr });
  if (modes.length === 0) return 0;
  const slotsWithNext = n - 1;
  /**
   * the publish instants X held unflushed at its failure, t into the slot: os — the last
   * min(W, t); interval — those since its last tick δ ago (δ uniform on (0, I)):
   * E[min(δ, t)] = t − t²/(2I) for t < I, I/2 beyond
   */
  const atRisk = (t: number): number => (fsync === "os" ? Math.min(window, t) : t < window ? t - (t * t) / (2 * window) : window / 2);
  const e = failover > 0 ? 1 / failover : Number.POSITIVE_INFINITY;
  let total = 0;
  for (const { rate, mttr: m } of modes) {
    /** P(D − t ≤ R + E < 2D − t): the election, started when X is back, completes while N is restarted */
    const backBetween = (t: number): number => {
      const a = D - t;
      const b = 2 * D - t;
      // no election time: P(a ≤ R < b)
      if (e === Number.POSITIVE_INFINITY) return Math.exp(-a / m) * -Math.expm1(-(b - a) / m);
      // ∫_0^b (1/m)·e^(−r/m)·P(a − r ≤ E < b − r) dr, P(…) = e^(−max(0, a − r)/F)·(1 − e^(−(b − max(a, r))/F))
      return integrate((r) => (Math.exp(-r / m - Math.max(0, a - r) * e) * -Math.expm1(-(b - Math.max(a, r)) * e)) / m, [0, a, b]);
    };
    const cuts = window < D ? [0, window, D] : [0, D];
    total += rate * integrate((t) => atRisk(t) * backBetween(t), cuts);
  }
  return (slotsWithNext / maintenance.every) * total;
}
