import {
  checkFleetInput,
  type FleetBroker,
  type FleetInput,
  type FleetMetrics,
  fleetLosses,
  fleetMetricsIndependent,
  type Group,
  MAX_AVAILABILITY_WORK,
  unionOfGroups,
} from "./fleet.js";
import { upCountDistribution } from "./kofn.js";
import { assertProbability, type Probability } from "./probability.js";

/**
 * Exact fleet metrics with zone outages, by conditioning on the zones' states
 * (docs/design.md §3c). The semantics, which the fleet simulator follows as well:
 *
 * - A broker is up while its process is up AND its zone is up. Zone outages are
 *   independent of the processes, which go on failing and recovering while their zone is
 *   out; zones are independent of each other. Zone z is up with probability
 *   u_z = 1/(1 + ρ_z), ρ_z = outage rate × mttr, down with d_z = ρ_z/(1 + ρ_z) (computed
 *   directly, not as 1 − u_z).
 * - A partition is writable while at least m (min_insync) of its replicas' brokers are up.
 * - A replica is destroyed while its broker's PROCESS is down in a `loses: disk` mode,
 *   whatever its zone's state. A loss event is a `loses: disk` failure of a broker's
 *   process (the process was up; its zone may be out) while every other replica of some
 *   partition of it is destroyed; partitions lost counts those partitions. So the loss
 *   metrics do not depend on the zones at all: they are {@link fleetLosses} of the
 *   processes.
 * - Elections: an unplanned loss of a broker that leads a partition, counted per
 *   partition; the leader of a partition is its first UP replica (preference order). Two
 *   sources: (a) a failure of the broker's process while the broker is up (zone up) and
 *   it leads p; (b) an outage of zone z: one election for every partition whose leader
 *   is in z at that moment — by PASTA (outages of an up zone are a Poisson process of
 *   rate Λ_z), Λ_z · E[partitions led from z; z up].
 *
 * Given the zone-state vector D (the set of zones down), the brokers are independent
 * again — a broker of a down zone is up with probability 0, one of an up zone with its
 * process's — so each metric is Σ_D P(D) × the independent-broker sum given D, with
 * P(D) = Π_{z∈D} d_z · Π_{z∉D} u_z. With a_b = P(process b up), q_b = 1 − a_b its own
 * complement:
 *
 *   availability A  = Σ_D P(D) · P(every partition writable | D), its complement
 *                     U = Σ_D P(D) · P(some partition not writable | D), both summed from
 *                     non-negative terms (never 1 − x);
 *   partitions unavailable E = Σ_p P(fewer than m of S_p up): per partition, exactly,
 *                     by grouping its replicas by zone — a zone's group contributes an
 *                     up count of 0 with probability d_z + u_z·P(all its processes down)
 *                     and otherwise u_z × its processes' Poisson-binomial distribution —
 *                     and convolving the groups (no truncation, O(R²) a partition);
 *   elections / h   Σ_p Σ_i (λ_b + Λ_{z_b}) · P(b = S_p[i] up, S_p[0..i−1] all down),
 *                     P(…) = u_{z_b} a_b · Π_{c<i, z_c=z_b} q_c · Π_{z≠z_b} (d_z + u_z Π_{c<i, z_c=z} q_c),
 *                     λ_b the process's failure rate while up (source a), Λ_{z_b} its
 *                     zone's outage rate (source b);
 *   loss metrics    {@link fleetLosses} over the processes (as without zones).
 *
 * The availability sum visits D by the number of zones down, k = 0, 1, 2, …; given D it
 * drops the brokers of down zones from every partition and lowers its need by their
 * number (need ≤ 0: the partition is down, P = 1), then takes the union over the
 * partitions by {@link unionOfGroups} at tolerance/2. After level k the mass not yet
 * visited is P(more than k zones down) (the tail of the zones' down-count distribution,
 * summed directly); once it is ≤ tolerance/2 × the U summed so far (a lower bound of U)
 * the sum stops, and that mass is added to the reported bound: the whole error is then
 * below tolerance × U. When every zone state of a level leaves some partition short of
 * up brokers, every state with more zones down does as well (it contains one of them),
 * so the sum stops there with that tail added exactly. With few zones every vector is
 * visited (3 zones: at most 8).
 *
 * Limits: the zone-state vectors needed are counted before any union is taken, from a
 * lower bound of U (the largest single partition's unavailability): past
 * {@link MAX_ZONE_VECTORS} the function refuses at once; the unions together may take
 * {@link MAX_AVAILABILITY_WORK} steps, as without zones.
 *
 * Sources: conditioning on a common environment (here the zones' states), Barlow &
 * Proschan (1975) ch. 2 (conditional independence, the total probability theorem); PASTA,
 * Wolff (1982), "Poisson arrivals see time averages", Oper. Res. 30(2) 223–231; the
 * union given D, {@link fleetMetricsIndependent}.
 */

/** One zone's steady state and outage rate. */
export interface FleetZone {
  /** P(zone up) = 1/(1 + ρ), complement ρ/(1 + ρ), each accurate */
  readonly up: Probability;
  /** outages per hour while the zone is up */
  readonly outageRatePerHour: number;
}

export interface FleetZonesInput extends FleetInput {
  /** the brokers' processes (their `up` is the process's, not counting the zone) */
  readonly brokers: readonly FleetBroker[];
  /** zone (0-based) of each broker */
  readonly zoneOfBroker: readonly number[];
  readonly zones: readonly FleetZone[];
}

export interface FleetZonesMetrics extends FleetMetrics {
  /** zone-state vectors summed over (1 when no zone can go down) */
  readonly zoneStates: number;
  /** the most zones down at once among them */
  readonly zonesDownVisited: number;
}

/**
 * The most zone-state vectors the availability sum may visit: 12 zones in full (4 096),
 * or e.g. 40 zones up to 2 down (821).
 */
export const MAX_ZONE_VECTORS = 4096;

/**
 * One zone from its outages: u = 1/(1 + ρ), d = ρ/(1 + ρ), ρ = rate × mttr.
 *
 * @throws RangeError when the rate is negative or not finite, or mttr is not > 0 and finite
 */
export function fleetZoneFromOutage(ratePerHour: number, mttrHours: number): FleetZone {
  if (!(ratePerHour >= 0 && Number.isFinite(ratePerHour)))
    throw new RangeError(`fleetZoneFromOutage requires a rate ≥ 0, got ${ratePerHour}`);
  if (!(mttrHours > 0 && Number.isFinite(mttrHours))) throw new RangeError(`fleetZoneFromOutage requires an mttr > 0, got ${mttrHours}`);
  const load = ratePerHour * mttrHours;
  return { up: { value: 1 / (1 + load), complement: load / (1 + load) }, outageRatePerHour: ratePerHour };
}

/**
 * Exact fleet metrics with zone outages (see the module comment). When no zone can go
 * down (every rate 0) this is {@link fleetMetricsIndependent} itself, to the bit.
 *
 * @throws RangeError for bad input (as {@link fleetMetricsIndependent}, and a broker's zone
 *   out of range, a zone not a probability, an outage rate negative), or when the sums need
 *   more zone-state vectors than {@link MAX_ZONE_VECTORS} or more steps than the limits
 */
export function fleetMetricsZones(input: FleetZonesInput): FleetZonesMetrics {
  const { brokers, replicaSets, minInsync, zoneOfBroker, zones } = input;
  checkZones(zones, zoneOfBroker, brokers.length);
  if (zones.every((z) => z.up.complement === 0 && z.outageRatePerHour === 0)) {
    return { ...fleetMetricsIndependent(input), zoneStates: 1, zonesDownVisited: 0 };
  }
  // the same checks as without zones, on the processes
  const tolerance = checkFleetInput(input, "fleetMetricsZones");
  const partitions = replicaSets.length;

  // Partitions unavailable, per partition exactly; the largest is a lower bound of U.
  let unavailableSum = 0;
  let writableSum = 0;
  let largest = 0;
  for (const set of replicaSets) {
    const counts = zonedUpCounts(set, brokers, zoneOfBroker, zones);
    let below = 0;
    for (let j = 0; j < counts.length; j++) {
      if (j < minInsync) below += counts[j] as number;
      else writableSum += counts[j] as number;
    }
    unavailableSum += below;
    if (below > largest) largest = below;
  }
  const partitionAvailability =
    unavailableSum <= writableSum
      ? { value: 1 - unavailableSum / partitions, complement: unavailableSum / partitions }
      : { value: writableSum / partitions, complement: 1 - writableSum / partitions };

  const electionsPerHour = zonedElections(replicaSets, brokers, zoneOfBroker, zones);
  const union = zonedUnion(input, tolerance, largest);
  const availability =
    union.broken <= union.intact
      ? { value: 1 - union.broken, complement: union.broken }
      : { value: union.intact, complement: 1 - union.intact };
  const losses = fleetLosses(brokers, replicaSets, tolerance);
  return {
    availability,
    availabilityBound: union.bound,
    partitionsUnavailable: unavailableSum,
    partitionAvailability,
    ...losses,
    electionsPerHour,
    zoneStates: union.vectors,
    zonesDownVisited: union.deepest,
  };
}

function checkZones(zones: readonly FleetZone[], zoneOfBroker: readonly number[], brokerCount: number): void {
  zones.forEach((zone, z) => {
    assertProbability(zone.up, `zone ${z}'s up probability`);
    if (!(zone.outageRatePerHour >= 0 && Number.isFinite(zone.outageRatePerHour))) {
      throw new RangeError(`zone ${z}: the outage rate must be ≥ 0, got ${zone.outageRatePerHour}`);
    }
  });
  if (zoneOfBroker.length !== brokerCount) {
    throw new RangeError(`fleetMetricsZones needs a zone for each of the ${brokerCount} brokers, got ${zoneOfBroker.length}`);
  }
  zoneOfBroker.forEach((z, b) => {
    if (!Number.isInteger(z) || z < 0 || z >= zones.length) throw new RangeError(`broker ${b}: zone ${z} is not in 0..${zones.length - 1}`);
  });
}

/**
 * The distribution of the number of up replicas of one partition: its replicas grouped
 * by zone; a group's up count is 0 with probability d_z + u_z·Π q (zone down, or up with
 * every process down) and j ≥ 1 with u_z × the processes' Poisson-binomial P(j); the
 * groups are independent, so the distributions convolve. Every entry a sum of
 * non-negative products.
 */
function zonedUpCounts(
  set: readonly number[],
  brokers: readonly FleetBroker[],
  zoneOfBroker: readonly number[],
  zones: readonly FleetZone[],
): Float64Array {
  const groups = new Map<number, Probability[]>();
  for (const b of set) {
    const z = zoneOfBroker[b] as number;
    const list = groups.get(z);
    const up = (brokers[b] as FleetBroker).up;
    if (list) list.push(up);
    else groups.set(z, [up]);
  }
  let total = new Float64Array([1]);
  for (const [z, ups] of groups) {
    const zone = (zones[z] as FleetZone).up;
    const inner = upCountDistribution(ups);
    const group = new Float64Array(inner.length);
    group[0] = zone.complement + zone.value * (inner[0] as number);
    for (let j = 1; j < inner.length; j++) group[j] = zone.value * (inner[j] as number);
    const next = new Float64Array(total.length + group.length - 1);
    for (let i = 0; i < total.length; i++) {
      for (let j = 0; j < group.length; j++) next[i + j] = (next[i + j] as number) + (total[i] as number) * (group[j] as number);
    }
    total = next;
  }
  return total;
}

/** Σ_p Σ_i (λ_b + Λ_{z_b}) · P(S_p[i] up, every earlier replica down) — see the module comment. */
function zonedElections(
  replicaSets: readonly (readonly number[])[],
  brokers: readonly FleetBroker[],
  zoneOfBroker: readonly number[],
  zones: readonly FleetZone[],
): number {
  let electionsPerHour = 0;
  // per zone seen among the earlier replicas: Π q of its earlier replicas
  const seenZones: number[] = [];
  const seenDown: number[] = [];
  for (const set of replicaSets) {
    seenZones.length = 0;
    seenDown.length = 0;
    for (const b of set) {
      const broker = brokers[b] as FleetBroker;
      const zb = zoneOfBroker[b] as number;
      const zone = zones[zb] as FleetZone;
      let leads = zone.up.value * broker.up.value;
      let own = -1;
      for (let k = 0; k < seenZones.length; k++) {
        const z = seenZones[k] as number;
        const allDown = seenDown[k] as number;
        if (z === zb) {
          own = k;
          leads *= allDown;
        } else {
          const other = (zones[z] as FleetZone).up;
          leads *= other.complement + other.value * allDown;
        }
      }
      electionsPerHour += (broker.failureRatePerHour + zone.outageRatePerHour) * leads;
      if (own >= 0) seenDown[own] = (seenDown[own] as number) * broker.up.complement;
      else {
        seenZones.push(zb);
        seenDown.push(broker.up.complement);
      }
    }
  }
  return electionsPerHour;
}

interface ZonedUnion {
  readonly broken: number;
  readonly intact: number;
  readonly bound: number;
  readonly vectors: number;
  readonly deepest: number;
}

/** P(some partition not writable) = Σ_D P(D) · P(… | D), by the number of zones down (module comment). */
function zonedUnion(input: FleetZonesInput, tolerance: number, lowerBound: number): ZonedUnion {
  const { brokers, replicaSets, minInsync, zoneOfBroker, zones } = input;
  const Z = zones.length;
  // P(exactly k zones down), each a sum of non-negative products; tail[k] = P(more than k down)
  const downCount = upCountDistribution(zones.map((z) => ({ value: z.up.complement, complement: z.up.value })));
  const tail = new Float64Array(Z + 1);
  for (let k = Z - 1; k >= 0; k--) tail[k] = (tail[k + 1] as number) + (downCount[k + 1] as number);

  // Refuse at once: the vectors needed if U were as small as its lower bound — or, when
  // every zone's outage alone leaves some partition short, levels 0 and 1 only.
  const half = tolerance / 2;
  let needed = 0;
  let level = 0;
  const lastLevel = everyZoneAloneBreaks(replicaSets, minInsync, zoneOfBroker, Z) ? 1 : Z;
  for (let k = 0; k <= lastLevel; k++) {
    needed += binomial(Z, k);
    level = k;
    if ((tail[k] as number) <= half * lowerBound || needed > MAX_ZONE_VECTORS) break;
  }
  if (needed > MAX_ZONE_VECTORS) {
    throw new RangeError(
      `the exact fleet sums condition on the states of the ${Z} zones: ${level} or more zones down at once matter, at least ${needed} zone states, more than the limit of ${MAX_ZONE_VECTORS}; simulate instead, or raise the tolerance`,
    );
  }

  const processDown: Probability[] = brokers.map((b) => ({ value: b.up.complement, complement: b.up.value }));
  const down = new Uint8Array(Z);
  let broken = 0;
  let intact = 0;
  let bound = 0;
  let vectors = 0;
  let deepest = 0;
  let spent = 0;
  // is every zone state of the current level certainly broken (some partition short of up brokers)?
  let levelBroken = true;
  const visit = (): void => {
    vectors++;
    const groups: Group[] = [];
    let partitionDown = false;
    const someDown = down.includes(1);
    for (const set of replicaSets) {
      const members = someDown ? set.filter((b) => down[zoneOfBroker[b] as number] === 0) : set;
      const need = set.length - minInsync + 1 - (set.length - members.length);
      if (need <= 0) {
        partitionDown = true;
        break;
      }
      groups.push({ members, need });
    }
    let weight = 1;
    for (let z = 0; z < Z; z++) weight *= down[z] ? (zones[z] as FleetZone).up.complement : (zones[z] as FleetZone).up.value;
    if (partitionDown) {
      broken += weight;
      return;
    }
    levelBroken = false;
    if (weight === 0) return;
    let union: ReturnType<typeof unionOfGroups>;
    try {
      union = unionOfGroups(processDown, groups, half, MAX_AVAILABILITY_WORK - spent);
    } catch (error) {
      if (error instanceof RangeError) {
        throw new RangeError(
          `the exact sum over zone and broker states for fleet availability needs more than ${MAX_AVAILABILITY_WORK} steps at this tolerance (too many brokers can fail together without breaking a partition); simulate instead, or raise the tolerance`,
        );
      }
      throw error;
    }
    spent += union.work;
    broken += weight * union.broken;
    intact += weight * union.intact;
    bound += weight * union.bound;
  };
  // every subset of k zones, in lexicographic order
  const pick = (from: number, left: number): void => {
    if (left === 0) {
      visit();
      return;
    }
    for (let z = from; z <= Z - left; z++) {
      down[z] = 1;
      pick(z + 1, left - 1);
      down[z] = 0;
    }
  };
  for (let k = 0; k <= Z; k++) {
    levelBroken = true;
    pick(0, k);
    deepest = k;
    const rest = tail[k] as number;
    if (k === Z) break;
    if (levelBroken) {
      // every state with more zones down holds one of this level's (fewer brokers up):
      // certainly broken too, so their mass is added exactly
      broken += rest;
      break;
    }
    if (rest <= half * broken) {
      bound += rest;
      break;
    }
  }
  return { broken, intact, bound, vectors, deepest };
}

/** Does the outage of any one zone, alone, leave some partition with fewer than m brokers up? */
function everyZoneAloneBreaks(
  replicaSets: readonly (readonly number[])[],
  minInsync: number,
  zoneOfBroker: readonly number[],
  Z: number,
): boolean {
  const breaks = new Uint8Array(Z);
  const inZone = new Map<number, number>();
  for (const set of replicaSets) {
    inZone.clear();
    for (const b of set) {
      const z = zoneOfBroker[b] as number;
      const count = (inZone.get(z) ?? 0) + 1;
      inZone.set(z, count);
      if (set.length - count < minInsync) breaks[z] = 1;
    }
  }
  return breaks.every((x) => x === 1);
}

/** C(n, k) as a double (exact for the sizes counted here). */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}
