/**
 * A fleet's partitions on the cluster run's timeline (docs/design.md §3c): the run
 * (cluster.ts) moves its nodes — the brokers — through every mechanism it has (failure
 * modes, crews, zones, the common cause, maintenance), and after each event tells this
 * tracker which brokers may have changed; the tracker keeps, per partition, which of its
 * replicas are up and which are destroyed, and counts what the fleet metrics measure.
 *
 * What a broker is, at any instant, read from the run's own state:
 * - up: its process is up, its zone is up and no common cause is under way;
 * - destroyed (its replica is gone): its process is down in a `loses: disk` mode (also
 *   while a common cause holds it down), or its zone is out in a `loses: disk` outage, or
 *   a `loses: disk` common cause is under way. The replica is back when that ends (rebuilt
 *   from the others, as the formulas have it).
 *
 * What is counted, in the measured window:
 * - a partition is writable while at least `minInsync` of its replicas are up; the time
 *   some partition is not (and such episodes), and the integral of the number not
 *   writable (partition-hours);
 * - a loss: an event after which a partition's replicas are all destroyed when before it
 *   one was not (a `loses: disk` failure of the last survivor's process — while its zone
 *   is out too —, or a `loses: disk` zone outage or common cause); a loss event is an
 *   event that loses at least one partition;
 * - an election: a broker lost unplanned (a failure mode, its zone, the common cause;
 *   not a planned restart, which hands leadership over first) while it leads a partition
 *   — is that partition's first up replica in preference order —, one per partition. An
 *   event that takes several brokers down at once elects once per partition whose leader
 *   it took: leadership is read before any of them is marked down.
 *
 * Losses by their intensity (conditional Monte Carlo): a loss needs every other replica of
 * a partition destroyed when its last intact one fails in a `loses: disk` mode — rare
 * enough (2e-5 a year on a 12-broker Kafka fleet) that counting them would see none. The
 * tracker also keeps, per broker b, k_b = the partitions whose only intact replica is b.
 * While b's process can fail (up, no common cause, no restart under way), a `loses: disk`
 * failure strikes it at rate δ = Σ of its disk modes' rates (exponential failures: a
 * constant hazard), and would lose those k_b partitions. The expected number of such
 * losses in a window is therefore E[∫ δ·Σ_b [b can fail]·[k_b > 0] dt] (loss events) and
 * E[∫ δ·Σ_b [b can fail]·k_b dt] (partitions) — the compensator of the loss process
 * (Brémaud, "Point Processes and Queues" (1981) §II.3; conditional Monte Carlo, Asmussen &
 * Glynn, "Stochastic Simulation" (2007) §V.4) —, measured on the simulated timeline of
 * destroyed replicas, with a smaller variance than the count: the exposure (some k_b > 0)
 * is far more frequent than the loss that ends it. Losses by zone or common-cause outages
 * (`loses: disk`) are counted beside it. With Weibull failures the hazard is not constant
 * and the counted losses are used.
 *
 * Work per event: the partitions of the brokers that changed (a broker's list is
 * contiguous, config.ts FleetSimConfig), never all partitions; nothing is allocated.
 * A partition's replicas are the bits 0 … R − 1 of an int (bit i: the i-th of its
 * preference order), so "is b the leader" is one mask test.
 */
import type { ClusterSimConfig, FleetSimConfig } from "./config.js";
import { MAINTENANCE, UP } from "./nodeState.js";
import { CLUSTER_STATS } from "./records.js";

/** The most replicas per partition the bit masks hold. */
export const MAX_FLEET_REPLICATION = 30;

export class FleetTracker {
  private readonly fleet: FleetSimConfig;
  private readonly minInsync: number;
  private readonly all: number;
  /** per partition: bit i set while its i-th replica's broker is up / its replica is destroyed */
  private readonly upMask: Int32Array;
  private readonly destroyedMask: Int32Array;
  private readonly upReplicas: Uint8Array;
  /** per broker, as last told */
  private readonly brokerUp: Uint8Array;
  private readonly brokerDestroyed: Uint8Array;
  private readonly modeLosesDisk: Uint8Array;
  private readonly zoneLosesDisk: boolean;
  private readonly commonCauseLosesDisk: boolean;
  private readonly origin: number;
  /** δ: the rate of `loses: disk` failures of an up process; the loss estimate by intensity applies (exponential failures) */
  private readonly diskRate: number;
  private readonly byIntensity: boolean;
  /** per broker: partitions whose only intact replica it is (k_b), and whether its process can fail now */
  private readonly soleSurvivor: Int32Array;
  private readonly canFail: Uint8Array;
  /** Σ_b [can fail]·[k_b > 0] and Σ_b [can fail]·k_b */
  private exposedBrokers = 0;
  private exposedPartitions = 0;
  private exposures = 0;
  private windowOpen = false;
  private exposureBrokerHours = 0;
  private exposurePartitionHours = 0;
  private otherLossEvents = 0;
  private otherPartitionsLost = 0;
  private segmentExposureBrokerHours = 0;
  private segmentExposurePartitionHours = 0;
  private segmentOtherLossEvents = 0;
  private segmentOtherPartitionsLost = 0;
  /** partitions not writable now */
  private unwritable = 0;
  /** The number of partitions not writable after the last event told (a region site's fleet is down while it is > 0). */
  get unwritablePartitions(): number {
    return this.unwritable;
  }
  private last = 0;
  // measured-window totals, and the current segment's (regeneration cycle's)
  private downHours = 0;
  private outages = 0;
  private partitionHours = 0;
  private lossEvents = 0;
  private partitionsLost = 0;
  private elections = 0;
  private segmentDown = 0;
  private segmentPartitionHours = 0;
  private segmentLossEvents = 0;
  private segmentPartitionsLost = 0;
  private segmentElections = 0;

  constructor(
    cluster: ClusterSimConfig,
    fleet: FleetSimConfig,
    private readonly state: Uint8Array,
    private readonly failedMode: Int32Array,
    private readonly zoneUp: Uint8Array,
    private readonly zoneOf: Int32Array,
  ) {
    if (!(fleet.replication >= 1 && fleet.replication <= MAX_FLEET_REPLICATION)) {
      throw new RangeError(`FleetTracker requires 1 … ${MAX_FLEET_REPLICATION} replicas per partition, got ${fleet.replication}`);
    }
    this.fleet = fleet;
    this.minInsync = fleet.minInsync;
    this.all = (1 << fleet.replication) - 1;
    this.upMask = new Int32Array(fleet.partitions).fill(this.all);
    this.destroyedMask = new Int32Array(fleet.partitions);
    this.upReplicas = new Uint8Array(fleet.partitions).fill(fleet.replication);
    this.brokerUp = new Uint8Array(cluster.nodes).fill(1);
    this.brokerDestroyed = new Uint8Array(cluster.nodes);
    this.modeLosesDisk = Uint8Array.from(cluster.modes, (m) => (m.losesDisk ? 1 : 0));
    this.zoneLosesDisk = cluster.zones?.losesDisk === true;
    this.commonCauseLosesDisk = cluster.commonCauseLosesDisk === true;
    this.origin = cluster.warmupHours;
    this.diskRate = cluster.modes.reduce((rate, m) => rate + (m.losesDisk ? 1 / m.mtbfHours : 0), 0);
    this.byIntensity = cluster.failure.kind === "exponential";
    this.soleSurvivor = new Int32Array(cluster.nodes);
    this.canFail = new Uint8Array(cluster.nodes).fill(1);
    if (fleet.replication === 1) {
      // one replica: with every broker intact and up, each partition's only intact replica
      // is its broker, which can fail
      for (let b = 0; b < cluster.nodes; b++) {
        const k = (fleet.brokerStart[b + 1] as number) - (fleet.brokerStart[b] as number);
        this.soleSurvivor[b] = k;
        this.exposedPartitions += k;
        if (k > 0) this.exposedBrokers++;
      }
    }
  }

  /** The losses are estimated by their intensity (exponential failures), not counted. */
  static lossesByIntensity(cluster: ClusterSimConfig): boolean {
    return cluster.failure.kind === "exponential";
  }

  /**
   * After an event at `t`: brokers from … to − 1 may have changed. Time up to `t` is
   * integrated in the state before the event; then leaderships are read (elections), then
   * every change is applied.
   */
  sync(t: number, measuring: boolean, from: number, to: number, inCommonCause: boolean): void {
    this.advance(t);
    if (measuring) this.openWindow();
    const state = this.state;
    // Elections against the masks before the event: with one broker, in the same pass that
    // takes it down (its own bit does not change who precedes it); with several, first.
    const one = to === from + 1;
    if (!one && measuring) {
      for (let b = from; b < to; b++) {
        if (this.brokerUp[b] === 1 && !this.isUp(b, inCommonCause) && state[b] !== MAINTENANCE) this.countElections(b);
      }
    }
    let lostHere = 0;
    const exposedBefore = this.exposedBrokers;
    for (let b = from; b < to; b++) {
      const up = this.isUp(b, inCommonCause) ? 1 : 0;
      const destroyed = this.isDestroyed(b, inCommonCause) ? 1 : 0;
      const canFail = !inCommonCause && state[b] === UP ? 1 : 0;
      if (canFail !== this.canFail[b]) this.setCanFail(b, canFail);
      if (destroyed !== this.brokerDestroyed[b]) {
        this.brokerDestroyed[b] = destroyed;
        lostHere += this.setDestroyed(b, destroyed === 1);
      }
      if (up !== this.brokerUp[b]) {
        this.brokerUp[b] = up;
        this.setUp(b, up === 1, measuring, one && measuring && up === 0 && state[b] !== MAINTENANCE);
      }
    }
    if (!measuring) return;
    if (exposedBefore === 0 && this.exposedBrokers > 0) this.exposures++;
    if (lostHere > 0) {
      this.lossEvents++;
      this.segmentLossEvents++;
      this.partitionsLost += lostHere;
      this.segmentPartitionsLost += lostHere;
      // a broker's own event is a failure of its process (its intensity is measured); the others are outages
      if (!one) {
        this.otherLossEvents++;
        this.segmentOtherLossEvents++;
        this.otherPartitionsLost += lostHere;
        this.segmentOtherPartitionsLost += lostHere;
      }
    }
  }

  /** A segment of `length` hours closed (cluster.ts): its sums go into `stats`, and the next starts from zero. */
  closeSegment(stats: Float64Array, length: number): void {
    const S = CLUSTER_STATS;
    const lossEvents = this.byIntensity
      ? this.diskRate * this.segmentExposureBrokerHours + this.segmentOtherLossEvents
      : this.segmentLossEvents;
    const partitionsLost = this.byIntensity
      ? this.diskRate * this.segmentExposurePartitionHours + this.segmentOtherPartitionsLost
      : this.segmentPartitionsLost;
    addMoments(stats, S.sumSegmentFleetDown, S.sumSegmentFleetDownSquared, S.sumSegmentLengthTimesFleetDown, this.segmentDown, length);
    addMoments(
      stats,
      S.sumSegmentFleetPartitionHours,
      S.sumSegmentFleetPartitionHoursSquared,
      S.sumSegmentLengthTimesFleetPartitionHours,
      this.segmentPartitionHours,
      length,
    );
    addMoments(
      stats,
      S.sumSegmentFleetLossEvents,
      S.sumSegmentFleetLossEventsSquared,
      S.sumSegmentLengthTimesFleetLossEvents,
      lossEvents,
      length,
    );
    addMoments(
      stats,
      S.sumSegmentFleetPartitionsLost,
      S.sumSegmentFleetPartitionsLostSquared,
      S.sumSegmentLengthTimesFleetPartitionsLost,
      partitionsLost,
      length,
    );
    addMoments(
      stats,
      S.sumSegmentFleetElections,
      S.sumSegmentFleetElectionsSquared,
      S.sumSegmentLengthTimesFleetElections,
      this.segmentElections,
      length,
    );
    this.segmentDown = 0;
    this.segmentPartitionHours = 0;
    this.segmentLossEvents = 0;
    this.segmentPartitionsLost = 0;
    this.segmentElections = 0;
    this.segmentExposureBrokerHours = 0;
    this.segmentExposurePartitionHours = 0;
    this.segmentOtherLossEvents = 0;
    this.segmentOtherPartitionsLost = 0;
  }

  /** The run ends at `end` (before its last segment is closed): integrate up to it. */
  finish(end: number): void {
    this.advance(end);
    if (end > this.origin) this.openWindow();
  }

  /** The measured window is open: an exposure under way then is an episode of it. */
  private openWindow(): void {
    if (this.windowOpen) return;
    this.windowOpen = true;
    if (this.exposedBrokers > 0) this.exposures++;
  }

  /** The totals into the run's statistics. */
  write(stats: Float64Array): void {
    const S = CLUSTER_STATS;
    stats[S.fleetDownHours] = this.downHours;
    stats[S.fleetOutages] = this.outages;
    stats[S.fleetPartitionHours] = this.partitionHours;
    stats[S.fleetLossEvents] = this.lossEvents;
    stats[S.fleetPartitionsLost] = this.partitionsLost;
    stats[S.fleetElections] = this.elections;
    stats[S.fleetExpectedLossEvents] = this.diskRate * this.exposureBrokerHours + this.otherLossEvents;
    stats[S.fleetExpectedPartitionsLost] = this.diskRate * this.exposurePartitionHours + this.otherPartitionsLost;
    stats[S.fleetLossExposures] = this.exposures;
    stats[S.fleetOutageLossEvents] = this.otherLossEvents;
  }

  private isUp(b: number, inCommonCause: boolean): boolean {
    return !inCommonCause && this.state[b] === UP && this.zoneUp[this.zoneOf[b] as number] === 1;
  }

  private isDestroyed(b: number, inCommonCause: boolean): boolean {
    if (inCommonCause && this.commonCauseLosesDisk) return true;
    if (this.zoneLosesDisk && this.zoneUp[this.zoneOf[b] as number] === 0) return true;
    const s = this.state[b] as number;
    if (s === UP || s === MAINTENANCE) return false;
    const mode = this.failedMode[b] as number;
    // a node the common cause found up or restarting has no failed mode (−1); one it found
    // down for a failure (now COMMON_CAUSE) keeps its mode, and its replica stays destroyed,
    // until the restore
    return mode >= 0 && this.modeLosesDisk[mode] === 1;
  }

  /** Time from the last event to `t`, in the state before the event at `t`. */
  private advance(t: number): void {
    const from = Math.max(this.last, this.origin);
    if (t > from) {
      const dt = t - from;
      if (this.unwritable > 0) {
        this.downHours += dt;
        this.segmentDown += dt;
      }
      const partitionHours = this.unwritable * dt;
      this.partitionHours += partitionHours;
      this.segmentPartitionHours += partitionHours;
      if (this.exposedBrokers > 0) {
        const brokerHours = this.exposedBrokers * dt;
        const exposedPartitionHours = this.exposedPartitions * dt;
        this.exposureBrokerHours += brokerHours;
        this.segmentExposureBrokerHours += brokerHours;
        this.exposurePartitionHours += exposedPartitionHours;
        this.segmentExposurePartitionHours += exposedPartitionHours;
      }
    }
    this.last = t;
  }

  /** Broker b, up until now, is lost unplanned: one election for each partition it leads. */
  private countElections(b: number): void {
    const { brokerStart, brokerPartition, brokerPosition } = this.fleet;
    const upMask = this.upMask;
    let count = 0;
    for (let s = brokerStart[b] as number, e = brokerStart[b + 1] as number; s < e; s++) {
      const below = (1 << (brokerPosition[s] as number)) - 1;
      if (((upMask[brokerPartition[s] as number] as number) & below) === 0) count++;
    }
    this.elections += count;
    this.segmentElections += count;
  }

  /**
   * Broker b's replicas destroyed (or rebuilt); returns the partitions this lost. Each
   * partition's sole intact replica, if it has one, is kept (k_b) before and after.
   */
  private setDestroyed(b: number, destroyed: boolean): number {
    const { brokerStart, brokerPartition, brokerPosition, partitionBrokers, replication } = this.fleet;
    const mask = this.destroyedMask;
    const all = this.all;
    let lost = 0;
    for (let s = brokerStart[b] as number, e = brokerStart[b + 1] as number; s < e; s++) {
      const p = brokerPartition[s] as number;
      const bit = 1 << (brokerPosition[s] as number);
      const before = mask[p] as number;
      const after = destroyed ? before | bit : before & ~bit;
      mask[p] = after;
      if (after === all && before !== all) lost++;
      // the intact replicas before and after: one alone is its partition's last
      const intactBefore = all & ~before;
      if (intactBefore !== 0 && (intactBefore & (intactBefore - 1)) === 0) {
        this.addSoleSurvivor(partitionBrokers[p * replication + 31 - Math.clz32(intactBefore)] as number, -1);
      }
      const intactAfter = all & ~after;
      if (intactAfter !== 0 && (intactAfter & (intactAfter - 1)) === 0) {
        this.addSoleSurvivor(partitionBrokers[p * replication + 31 - Math.clz32(intactAfter)] as number, 1);
      }
    }
    return lost;
  }

  /** k_b ± 1, and the exposure sums when b can fail. */
  private addSoleSurvivor(b: number, change: number): void {
    const before = this.soleSurvivor[b] as number;
    const after = before + change;
    this.soleSurvivor[b] = after;
    if (this.canFail[b] === 1) {
      this.exposedPartitions += change;
      if (before === 0) this.exposedBrokers++;
      else if (after === 0) this.exposedBrokers--;
    }
  }

  /** b's process can fail (or no longer): its k_b enters (leaves) the exposure sums. */
  private setCanFail(b: number, canFail: number): void {
    this.canFail[b] = canFail;
    const k = this.soleSurvivor[b] as number;
    if (k === 0) return;
    const sign = canFail === 1 ? 1 : -1;
    this.exposedPartitions += sign * k;
    this.exposedBrokers += sign;
  }

  /**
   * Broker b up (or down): its partitions' up replicas, and the count not writable; going
   * down with `elect`, one election for each partition it led (no earlier replica up).
   */
  private setUp(b: number, up: boolean, measuring: boolean, elect: boolean): void {
    const { brokerStart, brokerPartition, brokerPosition } = this.fleet;
    const upMask = this.upMask;
    const upReplicas = this.upReplicas;
    const m = this.minInsync;
    const wasWritable = this.unwritable === 0;
    let unwritable = this.unwritable;
    let elections = 0;
    for (let s = brokerStart[b] as number, e = brokerStart[b + 1] as number; s < e; s++) {
      const p = brokerPartition[s] as number;
      const bit = 1 << (brokerPosition[s] as number);
      const mask = upMask[p] as number;
      if (up) {
        upMask[p] = mask | bit;
        const count = (upReplicas[p] as number) + 1;
        upReplicas[p] = count;
        if (count === m) unwritable--;
      } else {
        // b led p when no replica before it (the bits below its own) is up
        if (elect && (mask & (bit - 1)) === 0) elections++;
        upMask[p] = mask & ~bit;
        const count = (upReplicas[p] as number) - 1;
        upReplicas[p] = count;
        if (count === m - 1) unwritable++;
      }
    }
    this.unwritable = unwritable;
    this.elections += elections;
    this.segmentElections += elections;
    if (wasWritable && unwritable > 0 && measuring) this.outages++;
  }
}

/** A segment's Y into Σ Y, Σ Y², Σ τ·Y (zeros add nothing and are skipped: the same bits). */
function addMoments(stats: Float64Array, sum: number, squares: number, withLength: number, y: number, length: number): void {
  if (y === 0) return;
  stats[sum] = (stats[sum] as number) + y;
  stats[squares] = (stats[squares] as number) + y * y;
  stats[withLength] = (stats[withLength] as number) + length * y;
}
