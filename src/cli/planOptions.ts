/** What the planning commands (sweep, solve, sensitivity, report) share on the command line. */
import { Option } from "commander";
import { InputError } from "../common/errors.js";
import { METRIC, METRIC_IDS, type MetricId } from "../metrics/index.js";
import { type Model, resolveModel } from "../model/index.js";
import type { Evaluator, SimulateModel, Variation } from "../plan/index.js";
import { writeWarnings } from "./output.js";
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

/** `--strict-units`, as eval and check have it. */
export function strictUnitsOption(): Option {
  return new Option(
    "--strict-units",
    "a plain number for a time or a rate is an error (default: a warning; it reads as hours or per hour)",
  );
}

/**
 * Plain numbers read as hours or per hour — in the model file, a --set, or the values a
 * --vary or --range gives a field — said once on stderr before any point is computed, as
 * eval says them; with --strict-units (the evaluator's), the first is an error (exit 2).
 * The first value of each variation stands for all of them (they share its units).
 *
 * @throws InputError with --strict-units, naming the file's field or the flag
 */
export function checkUnits(terminal: Terminal, evaluator: Evaluator, variations: readonly (readonly [string, Variation])[]): void {
  const warnings = [...evaluator.base().model.warnings];
  for (const [flag, variation] of variations) {
    const first = variation.values[0];
    if (first === undefined || typeof first.value !== "number") continue;
    let model: Model;
    try {
      model = resolveModel(
        evaluator.source,
        [...evaluator.overrides, { path: variation.path, value: first.text, flag }],
        evaluator.options,
      );
    } catch (error) {
      // a first point that is no valid model (1 node for a quorum of 2) is the sweep's to report
      if (error instanceof InputError && !error.message.includes("--strict-units")) continue;
      throw error;
    }
    for (const warning of model.warnings) if (!warnings.some((w) => w.message === warning.message)) warnings.push(warning);
  }
  writeWarnings(terminal, warnings);
}

/** The metric a planning command watches without --metric: a fleet's availability for a fleet model, else the cluster's. */
export function defaultPlanMetric(evaluator: Evaluator): MetricId {
  return evaluator.base().model.fleet !== undefined ? METRIC.fleetAvailability : METRIC.clusterAvailability;
}
