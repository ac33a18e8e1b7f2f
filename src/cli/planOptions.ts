/** What the planning commands (sweep, solve, sensitivity, report) share on the command line. */
import { InputError } from "../errors.js";
import { isMetricId, METRIC_IDS, type MetricId } from "../metrics/index.js";
import type { Model } from "../model/index.js";
import type { SimulateModel } from "../plan/index.js";
import { closestName } from "../suggest.js";
import { parseSimulationOptions, runModelSimulation, type SimulationOptions } from "./simulationRun.js";
import type { Terminal } from "./terminal.js";

/** A metric id from the command line. @throws InputError with the closest id */
export function parseMetricId(text: string, flag = "--metric"): MetricId {
  if (isMetricId(text)) return text;
  throw new InputError(`unknown metric "${text}"; expected one of ${METRIC_IDS.join(", ")}`, { path: flag }, closestName(text, METRIC_IDS));
}

/** The model's simulation, one model at a time, with the command's simulation options. */
export function modelSimulator(terminal: Terminal, options: SimulationOptions): SimulateModel {
  return async (model: Model) => {
    const parsed = parseSimulationOptions(options, model);
    const { result, interrupted } = await runModelSimulation(terminal, model, parsed);
    return { summary: result.summary, interrupted };
  };
}

export const METRIC_LIST = METRIC_IDS.join(", ");
