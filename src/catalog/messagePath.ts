/**
 * The message path's entries: loss of a confirmed record (durability.leader_ack,
 * durability.message_path) and duplicates (duplicates.redelivery, duplicates.message_path).
 */

import { InputError } from "../common/errors.js";
import { messageNumber } from "../common/numbers.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { leaderAckLoss, type MessagePathParams, messagePathOutcomes, type Probability, redeliveryShare } from "../formulas/index.js";
import { get, numbers, p, solving } from "./helpers.js";
import type { FormulaEntry, ParamSpec, ResolvedParams } from "./types.js";

// ─── the message path (docs/design.md §3b) ───

const MESSAGE_PATH_SOURCE =
  "mqrel docs/design.md §3b: first-failover analysis of the simulator's mechanics; Kafka replication design (ISR, acks; docs/sources.md), Raft's election restriction (Ongaro & Ousterhout, USENIX ATC 2014, §5.4.1), page-cache writeback and NATS sync_interval (docs/sources.md)";

const MESSAGE_PATH_PARAMS: readonly ParamSpec[] = [
  { name: "n", kind: "count", min: 1, max: 16, meaning: "replicas of the queue (nodes)" },
  { name: "k", kind: "count", min: 1, max: 16, meaning: "nodes an election needs (the quorum)" },
  {
    name: "acks",
    kind: "count",
    min: 1,
    max: 16,
    meaning:
      "replicas holding a record when it is confirmed: 1 = the leader alone (acks=1; any in-sync follower succeeds it), ≥ 2 = the successor holds every confirmed record",
  },
  { name: "lag", kind: "time", meaning: "mean replication lag (exponential; plain number: hours)" },
  {
    name: "window",
    kind: "time",
    allowZero: true,
    default: "0",
    meaning: "fsync os: the page-cache writeback window (0 with interval or always)",
  },
  {
    name: "interval",
    kind: "time",
    allowZero: true,
    default: "0",
    meaning: "fsync interval: the fsync timer's period (0: not this policy)",
  },
  { name: "lambda", kind: "rates", meaning: "failure rate of the leader's node in each mode (list)" },
  { name: "mu", kind: "rates", meaning: "recovery rate in each mode (list): is the old leader back before the election" },
  {
    name: "loses",
    kind: "counts",
    meaning: "per mode, 1 if it destroys unflushed data (OS crash, power, disk), 0 if the page cache survives (list)",
  },
  { name: "failover", kind: "time", allowZero: true, meaning: "mean election time (exponential)" },
  { name: "placement", kind: "counts", optional: true, meaning: "nodes in each zone (list; sums to n)" },
  { name: "lambda_zone", kind: "rate", default: "0", meaning: "outage rate of each zone" },
  { name: "mu_zone", kind: "rate", allowZero: false, optional: true, meaning: "restore rate of a zone (needed with lambda_zone > 0)" },
  {
    name: "zone_loses",
    kind: "count",
    min: 0,
    max: 1,
    default: "1",
    meaning: "1 if a zone outage destroys its nodes' unflushed data (power), 0 if not",
  },
  { name: "lambda_cc", kind: "rate", default: "0", meaning: "rate of common-cause events (every node down at once)" },
  { name: "every", kind: "time", optional: true, meaning: "rolling restarts: a round every this long (with duration)" },
  { name: "duration", kind: "time", optional: true, meaning: "rolling restarts: each node down this long" },
  {
    name: "cc_loses",
    kind: "count",
    min: 0,
    max: 1,
    default: "1",
    meaning: "1 if the common cause destroys unflushed data (power), 0 if not",
  },
];

const MESSAGE_PATH_ASSUMPTIONS = [
  "Poisson failures; exponential recoveries, elections and replication lag",
  "every follower up and in sync when the record is published (their own failures are second order)",
  "a record's fate is decided at the first loss of its leader; planned hand-overs lose nothing",
  "a destroying failure keeps a node's copy only when it was durable: older than the window (os), written before the node's last tick (interval, uniform phase), or at once (always)",
  "acks = 1: the successor is an in-sync follower the loss spared (else a uniformly chosen node); acks ≥ 2: the record survives while any candidate of the election holds it intact",
];

/** The message path's parameters from a formula's --param values. */
function messagePathParams(params: ResolvedParams): MessagePathParams {
  const n = get<number>(params, "n");
  const k = get<number>(params, "k");
  const acks = get<number>(params, "acks");
  if (k > n) throw new InputError(`must be at most n = ${n}, got ${k}`, { path: "k" });
  if (acks > n) throw new InputError(`must be at most n = ${n}, got ${acks}`, { path: "acks" });
  const lambda = numbers(params, "lambda") ?? [];
  const mu = numbers(params, "mu") ?? [];
  const loses = numbers(params, "loses") ?? [];
  if (mu.length !== lambda.length)
    throw new InputError(`needs one recovery rate per mode (${lambda.length}), got ${mu.length}`, { path: "mu" });
  if (loses.length !== lambda.length)
    throw new InputError(`needs one 0/1 per mode (${lambda.length}), got ${loses.length}`, { path: "loses" });
  if (loses.some((l) => l !== 0 && l !== 1)) throw new InputError("expected 1 (destroys unflushed data) or 0 per mode", { path: "loses" });
  mu.forEach((rate) => {
    if (!(rate > 0)) throw new InputError(`recovery rates must be > 0, got ${messageNumber(rate, [0])}`, { path: "mu" });
  });
  const window = get<number>(params, "window");
  const interval = get<number>(params, "interval");
  if (window > 0 && interval > 0)
    throw new InputError("give window (fsync os) or interval (fsync interval), not both", { path: "interval" });
  const placement = numbers(params, "placement");
  if (placement && placement.reduce((a, b) => a + b, 0) !== n) {
    throw new InputError(`must add up to n = ${n}`, { path: "placement" });
  }
  if (placement?.some((size) => size < 1)) throw new InputError("every zone must hold at least one node", { path: "placement" });
  const lambdaZone = get<number>(params, "lambda_zone");
  const muZone = params.get("mu_zone") as number | undefined;
  if (placement && lambdaZone > 0 && muZone === undefined) throw new InputError("is needed with lambda_zone > 0", { path: "mu_zone" });
  const lambdaCc = get<number>(params, "lambda_cc");
  return {
    nodes: n,
    quorum: k,
    acks,
    lag: get(params, "lag"),
    fsync: window > 0 ? "os" : interval > 0 ? "interval" : "always",
    window: window > 0 ? window : interval,
    modes: lambda.map((rate, i) => ({ rate, mttr: 1 / (mu[i] as number), losesUnflushed: loses[i] === 1 })),
    failover: get(params, "failover"),
    ...(placement && lambdaZone > 0
      ? { zones: { placement, rate: lambdaZone, mttr: 1 / (muZone as number), losesUnflushed: get<number>(params, "zone_loses") === 1 } }
      : {}),
    ...(lambdaCc > 0 ? { commonCause: { rate: lambdaCc, losesUnflushed: get<number>(params, "cc_loses") === 1 } } : {}),
    ...maintenanceOf(params),
  };
}

/** Rolling restarts from `every` and `duration` (both, or neither). */
function maintenanceOf(params: ResolvedParams): { maintenance?: { every: number; duration: number } } {
  const every = params.get("every") as number | undefined;
  const duration = params.get("duration") as number | undefined;
  if (every === undefined && duration === undefined) return {};
  if (every === undefined || duration === undefined) {
    throw new InputError("rolling restarts need both every and duration", { path: every === undefined ? "every" : "duration" });
  }
  return { maintenance: { every, duration } };
}

export function messagePathEntries(): FormulaEntry[] {
  const loss = { kind: "loss" as const, valueName: "loss probability", complementName: "survival probability" };
  return [
    {
      id: "durability.leader_ack",
      title: "Loss of a record confirmed by the leader alone, at the leader's failure (acks=1)",
      ...loss,
      math: "P = λ·lag / (1 + λ·lag), complement 1 / (1 + λ·lag)",
      params: [
        {
          name: "lambda",
          kind: "rate",
          meaning:
            "rate of the leader's losses that a follower takes over from: its node's failures, any kind (not an event that takes every node down: the old leader's log goes on from it) (plain number: per hour)",
        },
        { name: "lag", kind: "time", meaning: "mean replication lag (exponential; plain number: hours)" },
      ],
      assumptions: [
        "Poisson failures of the leader's node: a process crash loses the record too (the successor's log wins)",
        "exponential replication lag; the successor is an in-sync follower chosen without regard to its log",
      ],
      source:
        "Kafka ProducerConfig (acks=1: 'should the leader fail immediately after acknowledging the record but before the followers have replicated it then the record will be lost'); Vanlightly, How to lose messages on a Kafka cluster (2018); race of exponentials: Ross, Introduction to Probability Models, 11th ed., §5.2.3",
      compute: (params) => leaderAckLoss(get(params, "lambda"), get(params, "lag")),
    },
    {
      id: "durability.message_path",
      title: "Loss of a confirmed record on the message path (acks, replication lag, fsync, failover)",
      ...loss,
      math: "P = Σ_E r_E ∫_0^∞ e^(−Λx) P(confirmed ∧ lost | E at age x) dx over the leader's losses E (modes, its zone, the common cause), Λ = Σ r_E; lost when the successor (acks=1) or every candidate (acks ≥ 2) lacks an intact copy",
      params: MESSAGE_PATH_PARAMS,
      assumptions: MESSAGE_PATH_ASSUMPTIONS,
      source: MESSAGE_PATH_SOURCE,
      compute: (params) => {
        const result = solving(() => messagePathOutcomes(messagePathParams(params)), "n");
        return {
          ...result.lost,
          method: "first-failover analysis, adaptive Gauss–Kronrod",
          details: {
            lost_unconfirmed: result.lostUnconfirmed,
            unconfirmed_survived: result.unconfirmedSurvived,
            single_copy_unpersisted: result.singleCopyUnpersisted,
            single_copy_unconfirmed: result.singleCopyUnconfirmed,
            leader_losses_per_year: result.leaderLossRate * HOURS_PER_YEAR,
            leader_handovers_per_year: result.handoverRate * HOURS_PER_YEAR,
            destroying_faults_per_year: result.destroyingRate * HOURS_PER_YEAR,
          },
        };
      },
    },
    {
      id: "duplicates.redelivery",
      title: "Redelivered share of deliveries (connection lost or consumer crash between delivery and ack)",
      kind: "loss",
      valueName: "redelivered share",
      complementName: "delivered once",
      math: "P = 1 − e^(−λ_c·p)·(1 − a·(1 − e^(−Λ·p)))",
      params: [
        { name: "rate", kind: "rate", meaning: "Λ: failures of the consumer's broker node (or the queue's leader) while it serves" },
        p("a", "share of the time that broker is up to serve (1 for the queue's leader)", { default: "1" }),
        { name: "consumer_crash_rate", kind: "rate", default: "0", meaning: "λ_c: crashes of the consumer itself" },
        { name: "processing_time", kind: "time", meaning: "p: from delivery to ack" },
      ],
      assumptions: [
        "Poisson interruptions independent of the delivery",
        "a node down when the delivery starts does not fail again within p",
      ],
      source:
        "at-least-once redelivery of unacknowledged deliveries: RabbitMQ Consumer Acknowledgements and Publisher Confirms; Kafka design §4.6 (consumer position after a crash); see docs/sources.md",
      compute: (params) =>
        redeliveryShare(
          get(params, "rate"),
          (get(params, "a") as Probability).value,
          get(params, "consumer_crash_rate"),
          get(params, "processing_time"),
        ),
    },
    {
      id: "duplicates.message_path",
      title: "Duplicated share of records: resends of records that survived unconfirmed, plus redeliveries",
      kind: "loss",
      valueName: "duplicated share",
      complementName: "delivered once",
      math: "P = P(unconfirmed at a failover ∧ survived) [when the publisher resends and the broker keeps resends] + P_redelivery(Λ_leader, a = 1)",
      params: [
        ...MESSAGE_PATH_PARAMS,
        {
          name: "resends",
          kind: "count",
          min: 0,
          max: 1,
          default: "1",
          meaning: "1: the publisher resends unconfirmed records and the broker keeps them (no idempotence)",
        },
        { name: "consumer_crash_rate", kind: "rate", default: "0", meaning: "crashes of the consumer itself" },
        { name: "processing_time", kind: "time", default: "100 ms", meaning: "from delivery to ack" },
      ],
      assumptions: [...MESSAGE_PATH_ASSUMPTIONS, "the two kinds of duplicate are disjoint to first order (their overlap is second order)"],
      source: MESSAGE_PATH_SOURCE,
      compute: (params) => {
        const result = solving(() => messagePathOutcomes(messagePathParams(params)), "n");
        const resend = get<number>(params, "resends") === 1 ? result.unconfirmedSurvived : 0;
        const redelivery = redeliveryShare(result.leaderLossRate, 1, get(params, "consumer_crash_rate"), get(params, "processing_time"));
        return {
          value: resend + redelivery.value,
          complement: redelivery.complement - resend,
          details: { resend_duplicates: resend, redeliveries: redelivery.value },
        };
      },
    },
  ];
}
