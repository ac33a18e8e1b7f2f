/** What the planning commands (sweep, solve, sensitivity, report) share on the command line. */
import { METRIC_IDS } from "../metrics/index.js";
import type { Model } from "../model/index.js";
import type { SimulateModel } from "../plan/index.js";
import { parseSimulationOptions, runModelSimulation, type SimulationOptions } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

/** A metric id from the command line. @throws InputError with the closest id */
export { parseMetricId } from "./metricOption.js";

/** The model's simulation, one model at a time, with the command's simulation options. */
export function modelSimulator(terminal: Terminal, options: SimulationOptions): SimulateModel {
  return async (model: Model) => {
    const parsed = parseSimulationOptions(options, model);
    const { result, interrupted } = await runModelSimulation(terminal, model, parsed);
    return { summary: result.summary, interrupted };
  };
}

export const METRIC_LIST = METRIC_IDS.join(", ");
