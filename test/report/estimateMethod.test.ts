/**
 * describeMethod writes the "method" sentence of simulate, validate and sweep --simulate
 * from an estimate's structured basis. The expected sentences are the ones src/sim wrote
 * before the basis existed (copied from the outputs of the version before this change),
 * so the outputs and their JSON keep every word.
 */
import { describe, expect, it } from "vitest";
import { describeMethod } from "../../src/report/estimateMethod.js";
import type { EstimateBasis } from "../../src/sim/estimate/estimate.js";

const runs = { unit: "runs", units: 12, degreesOfFreedom: 11 } as const;
const t11 = "12 runs, Student's t with 11 degrees of freedom";
const exact = "measured exactly on each run's simulated failovers";

function text(basis: Omit<EstimateBasis, "level">, events = 0, varianceReduction?: number): string {
  return describeMethod({ basis: { ...basis, level: 0.95 }, events, ...(varianceReduction !== undefined ? { varianceReduction } : {}) });
}

describe("describeMethod", () => {
  it("when the estimate is a ratio over runs then the sentence names what was measured, the runs and the t", () => {
    const cases: [Omit<EstimateBasis, "level">, number, string][] = [
      [
        { kind: "ratio", estimand: "unavailability", ...runs, counts: { simulatedHours: 2103840 } },
        0,
        `time without quorum over 2104000 simulated hours; ${t11}`,
      ],
      [
        { kind: "ratio", estimand: "downtime", ...runs, perYearHours: 8766, counts: { simulatedHours: 2103840 } },
        0,
        `unavailability × 8766 h; time without quorum over 2104000 simulated hours; ${t11}`,
      ],
      [
        { kind: "ratio", estimand: "mttf-exposure", ...runs },
        2045,
        `exposure from all-up to the first quorum loss of each cycle (unfinished cycles censored) over 2045 quorum losses; ${t11}`,
      ],
      [
        { kind: "ratio", estimand: "mttf-up-time", ...runs },
        109,
        `mean up time between quorum losses (time with quorum over 109 losses: all-up is no regeneration point with non-exponential failures or a maintenance schedule); ${t11}`,
      ],
      [{ kind: "ratio", estimand: "outages", ...runs, perYearHours: 8766 }, 0, `quorum losses over simulated time × 8766 h; ${t11}`],
      [
        { kind: "ratio", estimand: "queue-unavailability", ...runs, counts: { elections: 960 } },
        0,
        `time without quorum or without an elected leader (960 elections); ${t11}`,
      ],
      [{ kind: "ratio", estimand: "lost-confirmed", ...runs }, 108, `confirmed records lost, ${exact} (108 leader losses); ${t11}`],
      [
        { kind: "ratio", estimand: "loss-window", ...runs },
        48,
        `share of publish instants in a loss window, measured exactly on each run's simulated crash timeline (48 episodes); ${t11}`,
      ],
      [
        { kind: "ratio", estimand: "redelivery-window", ...runs },
        5,
        `share of publish instants in a redelivery window, measured exactly on each run's simulated node-failure timeline (5 episodes); ${t11}`,
      ],
      [
        { kind: "ratio", estimand: "retry-failures", ...runs, counts: { sequences: 240000, failures: 33 } },
        33,
        `failed retry sequences (33 of 240000); sequences in one run share its outage timeline, so the run is the unit: ${t11}`,
      ],
    ];
    for (const [basis, events, expected] of cases) expect(text(basis, events), basis.estimand).toBe(expected);
  });

  it("when nothing was seen or nothing can happen then the sentence says so", () => {
    expect(text({ kind: "none-seen", estimand: "lost-confirmed", counts: { runs: 12 } })).toBe(
      `confirmed records lost, ${exact}: none in 12 runs`,
    );
    expect(text({ kind: "poisson-rule-of-three", estimand: "loss-window", counts: { runs: 7 } })).toBe(
      "no loss window in 7 runs: rule of three on loss episodes (≤ 3 windows over the simulated time)",
    );
    expect(text({ kind: "rule-of-three", estimand: "retry-failures", counts: { sequences: 24000, failures: 0 } })).toBe(
      "no failed sequence in 24000: one-sided rule of three (failure ≤ ≈3/N)",
    );
    expect(text({ kind: "wilson", estimand: "retry-failures", counts: { sequences: 240000, failures: 19 } })).toBe(
      "Wilson score interval over 240000 independent retry sequences (19 failed)",
    );
    expect(text({ kind: "exact-zero", estimand: "fsync-always" })).toBe("fsync: always: a record is durable when written, never unflushed");
    expect(text({ kind: "exact-zero", estimand: "fsync-before-ack" })).toBe(
      "no unflushed window (fsync before ack): no crash can lose an acknowledged message",
    );
  });

  it("when the estimate comes from importance sampling then the sentence names the cycles and the variance reduction", () => {
    const cycles = { kind: "importance-sampling", unit: "regeneration cycles", units: 1000, degreesOfFreedom: 999 } as const;
    const how = "importance sampling (balanced failure biasing), 1000 regenerative cycles, Student's t with 999 degrees of freedom";
    expect(text({ ...cycles, estimand: "unavailability" }, 0, 31234567)).toBe(
      `E[time without quorum per cycle] / E[cycle length]; ${how}; variance reduction against plain Monte Carlo 31000000× per cycle`,
    );
    expect(text({ ...cycles, estimand: "mttf-exposure" }, 0, Number.NaN)).toBe(
      `E[time from all-up to the first quorum loss or the cycle's end] / P(quorum loss in a cycle); ${how}`,
    );
    expect(text({ ...cycles, estimand: "queue-unavailability", counts: { naturalCycles: 50 } }, 0, 0.85)).toBe(
      `unavailability (above) + E[time with a quorum but no leader per cycle] / E[cycle length] from 50 cycles without biasing (elections are not rare); ${how}; variance reduction against plain Monte Carlo 0.85× per cycle`,
    );
  });
});
