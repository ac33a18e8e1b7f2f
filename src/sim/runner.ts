/**
 * Runs a simulation: N independent runs, run i on its own PRNG stream (the seed's stream
 * jumped i times), folded into exact running totals (totals.ts), so that:
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
 * With a target relative error, the intervals are checked at fixed run counts
 * (checkpoints: 32, then every quarter of what is done, at least 32), from exactly the
 * runs below the checkpoint, so where a simulation stops never depends on timing.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { RunControl } from "./cluster.js";
import type { SimConfig } from "./config.js";
import { checkTarget, type SimulationSummary, summarize, type TargetCheck } from "./estimate.js";
import { RunStreams } from "./rng.js";
import { RUN_RECORD, simulateRun, warmUp } from "./run.js";
import { RunTotals, type RunTotalsJson } from "./totals.js";

/** Most runs one simulation may make: run indices stay exact integers. */
export const MAX_RUNS = Number.MAX_SAFE_INTEGER;

export interface Progress {
  /** runs finished */
  readonly runsDone: number;
  /** share of the requested simulated time done, 0..1 (counts runs in progress) */
  readonly fraction: number;
}

export interface RunnerOptions {
  readonly runs: number;
  readonly seed: number;
  readonly workers: number;
  /** stop once every estimate's 95% CI half-width is within this share of the estimate */
  readonly targetRelativeError?: number;
  /** called about every 200 ms while the simulation runs */
  readonly onProgress?: (progress: Progress) => void;
  /** aborting stops the simulation (runs in progress stop where they are) */
  readonly signal?: AbortSignal;
}

export interface SimulationResult {
  readonly summary: SimulationSummary;
  /** the exact totals behind the summary (for shards and merging) */
  readonly totals: RunTotals;
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
const FIRST_CHECKPOINT = 32;

/** The run count at which the intervals are checked after `checkpoint`. */
export function nextCheckpoint(checkpoint: number): number {
  return checkpoint + Math.max(FIRST_CHECKPOINT, Math.floor(checkpoint / 4));
}

export function summaryOptions(config: SimConfig) {
  return {
    // all-up is a regeneration point for the cluster when every failure clock is memoryless
    // and no schedule runs (a maintenance round has a phase)
    regenerative: config.cluster.failure.kind === "exponential" && config.cluster.maintenance === undefined,
    queue: config.cluster.failover !== undefined,
    ...(config.durability ? { durabilityWindowHours: config.durability.windowHours } : {}),
    independentRetries: config.retry !== undefined && !config.retry.failDuringOutages,
  };
}

interface BlockResult {
  readonly start: number;
  readonly count: number;
  /** runs folded into `totals` (fewer than count when stopped) */
  readonly done: number;
  readonly totals: RunTotals;
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
  if (!Number.isSafeInteger(options.runs) || options.runs < 1)
    throw new RangeError(`runSimulation requires 1 ≤ runs ≤ 2^53 − 1, got ${options.runs}`);
  const workerFile = findWorkerFile();
  const slots = Math.max(1, Math.min(options.workers, options.runs));
  const executor: Executor = workerFile
    ? new WorkerExecutor(workerFile, slots, config, options.seed)
    : new InThreadExecutor(config, options.seed);
  const horizon = config.horizonHours;
  const totals = new RunTotals();
  const options2 = summaryOptions(config);
  let stoppedEarly: SimulationResult["stoppedEarly"];
  let target: TargetCheck | undefined;

  // Work is handed out in increasing run order; blocks never cross a checkpoint.
  let nextRun = 0;
  let checkpoint = options.targetRelativeError !== undefined ? Math.min(FIRST_CHECKPOINT, options.runs) : options.runs;
  let foldedBelowCheckpoint = 0; // runs folded into `totals` (all below the checkpoint)
  const ahead: BlockResult[] = []; // finished blocks beyond the checkpoint, not yet folded
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
    options.onProgress?.({ runsDone: totals.runs, fraction: Math.min(1, hours / (options.runs * horizon)) });
  };
  const ticker = options.onProgress ? setInterval(reportProgress, 200) : undefined;

  const blockSize = (): number => {
    const wanted = Number.isFinite(secondsPerRun) && secondsPerRun > 0 ? Math.floor(BLOCK_SECONDS / secondsPerRun) : 1;
    const limit = options.targetRelativeError !== undefined ? checkpoint - nextRun : options.runs - nextRun;
    return Math.max(1, Math.min(wanted, limit, 1 << 20));
  };
  const fold = (block: BlockResult) => {
    totals.merge(block.totals);
    completedHours += block.hours;
  };

  try {
    const launch = (slot: number) => {
      const limit = options.targetRelativeError !== undefined ? checkpoint : options.runs;
      if (stopping || nextRun >= limit) return;
      const start = nextRun;
      const count = blockSize();
      nextRun += count;
      const began = performance.now();
      const job = executor.run(slot, start, count).then((block) => {
        busy.delete(slot);
        if (finished) return;
        if (block.done > 0 && !stopping) secondsPerRun = (performance.now() - began) / 1000 / block.done;
        if (stopping || options.targetRelativeError === undefined || block.start < checkpoint) {
          fold(block);
          if (block.start < checkpoint) foldedBelowCheckpoint += block.done;
        } else ahead.push(block);
      });
      busy.set(slot, job);
    };
    for (let slot = 0; slot < executor.slots; slot++) launch(slot);
    while (busy.size > 0) {
      await Promise.race(busy.values());
      if (options.targetRelativeError !== undefined && !stopping && foldedBelowCheckpoint >= checkpoint) {
        target = checkTarget(summarize(totals, options2), options.targetRelativeError);
        if (target.met || checkpoint >= options.runs) {
          if (target.met && checkpoint < options.runs) stoppedEarly = "target";
          // done: blocks beyond the checkpoint are not part of the answer
          break;
        }
        checkpoint = Math.min(nextCheckpoint(checkpoint), options.runs);
        for (const block of ahead.splice(0)) {
          fold(block);
          foldedBelowCheckpoint += block.done;
        }
      }
      for (let slot = 0; slot < executor.slots; slot++) if (!busy.has(slot)) launch(slot);
    }
    if (stoppedEarly === "interrupted") for (const block of ahead.splice(0)) fold(block);
  } finally {
    finished = true;
    stopping = true;
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener("abort", interrupt);
    executor.stop();
    await Promise.allSettled(busy.values());
    await executor.close();
  }
  const summary = summarize(totals, options2);
  if (options.targetRelativeError !== undefined && target === undefined) target = checkTarget(summary, options.targetRelativeError);
  return {
    summary,
    totals,
    runsRequested: options.runs,
    runsDone: totals.runs,
    stoppedEarly,
    ...(target !== undefined ? { target } : {}),
    workersUsed: workerFile ? executor.slots : 1,
  };
}

/** Simulate runs [start, start + count) into fresh totals (the body of every executor). */
export function simulateBlock(
  config: SimConfig,
  streams: RunStreams,
  start: number,
  count: number,
  control: RunControl,
): { totals: RunTotals; done: number; hours: number } {
  const totals = new RunTotals();
  let hours = 0;
  for (let i = 0; i < count; i++) {
    if (Atomics.load(control.stop, 0) !== 0) break;
    control.base = hours;
    const record = simulateRun(config, streams.forRun(start + i), control);
    totals.add(record);
    hours += record[RUN_RECORD.horizonHours] as number;
  }
  return { totals, done: totals.runs, hours };
}

class InThreadExecutor implements Executor {
  readonly slots = 1;
  private readonly streams: RunStreams;
  private readonly control = { stop: new Int32Array(1), progress: new Float64Array(1), slot: 0, base: 0 };

  constructor(
    private readonly config: SimConfig,
    seed: number,
  ) {
    this.streams = new RunStreams(seed);
    warmUp(config);
  }

  async run(_slot: number, start: number, count: number): Promise<BlockResult> {
    const totals = new RunTotals();
    let hours = 0;
    this.control.progress[0] = 0;
    for (let i = 0; i < count; i++) {
      // let Ctrl-C and the progress ticker through between runs
      await new Promise((resolve) => setImmediate(resolve));
      if (Atomics.load(this.control.stop, 0) !== 0) break;
      this.control.base = hours;
      const record = simulateRun(this.config, this.streams.forRun(start + i), this.control);
      totals.add(record);
      hours += record[RUN_RECORD.horizonHours] as number;
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
  readonly totals: RunTotalsJson;
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

  constructor(
    file: string,
    readonly slots: number,
    config: SimConfig,
    seed: number,
  ) {
    this.progressHours = new Float64Array(new SharedArrayBuffer(8 * slots));
    this.workers = poolWorkers(file, slots);
    this.workers.forEach((worker, slot) => {
      worker.ref();
      worker.postMessage({ setup: { config, seed, slot, stop: this.stopFlag.buffer, progress: this.progressHours.buffer } });
    });
  }

  run(slot: number, start: number, count: number): Promise<BlockResult> {
    const worker = this.workers[slot] as Worker;
    return new Promise((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        worker.off("error", onError);
        const totals = RunTotals.fromJSON(reply.totals);
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
