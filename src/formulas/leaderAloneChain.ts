import type { MessagePathParams } from "./messagePath.js";

/**
 * `ack: all` at a quorum of 1: the records published while some followers are down and
 * others up (a mixed in-sync set), lost when the up ones go down too before the down ones
 * are back, and then the leader's loss lets a follower that lacks the record lead. (The
 * records published with every follower down: leaderAlone.ts.)
 *
 * A chain over the followers' states from the publish, each follower
 *   H     up, holding the record (an up follower copies it within its lag, taken as at once),
 *   DH_r  down in reason r, holding it (it went down after the publish),
 *   DL_r  down in reason r since before the publish, lacking it,
 * with H → DH_r at λ_r, DH_r → H and DL_r → H at 1/mttr_r (a follower back copies the
 * record from the leader), and the leader's losses E at r_E ending it. V(s), the
 * probability that the record is lost from state s, solves
 *
 *   (Λ + Σ q(s→s′))·V(s) = Σ_E r_E·L_E(s) + Σ q(s→s′)·V(s′),   V = 0 when no follower is DL
 *
 * (with no follower lacking it, the first node back after any loss holds it). L_E(s) = 0
 * when a follower is up (it holds the record and is elected with the quorum of 1); with
 * every follower down, the first node back starts the election (exponential, mean
 * `failover`, rate e): lost when it is a DL follower and no holder (the old leader, a DH
 * follower) is back before the election completes:
 *   the leader back after Exp(m), rate ρ = 1/m: L = (R_DL/(ρ + R_DL + R_DH))·e/(e + ρ + R_DH);
 *   the common cause: 0 (every node back at once, the leader with them);
 *   its planned restart: 0 (a planned restart loses nothing: leaderAlone.ts).
 * (Restarts: a follower's slot taken as exponential with its mean D.)
 * The followers are alike, so a state is a count per class (H, DH_r, DL_r). The states are
 * solved block by block: the DL counts only shrink, so each block (the other followers' H/DH
 * counts, C(k + R, R) of them) is a small dense system whose right side needs only the
 * blocks of fewer DL. The result is Σ π(s₀)·V(s₀) over the mixed publish
 * states (some DL, some H): π from each follower's steady state as in leaderAlone.ts,
 * times n/(n − j) for j followers down — the leader is always on an up node, so a down set
 * of j nodes is the leader's followers' wherever the leader is among the n − j up nodes:
 * C(n, j) sets against the C(n − 1, j) of fixed followers.
 *
 * Assumptions and error: the leader keeps its copy (a loss that destroys its unflushed data
 * finds the record durable: with a follower up at the publish, the window's losses are
 * those of leaderAlone.ts and the first-failover analysis, O(window/mttr) here); a
 * follower's restart slot taken as exponential with its mean D; zone outages as one more
 * reason of each follower's own (exact with one node per zone; zones shared by followers
 * are taken as independent); the relative error O(u) of leaderAlone.ts.
 * Units: hours and per hour.
 * Source: mqrel (docs/design.md §3b, §3e).
 *
 * @returns the loss probability (0 unless ack all or ack leader, quorum 1 and at least two followers;
 *   NaN when a block would exceed {@link MAX_BLOCK} states)
 */
export function mixedInSyncLoss(params: MessagePathParams): number {
  const { nodes: n, quorum, acks, modes, failover } = params;
  const followers = n - 1;
  // ack leader too (leaderAlone.ts): a follower up at the loss holds the record and succeeds
  if (quorum !== 1 || (acks !== n && acks !== 1) || followers < 2) return 0;
  const busy = modes.reduce((sum, m) => sum + m.rate * m.mttr, 0);
  // the reasons a follower is down: its modes, its zone's outage, its restart
  const reasons: { rate: number; mean: number; weight: number }[] = modes
    .filter((m) => m.rate > 0)
    .map((m) => ({ rate: m.rate, mean: m.mttr, weight: (m.rate * m.mttr) / (1 + busy) }));
  const zones = params.zones && params.zones.rate > 0 ? params.zones : undefined;
  if (zones) reasons.push({ rate: zones.rate, mean: zones.mttr, weight: (zones.rate * zones.mttr) / (1 + zones.rate * zones.mttr) });
  const maintenance = params.maintenance;
  if (maintenance)
    reasons.push({ rate: 1 / maintenance.every, mean: maintenance.duration, weight: maintenance.duration / maintenance.every });
  const r = reasons.length;
  if (r === 0) return 0;
  // the largest block: the compositions of F − 1 followers over 1 + r classes
  if (binomialCoefficient(followers - 1 + r, r) > MAX_BLOCK) return Number.NaN;

  interface Loss {
    readonly rate: number;
    readonly back: { readonly mean: number } | "keeps";
  }
  const losses: Loss[] = modes.filter((m) => m.rate > 0).map((m) => ({ rate: m.rate, back: { mean: m.mttr } }));
  if (zones) losses.push({ rate: zones.rate, back: { mean: zones.mttr } });
  if (params.commonCause && params.commonCause.rate > 0) losses.push({ rate: params.commonCause.rate, back: "keeps" });
  if (maintenance) losses.push({ rate: 1 / maintenance.every, back: "keeps" });
  const lambda = losses.reduce((sum, loss) => sum + loss.rate, 0);
  const election = failover > 0 ? 1 / failover : Number.POSITIVE_INFINITY;
  /** P(no holder back, total rate h, within the election), the election first */
  const electionFirst = (h: number) => (election === Number.POSITIVE_INFINITY ? 1 : election / (election + h));

  /** Σ_E r_E·L_E with every follower down: R_DL, R_DH the return rates of the lacking and the holding ones */
  const lossAtAllDown = (lacking: number, holding: number): number => {
    let sum = 0;
    for (const loss of losses) {
      const back = loss.back;
      if (back === "keeps") continue;
      const rho = 1 / back.mean;
      sum += loss.rate * (lacking / (rho + lacking + holding)) * electionFirst(rho + holding);
    }
    return sum;
  };

  // The followers are alike: a state is a count per class — h[0] up (H), h[x] down holding
  // the record in reason x (DH), d[x] down lacking it in reason x (DL). Blocks by d (it
  // only shrinks); inside a block the compositions h of the other followers.
  const solved = new Map<string, { index: Map<string, number>; v: Float64Array }>();
  const blockOf = (d: readonly number[]): { index: Map<string, number>; v: Float64Array } => {
    const key = d.join(",");
    const known = solved.get(key);
    if (known) return known;
    const free = followers - d.reduce((sum, x) => sum + x, 0);
    const states = compositions(free, r + 1);
    const index = new Map(states.map((h, i) => [h.join(","), i]));
    const size = states.length;
    const lackingRate = d.reduce((sum, count, x) => sum + count / (reasons[x] as (typeof reasons)[number]).mean, 0);
    const a = new Float64Array(size * size);
    const b = new Float64Array(size);
    states.forEach((h, s) => {
      let out = lambda;
      let holdingRate = 0;
      const up = h[0] as number;
      const at = (next: number[]) => index.get(next.join(",")) as number;
      for (let x = 0; x < r; x++) {
        const reason = reasons[x] as (typeof reasons)[number];
        if (up > 0) {
          // an up follower fails in reason x
          const q = up * reason.rate;
          out += q;
          const next = h.slice();
          next[0] = up - 1;
          next[x + 1] = (next[x + 1] as number) + 1;
          const t = at(next);
          a[s * size + t] = (a[s * size + t] as number) - q;
        }
        const holding = h[x + 1] as number;
        if (holding > 0) {
          // a holding follower is back
          const q = holding / reason.mean;
          holdingRate += q;
          out += q;
          const next = h.slice();
          next[x + 1] = holding - 1;
          next[0] = up + 1;
          const t = at(next);
          a[s * size + t] = (a[s * size + t] as number) - q;
        }
        const lacking = d[x] as number;
        if (lacking > 0) {
          // a lacking follower is back and copies the record: one fewer DL, one more H
          const q = lacking / reason.mean;
          out += q;
          const smaller = d.slice();
          smaller[x] = lacking - 1;
          if (smaller.some((y) => y > 0)) {
            const target = blockOf(smaller);
            const next = h.slice();
            next[0] = up + 1;
            b[s] = (b[s] as number) + q * (target.v[target.index.get(next.join(",")) as number] as number);
          }
        }
      }
      a[s * size + s] = (a[s * size + s] as number) + out;
      // the leader's loss: safe with a follower up, else the race of the first back
      if (up === 0) b[s] = (b[s] as number) + lossAtAllDown(lackingRate, holdingRate);
    });
    const result = { index, v: solveDense(a, b, size) };
    solved.set(key, result);
    return result;
  };

  // the publish: j followers down lacking it (in reasons d), the others up; mixed: 0 < j < F
  let total = 0;
  const upWeight = 1 - reasons.reduce((sum, x) => sum + x.weight, 0);
  for (let j = 1; j < followers; j++) {
    for (const d of compositions(j, r)) {
      // multinomial: F!/((F − j)!·Π d_x!)·up^(F − j)·Π w_x^(d_x)
      let weight = upWeight ** (followers - j) * binomialCoefficient(followers, j);
      let left = j;
      d.forEach((count, x) => {
        weight *= binomialCoefficient(left, count) * (reasons[x] as (typeof reasons)[number]).weight ** count;
        left -= count;
      });
      const block = blockOf(d);
      const start = new Array<number>(r + 1).fill(0);
      start[0] = followers - j;
      // the leader is on an up node: the down sets of j nodes, wherever the leader is among
      // the n − j up ones, are C(n, j) against the followers' C(n − 1, j): n/(n − j)
      total += (n / (n - j)) * weight * (block.v[block.index.get(start.join(",")) as number] as number);
    }
  }
  return total;
}

/** every way to write `total` as an ordered sum of `parts` non-negative counts */
function compositions(total: number, parts: number): number[][] {
  if (parts === 1) return [[total]];
  const out: number[][] = [];
  for (let first = total; first >= 0; first--) for (const rest of compositions(total - first, parts - 1)) out.push([first, ...rest]);
  return out;
}

function binomialCoefficient(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** the largest block of the chain solved densely */
export const MAX_BLOCK = 1500;

/** Solve A·x = b (dense, row-major, n × n) by Gaussian elimination with partial pivoting. */
function solveDense(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i * n + c] as number) > Math.abs(a[pivot * n + c] as number)) pivot = i;
    if (pivot !== c) {
      for (let j = 0; j < n; j++) {
        const t = a[c * n + j] as number;
        a[c * n + j] = a[pivot * n + j] as number;
        a[pivot * n + j] = t;
      }
      const t = x[c] as number;
      x[c] = x[pivot] as number;
      x[pivot] = t;
    }
    const p = a[c * n + c] as number;
    for (let i = c + 1; i < n; i++) {
      const factor = (a[i * n + c] as number) / p;
      if (factor === 0) continue;
      for (let j = c; j < n; j++) a[i * n + j] = (a[i * n + j] as number) - factor * (a[c * n + j] as number);
      x[i] = (x[i] as number) - factor * (x[c] as number);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let j = i + 1; j < n; j++) s -= (a[i * n + j] as number) * (x[j] as number);
    x[i] = s / (a[i * n + i] as number);
  }
  return x;
}
