/**
 * Statistical tests of the simulator, seeded and deterministic: for models with an exact
 * answer, the estimate must lie within 4 of its standard errors of it (|est − exact| ≤
 * 4·SE: a false alarm about once in 16 000 for a correct simulator), and the standard
 * error must be small enough for that to mean something. A failure names the seed.
 *
 * Every exact value is computed here, independently of src/: hand closed forms (binomial
 * k-of-n, renewal theorem, Poisson windows, a two-state Markov chain) or the exact
 * rational solution of the CTMC (test/helpers/ctmcExact.ts).
 */
import { describe, expect, it } from "vitest";
import type { SimulationSummary } from "../../src/sim/estimate/estimate.js";
import type { ClusterSimConfig, SimConfig } from "../../src/sim/kernel/config.js";
import { RUN_RECORD, simulateRun } from "../../src/sim/kernel/plainRun.js";
import { streamForRun } from "../../src/sim/kernel/rng.js";
import { warmupHours } from "../../src/sim/run/fromModel.js";
import { PILOT_RUNS, runSimulation, twoStageBudget } from "../../src/sim/run/scheduler.js";
import { exactChain } from "../helpers/ctmcExact.js";
import { expectComplement, expectValue, expectWithinStandardErrors } from "../helpers/statistical.js";

/** A one-mode cluster (the classic mtbf/mttr node) unless `modes` is given. */
function cluster(overrides: Partial<ClusterSimConfig> & { mtbfHours?: number; mttrHours?: number } = {}): ClusterSimConfig {
  const { mtbfHours = 100, mttrHours = 4, ...rest } = overrides;
  return {
    nodes: 3,
    quorum: 2,
    repairCrews: 3,
    modes: [{ name: "node", mtbfHours, mttrHours, crew: true }],
    failure: { kind: "exponential" },
    repair: { kind: "exponential" },
    commonCauseRatePerHour: 0,
    commonCauseMttrHours: 4,
    warmupHours: 200,
    ...rest,
  };
}

function config(overrides: Partial<SimConfig> & { cluster?: ClusterSimConfig }): SimConfig {
  return { mode: "formula", horizonHours: 20_000, cluster: cluster(), ...overrides };
}

async function simulate(c: SimConfig, runs: number, seed = 1) {
  return (await runSimulation(c, { runs, seed, workers: 1 })).summary;
}

/** Binomial 2-of-3 unavailability for one node's U = u (hand): 3(1 − u)u² + u³. */
const twoOfThree = (u: number) => 3 * (1 - u) * u * u + u ** 3;

describe("simulated availability", () => {
  it("when repair is independent then the unavailability is the binomial 2-of-3 value (hand)", async () => {
    // Arrange: node U = 4/104
    const seed = 1;
    const exact = twoOfThree(4 / 104);

    // Act
    const summary = await simulate(config({}), 100, seed);

    // Assert
    expect(summary.metrics["cluster.availability"]?.enough).toBe(true);
    expectComplement("unavailability", summary.metrics["cluster.availability"], exact, seed);
  });

  it("when one crew repairs and a common cause strikes then unavailability and MTTF are the Markov chain's (exact rationals)", async () => {
    // Arrange
    const seed = 1;
    const c = cluster({
      nodes: 5,
      quorum: 3,
      mtbfHours: 50,
      mttrHours: 5,
      repairCrews: 1,
      commonCauseRatePerHour: 0.002,
      commonCauseMttrHours: 10,
    });
    const exact = exactChain({ n: 5, k: 3, lambda: "0.02", mu: "0.2", crews: 1, lambdaCc: "0.002", muCc: "0.1" });

    // Act
    const summary = await simulate(config({ cluster: c, horizonHours: 50_000 }), 40, seed);

    // Assert
    expectComplement("unavailability", summary.metrics["cluster.availability"], exact.u, seed);
    expectValue("MTTF", summary.metrics["cluster.mttf"], exact.mttf, seed);
  });

  it("when one crew repairs three nodes then the unavailability is the chain's, measurably worse than independent repair", async () => {
    // Arrange: MTTR 20 h, MTBF 100 h
    const seed = 1;
    const shared = exactChain({ n: 3, k: 2, lambda: "0.01", mu: "0.05", crews: 1 });
    const independent = exactChain({ n: 3, k: 2, lambda: "0.01", mu: "0.05", crews: 3 });

    // Act
    const one = await simulate(config({ cluster: cluster({ repairCrews: 1, mttrHours: 20 }) }), 30, seed);
    const three = await simulate(config({ cluster: cluster({ mttrHours: 20 }) }), 30, seed);

    // Assert
    expectComplement("one crew", one.metrics["cluster.availability"], shared.u, seed);
    expectComplement("three crews", three.metrics["cluster.availability"], independent.u, seed);
    expect(independent.u).toBeCloseTo(twoOfThree(20 / 120), 15);
    expect(shared.u / independent.u).toBeGreaterThan(1.3); // the queueing the test must resolve
  });

  for (const years of [0.25, 1, 10, 100]) {
    it(`when each run is only ${years} year${years === 1 ? "" : "s"} long then unavailability and MTTF are still the chain's (no horizon bias)`, async () => {
      // Arrange: 2-of-3, MTBF 200 h, MTTR 10 h, one crew, a common cause 0.0005/h restored in 2 h;
      // about 5e6 simulated hours in all, cut into runs of the given horizon (from 2282 runs
      // of 0.25 year, runs as units, down to 6 runs of 100 years, cycles as units).
      const seed = 3;
      const horizonHours = years * 8766;
      const runs = Math.max(2, Math.round(5e6 / horizonHours));
      const c = cluster({ mtbfHours: 200, mttrHours: 10, repairCrews: 1, commonCauseRatePerHour: 0.0005, commonCauseMttrHours: 2 });
      const exact = exactChain({ n: 3, k: 2, lambda: "0.005", mu: "0.1", crews: 1, lambdaCc: "0.0005", muCc: "0.5" });

      // Act
      const summary = await simulate(config({ cluster: { ...c, warmupHours: warmupHours(c) }, horizonHours }), runs, seed);

      // Assert
      expectComplement(`unavailability at ${years} y`, summary.metrics["cluster.availability"], exact.u, seed);
      expectValue(`MTTF at ${years} y`, summary.metrics["cluster.mttf"], exact.mttf, seed);
    });
  }

  it("when only common-cause events fail the cluster then U = λcc/(λcc + μcc) (two-state chain, hand)", async () => {
    // Arrange
    const seed = 1;
    const c = cluster({ mtbfHours: 1e12, commonCauseRatePerHour: 0.002, commonCauseMttrHours: 10 });

    // Act
    const summary = await simulate(config({ cluster: c, horizonHours: 100_000 }), 20, seed);

    // Assert
    expectComplement("unavailability", summary.metrics["cluster.availability"], 0.002 / (0.002 + 0.1), seed);
  });

  it("when repairs are lognormal or failures Weibull then one node's U is still MTTR/(MTBF + MTTR) (renewal theorem)", async () => {
    // Arrange
    const seed = 1;
    const single = { nodes: 1, quorum: 1, repairCrews: 1, mtbfHours: 50, mttrHours: 5 };

    // Act
    const lognormal = await simulate(config({ cluster: cluster({ ...single, repair: { kind: "lognormal", sigma: 1 } }) }), 30, seed);
    const weibull = await simulate(config({ cluster: cluster({ ...single, failure: { kind: "weibull", shape: 2 } }) }), 30, seed);

    // Assert
    expectComplement("lognormal repairs", lognormal.metrics["cluster.availability"], 5 / 55, seed);
    expect(weibull.metrics["cluster.availability"]?.basis).toMatchObject({ kind: "ratio", unit: "runs" });
    expectComplement("Weibull failures", weibull.metrics["cluster.availability"], 5 / 55, seed);
  });

  it("when 200 seeds are run then the 95% interval covers the exact unavailability about 95% of the time", async () => {
    // Arrange: binomial 2-of-3, node U = 4/104 (hand)
    const exact = twoOfThree(4 / 104);
    const seeds = 200;
    let covered = 0;

    // Act
    for (let seed = 1; seed <= seeds; seed++) {
      const ci = (await simulate(config({ horizonHours: 40_000 }), 5, seed)).metrics["cluster.availability"]?.complementCi;
      if (ci && ci[0] <= exact && exact <= ci[1]) covered++;
    }

    // Assert: binomial(200, 0.95) lies in 180..198 with probability 0.998
    expect(covered, `${covered} of seeds 1..${seeds} covered`).toBeGreaterThanOrEqual(180);
    expect(covered, `${covered} of seeds 1..${seeds} covered`).toBeLessThanOrEqual(198);
  });
});

describe("simulated messages", () => {
  const durability = {
    replicas: 2,
    windowHours: 2,
    crashRatePerHour: 0.01,
    correlatedCrashRatePerHour: 0.001,
    commonCauseDestroysPageCache: false,
  };
  // hand: no correlated crash in the window, e^(−λc·w); not both replicas, 1 − (1 − e^(−λw))²
  const replicaCrash = -Math.expm1(-0.01 * 2);
  const noCorrelated = Math.exp(-0.001 * 2);

  it("when replicas crash in their unflushed window then the lost share is 1 − e^(−λc·w)(1 − p²) (hand)", async () => {
    // Arrange
    const seed = 1;
    const exact = 1 - noCorrelated * (1 - replicaCrash ** 2);

    // Act
    const summary = await simulate(config({ durability, horizonHours: 100_000 }), 40, seed);

    // Assert
    expect(summary.metrics["message.loss"]?.enough).toBe(true);
    expectValue("loss", summary.metrics["message.loss"], exact, seed);
  });

  it("when only consumer crashes interrupt processing then the redelivered share is 1 − e^(−λc·d) (hand)", async () => {
    // Arrange: broker nodes practically never fail; consumer crashes at 0.01/h, 2 h between delivery and ack
    const seed = 1;
    const c = cluster({ mtbfHours: 1e12 });

    // Act
    const summary = await simulate(
      config({ cluster: c, duplicates: { processingHours: 2, consumerCrashRatePerHour: 0.01 }, horizonHours: 100_000 }),
      20,
      seed,
    );

    // Assert
    expectValue("redelivery", summary.metrics["message.duplicates"], -Math.expm1(-0.01 * 2), seed);
  });

  it("when every message is flushed before its ack (window 0) then nothing is lost", async () => {
    // Act
    const summary = await simulate(config({ durability: { ...durability, windowHours: 0 } }), 4);

    // Assert
    expect(summary.metrics["message.loss"]?.estimate).toBe(0);
  });

  it("when a common-cause event also drops the page cache (realistic) then its strikes add to the loss exactly as a two-state chain says", async () => {
    // Arrange: common causes alternate between Exp(λ = 0.005/h) up and Exp(mean 1 h) down
    // (no strike while down). P(no strike in a window w) from the stationary state (hand):
    //   π_up·e^(−λw) + π_down·(e^(−μw) + μ(e^(−λw) − e^(−μw))/(μ − λ)),
    // independent of the replica and correlated crashes. About λ·w = 0.01 more loss than
    // without it.
    const seed = 1;
    const [lambda, mu, w] = [0.005, 1, 2];
    const up = mu / (lambda + mu);
    const noStrike =
      up * Math.exp(-lambda * w) + (1 - up) * (Math.exp(-mu * w) + (mu * (Math.exp(-lambda * w) - Math.exp(-mu * w))) / (mu - lambda));
    const exact = 1 - noCorrelated * noStrike * (1 - replicaCrash ** 2);
    const c = cluster({ commonCauseRatePerHour: lambda, commonCauseMttrHours: 1 / mu });

    // Act
    const realistic = await simulate(
      config({ mode: "realistic", cluster: c, durability: { ...durability, commonCauseDestroysPageCache: true }, horizonHours: 100_000 }),
      40,
      seed,
    );

    // Assert
    expectValue("loss with common causes", realistic.metrics["message.loss"], exact, seed);
    expect(exact - (1 - noCorrelated * (1 - replicaCrash ** 2))).toBeGreaterThan(0.009);
  });

  it("when timeout 1 s, backoff 0.5 s doubling and a 6 s deadline then 3 attempts are made and the failure is 0.4³ (hand)", async () => {
    // Arrange: starts 0, 1.5 s, 3.5 s (next 6.5 s ≥ 6 s)
    const seed = 1;
    const s = 1 / 3600;
    const retry = {
      attempts: 6,
      pSuccess: 0.6,
      timeoutHours: s,
      backoffInitialHours: 0.5 * s,
      backoffMultiplier: 2,
      backoffMaxHours: 4 * s,
      deadlineHours: 6 * s,
      failDuringOutages: false,
      samplesPerRun: 5000,
    };

    // Act
    const summary = await simulate(config({ retry }), 8, seed);

    // Assert
    expectComplement("retry failure", summary.metrics["retry.success"], 0.4 ** 3, seed);
  });

  it("when attempts fail while the cluster is down (realistic) then a node up half the time fails half the single attempts", async () => {
    // Arrange: one node, MTBF = MTTR = 10 h: down half the time (renewal theorem). The
    // sequences of one run share its outage timeline, so they are not independent: the
    // standard error comes from the runs as independent replications.
    const seed = 1;
    const runs = 20;
    const c = cluster({ nodes: 1, quorum: 1, repairCrews: 1, mtbfHours: 10, mttrHours: 10 });
    const retry = {
      attempts: 1,
      pSuccess: 1,
      timeoutHours: 0,
      backoffInitialHours: 0,
      backoffMultiplier: 1,
      backoffMaxHours: 0,
      deadlineHours: Number.POSITIVE_INFINITY,
      failDuringOutages: true,
      samplesPerRun: 2000,
    };
    const realistic = config({ mode: "realistic", cluster: c, retry });

    // Act
    const shares = Array.from({ length: runs }, (_, i) => {
      const record = simulateRun(realistic, streamForRun(seed, i));
      return (record[RUN_RECORD.retryFailures] as number) / (record[RUN_RECORD.retrySequences] as number);
    });
    const independent = await simulate(config({ cluster: c, retry: { ...retry, failDuringOutages: false } }), 2);

    // Assert
    const mean = shares.reduce((a, b) => a + b, 0) / runs;
    const sd = Math.sqrt(shares.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1));
    expectWithinStandardErrors("failure during outages", mean, sd / Math.sqrt(runs), 0.5, seed);
    expect(independent.metrics["retry.success"]?.complement).toBe(0);
    expect(independent.metrics["retry.success"]?.basis.kind).toBe("rule-of-three");
  });
});

describe("the runner", () => {
  it("when the seed is the same then the summaries are bit-identical, and when it differs then they differ", async () => {
    // Act
    const a = await simulate(config({}), 6, 9);
    const b = await simulate(config({}), 6, 9);
    const c = await simulate(config({}), 6, 10);

    // Assert
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it("when the target relative error is met then it stops early", async () => {
    // Act
    const result = await runSimulation(config({ horizonHours: 100_000 }), { runs: 1000, seed: 1, workers: 1, targetRelativeError: 0.2 });

    // Assert
    expect(result.stoppedEarly).toBe("target");
    expect(result.runsDone).toBeLessThan(1000);
  });

  it("when a target is given then a pilot of 32 runs sets the budget and the estimates are exactly those of the fresh runs after it", async () => {
    // Arrange
    const c = config({ horizonHours: 100_000 });
    const pilot = await runSimulation(c, { runs: 1000, seed: 1, workers: 1, range: { start: 0, end: PILOT_RUNS } });

    // Act
    const result = await runSimulation(c, { runs: 1000, seed: 1, workers: 1, targetRelativeError: 0.2 });

    // Assert: the budget comes from the pilot alone, and the estimates from runs [32, 32 + budget) only
    const budget = twoStageBudget(pilot.summary, 0.2, 1000);
    expect(result.target?.pilot).toEqual({ runs: PILOT_RUNS, budget });
    expect(result.runsDone).toBe(budget);
    const fresh = await runSimulation(c, { runs: 1000, seed: 1, workers: 1, range: { start: PILOT_RUNS, end: PILOT_RUNS + budget } });
    expect(result.summary).toEqual(fresh.summary);
  });

  it("when the pilot's interval is h wide relatively then the budget is R₀·(h/ε)²·1.5 fresh runs, at least R₀, at most what is left", () => {
    // Arrange: one watched estimate, 0.5 % ± 0.2 % (h = 0.4) — the arithmetic by hand
    const summary = (half: number, ci = true) =>
      ({
        metrics: {
          "cluster.availability": { estimate: 0.995, complement: 0.005, complementCi: ci ? [0.005 - half, 0.005 + half] : null },
        },
      }) as unknown as SimulationSummary;

    // Act / Assert: 32 · (0.4/0.2)² · 1.5 = 192
    expect(twoStageBudget(summary(0.002), 0.2, 1000)).toBe(192);
    // met in the pilot (h = 0.1 < 0.2): 32 · 0.25 · 1.5 = 12, but never fewer than the pilot's 32
    expect(twoStageBudget(summary(0.0005), 0.2, 1000)).toBe(32);
    // no interval yet, or more than is left: every run after the pilot
    expect(twoStageBudget(summary(0, false), 0.2, 1000)).toBe(968);
    expect(twoStageBudget(summary(0.02), 0.2, 1000)).toBe(968);
  });

  it("when asked to stop (Ctrl-C) then it keeps the runs finished so far", async () => {
    // Arrange: a stop request at the first progress report that counts a finished run (an
    // event, not a timer: a slow machine only gets there later), long before a million runs
    const abort = new AbortController();
    let doneWhenStopped = 0;
    const onProgress = (p: { runsDone: number }) => {
      if (p.runsDone > 0 && !abort.signal.aborted) {
        doneWhenStopped = p.runsDone;
        abort.abort();
      }
    };

    // Act
    const result = await runSimulation(config({}), { runs: 1_000_000, seed: 1, workers: 1, signal: abort.signal, onProgress });

    // Assert: the runs finished before the request are kept, and the rest are not made
    expect(result.stoppedEarly).toBe("interrupted");
    expect(result.runsDone).toBeGreaterThanOrEqual(doneWhenStopped);
    expect(doneWhenStopped).toBeGreaterThan(0);
    expect(result.runsDone).toBeLessThan(1_000_000);
    expect(result.summary.runs).toBe(result.runsDone);
  });

  it("when an estimate rests on few events then it says too few events rather than trusting a thin interval", async () => {
    // Act
    const summary = await simulate(config({ cluster: cluster({ mtbfHours: 1e6 }), horizonHours: 1000 }), 2);

    // Assert
    expect(summary.metrics["cluster.availability"]?.enough).toBe(false);
  });
});
