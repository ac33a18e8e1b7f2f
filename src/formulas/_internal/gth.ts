/**
 * Stationary distribution of an irreducible continuous-time Markov chain by GTH state
 * reduction (Grassmann, Taksar & Heyman, "Regenerative analysis and steady state
 * distributions for Markov chains", Operations Research 33(5), 1985, 1107–1116).
 *
 * `rates[i][j]` (i ≠ j) is the transition rate from i to j; the diagonal is ignored.
 * States are eliminated from the last to the first; the rate out of the state being
 * eliminated is the *sum* of its remaining off-diagonal rates, never `−q_ii`, so the
 * algorithm performs no subtraction at all and every stationary probability keeps its
 * relative accuracy, however small (Grassmann et al.; O'Cinneide, "Entrywise
 * perturbation theory and error analysis for Markov chains", Numer. Math. 65, 1993).
 *
 * The reduced rates are rates of censored chains, so they never exceed the original exit
 * rates; only the back-substitution can leave the double range, and it is kept relative
 * to the most likely state (below). Rates must be finite and positive where given.
 *
 * The input matrix is not modified. O(N³) time at worst (O(N²) for a birth–death
 * chain: rows with no transition into the state being eliminated are skipped), O(N²) space.
 *
 * @internal
 * @throws when a state cannot leave towards the lower-numbered states (a reducible chain)
 */
export function gthStationary(rates: readonly (readonly number[])[]): Float64Array {
  const size = rates.length;
  const a = rates.map((row) => Float64Array.from(row));
  const outflowDown = new Float64Array(size);
  for (let k = size - 1; k >= 1; k--) {
    const rowK = a[k] as Float64Array;
    let exit = 0;
    for (let j = 0; j < k; j++) exit += rowK[j] as number;
    if (!(exit > 0)) {
      throw new RangeError(`gthStationary: state ${k} has no transition to states 0..${k - 1}`);
    }
    outflowDown[k] = exit;
    for (let i = 0; i < k; i++) {
      const rowI = a[i] as Float64Array;
      const viaK = (rowI[k] as number) / exit;
      if (viaK === 0) continue;
      for (let j = 0; j < k; j++) {
        if (j !== i) rowI[j] = (rowI[j] as number) + viaK * (rowK[j] as number);
      }
    }
  }
  // Back-substitution, relative to the largest probability found so far: π_j is the
  // inflow from the states before it over its outflow. In a stiff chain (a 50-node
  // cluster at λ/μ ≈ 2e-8) the probabilities span more than the double range, so
  // π_0 = 1 would make the likely states overflow. Whenever a new π_j exceeds 1, every
  // π found so far is divided by it: the largest stays 1, and a state that underflows
  // here is below 1e-308 of the most likely one, where its final value lands anyway.
  const pi = new Float64Array(size);
  pi[0] = 1;
  for (let j = 1; j < size; j++) {
    let inflow = 0;
    for (let i = 0; i < j; i++) inflow += (pi[i] as number) * ((a[i] as Float64Array)[j] as number);
    const value = inflow / (outflowDown[j] as number);
    if (value > 1) {
      for (let i = 0; i < j; i++) pi[i] = (pi[i] as number) / value;
      pi[j] = 1;
    } else pi[j] = value;
  }
  let total = 0;
  for (let j = 0; j < size; j++) total += pi[j] as number;
  for (let j = 0; j < size; j++) pi[j] = (pi[j] as number) / total;
  return pi;
}
