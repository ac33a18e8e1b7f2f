/**
 * The in-sync set's formulas (docs/formulas.md "The in-sync set"): the chain without the set
 * against availability.queue's chain (clusterChain, the cluster's own semantics), and both
 * formulas against hand derivations where a follower's failures are negligible and only
 * its in-sync / out-of-sync alternation is left (a two-state chain).
 */
import { describe, expect, it } from "vitest";
import { clusterChain, inSyncChain, inSyncLoss, messagePathOutcomes } from "../../src/formulas/index.js";
import { restartStepDownLoss } from "../../src/formulas/restartStepDown.js";

describe("inSyncChain", () => {
  it.each([
    [3, 1],
    [3, 2],
    [5, 3],
  ])("when there is no in-sync set then %i nodes at quorum %i give availability.queue's unavailability", (nodes, quorum) => {
    // Arrange: two self-recovering modes, 5-minute elections
    const modes = [
      { rate: 0.01, mttr: 2 },
      { rate: 0.05, mttr: 0.3 },
    ];
    // Act
    const chain = inSyncChain({ nodes, quorum, modes, failover: 1 / 12 });
    // Assert: the cluster's own chain (its leader state) for the same nodes
    const reference = clusterChain({
      nodes,
      quorum,
      modes: modes.map((m) => ({ failureRate: m.rate, repairRate: 1 / m.mttr, needsCrew: false })),
      failover: { electionRate: 12 },
    });
    const exact = reference.queue?.complement as number;
    expect(Math.abs(chain.unavailability - exact) / exact).toBeLessThan(1e-10);
  });

  it("when two replicas need both in sync and failures are negligible then writes are refused the follower's out-of-sync share", () => {
    // Arrange: shrink 0.5/h, recover 0.5 h; failures 1e-9/h (their share ~1e-9)
    const chain = inSyncChain({
      nodes: 2,
      quorum: 2,
      modes: [{ rate: 1e-9, mttr: 1 }],
      failover: 0.01,
      isr: { shrink: 0.5, recover: 0.5, unclean: false, gateWrites: true },
    });
    // Assert: a two-state chain I ⇄ O: P(O) = s·R/(1 + s·R) = 0.25/1.25 = 0.2
    expect(Math.abs(chain.unavailability - 0.2) / 0.2).toBeLessThan(1e-7);
  });

  it("when a leader's loss finds its only follower out of sync then a clean election waits for the old leader, an unclean one does not", () => {
    // Arrange: one follower, quorum 1, the leader back after 2 h, elections 1 min
    const base = { nodes: 2, quorum: 1, modes: [{ rate: 0.001, mttr: 2 }], failover: 1 / 60 } as const;
    const isr = { shrink: 0.5, recover: 0.5, gateWrites: true };
    // Act
    const without = inSyncChain(base).unavailability;
    const clean = inSyncChain({ ...base, isr: { ...isr, unclean: false } }).unavailability;
    const unclean = inSyncChain({ ...base, isr: { ...isr, unclean: true } }).unavailability;
    // Assert: to first order in λ·mttr = 0.002, the leader's losses (2λ a node pair, the
    // leader one node of them: λ per hour) find the follower out of sync 20 % of the time
    // and wait the leader's 2 h (plus the election) instead of the election: the increment
    // ≈ λ·0.2·2 h = 4e-4, against without's λ·failover ≈ 1.7e-5; unclean elects the
    // follower as without the set (quorum 1: any up node is taken at the same rate)
    expect(Math.abs(clean - without - 0.001 * 0.2 * 2) / (0.001 * 0.2 * 2)).toBeLessThan(0.02);
    expect(Math.abs(unclean - without) / without).toBeLessThan(1e-9);
  });
});

describe("inSyncLoss", () => {
  it("when the leader alone confirms while its follower is out of sync then the loss is λ·P(O)·W", () => {
    // Arrange: the leader's crashes destroy unflushed data at 1e-6/h (back in 1 h), writeback
    // 30 s, one follower alternating in sync (out at 0.5/h, back in after 0.5 h on average)
    const lambda = 1e-6;
    const window = 30 / 3600;
    const params = {
      nodes: 2,
      quorum: 1,
      acks: 2,
      lag: 0.1 / 3600,
      fsync: "os" as const,
      window,
      modes: [{ rate: lambda, mttr: 1, losesUnflushed: true }],
      failover: 0.01,
      isr: { shrink: 0.5, recover: 0.5, unclean: false },
    };
    // Act
    const loss = inSyncLoss(params);
    // Assert: the record is lost when the crash (rate λ) comes within the window and finds the
    // follower out of the set — out since the publish, or fallen out after it (then it holds
    // the record, but a clean election takes only the old leader): from the follower's
    // stationary state, P(out at x) = s·R/(1 + s·R) = 0.2 at every age, so λ·0.2·W; relative
    // error O(λ·mttr, λ·W)
    const expected = lambda * 0.2 * window;
    expect(Math.abs(loss - expected) / expected).toBeLessThan(1e-4);
    // the message path adds it (in place of the leader-alone terms)
    const total = messagePathOutcomes(params).lost.value;
    expect(total).toBeGreaterThanOrEqual(loss);
  });

  it("when the election may be unclean then the follower's missing records are lost too", () => {
    // Arrange: as above with unclean elections; the follower is up (out of sync) at the loss
    const lambda = 1e-6;
    const failover = 0.01;
    const params = {
      nodes: 2,
      quorum: 1,
      acks: 2,
      lag: 0.1 / 3600,
      fsync: "always" as const,
      window: 0,
      modes: [{ rate: lambda, mttr: 1, losesUnflushed: false }],
      failover,
      isr: { shrink: 0.5, recover: 0.5, unclean: true },
    };
    // Act
    const loss = inSyncLoss(params);
    // Assert: nothing destroyed; lost when the follower, out since before the publish and not
    // back by the loss (∫ λ·e^(−x/R) dx = λ·R), is elected before the leader is back:
    // (1/failover)/(1/failover + 1/mttr) — λ·0.2·R·(1/failover)/(1/failover + 1/mttr)
    const expected = lambda * 0.2 * 0.5 * (1 / failover / (1 / failover + 1));
    expect(Math.abs(loss - expected) / expected).toBeLessThan(1e-4);
    expect(inSyncLoss({ ...params, isr: { ...params.isr, unclean: false } })).toBe(0);
  });
});

describe("restartStepDownLoss", () => {
  it("when the election takes no time and the window outlasts the slot then it is the closed form", () => {
    // Arrange: λ 0.01/h, mttr 10 min, a 5-minute slot every 30 days, writeback 10 min (≥ D)
    const m = 1 / 6;
    const D = 5 / 60;
    const every = 720;
    const params = {
      nodes: 3,
      quorum: 2,
      acks: 2,
      lag: 0.01 / 3600,
      fsync: "os" as const,
      window: 10 / 60,
      modes: [{ rate: 0.01, mttr: m, losesUnflushed: true }],
      failover: 0,
      maintenance: { every, duration: D },
    };
    // Act
    const loss = restartStepDownLoss(params);
    // Assert: (2/every)·λ·∫_0^D t·P(D − t ≤ R < 2D − t) dt with P = e^(−(D−t)/m)·(1 − e^(−D/m)):
    // ∫_0^D t·e^(−(D−t)/m) dt = m·D − m²·(1 − e^(−D/m)) (by parts)
    const expected = (2 / every) * 0.01 * -Math.expm1(-D / m) * (m * D - m * m * -Math.expm1(-D / m));
    expect(Math.abs(loss - expected) / expected).toBeLessThan(1e-10);
    // nothing without the restarts, at another quorum, or with fsync always
    expect(restartStepDownLoss({ ...params, maintenance: undefined })).toBe(0);
    expect(restartStepDownLoss({ ...params, quorum: 1 })).toBe(0);
    expect(restartStepDownLoss({ ...params, fsync: "always", window: 0 })).toBe(0);
  });
});
