/**
 * `mqrel init`: writes a commented starting model (src/model/starter.ts) whose figures
 * are the presets'. With any of --system, --brokers, --replication, --zones it asks
 * nothing; without them it asks on a terminal (standard input and output both TTYs) and
 * otherwise writes the defaults and says so. --out never replaces a file without --force.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option } from "commander";
import { EXIT_INTERRUPTED, InputError, InternalError } from "../common/errors.js";
import { closestName } from "../common/suggest.js";
import { printable } from "../common/text.js";
import { fieldSpec } from "../fields/index.js";
import type { PresetReader, StarterChoice, System } from "../model/starter.js";
import { writeFileAtomically } from "./atomicWrite.js";
import type { Terminal } from "./terminal.js";

/** The choices `init` asks for; what the flags did not give. */
export interface InitAnswers {
  readonly system: System;
  readonly brokers: number;
  readonly replication: number;
  readonly zones: number;
}

/** Asks the questions on a terminal; tests hand in their own. */
export interface Prompter {
  /** may init ask (standard input and output are terminals)? */
  interactive(terminal: Terminal): boolean;
  /** ask, each question with its default; `defaults(system)` gives the preset's figures for a system */
  ask(defaults: (system: System) => { replication: number; zones: number }, terminal: Terminal): Promise<InitAnswers>;
}

interface InitOptions {
  system?: string;
  brokers?: string;
  replication?: string;
  zones?: string;
  name?: string;
  out?: string;
  force?: boolean;
}

/** The system a model is for when none is named. */
const DEFAULT_SYSTEM: System = "generic";

/**
 * The package's root (package.json and models/ beside it), found from this module: the
 * bundle's chunk in dist/chunks/, or src/cli/ when run from the sources.
 */
function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(directory, "package.json")) && existsSync(join(directory, "models"))) return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new InternalError("mqrel's presets (models/) are not beside its package.json");
    directory = parent;
  }
}

/** A whole number given to a flag, or one line saying what was expected. */
function wholeNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new InputError(`expected a whole number, got "${text}"`, { path: flag });
  return Number.parseInt(text, 10);
}

/** The modeline that points an editor at the shipped schema, when the file can name it for good. */
function modeline(root: string, schemaFile: string, out: string | undefined, cwd: string): string {
  const schema = join(root, schemaFile);
  // a package under the working directory (installed in the project, or this clone) stays
  // where it is; one in npx's cache or a global prefix does not: point to `mqrel schema`
  const stays = !relative(cwd, root).startsWith("..");
  if (!existsSync(schema) || !stays) {
    return "# Editor completion: `mqrel schema --output mqrel-model.schema.json`, then make the first line\n# `# yaml-language-server: $schema=mqrel-model.schema.json` (docs/editors.md).\n";
  }
  const from = out !== undefined ? dirname(resolve(cwd, out)) : cwd;
  const path = relative(from, schema).split(sep).join("/");
  return `# yaml-language-server: $schema=${path.startsWith(".") ? path : `./${path}`}\n`;
}

/**
 * The questions, asked with @inquirer/select and @inquirer/number on the given streams
 * (the process's terminal in use; a test's streams in test/cli/init.test.ts).
 */
export function inquirerPrompter(streams: () => { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; isTTY: boolean }): Prompter {
  return {
    interactive: (terminal) => streams().isTTY && terminal.stdout.isTTY === true,
    async ask(defaults) {
      const [{ default: select }, { default: number }, { SYSTEMS, STARTERS, MAX_BROKERS, MAX_ZONES }] = await Promise.all([
        import("@inquirer/select"),
        import("@inquirer/number"),
        import("../model/starter.js"),
      ]);
      const { input, output } = streams();
      const context = { input, output };
      const system = await select<System>(
        {
          message: "Which system?",
          choices: SYSTEMS.map((value) => ({ value, name: value, description: STARTERS[value].title })),
          default: DEFAULT_SYSTEM,
        },
        context,
      );
      const preset = defaults(system);
      const ask = async (message: string, fallback: number, min: number, max: number): Promise<number> =>
        (await number({ message, default: fallback, min, max, step: 1, required: true }, context)) ?? fallback;
      const brokers = await ask("How many brokers?", preset.replication, 1, MAX_BROKERS);
      const replication = await ask("Replicas of each queue, partition or stream?", Math.min(preset.replication, brokers), 1, brokers);
      const zones = await ask("Availability zones (or racks)?", Math.min(preset.zones, brokers), 1, Math.min(MAX_ZONES, brokers));
      return { system, brokers, replication, zones };
    },
  };
}

/** The process's terminal: asks only when standard input and output are both TTYs (process.stdin is touched only here). */
const terminalPrompter: Prompter = inquirerPrompter(() => ({
  input: process.stdin,
  output: process.stdout,
  isTTY: process.stdin.isTTY === true,
}));

export function initCommand(terminal: () => Terminal, setExitCode: (code: number) => void, prompter: Prompter = terminalPrompter): Command {
  return new Command("init")
    .description("write a commented starting model for Kafka, RabbitMQ, NATS, Pulsar or a generic cluster, its figures from the presets")
    .addOption(new Option("--system <system>", "kafka, rabbitmq, nats, pulsar or generic (default: generic)"))
    .addOption(new Option("--brokers <n>", "brokers (nodes) in the cluster (default: the replication)"))
    .addOption(new Option("--replication <n>", "replicas of each queue, partition or stream (default: the preset's, at most the brokers)"))
    .addOption(
      new Option("--zones <n>", "availability zones or racks, brokers spread round-robin (default: the preset's, at most the brokers)"),
    )
    .addOption(new Option("--name <name>", "the model's name (default: system, brokers and replication)"))
    .addOption(new Option("-o, --out <file>", "write the model to this file (default: standard output)"))
    .addOption(new Option("--force", "replace the --out file if it exists"))
    .addHelpText(
      "after",
      `
Brokers equal to the replication give one replica set (a queue, a partition, a stream)
with its message path; more brokers give a fleet of partitions spread over them. Every
figure (failure rates, repair times, thresholds) is a preset's from models/; the model
says which. With none of --system, --brokers, --replication, --zones, init asks on a
terminal, and otherwise writes the defaults and says so.

Examples:
  $ mqrel init --system kafka --brokers 6 --replication 3 --out my.yaml
  $ mqrel init --system rabbitmq --replication 3 --zones 3 --out rabbit.yaml
  $ mqrel init --system nats > nats.yaml
  $ mqrel init`,
    )
    .action(async (options: InitOptions) => {
      const t = terminal();
      const [{ readModelFile, parseModelText, resolveModel }, starter, { SCHEMA_FILE }] = await Promise.all([
        import("../model/index.js"),
        import("../model/starter.js"),
        import("../model/jsonSchema.js"),
      ]);
      let system: System | undefined;
      if (options.system !== undefined) {
        const known: readonly string[] = starter.SYSTEMS;
        if (!known.includes(options.system)) {
          throw new InputError(
            `unknown system "${options.system}"; expected ${starter.SYSTEMS.join(", ")}`,
            { path: "--system" },
            closestName(options.system, starter.SYSTEMS),
          );
        }
        system = options.system as System;
      }
      const given = {
        brokers: wholeNumber("--brokers", options.brokers),
        replication: wholeNumber("--replication", options.replication),
        zones: wholeNumber("--zones", options.zones),
      };
      if (options.name !== undefined) {
        // the registry's bounds of a model's name, so that the model written loads
        const spec = fieldSpec(["name"]);
        const [least, most] =
          spec?.kind === "text" ? [spec.minLength ?? 0, spec.maxLength ?? Number.POSITIVE_INFINITY] : [0, Number.POSITIVE_INFINITY];
        if (options.name.length < least || options.name.length > most) {
          throw new InputError(`expected a name of ${least} to ${most} characters, got ${options.name.length}`, { path: "--name" });
        }
      }
      if (options.out !== undefined && options.out !== "-" && existsSync(options.out) && options.force !== true) {
        throw new InputError("exists; give --force to replace it", { file: options.out, path: "--out" });
      }

      const root = packageRoot();
      const presetFiles = new Set(readdirSync(join(root, "models")));
      const read: PresetReader = (preset) => {
        const file = `${preset}.yaml`;
        if (!presetFiles.has(file)) throw new InternalError(`the preset models/${file} is missing from the package`);
        return readModelFile(join(root, "models", file)).data as Record<string, unknown>;
      };
      const defaults = (s: System) => starter.starterDefaults(s, read);

      let answers: InitAnswers;
      const flagged = system !== undefined || Object.values(given).some((value) => value !== undefined);
      if (!flagged && prompter.interactive(t)) {
        try {
          answers = await prompter.ask(defaults, t);
        } catch (error) {
          if (error instanceof Error && error.name === "ExitPromptError") {
            t.stderr.write("init: interrupted; nothing written\n");
            setExitCode(EXIT_INTERRUPTED);
            return;
          }
          throw error;
        }
      } else {
        const chosen = system ?? DEFAULT_SYSTEM;
        const preset = defaults(chosen);
        // a default never hides a bad flag: derived values stay at least 1, so the flag given is the one refused
        const replication = given.replication ?? Math.max(1, Math.min(preset.replication, given.brokers ?? preset.replication));
        const brokers = given.brokers ?? Math.max(1, replication);
        answers = { system: chosen, brokers, replication, zones: given.zones ?? Math.max(1, Math.min(preset.zones, brokers)) };
        if (!flagged) {
          t.stderr.write(
            `init: no terminal to ask on, and none of --system, --brokers, --replication, --zones given: writing the defaults (--system ${answers.system} --brokers ${answers.brokers} --replication ${answers.replication} --zones ${answers.zones})\n`,
          );
        }
      }

      const problem = starter.choiceProblem(answers);
      if (problem !== undefined) throw new InputError(problem.message, { path: problem.flag });
      const choice: StarterChoice = { ...answers, ...(options.name !== undefined ? { name: options.name } : {}) };
      const text = modeline(root, SCHEMA_FILE, options.out, t.cwd) + starter.starterText(choice, read);
      // what init writes must load: read it back as eval would (a failure here is a bug)
      const where = options.out ?? "<init>";
      try {
        resolveModel(parseModelText(text, where));
      } catch (error) {
        throw new InternalError(`the starting model does not load: ${error instanceof InputError ? error.format() : String(error)}`);
      }
      if (options.out === undefined || options.out === "-") {
        t.stdout.write(text);
        return;
      }
      writeFileAtomically(options.out, text, { flag: "--out", inputs: [], what: "an input" });
      t.stderr.write(`wrote ${printable(options.out)}; next: mqrel eval ${printable(options.out)}\n`);
    });
}
