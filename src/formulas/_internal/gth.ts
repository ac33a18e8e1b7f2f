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
 * The input matrix is not modified. O(N³) time, O(N²) space.
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
  const pi = new Float64Array(size);
  pi[0] = 1;
  let total = 1;
  for (let j = 1; j < size; j++) {
    let inflow = 0;
    for (let i = 0; i < j; i++) inflow += (pi[i] as number) * ((a[i] as Float64Array)[j] as number);
    const value = inflow / (outflowDown[j] as number);
    pi[j] = value;
    total += value;
  }
  for (let j = 0; j < size; j++) pi[j] = (pi[j] as number) / total;
  return pi;
}
