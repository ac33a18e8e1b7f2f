/**
 * `mqrel import kafka|rabbitmq|nats FILES… [--out model.yaml] [--force]`: read the
 * configuration files, build the model (src/import/), check that it loads, write it
 * (atomically, never over an existing file without --force) or print it.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option } from "commander";
import { InputError, InternalError } from "../common/errors.js";
import { printable } from "../common/text.js";
import {
  decodeModelBytes,
  fileErrorMessage,
  formatBytes,
  MAX_MODEL_BYTES,
  parseModelText,
  readModelBytes,
  resolveModel,
} from "../model/index.js";
import { writeFileAtomically } from "./atomicWrite.js";
import type { InputStream, Terminal } from "./terminal.js";

/** Configuration files larger than this are refused (a describe output of 10 000 partitions is about 1 MiB). */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** A configuration file's text: a regular file, UTF-8, at most MAX_CONFIG_BYTES. */
function readConfigFile(file: string): string {
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new InputError("is not a regular file; expected a configuration file", { file });
    size = stats.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(fileErrorMessage(error), { file });
  }
  if (size > MAX_CONFIG_BYTES)
    throw new InputError(`is ${formatBytes(size)}; a configuration file may be at most ${formatBytes(MAX_CONFIG_BYTES)}`, { file });
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(fileErrorMessage(error), { file });
  }
  return decodeConfig(bytes, file);
}

function decodeConfig(bytes: Buffer, file: string): string {
  if (bytes.includes(0)) throw new InputError("is a binary file (it contains NUL bytes); expected a text configuration file", { file });
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new InputError("is not UTF-8 text; expected a configuration file", { file });
  }
}

/**
 * The presets folder, models/, beside the package root (the code may sit in src/cli, dist or
 * dist/chunks); a preset is read through the model loader's guards (a regular file, at most
 * a model's size, UTF-8).
 */
function presetReader(): (name: string) => string {
  const here = dirname(fileURLToPath(import.meta.url));
  const folder = [join(here, "..", "..", "models"), join(here, "..", "models")].find((dir) => existsSync(join(dir, "default.yaml")));
  if (folder === undefined) throw new InternalError("the presets folder (models/) is missing from the installation");
  return (name) => {
    const file = join(folder, `${name}.yaml`);
    return decodeModelBytes(readModelBytes(file), file);
  };
}

/** Standard input (`-`) as text, at most MAX_CONFIG_BYTES, counted as it arrives. */
async function readStandardInput(stdin: InputStream | undefined): Promise<string> {
  if (stdin === undefined) throw new InputError("standard input cannot be read here", { file: "-" });
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    length += bytes.length;
    if (length > MAX_CONFIG_BYTES) throw new InputError(`standard input holds more than ${formatBytes(MAX_CONFIG_BYTES)}`, { file: "-" });
    chunks.push(bytes);
  }
  return decodeConfig(Buffer.concat(chunks), "-");
}

export function importCommand(terminal: () => Terminal): Command {
  return new Command("import")
    .description(
      "build a model from a cluster's own configuration (Kafka server.properties and topic descriptions, a RabbitMQ definitions export, NATS stream info)",
    )
    .argument("<system>", "kafka, rabbitmq or nats")
    .argument("<files...>", "the configuration files (- : standard input)")
    .addOption(new Option("-o, --out <file>", "write the model to this file (default: standard output)"))
    .addOption(new Option("--force", "overwrite the --out file if it exists"))
    .addHelpText(
      "after",
      `
Examples:
  $ mqrel import kafka server.properties topics.txt --out kafka.yaml     (topics.txt: kafka-topics.sh --describe)
  $ mqrel import rabbitmq definitions.json --out rabbitmq.yaml          (rabbitmqctl export_definitions)
  $ mqrel import nats orders.json --out nats.yaml                       (nats stream info ORDERS --json)
  $ kafka-topics.sh --bootstrap-server kafka:9092 --describe | mqrel import kafka server.properties - --out kafka.yaml

Values the files cannot give (failure rates, repair times, elections) come from the
presets in models/ and are marked "# default: not in the config" in the model.`,
    )
    .action(async (system: string, files: string[], options: { out?: string; force?: boolean }) => {
      const t = terminal();
      const { importModel } = await import("../import/index.js");
      const out = options.out;
      if (out !== undefined && out !== "-" && existsSync(out) && options.force !== true) {
        throw new InputError("exists; --force overwrites it", { file: out, path: "--out" });
      }
      if (files.filter((file) => file === "-").length > 1)
        throw new InputError("standard input (-) is named twice; it can be read once", { path: "-" });
      const stdin = files.includes("-") ? await readStandardInput(t.stdin) : "";
      const inputs = files.map((file) => ({ file, text: file === "-" ? stdin : readConfigFile(file) }));
      const name = out === undefined || out === "-" ? `${system}-import` : basename(out, extname(out));
      const result = importModel(system, inputs, presetReader(), name);
      const written = out ?? "<stdout>";
      const bytes = Buffer.byteLength(result.text);
      if (bytes > MAX_MODEL_BYTES) {
        throw new InputError(
          `the model would be ${formatBytes(bytes)}, above the ${formatBytes(MAX_MODEL_BYTES)} a model file may be; import fewer topics or queues`,
          {
            file: written,
          },
        );
      }
      // the model must load as written: a failure here is input beyond a model's limits (brokers, zones)
      resolveModel(parseModelText(result.text, written));
      for (const note of result.notes) t.stderr.write(`${t.err.dim("note:")} ${printable(note)}\n`);
      if (out === undefined || out === "-") t.stdout.write(result.text);
      else {
        writeFileAtomically(out, result.text, { flag: "--out", inputs: files, what: "one of the files being imported" });
        t.stderr.write(`wrote ${printable(out)}; next: mqrel eval ${printable(out)}\n`);
      }
    });
}
