/**
 * A programmatic surface for benchmarks and scripts (bundled as dist/api.js): load a
 * model, compute its metrics, simulate it and compare the two, as the CLI does.
 */

export { EvaluationCache } from "./model/evaluationCache.js";
export { loadModel } from "./model/index.js";
export { evaluateMetrics } from "./model/metrics.js";
export { type Estimate, type SimulationSummary, summarize } from "./sim/estimate.js";
export { simConfigFromModel } from "./sim/fromModel.js";
export { runSimulation, type SimulationResult } from "./sim/runner.js";
export { RunTotals } from "./sim/totals.js";
export { compareMetrics } from "./validate/validate.js";
