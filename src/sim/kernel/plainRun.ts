/**
 * One simulation run: the cluster's timeline, then — on that same timeline — message
 * loss, redeliveries (duplicates) and retry outcomes. Returns plain numbers only, so a
 * run can come back from a worker thread as one Float64Array.
 */
import { CONTROL_MASK, type RunControl, simulateCluster, warmUpControl } from "./cluster.js";
import type { SimConfig } from "./config.js";
import { emptyMeasures, measureMessagePath } from "./messagePath.js";
import { CLUSTER_STATS, LEADERSHIP, RUN_RECORD } from "./records.js";
import { nextOpenUnit, type RngState, seedState } from "./rng.js";
import { contains, lossTimeline, measure, poissonTimes, windowsBefore } from "./timeline.js";

/**
 * Attempt starts closer to the deadline than this share of it count as at the deadline:
 * the same tolerance as the retry formula's (src/formulas/retry.ts), written twice because
 * the simulator may not import the formulas it checks.
 */
const DEADLINE_RELATIVE_TOLERANCE = 1e-12;

/** The slots of a run's record (records.ts); exported here too for the estimators, which read runs' records. */
export { RUN_RECORD };

/**
 * Simulate one run. With a `control`, the run stops early (at the simulated time it has
 * reached) when the stop flag is raised; the record then covers [0, that time) and says
 * so in its `stopped` field.
 */
export function simulateRun(config: SimConfig, rng: RngState, control?: RunControl): Float64Array {
  const realistic = config.mode === "realistic";
  const needDown = config.retry?.failDuringOutages;
  const cluster = simulateCluster(
    config.cluster,
    config.horizonHours,
    rng,
    {
      downIntervals: needDown,
      nodeZeroFailures: config.duplicates !== undefined && config.messages === undefined,
      leadership: config.messages !== undefined,
      commonCause: realistic && config.durability?.commonCauseDestroysPageCache === true,
    },
    control,
  );
  const out = new Float64Array(RUN_RECORD.size);
  out.set(cluster.stats);
  // the time actually simulated (less than the horizon when the run was stopped)
  const horizon = cluster.stats[CLUSTER_STATS.horizonHours] as number;

  const durability = config.durability;
  if (durability) {
    const w = durability.windowHours;
    const replicaCrashes: Float64Array[] = [];
    for (let j = 0; j < durability.replicas; j++) replicaCrashes.push(poissonTimes(durability.crashRatePerHour, horizon + w, rng));
    let correlated = poissonTimes(durability.correlatedCrashRatePerHour, horizon + w, rng);
    if (cluster.commonCauseTimes && cluster.commonCauseTimes.length > 0) correlated = mergeSorted(correlated, cluster.commonCauseTimes);
    const loss = lossTimeline(replicaCrashes, correlated, w, horizon);
    out[RUN_RECORD.lostMeasure] = loss.lostMeasure;
    out[RUN_RECORD.lossEpisodes] = loss.episodes;
  }

  out[RUN_RECORD.queueUpHours] = horizon - (cluster.stats[CLUSTER_STATS.queueDowntimeHours] as number);
  const messages = config.messages;
  if (messages && cluster.leadership) {
    const n = config.cluster.nodes;
    // each node's fsync timer runs at a phase of its own
    const phases = new Float64Array(n);
    if (messages.fsync === "interval") for (let j = 0; j < n; j++) phases[j] = nextOpenUnit(rng) * messages.windowHours;
    const measures = emptyMeasures();
    measureMessagePath(messages, cluster.leadership, n, phases, measures);
    out[RUN_RECORD.lostConfirmed] = measures.lostConfirmed;
    out[RUN_RECORD.lostUnconfirmed] = measures.lostUnconfirmed;
    out[RUN_RECORD.unconfirmedSurvived] = measures.unconfirmedSurvived;
    out[RUN_RECORD.singleCopyUnpersisted] = measures.singleCopyUnpersisted;
    out[RUN_RECORD.singleCopyUnconfirmed] = measures.singleCopyUnconfirmed;
    out[RUN_RECORD.lossEvents] = measures.lossEvents;
    out[RUN_RECORD.unconfirmedEvents] = measures.unconfirmedEvents;
    out[RUN_RECORD.destroyingEvents] = measures.destroyingEvents;
    if (config.duplicates) {
      // A delivery is redelivered when its leader (the consumer's channel) is lost, or the
      // consumer crashes, between delivery and ack; a resend duplicates a record that was
      // unconfirmed at a leader loss and survived it.
      const losses = leaderLossTimes(cluster.leadership, n);
      const processing = config.duplicates.processingHours;
      const consumerCrashes = poissonTimes(config.duplicates.consumerCrashRatePerHour, horizon + processing, rng);
      const windows = windowsBefore(mergeSorted(losses, consumerCrashes), processing, horizon);
      out[RUN_RECORD.duplicateMeasure] = measure(windows);
      out[RUN_RECORD.duplicateEpisodes] = windows.length / 2 + (messages.resendDuplicates ? measures.unconfirmedEvents : 0);
      out[RUN_RECORD.messageDuplicateMeasure] =
        (out[RUN_RECORD.duplicateMeasure] as number) + (messages.resendDuplicates ? measures.unconfirmedSurvived : 0);
    }
  }

  if (config.duplicates && cluster.nodeZeroFailures) {
    // A delivery is redelivered when its consumer's broker node (node 0) fails, or the
    // consumer itself crashes, after delivery and before the ack.
    const consumerCrashes = poissonTimes(config.duplicates.consumerCrashRatePerHour, horizon + config.duplicates.processingHours, rng);
    const interruptions = consumerCrashes.length > 0 ? mergeSorted(cluster.nodeZeroFailures, consumerCrashes) : cluster.nodeZeroFailures;
    const windows = windowsBefore(interruptions, config.duplicates.processingHours, horizon);
    out[RUN_RECORD.duplicateMeasure] = measure(windows);
    out[RUN_RECORD.duplicateEpisodes] = windows.length / 2;
  }

  const retry = config.retry;
  if (retry) {
    const down = cluster.downIntervals ?? new Float64Array(0);
    const finiteDeadline = Number.isFinite(retry.deadlineHours);
    // a client starts no attempt at or after its deadline (decimal schedules carry rounding)
    const cutoff = finiteDeadline ? retry.deadlineHours * (1 - DEADLINE_RELATIVE_TOLERANCE) : Number.POSITIVE_INFINITY;
    const span = finiteDeadline ? retry.deadlineHours : 0;
    let failures = 0;
    let sequences = 0;
    for (let i = 0; i < retry.samplesPerRun; i++) {
      if (control !== undefined && (i & CONTROL_MASK) === 0 && Atomics.load(control.stop, 0) !== 0) break;
      sequences++;
      const start = nextOpenUnit(rng) * Math.max(0, horizon - span);
      let offset = 0;
      let backoff = retry.backoffInitialHours;
      let succeeded = false;
      for (let attempt = 0; attempt < retry.attempts && offset < cutoff; attempt++) {
        const transientOk = nextOpenUnit(rng) < retry.pSuccess;
        const clusterOk = !retry.failDuringOutages || !contains(down, start + offset);
        if (transientOk && clusterOk) {
          succeeded = true;
          break;
        }
        // the failure is noticed when the attempt times out; then the client backs off
        offset += retry.timeoutHours + Math.min(backoff, retry.backoffMaxHours);
        backoff *= retry.backoffMultiplier;
      }
      if (!succeeded) failures++;
    }
    out[RUN_RECORD.retrySequences] = sequences;
    out[RUN_RECORD.retryFailures] = failures;
  }
  return out;
}

/**
 * Run a few very short simulations of the same model before the real ones, so that every
 * code path (including the ones after the event loop) has type feedback before V8
 * optimises the loop. Without it the first optimised code is thrown away at the end of
 * the first run, and a fresh worker needs several runs to get back to full speed.
 */
export function warmUp(config: SimConfig): void {
  const mode = config.cluster.modes[0] as { mtbfHours: number; mttrHours: number };
  const horizon = Math.min(config.horizonHours, 20 * (mode.mtbfHours + mode.mttrHours));
  const retry = config.retry ? { retry: { ...config.retry, samplesPerRun: 10 } } : {};
  // With a control, as the real runs have, so that its checks get their feedback too; and
  // with a horizon that is a whole number and one that is not: V8 keeps small integers
  // apart from doubles, and arithmetic that only ever saw the one would deoptimise the loop
  // at the end of every real run that has the other (each run then re-entered the loop on
  // the stack, unoptimised: 1.3× slower).
  const control = warmUpControl();
  for (let i = 0; i < 3; i++) {
    const short: SimConfig = { ...config, horizonHours: i === 1 ? horizon * 0.75 + 0.5 : horizon, ...retry };
    simulateRun(short, seedState(i + 0x5eed), control);
  }
}

/** The times of the leader's losses, in order. */
function leaderLossTimes(leadership: Float64Array, nodes: number): Float64Array {
  const stride = LEADERSHIP.stride(nodes);
  const times = new Float64Array(Math.floor(leadership.length / stride));
  for (let i = 0; i < times.length; i++) times[i] = leadership[i * stride + LEADERSHIP.lostAt] as number;
  return times;
}

function mergeSorted(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number))) out[k++] = a[i++] as number;
    else out[k++] = b[j++] as number;
  }
  return out;
}
