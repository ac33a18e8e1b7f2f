/** An append-only list of doubles on a typed array that doubles when full. */
export class GrowableFloat64 {
  data: Float64Array;
  length = 0;

  constructor(capacity = 64) {
    this.data = new Float64Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** Append `count` zeros; returns the index of the first (write them through `data`, which may have been replaced). */
  extend(count: number): number {
    const start = this.length;
    let capacity = Math.max(1, this.data.length);
    while (capacity < start + count) capacity *= 2;
    if (capacity > this.data.length) {
      const bigger = new Float64Array(capacity);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.length = start + count;
    return start;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
