/**
 * Reference for the cluster's Markov chain under `--assume formula` mechanics, built here
 * by brute force from the semantics docs/design.md §3a states (independently of src/sim and
 * src/formulas): every reachable state of
 *
 *   - each node's process: up; down in a crew mode, waiting FIFO or under repair; down in a
 *     crew-free mode, recovering; or down with the whole cluster (common cause);
 *   - the crews' FIFO queue, in order;
 *   - each zone up or down;
 *   - the common cause;
 *   - the queue's leader: on which node, or none (an election pending while the quorum is up);
 *
 * found by breadth-first search from all-up, with the transitions
 *
 *   process up, mode m       → fails at 1/mtbf_m (crew mode: to a free crew, else to the queue's tail)
 *   under repair / recovering → up at 1/mttr_m (a crew that finishes takes the queue's head)
 *   zone up / down           → down at the zone rate / up at 1/zone mttr
 *   no common cause          → common cause at its rate: every process down, queue cleared
 *   common cause             → every process up at 1/restore time (zones keep their state)
 *   quorum up, no leader     → a leader on each up node at (1/failover time)/(up nodes)
 *
 * the leader lost when its node or zone goes down or the quorum is lost. The stationary
 * distribution is solved by GTH state reduction (Grassmann, Taksar & Heyman 1985), which
 * has no subtraction and keeps tiny probabilities to full relative accuracy; the mean time
 * to losing quorum from all-up by Gaussian elimination on the up states.
 */

export interface ChainMode {
  readonly mtbf: number;
  readonly mttr: number;
  readonly crew: boolean;
}

export interface ChainModel {
  readonly nodes: number;
  readonly quorum: number;
  readonly crews: number;
  readonly modes: readonly ChainMode[];
  /** zone of each node (absent: no zones) */
  readonly zoneOf?: readonly number[];
  readonly zoneRate?: number;
  readonly zoneMttr?: number;
  readonly ccRate?: number;
  readonly ccMttr?: number;
  /** mean election time (absent: no leader modelled) */
  readonly failover?: number;
}

interface State {
  /** per node: -1 up, m ≥ 0 down in mode m, -2 common cause */
  readonly proc: number[];
  readonly queue: number[];
  /** nodes under repair by a crew */
  readonly repairing: number[];
  readonly zoneUp: boolean[];
  readonly cc: boolean;
  readonly leader: number;
}

const key = (s: State) => JSON.stringify(s);

export interface ChainSolution {
  /** states found */
  readonly states: number;
  /** long-run fraction of time without quorum */
  readonly unavailability: number;
  /** long-run fraction of time without quorum or without a leader */
  readonly queueUnavailability: number;
  /** quorum losses per hour */
  readonly lossRate: number;
  /** mean time from all-up to the first quorum loss (hours) */
  readonly mttf: number;
}

export function solveChain(model: ChainModel): ChainSolution {
  const n = model.nodes;
  const zoneOf = model.zoneOf ?? new Array<number>(n).fill(0);
  const zoneCount = Math.max(...zoneOf) + 1;
  const upNodes = (s: State) => s.proc.filter((p, i) => p === -1 && s.zoneUp[zoneOf[i] as number] && !s.cc).length;
  const quorumUp = (s: State) => !s.cc && upNodes(s) >= model.quorum;
  const settle = (s: State): State => (quorumUp(s) ? s : { ...s, leader: -1 });
  const start: State = {
    proc: new Array<number>(n).fill(-1),
    queue: [],
    repairing: [],
    zoneUp: new Array<boolean>(zoneCount).fill(true),
    cc: false,
    leader: model.failover !== undefined ? 0 : -1,
  };

  function successors(s: State): [State, number][] {
    const out: [State, number][] = [];
    if (!s.cc) {
      s.proc.forEach((p, i) => {
        if (p !== -1) return;
        model.modes.forEach((mode, m) => {
          const proc = [...s.proc];
          proc[i] = m;
          let queue = s.queue;
          let repairing = s.repairing;
          if (mode.crew) {
            if (s.repairing.length < model.crews) repairing = [...s.repairing, i].sort((a, b) => a - b);
            else queue = [...s.queue, i];
          }
          out.push([settle({ ...s, proc, queue, repairing, leader: s.leader === i ? -1 : s.leader }), 1 / mode.mtbf]);
        });
      });
      s.proc.forEach((p, i) => {
        if (p < 0) return;
        const mode = model.modes[p] as ChainMode;
        if (mode.crew && !s.repairing.includes(i)) return; // waiting: no crew yet
        const proc = [...s.proc];
        proc[i] = -1;
        let queue = s.queue;
        let repairing = s.repairing.filter((r) => r !== i);
        if (mode.crew && queue.length > 0) {
          repairing = [...repairing, queue[0] as number].sort((a, b) => a - b);
          queue = queue.slice(1);
        }
        out.push([settle({ ...s, proc, queue, repairing }), 1 / mode.mttr]);
      });
      if ((model.ccRate ?? 0) > 0) {
        out.push([{ ...s, proc: new Array<number>(n).fill(-2), queue: [], repairing: [], cc: true, leader: -1 }, model.ccRate as number]);
      }
    } else {
      out.push([settle({ ...s, proc: new Array<number>(n).fill(-1), cc: false }), 1 / (model.ccMttr as number)]);
    }
    if ((model.zoneRate ?? 0) > 0) {
      s.zoneUp.forEach((up, z) => {
        const zoneUp = [...s.zoneUp];
        zoneUp[z] = !up;
        const leader = up && s.leader >= 0 && zoneOf[s.leader] === z ? -1 : s.leader;
        out.push([settle({ ...s, zoneUp, leader }), up ? (model.zoneRate as number) : 1 / (model.zoneMttr as number)]);
      });
    }
    if (model.failover !== undefined && quorumUp(s) && s.leader < 0) {
      const candidates = s.proc.map((p, i) => (p === -1 && s.zoneUp[zoneOf[i] as number] ? i : -1)).filter((i) => i >= 0);
      for (const i of candidates) out.push([{ ...s, leader: i }, 1 / model.failover / candidates.length]);
    }
    return out;
  }

  // Breadth-first search for the reachable states and the rate matrix (sparse rows).
  const index = new Map<string, number>([[key(start), 0]]);
  const states: State[] = [start];
  const rows: Map<number, number>[] = [];
  for (let i = 0; i < states.length; i++) {
    const row = new Map<number, number>();
    for (const [next, rate] of successors(states[i] as State)) {
      const k = key(next);
      let j = index.get(k);
      if (j === undefined) {
        j = states.length;
        index.set(k, j);
        states.push(next);
      }
      if (j !== i) row.set(j, (row.get(j) ?? 0) + rate);
    }
    rows.push(row);
  }
  const size = states.length;
  const pi = gth(rows, size);
  let u = 0;
  let q = 0;
  let lossRate = 0;
  states.forEach((s, i) => {
    const p = pi[i] as number;
    if (!quorumUp(s)) u += p;
    if (!quorumUp(s) || (model.failover !== undefined && s.leader < 0)) q += p;
    if (quorumUp(s)) for (const [j, rate] of rows[i] as Map<number, number>) if (!quorumUp(states[j] as State)) lossRate += p * rate;
  });

  // MTTF: (−Q_TT)·t = 1 over the up states, t at all-up.
  const up = states.map((s, i) => (quorumUp(s) ? i : -1)).filter((i) => i >= 0);
  const position = new Map(up.map((i, k) => [i, k]));
  const m = up.length;
  const a = Array.from({ length: m }, () => new Float64Array(m + 1));
  up.forEach((i, r) => {
    let out = 0;
    for (const [j, rate] of rows[i] as Map<number, number>) {
      out += rate;
      const c = position.get(j);
      if (c !== undefined) (a[r] as Float64Array)[c] = ((a[r] as Float64Array)[c] as number) - rate;
    }
    (a[r] as Float64Array)[r] = ((a[r] as Float64Array)[r] as number) + out;
    (a[r] as Float64Array)[m] = 1;
  });
  const t = gauss(a, m);
  return { states: size, unavailability: u, queueUnavailability: q, lossRate, mttf: t[position.get(0) as number] as number };
}

/** Stationary distribution by GTH: censor states from the last down, then back-substitute. */
function gth(rows: readonly Map<number, number>[], size: number): Float64Array {
  const p = Array.from({ length: size }, () => new Float64Array(size));
  rows.forEach((row, i) => {
    for (const [j, rate] of row) (p[i] as Float64Array)[j] = rate;
  });
  for (let k = size - 1; k > 0; k--) {
    const pk = p[k] as Float64Array;
    let s = 0;
    for (let j = 0; j < k; j++) s += pk[j] as number;
    for (let i = 0; i < k; i++) {
      const pi = p[i] as Float64Array;
      const f = (pi[k] as number) / s;
      if (f === 0) continue;
      for (let j = 0; j < k; j++) pi[j] = (pi[j] as number) + f * (pk[j] as number);
    }
  }
  const x = new Float64Array(size);
  x[0] = 1;
  for (let k = 1; k < size; k++) {
    let s = 0;
    const pk = p[k] as Float64Array;
    for (let j = 0; j < k; j++) s += pk[j] as number;
    let num = 0;
    for (let i = 0; i < k; i++) num += (x[i] as number) * ((p[i] as Float64Array)[k] as number);
    x[k] = num / s;
  }
  let total = 0;
  for (const v of x) total += v;
  for (let i = 0; i < size; i++) x[i] = (x[i] as number) / total;
  return x;
}

/** Gaussian elimination with partial pivoting on an augmented m × (m + 1) system. */
function gauss(a: Float64Array[], m: number): Float64Array {
  for (let c = 0; c < m; c++) {
    let pivot = c;
    for (let r = c + 1; r < m; r++)
      if (Math.abs((a[r] as Float64Array)[c] as number) > Math.abs((a[pivot] as Float64Array)[c] as number)) pivot = r;
    [a[c], a[pivot]] = [a[pivot] as Float64Array, a[c] as Float64Array];
    const ac = a[c] as Float64Array;
    for (let r = c + 1; r < m; r++) {
      const ar = a[r] as Float64Array;
      const f = (ar[c] as number) / (ac[c] as number);
      if (f === 0) continue;
      for (let k = c; k <= m; k++) ar[k] = (ar[k] as number) - f * (ac[k] as number);
    }
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    const ar = a[r] as Float64Array;
    let s = ar[m] as number;
    for (let k = r + 1; k < m; k++) s -= (ar[k] as number) * (x[k] as number);
    x[r] = s / (ar[r] as number);
  }
  return x;
}
