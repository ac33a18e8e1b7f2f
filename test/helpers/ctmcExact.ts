/**
 * Reference for the k-of-n repairable cluster as a Markov chain (docs/design.md §2,
 * docs/formulas.md "The chain behind availability.ctmc"), built independently of src/ and solved in exact
 * rational arithmetic: the balance equations πQ = 0, Σπ = 1 by Gaussian elimination, and
 * the mean time from all-up to losing quorum by solving (−Q_TT)·t = 1 on the up states.
 * Rates are decimal text ("0.0001" per hour), so nothing is rounded before the solution.
 */
import { ONE, Rational, solveExact, ZERO } from "./rational.js";

export interface ChainSpec {
  n: number;
  k: number;
  lambda: string;
  mu: string;
  crews: number;
  lambdaCc?: string;
  muCc?: string;
}

/** A: the probability of ≥ k nodes up; U: its complement (down or in C); mttf in hours. */
export function exactChain(spec: ChainSpec): { a: number; u: number; mttf: number } {
  const { n, k, crews } = spec;
  const lambda = Rational.of(spec.lambda);
  const mu = Rational.of(spec.mu);
  const lambdaCc = Rational.of(spec.lambdaCc ?? "0");
  const muCc = spec.muCc ? Rational.of(spec.muCc) : mu;
  const size = n + 2; // 0..n, C = n+1
  const q: Rational[][] = Array.from({ length: size }, () => Array.from({ length: size }, () => ZERO));
  const set = (i: number, j: number, r: Rational) => {
    (q[i] as Rational[])[j] = ((q[i] as Rational[])[j] as Rational).add(r);
    (q[i] as Rational[])[i] = ((q[i] as Rational[])[i] as Rational).sub(r);
  };
  for (let i = 0; i <= n; i++) {
    if (i > 0) set(i, i - 1, Rational.of(i).mul(lambda));
    if (i < n) set(i, i + 1, Rational.of(Math.min(crews, n - i)).mul(mu));
    if (!lambdaCc.isZero()) set(i, n + 1, lambdaCc);
  }
  set(n + 1, n, muCc);
  // πQ = 0 → Qᵀπᵀ = 0; replace the last equation by Σπ = 1.
  const states = lambdaCc.isZero() ? n + 1 : n + 2;
  const a: Rational[][] = [];
  const b: Rational[] = [];
  for (let j = 0; j < states - 1; j++) {
    a.push(Array.from({ length: states }, (_, i) => (q[i] as Rational[])[j] as Rational));
    b.push(ZERO);
  }
  a.push(Array.from({ length: states }, () => ONE));
  b.push(ONE);
  const pi = solveExact(a, b);
  let up = ZERO;
  let down = ZERO;
  pi.forEach((p, i) => {
    if (i >= k && i <= n) up = up.add(p);
    else down = down.add(p);
  });
  // MTTF: transient states k..n; −Q_TT t = 1
  const t = n - k + 1;
  const m: Rational[][] = [];
  for (let i = k; i <= n; i++) {
    m.push(Array.from({ length: t }, (_, j) => ZERO.sub((q[i] as Rational[])[k + j] as Rational)));
  }
  const times = solveExact(
    m,
    Array.from({ length: t }, () => ONE),
  );
  return { a: up.toNumber(), u: down.toNumber(), mttf: (times[t - 1] as Rational).toNumber() };
}
