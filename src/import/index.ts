/** `mqrel import`: a model from the configuration a cluster already has (docs/import.md). */
import { InputError } from "../common/errors.js";
import { closestName } from "../common/suggest.js";
import type { PresetReader } from "./document.js";
import { importKafka } from "./kafka.js";
import { importNats } from "./nats.js";
import { importRabbitmq } from "./rabbitmq.js";
import type { ImportFile, ImportResult } from "./types.js";

export type { PresetReader } from "./document.js";
export type { ImportFile, ImportResult } from "./types.js";

const IMPORTERS: Record<string, (files: readonly ImportFile[], read: PresetReader, name: string) => ImportResult> = {
  kafka: importKafka,
  rabbitmq: importRabbitmq,
  nats: importNats,
};

/** The systems `mqrel import` reads. */
export const IMPORT_SYSTEMS: readonly string[] = Object.keys(IMPORTERS);

/**
 * @param system kafka, rabbitmq or nats
 * @param name the written model's `name:`
 * @throws InputError on an unknown system, a file that is not the format, contradictory input
 */
export function importModel(system: string, files: readonly ImportFile[], read: PresetReader, name: string): ImportResult {
  const importer = IMPORTERS[system];
  if (importer === undefined || !Object.hasOwn(IMPORTERS, system)) {
    throw new InputError(
      `unknown system "${system}"; expected ${IMPORT_SYSTEMS.join(", ")}`,
      { path: "import" },
      closestName(system, IMPORT_SYSTEMS),
    );
  }
  return importer(files, read, name);
}
