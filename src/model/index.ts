/** Model files: load, validate, resolve. What the next layer up needs, nothing more. */
import { readModelFile } from "./load.js";
import { type Override, type ResolveOptions, resolveModel } from "./resolve.js";
import type { Model } from "./types.js";

export { SINGLE_SET_METRICS } from "./fleet.js";
export {
  decodeModelBytes,
  fileErrorMessage,
  formatBytes,
  looksLikeModel,
  MAX_MODEL_BYTES,
  parseModelText,
  readModelBytes,
  readModelFile,
  type SourceFile,
  STDIN_NAME,
} from "./load.js";
export type { RegionsModel, SiteModel } from "./regions.js";
export { type Override, type ResolveOptions, resolveModel } from "./resolve.js";
export type * from "./types.js";

/** Read, validate and resolve one model file. @throws InputError */
export function loadModel(file: string, overrides: readonly Override[] = [], options: ResolveOptions = {}): Model {
  return resolveModel(readModelFile(file), overrides, options);
}
