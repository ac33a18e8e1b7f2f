/**
 * Runs a simulation: N independent runs, each on its own PRNG stream (the seed's stream
 * jumped run-index times), in this thread or spread over worker threads. Results are
 * combined in run order, so the same seed gives bit-identical numbers for any number of
 * workers. Runs are handed out in rounds, and between rounds the runner can stop early
 * (a target relative error is met, or the user pressed Ctrl-C).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SimConfig } from "./config.js";
import { type SimulationSummary, summarize, worstRelativeError } from "./estimate.js";
import { RunStreams } from "./rng.js";
import { simulateRun, warmUp } from "./run.js";

export interface RunnerOptions {
  readonly runs: number;
  readonly seed: number;
  readonly workers: number;
  /** stop once every estimate's 95% CI half-width is within this share of the estimate */
  readonly targetRelativeError?: number;
  /** called after each finished run */
  readonly onProgress?: (done: number, total: number) => void;
  /** polled between runs; true stops the simulation with the runs finished so far */
  readonly shouldStop?: () => boolean;
}

export interface SimulationResult {
  readonly summary: SimulationSummary;
  readonly runsRequested: number;
  readonly runsDone: number;
  readonly stoppedEarly: "target" | "interrupted" | undefined;
  readonly workersUsed: number;
}

/**
 * With a target relative error, runs are handed out in rounds of this many and the
 * intervals checked between rounds; without one, all runs form one round (no barrier).
 */
const ROUND = 16;

export async function runSimulation(config: SimConfig, options: RunnerOptions): Promise<SimulationResult> {
  const results: Float64Array[] = [];
  // The main thread simulates too: `workers` − 1 threads beside it.
  const workerFile = options.workers > 1 ? findWorkerFile() : undefined;
  const helpers = workerFile ? Math.min(options.workers, options.runs) - 1 : 0;
  const pool = workerFile && helpers > 0 ? new Pool(workerFile, helpers, config, options.seed) : undefined;
  const streams = new RunStreams(options.seed);
  warmUp(config);
  let stoppedEarly: SimulationResult["stoppedEarly"];
  const summaryOptions = {
    regenerative: config.cluster.failure.kind === "exponential",
    ...(config.durability ? { durabilityWindowHours: config.durability.windowHours } : {}),
  };
  try {
    while (results.length < options.runs) {
      if (options.shouldStop?.()) {
        stoppedEarly = "interrupted";
        break;
      }
      const first = results.length;
      const count = options.targetRelativeError !== undefined ? Math.min(ROUND, options.runs - first) : options.runs - first;
      const round = await runRound(config, options, streams, pool, first, count);
      for (const record of round) results.push(record);
      if (round.length < count) {
        stoppedEarly = "interrupted";
        break;
      }
      if (options.targetRelativeError !== undefined && results.length >= 2 * ROUND) {
        if (worstRelativeError(summarize(results, summaryOptions)) <= options.targetRelativeError) {
          if (results.length < options.runs) stoppedEarly = "target";
          break;
        }
      }
    }
  } finally {
    await pool?.close();
  }
  return {
    summary: summarize(results, summaryOptions),
    runsRequested: options.runs,
    runsDone: results.length,
    stoppedEarly,
    workersUsed: 1 + (pool ? helpers : 0),
  };
}

/** Runs the work queue of one round: helper threads keep two runs queued each, the main thread takes the rest one by one. */
async function runRound(
  config: SimConfig,
  options: RunnerOptions,
  streams: RunStreams,
  pool: Pool | undefined,
  first: number,
  count: number,
): Promise<Float64Array[]> {
  const records: (Float64Array | undefined)[] = new Array(count);
  let next = 0;
  let finished = 0;
  let stopped = false;
  const take = (): number | undefined => {
    if (!stopped && options.shouldStop?.()) stopped = true;
    if (stopped || next >= count) return undefined;
    return first + next++;
  };
  const store = (index: number, record: Float64Array) => {
    records[index - first] = record;
    finished++;
    options.onProgress?.(first + finished, options.runs);
  };
  const helpersDone = pool ? pool.serve(take, store) : Promise.resolve();
  for (;;) {
    // let worker replies, Ctrl-C and the progress bar through between runs
    await new Promise((resolve) => setImmediate(resolve));
    const index = take();
    if (index === undefined) break;
    store(index, simulateRun(config, streams.forRun(index)));
  }
  await helpersDone;
  // Keep the unbroken prefix of finished runs, so that what is kept never depends on timing.
  const prefix: Float64Array[] = [];
  for (const record of records) {
    if (record === undefined) break;
    prefix.push(record);
  }
  return prefix;
}

/** dist/simWorker.js, next to the bundle (the code may sit in dist/ or dist/chunks/). */
function findWorkerFile(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "simWorker.js"), join(here, "..", "simWorker.js")]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

interface WorkerReply {
  readonly index: number;
  readonly record: Float64Array;
}

/** Helper threads, each kept two runs ahead so that it never waits for the busy main thread. */
class Pool {
  private readonly workers: Worker[];

  constructor(file: string, size: number, config: SimConfig, seed: number) {
    this.workers = Array.from({ length: size }, () => new Worker(file, { workerData: { config, seed } }));
  }

  /** Feed the workers from `take` until it runs dry; resolves when every run handed out is back. */
  serve(take: () => number | undefined, store: (index: number, record: Float64Array) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let outstanding = 0;
      const feed = (worker: Worker) => {
        const index = take();
        if (index === undefined) return;
        outstanding++;
        worker.postMessage(index);
      };
      for (const worker of this.workers) {
        worker.removeAllListeners("message");
        worker.removeAllListeners("error");
        worker.on("message", (reply: WorkerReply) => {
          outstanding--;
          store(reply.index, reply.record);
          feed(worker);
          if (outstanding === 0) resolve();
        });
        worker.on("error", reject);
        feed(worker);
        feed(worker);
      }
      if (outstanding === 0) resolve();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
