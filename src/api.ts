/**
 * A programmatic surface for benchmarks and scripts (bundled as dist/api.js): load a
 * model, compute its metrics, simulate it and compare the two, as the CLI does.
 */

export { evaluateMetrics } from "./model/evaluate.js";
export { EvaluationCache } from "./model/evaluationCache.js";
export { loadModel } from "./model/index.js";
export { type Estimate, type SimulationSummary, summarize } from "./sim/estimate/estimate.js";
export { RunTotals } from "./sim/estimate/runTotals.js";
export { simConfigFromModel } from "./sim/run/fromModel.js";
export { runSimulation, type SimulationResult } from "./sim/run/scheduler.js";
export { compareMetrics } from "./validate/validate.js";
