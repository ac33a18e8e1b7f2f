/**
 * The message path on the cluster's own timeline (docs/design.md §3b): what
 * becomes of the records published under each leader, measured exactly on the simulated
 * failovers — no record is drawn, the share of publish instants with each fate is
 * integrated in closed form (PASTA: with Poisson publishes, the share of records with a
 * fate is the measure of publish instants with it over the time the queue took writes).
 *
 * Mechanics (the simulator's, whatever the mode):
 * - a record published at s goes to the leader L; each follower that is up holds it after
 *   an independent exponential lag (mean `lag`) from s, or from its own return if it came
 *   back later (one back from a down period in the tenure keeps what reached it before it
 *   went down); replication stops when L is lost;
 * - fsync: always — durable when written; os — durable `window` after it was written on a
 *   node; interval — durable at the node's next fsync tick (period `window`, a phase of its
 *   own on each node, drawn per run);
 * - confirmed: ack leader — at s; quorum — once `quorum − 1` followers hold it; all — once
 *   every follower up at the loss holds it (and at least `quorum − 1`);
 * - a record's fate is decided at the first unplanned loss of its leader (records
 *   published before a planned hand-over are safe: the hand-over waits for the successor to
 *   catch up). A node the loss takes down keeps the record unless the loss destroys
 *   unflushed data (HIT_LOSES_UNFLUSHED) and the record was not yet durable there (a dead
 *   disk is taken as unflushed: flushed data is at rest, outside the message path);
 * - the successor: ack leader (Kafka acks=1) — any in-sync follower, chosen without
 *   regard to its log: uniformly among the followers that were up at the loss, were not
 *   taken down by it and are still up at the election (one that came back during the
 *   tenure caught up on the older records before it rejoined the in-sync set, so it lacks
 *   only records published since, by their lag); when there is none (a power event,
 *   both followers down), no unclean election: the queue continues from the most
 *   up-to-date log, as for quorum/all (Raft's election restriction, Kafka's ISR): the
 *   record survives when any candidate of the election holds it intact. A candidate is a
 *   node up at the election, with its copy as the loss left it (a failure of its own
 *   between the loss and the election is taken to destroy nothing: second order); a
 *   follower down at the loss holds the records that reached it before it went down.
 *
 * Per loss the integrand, as a function of the record's age x = (loss time) − s, is on
 * each piece between breakpoints (each follower's following time, each flush threshold) a
 * polynomial in y = e^(−(x − a)/lag) — one factor per follower — integrated term by term:
 * ∫ y^d dx = lag/d · (1 − e^(−d·(b − a)/lag)). Exact, and free of cancellation: every
 * factor is a sum of non-negative terms, computed with expm1.
 *
 * Allocation: a few small arrays per leader loss (rare events); nothing per cluster event.
 */
import { HIT_LOSES_UNFLUSHED, HIT_NONE } from "./cluster.js";
import type { MessagesSimConfig } from "./config.js";
import { LEADERSHIP, LEADERSHIP_NODE } from "./records.js";

/** What the message path measured in one run: measures of publish instants, in hours. */
export interface MessagePathMeasures {
  /** confirmed records later lost (the broken promise: message.loss) */
  lostConfirmed: number;
  /** records lost before their confirm (the publisher was not told they were stored) */
  lostUnconfirmed: number;
  /** records unconfirmed at the loss that survived it (a resend duplicates them) */
  unconfirmedSurvived: number;
  /** the article's persistence event, one copy: the leader's data-destroying fault found the record unflushed there */
  singleCopyUnpersisted: number;
  /** the article's ack event, one copy: the leader's data-destroying fault found the record unconfirmed */
  singleCopyUnconfirmed: number;
  /** leader losses that lost confirmed records, that left records unconfirmed, that destroyed the leader's unflushed data */
  lossEvents: number;
  unconfirmedEvents: number;
  destroyingEvents: number;
}

export function emptyMeasures(): MessagePathMeasures {
  return {
    lostConfirmed: 0,
    lostUnconfirmed: 0,
    unconfirmedSurvived: 0,
    singleCopyUnpersisted: 0,
    singleCopyUnconfirmed: 0,
    lossEvents: 0,
    unconfirmedEvents: 0,
    destroyingEvents: 0,
  };
}

/**
 * How long before `at` a record must have reached a node for the loss at `at` to find it
 * durable there: 0 (fsync always), the writeback window (os), or the time since the node's
 * last fsync tick (interval; ticks at phase + i·period).
 */
export function flushThreshold(config: MessagesSimConfig, at: number, phase: number): number {
  if (config.fsync === "always") return 0;
  if (config.fsync === "os") return config.windowHours;
  const period = config.windowHours;
  const since = (at - phase) % period;
  return since < 0 ? since + period : since;
}

/**
 * A follower's reception clock for a record of age x is m(x) = clamp(x, start, end) − start:
 * it receives records from `end` before the loss (its current up period began then, or
 * the tenure did) until `start` before the loss (0 when it was up at the loss; how long ago
 * it went down otherwise). A copy is intact after the loss when it arrived `flush` before
 * the end of the clock (0 unless the loss destroyed the node's unflushed data).
 */
interface Follower {
  readonly start: number;
  readonly end: number;
  readonly flush: number;
  readonly destroyed: boolean;
  readonly candidate: boolean;
  /** the loss took it down */
  readonly hit: boolean;
  /** it was up at the loss (in sync); a follower down at the loss holds only older records */
  readonly upAtLoss: boolean;
  /**
   * up at the loss but back during the tenure: the age from which records were published
   * before its last down period began (it was in sync then and kept the copies that reached
   * it before it went down); Infinity otherwise
   */
  readonly before: number;
}

/**
 * Add the fates of the records of every resolved leader loss to `into`.
 * `phases`: per node, the phase of its fsync timer (fsync: interval).
 */
export function measureMessagePath(
  config: MessagesSimConfig,
  leadership: Float64Array,
  nodes: number,
  phases: Float64Array,
  into: MessagePathMeasures,
): void {
  const stride = LEADERSHIP.stride(nodes);
  for (let r = 0; r + stride <= leadership.length; r += stride) {
    measureLoss(config, leadership, r, nodes, phases, into);
  }
}

function measureLoss(
  config: MessagesSimConfig,
  record: Float64Array,
  r: number,
  nodes: number,
  phases: Float64Array,
  into: MessagePathMeasures,
): void {
  const lostAt = record[r + LEADERSHIP.lostAt] as number;
  const tenure = Math.max(0, record[r + LEADERSHIP.tenureStart] as number);
  const span = lostAt - tenure; // publish instants under this leader, inside the measured window
  if (!(span > 0)) return;
  const leader = record[r + LEADERSHIP.oldLeader] as number;
  const lag = config.lagHours;
  const nodeAt = (j: number, field: number) => record[r + LEADERSHIP.node(j, field)] as number;
  const leaderHit = nodeAt(leader, LEADERSHIP_NODE.hit);
  const leaderDestroyed = leaderHit === HIT_LOSES_UNFLUSHED;
  const leaderFlush = leaderDestroyed ? flushThreshold(config, lostAt, phases[leader] as number) : 0;
  const leaderCandidate = nodeAt(leader, LEADERSHIP_NODE.candidate) === 1;
  const followers: Follower[] = [];
  for (let j = 0; j < nodes; j++) {
    if (j === leader) continue;
    const upSince = nodeAt(j, LEADERSHIP_NODE.upSince);
    const upAtLoss = !Number.isNaN(upSince);
    // a follower down at the loss received records until it went down, if that was in this tenure
    const wentDown = nodeAt(j, LEADERSHIP_NODE.downAt);
    if (!upAtLoss && !(wentDown > tenure)) continue;
    const destroyed = nodeAt(j, LEADERSHIP_NODE.hit) === HIT_LOSES_UNFLUSHED;
    // up at the loss, back during the tenure after a down period that began in it: the
    // records published before that down period reached it then (a planned restart or a
    // crash keeps its log; whatever destroyed its unflushed copies is second order)
    const before = upAtLoss && upSince > tenure && wentDown > tenure && wentDown < upSince ? lostAt - wentDown : Number.POSITIVE_INFINITY;
    const follower: Follower = {
      start: upAtLoss ? 0 : lostAt - wentDown,
      end: upAtLoss ? lostAt - Math.max(upSince, tenure) : span,
      before,
      flush: destroyed ? flushThreshold(config, lostAt, phases[j] as number) : 0,
      destroyed,
      candidate: nodeAt(j, LEADERSHIP_NODE.candidate) === 1,
      hit: nodeAt(j, LEADERSHIP_NODE.hit) !== HIT_NONE,
      upAtLoss,
    };
    followers.push(follower);
  }
  // breakpoints of the integrand in the record's age x ∈ (0, span]
  const cuts = [0, span];
  for (const f of followers) {
    cuts.push(f.start, f.end, f.before);
    if (f.destroyed) cuts.push(f.start + f.flush, f.end);
  }
  if (leaderDestroyed) cuts.push(leaderFlush);
  const points = [...new Set(cuts.filter((c) => c >= 0 && c <= span))].sort((a, b) => a - b);

  if (leaderDestroyed) {
    into.destroyingEvents++;
    into.singleCopyUnpersisted += Math.min(leaderFlush, span);
  }
  const survivors = followers.filter((f) => f.candidate && !f.hit && f.upAtLoss);
  if (config.ack === "leader" && survivors.length > 0) {
    // an in-sync follower the loss spared succeeds, chosen without regard to its log
    let lost = 0;
    for (let p = 0; p + 1 < points.length; p++) {
      const a = points[p] as number;
      const b = points[p + 1] as number;
      let sum = 0;
      // a follower that came back during the tenure caught up on the older records before
      // it rejoined the in-sync set, from which the successor is chosen: it holds them
      for (const f of survivors) if (a < f.end) sum += lacksIntegral(f, a, b, lag);
      lost += sum / survivors.length;
    }
    into.lostConfirmed += lost;
    if (lost > 0) into.lossEvents++;
    return;
  }
  // ack leader with no spared follower (unclean election refused: the queue's log is the
  // most up-to-date one that comes back — the old leader's durable records survive), and
  // quorum/all: the record survives when any candidate holds it intact
  // quorum: confirmed once quorum − 1 followers hold it (a follower that came back after
  // the publish catches up and counts); all: once every follower in sync at the publish
  // (up since before it) holds it
  let lostConfirmed = 0;
  let lostUnconfirmed = 0;
  let unconfirmed = 0;
  let unconfirmedDestroyed = 0;
  const lostPoly = new Poly(followers.length);
  const allPoly = new Poly(followers.length);
  for (let p = 0; p + 1 < points.length; p++) {
    const a = points[p] as number;
    const b = points[p + 1] as number;
    const leaderLacks = !(leaderCandidate && a >= leaderFlush);
    lostPoly.reset();
    allPoly.reset();
    let inSync = 0;
    for (const f of followers) {
      const missing = decay(f, 0, a, lag); // not received: (c, d) = c + d·y
      const receivedNotHeld = f.candidate ? brokenFactor(f, a, lag) : received(missing);
      if (config.ack === "all" && ((a >= f.end && a < f.before) || a < f.start)) {
        // not in sync when the record was published: it does not count for the confirm
        lostPoly.multiply(sum(missing, receivedNotHeld), [0, 0]);
        allPoly.multiply([1, 0], [0, 0]);
        continue;
      }
      inSync++;
      lostPoly.multiply(missing, receivedNotHeld);
      allPoly.multiply(missing, received(missing));
    }
    // ack all with the in-sync set: fewer in sync than the quorum and the queue refused the
    // record (the run's queue-up hours leave that time out too)
    if (config.refusedBelowQuorum === true && inSync + 1 < config.quorum) continue;
    // ack all: fewer in sync than the quorum needs means the record predates the current up
    // periods of the followers (the queue takes no writes without a quorum): an earlier
    // in-sync set, whose copies are not tracked, confirmed it
    const needed = config.ack === "leader" ? 0 : config.ack === "all" ? (inSync + 1 >= config.quorum ? inSync : 0) : config.quorum - 1;
    const pieceUnconfirmed = allPoly.integralBelow(needed, b - a, lag);
    unconfirmed += pieceUnconfirmed;
    if (leaderDestroyed) unconfirmedDestroyed += pieceUnconfirmed;
    if (leaderLacks) {
      lostConfirmed += lostPoly.integralFrom(needed, b - a, lag);
      lostUnconfirmed += lostPoly.integralBelow(needed, b - a, lag);
    }
  }
  into.lostConfirmed += lostConfirmed;
  into.lostUnconfirmed += lostUnconfirmed;
  // never below 0: the survivors are the unconfirmed less the lost, each integrated exactly
  into.unconfirmedSurvived += Math.max(0, unconfirmed - lostUnconfirmed);
  into.singleCopyUnconfirmed += unconfirmedDestroyed;
  if (lostConfirmed > 0) into.lossEvents++;
  if (unconfirmed > 0) into.unconfirmedEvents++;
}

/** A factor c + d·y on a piece [a, b], y = e^(−(x − a)/lag). */
type Factor = readonly [number, number];

/**
 * P(the follower lacks the record, counting only copies that arrived `shift` before the end
 * of its clock) on the piece [a, …): e^(−max(0, min(x, end) − start − shift)/lag) as c + d·y.
 * Pieces never straddle start + shift or end (they are breakpoints).
 */
function decay(f: Follower, shift: number, a: number, lag: number): Factor {
  const from = f.start + shift;
  // published before its last down period: received then (age − before, at rate 1/lag), or
  // else after its return, within its clock
  if (a >= f.before) return [0, Math.exp(-(a - f.before) / lag - Math.max(0, f.end - from) / lag)];
  if (a >= f.end) return [Math.exp(-Math.max(0, f.end - from) / lag), 0];
  if (a < from) return [1, 0];
  return [0, Math.exp(-(a - from) / lag)];
}

function sum(x: Factor, y: Factor): Factor {
  return [x[0] + y[0], x[1] + y[1]];
}

/** 1 − a factor of the form (not received), for the z-part of a follower that cannot save the record. */
function received([c, d]: Factor): Factor {
  return [1 - c, -d];
}

/**
 * P(received but not intact at the election): the copy arrived within `flush` of the end
 * of the clock and the loss destroyed the node's unflushed data. The difference of two
 * decays, formed without cancellation: e^(−(u − D)/lag) − e^(−u/lag) = e^(−(u − D)/lag)·(−expm1(−D/lag)).
 */
function brokenFactor(f: Follower, a: number, lag: number): Factor {
  if (!f.destroyed || f.flush === 0) return [0, 0];
  if (a >= f.before) {
    // its copies from before its down period are at rest; of those since its return, the
    // ones within the flush threshold are not
    const since = f.end - f.start;
    const scale = Math.exp(-Math.max(0, since - f.flush) / lag) * -Math.expm1(-Math.min(since, f.flush) / lag);
    return [0, Math.exp(-(a - f.before) / lag) * scale];
  }
  const intact = decay(f, f.flush, a, lag);
  const missing = decay(f, 0, a, lag);
  if (intact[0] === 1 && intact[1] === 0) return received(missing); // nothing durable yet
  const scale = -Math.expm1(-f.flush / lag);
  return [intact[0] * scale, intact[1] * scale];
}

/** ∫_a^b P(this follower lacks the record intact) dx, the successor under ack leader. */
function lacksIntegral(f: Follower, a: number, b: number, lag: number): number {
  const [c, d] = decay(f, f.destroyed ? f.flush : 0, a, lag);
  return c * (b - a) + d * lag * -Math.expm1(-(b - a) / lag);
}

/**
 * A polynomial in y (the decay over the piece) and z (followers that received the record),
 * built as a product of factors (c0 + c1·y) + (d0 + d1·y)·z.
 */
class Poly {
  private coef: Float64Array;
  /** the product being built by multiply: two buffers swapped, nothing allocated per factor */
  private spare: Float64Array;
  private degreeY = 0;
  private degreeZ = 0;
  private readonly width: number;

  constructor(factors: number) {
    this.width = factors + 1;
    this.coef = new Float64Array(this.width * this.width);
    this.spare = new Float64Array(this.width * this.width);
    this.coef[0] = 1;
  }

  /** back to the empty product, 1 */
  reset(): void {
    this.coef.fill(0);
    this.coef[0] = 1;
    this.degreeY = 0;
    this.degreeZ = 0;
  }

  multiply(notReceived: Factor, receivedPart: Factor): void {
    const w = this.width;
    const next = this.spare;
    next.fill(0);
    for (let y = 0; y <= this.degreeY; y++) {
      for (let z = 0; z <= this.degreeZ; z++) {
        const c = this.coef[y * w + z] as number;
        if (c === 0) continue;
        next[y * w + z] = (next[y * w + z] as number) + c * notReceived[0];
        next[(y + 1) * w + z] = (next[(y + 1) * w + z] as number) + c * notReceived[1];
        next[y * w + z + 1] = (next[y * w + z + 1] as number) + c * receivedPart[0];
        next[(y + 1) * w + z + 1] = (next[(y + 1) * w + z + 1] as number) + c * receivedPart[1];
      }
    }
    this.spare = this.coef;
    this.coef = next;
    this.degreeY++;
    this.degreeZ++;
  }

  /** ∫ over the piece of the terms with at least `from` receptions */
  integralFrom(from: number, length: number, lag: number): number {
    return this.integral(from, this.degreeZ, length, lag);
  }

  /** ∫ over the piece of the terms with fewer than `below` receptions */
  integralBelow(below: number, length: number, lag: number): number {
    return this.integral(0, Math.min(below - 1, this.degreeZ), length, lag);
  }

  private integral(zLow: number, zHigh: number, length: number, lag: number): number {
    let total = 0;
    for (let y = 0; y <= this.degreeY; y++) {
      let c = 0;
      for (let z = Math.max(0, zLow); z <= zHigh; z++) c += this.coef[y * this.width + z] as number;
      if (c === 0) continue;
      total += c * (y === 0 ? length : (lag / y) * -Math.expm1((-y * length) / lag));
    }
    return total;
  }
}
