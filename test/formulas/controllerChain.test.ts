import { describe, expect, it } from "vitest";
import { clusterChain } from "../../src/formulas/index.js";
import { expectRelativelyClose } from "../helpers/close.js";
import { ONE, Rational, solveExact, ZERO } from "../helpers/rational.js";

/**
 * Reference for the control plane (docs/design.md §3e): the whole chain written out from
 * the semantics, independently of src/, and solved in exact rational arithmetic.
 * Brokers: n nodes, one crew mode (λ, μ) with `crews` crews, quorum k, no zones. Leader:
 * on a failure of one of u up nodes the leader is lost with probability 1/u, always when
 * the quorum is lost; elected at rate ε while ≥ k brokers are up and the controller holds
 * its quorum. Controller: nc crew-free nodes, each failing in mode j at λc_j and recovering
 * at μc_j; state (d_1..d_M) nodes down per mode.
 */
interface Spec {
  n: number;
  k: number;
  crews: number;
  lambda: string;
  mu: string;
  election: string;
  nc: number;
  kc: number;
  modes: { lambda: string; mu: string }[];
}

function controllerStates(nc: number, m: number): number[][] {
  const out: number[][] = [];
  const rec = (d: number[]) => {
    if (d.length === m) {
      if (d.reduce((a, b) => a + b, 0) <= nc) out.push(d);
      return;
    }
    for (let x = 0; x <= nc; x++) rec([...d, x]);
  };
  rec([]);
  return out;
}

function exactQueue(spec: Spec): { queueU: number; clusterU: number } {
  const ctrl = controllerStates(spec.nc, spec.modes.length);
  // broker part: (down d, lost) with lost = 1 in every down state
  const brokers: [number, number][] = [];
  for (let d = 0; d <= spec.n; d++) {
    if (spec.n - d >= spec.k) brokers.push([d, 0]);
    brokers.push([d, 1]);
  }
  const key = (d: number, lost: number, c: number[]) => `${d}/${lost}/${c.join(",")}`;
  const states: string[] = [];
  for (const [d, lost] of brokers) for (const c of ctrl) states.push(key(d, lost, c));
  const index = new Map(states.map((s, i) => [s, i]));
  const size = states.length;
  const q: Rational[][] = Array.from({ length: size }, () => Array.from({ length: size }, () => ZERO));
  const add = (from: string, to: string, r: Rational) => {
    const i = index.get(from) as number;
    const j = index.get(to);
    if (j === undefined) throw new Error(`no state ${to}`);
    (q[i] as Rational[])[j] = ((q[i] as Rational[])[j] as Rational).add(r);
  };
  const lambda = Rational.of(spec.lambda);
  const mu = Rational.of(spec.mu);
  for (const [d, lost] of brokers) {
    for (const c of ctrl) {
      const from = key(d, lost, c);
      const u = spec.n - d;
      const ctrlUp = spec.nc - c.reduce((a, b) => a + b, 0) >= spec.kc;
      if (u > 0) {
        const quorumAfter = u - 1 >= spec.k;
        if (!quorumAfter || lost === 1) add(from, key(d + 1, 1, c), Rational.of(u).mul(lambda));
        else {
          add(from, key(d + 1, 1, c), lambda); // the leader's node: 1/u of u·λ
          if (u > 1) add(from, key(d + 1, 0, c), Rational.of(u - 1).mul(lambda));
        }
      }
      if (d > 0) {
        const to = spec.n - (d - 1) >= spec.k ? key(d - 1, lost, c) : key(d - 1, 1, c);
        add(from, to, Rational.of(Math.min(d, spec.crews)).mul(mu));
      }
      if (lost === 1 && u >= spec.k && ctrlUp) add(from, key(d, 0, c), Rational.of(spec.election));
      const downs = c.reduce((a, b) => a + b, 0);
      spec.modes.forEach((m, j) => {
        if (downs < spec.nc) {
          const next = c.slice();
          next[j] = (next[j] as number) + 1;
          add(from, key(d, lost, next), Rational.of(spec.nc - downs).mul(Rational.of(m.lambda)));
        }
        if ((c[j] as number) > 0) {
          const next = c.slice();
          next[j] = (next[j] as number) - 1;
          add(from, key(d, lost, next), Rational.of(c[j] as number).mul(Rational.of(m.mu)));
        }
      });
    }
  }
  // πQ = 0 with the last equation replaced by Σπ = 1
  const a: Rational[][] = [];
  const b: Rational[] = [];
  for (let j = 0; j < size - 1; j++) {
    a.push(
      Array.from({ length: size }, (_, i) => {
        if (i !== j) return (q[i] as Rational[])[j] as Rational;
        return ((q[i] as Rational[]).reduce((s, r) => s.add(r), ZERO) as Rational).mul(Rational.of(-1));
      }),
    );
    b.push(ZERO);
  }
  a.push(Array.from({ length: size }, () => ONE));
  b.push(ONE);
  const pi = solveExact(a, b);
  let queueU = ZERO;
  let clusterU = ZERO;
  states.forEach((s, i) => {
    const [d, lost] = s.split("/").map(Number) as [number, number];
    const p = pi[i] as Rational;
    if (spec.n - d < spec.k) clusterU = clusterU.add(p);
    if (spec.n - d < spec.k || lost === 1) queueU = queueU.add(p);
  });
  return { queueU: queueU.toNumber(), clusterU: clusterU.toNumber() };
}

function formula(spec: Spec, withController = true) {
  return clusterChain({
    nodes: spec.n,
    quorum: spec.k,
    modes: [{ failureRate: Number(spec.lambda), repairRate: Number(spec.mu), needsCrew: true }],
    repairCrews: spec.crews,
    failover: { electionRate: Number(spec.election) },
    ...(withController
      ? {
          controller: {
            nodes: spec.nc,
            quorum: spec.kc,
            modes: spec.modes.map((m) => ({ failureRate: Number(m.lambda), repairRate: Number(m.mu) })),
          },
        }
      : {}),
  });
}

describe("clusterChain with a control plane (exact rational reference)", () => {
  const base = { n: 3, k: 2, crews: 1, lambda: "0.001", mu: "0.125", election: "120" };

  it("one controller mode: queue availability to 1e-12, cluster availability untouched", () => {
    const spec: Spec = { ...base, nc: 3, kc: 2, modes: [{ lambda: "0.002", mu: "0.5" }] };
    const exact = exactQueue(spec);
    const r = formula(spec);
    expectRelativelyClose(r.queue?.complement as number, exact.queueU, 1e-12);
    expectRelativelyClose(r.complement, exact.clusterU, 1e-12);
    // the controller only takes availability away from the queue
    const free = formula(spec, false);
    expect(r.complement).toBe(free.complement);
    expect(r.queue?.complement as number).toBeGreaterThan(free.queue?.complement as number);
  });

  it("two controller modes (its up/down is not a two-state process): to 1e-12", () => {
    const spec: Spec = {
      ...base,
      nc: 3,
      kc: 2,
      modes: [
        { lambda: "0.0005", mu: "0.25" },
        { lambda: "0.01", mu: "20" },
      ],
    };
    const exact = exactQueue(spec);
    expectRelativelyClose(formula(spec).queue?.complement as number, exact.queueU, 1e-12);
  });

  it("a controller quorum of 1 of 1 that never fails is no control plane", () => {
    const spec: Spec = { ...base, nc: 1, kc: 1, modes: [{ lambda: "0", mu: "1" }] };
    expectRelativelyClose(formula(spec).queue?.complement as number, formula(spec, false).queue?.complement as number, 1e-14);
  });

  it("refuses a control plane without an election time", () => {
    expect(() =>
      clusterChain({
        nodes: 3,
        quorum: 2,
        modes: [{ failureRate: 0.001, repairRate: 0.1, needsCrew: true }],
        controller: { nodes: 3, quorum: 2, modes: [{ failureRate: 0.001, repairRate: 1 }] },
      }),
    ).toThrow(/failover time > 0/);
  });
});
