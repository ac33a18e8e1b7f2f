/**
 * The regions simulation (docs/design.md §3d): `runs` independent runs of a service over
 * several sites, each run on its own stream of the seed (run i: the seed's xoshiro128**
 * stream jumped i times, as the cluster simulation's runs), folded into exact totals, and
 * the three region metrics with their intervals. One thread: the sites' clusters are the
 * cost, and each is the cluster kernel's own loop.
 *
 * The semantics, the start and the loss's derivation: kernel/regionRun.ts; the estimators:
 * estimate/regionEstimate.ts.
 */
import { type RegionEstimates, RegionTotals, regionEstimates } from "../estimate/regionEstimate.js";
import { REGION_RUN, type RegionsSimConfig, simulateRegionsRun } from "../kernel/regionRun.js";
import { RunStreams } from "../kernel/rng.js";

export type { RegionEstimate, RegionEstimates } from "../estimate/regionEstimate.js";
export type { RegionSiteSim, RegionsSimConfig } from "../kernel/regionRun.js";

/** Optional hooks of a regions simulation (the command line's progress bar and Ctrl-C). */
export interface RegionsSimulationOptions {
  /** looked at before each run: true stops the simulation there (the estimates cover the runs made) */
  readonly shouldStop?: () => boolean;
  /** after each run, with the number of runs made so far */
  readonly onRun?: (runsDone: number) => void;
}

/** What a regions simulation returns. */
export interface RegionsSimulation {
  /** the runs made (fewer than asked when stopped) */
  readonly runs: number;
  readonly stopped: boolean;
  readonly horizonHours: number;
  readonly seed: number;
  /** service.availability, regions.failovers_per_year, regions.loss (and the failbacks per year) */
  readonly metrics: RegionEstimates;
  /** the sites' cluster events, their warm-ups included (the cost) */
  readonly clusterEvents: number;
  /** region outages and restores, and the sites' availability changes the failover walked */
  readonly siteEvents: number;
  /** the totals, for merging with other runs of the same seed */
  readonly totals: RegionTotals;
}

/**
 * Simulate `runs` runs of `horizonHours` measured hours each (after the warm-ups) from
 * `seed`, and estimate the region metrics over them (runs as the units: at least 30 for a
 * trusted interval). A run is never cut short: `options.shouldStop` is looked at between
 * runs (a run is the sites' clusters over the horizon, a fraction of a second for a
 * preset's 1000 years).
 *
 * @throws RangeError when there are fewer than 2 sites, a time or rate is negative or not
 *   finite, an outage mttr is not > 0, runs is not a whole number ≥ 1 or the horizon not > 0
 * @example simulateRegions({ sites: [a, b], afterHours: 0.1, timeHours: 0.25, lagHours: 1 / 1800, mode: "formula" }, 100, 8766 * 100, 1)
 */
export function simulateRegions(
  input: RegionsSimConfig,
  runs: number,
  horizonHours: number,
  seed: number,
  options: RegionsSimulationOptions = {},
): RegionsSimulation {
  const steps = regionRuns(input, runs, horizonHours, seed, options);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/**
 * {@link simulateRegions} that gives the event loop a turn between runs every
 * `yieldEveryMs` (default 100 ms), so that a Ctrl-C handler can run and `shouldStop` see
 * it. The same runs on the same streams: the same bits as simulateRegions.
 */
export async function simulateRegionsYielding(
  input: RegionsSimConfig,
  runs: number,
  horizonHours: number,
  seed: number,
  options: RegionsSimulationOptions & { readonly yieldEveryMs?: number } = {},
): Promise<RegionsSimulation> {
  const every = options.yieldEveryMs ?? 100;
  let turn = performance.now();
  const steps = regionRuns(input, runs, horizonHours, seed, options);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    if (performance.now() - turn >= every) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = performance.now();
    }
  }
}

/** The runs, one step each (the one loop both entry points drive), then the estimates. */
function* regionRuns(
  input: RegionsSimConfig,
  runs: number,
  horizonHours: number,
  seed: number,
  options: RegionsSimulationOptions,
): Generator<void, RegionsSimulation> {
  checkInput(input, runs, horizonHours);
  const streams = new RunStreams(seed);
  const totals = new RegionTotals();
  let stopped = false;
  for (let i = 0; i < runs; i++) {
    if (options.shouldStop?.()) {
      stopped = true;
      break;
    }
    totals.add(simulateRegionsRun(input, horizonHours, streams.forRun(i)));
    options.onRun?.(i + 1);
    yield;
  }
  return finished(totals, stopped, horizonHours, seed);
}

function finished(totals: RegionTotals, stopped: boolean, horizonHours: number, seed: number): RegionsSimulation {
  return {
    runs: totals.runs,
    stopped,
    horizonHours,
    seed,
    metrics: regionEstimates(totals),
    clusterEvents: totals.sum(REGION_RUN.clusterEvents),
    siteEvents: totals.sum(REGION_RUN.siteEvents),
    totals,
  };
}

function checkInput(input: RegionsSimConfig, runs: number, horizonHours: number): void {
  const finiteAtLeastZero = (x: number) => x >= 0 && x < Number.POSITIVE_INFINITY;
  if (input.sites.length < 2) throw new RangeError(`simulateRegions requires at least 2 sites, got ${input.sites.length}`);
  for (const [name, value] of [
    ["afterHours", input.afterHours],
    ["timeHours", input.timeHours],
    ["lagHours", input.lagHours],
    ["failback.afterHours", input.failback?.afterHours ?? 0],
    ["failback.timeHours", input.failback?.timeHours ?? 0],
  ] as const) {
    if (!finiteAtLeastZero(value)) throw new RangeError(`simulateRegions requires a finite ${name} ≥ 0, got ${value}`);
  }
  input.sites.forEach((site, i) => {
    if (!finiteAtLeastZero(site.outageRatePerHour) || !(site.outageMttrHours > 0 && site.outageMttrHours < Number.POSITIVE_INFINITY)) {
      throw new RangeError(
        `simulateRegions requires site ${i}'s outage rate ≥ 0 and mttr > 0, finite, got ${site.outageRatePerHour} and ${site.outageMttrHours}`,
      );
    }
  });
  if (!Number.isSafeInteger(runs) || runs < 1) throw new RangeError(`simulateRegions requires a whole number of runs ≥ 1, got ${runs}`);
  if (!(horizonHours > 0 && horizonHours < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`simulateRegions requires a finite horizon > 0, got ${horizonHours}`);
  }
}
