/**
 * The placements of a fleet (src/model/replicaPlacement.ts, docs/design.md §3c): the
 * properties each must have, Kafka's assignment worked by hand from Kafka's algorithm and
 * checked against the examples in Kafka's own documentation of it, and determinism in the
 * seed.
 */
import { describe, expect, it } from "vitest";
import {
  copysetPermutations,
  copysetPlacement,
  copysets,
  kafkaPlacement,
  kafkaRackAware,
  kafkaRackUnaware,
  PlacementRandom,
  placementSummary,
  type ReplicaSet,
  rackAlternatedBrokers,
  rackAwarePlacement,
  randomPlacement,
} from "../../src/model/replicaPlacement.js";
import { nextUint32 } from "../../src/sim/kernel/rng.js";

/** Every set has R distinct brokers in 0 … B − 1 (the sets that do not, listed: none). */
function expectWellFormed(sets: readonly ReplicaSet[], brokers: number, partitions: number, replication: number): void {
  expect(sets).toHaveLength(partitions);
  const bad = sets.filter(
    (set) =>
      set.length !== replication || new Set(set).size !== replication || set.some((b) => !Number.isInteger(b) || b < 0 || b >= brokers),
  );
  expect(bad).toEqual([]);
}

/** Counted here by hand, independently of placementSummary: replicas and leaders per broker. */
function counts(sets: readonly ReplicaSet[], brokers: number): { replicas: number[]; leaders: number[] } {
  const replicas = new Array<number>(brokers).fill(0);
  const leaders = new Array<number>(brokers).fill(0);
  for (const set of sets) {
    const leader = set[0] as number;
    leaders[leader] = (leaders[leader] as number) + 1;
    for (const b of set) replicas[b] = (replicas[b] as number) + 1;
  }
  return { replicas, leaders };
}

const spreadOf = (xs: readonly number[]) => Math.max(...xs) - Math.min(...xs);

/** The zones of brokers placed round-robin over Z zones (cluster.zones.count). */
const roundRobinZones = (brokers: number, zones: number) => Array.from({ length: brokers }, (_, b) => b % zones);

describe("Kafka's assignment, rack-unaware", () => {
  it("when 5 brokers take 10 partitions of RF 3 from start index 0 and shift 0 then the sets are the ones worked by hand", () => {
    // Kafka, AdminUtils.assignReplicasToBrokersRackUnaware with B = 5:
    //   first(p) = (p + startIndex) mod 5; the j-th follower (j = 0, 1) is
    //   (first + 1 + (shift + j) mod (B − 1)) mod B, shift += 1 when p > 0 reaches a multiple of B.
    // p = 0 … 4, shift 0: followers at first + 1 + 0 and first + 1 + 1:
    //   p0 [0,1,2], p1 [1,2,3], p2 [2,3,4], p3 [3,4,0], p4 [4,0,1]
    // p = 5 … 9, shift 1: followers at first + 1 + 1 and first + 1 + 2:
    //   p5 [0,2,3], p6 [1,3,4], p7 [2,4,0], p8 [3,0,1], p9 [4,1,2]
    // The table in AdminUtils' own comment (broker-0 … broker-4 holding p0 … p9 as 1st, 2nd
    // and 3rd replica) is this assignment: e.g. its 2nd-replica row "p8 p9 p5 p6 p7" puts
    // p5's second replica on broker 2, its 3rd-replica row "p7 p8 p9 p5 p6" the third on 3.
    const expected = [
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 0],
      [4, 0, 1],
      [0, 2, 3],
      [1, 3, 4],
      [2, 4, 0],
      [3, 0, 1],
      [4, 1, 2],
    ];
    expect(kafkaRackUnaware(5, 10, 3, 0, 0)).toEqual(expected);
  });

  it("when the start index and the shift move then the leaders and the followers move as Kafka's formula says", () => {
    // start index 2: p0 leads on broker 2; shift 3, B = 5: followers at 2 + 1 + (3 mod 4) = 6 → 1
    // and 2 + 1 + (4 mod 4) = 3
    expect(kafkaRackUnaware(5, 1, 3, 2, 3)).toEqual([[2, 1, 3]]);
  });

  it.each([
    [5, 10, 3],
    [12, 600, 3],
    [7, 70, 2],
    [9, 27, 4],
    [6, 600, 6],
  ])("when %i brokers take %i partitions of RF %i then replicas and leaders spread evenly", (brokers, partitions, replication) => {
    for (const seed of [1, 2, 3]) {
      const sets = kafkaPlacement(brokers, partitions, replication, seed);
      expectWellFormed(sets, brokers, partitions, replication);
      const { replicas, leaders } = counts(sets, brokers);
      // partitions a multiple of brokers: each broker leads P/B and holds R·P/B (Kafka's goal 1)
      expect(spreadOf(leaders)).toBeLessThanOrEqual(1);
      expect(spreadOf(replicas)).toBeLessThanOrEqual(1);
      expect(leaders.every((n) => n === partitions / brokers)).toBe(true);
    }
  });
});

describe("Kafka's assignment, rack-aware", () => {
  // AdminUtils' comment: brokers 0 → rack1, 1 → rack3, 2 → rack3, 3 → rack2, 4 → rack2,
  // 5 → rack1; racks sort rack1, rack2, rack3, so as zones 0, 1, 2:
  const zoneOfNode = [0, 2, 2, 1, 1, 0];

  it("when the racks are those of Kafka's own example then the rack-alternated list is its list", () => {
    // "The rack alternated list will be: 0, 3, 1, 5, 4, 2"
    expect(rackAlternatedBrokers(zoneOfNode)).toEqual([0, 3, 1, 5, 4, 2]);
    // its other example: rack1: 0, 1, 2; rack2: 3, 4, 5; rack3: 6, 7, 8 → 0, 3, 6, 1, 4, 7, 2, 5, 8
    expect(rackAlternatedBrokers([0, 0, 0, 1, 1, 1, 2, 2, 2])).toEqual([0, 3, 6, 1, 4, 7, 2, 5, 8]);
  });

  it("when 7 partitions of RF 3 are placed from start index 0 and shift 0 then they are Kafka's example", () => {
    // "0 -> 0,3,1; 1 -> 3,1,5; 2 -> 1,5,4; 3 -> 5,4,2; 4 -> 4,2,0; 5 -> 2,0,3", then
    // "6 -> 0,4,2 (instead of repeating 0,3,1 as partition 0)"
    expect(kafkaRackAware(zoneOfNode, 7, 3, 0, 0)).toEqual([
      [0, 3, 1],
      [3, 1, 5],
      [1, 5, 4],
      [5, 4, 2],
      [4, 2, 0],
      [2, 0, 3],
      [0, 4, 2],
    ]);
  });

  it.each([
    [12, 3, 600, 3],
    [9, 3, 90, 3],
    [10, 5, 100, 3],
    [8, 4, 80, 2],
  ])(
    "when %i brokers over %i zones take %i partitions of RF %i then every replica is in its own zone, spread evenly",
    (brokers, zones, partitions, replication) => {
      const zoneOf = roundRobinZones(brokers, zones);
      for (const seed of [1, 7]) {
        const sets = kafkaPlacement(brokers, partitions, replication, seed, zoneOf);
        expectWellFormed(sets, brokers, partitions, replication);
        expect(sets.filter((set) => new Set(set.map((b) => zoneOf[b])).size !== replication)).toEqual([]);
        const { replicas, leaders } = counts(sets, brokers);
        expect(spreadOf(leaders)).toBeLessThanOrEqual(1);
        expect(spreadOf(replicas)).toBeLessThanOrEqual(1);
      }
    },
  );

  it("when there are fewer zones than replicas then every zone holds one of each partition's replicas", () => {
    const zoneOf = roundRobinZones(8, 2);
    const sets = kafkaPlacement(8, 40, 3, 5, zoneOf);
    expectWellFormed(sets, 8, 40, 3);
    for (const set of sets) expect(new Set(set.map((b) => zoneOf[b])).size).toBe(2);
  });
});

describe("random, rack_aware and copyset", () => {
  it("when partitions are placed at random then every set is well formed and each ordered set is about equally likely", () => {
    // 5 brokers, RF 2: 20 ordered pairs, each with probability 1/20; 100 000 partitions give
    // 5 000 ± 69 (binomial σ = √(10⁵·0.05·0.95)); 6σ bounds every one of the 20
    const sets = randomPlacement(5, 100_000, 2, 42);
    expectWellFormed(sets, 5, 100_000, 2);
    const tally = new Map<string, number>();
    for (const set of sets) tally.set(set.join(","), (tally.get(set.join(",")) ?? 0) + 1);
    expect(tally.size).toBe(20);
    for (const n of tally.values()) expect(Math.abs(n - 5000)).toBeLessThan(6 * Math.sqrt(100_000 * 0.05 * 0.95));
  });

  it("when rack_aware places partitions then every replica of a partition is in its own zone, and equal zones share evenly", () => {
    const zoneOf = roundRobinZones(12, 3);
    const sets = rackAwarePlacement(zoneOf, 600, 3);
    expectWellFormed(sets, 12, 600, 3);
    for (const set of sets) expect(new Set(set.map((b) => zoneOf[b])).size).toBe(3);
    expect(spreadOf(counts(sets, 12).replicas)).toBeLessThanOrEqual(1);
    // the zone cursors move in step: partition p takes broker p mod 4 of every zone's
    // four (zones of 12 round robin: zone z holds z, z + 3, z + 6, z + 9), so 4 sets repeat
    expect(placementSummary(sets, 12).distinctReplicaSets).toBe(4);
    // uneven zones [3, 2, 1] and RF 2: still one replica per zone
    const uneven = [0, 0, 0, 1, 1, 2];
    for (const set of rackAwarePlacement(uneven, 50, 2)) expect(uneven[set[0] as number]).not.toBe(uneven[set[1] as number]);
    expect(() => rackAwarePlacement(roundRobinZones(6, 2), 10, 3)).toThrow(RangeError);
  });

  it.each([
    // brokers, RF, scatter width: R − 1 divides S and R divides B
    [12, 3, 4],
    [9, 3, 2],
    [20, 4, 6],
  ])(
    "when %i brokers take copysets of RF %i and scatter width %i then the sets and each broker's scatter width are bounded",
    (brokers, replication, scatterWidth) => {
      const permutations = copysetPermutations(scatterWidth, replication);
      expect(permutations).toBe(Math.ceil(scatterWidth / (replication - 1)));
      const sets = copysetPlacement(brokers, 600, replication, scatterWidth, 3);
      expectWellFormed(sets, brokers, 600, replication);
      // Cidon et al. 2013 §4: P permutations of ⌈B/R⌉ copysets each
      expect(placementSummary(sets, brokers).distinctReplicaSets).toBeLessThanOrEqual(permutations * Math.ceil(brokers / replication));
      // every set is one of the copysets
      const made = new Set(copysets(brokers, replication, scatterWidth, 3).map((c) => [...c].sort((a, b) => a - b).join(",")));
      for (const set of sets) expect(made.has([...set].sort((a, b) => a - b).join(","))).toBe(true);
      // scatter width: the other brokers a broker shares a partition with, at most S here
      const neighbours = Array.from({ length: brokers }, () => new Set<number>());
      for (const set of sets) for (const a of set) for (const b of set) if (a !== b) neighbours[a]?.add(b);
      for (const n of neighbours) expect(n.size).toBeLessThanOrEqual(scatterWidth);
      // leaders round robin
      expect(spreadOf(counts(sets, brokers).leaders)).toBeLessThanOrEqual(1);
    },
  );

  it("when R does not divide B then each permutation's last copyset wraps around and every set is still well formed", () => {
    // 10 brokers, RF 3, S = 4: P = 2 permutations of ⌈10/3⌉ = 4 copysets; a broker in a
    // wrapped chunk may share with up to 2·(R − 1) brokers per permutation
    const sets = copysetPlacement(10, 500, 3, 4, 9);
    expectWellFormed(sets, 10, 500, 3);
    expect(placementSummary(sets, 10).distinctReplicaSets).toBeLessThanOrEqual(8);
    const neighbours = Array.from({ length: 10 }, () => new Set<number>());
    for (const set of sets) for (const a of set) for (const b of set) if (a !== b) neighbours[a]?.add(b);
    for (const n of neighbours) expect(n.size).toBeLessThanOrEqual(2 * 2 * 2);
  });
});

describe("seeds", () => {
  it("when a placement is made twice with one seed then the sets are the same, and another seed gives other sets", () => {
    const zoneOf = roundRobinZones(12, 3);
    const makers: [string, (seed: number) => ReplicaSet[]][] = [
      ["kafka", (seed) => kafkaPlacement(12, 600, 3, seed)],
      ["kafka rack-aware", (seed) => kafkaPlacement(12, 600, 3, seed, zoneOf)],
      ["random", (seed) => randomPlacement(12, 600, 3, seed)],
      ["copyset", (seed) => copysetPlacement(12, 600, 3, 4, seed)],
    ];
    for (const [name, make] of makers) {
      expect(make(1), name).toEqual(make(1));
      expect(make(1), name).not.toEqual(make(2));
    }
  });

  it("when the generator starts from a state then it draws what the simulator's own xoshiro128** draws from it", () => {
    // another implementation of the same generator (src/sim/kernel/rng.ts, checked there
    // against the reference); by hand from state (1, 2, 3, 4): rotl(2·5, 7)·9 = 11520, then
    // s1 = 0 gives 0
    for (const state of [
      [1, 2, 3, 4],
      [0xdeadbeef, 0x12345678, 0, 0xffffffff],
    ] as const) {
      const ours = PlacementRandom.fromState(state);
      const theirs = Uint32Array.from(state);
      const drawn = Array.from({ length: 1000 }, () => ours.nextUint32());
      expect(drawn).toEqual(Array.from({ length: 1000 }, () => nextUint32(theirs)));
      if (state[0] === 1) expect(drawn.slice(0, 2)).toEqual([11520, 0]);
    }
  });

  it("when the generator is seeded then it is reproducible, distinct for seeds apart by 2^32, and below(n) stays in range", () => {
    const a = new PlacementRandom(7);
    const b = new PlacementRandom(7);
    const draws = Array.from({ length: 100 }, () => a.nextUint32());
    expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(draws);
    expect(new PlacementRandom(2 ** 32 + 7).nextUint32()).not.toBe(new PlacementRandom(7).nextUint32());
    const r = new PlacementRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const x = r.below(7);
      expect(x >= 0 && x < 7 && Number.isInteger(x)).toBe(true);
      seen.add(x);
    }
    expect(seen.size).toBe(7);
    expect(() => new PlacementRandom(-1)).toThrow(RangeError);
  });
});

describe("the placement summary", () => {
  it("when sets are counted then replicas, preferred leaders and distinct sets are what a hand count gives", () => {
    // leaders (first brokers): 0 leads 2, 1 leads 1, 2 leads 0, 3 leads 1;
    // [0,1,2] and [0,2,1] are one set as sets: {0,1,2}, {0,1,3}, {1,2,3} — 3 distinct of 4
    const sets = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 3, 0],
      [3, 2, 1],
    ];
    // replicas: 0 → 3, 1 → 4, 2 → 3, 3 → 2
    expect(placementSummary(sets, 4)).toEqual({
      replicasPerBroker: { min: 2, max: 4 },
      leadersPerBroker: { min: 0, max: 2 },
      distinctReplicaSets: 3,
    });
  });
});
