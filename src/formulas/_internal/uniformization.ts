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

/**
 * @param maxWork most multiply-adds allowed (steps × (states + transitions))
 * @throws TooStiffError when the chain's fastest rate × `time` would need more
 */
export function uniformize(chain: CsrChain, start: Float64Array, time: number, maxWork = Number.POSITIVE_INFINITY): TransientResult {
  const n = chain.size;
  const exits = exitRates(chain);
  let maxExit = 0;
  for (let s = 0; s < n; s++) maxExit = Math.max(maxExit, exits[s] as number);
  if (maxExit === 0 || time === 0) {
    return { end: Float64Array.from(start), integral: Float64Array.from(start, (p) => p * time), steps: 0 };
  }
  const q = 1.05 * maxExit;
  const stay = Float64Array.from(exits, (out) => (q - out) / q);
  const { rowStart, target } = chain;
  const jump = Float64Array.from(chain.rate, (r) => r / q);
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
  const transitions = target.length;
  const work = pieces * weights.length * (n + transitions);
  if (work > maxWork) {
    throw new TooStiffError(
      `uniformization over ${time} h at rate ${q.toPrecision(3)} / h needs about ${work.toPrecision(2)} operations (more than ${maxWork.toPrecision(2)})`,
    );
  }
  const tails = new Float64Array(weights.length);
  let tail = 0;
  for (let k = weights.length - 1; k >= 0; k--) {
    tails[k] = tail;
    tail += weights[k] as number;
  }
  // current: p at the start of the piece; end: p at its end (accumulated); v, next: p·P^k
  let current = Float64Array.from(start);
  let end = new Float64Array(n);
  const spare = new Float64Array(n);
  const integral = new Float64Array(n);
  let steps = 0;
  for (let piece = 0; piece < pieces; piece++) {
    let v = current;
    let next = spare;
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k] as number;
      const t = (tails[k] as number) / q;
      for (let s = 0; s < n; s++) {
        const x = v[s] as number;
        end[s] = (end[s] as number) + w * x;
        integral[s] = (integral[s] as number) + t * x;
      }
      if (k === weights.length - 1) break;
      next.fill(0);
      for (let s = 0; s < n; s++) {
        const x = v[s] as number;
        if (x === 0) continue;
        next[s] = (next[s] as number) + x * (stay[s] as number);
        const last = rowStart[s + 1] as number;
        for (let e = rowStart[s] as number; e < last; e++) {
          const j = target[e] as number;
          next[j] = (next[j] as number) + x * (jump[e] as number);
        }
      }
      // the vector just read becomes the next one to write
      const read = v;
      v = next;
      next = read;
      steps++;
    }
    // v and next were current and spare (both now scratch); the next piece starts from end
    const scratch = current;
    current = end;
    end = scratch;
    end.fill(0);
  }
  return { end: current, integral, steps };
}
