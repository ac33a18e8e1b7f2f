/**
 * Exact rational arithmetic on BigInt, for reference values that share no code or
 * rounding with mqrel's doubles. A decimal string like "0.999" becomes 999/1000 exactly.
 */
export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  constructor(num: bigint, den = 1n) {
    if (den === 0n) throw new Error("zero denominator");
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    const g = gcd(num < 0n ? -num : num, den);
    this.num = g === 0n ? 0n : num / g;
    this.den = g === 0n ? 1n : den / g;
  }

  /** "0.999", "1e-9", "3" → exact rational */
  static of(text: string | number | bigint): Rational {
    if (typeof text === "bigint") return new Rational(text);
    const s = String(text);
    const m = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s);
    if (!m) throw new Error(`not a decimal: ${s}`);
    const [, sign, whole = "", frac = "", exp = "0"] = m;
    const digits = BigInt(`${sign}${whole}${frac}` || "0");
    const e = Number(exp) - frac.length;
    return e >= 0 ? new Rational(digits * 10n ** BigInt(e)) : new Rational(digits, 10n ** BigInt(-e));
  }

  add(o: Rational): Rational {
    return new Rational(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational): Rational {
    return new Rational(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Rational): Rational {
    return new Rational(this.num * o.num, this.den * o.den);
  }
  div(o: Rational): Rational {
    return new Rational(this.num * o.den, this.den * o.num);
  }
  pow(n: number): Rational {
    let r = Rational.of(1);
    for (let i = 0; i < n; i++) r = r.mul(this);
    return r;
  }
  isZero(): boolean {
    return this.num === 0n;
  }

  /** The double nearest to this rational (to ~1e-40 relative, far below a double's ulp). */
  toNumber(): number {
    if (this.num === 0n) return 0;
    const negative = this.num < 0n;
    const n = negative ? -this.num : this.num;
    // scale so that the integer quotient has ~45 significant digits
    const shift = 45 - (n.toString().length - this.den.toString().length);
    const scaled = shift >= 0 ? (n * 10n ** BigInt(shift)) / this.den : n / (this.den * 10n ** BigInt(-shift));
    return Number(`${negative ? "-" : ""}${scaled}e${-shift}`);
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export const ONE = Rational.of(1);
export const ZERO = Rational.of(0);

/** Solve A x = b exactly by Gaussian elimination (A square, non-singular). */
export function solveExact(a: Rational[][], b: Rational[]): Rational[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as Rational]);
  for (let col = 0; col < n; col++) {
    const pivot = m.findIndex((row, r) => r >= col && !(row[col] as Rational).isZero());
    if (pivot < 0) throw new Error("singular");
    [m[col], m[pivot]] = [m[pivot] as Rational[], m[col] as Rational[]];
    const pr = m[col] as Rational[];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = m[r] as Rational[];
      const f = (row[col] as Rational).div(pr[col] as Rational);
      if (f.isZero()) continue;
      for (let c = col; c <= n; c++) row[c] = (row[c] as Rational).sub(f.mul(pr[c] as Rational));
    }
  }
  return m.map((row, i) => (row[n] as Rational).div(row[i] as Rational));
}
