/** Neumaier's compensated sum, for the test references that add terms of all sizes (fleetBruteForce.ts, fleetChain.ts, regionChain.ts). */
export class Sum {
  private sum = 0;
  private carry = 0;
  add(x: number): void {
    const t = this.sum + x;
    this.carry += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.carry;
  }
}
