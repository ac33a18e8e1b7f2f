import { describe, expect, it } from "vitest";
import { ClusterDynamics, clusterCodec, type ModeRates } from "../../src/formulas/_internal/clusterStates.js";
import { addInitial, exploreChain, TransitionBuffer } from "../../src/formulas/_internal/markovChain.js";
import { gthFactorize, gthSolveZeroSum, gthStationaryFrom } from "../../src/formulas/_internal/sparseGth.js";
import { StateTable } from "../../src/formulas/_internal/stateTable.js";
import { lumpByZones, placementSymmetries } from "../../src/formulas/_internal/zoneSymmetry.js";
import { expectRelativelyClose } from "../helpers/close.js";

const Y = 8766; // hours per year
const HW: ModeRates = { failureRate: 1 / (2 * Y), repairRate: 1 / 8, needsCrew: true };
const DISK: ModeRates = { failureRate: 1 / (5 * Y), repairRate: 1 / 24, needsCrew: true };
const CRASH: ModeRates = { failureRate: 6 / Y, repairRate: 30, needsCrew: false };

/** The process chain of a cluster (zones never fail), explored in full. */
function processChain(placement: number[], modes: ModeRates[], crews: number) {
  const nodes = placement.reduce((a, b) => a + b, 0);
  const codec = clusterCodec(placement, modes, crews, nodes, placement.length);
  const dyn = new ClusterDynamics(
    {
      quorum: 1,
      modes,
      repairCrews: crews,
      classZone: placement.map((_, z) => z),
      classSize: placement,
      zoneCount: 0,
      zoneOutageRate: 0,
      zoneRestoreRate: 1,
      commonCauseRate: 0.05 / Y,
      commonCauseRestoreRate: 1 / 4,
    },
    codec,
  );
  const table = new StateTable(codec.words);
  addInitial(table, new Int32Array(codec.words), 0, 1e6, "test");
  const chain = exploreChain(table, (s, out) => dyn.expand(table.keys, s * codec.words, out), new TransitionBuffer(codec.words), 1e6);
  return { chain, table, codec, dyn };
}

describe("lumping by exchangeable zones", () => {
  it("when zones have sizes 2, 1, 2, 1 then the permutations are those within equal sizes", () => {
    const perms = placementSymmetries([2, 1, 2, 1]) as number[][];
    // zones 0 ↔ 2 and 1 ↔ 3 independently: 2 × 2
    expect(perms).toEqual([
      [0, 1, 2, 3],
      [0, 3, 2, 1],
      [2, 1, 0, 3],
      [2, 3, 0, 1],
    ]);
    expect(placementSymmetries([3, 2, 1])).toBeUndefined();
  });

  for (const { name, placement, modes, crews } of [
    {
      name: "three zones of one node, a crew mode on one crew and crashes (the line holds zones)",
      placement: [1, 1, 1],
      modes: [HW, CRASH],
      crews: 1,
    },
    { name: "zones 2+2+1, two crew modes sharing a crew", placement: [2, 2, 1], modes: [HW, DISK], crews: 1 },
    { name: "three zones of two crash-only nodes", placement: [2, 2, 2], modes: [CRASH, { ...CRASH, repairRate: 2 }], crews: 6 },
  ]) {
    it(`when ${name} then π from the orbits is the chain's π, and so are the deviation's sums`, () => {
      // Arrange
      const { chain, table, codec, dyn } = processChain(placement, modes, crews);
      const perms = placementSymmetries(placement) as number[][];
      // Act
      const lumped = lumpByZones(chain, table.keys, codec, perms);
      // Assert: fewer states, π(x) = π̄(orbit)/|orbit|
      expect(lumped).toBeDefined();
      if (lumped === undefined) return;
      expect(lumped.chain.size).toBeLessThan(chain.size);
      const full = gthFactorize(chain);
      const pi = gthStationaryFrom(full);
      const small = gthFactorize(lumped.chain);
      const piLumped = gthStationaryFrom(small);
      let sizes = 0;
      for (const size of lumped.orbitSize) sizes += size;
      expect(sizes).toBe(chain.size);
      for (let s = 0; s < chain.size; s++) {
        const o = lumped.orbitOf[s] as number;
        expectRelativelyClose((piLumped[o] as number) / (lumped.orbitSize[o] as number), pi[s] as number, 1e-13, `π of state ${s}`);
      }
      // a deviation b (Σb = 0, not symmetric) and a function of the up nodes (constant on orbits)
      const b = Float64Array.from(pi, (p, s) => (s % 3 === 0 ? -p : 0));
      let mass = 0;
      for (const x of b) mass -= x;
      b[0] = (b[0] as number) + mass;
      const u = new Int32Array(codec.fields);
      const g = new Float64Array(chain.size);
      for (let s = 0; s < chain.size; s++) {
        codec.decode(table.keys, s * codec.words, u);
        g[s] = dyn.upNodes(u) ** 2;
      }
      const y = gthSolveZeroSum(full, b, pi);
      const folded = new Float64Array(lumped.chain.size);
      b.forEach((x, s) => {
        const o = lumped.orbitOf[s] as number;
        folded[o] = (folded[o] as number) + x;
      });
      const yLumped = gthSolveZeroSum(small, folded, piLumped);
      let yg = 0;
      let yNorm = 0;
      for (let s = 0; s < chain.size; s++) {
        yg += (y[s] as number) * (g[s] as number);
        yNorm += Math.abs(y[s] as number);
      }
      let ygLumped = 0;
      for (let o = 0; o < lumped.chain.size; o++) ygLumped += (yLumped[o] as number) * (g[lumped.representative[o] as number] as number);
      // a signed sum (y has both signs and entries over many decades): the same relative
      // accuracy as the maintenance relaxation has against mpmath (maintenance.test.ts, 1e-9);
      // measured here: 1e-15, 2e-12 and 2e-11
      expect(Math.abs(yg)).toBeGreaterThan(1e-3 * yNorm);
      expectRelativelyClose(ygLumped, yg, 1e-9, "y·g");
    });
  }
});
