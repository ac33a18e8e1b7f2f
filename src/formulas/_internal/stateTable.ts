/**
 * A set of fixed-width integer keys (a state packed into `words` 32-bit words), numbered
 * in the order they were added: an open-addressing hash table over one flat Int32Array
 * of keys. It replaces a Map<string, number> keyed by joined arrays — no strings, no
 * objects per state, so a chain of a million states costs a few typed arrays.
 *
 * @internal
 */
export class StateTable {
  /** number of keys added */
  size = 0;
  /** key i occupies keys[i·words … (i+1)·words) */
  keys: Int32Array;
  /** true when the last add() created a new entry */
  added = false;
  /** hash slots: index + 1, 0 when empty (power-of-two length, at most half full) */
  private slots: Int32Array;
  private slotMask: number;
  /** indices given out by reserve() (a handful at most) */
  private readonly reserved: number[] = [];

  constructor(
    readonly words: number,
    capacity = 256,
  ) {
    this.keys = new Int32Array(Math.max(1, capacity) * words);
    let slotCount = 16;
    while (slotCount < 2 * capacity) slotCount *= 2;
    this.slots = new Int32Array(slotCount);
    this.slotMask = slotCount - 1;
  }

  /** Index of the key at buf[at …], or −1. */
  find(buf: Int32Array, at: number): number {
    const w = this.words;
    const keys = this.keys;
    let slot = hash(buf, at, w) & this.slotMask;
    for (;;) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return -1;
      const base = (entry - 1) * w;
      let same = true;
      for (let j = 0; j < w; j++) {
        if (keys[base + j] !== buf[at + j]) {
          same = false;
          break;
        }
      }
      if (same) return entry - 1;
      slot = (slot + 1) & this.slotMask;
    }
  }

  /** Index of the key at buf[at …], added at the end when new (then `added` is true). */
  add(buf: Int32Array, at: number): number {
    const w = this.words;
    let keys = this.keys;
    let slot = hash(buf, at, w) & this.slotMask;
    for (;;) {
      const entry = this.slots[slot] as number;
      if (entry === 0) break;
      const base = (entry - 1) * w;
      let same = true;
      for (let j = 0; j < w; j++) {
        if (keys[base + j] !== buf[at + j]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.added = false;
        return entry - 1;
      }
      slot = (slot + 1) & this.slotMask;
    }
    const index = this.size;
    if ((index + 1) * w > keys.length) {
      const grown = new Int32Array(keys.length * 2);
      grown.set(keys);
      this.keys = keys = grown;
    }
    for (let j = 0; j < w; j++) keys[index * w + j] = buf[at + j] as number;
    this.size = index + 1;
    this.slots[slot] = index + 1;
    this.added = true;
    if (2 * this.size > this.slots.length) this.rehash();
    return index;
  }

  /**
   * A new index that no key finds (its key words read as zero): a state that stands for
   * something outside the key space (an aggregated set of states).
   */
  reserve(): number {
    const w = this.words;
    if ((this.size + 1) * w > this.keys.length) {
      const grown = new Int32Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys.fill(0, this.size * w, (this.size + 1) * w);
    this.added = true;
    this.reserved.push(this.size);
    return this.size++;
  }

  /** An independent copy: adding to one leaves the other as it was. */
  clone(): StateTable {
    const copy = new StateTable(this.words, 1);
    copy.size = this.size;
    copy.keys = this.keys.slice();
    copy.slots = this.slots.slice();
    copy.slotMask = this.slotMask;
    copy.reserved.push(...this.reserved);
    return copy;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    const w = this.words;
    for (let i = 0; i < this.size; i++) {
      if (this.reserved.includes(i)) continue;
      let slot = hash(this.keys, i * w, w) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = i + 1;
    }
    this.slots = slots;
    this.slotMask = mask;
  }
}

/** A 32-bit mix of `w` words (multiply-xorshift, as in murmur3's finaliser). */
function hash(buf: Int32Array, at: number, w: number): number {
  let h = 0x811c9dc5 ^ w;
  for (let j = 0; j < w; j++) {
    h = Math.imul(h ^ (buf[at + j] as number), 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
