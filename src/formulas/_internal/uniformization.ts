/**
 * Transient distribution of a continuous-time Markov chain by uniformization (Jensen's
 * method; Grassmann, "Transient solutions in Markovian queueing systems", Computers &
 * Operations Research 4, 1977; Reibman & Trivedi, "Numerical transient analysis of
 * Markov models", Computers & Operations Research 15, 1988):
 *
 *   p(t) = Σ_k Poisson(k; q·t) · p(0)·P^k,        P = I + Q/q,
 *   ∫_0^t p(s) ds = (1/q) · Σ_k P(N(t) > k) · p(0)·P^k,
 *
 * with q = 1.05 × the largest exit rate, so that every entry of P, including the
 * diagonal (q − out_s)/q ≥ 0.047, is non-negative: the sums have no cancellation and small
 * probabilities keep their relative accuracy. The interval is cut into pieces with
 * q·Δt ≤ 200, where the Poisson weights are computed by the plain recurrence from
 * e^(−qΔt) (no underflow) and truncated once the remaining mass is below 1e-18.
 *
 * @internal
 */
import { type CsrChain, exitRates } from "./markovChain.js";

/**
 * The uniformization rate over the largest exit rate: q = 1.05 × max exit keeps every
 * diagonal entry of P = I + Q/q at ≥ 0.05/1.05 ≈ 0.047 (see above); shared with the queue's
 * coupled window (queueWindow.ts), whose rate must be the same.
 */
export const UNIFORMIZATION_HEADROOM = 1.05;

const PIECE = 200;
const TAIL = 1e-18;

export interface TransientResult {
  /** p(t) */
  readonly end: Float64Array;
  /** ∫_0^t p(s) ds (hours in each state) */
  readonly integral: Float64Array;
  /** DTMC steps taken (the work done) */
  readonly steps: number;
}

/** Thrown when the uniformization would take more work than the caller allows. */
export class TooStiffError extends RangeError {}

/** The Poisson terms of one piece of length dt at rate q: weights Poisson(k; q·dt), k = 0..K, and tails P(N > k). */
interface PoissonTerms {
  readonly pieces: number;
  readonly weights: readonly number[];
  readonly tails: Float64Array;
}

function poissonTerms(q: number, time: number): PoissonTerms {
  const pieces = Math.max(1, Math.ceil((q * time) / PIECE));
  const dt = time / pieces;
  const a = q * dt;
  // Poisson(k; a) for k = 0..K, and the tails P(N > k)
  const weights: number[] = [Math.exp(-a)];
  for (let k = 1; ; k++) {
    const w = ((weights[k - 1] as number) * a) / k;
    weights.push(w);
    // beyond the mode the terms fall at least geometrically with ratio a/(k+1)
    if (k > a && (w * a) / (k + 1 - a) < TAIL) break;
  }
  const tails = new Float64Array(weights.length);
  let tail = 0;
  for (let k = weights.length - 1; k >= 0; k--) {
    tails[k] = tail;
    tail += weights[k] as number;
  }
  return { pieces, weights, tails };
}

/** Multiply-adds of a uniformization at rate q over `time` on `size` entries: pieces × terms × size. */
export function uniformizationWork(q: number, time: number, size: number): number {
  if (q === 0 || time === 0) return 0;
  const terms = poissonTerms(q, time);
  return terms.pieces * terms.weights.length * size;
}

/**
 * A chain's transpose: column j lists the states leading into j, in increasing order, with
 * their rates. A caller that evolves one chain twice (a maintenance slot's process chain:
 * alone, then driving the queue's) computes it once and passes it to both.
 */
export interface Transpose {
  readonly colStart: Int32Array;
  readonly source: Int32Array;
  readonly rateIn: Float64Array;
  /** first entry of column j whose source is after j */
  readonly after: Int32Array;
}

export function transposeOf(chain: CsrChain): Transpose {
  const n = chain.size;
  const { rowStart, target } = chain;
  const transitions = target.length;
  const colStart = new Int32Array(n + 1);
  for (let e = 0; e < transitions; e++) {
    const j = (target[e] as number) + 1;
    colStart[j] = (colStart[j] as number) + 1;
  }
  for (let j = 0; j < n; j++) colStart[j + 1] = (colStart[j + 1] as number) + (colStart[j] as number);
  const source = new Int32Array(transitions);
  const rateIn = new Float64Array(transitions);
  const fillAt = colStart.slice(0, n + 1);
  for (let s = 0; s < n; s++) {
    for (let e = rowStart[s] as number; e < (rowStart[s + 1] as number); e++) {
      const j = target[e] as number;
      const at = fillAt[j] as number;
      source[at] = s;
      rateIn[at] = chain.rate[e] as number;
      fillAt[j] = at + 1;
    }
  }
  const after = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    let e = colStart[j] as number;
    while (e < (colStart[j + 1] as number) && (source[e] as number) < j) e++;
    after[j] = e;
  }
  return { colStart, source, rateIn, after };
}

/**
 * One step v ↦ v·P, P = I + Q/q, column by column (the transpose), so that each entry is
 * one sum written once. Its terms are added in the order the row-wise product would add
 * them — sources before j, then j's own stay term, then sources after j — so the result
 * is the same to the bit.
 */
class ColumnStep {
  readonly colStart: Int32Array;
  readonly source: Int32Array;
  readonly jumpIn: Float64Array;
  readonly after: Int32Array;
  readonly stay: Float64Array;

  constructor(t: Transpose, exits: Float64Array, q: number) {
    // plain loops: Float64Array.from with a mapping function is slow on a million entries
    this.stay = new Float64Array(exits.length);
    for (let s = 0; s < exits.length; s++) this.stay[s] = (q - (exits[s] as number)) / q;
    this.colStart = t.colStart;
    this.source = t.source;
    this.jumpIn = new Float64Array(t.rateIn.length);
    for (let e = 0; e < t.rateIn.length; e++) this.jumpIn[e] = (t.rateIn[e] as number) / q;
    this.after = t.after;
  }

  /** (v·P)_j */
  entry(v: Float64Array, j: number): number {
    const { colStart, source, jumpIn } = this;
    let sum = 0;
    const split = this.after[j] as number;
    for (let e = colStart[j] as number; e < split; e++) sum += (v[source[e] as number] as number) * (jumpIn[e] as number);
    const x = v[j] as number;
    if (x !== 0) sum += x * (this.stay[j] as number);
    const stop = colStart[j + 1] as number;
    for (let e = split; e < stop; e++) sum += (v[source[e] as number] as number) * (jumpIn[e] as number);
    return sum;
  }
}

/**
 * @param maxWork most multiply-adds allowed (steps × (states + transitions))
 * @param transpose the chain's transpose, when the caller has it already
 * @throws TooStiffError when the chain's fastest rate × `time` would need more
 */
export function uniformize(
  chain: CsrChain,
  start: Float64Array,
  time: number,
  maxWork = Number.POSITIVE_INFINITY,
  transpose?: Transpose,
): TransientResult {
  const n = chain.size;
  const exits = exitRates(chain);
  let maxExit = 0;
  for (let s = 0; s < n; s++) maxExit = Math.max(maxExit, exits[s] as number);
  if (maxExit === 0 || time === 0) {
    return { end: Float64Array.from(start), integral: Float64Array.from(start, (p) => p * time), steps: 0 };
  }
  const q = UNIFORMIZATION_HEADROOM * maxExit;
  const { pieces, weights, tails } = poissonTerms(q, time);
  const work = pieces * weights.length * (n + chain.target.length);
  if (work > maxWork) {
    throw new TooStiffError(
      `uniformization over ${time} h at rate ${q.toPrecision(3)} / h needs about ${work.toPrecision(2)} operations (more than ${maxWork.toPrecision(2)})`,
    );
  }
  const step = new ColumnStep(transpose ?? transposeOf(chain), exits, q);
  // current: p at the start of the piece; end: p at its end (accumulated); v, next: p·P^k
  let current = Float64Array.from(start);
  let end = new Float64Array(n);
  let next = new Float64Array(n);
  const integral = new Float64Array(n);
  let steps = 0;
  const last = weights.length - 1;
  for (let piece = 0; piece < pieces; piece++) {
    let v = current;
    const w0 = weights[0] as number;
    const t0 = (tails[0] as number) / q;
    for (let s = 0; s < n; s++) {
      const x = v[s] as number;
      end[s] = (end[s] as number) + w0 * x;
      integral[s] = (integral[s] as number) + t0 * x;
    }
    for (let k = 1; k <= last; k++) {
      const w = weights[k] as number;
      const t = (tails[k] as number) / q;
      // next = v·P, and its terms of p(t) and of the integral
      for (let j = 0; j < n; j++) {
        const sum = step.entry(v, j);
        next[j] = sum;
        end[j] = (end[j] as number) + w * sum;
        integral[j] = (integral[j] as number) + t * sum;
      }
      // the vector just read becomes the next one to write
      const read = v;
      v = next;
      next = read;
      steps++;
    }
    // v and next are the piece's start vector and the scratch one, in some order: both
    // free now; the next piece starts from end
    const free = v;
    current = end;
    end = free;
    end.fill(0);
  }
  return { end: current, integral, steps };
}

/**
 * A chain y driven by a chain x that it does not influence: x moves by its own rows;
 * y moves by its rows, loses mass at its exit rates (yExit includes what leaves y for
 * states not represented), and gains mass from x at the coupling rates (x state p feeds y
 * state j at coupling rate r(p, j)). Both are uniformized at the common rate q, which must
 * be ≥ every exit rate of x and of y: every term stays non-negative.
 */
export interface CoupledChains {
  readonly x: CsrChain;
  /** x's transpose, when the caller has it already */
  readonly xTranspose?: Transpose;
  readonly xStart: Float64Array;
  readonly y: CsrChain;
  readonly yExit: Float64Array;
  readonly yStart: Float64Array;
  /** rows: x states; targets: y states */
  readonly coupling: CsrChain;
  readonly q: number;
}

export interface CoupledResult {
  readonly xIntegral: Float64Array;
  readonly yEnd: Float64Array;
  readonly yIntegral: Float64Array;
  readonly steps: number;
}

/**
 * Transient solution of coupled chains (above) over `time` by uniformization at rate q:
 * x_{k+1} = x_k·P_x, y_{k+1} = y_k·P_y + x_k·R/q, with the Poisson weights of
 * `uniformize`. Used for a Markov chain whose state space splits into a part with a known
 * evolution (x) and a part driven by it (y).
 *
 * @throws TooStiffError when pieces × terms × (all states and transitions) > maxWork
 */
export function uniformizeCoupled(c: CoupledChains, time: number, maxWork = Number.POSITIVE_INFINITY): CoupledResult {
  const nx = c.x.size;
  const ny = c.y.size;
  const q = c.q;
  const xExits = exitRates(c.x);
  for (let s = 0; s < nx; s++)
    if (!((xExits[s] as number) <= q)) throw new RangeError(`uniformizeCoupled: rate ${q} below an exit rate of x`);
  for (let s = 0; s < ny; s++)
    if (!((c.yExit[s] as number) <= q)) throw new RangeError(`uniformizeCoupled: rate ${q} below an exit rate of y`);
  if (q === 0 || time === 0) {
    return {
      xIntegral: Float64Array.from(c.xStart, (p) => p * time),
      yEnd: Float64Array.from(c.yStart),
      yIntegral: Float64Array.from(c.yStart, (p) => p * time),
      steps: 0,
    };
  }
  const { pieces, weights, tails } = poissonTerms(q, time);
  const size = nx + c.x.target.length + ny + c.y.target.length + c.coupling.target.length;
  const work = pieces * weights.length * size;
  if (work > maxWork) {
    throw new TooStiffError(
      `uniformization over ${time} h at rate ${q.toPrecision(3)} / h needs about ${work.toPrecision(2)} operations (more than ${maxWork.toPrecision(2)})`,
    );
  }
  const xStep = new ColumnStep(c.xTranspose ?? transposeOf(c.x), xExits, q);
  const yStep = new ColumnStep(transposeOf(c.y), c.yExit, q);
  // the coupling by columns: y state j gains from x states feedFrom[e] the fraction feed[e]
  const feedStart = new Int32Array(ny + 1);
  const { rowStart: cRow, target: cTarget, rate: cRate } = c.coupling;
  for (let e = 0; e < cTarget.length; e++) {
    const j = (cTarget[e] as number) + 1;
    feedStart[j] = (feedStart[j] as number) + 1;
  }
  for (let j = 0; j < ny; j++) feedStart[j + 1] = (feedStart[j + 1] as number) + (feedStart[j] as number);
  const feedFrom = new Int32Array(cTarget.length);
  const feed = new Float64Array(cTarget.length);
  const fillAt = feedStart.slice(0, ny + 1);
  for (let p = 0; p < nx; p++) {
    for (let e = cRow[p] as number; e < (cRow[p + 1] as number); e++) {
      const j = cTarget[e] as number;
      const at = fillAt[j] as number;
      feedFrom[at] = p;
      feed[at] = (cRate[e] as number) / q;
      fillAt[j] = at + 1;
    }
  }
  let xCurrent = Float64Array.from(c.xStart);
  let yCurrent = Float64Array.from(c.yStart);
  const xIntegral = new Float64Array(nx);
  const yIntegral = new Float64Array(ny);
  let steps = 0;
  const last = weights.length - 1;
  for (let piece = 0; piece < pieces; piece++) {
    const xEnd = new Float64Array(nx);
    const yEnd = new Float64Array(ny);
    let xk = xCurrent;
    let yk = yCurrent;
    let xNext = new Float64Array(nx);
    let yNext = new Float64Array(ny);
    const w0 = weights[0] as number;
    const t0 = (tails[0] as number) / q;
    for (let s = 0; s < nx; s++) {
      xEnd[s] = w0 * (xk[s] as number);
      xIntegral[s] = (xIntegral[s] as number) + t0 * (xk[s] as number);
    }
    for (let s = 0; s < ny; s++) {
      yEnd[s] = w0 * (yk[s] as number);
      yIntegral[s] = (yIntegral[s] as number) + t0 * (yk[s] as number);
    }
    for (let k = 1; k <= last; k++) {
      const w = weights[k] as number;
      const t = (tails[k] as number) / q;
      for (let j = 0; j < ny; j++) {
        let sum = yStep.entry(yk, j);
        for (let e = feedStart[j] as number; e < (feedStart[j + 1] as number); e++)
          sum += (xk[feedFrom[e] as number] as number) * (feed[e] as number);
        yNext[j] = sum;
        yEnd[j] = (yEnd[j] as number) + w * sum;
        yIntegral[j] = (yIntegral[j] as number) + t * sum;
      }
      for (let j = 0; j < nx; j++) {
        const sum = xStep.entry(xk, j);
        xNext[j] = sum;
        xEnd[j] = (xEnd[j] as number) + w * sum;
        xIntegral[j] = (xIntegral[j] as number) + t * sum;
      }
      // the vectors just read become the next ones to write (the piece's start is not needed again)
      const xRead = xk;
      xk = xNext;
      xNext = xRead;
      const yRead = yk;
      yk = yNext;
      yNext = yRead;
      steps++;
    }
    xCurrent = xEnd;
    yCurrent = yEnd;
  }
  return { xIntegral, yEnd: yCurrent, yIntegral, steps };
}
