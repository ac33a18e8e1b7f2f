/** Model files: load, validate, resolve. What the next layer up needs, nothing more. */
import { readModelFile } from "./load.js";
import { type Override, resolveModel } from "./resolve.js";
import type { Model } from "./types.js";

export { chainOnlyKeys } from "./clusterModes.js";
export { parseModelText, readModelFile } from "./load.js";
export { type Override, resolveModel } from "./resolve.js";
export type * from "./types.js";

/** Read, validate and resolve one model file. @throws InputError */
export function loadModel(file: string, overrides: readonly Override[] = []): Model {
  return resolveModel(readModelFile(file), overrides);
}
