/**
 * The `messages:` block (docs/design.md §3b) from the parsed file to the model, with one clear
 * error per problem. resolve.ts calls this with its field readers.
 *
 * Decisions (docs/model-files.md "The message path"):
 * - `ack`, `fsync` are required; `replication_lag` too when there are followers (nodes > 1).
 * - `fsync_interval` is required with `fsync: interval` and refused otherwise; `writeback`
 *   (fsync: os) defaults to 30 s, Linux's vm.dirty_expire_centisecs = 3000.
 * - `publisher` defaults: confirms true, idempotent false, confirm_timeout = retry.timeout
 *   when the retry block gives one, else 30 s (Kafka's request.timeout.ms); giving both with
 *   different values is refused (they are the same wait).
 * - `messages:` needs a failure timeline (node mtbf/mttr or failures) and `cluster.failover`
 *   (the message path loses records at failovers); at most {@link MAX_MESSAGE_NODES} nodes.
 * - `messages:` derives message.loss and the article's persistence and ack inputs, so the
 *   direct-input blocks `durability:`, `persistence:` and `ack:` are refused beside it.
 */

import { METRIC, TIE_TOLERANCE } from "../metrics/index.js";
import type { FieldReader } from "./clusterModes.js";
import type { RawModel } from "./schema.js";
import type { ClusterModel, MessagesModel } from "./types.js";

/** The message path's exact measures multiply one factor per follower: keep the groups real. */
export const MAX_MESSAGE_NODES = 16;
/** The in-sync set's formulas enumerate the followers' joint states: keep them small (the presets have 3). */
export const MAX_ISR_NODES = 7;
/** 100 ms between delivery and ack when the model does not say — the formulas' and the simulator's default [assumption] */
export const DEFAULT_PROCESSING_HOURS = 0.1 / 3600;

export function resolveMessages(
  read: FieldReader,
  raw: RawModel,
  cluster: ClusterModel,
  retryTimeoutHours: number | undefined,
): MessagesModel {
  const messages = raw.messages as NonNullable<RawModel["messages"]>;
  const base = ["messages"];
  for (const block of ["durability", "persistence", "ack"] as const) {
    if (raw[block] !== undefined) {
      read.fail(
        [block],
        `give messages: or ${block}: — not both: messages: derives ${block === "durability" ? METRIC.messageLoss : `the article's ${block} inputs`} from the mechanics, ${block}: gives them directly`,
      );
    }
  }
  if (cluster.failureModes === undefined) {
    read.fail(
      base,
      "the message path needs a failure timeline: cluster.node.mtbf and mttr, or cluster.node.failures (not an availability)",
    );
  }
  if (cluster.failover === undefined) {
    read.fail(
      base,
      "the message path needs cluster.failover (the leader election after a failure): the message path loses records at failovers",
    );
  }
  if (cluster.nodes > MAX_MESSAGE_NODES) {
    read.fail(base, `the message path models at most ${MAX_MESSAGE_NODES} nodes (replicas of one queue), got ${cluster.nodes}`);
  }
  let replicationLagHours = 0.001 / 3600; // unused without followers
  if (messages.replication_lag !== undefined) replicationLagHours = read.number([...base, "replication_lag"], messages.replication_lag);
  else if (cluster.nodes > 1)
    read.fail([...base, "replication_lag"], "missing field: the mean time until a follower holds a record, e.g. 20 ms");
  let fsyncIntervalHours = 0;
  if (messages.fsync === "interval") {
    if (messages.fsync_interval === undefined)
      read.fail([...base, "fsync_interval"], "missing field: fsync: interval needs the period, e.g. 1 s");
    fsyncIntervalHours = read.number([...base, "fsync_interval"], messages.fsync_interval);
  } else if (messages.fsync_interval !== undefined) {
    read.fail([...base, "fsync_interval"], `fsync_interval applies to fsync: interval only (fsync is ${messages.fsync})`);
  }
  if (messages.writeback !== undefined && messages.fsync !== "os") {
    read.fail([...base, "writeback"], `writeback applies to fsync: os only (fsync is ${messages.fsync})`);
  }
  const writebackHours = read.number([...base, "writeback"], messages.writeback);
  const publisher = messages.publisher ?? {};
  const path = [...base, "publisher", "confirm_timeout"];
  let confirmTimeoutHours = retryTimeoutHours ?? read.number(path, undefined);
  if (publisher.confirm_timeout !== undefined) {
    confirmTimeoutHours = read.number(path, publisher.confirm_timeout);
    if (retryTimeoutHours !== undefined && Math.abs(confirmTimeoutHours - retryTimeoutHours) > TIE_TOLERANCE * retryTimeoutHours) {
      read.fail(path, "differs from retry.timeout: both are how long the publisher waits for a confirm; give one of them");
    }
  }
  let isr: MessagesModel["isr"];
  if (messages.isr !== undefined) {
    const at = [...base, "isr"];
    if (cluster.nodes < 2) read.fail(at, "the in-sync set needs followers: cluster.nodes is 1");
    if (cluster.nodes > MAX_ISR_NODES)
      read.fail(at, `the in-sync set is modelled for at most ${MAX_ISR_NODES} replicas, got ${cluster.nodes}`);
    isr = {
      shrinkPerHour: read.number([...at, "shrink"], messages.isr.shrink),
      recoverHours: read.number([...at, "recover"], messages.isr.recover),
    };
  }
  const uncleanElection = read.flag([...base, "unclean_election"], messages.unclean_election);
  if (uncleanElection && isr === undefined) {
    read.fail(
      [...base, "unclean_election"],
      "unclean_election needs messages.isr: without the in-sync set every up follower is in sync, and an election never has to take one that is not",
    );
  }
  return {
    ...(isr ? { isr } : {}),
    uncleanElection,
    ack: messages.ack,
    replicationLagHours,
    fsync: messages.fsync,
    fsyncIntervalHours,
    writebackHours,
    publisher: {
      confirms: read.flag([...base, "publisher", "confirms"], publisher.confirms),
      confirmTimeoutHours,
      idempotent: read.flag([...base, "publisher", "idempotent"], publisher.idempotent),
    },
  };
}
