import { upCountDistribution } from "./kofn.js";
import { assertProbability, type Probability } from "./probability.js";

/**
 * k-of-n availability over independent failure zones (availability zones, racks).
 *
 * A node is up while its own process and its zone are up. With the nodes independent of
 * each other (no shared repair crews, no common cause) and the zones independent of the
 * nodes and of each other, the number of up nodes in zone j is
 *
 *   P(U_j = c) = a_j · PB_j(c) + (1 − a_j) · [c = 0],
 *
 * where a_j is the zone's availability and PB_j the Poisson-binomial distribution of its
 * nodes' process availabilities; the zones' counts are convolved,
 * P(N = m) = Σ ∏_j P(U_j = c_j) over c_1 + … + c_Z = m, and
 *
 *   A = Σ_{m ≥ k} P(N = m),   U = Σ_{m < k} P(N = m),
 *
 * each summed from its own non-negative terms (no 1 − x), so a tiny unavailability keeps
 * its digits. O(n²) time.
 *
 * Assumptions: nodes and zones fail independently; steady state (each availability is a
 * long-run fraction of time up, so repair-time distributions do not matter); up while at
 * least k nodes are up. With repair crews shared between nodes or a common cause the
 * nodes are not independent: see clusterChain.
 * Source: k-of-n structures, Barlow & Proschan (1975), ch. 2; the Poisson-binomial
 * recurrence of Barlow & Heidtmann, IEEE Trans. Reliability R-33 (1984); the zone as a
 * component in series with its nodes (Trivedi 2002, ch. 4, series–parallel systems).
 *
 * @throws RangeError when k is not in 1..n, a zone is empty, or the lists do not match
 * @example zonedKofnAvailability(2, [[a], [a], [a]], [z, z, z]) // 3 nodes over 3 zones
 */
export function zonedKofnAvailability(
  quorum: number,
  zones: readonly (readonly Probability[])[],
  zoneAvailability: readonly Probability[],
): Probability {
  if (zones.length === 0) throw new RangeError("zonedKofnAvailability requires at least one zone");
  if (zoneAvailability.length !== zones.length) {
    throw new RangeError(`zonedKofnAvailability requires one zone availability per zone (${zones.length}), got ${zoneAvailability.length}`);
  }
  if (zones.some((nodes) => nodes.length === 0)) throw new RangeError("zonedKofnAvailability requires every zone to hold a node");
  const n = zones.reduce((sum, nodes) => sum + nodes.length, 0);
  if (!Number.isInteger(quorum) || quorum < 1 || quorum > n) {
    throw new RangeError(`zonedKofnAvailability requires a whole k in 1..n (n = ${n}), got ${quorum}`);
  }
  let total = Float64Array.of(1);
  zones.forEach((nodes, j) => {
    for (const node of nodes) assertProbability(node, "zonedKofnAvailability");
    const zone = zoneAvailability[j] as Probability;
    assertProbability(zone, "zonedKofnAvailability");
    const counts = upCountDistribution(nodes);
    const zoneCounts = Float64Array.from(counts, (p) => zone.value * p);
    zoneCounts[0] = (zoneCounts[0] as number) + zone.complement;
    const next = new Float64Array(total.length + nodes.length);
    for (let a = 0; a < total.length; a++) {
      const pa = total[a] as number;
      if (pa === 0) continue;
      for (let c = 0; c < zoneCounts.length; c++) next[a + c] = (next[a + c] as number) + pa * (zoneCounts[c] as number);
    }
    total = next;
  });
  let unavailability = 0;
  for (let m = 0; m < quorum; m++) unavailability += total[m] as number;
  let availability = 0;
  for (let m = n; m >= quorum; m--) availability += total[m] as number;
  return { value: availability, complement: unavailability };
}

/**
 * Availability of one node that fails in several competing modes, each repaired on its
 * own without waiting for a crew:
 *
 *   ρ_j = λ_j / μ_j,   A = 1 / (1 + Σ ρ_j),   U = Σ ρ_j / (1 + Σ ρ_j).
 *
 * An up node fails at rate Σ λ_j, in mode j with probability λ_j / Σ λ; a mode-j repair
 * takes 1/μ_j on average: an alternating renewal process, so A is insensitive to the
 * distributions beyond their means.
 * Source: alternating renewal processes, Barlow & Proschan (1975), ch. 7; competing
 * risks, Trivedi (2002), §3.4.
 *
 * @throws RangeError when a rate is negative or a repair rate is not positive
 * @example competingModesAvailability([{failureRate: 1 / 17532, repairRate: 1 / 8}]) // U = 8 / 17540
 */
export function competingModesAvailability(modes: readonly { readonly failureRate: number; readonly repairRate: number }[]): Probability {
  let load = 0;
  for (const { failureRate, repairRate } of modes) {
    if (!(failureRate >= 0 && Number.isFinite(failureRate))) {
      throw new RangeError(`competingModesAvailability requires failure rates ≥ 0, got ${failureRate}`);
    }
    if (!(repairRate > 0 && Number.isFinite(repairRate))) {
      throw new RangeError(`competingModesAvailability requires repair rates > 0, got ${repairRate}`);
    }
    load += failureRate / repairRate;
  }
  return { value: 1 / (1 + load), complement: load / (1 + load) };
}
