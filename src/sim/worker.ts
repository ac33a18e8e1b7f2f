/** Worker thread entry (bundled as dist/simWorker.js): simulates the runs it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import type { SimConfig } from "./config.js";
import { RunStreams } from "./rng.js";
import { simulateRun, warmUp } from "./run.js";

const { config, seed } = workerData as { config: SimConfig; seed: number };
const streams = new RunStreams(seed);
warmUp(config);
parentPort?.on("message", (index: number) => {
  const record = simulateRun(config, streams.forRun(index));
  parentPort?.postMessage({ index, record }, [record.buffer as ArrayBuffer]);
});
