/**
 * Worker thread entry (bundled as dist/simWorker.js): set up for a simulation (its config,
 * seed, stop flag and progress slot; the JIT warmed on a few short runs), then simulate
 * the blocks of runs it is sent. One worker serves one simulation after another.
 */
import { parentPort } from "node:worker_threads";
import type { RunControl } from "../kernel/cluster.js";
import type { SimConfig } from "../kernel/config.js";
import { RunStreams } from "../kernel/rng.js";
import { type Kernel, type KernelSpec, kernelFor } from "./methodKernel.js";
import { simulateBlock } from "./scheduler.js";

interface Setup {
  readonly config: SimConfig;
  readonly kernel: KernelSpec;
  readonly seed: number;
  readonly slot: number;
  readonly stop: SharedArrayBuffer;
  readonly progress: SharedArrayBuffer;
}

let current: { kernel: Kernel; streams: RunStreams; control: RunControl } | undefined;

parentPort?.on("message", (message: { setup?: Setup; block?: { start: number; count: number } }) => {
  if (message.setup) {
    const { config, seed, slot, stop, progress } = message.setup;
    const kernel = kernelFor(config, message.setup.kernel);
    current = {
      kernel,
      streams: new RunStreams(seed, kernel.domain),
      control: { stop: new Int32Array(stop), progress: new Float64Array(progress), slot, base: 0 },
    };
    kernel.warmUp();
    return;
  }
  if (message.block && current) {
    const block = simulateBlock(current.kernel, current.streams, message.block.start, message.block.count, current.control);
    parentPort?.postMessage({ totals: block.totals.toJSON(), hours: block.hours });
  }
});
