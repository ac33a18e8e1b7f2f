/**
 * Runs a simulation: N independent runs, run i on its own PRNG stream (the seed's stream
 * jumped i times), folded into exact running totals (estimate/runTotals.ts), so that:
 *
 * - memory stays flat for any number of runs (up to 2^53 − 1): no run is kept;
 * - the same seed gives the same bits for any number of workers (exact sums do not
 *   depend on the order runs finish in), and a set of shards merges into what one
 *   machine would have produced;
 * - runs go to worker threads in blocks sized to take about {@link BLOCK_SECONDS}, while
 *   this thread only coordinates, so a stop request (Ctrl-C) reaches a run in progress
 *   through a shared flag the run looks at every few thousand events. Without the
 *   bundled worker (tests running the sources) the runs are made in this thread,
 *   between which a stop request is seen.
 *
 * With a target relative error, a two-stage rule ({@link twoStageBudget}): a pilot of
 * the first {@link PILOT_RUNS} runs sets how many runs the target needs, and that many
 * fresh runs — the pilot left out — give the estimates and their intervals. Where it
 * stops depends only on the seed, never on timing.
 *
 * What a run is comes from its kernel (methodKernel.ts): plain Monte Carlo over the horizon, or
 * a batch of importance-sampled regenerative cycles. A shard simulates a range of the
 * runs, [start, end), on exactly the streams the whole simulation would give them.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { checkTarget, type Estimate, relativeHalfWidth, type SimulationSummary, type TargetCheck } from "../estimate/estimate.js";
import type { RunControl } from "../kernel/cluster.js";
import type { SimConfig } from "../kernel/config.js";
import { RunStreams } from "../kernel/rng.js";
import { type Kernel, type KernelSpec, kernelFor, type SimulationTotals } from "./methodKernel.js";

export { summaryOptions } from "./methodKernel.js";

/** Most runs one simulation may make: run indices stay exact integers. */
export const MAX_RUNS = Number.MAX_SAFE_INTEGER;

export interface Progress {
  /** runs finished */
  readonly runsDone: number;
  /** share of the requested simulated time done, 0..1 (counts runs in progress) */
  readonly fraction: number;
  /** what is done, in words ("1024/100000 cycles"); absent: runs done of the runs */
  readonly label?: string;
}

export interface RunnerOptions {
  readonly runs: number;
  readonly seed: number;
  readonly workers: number;
  /** stop once every estimate's 95% CI half-width is within this share of the estimate */
  readonly targetRelativeError?: number;
  /** the metrics the target applies to (default: every one) */
  readonly targetMetrics?: (metric: string) => boolean;
  /** what a run is (default: plain Monte Carlo) */
  readonly kernel?: KernelSpec;
  /** simulate only runs [start, end) of the `runs` (a shard); not with a target */
  readonly range?: { readonly start: number; readonly end: number };
  /** called about every 200 ms while the simulation runs */
  readonly onProgress?: (progress: Progress) => void;
  /** aborting stops the simulation (runs in progress stop where they are) */
  readonly signal?: AbortSignal;
}

export interface SimulationResult {
  readonly summary: SimulationSummary;
  /** the exact totals behind the summary (for shards and merging) */
  readonly totals: SimulationTotals;
  readonly runsRequested: number;
  /** runs folded in (a run stopped by an interruption counts, over the time it covered) */
  readonly runsDone: number;
  readonly stoppedEarly: "target" | "interrupted" | undefined;
  /** with a target: whether every interval met it, and which did not */
  readonly target?: TargetCheck;
  readonly workersUsed: number;
}

/** Wall-clock time a block of runs should take, so that coordination costs nothing. */
const BLOCK_SECONDS = 0.2;

interface BlockResult {
  readonly start: number;
  readonly count: number;
  /** runs in `totals` (fewer than count when stopped) */
  readonly done: number;
  readonly totals: SimulationTotals;
  /** progress units done (simulated hours, or cycles) */
  readonly hours: number;
}

/** Where blocks are simulated: worker threads, or this thread. */
interface Executor {
  readonly slots: number;
  /** simulate runs [start, start + count) on a free slot */
  run(slot: number, start: number, count: number): Promise<BlockResult>;
  /** simulated hours reached by the block running on a slot */
  progress(slot: number): number;
  stop(): void;
  close(): Promise<void>;
}

export async function runSimulation(config: SimConfig, options: RunnerOptions): Promise<SimulationResult> {
  if (!Number.isInteger(options.runs) || options.runs < 1 || options.runs > MAX_RUNS)
    throw new RangeError(`runSimulation requires 1 ≤ runs ≤ 2^53 − 1, got ${options.runs}`);
  const start = options.range?.start ?? 0;
  const end = options.range?.end ?? options.runs;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end > options.runs || start >= end)
    throw new RangeError(`runSimulation requires a range of runs 0 ≤ start < end ≤ runs (${options.runs}), got [${start}, ${end})`);
  if (options.range !== undefined && options.targetRelativeError !== undefined)
    throw new RangeError("runSimulation cannot stop a range of runs at a target: the pilot needs the first runs");
  const spec = options.kernel ?? { kind: "plain" };
  const kernel = kernelFor(config, spec);
  const workerFile = findWorkerFile();
  const target = options.targetRelativeError;
  if (target === undefined || options.runs < 2 * PILOT_RUNS) {
    // no target, or too few runs for a pilot and fresh runs after it: every run, checked once at the end
    const result = await runRange(config, spec, kernel, workerFile, options, start, end, (f) => f);
    return target === undefined ? result : { ...result, target: checkTarget(result.summary, target, options.targetMetrics) };
  }
  const pilot = await runRange(config, spec, kernel, workerFile, options, 0, PILOT_RUNS, (f) => (f * PILOT_RUNS) / options.runs);
  if (pilot.stoppedEarly === "interrupted") return pilot;
  const budget = twoStageBudget(pilot.summary, target, options.runs, options.targetMetrics);
  const fraction = (f: number) => (PILOT_RUNS + f * budget) / (PILOT_RUNS + budget);
  const final = await runRange(config, spec, kernel, workerFile, options, PILOT_RUNS, PILOT_RUNS + budget, fraction);
  const check = { ...checkTarget(final.summary, target, options.targetMetrics), pilot: { runs: PILOT_RUNS, budget } };
  return {
    ...final,
    runsRequested: options.runs,
    stoppedEarly: final.stoppedEarly ?? (PILOT_RUNS + budget < options.runs ? "target" : undefined),
    target: check,
  };
}

/** Runs of the pilot that sets a target's budget (with importance sampling, 32 × 32 = 1 024 cycles). */
export const PILOT_RUNS = 32;

/**
 * How much the budget exceeds what the pilot's variance asks for: the pilot's sample
 * variance over R − 1 = 31 degrees of freedom is s² ~ σ²·χ²(31)/31, at or above σ²/1.5
 * (χ²(31) ≥ 20.7) with probability 0.92, so about nine budgets in ten meet the target.
 */
const BUDGET_FACTOR = 1.5;

/**
 * The second stage of a two-stage rule (C. Stein, "A two-sample test for a linear hypothesis
 * whose power is independent of the variance", Annals of Mathematical Statistics 16, 1945;
 * for simulation output, A. M. Law, Simulation Modeling and Analysis, 5th ed., 2015, §9.4.1):
 * a pilot of R₀ runs gives each watched interval's relative half-width h; the half-width
 * shrinks as 1/√R, so ε needs R₀·(h/ε)² runs, × {@link BUDGET_FACTOR} for the pilot's own
 * error. That many fresh runs (at least R₀, at most what is left of `runs`) make the
 * estimate: their number depends on the pilot only, so their interval has its nominal
 * coverage — unlike stopping at the first checkpoint whose interval happens to be narrow
 * enough, which stops exactly when the variance came out low (issue 22: importance-sampling
 * runs stopped at the first checkpoint covered 5 times in 10). A watched metric with no
 * interval in the pilot (no event yet) asks for every run left.
 */
export function twoStageBudget(pilot: SimulationSummary, target: number, runs: number, watch?: (metric: string) => boolean): number {
  const left = runs - PILOT_RUNS;
  let needed = PILOT_RUNS;
  for (const [metric, estimate] of Object.entries(pilot.metrics)) {
    if (watch !== undefined && !watch(metric)) continue;
    const h = relativeHalfWidth(estimate as Estimate);
    const wanted = Number.isFinite(h) ? PILOT_RUNS * (h / target) ** 2 * BUDGET_FACTOR : left;
    needed = Math.max(needed, Math.ceil(Math.min(wanted, left)));
  }
  return Math.min(needed, left);
}

/** Simulate runs [start, end) of the kernel into exact totals; `fraction` maps this range's progress to the whole's. */
async function runRange(
  config: SimConfig,
  spec: KernelSpec,
  kernel: Kernel,
  workerFile: string | undefined,
  options: RunnerOptions,
  start: number,
  end: number,
  fraction: (f: number) => number,
): Promise<SimulationResult> {
  const slots = Math.max(1, Math.min(options.workers, end - start));
  const executor: Executor = workerFile
    ? new WorkerExecutor(workerFile, slots, config, spec, options.seed)
    : new InThreadExecutor(kernel, options.seed);
  const totals = kernel.newTotals();
  let stoppedEarly: SimulationResult["stoppedEarly"];

  // Work is handed out in increasing run order.
  let nextRun = start;
  let completedHours = 0;
  let secondsPerRun = Number.NaN;
  let stopping = false; // no new blocks are handed out
  let finished = false; // results arriving now are not part of the answer
  const interrupt = () => {
    if (stopping) return;
    stopping = true;
    stoppedEarly = "interrupted";
    executor.stop();
  };
  if (options.signal?.aborted) interrupt();
  options.signal?.addEventListener("abort", interrupt, { once: true });
  const busy = new Map<number, Promise<void>>();
  const reportProgress = () => {
    let hours = completedHours;
    for (const slot of busy.keys()) hours += executor.progress(slot);
    options.onProgress?.({ runsDone: totals.runs, fraction: Math.min(1, fraction(hours / ((end - start) * kernel.workPerRun))) });
  };
  const ticker = options.onProgress ? setInterval(reportProgress, 200) : undefined;

  const blockSize = (): number => {
    const wanted = Number.isFinite(secondsPerRun) && secondsPerRun > 0 ? Math.floor(BLOCK_SECONDS / secondsPerRun) : 1;
    return Math.max(1, Math.min(wanted, end - nextRun, 1 << 20));
  };

  try {
    const launch = (slot: number) => {
      if (stopping || nextRun >= end) return;
      const first = nextRun;
      const count = blockSize();
      nextRun += count;
      const began = performance.now();
      const job = executor.run(slot, first, count).then((block) => {
        busy.delete(slot);
        if (finished) return;
        if (block.done > 0 && !stopping) secondsPerRun = (performance.now() - began) / 1000 / block.done;
        totals.merge(block.totals);
        completedHours += block.hours;
      });
      busy.set(slot, job);
    };
    for (let slot = 0; slot < executor.slots; slot++) launch(slot);
    while (busy.size > 0) {
      await Promise.race(busy.values());
      for (let slot = 0; slot < executor.slots; slot++) if (!busy.has(slot)) launch(slot);
    }
  } finally {
    finished = true;
    stopping = true;
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener("abort", interrupt);
    executor.stop();
    await Promise.allSettled(busy.values());
    await executor.close();
  }
  return {
    summary: kernel.summarize(totals),
    totals,
    runsRequested: end - start,
    runsDone: totals.runs,
    stoppedEarly,
    workersUsed: workerFile ? executor.slots : 1,
  };
}

/** Simulate runs [start, start + count) into fresh totals (the body of every executor). */
export function simulateBlock(
  kernel: Kernel,
  streams: RunStreams,
  start: number,
  count: number,
  control: RunControl,
): { totals: SimulationTotals; done: number; hours: number } {
  const totals = kernel.newTotals();
  let hours = 0;
  for (let i = 0; i < count; i++) {
    if (Atomics.load(control.stop, 0) !== 0) break;
    control.base = hours;
    const record = kernel.simulate(streams.forRun(start + i), control);
    totals.add(record);
    hours += kernel.work(record);
  }
  return { totals, done: totals.runs, hours };
}

class InThreadExecutor implements Executor {
  readonly slots = 1;
  private readonly streams: RunStreams;
  private readonly control = { stop: new Int32Array(1), progress: new Float64Array(1), slot: 0, base: 0 };

  constructor(
    private readonly kernel: Kernel,
    seed: number,
  ) {
    this.streams = new RunStreams(seed, kernel.domain);
    kernel.warmUp();
  }

  async run(_slot: number, start: number, count: number): Promise<BlockResult> {
    const totals = this.kernel.newTotals();
    let hours = 0;
    this.control.progress[0] = 0;
    for (let i = 0; i < count; i++) {
      // let Ctrl-C and the progress ticker through between runs
      await new Promise((resolve) => setImmediate(resolve));
      if (Atomics.load(this.control.stop, 0) !== 0) break;
      this.control.base = hours;
      const record = this.kernel.simulate(this.streams.forRun(start + i), this.control);
      totals.add(record);
      hours += this.kernel.work(record);
    }
    return { start, count, done: totals.runs, totals, hours };
  }

  progress(): number {
    return this.control.progress[0] as number;
  }

  stop(): void {
    Atomics.store(this.control.stop, 0, 1);
  }

  async close(): Promise<void> {}
}

interface WorkerReply {
  readonly totals: unknown;
  readonly hours: number;
}

/**
 * Worker threads live as long as the process and serve one simulation after another
 * (sweeps and reports run many): terminating a worker while V8 still compiles on it can
 * crash Node 20 (nodejs/node#51129 and relatives), and starting one costs tens of
 * milliseconds. Between simulations they are unref'd, so they never keep the process
 * alive.
 */
const pool: Worker[] = [];
let poolFile: string | undefined;

function poolWorkers(file: string, count: number): Worker[] {
  if (poolFile !== undefined && poolFile !== file) throw new Error(`the simulation worker moved from ${poolFile} to ${file}`);
  poolFile = file;
  while (pool.length < count) pool.push(new Worker(file));
  return pool.slice(0, count);
}

class WorkerExecutor implements Executor {
  private readonly workers: Worker[];
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));
  private readonly progressHours: Float64Array;
  private readonly kernel: Kernel;

  constructor(
    file: string,
    readonly slots: number,
    config: SimConfig,
    spec: KernelSpec,
    seed: number,
  ) {
    this.kernel = kernelFor(config, spec);
    this.progressHours = new Float64Array(new SharedArrayBuffer(8 * slots));
    this.workers = poolWorkers(file, slots);
    this.workers.forEach((worker, slot) => {
      worker.ref();
      worker.postMessage({ setup: { config, kernel: spec, seed, slot, stop: this.stopFlag.buffer, progress: this.progressHours.buffer } });
    });
  }

  run(slot: number, start: number, count: number): Promise<BlockResult> {
    const worker = this.workers[slot] as Worker;
    return new Promise((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        worker.off("error", onError);
        const totals = this.kernel.totalsFromJSON(reply.totals);
        resolve({ start, count, done: totals.runs, totals, hours: reply.hours });
      };
      const onError = (error: Error) => {
        worker.off("message", onMessage);
        const at = pool.indexOf(worker);
        if (at >= 0) pool.splice(at, 1); // a worker that failed is not reused
        reject(error);
      };
      worker.once("message", onMessage);
      worker.once("error", onError);
      this.progressHours[slot] = 0;
      worker.postMessage({ block: { start, count } });
    });
  }

  progress(slot: number): number {
    return this.progressHours[slot] as number;
  }

  stop(): void {
    Atomics.store(this.stopFlag, 0, 1);
  }

  async close(): Promise<void> {
    // Every block handed out has been answered (the runner waits for them): the workers
    // are idle, and stay for the next simulation.
    for (const worker of this.workers) worker.unref();
  }
}

/** dist/simWorker.js, next to the bundle (the code may sit in dist/ or dist/chunks/). */
function findWorkerFile(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "simWorker.js"), join(here, "..", "simWorker.js")]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
