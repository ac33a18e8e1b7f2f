/**
 * ack all at a quorum of 1, every follower down (src/formulas/leaderAlone.ts), against
 * hand derivations by races of exponentials — not the integral the code evaluates:
 *
 * The record is published while every follower is down: the leader is always on an up node,
 * so that is the share of the time in which exactly one node is up, n·π^F (π per node, F =
 * n − 1 followers; the leader's own 1 − π taken as 1 by the code, O(π)). From
 * then on its fate is a race of independent exponentials (Ross, Introduction to Probability
 * Models, 11th ed., §5.2.3: the first of rates r_i is i with probability r_i/Σr, and
 * memoryless afterwards):
 *   1. the leader's loss (rate λ) against the followers' returns (rate 1/m each): the loss
 *      first with probability λ/(λ + F/m); a follower back first copies the record: safe;
 *   2. after the loss, the old leader back (1/m) against the followers (F/m): a follower
 *      first with probability F/(F + 1);
 *   3. then the election (1/f) against the old leader (1/m): the election first with
 *      probability m/(m + f) — the new leader lacks the record: lost.
 * With fsync os (window W) and a loss that destroys unflushed data, step 1 at an age below
 * W loses the record outright: P(loss first, before W) = λ/(λ + F/m)·(1 − e^(−(λ + F/m)·W)).
 */
import { describe, expect, it } from "vitest";
import { leaderAloneLoss } from "../../src/formulas/leaderAlone.js";
import { mixedInSyncLoss } from "../../src/formulas/leaderAloneChain.js";
import { type MessagePathParams, messagePathOutcomes } from "../../src/formulas/messagePath.js";

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

function params(nodes: number, rate: number, mttr: number, failover: number, extra: Partial<MessagePathParams> = {}): MessagePathParams {
  return {
    nodes,
    quorum: 1,
    acks: nodes,
    lag: 1e-5,
    fsync: "always",
    window: 0,
    modes: [{ rate, mttr, losesUnflushed: false }],
    failover,
    ...extra,
  };
}

describe("leaderAloneLoss", () => {
  it.each([
    [2, 1e-4, 4, 10 / 3600],
    [3, 1e-4, 4, 10 / 3600],
    [4, 5e-4, 0.5, 0],
    [3, 1e-9, 1, 1 / 3600],
    [3, 1e-6, 1, 1 / 3600],
  ])(
    "when n = %s, λ = %s, mttr = %s h, failover = %s h, nothing destroyed then it is n·π^F·λ/(λ + F/m)·F/(F + 1)·m/(m + f)",
    (n, rate, m, f) => {
      // Arrange: π = λm/(1 + λm), the follower's steady state with one mode
      const followers = n - 1;
      const pi = (rate * m) / (1 + rate * m);
      const expected = n * pi ** followers * (rate / (rate + followers / m)) * (followers / (followers + 1)) * (m / (m + f));

      // Act
      const value = leaderAloneLoss(params(n, rate, m, f));

      // Assert: down to 1e-27 (n = 3, λ = 1e-9)
      expect(relative(value, expected)).toBeLessThan(1e-9);
    },
  );

  it("when the loss destroys unflushed data (fsync os) then the records younger than the window are lost outright", () => {
    // Arrange: one follower (F = 1), window W
    const [rate, m, f, w] = [2e-4, 2, 10 / 3600, 30 / 3600];
    const pi = (rate * m) / (1 + rate * m);
    const total = rate + 1 / m;
    const early = (rate / total) * -Math.expm1(-total * w);
    const late = (rate / total) * Math.exp(-total * w) * 0.5 * (m / (m + f));
    const modes = [{ rate, mttr: m, losesUnflushed: true }];

    // Act
    const value = leaderAloneLoss(params(2, rate, m, f, { fsync: "os", window: w, modes }));

    // Assert
    expect(relative(value, 2 * pi * (early + late))).toBeLessThan(1e-9);
  });

  it("when the loss destroys unflushed data (fsync interval) then a record is lost with the share of the period not yet synced", () => {
    // Arrange: one follower; the tick's phase uniform: at age x the record is not yet
    // durable with probability max(0, 1 − x/I). With T = λ + 1/m (the loss or the return):
    //   destroyed: λ ∫_0^I e^(−Tx)(1 − x/I) dx = λ[1/T − (1 − e^(−TI))/(T²I)]
    //   kept: λ ∫_0^∞ e^(−Tx) min(1, x/I) dx = λ(1 − e^(−TI))/(T²I), then ½·m/(m + f)
    const [rate, m, f, period] = [2e-4, 2, 10 / 3600, 1];
    const pi = (rate * m) / (1 + rate * m);
    const total = rate + 1 / m;
    const ramp = -Math.expm1(-total * period) / (total * total * period);
    const expected = 2 * pi * rate * (1 / total - ramp + ramp * 0.5 * (m / (m + f)));
    const modes = [{ rate, mttr: m, losesUnflushed: true }];

    // Act
    const value = leaderAloneLoss(params(2, rate, m, f, { fsync: "interval", window: period, modes }));

    // Assert
    expect(relative(value, expected)).toBeLessThan(1e-9);
  });

  it("when the leader restarts while its follower is down then nothing is lost by it, but its exposure ends", () => {
    // Arrange: one follower, down in its mode (rate λ, mttr m) or restarting (weight D/E,
    // back after a uniform residual R on (0, D)); the leader's losses: its mode (λ) and its
    // planned restart (1/E), which loses nothing (the records before it are handed over:
    // docs/model-files.md) but ends the record's exposure. The election instantaneous.
    //   mode part: the leader's mode loss first (λ/(λ + 1/E + 1/m)), then the follower back
    //   before the leader: ½;
    //   slot part: the leader's mode loss at x < R (rate λ, the first of Λ = λ + 1/E), the
    //   follower back at R − x before the leader (e^(−(R−x)/m)): by quadrature over R below.
    // Both times n = 2 (either node may be the one up).
    const [rate, m, every, d] = [1e-4, 3, 720, 5 / 60];
    const pi = (rate * m) / (1 + rate * m);
    const all = rate + 1 / every + 1 / m;
    const modePart = pi * (rate / all) * 0.5;
    const big = rate + 1 / every;
    let slotPart = 0;
    const steps = 2000;
    for (let i = 0; i < steps; i++) {
      const r = ((i + 0.5) / steps) * d;
      // ∫_0^r λe^(−Λx)e^(−(r−x)/m) dx in closed form
      const a = big - 1 / m;
      slotPart += (rate * Math.exp(-r / m) * -Math.expm1(-a * r)) / a / steps;
    }
    slotPart *= d / every;

    // Act
    const value = leaderAloneLoss(params(2, rate, m, 0, { maintenance: { every, duration: d } }));

    // Assert: the midpoint rule's own error is below 1e-6 relative here
    expect(relative(value, 2 * (modePart + slotPart))).toBeLessThan(1e-6);
  });

  it.each([
    // each of the three nodes may be the one up: 3·w²
    [[1, 1, 1], (w: number, race: (followers: number) => number) => 3 * w ** 2 * race(2) * (2 / 3)],
    // the node alone in its zone up, the zone of two out (w; one return, F/m = 1/m), then ½;
    // a node of the zone of two up: its zone-mate's process never fails: never all down
    [[1, 2], (w: number, race: (followers: number) => number) => w * race(1) * 0.5],
  ])("when only zones fail (placement %j) then a zone's outage takes its followers down together", (placement, reference) => {
    // Arrange: zone outages at λ, mttr m; w = λm/(1 + λm); race(F) = λ/(λ + F/m)
    const [rate, m, f] = [3e-5, 2, 10 / 3600];
    const w = (rate * m) / (1 + rate * m);
    const race = (followers: number) => rate / (rate + followers / m);
    const zoneParams = params(3, 0, 1, f, { zones: { placement, rate, mttr: m, losesUnflushed: false } });

    // Act
    const value = leaderAloneLoss(zoneParams);

    // Assert
    expect(relative(value, reference(w, race) * (m / (m + f)))).toBeLessThan(1e-9);
  });

  it("when the quorum is above 1, or acks below n, or there is no follower then it is 0", () => {
    expect(leaderAloneLoss({ ...params(3, 1e-4, 4, 0), quorum: 2 })).toBe(0);
    expect(leaderAloneLoss({ ...params(3, 1e-4, 4, 0), acks: 2 })).toBe(0);
    expect(leaderAloneLoss(params(1, 1e-4, 4, 0))).toBe(0);
  });
});

describe("mixedInSyncLoss", () => {
  it.each([
    [1e-4, 4, 10 / 3600],
    [3e-3, 0.5, 0],
    [1e-9, 1, 1 / 3600],
  ])("when n = 3, λ = %s, mttr = %s h, failover = %s h then it is the two-state chain solved by hand", (rate, m, f) => {
    // Arrange: a record published with follower 1 down (lacking it, DL) and follower 2 up
    // (holding it, H), weight π(1 − π), and the mirror case. From (DL, H): the leader's loss
    // (λ) finds follower 2 up: safe; follower 1 back (1/m): safe; follower 2 fails (λ): (DL, DH).
    // From (DL, DH): follower 1 back: safe; follower 2 back: (DL, H); the leader's loss (λ):
    // every node down, the first back is follower 1 (the lacking one) with probability
    // (1/m)/(3/m) = 1/3, then the election (1/f) before the leader or follower 2 (2/m):
    // L = (1/3)·m/(m + 2f). So V1 = λ·V2/(2λ + 1/m), V2 = (λL + V1/m)/(λ + 2/m):
    //   V2 = λL/(λ + 2/m − a/m), a = λ/(2λ + 1/m); the loss 2π(1 − π)·a·V2, times 3/2:
    //   a down set of one node is the leader's followers' with the leader either up node
    //   (3 sets of one node against the 2 followers).
    const pi = (rate * m) / (1 + rate * m);
    const loss = (1 / 3) * (m / (m + 2 * f));
    const a = rate / (2 * rate + 1 / m);
    const v2 = (rate * loss) / (rate + 2 / m - a / m);
    const expected = 1.5 * 2 * pi * (1 - pi) * a * v2;

    // Act
    const value = mixedInSyncLoss(params(3, rate, m, f));

    // Assert: down to ~1e-36 (λ = 1e-9)
    expect(relative(value, expected)).toBeLessThan(1e-9);
  });

  it("when there is one follower, or the quorum is above 1 then it is 0", () => {
    expect(mixedInSyncLoss(params(2, 1e-4, 4, 0))).toBe(0);
    expect(mixedInSyncLoss({ ...params(3, 1e-4, 4, 0), quorum: 2 })).toBe(0);
  });
});

describe("durability.message_path at ack all, quorum 1", () => {
  it("when the preset's figures are given then the loss is the two terms and their restarts' share is stated as error", () => {
    // Arrange: kafka-rf3-minisr2-acks-all.yaml at cluster.quorum = 1 (per hour, hours)
    const year = 8766;
    const p: MessagePathParams = {
      nodes: 3,
      quorum: 1,
      acks: 3,
      lag: 0.1 / 3600,
      fsync: "os",
      window: 30 / 3600,
      modes: [
        { rate: 0.5 / year, mttr: 4, losesUnflushed: true },
        { rate: 0.2 / year, mttr: 50 / 60, losesUnflushed: true },
        { rate: 4 / year, mttr: 40 / 60, losesUnflushed: false },
      ],
      failover: 10 / 3600,
      zones: { placement: [1, 1, 1], rate: 0.2 / year, mttr: 2, losesUnflushed: true },
      commonCause: { rate: 0.5 / year, losesUnflushed: false },
      maintenance: { every: 720, duration: 5 / 60 },
    };
    const terms = leaderAloneLoss(p) + mixedInSyncLoss(p);
    const { maintenance: _, ...withoutRestarts } = p;
    const restartShare = mixedInSyncLoss(p) - mixedInSyncLoss(withoutRestarts);

    // Act
    const result = messagePathOutcomes(p);

    // Assert: the first-failover part is ~1e-47 here (records lost within a lag, one follower down)
    expect(relative(result.lost.value, terms)).toBeLessThan(1e-12);
    expect(result.neglected * result.lost.value).toBeGreaterThanOrEqual(restartShare);
  });
});
