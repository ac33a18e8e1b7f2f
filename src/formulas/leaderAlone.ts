import { integrate } from "./_internal/quadrature.js";
import type { MessagePathParams } from "./messagePath.js";

/**
 * `ack: all` with a quorum of 1 (Kafka's min.insync.replicas = 1), and `ack: leader` (acks=1,
 * which min.insync.replicas does not gate) at a quorum of 1: the loss of the records
 * published while every follower is down. The leader alone is then the in-sync set, it
 * confirms each record on its own write, and the record is lost when the leader's first
 * loss comes before any follower is back to copy it and either
 *  (a) destroys the leader's copy (a loss that destroys unflushed data while the record is
 *      not yet durable there: os — younger than the window; interval — written after the
 *      node's last tick, the tick's phase uniform; always — never), or
 *  (b) leaves the leader out of the election: a quorum of 1 elects the first node back
 *      after the election time (exponential, mean `failover`), so when a follower is back
 *      before the old leader and the election completes before the old leader returns, the
 *      new leader lacks the record (and the old leader's log is not the one the queue goes
 *      on from): the simulator's rule that a record survives when a node up at the election
 *      holds it intact.
 *
 * With A(t) the probability that every follower is down at the publish and still down t
 * later, a(t) = −A′(t) its density of the first follower's return, and the leader's losses
 * E at rates r_E (Λ = Σ r_E, the first decides):
 *
 *   P = Σ_E r_E ∫_0^∞ e^(−Λx) [ A(x)·d_E(x) + (1 − d_E(x))·N_E(x) ] dx
 *
 * d_E(x): (a) at the record's age x; N_E(x): (b) with the followers still down at the
 * loss, the first back at age x + t:
 *   the leader back after Exp(mean m) (a failure mode, its zone's outage):
 *     N_E(x) = 1/(1 + failover/m) · ∫_0^∞ a(x + t) e^(−t/m) dt
 *     (the leader is still down at t, e^(−t/m), and the election, Exp(failover), ends
 *     before it is back: (1/failover)/(1/failover + 1/m));
 *   the common cause: 0 (every node comes back at once, the leader with them);
 *   the leader's planned restart: 0 — a planned restart loses nothing (docs/model-files.md
 *   "What a failure destroys"): the simulator takes the records before it as handed over
 *   even when nobody is up to take them (the tenure ends there, nothing is measured); it
 *   still ends the record's exposure (it is in Λ).
 * Each follower is down, independently, in a failure mode m with probability
 * λ_m·mttr_m/(1 + Σ λ·mttr) (back after Exp(mttr_m): memoryless, so the residual is the
 * same exponential), for its planned restart with probability D/every (back after a
 * residual uniform on (0, D)), or with its zone when that is not the leader's (probability
 * λ_z·mttr_z/(1 + λ_z·mttr_z), back after Exp(mttr_z), every follower of that zone with
 * it). The leader is always on an up node (it moves when its node is lost), so the share
 * of the time in which every follower is down is P(exactly one node up) = Σ_L P(every node
 * but L down) — a sum over the leader's node L (its zone), not an average: n·π^(n−1) for n
 * alike nodes each down with probability π (the leader's own (1 − π) taken as 1, O(u)).
 * A(t) is the product over the
 * leader's zone (its followers' processes) and the other zones (the zone's outage, or
 * else each follower's process): a mixture of exponentials and uniform residuals; a(t) is
 * formed by the product rule, every term non-negative. A follower back before the loss
 * holds the record after its lag and saves it (it is up, in sync and a candidate).
 *
 * Assumptions and error: Poisson failures, exponential recoveries and election (the
 * simulator's --assume formula), fixed restart slots; the relative error is O(u) (u: a
 * node's unavailability): a follower down for two reasons at once, two followers in the
 * same round's restart, a follower back before the loss that has not yet received the
 * record (its lag against its mttr), a node that fails again between the loss and the
 * election, and repair crews (taken as never short).
 * Units: hours and per hour.
 * Source: mqrel (docs/design.md §3b, §3e); the mechanics after Kafka's replication design
 * (acks=all waits for the in-sync replicas only; min.insync.replicas; a leader whose
 * followers have left the ISR confirms alone) in its documentation, "Replication".
 *
 * @returns the probability that a record is confirmed and lost this way (0 unless ack all
 * or ack leader, quorum 1 and at least one follower; with a larger quorum every follower
 * down leaves no quorum, and the queue takes no writes)
 */
export function leaderAloneLoss(params: MessagePathParams): number {
  const { nodes: n, quorum, acks, modes, failover, fsync, window } = params;
  const followers = n - 1;
  // ack leader (acks = 1) too: the leader is the only copy while every follower is down, and
  // the simulator decides such a record as it does for ack all (no in-sync follower spared:
  // the election's candidates), whatever min.insync.replicas says
  if (quorum !== 1 || (acks !== n && acks !== 1) || followers < 1) return 0;
  const busy = modes.reduce((sum, m) => sum + m.rate * m.mttr, 0);
  const maintenance = params.maintenance;
  // one follower's process: down in a mode (exponential residual) or restarting (uniform residual)
  const processParts = modes.filter((m) => m.rate > 0).map((m) => ({ weight: (m.rate * m.mttr) / (1 + busy), mean: m.mttr }));
  const slot = maintenance?.duration ?? 0;
  const slotWeight = maintenance ? maintenance.duration / maintenance.every : 0;
  const process: Survival = (t) => {
    let value = 0;
    let density = 0;
    for (const part of processParts) {
      const e = part.weight * Math.exp(-t / part.mean);
      value += e;
      density += e / part.mean;
    }
    if (slotWeight > 0 && t < slot) {
      value += slotWeight * (1 - t / slot);
      density += slotWeight / slot;
    }
    return [value, density];
  };
  const zones = params.zones && params.zones.rate > 0 ? params.zones : undefined;
  const zoneWeight = zones ? (zones.rate * zones.mttr) / (1 + zones.rate * zones.mttr) : 0;
  const unflushed = (x: number): number => (fsync === "os" ? (x < window ? 1 : 0) : fsync === "interval" ? Math.max(0, 1 - x / window) : 0);

  // the leader's losses, and how it comes back
  interface Loss {
    readonly rate: number;
    readonly destroys: boolean;
    /** mean of an exponential return; or "keeps": the record survives (every node back at once, a planned restart) */
    readonly back: { readonly mean: number } | "keeps";
  }
  const losses: Loss[] = modes.filter((m) => m.rate > 0).map((m) => ({ rate: m.rate, destroys: m.losesUnflushed, back: { mean: m.mttr } }));
  if (zones) losses.push({ rate: zones.rate, destroys: zones.losesUnflushed, back: { mean: zones.mttr } });
  if (params.commonCause && params.commonCause.rate > 0) {
    losses.push({ rate: params.commonCause.rate, destroys: params.commonCause.losesUnflushed, back: "keeps" });
  }
  if (maintenance) losses.push({ rate: 1 / maintenance.every, destroys: false, back: "keeps" });
  const leaderLossRate = losses.reduce((sum, loss) => sum + loss.rate, 0);

  // where the leader sits: the leader is always up, so the share of the time in which its
  // followers are all down is P(exactly one node up) = Σ over the node L that is up of
  // P(every other down): a sum over the leader's node, zone by zone (no zones: one of n)
  const placements = zones ? zones.placement : [n];
  const scales = [...processParts.map((p) => p.mean), ...(zones ? [zones.mttr] : []), ...(slot > 0 ? [slot] : [])];
  const longest = Math.max(...scales, window, params.lag);
  const shortest = Math.min(...scales);
  let total = 0;
  // zones alike (the same size, the same sizes elsewhere) give the same term: computed once
  const done = new Map<string, number>();
  placements.forEach((size, z) => {
    if (size === 0) return;
    const others = placements.filter((_, y) => y !== z && placements[y] !== 0).sort((a, b) => a - b);
    const key = `${size}|${others.join(",")}`;
    const known = done.get(key);
    if (known !== undefined) {
      total += size * known;
      return;
    }
    /** A(t) and a(t): every follower down at the publish and still down t later */
    const allDown: Survival = (t) => {
      const factors: [number, number][] = [];
      const [p, dp] = process(t);
      for (let f = 0; f < size - 1; f++) factors.push([p, dp]);
      for (const count of others) {
        if (!zones) break;
        const zoneValue = zoneWeight * Math.exp(-t / zones.mttr);
        const pc = p ** count;
        // (1 − w)·p^c, density (1 − w)·c·p^(c−1)·dp
        factors.push([zoneValue + (1 - zoneWeight) * pc, zoneValue / zones.mttr + (1 - zoneWeight) * count * p ** (count - 1) * dp]);
      }
      return productRule(factors);
    };
    const term = lossOver(allDown);
    done.set(key, term);
    total += size * term;
  });
  return total;

  /**
   * Σ_E r_E ∫ e^(−Λx)[A(x)·d_E(x) + (1 − d_E(x))·N_E(x)] dx, the N_E part with the order of
   * integration swapped (y = x + t, the first follower's return): ∫_0^∞ a(y)·K_E(y) dy,
   *   K_E(y) = ∫_0^y e^(−Λx)·(1 − d_E(x))·P(the leader still out at y − x, the election first) dx
   * in closed form for an exponential return (d_E a step or 0), by quadrature otherwise.
   */
  function lossOver(allDown: Survival): number {
    const cuts = grid(shortest, 60 * longest, [window, slot]);
    const lambda = leaderLossRate;
    /** ∫_0^s e^(−Λu)·e^(−(s−u)/m) du, without cancellation */
    const race = (s: number, m: number): number => {
      const c = 1 / m - lambda;
      return c === 0 ? s * Math.exp(-lambda * s) : (Math.exp(-lambda * s) * -Math.expm1(-c * s)) / c;
    };
    let sum = 0;
    for (const loss of losses) {
      const back = loss.back;
      // (a): the leader's copy destroyed, every follower still down
      const destroys = loss.destroys && fsync !== "always";
      let term = destroys ? integrate((x) => Math.exp(-lambda * x) * allDown(x)[0] * unflushed(x), [0, window]) : 0;
      // (b): the leader kept it and is left out of the election
      if (back !== "keeps") {
        const m = back.mean;
        const kernel = (y: number): number => {
          if (!destroys) return race(y, m);
          if (fsync === "os") return y > window ? Math.exp(-lambda * window) * race(y - window, m) : 0;
          // interval: 1 − d(x) = min(1, x/I)
          const upTo = Math.min(y, window);
          const ramp = integrate((x) => (x / window) * Math.exp(-lambda * x - (y - x) / m), [0, upTo]);
          return ramp + (y > window ? Math.exp(-lambda * window) * race(y - window, m) : 0);
        };
        term += integrate((y) => allDown(y)[1] * kernel(y), cuts) / (1 + failover / m);
      }
      sum += loss.rate * term;
    }
    return sum;
  }
}

/** t ↦ [value, −derivative] of a survival-like function */
type Survival = (t: number) => [number, number];

/** the product of [v_i, d_i] pairs: Π v_i and Σ_i d_i Π_{j≠i} v_j (every term non-negative) */
function productRule(factors: readonly (readonly [number, number])[]): [number, number] {
  let value = 1;
  let density = 0;
  for (const [v, d] of factors) {
    density = density * v + value * d;
    value *= v;
  }
  return [value, density];
}

/** breakpoints 0, a geometric grid from `shortest`/64 by factors of 2 up to `end`, and the `extra` points inside */
function grid(shortest: number, end: number, extra: readonly number[]): number[] {
  const cuts = new Set<number>([0, end]);
  for (let c = shortest / 64; c < end; c *= 2) cuts.add(c);
  for (const e of extra) if (e > 0 && e < end) cuts.add(e);
  return [...cuts].sort((a, b) => a - b);
}
