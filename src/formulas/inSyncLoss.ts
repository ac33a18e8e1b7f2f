import { integrate } from "./_internal/quadrature.js";
import { inSyncChain } from "./inSyncChain.js";
import type { MessagePathParams } from "./messagePath.js";

/**
 * `ack: all` with the in-sync set (messages.isr): the loss of the records the leader
 * confirmed while some followers were out of the set — published with every follower out
 * of it (down, or up and out of sync) the leader alone confirms them — lost at the
 * leader's first loss when no follower is back in the set by then and either
 *  (a) the loss destroys the leader's copy (not yet durable: os — younger than the window;
 *      interval — written after the node's last tick; always — never), and no follower
 *      that holds it is elected (clean: only the old leader, a member of the frozen set,
 *      may lead; unclean: a follower elected before the old leader is back may hold it), or
 *  (b) unclean only: the old leader kept it, but a follower that lacks it (out of the set
 *      since before the publish) is elected before the old leader is back.
 *
 * The publish: the stationary distribution of the in-sync chain's led states
 * (inSyncChain.ts: the leader is on an up node, its followers' counts in sync / out of
 * sync / down by mode), over the states that take writes (with ack all, at least `quorum`
 * replicas in sync), normalised by their total (message.loss is per accepted record).
 * From it each follower evolves on its own while the leader leads: in sync (I), out of the
 * set holding the record (OH: fell out after the publish), out lacking it (OL: out since
 * before), down holding or lacking it in mode m (DH_m, DL_m):
 *   I → OH at shrink, I → DH_m and OH → DH_m at λ_m, OH → I and OL → I at 1/recover,
 *   OL → DL_m at λ_m, DH_m → OH and DL_m → OL at μ_m;
 * a follower in sync at the publish holds the record (its lag is the first-failover
 * analysis's, messagePath.ts), one back in the set has caught up and holds it. The
 * followers' transient distribution at the record's age x is e^(G·x) (scaling and
 * squaring with a Taylor series: a (3 + 2M)-state generator), and
 *
 *   P = Σ_s π(s) Σ_E r_E ∫_0^∞ e^(−Λx) E_s[ g_E(followers at x) ] dx / Σ_s π(s)
 *
 * with g_E = 0 when a follower is in sync at x (a member up: one of them, or the old
 * leader, leads), else, with d the probability that E destroyed the leader's copy and,
 * unclean, p the probability that a follower is elected before the old leader is back
 * (exponential return of mean m_E, election of mean `failover`: an up follower at once —
 * e/(e + 1/m_E) —, else the first back of the down ones, R/(R + 1/m_E)·e/(e + 1/m_E)) and h
 * the share of the candidate followers that hold the record (the up ones uniformly, else
 * the first back by its return rate):
 *   clean: d;   unclean: d·(1 − p·h) + (1 − d)·p·(1 − h).
 * A common cause and the leader's planned restart bring it back with the others (p = 0);
 * a zone's outage is one more loss of the leader, its followers taken as outside the zone.
 * The expectation is an enumeration of the followers' joint classes (counts), the integral
 * adaptive Gauss–Kronrod between breakpoints.
 *
 * Assumptions and error: Poisson failures, exponential recoveries, catch-ups, stalls and
 * election (the simulator's --assume formula); independent self-recovering failures (no
 * crews); the followers' zones, the common cause and the restarts as the leader's losses
 * only (their share of a follower's down time, O(λ_z·mttr_z + D/every), is left out); a
 * quorum lost meanwhile (k ≥ 2) ends nothing here; the unclean election takes the first
 * candidate follower (others back within the election: O(failover·μ)).
 * Units: hours and per hour.
 * Source: mqrel (docs/design.md §3e); Kafka's replication design (acks=all waits for the
 * in-sync replicas only; min.insync.replicas; unclean.leader.election.enable) in its
 * documentation, "Replication", docs/sources.md.
 *
 * @returns the probability that a record is confirmed and lost this way (0 without isr or
 *   unless ack all or ack leader — acks=1, whose writes the set does not gate)
 */
export function inSyncLoss(params: MessagePathParams): number {
  const { nodes: n, quorum: k, acks, modes, failover, fsync, window } = params;
  const isr = params.isr;
  // ack leader too: with no follower in sync the leader is the only copy, and the successor
  // is a member of the set (the simulator's rule for both)
  if (isr === undefined || (acks !== n && acks !== 1) || n < 2) return 0;
  const gate = acks === n;
  const live = modes.filter((m) => m.rate > 0);
  const M = live.length;
  const chain = inSyncChain({
    nodes: n,
    quorum: k,
    modes: live.map((m) => ({ rate: m.rate, mttr: m.mttr })),
    failover,
    isr: { shrink: isr.shrink, recover: isr.recover, unclean: isr.unclean, gateWrites: gate },
  });
  // the publish states: led, taking writes
  const publish: { weight: number; counts: readonly number[] }[] = [];
  let accepted = 0;
  chain.states.forEach((s, i) => {
    const c = s.counts;
    if (!s.led || 1 + (c[0] as number) + (c[1] as number) < k || (gate && 1 + (c[0] as number) < k)) return;
    const weight = chain.stationary[i] as number;
    accepted += weight;
    // every follower in sync at the publish too: they may all fall out before the loss
    publish.push({ weight, counts: c });
  });
  if (publish.length === 0 || !(accepted > 0)) return 0;

  // the follower's classes: 0 I, 1 OH, 2 OL, 3 + m DH_m, 3 + M + m DL_m
  const size = 3 + 2 * M;
  const g = new Float64Array(size * size);
  const rate = (from: number, to: number, r: number) => {
    g[from * size + to] = (g[from * size + to] as number) + r;
    g[from * size + from] = (g[from * size + from] as number) - r;
  };
  rate(0, 1, isr.shrink);
  rate(1, 0, 1 / isr.recover);
  rate(2, 0, 1 / isr.recover);
  live.forEach((m, j) => {
    rate(0, 3 + j, m.rate);
    rate(1, 3 + j, m.rate);
    rate(2, 3 + M + j, m.rate);
    rate(3 + j, 1, 1 / m.mttr);
    rate(3 + M + j, 2, 1 / m.mttr);
  });

  // the leader's losses
  interface Loss {
    readonly rate: number;
    readonly destroys: boolean;
    /** mean of an exponential return; "keeps": back with the others, no follower elected before it */
    readonly back: number | "keeps";
  }
  const losses: Loss[] = live.map((m) => ({ rate: m.rate, destroys: m.losesUnflushed, back: m.mttr }));
  const zones = params.zones && params.zones.rate > 0 ? params.zones : undefined;
  if (zones) losses.push({ rate: zones.rate, destroys: zones.losesUnflushed, back: zones.mttr });
  if (params.commonCause && params.commonCause.rate > 0)
    losses.push({ rate: params.commonCause.rate, destroys: params.commonCause.losesUnflushed, back: "keeps" });
  if (params.maintenance) losses.push({ rate: 1 / params.maintenance.every, destroys: false, back: "keeps" });
  const lambda = losses.reduce((sum, loss) => sum + loss.rate, 0);
  const election = failover > 0 ? 1 / failover : Number.POSITIVE_INFINITY;
  const electionFirst = (rho: number) => (election === Number.POSITIVE_INFINITY ? 1 : election / (election + rho));
  const unflushed = (x: number): number => (fsync === "os" ? (x < window ? 1 : 0) : fsync === "interval" ? Math.max(0, 1 - x / window) : 0);

  /** E over the followers' joint classes at age x of Σ_E r_E g_E */
  const integrand = (x: number): number => {
    const p = expm(g, size, x);
    const u = unflushed(x);
    let total = 0;
    for (const { weight, counts } of publish) {
      // the followers' starting classes: in sync, out lacking, down lacking by mode
      const starts: number[] = [];
      for (let f = 0; f < (counts[0] as number); f++) starts.push(0);
      for (let f = 0; f < (counts[1] as number); f++) starts.push(2);
      for (let j = 0; j < M; j++) for (let f = 0; f < (counts[2 + j] as number); f++) starts.push(3 + M + j);
      // the joint classes without a follower in sync, as counts per class (I never kept)
      let joint = new Map<string, { p: number; c: number[] }>([["", { p: 1, c: new Array<number>(size).fill(0) }]]);
      for (const s0 of starts) {
        const next = new Map<string, { p: number; c: number[] }>();
        for (const { p: q, c } of joint.values()) {
          for (let to = 1; to < size; to++) {
            const pt = p[s0 * size + to] as number;
            if (!(pt > 0)) continue;
            const cc = c.slice();
            cc[to] = (cc[to] as number) + 1;
            const name = cc.join(",");
            const entry = next.get(name);
            if (entry) entry.p += q * pt;
            else next.set(name, { p: q * pt, c: cc });
          }
        }
        joint = next;
      }
      let sum = 0;
      for (const { p: q, c } of joint.values()) {
        const upHolding = c[1] as number;
        const upLacking = c[2] as number;
        let backHolding = 0;
        let backLacking = 0;
        for (let j = 0; j < M; j++) {
          const mu = 1 / (live[j] as (typeof live)[number]).mttr;
          backHolding += (c[3 + j] as number) * mu;
          backLacking += (c[3 + M + j] as number) * mu;
        }
        let value = 0;
        for (const loss of losses) {
          const d = loss.destroys ? u : 0;
          let lost = d;
          if (isr.unclean && loss.back !== "keeps") {
            const rho = 1 / loss.back;
            let first = 0;
            let holds = 0;
            if (upHolding + upLacking > 0) {
              first = electionFirst(rho);
              holds = upHolding / (upHolding + upLacking);
            } else if (backHolding + backLacking > 0) {
              const back = backHolding + backLacking;
              first = (back / (back + rho)) * electionFirst(rho);
              holds = backHolding / back;
            }
            lost = d * (1 - first * holds) + (1 - d) * first * (1 - holds);
          }
          value += loss.rate * lost;
        }
        sum += q * value;
      }
      total += weight * sum;
    }
    return Math.exp(-lambda * x) * total;
  };
  const scales = [isr.recover, ...live.map((m) => m.mttr)];
  const shortest = Math.min(...scales, fsync === "always" ? Number.POSITIVE_INFINITY : window);
  // clean: nothing is lost once the leader's copy is durable
  const end = isr.unclean ? 60 * Math.max(...scales) : fsync === "os" || fsync === "interval" ? window : 0;
  if (!(end > 0)) return 0;
  const cuts = new Set<number>([0, end]);
  for (let c = shortest / 64; c < end; c *= 2) cuts.add(c);
  if (fsync !== "always" && window < end) cuts.add(window);
  const points = [...cuts].sort((a, b) => a - b);
  return integrate(integrand, points) / accepted;
}

/** e^(G·t) for a small dense generator (row-major): scaling and squaring with a Taylor series, the result clipped at 0. */
function expm(g: Float64Array, size: number, t: number): Float64Array {
  let norm = 0;
  for (let i = 0; i < size; i++) {
    let row = 0;
    for (let j = 0; j < size; j++) row += Math.abs(g[i * size + j] as number);
    norm = Math.max(norm, row);
  }
  const squarings = Math.max(0, Math.ceil(Math.log2(Math.max(1e-300, norm * t) / 0.25)));
  const scale = t / 2 ** squarings;
  const a = g.map((v) => v * scale);
  // Taylor: I + A + A²/2! + … to 18 terms (‖A‖ ≤ 1/4: below 1e-20)
  let result = identity(size);
  let term = identity(size);
  for (let i = 1; i <= 18; i++) {
    term = multiply(term, a, size).map((v) => v / i);
    result = result.map((v, x) => v + (term[x] as number));
  }
  for (let s = 0; s < squarings; s++) result = multiply(result, result, size);
  return result.map((v) => Math.max(0, v));
}

function identity(size: number): Float64Array {
  const m = new Float64Array(size * size);
  for (let i = 0; i < size; i++) m[i * size + i] = 1;
  return m;
}

function multiply(a: Float64Array, b: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++)
    for (let l = 0; l < size; l++) {
      const x = a[i * size + l] as number;
      if (x === 0) continue;
      for (let j = 0; j < size; j++) out[i * size + j] = (out[i * size + j] as number) + x * (b[l * size + j] as number);
    }
  return out;
}
