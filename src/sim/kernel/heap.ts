/**
 * An indexed binary min-heap of event times for a fixed set of ids (0..capacity−1): each
 * id has at most one pending event, which can be scheduled, moved or cancelled in
 * O(log n). Ties are broken by id, so the order of simultaneous events is deterministic.
 * Typed arrays only: nothing is allocated after construction.
 */
export class EventHeap {
  private readonly time: Float64Array;
  private readonly heap: Int32Array;
  private readonly position: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
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
    return this.time[this.heap[0] as number] as number;
  }

  has(id: number): boolean {
    return (this.position[id] as number) >= 0;
  }

  /** Schedule id at time t, or move it there if it is already scheduled. */
  schedule(id: number, t: number): void {
    const at = this.position[id] as number;
    if (at < 0) {
      const slot = this.size++;
      this.heap[slot] = id;
      this.position[id] = slot;
      this.time[id] = t;
      this.up(slot);
    } else {
      const old = this.time[id] as number;
      this.time[id] = t;
      if (t < old) this.up(at);
      else this.down(at);
    }
  }

  /**
   * Move the earliest event (the root) to a time no earlier than its own: the common case
   * of an event that reschedules itself, one sift down without looking up its position.
   */
  delayTop(t: number): void {
    this.time[this.heap[0] as number] = t;
    this.down(0);
  }

  /** Remove and return the earliest id. */
  pop(): number {
    const top = this.heap[0] as number;
    const last = this.heap[--this.size] as number;
    this.position[top] = -1;
    if (this.size > 0) {
      this.heap[0] = last;
      this.position[last] = 0;
      this.down(0);
    }
    return top;
  }

  cancel(id: number): void {
    const at = this.position[id] as number;
    if (at < 0) return;
    const last = this.heap[--this.size] as number;
    this.position[id] = -1;
    if (at < this.size) {
      this.heap[at] = last;
      this.position[last] = at;
      this.up(at);
      this.down(this.position[last] as number);
    }
  }

  private up(slot: number): void {
    const heap = this.heap;
    const time = this.time;
    const position = this.position;
    const id = heap[slot] as number;
    const t = time[id] as number;
    while (slot > 0) {
      const parentSlot = (slot - 1) >> 1;
      const parent = heap[parentSlot] as number;
      const pt = time[parent] as number;
      if (pt < t || (pt === t && parent < id)) break;
      heap[slot] = parent;
      position[parent] = slot;
      slot = parentSlot;
    }
    heap[slot] = id;
    position[id] = slot;
  }

  private down(slot: number): void {
    const heap = this.heap;
    const time = this.time;
    const position = this.position;
    const id = heap[slot] as number;
    const t = time[id] as number;
    const size = this.size;
    for (;;) {
      let child = 2 * slot + 1;
      if (child >= size) break;
      let childId = heap[child] as number;
      let ct = time[childId] as number;
      const right = child + 1;
      if (right < size) {
        const rightId = heap[right] as number;
        const rt = time[rightId] as number;
        if (rt < ct || (rt === ct && rightId < childId)) {
          child = right;
          childId = rightId;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && id < childId)) break;
      heap[slot] = childId;
      position[childId] = slot;
      slot = child;
    }
    heap[slot] = id;
    position[id] = slot;
  }
}
