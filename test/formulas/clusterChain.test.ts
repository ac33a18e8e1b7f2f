import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gthStationary } from "../../src/formulas/_internal/gth.js";
import { sparseGthStationary } from "../../src/formulas/_internal/sparseGth.js";
import {
  type ClusterChainParams,
  clusterChain,
  competingModesAvailability,
  type FailureMode,
  quorumChain,
  zonedKofnAvailability,
  zoneLossSurvival,
} from "../../src/formulas/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

const Y = 8766; // hours per year
const HW: FailureMode = { failureRate: 1 / (2 * Y), repairRate: 1 / 8, needsCrew: true };
const DISK: FailureMode = { failureRate: 1 / (5 * Y), repairRate: 1 / 24, needsCrew: true };
const CRASH: FailureMode = { failureRate: 6 / Y, repairRate: 30, needsCrew: false };
const CC = { rate: 0.05 / Y, restoreRate: 1 / 4 };
const ZONES_221 = { placement: [2, 2, 1], outageRate: 1 / Y, restoreRate: 1 / 2 };

/**
 * Reference values: test/reference/cluster_chain_reference.py, an independent
 * implementation of the semantics of docs/design.md §3a with no lumping — every node's state, the
 * repair line as an ordered tuple of node ids, every zone and the leader's node id
 * explicit — whose generator is solved by mpmath's lu_solve at 40 digits:
 *
 *   python3 test/reference/cluster_chain_reference.py M1 M2 M2cc M3 M4 M5 M6
 *
 * (a few minutes: M6 has 520 explicit states, and mpmath's lu_solve is dense). Every
 * figure agrees to better than 1.3e-15 relative; the tests ask for 1e-12 (1e-13 on A).
 *
 * Its printed output is pasted below, model by model.
 */
interface Reference {
  readonly A: number;
  readonly U: number;
  readonly F: number;
  readonly MTTF: number;
  readonly QA?: number;
  readonly QU?: number;
}

const REFERENCE: Record<string, { params: ClusterChainParams; ref: Reference }> = {
  // M1: several failure modes, one crew, common cause (3 nodes, majority); 129 explicit states
  // M1 A 0.9999690298697684678182238224149463096785
  // M1 U 0.00003097013023153218177617758505369032146617
  // M1 F 0.0000103939290572579355869916174069687275859
  // M1 MTTF 97239.9039462993285959856406298095983352
  M1: {
    params: { nodes: 3, quorum: 2, modes: [HW, DISK, CRASH], repairCrews: 1, commonCause: CC },
    ref: {
      A: Number("0.9999690298697684678182238224149463096785"),
      U: Number("0.00003097013023153218177617758505369032146617"),
      F: Number("0.0000103939290572579355869916174069687275859"),
      MTTF: Number("97239.9039462993285959856406298095983352"),
    },
  },
  // M2: five nodes over zones 2+2+1, independent repair, zone outages; 256 explicit states
  // M2 A 0.9999972913206314026387058863643306831831
  // M2 U 0.000002708679368597361294113635669316816820344
  // M2 F 0.000001735759048183720719026838530256431665
  // M2 MTTF 576932.4697508490856599381557598519563918
  M2: {
    params: { nodes: 5, quorum: 3, modes: [{ failureRate: 2 / Y, repairRate: 1 / 8, needsCrew: true }], repairCrews: 5, zones: ZONES_221 },
    ref: {
      A: Number("0.9999972913206314026387058863643306831831"),
      U: Number("0.000002708679368597361294113635669316816820344"),
      F: Number("0.000001735759048183720719026838530256431665"),
      MTTF: Number("576932.4697508490856599381557598519563918"),
    },
  },
  // M2cc: the same with a common cause (the nodes are no longer independent); 264 explicit states
  // M2cc A 0.9999744765982780585768147698036448880326
  // M2cc U 0.00002552340172194142318523019635511196742323
  // M2cc F 0.000007439371428531657724859340760111819310912
  // M2cc MTTF 134461.0574869468595042391433656155494297
  M2cc: {
    params: {
      nodes: 5,
      quorum: 3,
      modes: [{ failureRate: 2 / Y, repairRate: 1 / 8, needsCrew: true }],
      repairCrews: 5,
      zones: ZONES_221,
      commonCause: CC,
    },
    ref: {
      A: Number("0.9999744765982780585768147698036448880326"),
      U: Number("0.00002552340172194142318523019635511196742323"),
      F: Number("0.000007439371428531657724859340760111819310912"),
      MTTF: Number("134461.0574869468595042391433656155494297"),
    },
  },
  // M3: three nodes over zones 1+1+1, two modes, one crew, common cause, failover 15 s
  // (the leader re-placed uniformly on the up nodes after every event); 345 explicit states
  // M3 A 0.9999750626855007197431029703600258499159
  // M3 U 0.0000249373144992802568970296399741500841334
  // M3 F 0.000009327178963305357210703532393521249223126
  // M3 MTTF 107620.5438550802328608324209983304035835
  // M3 QA 0.9999714665746704901166956810099155790234
  // M3 QU 0.00002853342532950988330431899008442097660251
  M3: {
    params: {
      nodes: 3,
      quorum: 2,
      modes: [HW, CRASH],
      repairCrews: 1,
      zones: { placement: [1, 1, 1], outageRate: 1 / Y, restoreRate: 1 / 2 },
      commonCause: CC,
      failover: { electionRate: 240 },
    },
    ref: {
      A: Number("0.9999750626855007197431029703600258499159"),
      U: Number("0.0000249373144992802568970296399741500841334"),
      F: Number("0.000009327178963305357210703532393521249223126"),
      MTTF: Number("107620.5438550802328608324209983304035835"),
      QA: Number("0.9999714665746704901166956810099155790234"),
      QU: Number("0.00002853342532950988330431899008442097660251"),
    },
  },
  // M4: a queue with failover and no zones, the leader STAYING on its node until it fails
  // (sticky): with identical memoryless nodes this equals the uniform-leader chain; 54 states
  // M4 A 0.9999758732009822412253231488343460328972
  // M4 U 0.00002412679901775877467685116565396710282197
  // M4 F 0.000007832140610893671948622885521297208731054
  // M4 MTTF 128064.0651744986258673661176646413104836
  // M4 QA 0.9999727555055437523983253470814814785593
  // M4 QU 0.00002724449445624760167465291851852144063881
  M4: {
    params: { nodes: 3, quorum: 2, modes: [HW, CRASH], repairCrews: 1, commonCause: CC, failover: { electionRate: 240 } },
    ref: {
      A: Number("0.9999758732009822412253231488343460328972"),
      U: Number("0.00002412679901775877467685116565396710282197"),
      F: Number("0.000007832140610893671948622885521297208731054"),
      MTTF: Number("128064.0651744986258673661176646413104836"),
      QA: Number("0.9999727555055437523983253470814814785593"),
      QU: Number("0.00002724449445624760167465291851852144063881"),
    },
  },
  // M6: one crew shared across zones, 4 nodes over 2+1+1 (the line's zone order decides
  // which zone gets its node back first); 520 explicit states
  // M6 A 0.9997295446342070984396907529786541849208
  // M6 U 0.0002704553657929015603092470213458150791531
  // M6 F 0.0001206051588131847653105743034417643481038
  // M6 MTTF 8292.589642785658074814175510925781106544
  M6: {
    params: {
      nodes: 4,
      quorum: 3,
      modes: [{ failureRate: 2 / Y, repairRate: 1 / 8, needsCrew: true }],
      repairCrews: 1,
      zones: { placement: [2, 1, 1], outageRate: 1 / Y, restoreRate: 1 / 2 },
    },
    ref: {
      A: Number("0.9997295446342070984396907529786541849208"),
      U: Number("0.0002704553657929015603092470213458150791531"),
      F: Number("0.0001206051588131847653105743034417643481038"),
      MTTF: Number("8292.589642785658074814175510925781106544"),
    },
  },
  // M5: the common-cause chain of ctmc.test.ts (3 nodes, one crew); 17 explicit states
  // M5 A 0.9999797605199826730533993503525874557089
  // M5 U 0.00002023948001732694660064964741254429108706
  // M5 F 0.00001005975801520909971889621925027026774773
  // M5 MTTF 99404.19447092469018112488083889418493806
  M5: {
    params: {
      nodes: 3,
      quorum: 2,
      modes: [{ failureRate: 0.00005, repairRate: 0.25, needsCrew: true }],
      repairCrews: 1,
      commonCause: { rate: 0.00001, restoreRate: 0.5 },
    },
    ref: {
      A: Number("0.9999797605199826730533993503525874557089"),
      U: Number("0.00002023948001732694660064964741254429108706"),
      F: Number("0.00001005975801520909971889621925027026774773"),
      MTTF: Number("99404.19447092469018112488083889418493806"),
    },
  },
};

function expectReference(name: string, params: ClusterChainParams, ref: Reference): void {
  const r = clusterChain(params);
  expectRelativelyClose(r.value, ref.A, 1e-13, `${name} A`);
  expectRelativelyClose(r.complement, ref.U, 1e-12, `${name} U`);
  expectRelativelyClose(r.outageFrequency, ref.F, 1e-12, `${name} F`);
  expectRelativelyClose(r.meanTimeToFailure, ref.MTTF, 1e-12, `${name} MTTF`);
  if (ref.QA !== undefined && ref.QU !== undefined) {
    const queue = r.queue as { value: number; complement: number };
    expectRelativelyClose(queue.value, ref.QA, 1e-13, `${name} queue A`);
    expectRelativelyClose(queue.complement, ref.QU, 1e-12, `${name} queue U`);
  }
}

describe("clusterChain against the unlumped mpmath chain", () => {
  for (const [name, { params, ref }] of Object.entries(REFERENCE)) {
    it(`when the model is ${name} then A, U, outages and MTTF agree to 1e-12`, () => {
      expectReference(name, params, ref);
    });
  }
});

describe("clusterChain, exact special cases", () => {
  it("when there is one crew mode and no zones then it is the birth–death chain of availability.ctmc", () => {
    for (const [n, k, crews, cc] of [
      [3, 2, 1, 0],
      [5, 3, 2, 1e-5],
      [4, 4, 2, 1e-3],
      [7, 4, 7, 0],
    ] as const) {
      const q = quorumChain({
        nodes: n,
        quorum: k,
        failureRate: 1e-4,
        repairRate: 0.25,
        repairCrews: crews,
        commonCauseRate: cc,
        commonCauseRepairRate: 0.5,
      });
      const c = clusterChain({
        nodes: n,
        quorum: k,
        modes: [{ failureRate: 1e-4, repairRate: 0.25, needsCrew: true }],
        repairCrews: crews,
        ...(cc > 0 ? { commonCause: { rate: cc, restoreRate: 0.5 } } : {}),
      });
      const label = `${n}/${k} crews ${crews} cc ${cc}`;
      expectRelativelyClose(c.complement, q.complement, 1e-12, `U ${label}`);
      expectRelativelyClose(c.meanTimeToFailure, q.meanTimeToFailure, 1e-12, `MTTF ${label}`);
      expectRelativelyClose(c.outageFrequency, q.outageFrequency, 1e-12, `F ${label}`);
    }
  });

  it("when the nodes are independent then the chain over zones equals the exact convolution", () => {
    const placement = [2, 2, 1];
    const zone = { outageRate: 1 / Y, restoreRate: 0.5 };
    const modes = [HW, CRASH];
    const chain = clusterChain({ nodes: 5, quorum: 3, modes, zones: { placement, ...zone } });
    const node = competingModesAvailability(modes);
    const zoneUp = { value: 0.5 / (0.5 + 1 / Y), complement: 1 / Y / (0.5 + 1 / Y) };
    const convolution = zonedKofnAvailability(
      3,
      placement.map((size) => new Array(size).fill(node)),
      placement.map(() => zoneUp),
    );
    expectRelativelyClose(chain.complement, convolution.complement, 1e-12);
    expectRelativelyClose(chain.value, convolution.value, 1e-14);
  });

  it("when the failover is instant then the queue is available exactly when the cluster is", () => {
    const r = clusterChain({
      nodes: 3,
      quorum: 2,
      modes: [HW, CRASH],
      repairCrews: 1,
      failover: { electionRate: Number.POSITIVE_INFINITY },
    });
    expect(r.queue).toEqual({ value: r.value, complement: r.complement });
  });

  it("when no failure mechanism is left then the cluster is always up and never fails", () => {
    const r = clusterChain({ nodes: 3, quorum: 2, modes: [{ failureRate: 0, repairRate: 1, needsCrew: true }] });
    expect(r.complement).toBe(0);
    expect(r.meanTimeToFailure).toBe(Number.POSITIVE_INFINITY);
    expect(r.outageFrequency).toBe(0);
  });

  it("when the chain would exceed the cap then it refuses with the limit in the message", () => {
    const modes = [HW, DISK, { ...HW, repairRate: 1 / 3 }, { ...DISK, repairRate: 1 / 5 }, CRASH];
    expect(() =>
      clusterChain({ nodes: 9, quorum: 5, modes, repairCrews: 1, zones: { placement: [3, 3, 3], outageRate: 1 / Y, restoreRate: 0.5 } }),
    ).toThrow(/more than 20000 states/);
  });

  it("when a parameter is out of its domain then it throws a RangeError naming it", () => {
    expect(() => clusterChain({ nodes: 3, quorum: 4, modes: [HW] })).toThrow(/quorum/);
    expect(() => clusterChain({ nodes: 3, quorum: 2, modes: [] })).toThrow(/mode/);
    expect(() => clusterChain({ nodes: 3, quorum: 2, modes: [{ ...HW, repairRate: 0 }] })).toThrow(/repair rate/);
    expect(() => clusterChain({ nodes: 5, quorum: 3, modes: [HW], zones: { placement: [2, 2], outageRate: 0, restoreRate: 1 } })).toThrow(
      /add up/,
    );
  });
});

describe("sparse GTH", () => {
  it("when given a random irreducible chain then it agrees with the dense GTH of availability.ctmc", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 1e-6, max: 1e3, noNaN: true })), { minLength: 0, maxLength: 120 }),
        (size, extra) => {
          const dense = Array.from({ length: size }, () => new Array<number>(size).fill(0));
          // a cycle makes it irreducible; the extra edges make it interesting
          for (let s = 0; s < size; s++) (dense[s] as number[])[(s + 1) % size] = 1;
          for (const [a, b, rate] of extra) {
            const i = a % size;
            const j = b % size;
            if (i !== j) (dense[i] as number[])[j] = ((dense[i] as number[])[j] as number) + rate;
          }
          const targets = dense.map((row) => Int32Array.from(row.flatMap((r, j) => (r > 0 ? [j] : []))));
          const rates = dense.map((row) => Float64Array.from(row.filter((r) => r > 0)));
          const sparse = sparseGthStationary({ size, targets, rates });
          const reference = gthStationary(dense);
          for (let s = 0; s < size; s++) expectRelativelyClose(sparse[s] as number, reference[s] as number, 1e-10, `state ${s}`);
        },
      ),
      { numRuns: 60, seed: 10 },
    );
  });
});

describe("clusterChain properties", () => {
  const small = fc.record({
    nodes: fc.integer({ min: 1, max: 4 }),
    quorumShare: fc.double({ min: 0, max: 1, noNaN: true }),
    hwRate: fc.double({ min: 1e-5, max: 1e-2, noNaN: true }),
    hwMttr: fc.double({ min: 0.5, max: 48, noNaN: true }),
    crashRate: fc.double({ min: 0, max: 1e-2, noNaN: true }),
    crews: fc.integer({ min: 1, max: 4 }),
    zones: fc.boolean(),
  });
  type Small = typeof small extends fc.Arbitrary<infer T> ? T : never;
  const build = (c: Small, hwMttr: number): ClusterChainParams => {
    const quorum = Math.max(1, Math.ceil(c.quorumShare * c.nodes));
    return {
      nodes: c.nodes,
      quorum,
      modes: [
        { failureRate: c.hwRate, repairRate: 1 / hwMttr, needsCrew: true },
        { failureRate: c.crashRate, repairRate: 20, needsCrew: false },
      ],
      repairCrews: c.crews,
      ...(c.zones ? { zones: { placement: Array.from({ length: c.nodes }, () => 1), outageRate: 1e-4, restoreRate: 0.5 } } : {}),
      commonCause: { rate: 1e-6, restoreRate: 0.25 },
      failover: { electionRate: 240 },
    };
  };

  it("when a mode's repairs take longer then the cluster is never more available", () => {
    fc.assert(
      fc.property(small, fc.double({ min: 1.01, max: 10, noNaN: true }), (c, factor) => {
        const fast = clusterChain(build(c, c.hwMttr));
        const slow = clusterChain(build(c, c.hwMttr * factor));
        expect(slow.complement).toBeGreaterThanOrEqual(fast.complement * (1 - 1e-12));
        expect((slow.queue as { complement: number }).complement).toBeGreaterThanOrEqual(
          (fast.queue as { complement: number }).complement * (1 - 1e-12),
        );
      }),
      { numRuns: 12, seed: 11 },
    );
  });

  it("when the leader must be elected then the queue is never more available than the cluster", () => {
    fc.assert(
      fc.property(small, (c) => {
        const r = clusterChain(build(c, c.hwMttr));
        const queue = r.queue as { value: number; complement: number };
        expect(queue.complement).toBeGreaterThanOrEqual(r.complement);
        expect(Math.abs(queue.value + queue.complement - 1)).toBeLessThan(1e-13);
      }),
      { numRuns: 24, seed: 12 },
    );
  });

  it("when a zone holds more nodes than the quorum can lose then its outage alone takes the cluster down", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (placement, share) => {
          const n = placement.reduce((a, b) => a + b, 0);
          const k = Math.max(1, Math.ceil(share * n));
          const outageRate = 1e-3;
          const restoreRate = 0.5;
          const r = clusterChain({
            nodes: n,
            quorum: k,
            modes: [{ ...HW, failureRate: 1e-4 }],
            zones: { placement, outageRate, restoreRate },
          });
          const check = zoneLossSurvival(placement, k);
          const zoneDown = outageRate / (outageRate + restoreRate);
          if (Math.max(...placement) > n - k) {
            expect(check.survives).toBe(false);
            expect(r.complement).toBeGreaterThanOrEqual(zoneDown);
          } else expect(check.survives).toBe(true);
        },
      ),
      { numRuns: 60, seed: 13 },
    );
  });
});

describe("zoneLossSurvival", () => {
  it("when 5 nodes sit 2+2+1 with majority then any one zone can go", () => {
    expect(zoneLossSurvival([2, 2, 1], 3)).toMatchObject({ survives: true, worstZone: 0, upAfterWorstLoss: 3 });
  });
  it("when 5 nodes sit 3+1+1 then losing the first zone loses quorum, and one move fixes it", () => {
    expect(zoneLossSurvival([3, 1, 1], 3)).toMatchObject({
      survives: false,
      suggestion: { placement: [2, 2, 1], moves: 1, zonesAdded: 0 },
    });
  });
  it("when 3 nodes sit in 2 zones then a third zone is needed", () => {
    expect(zoneLossSurvival([2, 1], 2)).toMatchObject({ survives: false, suggestion: { placement: [1, 1, 1], moves: 1, zonesAdded: 1 } });
  });
  it("when every node is needed then no placement survives", () => {
    const check = zoneLossSurvival([1, 1, 1], 3);
    expect(check.survives).toBe(false);
    expect(check.suggestion).toBeUndefined();
  });
});
