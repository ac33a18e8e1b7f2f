/** Capacity planning: sweeps, solves, sensitivity and what the downtime is made of. What the CLI and renderers need. */
export { type Contribution, type Contributors, commonCauseFloor, contributors, type Mechanism } from "./contributors.js";
export { Evaluator, type MetricReading } from "./evaluate.js";
export { type Perturbation, parseBy, type SensitivityResult, type SensitivityRow, sensitivity } from "./sensitivity.js";
export {
  type Binding,
  type Candidate,
  DEFAULT_TOLERANCE,
  GRID_POINTS,
  type SearchSpace,
  type SolveRequest,
  type SolveResult,
  type SolveTarget,
  solve,
  type TargetReading,
} from "./solve.js";
export {
  type ChartScale,
  checkSweepSize,
  type SimulatedReading,
  type SimulateModel,
  type SweepCell,
  type SweepChart,
  type SweepResult,
  type SweepRow,
  simulatedReading,
  simulateSweep,
  sweep,
} from "./sweep.js";
export { parseVariation, type Variation, type VariedValue } from "./vary.js";
