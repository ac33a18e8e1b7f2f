/**
 * The queue's in-sync set on the cluster's timeline (messages.isr; docs/model-files.md "The
 * in-sync set"). Mechanics, the simulator's in both modes (exponential times: the formula's
 * assumption, kept in realistic mode too):
 * - while a leader is elected, each up follower in the set falls out of it at rate
 *   `shrink` (a stall, a slow disk, a GC pause) and each up follower out of it is back in
 *   after an exponential time of mean `recover` (it caught up from the leader); a follower
 *   that goes down leaves the set, and one back from down starts out of it (Kafka's
 *   follower catching up from its log end);
 * - without a leader the set is frozen (nobody can catch up, nobody is removed): its
 *   members — the old leader among them — keep their place even while down;
 * - an election takes an up member of the set; when none is up it waits (clean) or, with
 *   `unclean`, takes any up node, which lacks what it did not receive;
 * - a planned hand-over goes to an up member, or, when there is none, to an up node that
 *   catches up first (nothing is lost at a planned hand-over);
 * - the leader is a member while it leads.
 *
 * Events: one per node (its next shrink or catch-up), ids from `firstId`. Nothing is
 * allocated per event.
 */
import { sampleExponential } from "./distributions.js";
import type { EventHeap } from "./heap.js";
import { UP } from "./nodeState.js";
import { nextOpenUnit, type RngState } from "./rng.js";

export class InSyncSet {
  /** 1: in the set (for an up node: in sync; for a down one: a member of a frozen set) */
  readonly member: Uint8Array;
  /** the last choice took a node out of the set (an unclean election) */
  lastUnclean = false;
  private readonly shrinkMean: number;

  constructor(
    private readonly nodes: number,
    private readonly firstId: number,
    shrinkPerHour: number,
    private readonly recoverHours: number,
    readonly unclean: boolean,
  ) {
    this.member = new Uint8Array(nodes).fill(1);
    this.shrinkMean = shrinkPerHour > 0 ? 1 / shrinkPerHour : Number.POSITIVE_INFINITY;
  }

  /** the event `id` is one of this set's */
  owns(id: number): boolean {
    return id >= this.firstId && id < this.firstId + this.nodes;
  }

  /** a node's shrink or catch-up is due (the event is at the heap's root): it changes sides */
  fire(id: number, heap: EventHeap): void {
    heap.cancel(id);
    const j = id - this.firstId;
    this.member[j] = this.member[j] === 1 ? 0 : 1;
  }

  /**
   * After every event: with a leader, a down node leaves the set, the leader is in it, and
   * every up follower has its next change pending; without one, nothing is pending.
   */
  update(t: number, leader: number, live: Uint8Array, heap: EventHeap, rng: RngState): void {
    for (let j = 0; j < this.nodes; j++) {
      const id = this.firstId + j;
      if (leader < 0 || j === leader || live[j] === 0) {
        if (leader >= 0) this.member[j] = j === leader ? 1 : 0;
        if (heap.has(id)) heap.cancel(id);
        continue;
      }
      if (heap.has(id)) continue;
      if (this.member[j] === 1) {
        if (this.shrinkMean !== Number.POSITIVE_INFINITY) heap.schedule(id, t + sampleExponential(rng, this.shrinkMean));
      } else heap.schedule(id, t + sampleExponential(rng, this.recoverHours));
    }
  }

  /** up members (the leader included) */
  upMembers(live: Uint8Array): number {
    let count = 0;
    for (let j = 0; j < this.nodes; j++) if (live[j] === 1 && this.member[j] === 1) count++;
    return count;
  }

  /** may an election be held now: an up member, or (unclean) any up node */
  electable(live: Uint8Array): boolean {
    for (let j = 0; j < this.nodes; j++) if (live[j] === 1 && (this.unclean || this.member[j] === 1)) return true;
    return false;
  }

  /**
   * The election's choice: a uniformly chosen up member other than `except`, else (unclean,
   * or `anyUp` for a planned hand-over) a uniformly chosen up node; −1 when there is none.
   * The chosen node is a member from then on.
   */
  choose(live: Uint8Array, except: number, anyUp: boolean, rng: RngState): number {
    let members = 0;
    let up = 0;
    for (let j = 0; j < this.nodes; j++) {
      if (j === except || live[j] === 0) continue;
      up++;
      if (this.member[j] === 1) members++;
    }
    const fromMembers = members > 0;
    this.lastUnclean = !fromMembers;
    const count = fromMembers ? members : this.unclean || anyUp ? up : 0;
    if (count === 0) return -1;
    let pick = Math.floor(nextOpenUnit(rng) * count);
    for (let j = 0; j < this.nodes; j++) {
      if (j === except || live[j] === 0 || (fromMembers && this.member[j] === 0)) continue;
      if (pick-- === 0) {
        this.member[j] = 1;
        return j;
      }
    }
    return -1;
  }
}

/** Which nodes are up (process, zone, no common cause), into `live`. */
export function liveNodes(live: Uint8Array, state: Uint8Array, zoneUp: Uint8Array, zoneOf: Int32Array, inCommonCause: boolean): Uint8Array {
  for (let j = 0; j < live.length; j++) live[j] = !inCommonCause && state[j] === UP && zoneUp[zoneOf[j] as number] === 1 ? 1 : 0;
  return live;
}
