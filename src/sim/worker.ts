/** Worker thread entry (bundled as dist/simWorker.js): simulates the blocks of runs it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import type { SimConfig } from "./config.js";
import { RunStreams } from "./rng.js";
import { warmUp } from "./run.js";
import { simulateBlock } from "./runner.js";

const { config, seed, slot, stop, progress } = workerData as {
  config: SimConfig;
  seed: number;
  slot: number;
  stop: SharedArrayBuffer;
  progress: SharedArrayBuffer;
};
const streams = new RunStreams(seed);
const control = { stop: new Int32Array(stop), progress: new Float64Array(progress), slot, base: 0 };
warmUp(config);
parentPort?.on("message", ({ start, count }: { start: number; count: number }) => {
  const block = simulateBlock(config, streams, start, count, control);
  parentPort?.postMessage({ totals: block.totals.toJSON(), hours: block.hours });
});
