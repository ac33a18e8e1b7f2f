/** Model fields: the registry, its entry types, and how to look a path up in it. */
export { FIELDS, type FieldEntry, fieldAt, fieldDefault, fieldSpec, isNumeric, knownKeysAt, NAMED_VALUES, pathSegments } from "./lookup.js";
export { ATTEMPTS_SEARCH_CAP, MAX_PARTITIONS, MAX_SITES, MODEL_FIELDS, PLACEMENTS } from "./registry.js";
export type {
  BlockSpec,
  CountSpec,
  Dimension,
  Direction,
  FieldKind,
  FieldSpec,
  FlagSpec,
  IncludeSpec,
  ListSpec,
  ProbabilitySpec,
  QuantitySpec,
  RawExpr,
  RawOf,
  RecordSpec,
  SetsSpec,
  TextSpec,
  ThresholdSpec,
  VersionSpec,
  WordSpec,
} from "./spec.js";
