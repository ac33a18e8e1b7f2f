/**
 * Reference unavailability of a repairable k-of-n cluster with a common cause, from the
 * balance equations of its Markov chain solved by exact Gaussian elimination in BigInt
 * rationals (no code or rounding shared with src/formulas/ctmc.ts's GTH solver).
 *
 * States: i nodes up (0..n) and C; i → i−1 at iλ, i → i+1 at min(crews, n−i)μ, i → C at
 * λ_cc, C → n at μ_cc; down while i < k or in C.
 */
import { Rational, solveExact } from "./rational.js";

export interface ChainParams {
  readonly nodes: number;
  readonly quorum: number;
  readonly crews: number;
  readonly mtbfHours: number;
  readonly mttrHours: number;
  readonly ccRatePerHour: number;
  readonly ccMttrHours: number;
}

export function chainUnavailability(p: ChainParams): number {
  const n = p.nodes;
  const lambda = Rational.of(1).div(Rational.of(String(p.mtbfHours)));
  const mu = Rational.of(1).div(Rational.of(String(p.mttrHours)));
  const lcc = Rational.of(String(p.ccRatePerHour));
  const mcc = Rational.of(1).div(Rational.of(String(p.ccMttrHours)));
  const zero = Rational.of(0);
  const size = n + 2;
  const c = n + 1;
  const q = Array.from({ length: size }, () => Array.from({ length: size }, () => zero));
  for (let i = 0; i <= n; i++) {
    const row = q[i] as Rational[];
    if (i > 0) row[i - 1] = lambda.mul(Rational.of(i));
    if (i < n) row[i + 1] = mu.mul(Rational.of(Math.min(p.crews, n - i)));
    row[c] = lcc;
  }
  (q[c] as Rational[])[n] = mcc;
  // π Q = 0 for states 0..size−2; the last equation replaced by Σ π = 1
  const a: Rational[][] = [];
  const b: Rational[] = [];
  for (let j = 0; j < size - 1; j++) {
    a.push(
      Array.from({ length: size }, (_, i) =>
        i === j ? (q[j] as Rational[]).reduce((s, r) => s.add(r), zero).mul(Rational.of(-1)) : ((q[i] as Rational[])[j] as Rational),
      ),
    );
    b.push(zero);
  }
  a.push(Array.from({ length: size }, () => Rational.of(1)));
  b.push(Rational.of(1));
  const pi = solveExact(a, b);
  let u = pi[c] as Rational;
  for (let i = 0; i < p.quorum; i++) u = u.add(pi[i] as Rational);
  return u.toNumber();
}
