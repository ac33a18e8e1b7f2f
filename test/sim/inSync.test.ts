/**
 * The simulated in-sync set (messages.isr; src/sim/kernel/inSyncSet.ts) held to the
 * formulas under their assumptions: queue.availability to the in-sync chain
 * (src/formulas/inSyncChain.ts, itself checked against availability.queue's chain and by
 * hand, test/formulas/inSync.test.ts), message.loss to the message path with inSyncLoss.
 * Models where the set's effect is large: followers out of sync 20 % of the time.
 */
import { describe, expect, it } from "vitest";
import { inSyncChain, messagePathOutcomes } from "../../src/formulas/index.js";
import { leaderAloneLoss } from "../../src/formulas/leaderAlone.js";
import { restartStepDownLoss } from "../../src/formulas/restartStepDown.js";
import type { ClusterSimConfig, SimConfig } from "../../src/sim/kernel/config.js";
import { warmupHours } from "../../src/sim/run/fromModel.js";
import { runSimulation } from "../../src/sim/run/scheduler.js";
import { expectComplement, expectValue } from "../helpers/statistical.js";

type Cluster = Omit<ClusterSimConfig, "warmupHours">;

const SHRINK = 0.5;
const RECOVER = 0.5;
const WINDOW = 5 / 60;

function cluster(nodes: number, quorum: number, unclean: boolean): Cluster {
  return {
    nodes,
    quorum,
    repairCrews: nodes,
    modes: [{ name: "crash", mtbfHours: 100, mttrHours: 2, crew: false, losesUnflushed: true }],
    failure: { kind: "exponential" },
    repair: { kind: "exponential" },
    commonCauseRatePerHour: 0,
    commonCauseMttrHours: 1,
    failover: { meanHours: 1 / 60, fixed: false },
    isr: { shrinkPerHour: SHRINK, recoverHours: RECOVER, unclean, gateWrites: true },
  };
}

async function simulate(c: Cluster, horizonHours: number, runs: number, seed: number) {
  const config: SimConfig = {
    mode: "formula",
    horizonHours,
    cluster: { ...c, warmupHours: warmupHours(c) },
    messages: {
      ack: "all",
      quorum: c.quorum,
      lagHours: 0.1 / 3600,
      fsync: "os",
      windowHours: WINDOW,
      resendDuplicates: false,
      refusedBelowQuorum: true,
    },
  };
  return (await runSimulation(config, { runs, seed, workers: 1 })).summary.metrics;
}

function formulas(nodes: number, quorum: number, unclean: boolean) {
  const modes = [{ rate: 0.01, mttr: 2 }];
  const queue = inSyncChain({
    nodes,
    quorum,
    modes,
    failover: 1 / 60,
    isr: { shrink: SHRINK, recover: RECOVER, unclean, gateWrites: true },
  }).unavailability;
  const loss = messagePathOutcomes({
    nodes,
    quorum,
    acks: nodes,
    lag: 0.1 / 3600,
    fsync: "os",
    window: WINDOW,
    modes: modes.map((m) => ({ ...m, losesUnflushed: true })),
    failover: 1 / 60,
    isr: { shrink: SHRINK, recover: RECOVER, unclean },
  }).lost.value;
  return { queue, loss };
}

describe("the simulated in-sync set held to the formulas' assumptions", () => {
  it.each([
    [false, 31],
    [true, 32],
  ])(
    "when one follower at quorum 1 is out of sync a fifth of the time (unclean %s) then the queue's downtime and the loss are the formulas'",
    async (unclean, seed) => {
      // Arrange: 2 nodes, crashes 0.01/h for 2 h that destroy 5 min of page cache; clean: the
      // leader's crash with its follower out of sync waits 2 h for it and loses the window's
      // records; unclean: the follower takes over, lacking what it missed
      const exact = formulas(2, 1, unclean);
      // Act
      const m = await simulate(cluster(2, 1, unclean), 25_000, 200, seed);
      // Assert
      expectComplement("queue unavailability", m["queue.availability"], exact.queue, seed);
      expectValue("message loss", m["message.loss"], exact.loss, seed);
    },
  );

  it("when three nodes need two in sync then writes are refused as the chain says", async () => {
    const seed = 33;
    const exact = formulas(3, 2, false);
    const m = await simulate(cluster(3, 2, false), 2000, 100, seed);
    expectComplement("queue unavailability", m["queue.availability"], exact.queue, seed);
  });
});

describe("ack leader at a quorum of 1: the records the leader holds alone", () => {
  it("when the follower is down at the publish then the simulator's loss is the formula's with the leader-alone terms", async () => {
    // Arrange: two nodes, crashes 0.01/h for 2 h that destroy 5 min of page cache, no in-sync
    // set: the follower is down 2 % of the time; a record published then is lost when the
    // leader's crash destroys it or the follower, back first, is elected lacking it — the
    // leader-alone terms (leaderAlone.ts), which acks=1 has as much as acks=all
    const seed = 34;
    const c: Cluster = { ...cluster(2, 1, false), isr: undefined };
    const config: SimConfig = {
      mode: "formula",
      horizonHours: 80_000,
      cluster: { ...c, warmupHours: warmupHours(c) },
      messages: { ack: "leader", quorum: 1, lagHours: 0.1 / 3600, fsync: "os", windowHours: WINDOW, resendDuplicates: false },
    };
    const exact = messagePathOutcomes({
      nodes: 2,
      quorum: 1,
      acks: 1,
      lag: 0.1 / 3600,
      fsync: "os",
      window: WINDOW,
      modes: [{ rate: 0.01, mttr: 2, losesUnflushed: true }],
      failover: 1 / 60,
    }).lost.value;
    // Act
    const m = (await runSimulation(config, { runs: 200, seed, workers: 1 })).summary.metrics;
    // Assert: the leader-alone terms are most of it here (without them the formula said
    // only the lag race, orders of magnitude below)
    expectValue("message loss", m["message.loss"], exact, seed);
    expect(
      leaderAloneLoss({
        nodes: 2,
        quorum: 1,
        acks: 1,
        lag: 0.1 / 3600,
        fsync: "os",
        window: WINDOW,
        modes: [{ rate: 0.01, mttr: 2, losesUnflushed: true }],
        failover: 1 / 60,
      }),
    ).toBeGreaterThan(0.9 * exact);
  });
});

describe("a rolling restart that goes on while the quorum is lost (three nodes, quorum 2)", () => {
  it("when a node's crash in a restart slot costs the quorum and the next restart takes the only intact copy then the loss is restartStepDownLoss's", async () => {
    // Arrange: 3 nodes, 2 of 3, OS crashes 0.05/h back in 10 min that empty the page cache
    // (30 s), a rolling restart every 2 h, 5 min a node, elections 15 s: the records of
    // the last 30 s before a crash in node j's slot are held by the next node only, which
    // the round restarts at the slot's end — lost when the election completes without it
    const seed = 35;
    const c: Cluster = {
      nodes: 3,
      quorum: 2,
      repairCrews: 3,
      modes: [{ name: "os", mtbfHours: 20, mttrHours: 1 / 6, crew: false, losesUnflushed: true }],
      failure: { kind: "exponential" },
      repair: { kind: "exponential" },
      commonCauseRatePerHour: 0,
      commonCauseMttrHours: 1,
      maintenance: { everyHours: 2, durationHours: 5 / 60 },
      failover: { meanHours: 15 / 3600, fixed: false },
    };
    const config: SimConfig = {
      mode: "formula",
      horizonHours: 20_000,
      cluster: { ...c, warmupHours: warmupHours(c) },
      messages: { ack: "quorum", quorum: 2, lagHours: 0.01 / 3600, fsync: "os", windowHours: 30 / 3600, resendDuplicates: true },
    };
    const params = {
      nodes: 3,
      quorum: 2,
      acks: 2,
      lag: 0.01 / 3600,
      fsync: "os" as const,
      window: 30 / 3600,
      modes: [{ rate: 0.05, mttr: 1 / 6, losesUnflushed: true }],
      failover: 15 / 3600,
      maintenance: { every: 2, duration: 5 / 60 },
    };
    const exact = messagePathOutcomes(params).lost.value;
    // Act
    const m = (await runSimulation(config, { runs: 80, seed, workers: 1 })).summary.metrics;
    // Assert: the mechanism is most of the loss, and the simulator agrees with the whole
    expect(restartStepDownLoss(params)).toBeGreaterThan(0.9 * exact);
    expectValue("message loss", m["message.loss"], exact, seed);
  });
});
