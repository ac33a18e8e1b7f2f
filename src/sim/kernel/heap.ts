/**
 * An indexed binary min-heap of event times for a fixed set of ids (0..capacity−1): each
 * id has at most one pending event, which can be scheduled, moved or cancelled in
 * O(log n). Ties are broken by id, so the order of simultaneous events is deterministic.
 * Typed arrays only: nothing is allocated after construction.
 */
export class EventHeap {
  /** per slot of the heap: the event's time and id (times kept in heap order: no indirection when sifting) */
  private readonly key: Float64Array;
  private readonly heap: Int32Array;
  /** per id: its slot in the heap, −1 when it has no pending event */
  private readonly position: Int32Array;
  size = 0;

  /**
   * @param tracked keep each id's slot, which {@link cancel}, {@link has} and a move by
   *   {@link schedule} need; without it (a caller that only ever schedules new ids and
   *   moves the root) sifting writes one array fewer per level, and the order of events is
   *   the same.
   */
  constructor(
    capacity: number,
    private readonly tracked = true,
  ) {
    this.key = new Float64Array(capacity);
    this.heap = new Int32Array(capacity);
    this.position = new Int32Array(capacity).fill(-1);
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.position[this.heap[i] as number] = -1;
    this.size = 0;
  }

  /** Id of the earliest event (the heap must not be empty). */
  peekId(): number {
    return this.heap[0] as number;
  }

  peekTime(): number {
    return this.key[0] as number;
  }

  has(id: number): boolean {
    if (!this.tracked) untracked();
    return (this.position[id] as number) >= 0;
  }

  /** Schedule id at time t, or move it there if it is already scheduled. */
  schedule(id: number, t: number): void {
    const at = this.position[id] as number;
    if (at < 0) {
      // (untracked: every id is new, by the caller's promise)
      const slot = this.size++;
      this.up(slot, id, t);
    } else {
      const old = this.key[at] as number;
      if (t < old) this.up(at, id, t);
      else this.down(at, id, t);
    }
  }

  /**
   * Move the earliest event (the root) to a time no earlier than its own: the common case
   * of an event that reschedules itself, one sift down without looking up its position.
   */
  delayTop(t: number): void {
    if (this.tracked) this.down(0, this.heap[0] as number, t);
    else this.downUntracked(t);
  }

  /** Remove and return the earliest id. */
  pop(): number {
    const top = this.heap[0] as number;
    const last = --this.size;
    this.position[top] = -1;
    if (last > 0) this.down(0, this.heap[last] as number, this.key[last] as number);
    return top;
  }

  cancel(id: number): void {
    if (!this.tracked) untracked();
    const at = this.position[id] as number;
    if (at < 0) return;
    const last = --this.size;
    this.position[id] = -1;
    if (at < last) {
      const lastId = this.heap[last] as number;
      const lastTime = this.key[last] as number;
      const parent = (at - 1) >> 1;
      const pt = this.key[parent] as number;
      if (at > 0 && (lastTime < pt || (lastTime === pt && lastId < (this.heap[parent] as number)))) this.up(at, lastId, lastTime);
      else this.down(at, lastId, lastTime);
    }
  }

  /** Place (id, t) at `slot` or above it: the slot's subtree is in order and t is no later than its children. */
  private up(slot: number, id: number, t: number): void {
    const heap = this.heap;
    const key = this.key;
    const position = this.position;
    while (slot > 0) {
      const parentSlot = (slot - 1) >> 1;
      const pt = key[parentSlot] as number;
      const parent = heap[parentSlot] as number;
      if (pt <= t && (pt < t || parent < id)) break;
      heap[slot] = parent;
      key[slot] = pt;
      position[parent] = slot;
      slot = parentSlot;
    }
    heap[slot] = id;
    key[slot] = t;
    position[id] = slot;
  }

  /** Place (id, t) at `slot` or below it: everything above the slot is no later than t. */
  private down(slot: number, id: number, t: number): void {
    const heap = this.heap;
    const key = this.key;
    const position = this.position;
    const size = this.size;
    for (;;) {
      let child = 2 * slot + 1;
      if (child >= size) break;
      let ct = key[child] as number;
      let childId = heap[child] as number;
      const right = child + 1;
      if (right < size) {
        const rt = key[right] as number;
        if (rt <= ct && (rt < ct || (heap[right] as number) < childId)) {
          child = right;
          childId = heap[right] as number;
          ct = rt;
        }
      }
      if (t <= ct && (t < ct || id < childId)) break;
      heap[slot] = childId;
      key[slot] = ct;
      position[childId] = slot;
      slot = child;
    }
    heap[slot] = id;
    key[slot] = t;
    position[id] = slot;
  }

  /** {@link down} from the root without keeping slots: the loop of an untracked heap's {@link delayTop}. */
  private downUntracked(t: number): void {
    const heap = this.heap;
    const key = this.key;
    const size = this.size;
    const id = heap[0] as number;
    let slot = 0;
    for (;;) {
      let child = 2 * slot + 1;
      if (child >= size) break;
      let ct = key[child] as number;
      let childId = heap[child] as number;
      const right = child + 1;
      if (right < size) {
        const rt = key[right] as number;
        if (rt <= ct && (rt < ct || (heap[right] as number) < childId)) {
          child = right;
          childId = heap[right] as number;
          ct = rt;
        }
      }
      if (t <= ct && (t < ct || id < childId)) break;
      heap[slot] = childId;
      key[slot] = ct;
      slot = child;
    }
    heap[slot] = id;
    key[slot] = t;
  }
}

/** The cold path of an untracked heap asked for an id's slot. */
function untracked(): never {
  throw new Error("EventHeap: cancel and has need a tracked heap");
}
