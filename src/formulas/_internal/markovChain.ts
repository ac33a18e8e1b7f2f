/**
 * A continuous-time Markov chain built by exploring its states breadth-first from a
 * set of initial states: the caller describes one state's outgoing transitions, the
 * builder numbers the states it reaches and collects the rates. The chain is stored
 * sparsely (a row of targets and rates per state; parallel transitions merged, self
 * loops dropped), which is what the subtraction-free solvers in sparseGth.ts and
 * uniformization.ts work on.
 *
 * @internal
 */

/** A chain of `size` states: `targets[s][t]` is reached from s at rate `rates[s][t]` (> 0). */
export interface SparseChain {
  readonly size: number;
  readonly targets: readonly Int32Array[];
  readonly rates: readonly Float64Array[];
}

/** A sparse chain together with the states it was built from, in index order. */
export interface ExploredChain<S> extends SparseChain {
  readonly states: readonly S[];
  /** index of a state by its key, or undefined when the exploration never reached it */
  indexOf(state: S): number | undefined;
}

/** Thrown when a chain would have more states than the caller allows. */
export class ChainTooLargeError extends RangeError {
  constructor(
    readonly limit: number,
    what: string,
  ) {
    super(`${what} has more than ${limit} states, beyond what mqrel solves exactly`);
  }
}

export interface ChainDescription<S> {
  /** a string that identifies a state (equal keys, equal states) */
  key(state: S): string;
  /** call `emit(target, rate)` for every transition out of `state` (rates ≤ 0 are ignored) */
  transitions(state: S, emit: (target: S, rate: number) => void): void;
}

/**
 * Explore every state reachable from `initial`, breadth-first, numbering them in the
 * order they are found (the initial states first).
 *
 * @throws ChainTooLargeError when more than `maxStates` states are reachable
 */
export function exploreChain<S>(
  initial: readonly S[],
  description: ChainDescription<S>,
  maxStates: number,
  what = "the Markov chain",
): ExploredChain<S> {
  const index = new Map<string, number>();
  const states: S[] = [];
  const add = (state: S): number => {
    const key = description.key(state);
    const known = index.get(key);
    if (known !== undefined) return known;
    if (states.length >= maxStates) throw new ChainTooLargeError(maxStates, what);
    index.set(key, states.length);
    states.push(state);
    return states.length - 1;
  };
  for (const state of initial) add(state);
  const targets: Int32Array[] = [];
  const rates: Float64Array[] = [];
  for (let s = 0; s < states.length; s++) {
    const row = new Map<number, number>();
    description.transitions(states[s] as S, (target, rate) => {
      if (!(rate > 0)) return;
      const t = add(target);
      if (t !== s) row.set(t, (row.get(t) ?? 0) + rate);
    });
    targets.push(Int32Array.from(row.keys()));
    rates.push(Float64Array.from(row.values()));
  }
  return {
    size: states.length,
    targets,
    rates,
    states,
    indexOf: (state) => index.get(description.key(state)),
  };
}

/** Total rate out of each state (a sum of positive rates: no subtraction). */
export function exitRates(chain: SparseChain): Float64Array {
  const out = new Float64Array(chain.size);
  for (let s = 0; s < chain.size; s++) {
    const row = chain.rates[s] as Float64Array;
    let total = 0;
    for (let t = 0; t < row.length; t++) total += row[t] as number;
    out[s] = total;
  }
  return out;
}
