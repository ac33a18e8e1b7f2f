/**
 * The message path's closed forms (src/formulas/messagePath.ts) against independent
 * computations: mpmath at 50 digits for durability.leader_ack, closed forms and mpmath
 * quadrature for the first-failover integral.
 */
import { describe, expect, it } from "vitest";
import { leaderAckLoss, messagePathOutcomes, redeliveryShare } from "../../src/formulas/index.js";
import { leaderAloneLoss } from "../../src/formulas/leaderAlone.js";
import { mixedInSyncLoss } from "../../src/formulas/leaderAloneChain.js";

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe("durability.leader_ack", () => {
  // python3 -c "from mpmath import mp, mpf; mp.dps=50
  //   [print(repr(l), repr(g), mp.nstr(mpf(l)*mpf(g)/(1+mpf(l)*mpf(g)), 20), mp.nstr(1/(1+mpf(l)*mpf(g)), 20))
  //    for l, g in [(1e-13,1.0),(1e-10,1e-3),(12.5/8766,0.2/3600),(0.5,2.0),(1e3,1e3)]]"
  // 1e-13 1.0                                    9.9999999999990003037e-14  0.9999999999999
  // 1e-10 0.001                                  9.9999999999990005725e-14  0.9999999999999
  // 0.0014259639516313028 5.555555555555556e-05  7.9220213259229693655e-8   0.99999992077978674077
  // 0.5 2.0                                      0.5                        0.5
  // 1000.0 1000.0                                0.999999000000999999       9.99999000000999999e-7
  // (the references rounded to 15 significant digits, which the 1e-12 tolerance does not feel)
  const cases: [number, number, number, number][] = [
    [1e-13, 1.0, 9.999999999999e-14, 0.9999999999999],
    [1e-10, 1e-3, 9.999999999999e-14, 0.9999999999999],
    [12.5 / 8766, 0.2 / 3600, 7.92202132592297e-8, 0.999999920779787],
    [0.5, 2.0, 0.5, 0.5],
    [1e3, 1e3, 0.999999000001, 9.99999000001e-7],
  ];

  it.each(cases)("when λ = %s and lag = %s then P and its complement match mpmath to 1e-12 relative", (lambda, lag, value, complement) => {
    // Act
    const p = leaderAckLoss(lambda, lag);

    // Assert
    expect(relative(p.value, value)).toBeLessThan(1e-12);
    expect(relative(p.complement, complement)).toBeLessThan(1e-12);
  });

  it("when λ or lag is negative or not finite then it throws a RangeError naming the function", () => {
    expect(() => leaderAckLoss(-1, 1)).toThrow(/leaderAckLoss requires λ ≥ 0/);
    expect(() => leaderAckLoss(1, Number.NaN)).toThrow(/leaderAckLoss requires lag ≥ 0/);
    expect(() => leaderAckLoss(1e300, 1e300)).toThrow(RangeError);
  });
});

describe("duplicates.redelivery", () => {
  it("when only the broker fails then P = a·(1 − e^(−Λp)), exactly, and the complement is direct", () => {
    // Λ = 1e-3 / h, a = 0.999, p = 100 ms: a·(−expm1(−Λp)); by hand with the series
    // Λp = 2.7777…e-8, 1 − e^(−Λp) = Λp − (Λp)²/2 + … = 2.77777773919753e-8 (to 15 digits)
    const p = redeliveryShare(1e-3, 0.999, 0, 0.1 / 3600);
    expect(relative(p.value, 0.999 * 2.77777773919753e-8)).toBeLessThan(1e-13);
    expect(relative(p.complement, 1 - 0.999 * 2.77777773919753e-8)).toBeLessThan(1e-15);
  });

  it("when the consumer crashes too then the share is 1 − e^(−λc·p)·(1 − a(1 − e^(−Λp)))", () => {
    // λc = 1/h, Λ = 2/h, a = 1, p = 0.01 h: 1 − e^(−0.01)·e^(−0.02) = 1 − e^(−0.03) = 0.029554466451491845
    const p = redeliveryShare(2, 1, 1, 0.01);
    expect(relative(p.value, 0.029554466451491845)).toBeLessThan(1e-14);
    expect(relative(p.complement, Math.exp(-0.03))).toBeLessThan(1e-15);
  });
});

describe("durability.message_path", () => {
  const hour = 1;
  const year = 8766 * hour;

  it("when acks = 1 and the leader fails in one mode then the loss is durability.leader_ack (Λ·lag/(1 + Λ·lag))", () => {
    // Λ∫e^(−Λx)·e^(−x/lag) dx = Λ/(Λ + 1/lag): the quadrature against the closed form, plus
    // at a quorum of 1 the records the leader held alone while both followers were down
    // (leaderAlone.ts, leaderAloneChain.ts: acks=1 has them as acks=all does; their own tests)
    const params = {
      nodes: 3,
      quorum: 1,
      acks: 1,
      lag: 0.2 / 3600,
      fsync: "os" as const,
      window: 30 / 3600,
      modes: [{ rate: 12.5 / year, mttr: 2 / 60, losesUnflushed: false }],
      failover: 10 / 3600,
    };
    const result = messagePathOutcomes(params);
    const alone = leaderAloneLoss(params) + mixedInSyncLoss(params);
    expect(alone).toBeGreaterThan(0);
    expect(relative(result.lost.value, leaderAckLoss(12.5 / year, 0.2 / 3600).value + alone)).toBeLessThan(1e-12);
    expect(result.lostUnconfirmed).toBe(0);
    expect(result.unconfirmedSurvived).toBe(0);
  });

  it("when acks = 1 and a common cause also takes the leader then only the losses a follower takes over from hand over, and they make the loss", () => {
    // Two modes (4 + 0.9 a year) and a common cause (0.5 a year) that destroys nothing: the
    // common cause spares no follower, so the old leader's log goes on and loses nothing.
    // Hand-overs: 4.9 a year (by hand); the loss: Λ_h·lag/(1 + Λ_h·lag) to first order in
    // the followers' unavailability (the analysis' own stated error)
    const modes = [
      { rate: 4 / year, mttr: 5 / 60, losesUnflushed: false },
      { rate: 0.9 / year, mttr: 0.5, losesUnflushed: true },
    ];
    const result = messagePathOutcomes({
      nodes: 3,
      quorum: 1,
      acks: 1,
      lag: 0.1 / 3600,
      fsync: "os",
      window: 30 / 3600,
      modes,
      failover: 10 / 3600,
      commonCause: { rate: 0.5 / year, losesUnflushed: false },
    });
    expect(relative(result.handoverRate, 4.9 / year)).toBeLessThan(1e-15);
    expect(relative(result.leaderLossRate, 5.4 / year)).toBeLessThan(1e-15);
    const leaderAck = leaderAckLoss(4.9 / year, 0.1 / 3600).value;
    expect(relative(result.lost.value, leaderAck)).toBeLessThanOrEqual(result.neglected);
  });

  it("when a power event empties every page cache (os) then the confirmed loss matches the closed form", () => {
    // n = 3, acks = 2, lag 0.2 s, W = 30 s, λ_cc = 0.1/yr, no other failure (Λ = λ_cc):
    //   lost = λ_cc·[(1 − e^(−ΛW))/Λ − (1 − e^(−(Λ+2/lag)W))/(Λ + 2/lag)]
    //   lost before the confirm = λ_cc·(1 − e^(−(Λ+2/lag)W))/(Λ + 2/lag)
    // python3 test-side: mpmath at 30 digits (the script is in the comment of the next test)
    // os 9.4747378045440031e-8 3.1688087803987605e-10
    const result = messagePathOutcomes({
      nodes: 3,
      quorum: 2,
      acks: 2,
      lag: 0.2 / 3600,
      fsync: "os",
      window: 30 / 3600,
      modes: [],
      failover: 10 / 3600,
      commonCause: { rate: 0.1 / year, losesUnflushed: true },
    });
    expect(relative(result.lost.value, 9.474737804544e-8)).toBeLessThan(1e-11);
    expect(relative(result.lostUnconfirmed, 3.16880878039876e-10)).toBeLessThan(1e-10);
  });

  it("when fsync runs every 2 min on each node's own phase then the confirmed loss matches a double integral by mpmath", () => {
    // from mpmath import mp, mpf, quad, exp; mp.dps = 30
    // L = lam = mpf(0.1)/8766; lag = mpf(0.2)/3600; I = mpf(2)/60
    // b = lambda x: quad(lambda d: exp(-max(0, x-d)/lag) - exp(-x/lag), [0, min(x, I), I]) / I
    // f = lambda x: exp(-L*x) * max(0, 1 - x/I) * ((exp(-x/lag) + b(x))**2 - exp(-2*x/lag))
    // lam * quad(f, [0, lag, 10*lag, 100*lag, I])   →   9.5168567189094677e-8
    const result = messagePathOutcomes({
      nodes: 3,
      quorum: 2,
      acks: 2,
      lag: 0.2 / 3600,
      fsync: "interval",
      window: 2 / 60,
      modes: [],
      failover: 10 / 3600,
      commonCause: { rate: 0.1 / year, losesUnflushed: true },
    });
    expect(relative(result.lost.value, 9.51685671890947e-8)).toBeLessThan(1e-9);
  });

  it("when a bad release reaches the second of 3 nodes (quorum 2) then the leader steps down p/every an hour, and half of those leaders leave unconfirmed records", () => {
    // No failures (u = 0: the good restarts' step-downs vanish); a bad round reaches 2 slots.
    // The restarted node is the leader half the time (it hands over first: nothing left
    // unconfirmed), else its one follower: unconfirmed = r · ½ · ∫e^(−rx)·e^(−x/lag) dx
    // = (r/2)·lag/(1 + r·lag), r = 0.05/720 h; by mpmath at 40 digits:
    //   r = mpf('0.05')/720; lag = mpf('0.01')/3600; r/2*lag/(1+r*lag) → 9.6450617265345174139e-11
    const params = {
      nodes: 3,
      quorum: 2,
      acks: 2,
      lag: 0.01 / 3600,
      fsync: "always" as const,
      window: 0,
      modes: [],
      failover: 15 / 3600,
    };
    const bad = messagePathOutcomes({ ...params, maintenance: { every: 720, duration: 5 / 60, badRelease: { p: 0.05, slots: 2 } } });
    expect(relative(bad.leaderLossRate, 0.05 / 720)).toBeLessThan(1e-15);
    expect(bad.handoverRate).toBe(0);
    expect(bad.lost.value).toBe(0);
    expect(relative(bad.unconfirmedSurvived, 9.64506172653452e-11)).toBeLessThan(1e-12);
    // caught at the first node (detect 0: one slot) it leaves two of three up: no step-down
    const caught = messagePathOutcomes({ ...params, maintenance: { every: 720, duration: 5 / 60, badRelease: { p: 0.05, slots: 1 } } });
    expect(caught.leaderLossRate).toBe(0);
    expect(caught.unconfirmedSurvived).toBe(0);
  });

  it("when a domain is out of range then it throws a RangeError naming the function", () => {
    const base = { nodes: 3, quorum: 2, acks: 2, lag: 1e-4, fsync: "os" as const, window: 0.01, modes: [], failover: 0.01 };
    expect(() => messagePathOutcomes({ ...base, acks: 4 })).toThrow(/messagePathOutcomes requires 1 ≤ acks ≤ nodes/);
    expect(() => messagePathOutcomes({ ...base, lag: 0 })).toThrow(/messagePathOutcomes requires lag > 0/);
    expect(() => messagePathOutcomes({ ...base, window: 0 })).toThrow(/window > 0/);
  });
});
