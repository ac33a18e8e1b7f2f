import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClusterDynamics, type ClusterDynamicsSpec, clusterCodec, type ModeRates } from "../../src/formulas/_internal/clusterStates.js";
import { addInitial, exploreChain, TransitionBuffer } from "../../src/formulas/_internal/markovChain.js";
import { StateTable } from "../../src/formulas/_internal/stateTable.js";
import { ReferenceDynamics, type ReferenceState, referenceExplore, referenceKey } from "../helpers/clusterStatesReference.js";

const Y = 8766; // hours per year
const HW: ModeRates = { failureRate: 1 / (2 * Y), repairRate: 1 / 8, needsCrew: true };
const DISK: ModeRates = { failureRate: 1 / (5 * Y), repairRate: 1 / 24, needsCrew: true };
const CRASH: ModeRates = { failureRate: 6 / Y, repairRate: 30, needsCrew: false };
const OS: ModeRates = { failureRate: 0.2 / Y, repairRate: 6, needsCrew: false };

const base = {
  zoneCount: 0,
  zoneOutageRate: 0,
  zoneRestoreRate: 1,
  commonCauseRate: 0.05 / Y,
  commonCauseRestoreRate: 1 / 4,
};

/** Clusters small enough to explore twice, covering every kind of transition. */
const CASES: { name: string; spec: ClusterDynamicsSpec; maxClassSize?: number[]; extra?: ReferenceState[] }[] = [
  {
    name: "3 nodes, a crew mode and a crew-free one, 1 crew, common cause, leader",
    spec: { ...base, quorum: 2, modes: [HW, CRASH], repairCrews: 1, classZone: [0], classSize: [3], electionRate: 240 },
  },
  {
    name: "2+1 zones with outages, two crew modes sharing 1 crew (the line's order), leader",
    spec: {
      ...base,
      quorum: 2,
      modes: [HW, DISK],
      repairCrews: 1,
      classZone: [0, 1],
      classSize: [2, 1],
      zoneCount: 2,
      zoneOutageRate: 1 / Y,
      zoneRestoreRate: 0.5,
      electionRate: 240,
    },
  },
  {
    name: "4 nodes, three crew modes and 2 crews (a line of two), no common cause, no leader",
    spec: {
      ...base,
      commonCauseRate: 0,
      quorum: 3,
      modes: [HW, DISK, { ...HW, repairRate: 1 }],
      repairCrews: 2,
      classZone: [0],
      classSize: [4],
    },
  },
  {
    name: "a restart slot: zones split into not-yet/done classes, a held node, a codec sized for whole zones",
    spec: {
      ...base,
      quorum: 2,
      modes: [HW, CRASH, DISK],
      repairCrews: 1,
      classZone: [0, 0, 1, 1],
      classSize: [1, 1, 1, 0],
      zoneCount: 2,
      zoneOutageRate: 1 / Y,
      zoneRestoreRate: 0.5,
      electionRate: 240,
    },
    maxClassSize: [2, 2, 1, 1],
    extra: [
      {
        commonCause: false,
        zonesDown: 0,
        leaderLost: false,
        held: 1,
        freeDown: [0, 0, 0, 0],
        inRepair: [0, 0, 0, 0, 0, 0, 0, 0],
        waiting: [],
      },
      {
        commonCause: false,
        zonesDown: 2,
        leaderLost: true,
        held: 1,
        freeDown: [0, 0, 0, 0],
        inRepair: [1, 0, 0, 0, 0, 0, 0, 0],
        waiting: [5],
      },
    ],
  },
  {
    name: "3 zones of crew-free nodes (the presets' shape), outages, common cause, leader",
    spec: {
      ...base,
      quorum: 2,
      modes: [CRASH, OS, { ...CRASH, repairRate: 2 }],
      repairCrews: 3,
      classZone: [0, 1, 2],
      classSize: [1, 1, 1],
      zoneCount: 3,
      zoneOutageRate: 0.2 / Y,
      zoneRestoreRate: 0.5,
      electionRate: 144,
    },
  },
];

describe("packed cluster states", () => {
  for (const { name, spec, maxClassSize, extra } of CASES) {
    it(`when ${name} then the packed chain is the string-keyed one, state for state and rate for rate`, () => {
      // Arrange: the reference explores from all-up (then the extra states), with string keys
      const reference = new ReferenceDynamics(spec);
      const initial = [reference.allUp(), ...(extra ?? [])];
      const expected = referenceExplore(initial, { key: referenceKey, transitions: (s, emit) => reference.transitions(s, emit) }, 100_000);
      const nodes = spec.classSize.reduce((a, b) => a + b, 0);
      const crewModes = spec.modes.filter((m) => m.needsCrew).length;
      // as the maintenance window does: one codec sized for whole zones, the line for the cluster's nodes
      const codec = clusterCodec(maxClassSize ?? spec.classSize, spec.modes, spec.repairCrews, nodes, spec.zoneCount);
      const dyn = new ClusterDynamics(spec, codec);
      expect(codec.maxWait).toBe(crewModes > 0 ? nodes - spec.repairCrews : 0);
      // Act
      const table = new StateTable(codec.words);
      for (const s of initial) addInitial(table, codec.encoded(codec.fromObject(s)), 0, 100_000, "test");
      const chain = exploreChain(
        table,
        (s, out) => dyn.expand(table.keys, s * codec.words, out),
        new TransitionBuffer(codec.words),
        100_000,
      );
      // Assert
      expect(chain.size).toBe(expected.size);
      const u = new Int32Array(codec.fields);
      for (let s = 0; s < chain.size; s++) {
        codec.decode(table.keys, s * codec.words, u);
        expect(codec.toObject(u)).toEqual(expected.states[s]);
        const from = chain.rowStart[s] as number;
        const to = chain.rowStart[s + 1] as number;
        expect(Array.from(chain.target.subarray(from, to))).toEqual(Array.from(expected.targets[s] as Int32Array));
        // the same doubles, bit for bit: same terms, summed in the same order
        expect(Array.from(chain.rate.subarray(from, to))).toEqual(Array.from(expected.rates[s] as Float64Array));
      }
    });
  }
});

describe("StateTable", () => {
  it("when keys of 1 to 3 words are added in any order then each is found at the index it was given, across rehashes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 0, maxLength: 600 }),
        (words, values) => {
          const table = new StateTable(words, 2);
          const reserved = table.reserve();
          const byKey = new Map<string, number>();
          const key = new Int32Array(words);
          for (let i = 0; i + words <= values.length; i += words) {
            for (let j = 0; j < words; j++) key[j] = values[i + j] as number;
            const id = key.join(",");
            const index = table.add(key, 0);
            expect(table.added).toBe(!byKey.has(id));
            if (!byKey.has(id)) byKey.set(id, index);
            expect(index).toBe(byKey.get(id));
          }
          expect(table.size).toBe(byKey.size + 1);
          for (const [id, index] of byKey) {
            const k = Int32Array.from(id.split(",").map(Number));
            expect(table.find(k, 0)).toBe(index);
            expect(Array.from(table.keys.subarray(index * words, (index + 1) * words))).toEqual(Array.from(k));
          }
          // the reserved index is never found, not even by its (zero) key
          expect(table.find(new Int32Array(words), 0)).not.toBe(reserved);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});
