/** The simulator's public surface (also bundled as dist/simApi.js for bench/). */
export type { ClusterSimConfig, SimConfig, SimulationMode } from "./config.js";
export { type Estimate, type SimulationSummary, summarize, wilson } from "./estimate.js";
export { type RunnerOptions, runSimulation, type SimulationResult } from "./runner.js";
