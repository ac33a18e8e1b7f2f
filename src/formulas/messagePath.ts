import { integrate } from "./_internal/quadrature.js";
import { inSyncLoss } from "./inSyncLoss.js";
import { leaderAloneLoss } from "./leaderAlone.js";
import { mixedInSyncLoss } from "./leaderAloneChain.js";
import type { Probability } from "./probability.js";
import { restartStepDownLoss } from "./restartStepDown.js";

/**
 * Loss of a record confirmed by the leader alone, lost when the leader fails before the
 * follower that succeeds it holds the record (Kafka acks=1).
 *
 *   P = λ·lag / (1 + λ·lag),  complement 1 / (1 + λ·lag)
 *
 * The leader fails after an exponential time with rate λ, the successor receives the
 * record after an exponential lag with mean `lag`: the record is lost when the failure
 * comes first, P(Exp(λ) < Exp(1/lag)) = λ/(λ + 1/lag). Both halves are computed as they
 * are written (a quotient of positive numbers): no cancellation, every digit kept down to
 * λ·lag = 1e-300.
 *
 * Assumptions: Poisson failures of the leader's node (any failure: a process crash that
 * keeps the page cache loses the record too, because the new leader's log is the one that
 * survives); independent exponential replication lag; the successor is a follower that
 * was in sync, chosen without regard to its log (Kafka elects from the ISR by replica
 * order, and a follower within replica.lag.time.max.ms is in the ISR).
 * Units: λ per hour, lag in hours (any unit, the same for both).
 * Source: the acks=1 failover loss described in Kafka's ProducerConfig documentation
 * ("should the leader fail immediately after acknowledging the record but before the
 * followers have replicated it then the record will be lost") and shown by Vanlightly,
 * "How to lose messages on a Kafka cluster" (2018); the race of two exponentials: Ross,
 * Introduction to Probability Models, 11th ed., §5.2.3.
 *
 * @throws RangeError when λ or lag is negative or not finite
 * @example leaderAckLoss(12.5 / 8766, 0.2 / 3600) // value ≈ 7.92e-8
 */
export function leaderAckLoss(failureRate: number, lag: number): Probability {
  if (!(Number.isFinite(failureRate) && failureRate >= 0)) throw new RangeError(`leaderAckLoss requires λ ≥ 0, got ${failureRate}`);
  if (!(Number.isFinite(lag) && lag >= 0)) throw new RangeError(`leaderAckLoss requires lag ≥ 0, got ${lag}`);
  const x = failureRate * lag;
  if (!Number.isFinite(x)) throw new RangeError(`leaderAckLoss requires a finite λ·lag, got ${failureRate} × ${lag}`);
  return { value: x / (1 + x), complement: 1 / (1 + x) };
}

/** One way the leader's node goes down (a failure mode), for the message path. */
export interface LeaderFailureMode {
  /** per hour, while the node is up */
  readonly rate: number;
  /** mean time back (exponential): whether the old leader is back before the election */
  readonly mttr: number;
  /** the failure destroys the node's unflushed data */
  readonly losesUnflushed: boolean;
}

export interface MessagePathParams {
  readonly nodes: number;
  /** nodes needed for a quorum (an election needs that many up) */
  readonly quorum: number;
  /** replicas (the leader included) that hold a record when it is confirmed; 1: the leader alone */
  readonly acks: number;
  /** mean replication lag, hours */
  readonly lag: number;
  readonly fsync: "always" | "interval" | "os";
  /** os: the page-cache writeback window; interval: the fsync timer's period (hours) */
  readonly window: number;
  readonly modes: readonly LeaderFailureMode[];
  /** mean election time (exponential), hours */
  readonly failover: number;
  /** nodes per zone (absent: no zones) with their outages */
  readonly zones?: {
    readonly placement: readonly number[];
    readonly rate: number;
    readonly mttr: number;
    readonly losesUnflushed: boolean;
  };
  readonly commonCause?: { readonly rate: number; readonly losesUnflushed: boolean };
  /**
   * rolling restarts: a round every `every` hours, each node down `duration` hours; a bad
   * release (probability p a round) holds the `slots` nodes its round reaches down until
   * the rollback (formulas/maintenance.ts badRoundPhases)
   */
  readonly maintenance?: {
    readonly every: number;
    readonly duration: number;
    readonly badRelease?: { readonly p: number; readonly slots: number };
  };
  /**
   * the in-sync set (messages.isr): per follower the rate of falling out while up and in
   * sync, the mean time to catch up and be back in, and whether an out-of-sync replica may
   * lead when no member is up (absent: every up follower is in sync)
   */
  readonly isr?: { readonly shrink: number; readonly recover: number; readonly unclean: boolean };
}

/**
 * Redelivery: a delivery is processed for p before its ack; it is redelivered when the
 * consumer's broker connection is lost (the broker node, or the queue's leader, fails at
 * rate Λ while it is up, which it is a share a of the time) or the consumer crashes (rate
 * λ_c) inside that window.
 *
 *   P = 1 − e^(−λ_c·p) · (1 − a·(1 − e^(−Λ·p))),
 *   complement e^(−λ_c·p) · (1 − a·(1 − e^(−Λ·p)))
 *
 * computed as −expm1(−λ_c·p) + e^(−λ_c·p)·a·(−expm1(−Λ·p)): every term positive.
 * Assumptions: Poisson interruptions, independent of the delivery; a broker node that is
 * down when the delivery starts is not failing again within p (second order).
 * Source: the at-least-once redelivery of unacknowledged deliveries (RabbitMQ "Consumer
 * Acknowledgements and Publisher Confirms"; Kafka's consumer offsets after a crash, design
 * §4.6): see docs/sources.md.
 *
 * @throws RangeError when a rate or time is negative, or a is not in [0, 1]
 * @example redeliveryShare(12.5 / 8766, 1, 0, 0.1 / 3600) // ≈ 3.96e-8
 */
export function redeliveryShare(
  interruptionRate: number,
  availability: number,
  consumerCrashRate: number,
  processing: number,
): Probability {
  for (const [name, value] of [
    ["interruption rate", interruptionRate],
    ["consumer crash rate", consumerCrashRate],
    ["processing time", processing],
  ] as const) {
    if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`redeliveryShare requires a ${name} ≥ 0, got ${value}`);
  }
  if (!(availability >= 0 && availability <= 1)) throw new RangeError(`redeliveryShare requires 0 ≤ a ≤ 1, got ${availability}`);
  const crashKept = Math.exp(-consumerCrashRate * processing);
  const brokerLost = availability * -Math.expm1(-interruptionRate * processing);
  return { value: -Math.expm1(-consumerCrashRate * processing) + crashKept * brokerLost, complement: crashKept * (1 - brokerLost) };
}

export interface MessagePathResult {
  /** a confirmed record is lost (value), or not (complement) */
  readonly lost: Probability;
  /** a record is lost before its confirm */
  readonly lostUnconfirmed: number;
  /** a record is still unconfirmed at a failover and survives it (a resend duplicates it) */
  readonly unconfirmedSurvived: number;
  /** the article's events, one copy: the leader's data-destroying fault finds the record unflushed / unconfirmed there */
  readonly singleCopyUnpersisted: number;
  readonly singleCopyUnconfirmed: number;
  /** rate of the leader's losses (its modes, its zone, the common cause), and of those that destroy its unflushed data, per hour */
  readonly leaderLossRate: number;
  readonly destroyingRate: number;
  /**
   * rate of the leader's unplanned losses that spare a follower, which takes over (its
   * failure modes; its zone's outages when a node outside the zone remains) — the λ of
   * durability.leader_ack: the others (the common cause, a step-down, a restart's) leave
   * the old leader's log as the one the queue goes on from
   */
  readonly handoverRate: number;
  /**
   * the relative error the analysis accepts: the share of records published while a
   * follower (or a zone) is down, whose outcome it takes as if every follower were up
   */
  readonly neglected: number;
}

/** Per follower at age x: received, and received with an intact copy after a destroying hit. */
interface FollowerState {
  readonly notReceived: number;
  readonly brokenIfHit: number;
}

/**
 * The message path's outcomes for one record, by first-failover analysis (docs/design.md
 * §3b): the record is published on the leader; the leader's first loss comes
 * after an exponential time with rate Λ (its failure modes, its zone's outage, the common
 * cause); that loss, at the record's age x, decides its fate:
 *
 *   P(outcome) = Σ_E r_E ∫_0^∞ e^(−Λx) P(outcome | E, x) dx
 *
 * and P(outcome | E, x) follows the simulator's rules with every follower up and in sync
 * (their own failures are second order, O(λ·mttr) relative): each follower holds the
 * record after Exp(lag); a destroying hit keeps a copy only when it was durable (os: older
 * than the window; interval: written before the node's last tick, the tick's phase
 * uniform; always: at once); ack leader — the successor is an in-sync follower that the
 * loss spared (e^(−x/lag) that it lacks the record); when the loss spared none, and for
 * acks ≥ 2 — the record survives when any candidate of the election
 * holds it intact; the old leader (a failure mode) or the zone's nodes are candidates when
 * back before the election (exponential races: mttr against failover), the common cause's
 * nodes always (they come back together, then elect). Records are confirmed once
 * acks − 1 followers hold them. Integrated numerically (adaptive Gauss–Kronrod, relative
 * 1e-13) between the breakpoints of the integrand.
 *
 * With ack all at a quorum of 1 the leader confirms alone while every follower is down: those
 * records are added by leaderAloneLoss (published with every follower down) and
 * mixedInSyncLoss (published with some down, the others down before they are back), both
 * of order u^(n−1) and so not within the stated error below.
 *
 * Assumptions: Poisson failures, exponential recoveries, election and lag (the simulator's
 * --assume formula); followers up and in sync at the publish; a record's fate is decided
 * by the first loss of its leader; planned hand-overs lose nothing.
 * Units: hours and per hour.
 * Source: mqrel (docs/design.md §3b); the mechanics after Kafka's replication
 * design (ISR, acks), Raft's election restriction (Ongaro & Ousterhout, USENIX ATC 2014,
 * §5.4.1) and the page-cache and sync_interval notes in docs/sources.md.
 *
 * @throws RangeError on a count, rate or time out of its domain
 */
export function messagePathOutcomes(params: MessagePathParams): MessagePathResult {
  const { nodes: n, quorum: k, acks, lag, fsync, window, modes, failover } = params;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`messagePathOutcomes requires nodes ≥ 1, got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`messagePathOutcomes requires 1 ≤ quorum ≤ nodes, got ${k}`);
  if (!Number.isInteger(acks) || acks < 1 || acks > n) throw new RangeError(`messagePathOutcomes requires 1 ≤ acks ≤ nodes, got ${acks}`);
  if (!(lag > 0) || !Number.isFinite(lag)) throw new RangeError(`messagePathOutcomes requires lag > 0, got ${lag}`);
  if (fsync !== "always" && !(window > 0 && Number.isFinite(window)))
    throw new RangeError(`messagePathOutcomes requires a window > 0, got ${window}`);
  if (!(failover >= 0) || !Number.isFinite(failover)) throw new RangeError(`messagePathOutcomes requires failover ≥ 0, got ${failover}`);
  for (const m of modes) {
    if (!(m.rate >= 0 && Number.isFinite(m.rate)) || !(m.mttr > 0 && Number.isFinite(m.mttr))) {
      throw new RangeError(`messagePathOutcomes requires rates ≥ 0 and mttr > 0, got ${m.rate}, ${m.mttr}`);
    }
  }
  const followers = n - 1;
  const election = failover > 0 ? 1 / failover : Number.POSITIVE_INFINITY;
  /** P(back before the election) for an exponential recovery of mean `mttr` */
  const backFirst = (mttr: number) => (election === Number.POSITIVE_INFINITY ? 0 : 1 / mttr / (1 / mttr + election));

  const unflushed = (x: number): number => (fsync === "os" ? (x < window ? 1 : 0) : fsync === "interval" ? Math.max(0, 1 - x / window) : 0);
  /** a follower at age x, before any hit: not received; received but not durable */
  const follower = (x: number): FollowerState => {
    const notReceived = Math.exp(-x / lag);
    let brokenIfHit = 0;
    if (fsync === "os") {
      // received and within the window: e^(−(x−W)/lag) − e^(−x/lag) for x > W, else 1 − e^(−x/lag)
      brokenIfHit = x > window ? Math.exp(-(x - window) / lag) * -Math.expm1(-window / lag) : -Math.expm1(-x / lag);
    } else if (fsync === "interval") {
      // received after the node's last tick, δ ago (δ uniform on (0, I)): for δ < x,
      // e^(−(x−δ)/lag) − e^(−x/lag); for δ ≥ x nothing is durable yet, 1 − e^(−x/lag):
      // (1/I)·[lag·e^(−(x−u)/lag)·(1 − e^(−u/lag)) − u·e^(−x/lag) + (I − u)·(1 − e^(−x/lag))], u = min(x, I)
      const upTo = Math.min(x, window);
      const early = lag * Math.exp(-(x - upTo) / lag) * -Math.expm1(-upTo / lag) - upTo * notReceived;
      brokenIfHit = Math.max(0, (early + (window - upTo) * -Math.expm1(-x / lag)) / window);
    }
    return { notReceived, brokenIfHit };
  };

  // The leader's losses: each mode, its zone (zone z with probability |z|/n), the common cause.
  interface Loss {
    readonly rate: number;
    readonly destroys: boolean;
    /** a follower the loss spared takes over (ack leader: the successor may lack the young records) */
    readonly handsOver: boolean;
    /** outcome probabilities at age x */
    readonly at: (x: number) => Outcome;
  }
  const losses: Loss[] = [];
  const ack1 = acks === 1;
  // acks = 1 is confirmed at once; when a loss spares no follower it falls back, like acks ≥ 2,
  // on the most up-to-date log (no unclean election)
  const needed = acks - 1;
  // ack all at a quorum of 1 with every follower down: leaderAloneLoss (leaderAlone.ts)
  const aloneCounted = acks === n && k === 1;
  // the candidates' holding: a mixture over who is back for the election
  const quorumOutcome = (
    x: number,
    candidates: readonly boolean[],
    hit: readonly boolean[],
    destroys: boolean,
    leaderCandidate: boolean,
    leaderHit: boolean,
    absent = 0,
  ): Outcome => {
    const lostPoly = [1];
    const allPoly = [1];
    // the first `absent` followers were down at the loss: they hold none of the young records
    for (let f = absent; f < followers; f++) {
      const s = follower(x);
      const received = 1 - s.notReceived;
      const broken = hit[f] && destroys ? s.brokenIfHit : 0;
      multiply(lostPoly, s.notReceived, candidates[f] ? broken : received);
      multiply(allPoly, s.notReceived, received);
    }
    // the old leader holds it when it is a candidate and its copy survived the hit
    const leaderLacks = leaderCandidate ? (leaderHit && destroys ? unflushed(x) : 0) : 1;
    // acks = n (every in-sync follower) asks only the followers that were up
    const need = Math.min(needed, followers - absent);
    const lostConfirmed = leaderLacks * tail(lostPoly, need);
    const lostUnconfirmed = leaderLacks * head(lostPoly, need);
    const unconfirmed = head(allPoly, need);
    return { lostConfirmed, lostUnconfirmed, unconfirmed };
  };

  // The leader's followers at its failure: all up, or one of them down (with the leader
  // on an up node, n·u·(1−u)^(n−1) against (1−u)^n, up to O(u²)); the down one, in mode m'
  // with probability ∝ λ_m'·mttr_m', comes back at rate 1/mttr_m'. With one down the
  // election may have to wait for the quorum: then the old leader is a candidate unless the
  // follower returns first and the election completes before the leader is back.
  const busyAll = modes.reduce((sum, m) => sum + m.rate * m.mttr, 0);
  const uNode = busyAll / (1 + busyAll);
  const oneDown = followers > 0 && n - 1 >= k ? (n * uNode) / (1 - uNode) / (1 + (n * uNode) / (1 - uNode)) : 0;
  const waitsForQuorum = n - 2 < k;
  for (const mode of modes) {
    if (mode.rate === 0) continue;
    const back = backFirst(mode.mttr);
    const leaderRate = 1 / mode.mttr;
    const backWaiting = waitsForQuorum
      ? 1 -
        modes.reduce((sum, other) => {
          const share = busyAll > 0 ? (other.rate * other.mttr) / busyAll : 0;
          const followerRate = 1 / other.mttr;
          const electionFirst = election === Number.POSITIVE_INFINITY ? 1 : election / (election + leaderRate);
          return sum + share * (followerRate / (followerRate + leaderRate)) * electionFirst;
        }, 0)
      : back;
    const hit = new Array<boolean>(followers).fill(false);
    const all = new Array<boolean>(followers).fill(true);
    losses.push({
      rate: mode.rate,
      destroys: mode.losesUnflushed,
      handsOver: followers > 0,
      at: (x) => {
        if (ack1) {
          const lost = followers > 0 ? Math.exp(-x / lag) : mode.losesUnflushed ? unflushed(x) : 0;
          return { lostConfirmed: lost, lostUnconfirmed: 0, unconfirmed: 0 };
        }
        const allUp = mix(
          back,
          quorumOutcome(x, all, hit, mode.losesUnflushed, true, true),
          quorumOutcome(x, all, hit, mode.losesUnflushed, false, true),
        );
        if (oneDown === 0) return allUp;
        const oneFollowerDown = mix(
          backWaiting,
          quorumOutcome(x, all, hit, mode.losesUnflushed, true, true, 1),
          quorumOutcome(x, all, hit, mode.losesUnflushed, false, true, 1),
        );
        // its one follower down, the leader alone confirms: leaderAloneLoss counts those losses
        const counted = aloneCounted && followers === 1 ? { ...oneFollowerDown, lostConfirmed: 0 } : oneFollowerDown;
        return mix(oneDown, counted, allUp);
      },
    });
  }
  const zones = params.zones;
  if (zones && zones.rate > 0) {
    for (const size of zones.placement) {
      const outside = n - size;
      const waits = outside < k; // no quorum outside the zone: the election waits for it
      const back = waits ? 1 : backFirst(zones.mttr);
      const hit = Array.from({ length: followers }, (_, f) => f < size - 1);
      const everyone = new Array<boolean>(followers).fill(true);
      const outsiders = hit.map((h) => !h);
      losses.push({
        rate: (zones.rate * size) / n,
        destroys: zones.losesUnflushed,
        handsOver: outside > 0,
        at: (x) => {
          if (ack1 && outside > 0) return { lostConfirmed: Math.exp(-x / lag), lostUnconfirmed: 0, unconfirmed: 0 };
          return mix(
            back,
            quorumOutcome(x, everyone, hit, zones.losesUnflushed, true, true),
            quorumOutcome(x, outsiders, hit, zones.losesUnflushed, false, true),
          );
        },
      });
    }
  }
  const cc = params.commonCause;
  if (cc && cc.rate > 0) {
    const hit = new Array<boolean>(followers).fill(true);
    losses.push({
      rate: cc.rate,
      destroys: cc.losesUnflushed,
      // every node is down: no follower takes over, the election waits for them all
      handsOver: false,
      at: (x) => quorumOutcome(x, hit, hit, cc.losesUnflushed, true, true),
    });
  }

  // The leader steps down, untouched, when a follower's failure costs the quorum: with
  // nodes independent, each down a share u of the time, exactly n − k of them down with
  // probability C(n, n−k)·u^(n−k)·(1−u)^k — the leader is always one of the k up (it is
  // elected among up nodes) — and then one of its k − 1 up followers fails: rate
  // C(n, n−k)·u^(n−k)·(1−u)^k·(k−1)·Λ_node. The leader keeps every record (none is lost);
  // those not yet on the k − 1 followers that were up are unconfirmed and survive. First
  // order when k = n (any follower's failure), second order otherwise.
  const nodeRate = modes.reduce((sum, m) => sum + m.rate, 0);
  const busy = modes.reduce((sum, m) => sum + m.rate * m.mttr, 0);
  const u = busy / (1 + busy);
  if (followers > 0 && k >= 2 && nodeRate > 0) {
    const down = n - k;
    const rate = binomial(n, down) * u ** down * (1 - u) ** k * (k - 1) * nodeRate;
    losses.push({
      rate,
      destroys: false,
      handsOver: false,
      at: (x) => ({ lostConfirmed: 0, lostUnconfirmed: 0, unconfirmed: ack1 ? 0 : -Math.expm1((k - 1) * Math.log1p(-Math.exp(-x / lag))) }),
    });
  }

  // Rolling restarts cost the quorum too (the leader hands over, but a quorum of k − 1
  // cannot keep one): n restarts a round, each of an up node (1 − u),
  //  (a) at its start, when exactly n − k of the other n − 1 nodes are down:
  //      (n/E)·(1 − u)·C(n−1, n−k)·u^(n−k)·(1 − u)^(k−1);
  //  (b) while it lasts (a share n·D/E of the time), when k of the other n − 1 are up and
  //      one of their k − 1 followers fails: (n·D/E)·C(n−1, n−1−k)·u^(n−1−k)·(1 − u)^k·(k−1)·Λ_node.
  // The leader keeps every record, as in the step-down above. (b) is first order; (a)
  // takes the other nodes as stationary, but the rounds are back to back — the node
  // restarted before has just rejoined — so (a) overstates itself, by about a third with
  // three nodes (measured against the simulator at u = 0.01 and 0.02): it is added to
  // the stated error whole.
  const maintenance = params.maintenance;
  let restartStart = 0;
  if (maintenance !== undefined && followers > 0) {
    const { every, duration } = maintenance;
    if (!(every > 0 && Number.isFinite(every)) || !(duration > 0 && n * duration <= every)) {
      throw new RangeError(`messagePathOutcomes requires a round of n × duration within every, got ${duration}, ${every}`);
    }
    const atStart = (n / every) * (1 - u) * binomial(n - 1, n - k) * u ** (n - k) * (1 - u) ** (k - 1);
    const during =
      k >= 2 && n - 1 >= k
        ? ((n * duration) / every) * binomial(n - 1, n - 1 - k) * u ** (n - 1 - k) * (1 - u) ** k * (k - 1) * nodeRate
        : 0;
    restartStart = atStart;
    losses.push({
      rate: atStart + during,
      destroys: false,
      handsOver: false,
      at: (x) => ({ lostConfirmed: 0, lostUnconfirmed: 0, unconfirmed: ack1 ? 0 : -Math.expm1((k - 1) * Math.log1p(-Math.exp(-x / lag))) }),
    });
  }

  // A bad release (docs/design.md §3e) holds every node its round reaches down until the
  // rollback: when it reaches n − k + 1 of them, the quorum is lost at the start of that
  // node's slot (k − 1 up) — p/every an hour. The leader steps down untouched (a bad
  // release destroys nothing). The restarted node is one of the k up, the leader with
  // probability 1/k: then it hands over first, which waits for the successor to catch up,
  // and nothing is left unconfirmed; else the records its follower lacks are, as at a
  // restart's step-down above: a share (k − 1)/k of that. The other nodes' own failures
  // meanwhile are second order, as there.
  const bad = maintenance?.badRelease;
  if (maintenance !== undefined && bad !== undefined && bad.p > 0 && bad.slots >= n - k + 1 && followers > 0) {
    if (!(bad.p <= 1) || !Number.isInteger(bad.slots) || bad.slots > n) {
      throw new RangeError(`messagePathOutcomes requires a bad release's p ≤ 1 and slots ≤ nodes, got ${bad.p}, ${bad.slots}`);
    }
    losses.push({
      rate: bad.p / maintenance.every,
      destroys: false,
      handsOver: false,
      at: (x) => ({
        lostConfirmed: 0,
        lostUnconfirmed: 0,
        unconfirmed: ack1 ? 0 : ((k - 1) / k) * -Math.expm1((k - 1) * Math.log1p(-Math.exp(-x / lag))),
      }),
    });
  }

  const leaderLossRate = losses.reduce((sum, loss) => sum + loss.rate, 0);
  const destroyingRate = losses.reduce((sum, loss) => sum + (loss.destroys ? loss.rate : 0), 0);
  const handoverRate = losses.reduce((sum, loss) => sum + (loss.handsOver ? loss.rate : 0), 0);
  // the integrand decays like e^(−x/lag) beyond the window: 60 lags more are below 1e-26
  const end = (fsync === "always" ? 0 : window) + 60 * lag;
  const cuts = new Set<number>([0, end]);
  for (let c = lag / 1024; c < end; c *= 2) cuts.add(c);
  if (fsync !== "always") cuts.add(window);
  const points = [...cuts].filter((c) => c >= 0 && c <= end).sort((a, b) => a - b);
  const weight = (x: number) => Math.exp(-leaderLossRate * x);
  const over = (pick: (o: Outcome) => number, which: (loss: Loss) => boolean = () => true) =>
    losses.reduce((sum, loss) => (which(loss) ? sum + loss.rate * integrate((x) => weight(x) * pick(loss.at(x)), points) : sum), 0);
  // ack all at a quorum of 1: the records the leader confirmed alone, every follower down
  // and those it confirmed with some followers in sync that went down before the others
  // were back (leaderAloneChain.ts; beyond its size limit, left out and counted as error)
  // with the in-sync set, inSyncLoss counts every record confirmed while a follower was out
  // of it (down or out of sync) in place of the two: a follower back from down is out of
  // sync, and a clean election takes no follower that was
  const inSync = params.isr ? inSyncLoss(params) : 0;
  const alone = params.isr ? 0 : leaderAloneLoss(params);
  const mixedChain = params.isr ? 0 : mixedInSyncLoss(params);
  const mixed = Number.isNaN(mixedChain) ? 0 : mixedChain;
  // the chain takes a restart slot (fixed) as exponential and the rounds' slots as
  // independent: the share the restarts add to it is stated as error, whole
  const restartShare =
    mixed > 0 && params.maintenance !== undefined ? Math.abs(mixed - mixedInSyncLoss({ ...params, maintenance: undefined })) : 0;
  // three nodes at a quorum of 2: a rolling restart that goes on to restart the leader that
  // stepped down when the other follower's failure cost the quorum (restartStepDown.ts)
  const restartStepDown = restartStepDownLoss(params);
  const lostValue = over((o) => o.lostConfirmed) + alone + mixed + inSync + restartStepDown;
  const lostUnconfirmed = over((o) => o.lostUnconfirmed);
  const unconfirmed = over((o) => o.unconfirmed);
  const singleCopyUnpersisted = destroyingRate > 0 ? destroyingRate * integrate((x) => weight(x) * unflushed(x), points) : 0;
  const singleCopyUnconfirmed = over(
    (o) => o.unconfirmed,
    (loss) => loss.destroys,
  );
  return {
    // the complement as it is: 1 minus a probability far below ½ loses nothing
    lost: { value: lostValue, complement: 1 - lostValue },
    lostUnconfirmed,
    unconfirmedSurvived: Math.max(0, unconfirmed - lostUnconfirmed),
    singleCopyUnpersisted,
    singleCopyUnconfirmed,
    leaderLossRate,
    destroyingRate,
    handoverRate,
    // followers down during a record's exposure (other than as above) are left out
    // and the restarts' step-downs at a slot's start (above) are uncertain by themselves
    neglected: Math.min(
      1,
      followers * u +
        (zones && zones.rate > 0 ? zones.rate * zones.mttr : 0) +
        (leaderLossRate > 0 ? restartStart / leaderLossRate : 0) +
        // the mixed in-sync sets' share when its chain is too large: of the order of the all-down one
        (Number.isNaN(mixedChain) && lostValue > 0 ? alone / lostValue : 0) +
        (lostValue > 0 ? restartShare / lostValue : 0) +
        // with the in-sync set the analysis above takes the followers in sync at the publish
        (params.isr ? (followers * params.isr.shrink * params.isr.recover) / (1 + params.isr.shrink * params.isr.recover) : 0),
    ),
  };
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

interface Outcome {
  readonly lostConfirmed: number;
  readonly lostUnconfirmed: number;
  readonly unconfirmed: number;
}

function mix(p: number, a: Outcome, b: Outcome): Outcome {
  const q = 1 - p;
  return {
    lostConfirmed: p * a.lostConfirmed + q * b.lostConfirmed,
    lostUnconfirmed: p * a.lostUnconfirmed + q * b.lostUnconfirmed,
    unconfirmed: p * a.unconfirmed + q * b.unconfirmed,
  };
}

/** poly ← poly · (a + b·z), coefficients by power of z */
function multiply(poly: number[], a: number, b: number): void {
  poly.push(0);
  for (let i = poly.length - 1; i >= 0; i--) poly[i] = (poly[i] as number) * a + (i > 0 ? (poly[i - 1] as number) * b : 0);
}

/** Σ of the coefficients of z^i for i ≥ from */
function tail(poly: readonly number[], from: number): number {
  let sum = 0;
  for (let i = Math.max(0, from); i < poly.length; i++) sum += poly[i] as number;
  return sum;
}

/** Σ of the coefficients of z^i for i < below */
function head(poly: readonly number[], below: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(below, poly.length); i++) sum += poly[i] as number;
  return sum;
}

/** The article's inputs derived from the mechanics (docs/model-files.md "The article's formulas, validated"). */
export interface ArticleInputs {
  /** the record's exposure: until it is durable on the leader and held by every follower (to e^(−60)), hours */
  readonly exposureHours: number;
  /** P(fault): a data-destroying fault of the record's node during the exposure */
  readonly pFault: Probability;
  /** P(unpersisted), P(unconfirmed): the share of the exposure, weighted by when the fault strikes, in which the record is not yet durable / confirmed */
  readonly pUnpersisted: Probability;
  readonly pUnconfirmed: Probability;
}

/**
 * The article's P(fault), P(unpersisted) and P(unconfirmed) from the message path:
 *
 *   P(fault)        = 1 − e^(−λ_d·T)                       λ_d: the leader's data-destroying faults
 *   P(unpersisted)  = λ_d ∫_0^T e^(−Λx) u(x) dx / P(fault)  u: P(not yet durable on the leader at age x)
 *   P(unconfirmed)  = λ_d ∫_0^T e^(−Λx) c(x) dx / P(fault)  c: P(not yet confirmed at age x)
 *
 * so that each product P(·)·P(fault) is exactly the one-copy event the article describes
 * (one fault, on the record's node, while it is unpersisted / unconfirmed). T is the
 * record's exposure: the window (or fsync period) plus 60 lags.
 */
export function articleInputs(params: MessagePathParams, result: MessagePathResult): ArticleInputs {
  const exposureHours = (params.fsync === "always" ? 0 : params.window) + 60 * params.lag;
  const fault = -Math.expm1(-result.destroyingRate * exposureHours);
  const share = (x: number): Probability => {
    const value = fault > 0 ? Math.min(1, x / fault) : 0;
    return { value, complement: 1 - value };
  };
  return {
    exposureHours,
    pFault: { value: fault, complement: Math.exp(-result.destroyingRate * exposureHours) },
    pUnpersisted: share(result.singleCopyUnpersisted),
    pUnconfirmed: share(result.singleCopyUnconfirmed),
  };
}
