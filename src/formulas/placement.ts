/**
 * Does the quorum survive the loss of any one zone, and if not, which placement would?
 *
 * Losing zone j leaves n − n_j nodes, so the quorum k survives every single-zone loss
 * exactly when the largest zone holds at most n − k nodes. When it does not, the
 * smallest change keeps the node count and moves the fewest nodes: every zone may hold
 * at most c = n − k, so the excess Σ max(0, n_j − c) must move, and that many moves are
 * enough when the zones have room (Z·c ≥ n): each excess node goes to the emptiest zone.
 * With too few zones, ⌈n / c⌉ zones are needed and the new ones start empty. With k = n
 * (every node needed) no placement survives a zone loss.
 *
 * Assumptions: every other node is up when the zone goes (the question is about the
 * placement, not about coincident failures).
 *
 * @throws RangeError when a zone size is not a whole number ≥ 0 or k is not in 1..n
 * @example zoneLossSurvival([2, 2, 1], 3) // survives: losing a 2-node zone leaves 3
 * @example zoneLossSurvival([3, 1, 1], 3) // does not; placement [2, 2, 1], 1 move
 */
export function zoneLossSurvival(placement: readonly number[], quorum: number): ZoneLossCheck {
  if (placement.length === 0 || placement.some((size) => !Number.isInteger(size) || size < 0)) {
    throw new RangeError(`zoneLossSurvival requires whole zone sizes ≥ 0, got [${placement.join(", ")}]`);
  }
  const n = placement.reduce((a, b) => a + b, 0);
  if (!Number.isInteger(quorum) || quorum < 1 || quorum > n) {
    throw new RangeError(`zoneLossSurvival requires a whole quorum in 1..n (n = ${n}), got ${quorum}`);
  }
  let worstZone = 0;
  placement.forEach((size, z) => {
    if (size > (placement[worstZone] as number)) worstZone = z;
  });
  const upAfterWorstLoss = n - (placement[worstZone] as number);
  const base = { quorum, nodes: n, placement: [...placement], worstZone, upAfterWorstLoss };
  if (upAfterWorstLoss >= quorum) return { ...base, survives: true };
  const cap = n - quorum;
  if (cap === 0) return { ...base, survives: false };
  const zones = Math.max(placement.length, Math.ceil(n / cap));
  const target = [...placement, ...new Array<number>(zones - placement.length).fill(0)];
  let moves = 0;
  for (let z = 0; z < target.length; z++) {
    while ((target[z] as number) > cap) {
      let emptiest = 0;
      target.forEach((size, j) => {
        if (size < (target[emptiest] as number)) emptiest = j;
      });
      target[z] = (target[z] as number) - 1;
      target[emptiest] = (target[emptiest] as number) + 1;
      moves++;
    }
  }
  return { ...base, survives: false, suggestion: { placement: target, moves, zonesAdded: zones - placement.length } };
}

export interface ZoneLossCheck {
  readonly quorum: number;
  readonly nodes: number;
  readonly placement: readonly number[];
  readonly survives: boolean;
  /** index of the largest zone (the worst one to lose) */
  readonly worstZone: number;
  /** nodes left up when the worst zone is lost */
  readonly upAfterWorstLoss: number;
  /** absent when the quorum survives, or when no placement can (quorum = every node) */
  readonly suggestion?: { readonly placement: readonly number[]; readonly moves: number; readonly zonesAdded: number };
}
