/**
 * Which brokers hold each partition of a fleet (docs/design.md §3c): the placements a
 * `fleet.placement` word names, each a pure function of the broker count, the partition
 * count, the replication factor, the zones where it needs them, and a seed. A replica set
 * lists broker ids from 0 in preference order: its first broker is the preferred leader.
 *
 * Every placement is deterministic given its seed: the seeded draws come from the small
 * generator below (xoshiro128**, seeded by splitmix32), the model layer's own — the
 * simulator's generator lives above this layer (src/sim imports src/model, not the other
 * way round).
 *
 * Imports nothing of mqrel's.
 */

/** A partition's replica set: broker ids from 0, preferred leader first. */
export type ReplicaSet = readonly number[];

// ---------------------------------------------------------------------------------------
// The seeded generator

/**
 * xoshiro128** (Blackman & Vigna 2018), its 128-bit state filled by splitmix32 from the
 * seed's two 32-bit halves, so that every whole seed 0 … 2^53 − 1 gives its own stream.
 */
export class PlacementRandom {
  private readonly s = new Uint32Array(4);

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`a placement seed is a whole number ≥ 0, got ${seed}`);
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) >>> 0, 0x9e3779b1);
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.s.every((word) => word === 0)) this.s[0] = 1;
  }

  /** A generator from its four state words (not all 0): for checking it against another xoshiro128**. */
  static fromState(words: readonly [number, number, number, number]): PlacementRandom {
    const random = new PlacementRandom(0);
    random.s.set(words.map((w) => w >>> 0));
    if (random.s.every((word) => word === 0)) throw new RangeError("a xoshiro128** state may not be all zeros");
    return random;
  }

  /** The next 32 random bits, as a number in 0 … 2^32 − 1. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1] as number, 5), 7), 9) >>> 0;
    const t = (s[1] as number) << 9;
    s[2] = (s[2] as number) ^ (s[0] as number);
    s[3] = (s[3] as number) ^ (s[1] as number);
    s[1] = (s[1] as number) ^ (s[2] as number);
    s[0] = (s[0] as number) ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return result;
  }

  /** A whole number uniform in 0 … n − 1 (n ≤ 2^32), without modulo bias (rejection). */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`below(n) needs a whole n in 1 … 2^32, got ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// ---------------------------------------------------------------------------------------
// Kafka

/**
 * Kafka's index of a partition's (j+2)-th replica in the broker list: the first replica's
 * index moved on by 1 + (shift + j) mod (B − 1), so never onto the first replica itself.
 * Apache Kafka, server-common/src/main/java/org/apache/kafka/admin/AdminUtils.java,
 * `replicaIndex`.
 */
function kafkaReplicaIndex(first: number, shift: number, j: number, brokers: number): number {
  return (first + 1 + ((shift + j) % (brokers - 1))) % brokers;
}

/**
 * Kafka's rack-unaware assignment, exactly: Apache Kafka,
 * server-common/src/main/java/org/apache/kafka/admin/AdminUtils.java,
 * `assignReplicasToBrokersRackUnaware` (the same algorithm as the Scala
 * `kafka.admin.AdminUtils` of the ZooKeeper era; `kafka-reassign-partitions --generate`
 * still uses it). Partition p's first replica is broker (p + startIndex) mod B (round
 * robin); the others follow at `kafkaReplicaIndex` with a shift that starts at
 * `replicaShift` and grows by one each time p reaches a multiple of B, so that a second
 * round of partitions does not repeat the first round's sets. Kafka draws `startIndex`
 * and the first shift uniformly from 0 … B − 1 (`fixedStartIndex` < 0); here they are
 * given. Brokers are 0 … B − 1 in order (Kafka's sorted broker list).
 *
 * Spread: with P a multiple of B, every broker leads P/B partitions and holds R·P/B
 * replicas.
 */
export function kafkaRackUnaware(
  brokers: number,
  partitions: number,
  replication: number,
  startIndex: number,
  replicaShift: number,
): ReplicaSet[] {
  checkShape(brokers, partitions, replication);
  const sets: ReplicaSet[] = new Array(partitions);
  let shift = replicaShift;
  for (let p = 0; p < partitions; p++) {
    if (p > 0 && p % brokers === 0) shift += 1;
    const first = (p + startIndex) % brokers;
    const set = [first];
    for (let j = 0; j < replication - 1; j++) set.push(kafkaReplicaIndex(first, shift, j, brokers));
    sets[p] = set;
  }
  return sets;
}

/** Each zone's brokers, in id order (zones 0 … max). */
function brokersByZone(zoneOfNode: readonly number[]): number[][] {
  const byZone: number[][] = Array.from({ length: Math.max(...zoneOfNode) + 1 }, () => []);
  for (let broker = 0; broker < zoneOfNode.length; broker++) byZone[zoneOfNode[broker] as number]?.push(broker);
  return byZone;
}

/**
 * Kafka's broker list alternated by rack: the first broker of each rack in rack order,
 * then the second of each, and so on (racks sorted, brokers sorted within a rack).
 * Apache Kafka, AdminUtils.java, `getRackAlternatedBrokerList`. The racks are the zones,
 * in zone order (as if named so that they sort in that order).
 */
export function rackAlternatedBrokers(zoneOfNode: readonly number[]): number[] {
  const racks = brokersByZone(zoneOfNode).filter((list) => list.length > 0);
  const result: number[] = [];
  const next = racks.map(() => 0);
  for (let r = 0; result.length < zoneOfNode.length; r = (r + 1) % racks.length) {
    const rack = racks[r] as number[];
    const i = next[r] as number;
    if (i < rack.length) {
      result.push(rack[i] as number);
      next[r] = i + 1;
    }
  }
  return result;
}

/**
 * Kafka's rack-aware assignment, exactly: Apache Kafka, AdminUtils.java,
 * `assignReplicasToBrokersRackAware`. Round robin as in {@link kafkaRackUnaware} over the
 * rack-alternated broker list, the shift multiplied by the number of racks; a candidate
 * follower is skipped while its rack already holds a replica and some rack holds none, or
 * while it holds a replica itself and some broker holds none. So with R ≤ racks every
 * replica of a partition is in a different rack; with R ≥ racks every rack holds one.
 * `zoneOfNode[b]`: broker b's zone (the zones are Kafka's racks).
 */
export function kafkaRackAware(
  zoneOfNode: readonly number[],
  partitions: number,
  replication: number,
  startIndex: number,
  replicaShift: number,
): ReplicaSet[] {
  const brokers = zoneOfNode.length;
  checkShape(brokers, partitions, replication);
  const arranged = rackAlternatedBrokers(zoneOfNode);
  const racks = new Set(zoneOfNode).size;
  const sets: ReplicaSet[] = new Array(partitions);
  let shift = replicaShift;
  for (let p = 0; p < partitions; p++) {
    if (p > 0 && p % brokers === 0) shift += 1;
    const first = (p + startIndex) % brokers;
    const leader = arranged[first] as number;
    // the set itself is the brokers with a replica; racksWith the racks (few: arrays, not Sets)
    const set = [leader];
    const racksWith = [zoneOfNode[leader] as number];
    let k = 0;
    for (let j = 0; j < replication - 1; j++) {
      for (;;) {
        // (shift·racks + k) mod (B − 1) is what Kafka computes; reducing first keeps it exact
        const broker = arranged[kafkaReplicaIndex(first, (shift * racks) % (brokers - 1), k, brokers)] as number;
        const rack = zoneOfNode[broker] as number;
        k += 1;
        const rackFree = !racksWith.includes(rack) || racksWith.length === racks;
        if (rackFree && (!set.includes(broker) || set.length === brokers)) {
          set.push(broker);
          if (!racksWith.includes(rack)) racksWith.push(rack);
          break;
        }
      }
    }
    sets[p] = set;
  }
  return sets;
}

/**
 * `placement: kafka`: Kafka's assignment with the start index and the first replica shift
 * drawn from the seed (each uniform in 0 … B − 1, where Kafka draws them at random):
 * rack-aware when the brokers have zones (`zoneOfNode`), rack-unaware otherwise.
 */
export function kafkaPlacement(
  brokers: number,
  partitions: number,
  replication: number,
  seed: number,
  zoneOfNode?: readonly number[],
): ReplicaSet[] {
  const random = new PlacementRandom(seed);
  const startIndex = random.below(brokers);
  const replicaShift = random.below(brokers);
  return zoneOfNode !== undefined
    ? kafkaRackAware(zoneOfNode, partitions, replication, startIndex, replicaShift)
    : kafkaRackUnaware(brokers, partitions, replication, startIndex, replicaShift);
}

// ---------------------------------------------------------------------------------------
// Random, rack-aware, copyset

/**
 * `placement: random`: each partition's set an independent uniform random R-subset of the
 * brokers in uniform random order (a partial Fisher–Yates shuffle, undone after each
 * partition so that each draw is O(R)). The placement KAFKA-1736 analyses.
 */
export function randomPlacement(brokers: number, partitions: number, replication: number, seed: number): ReplicaSet[] {
  checkShape(brokers, partitions, replication);
  const random = new PlacementRandom(seed);
  const deck = Array.from({ length: brokers }, (_, b) => b);
  const swaps = new Array<number>(replication);
  const sets: ReplicaSet[] = new Array(partitions);
  for (let p = 0; p < partitions; p++) {
    const set = new Array<number>(replication);
    for (let j = 0; j < replication; j++) {
      const pick = j + random.below(brokers - j);
      swaps[j] = pick;
      const chosen = deck[pick] as number;
      deck[pick] = deck[j] as number;
      deck[j] = chosen;
      set[j] = chosen;
    }
    // undo, last swap first: the deck is 0 … B − 1 again
    for (let j = replication - 1; j >= 0; j--) {
      const pick = swaps[j] as number;
      const t = deck[pick] as number;
      deck[pick] = deck[j] as number;
      deck[j] = t;
    }
    sets[p] = set;
  }
  return sets;
}

/**
 * `placement: rack_aware`: every replica of a partition in a different zone. Partition p
 * takes zones p mod Z, p + 1 mod Z, …, p + R − 1 mod Z (its leader in the first), and in
 * each zone the zone's next broker in round robin (a cursor per zone, brokers in id
 * order). With equal zones and P a multiple of Z·(brokers per zone), replicas spread
 * evenly. The cursors move in step, so the sets repeat: 12 brokers round robin over 3
 * zones with R = 3 give 4 distinct sets (each broker shares partitions with R − 1 others,
 * copyset-like), where Kafka's rack-aware assignment gives 60. Needs R ≤ Z (checked by the
 * resolver; here a RangeError).
 */
export function rackAwarePlacement(zoneOfNode: readonly number[], partitions: number, replication: number): ReplicaSet[] {
  const brokers = zoneOfNode.length;
  checkShape(brokers, partitions, replication);
  const byZone = brokersByZone(zoneOfNode);
  const zones = byZone.length;
  if (byZone.some((list) => list.length === 0)) throw new RangeError("rackAwarePlacement: every zone needs a broker");
  if (replication > zones) throw new RangeError(`rackAwarePlacement: ${replication} replicas need ${replication} zones, got ${zones}`);
  const cursor = byZone.map(() => 0);
  const sets: ReplicaSet[] = new Array(partitions);
  for (let p = 0; p < partitions; p++) {
    const set = new Array<number>(replication);
    for (let j = 0; j < replication; j++) {
      const zone = (p + j) % zones;
      const list = byZone[zone] as number[];
      const at = cursor[zone] as number;
      set[j] = list[at % list.length] as number;
      cursor[zone] = at + 1;
    }
    sets[p] = set;
  }
  return sets;
}

/** The number of random permutations Copyset Replication makes for a scatter width S: ⌈S / (R − 1)⌉. */
export function copysetPermutations(scatterWidth: number, replication: number): number {
  return replication <= 1 ? 1 : Math.ceil(scatterWidth / (replication - 1));
}

/**
 * The copysets of Copyset Replication: Cidon, Rumble, Stutsman, Katti, Ousterhout,
 * Rosenblum, "Copysets: Reducing the Frequency of Data Loss in Cloud Storage", USENIX ATC
 * 2013, §4 (the permutation phase). P = ⌈S/(R − 1)⌉ seeded uniform permutations of the
 * brokers, each cut into consecutive chunks of R. When R does not divide B, the last
 * chunk of a permutation wraps around to its first brokers (a choice: the paper takes B a
 * multiple of R), so every permutation gives ⌈B/R⌉ copysets and every broker is in at
 * least P of them. Repeated copysets are kept (a lookup per broker skips nothing).
 */
export function copysets(brokers: number, replication: number, scatterWidth: number, seed: number): ReplicaSet[] {
  checkShape(brokers, 1, replication);
  const random = new PlacementRandom(seed);
  const result: ReplicaSet[] = [];
  const chunks = Math.ceil(brokers / replication);
  for (let n = 0; n < copysetPermutations(scatterWidth, replication); n++) {
    const perm = Array.from({ length: brokers }, (_, b) => b);
    for (let i = brokers - 1; i > 0; i--) {
      const j = random.below(i + 1);
      const t = perm[i] as number;
      perm[i] = perm[j] as number;
      perm[j] = t;
    }
    for (let c = 0; c < chunks; c++) {
      result.push(Array.from({ length: replication }, (_, i) => perm[(c * replication + i) % brokers] as number));
    }
  }
  return result;
}

/**
 * `placement: copyset`: the copysets of {@link copysets}, and for each partition a
 * primary, then a copyset containing it (the paper's replication phase). The choices: the
 * primary is broker p mod B (round robin: leaders spread evenly), and the k-th partition
 * whose primary is b takes b's copysets in turn (the k mod m-th of the m that contain b,
 * in the order they were made), so partitions spread over each broker's copysets. The
 * replica set is the primary, then the copyset's other brokers in permutation order.
 *
 * Distinct replica sets (as sets) ≤ P·⌈B/R⌉; each broker's scatter width ≤ P·(R − 1),
 * plus R − 1 for each permutation whose wrapped chunk holds it — so ≤ S when R − 1
 * divides S and R divides B.
 */
export function copysetPlacement(
  brokers: number,
  partitions: number,
  replication: number,
  scatterWidth: number,
  seed: number,
): ReplicaSet[] {
  checkShape(brokers, partitions, replication);
  const all = copysets(brokers, replication, scatterWidth, seed);
  const containing: ReplicaSet[][] = Array.from({ length: brokers }, () => []);
  for (const set of all) for (const b of set) containing[b]?.push(set);
  const used = new Array<number>(brokers).fill(0);
  const sets: ReplicaSet[] = new Array(partitions);
  for (let p = 0; p < partitions; p++) {
    const primary = p % brokers;
    const mine = containing[primary] as ReplicaSet[];
    const k = used[primary] as number;
    used[primary] = k + 1;
    const copyset = mine[k % mine.length] as ReplicaSet;
    sets[p] = [primary, ...copyset.filter((b) => b !== primary)];
  }
  return sets;
}

// ---------------------------------------------------------------------------------------
// What a placement looks like

/** `eval --format json`'s `fleet.placement` (docs/design.md §3c), counted over the brokers. */
export interface PlacementSummary {
  readonly replicasPerBroker: { readonly min: number; readonly max: number };
  /** preferred leaders: the first broker of each replica set */
  readonly leadersPerBroker: { readonly min: number; readonly max: number };
  /** replica sets that differ as sets of brokers (order aside) */
  readonly distinctReplicaSets: number;
}

/** How the replica sets spread over brokers 0 … B − 1. */
export function placementSummary(sets: readonly ReplicaSet[], brokers: number): PlacementSummary {
  const replicas = new Array<number>(brokers).fill(0);
  const leaders = new Array<number>(brokers).fill(0);
  const distinct = new Set<number | string>();
  // a set as one number in base B where that is exact (B^R < 2^53), else as text
  const numeric = sets.every((set) => brokers ** set.length < Number.MAX_SAFE_INTEGER);
  const sorted: number[] = [];
  for (const set of sets) {
    leaders[set[0] as number] = (leaders[set[0] as number] as number) + 1;
    // insertion sort into one reused buffer: a set has a few brokers
    sorted.length = 0;
    for (const b of set) {
      replicas[b] = (replicas[b] as number) + 1;
      let i = sorted.length;
      while (i > 0 && (sorted[i - 1] as number) > b) {
        sorted[i] = sorted[i - 1] as number;
        i--;
      }
      sorted[i] = b;
    }
    let key = 0;
    if (numeric) for (const b of sorted) key = key * brokers + b;
    distinct.add(numeric ? key : sorted.join(","));
  }
  return {
    replicasPerBroker: { min: Math.min(...replicas), max: Math.max(...replicas) },
    leadersPerBroker: { min: Math.min(...leaders), max: Math.max(...leaders) },
    distinctReplicaSets: distinct.size,
  };
}

function checkShape(brokers: number, partitions: number, replication: number): void {
  for (const [name, n, min] of [
    ["brokers", brokers, 1],
    ["partitions", partitions, 1],
    ["replication", replication, 1],
  ] as const) {
    if (!Number.isInteger(n) || n < min) throw new RangeError(`a placement needs whole ${name} ≥ ${min}, got ${n}`);
  }
  if (replication > brokers) throw new RangeError(`a placement needs replication ≤ brokers, got ${replication} > ${brokers}`);
}
