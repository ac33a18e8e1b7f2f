/**
 * What every command that prints results shares: `--format` with `--json` as its alias,
 * `--output FILE` (`-`: standard output) written atomically, the width human output is
 * fitted to, and the model options `--set` and `--strict-units`.
 */
import { Option } from "commander";
import { InputError } from "../common/errors.js";
import { printable } from "../common/text.js";
import type { Place } from "../model/types.js";
import { DEFAULT_WIDTH } from "../report/table.js";
import { refuseOutputOverInput, writeFileAtomically } from "./atomicWrite.js";
import type { Terminal } from "./terminal.js";

/** One JSON document on stdout (JSON.stringify writes Infinity and NaN as null). */
export function writeJson(terminal: Terminal, value: unknown): void {
  terminal.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Collect a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--format <format>` with its choices, and `--json`, its alias for `--format json`. */
export function formatOptions(choices: readonly string[], fallback: string): Option[] {
  return [
    new Option("-f, --format <format>", "output format").choices(choices as string[]).default(fallback),
    new Option("--json", "the same as --format json"),
  ];
}

/** The format asked for: `--json` wins unless `--format` says something else explicitly. */
export function chosenFormat(options: { format?: string; json?: boolean }, formatGivenExplicitly: boolean): string {
  if (options.json) {
    if (formatGivenExplicitly && options.format !== "json") {
      throw new InputError(`--json and --format ${options.format} ask for two formats; give one`, { path: "--json" });
    }
    return "json";
  }
  return options.format ?? "table";
}

export function outputOption(): Option {
  return new Option("-o, --output <file>", "write the result to a file, atomically (- : standard output)");
}

export function modelOptions(): Option[] {
  return [
    new Option("--set <path=value>", "override a field for this run, e.g. cluster.nodes=5 or params.hardware_mttr=8h (repeatable)")
      .argParser(collect)
      .default([]),
    new Option("--strict-units", "a plain number for a time or a rate is an error (default: a warning; it reads as hours or per hour)"),
  ];
}

/** What a command reads, for the guard that its --output is not one of them. */
export interface Inputs {
  readonly files: readonly string[];
  /** "one of the model files being checked" */
  readonly what: string;
}

/**
 * Refuse an --output that is one of the command's inputs, before any work is done (the
 * write checks again): see refuseOutputOverInput.
 */
export function checkOutput(output: string | undefined, inputs: Inputs): void {
  if (output !== undefined) refuseOutputOverInput(output, { flag: "--output", inputs: inputs.files, what: inputs.what });
}

/** Write a command's result: to the --output file (atomically; never over an input), or to standard output. */
export function writeResult(terminal: Terminal, output: string | undefined, text: string, inputs: Inputs): void {
  if (output === undefined || output === "-") terminal.stdout.write(text);
  else writeFileAtomically(output, text, { flag: "--output", inputs: inputs.files, what: inputs.what });
}

/** Is the result going to a file (no colour, no terminal width)? */
export function toFile(output: string | undefined): boolean {
  return output !== undefined && output !== "-";
}

/**
 * The width human output is fitted to: COLUMNS when set, else the terminal's width,
 * else 80 (a pipe, a file, a CI log).
 */
export function outputWidth(terminal: Terminal, output?: string): number {
  const columns = Number.parseInt(terminal.env.COLUMNS ?? "", 10);
  if (Number.isInteger(columns) && columns > 0) return columns;
  if (!toFile(output) && terminal.stdout.isTTY === true && terminal.stdout.columns !== undefined && terminal.stdout.columns > 0) {
    return terminal.stdout.columns;
  }
  return DEFAULT_WIDTH;
}

/** `file:line:col: path: ` for a message about a place in a model. */
export function formatPlace(place: Place): string {
  const line = place.line !== undefined ? `:${place.line}${place.column !== undefined ? `:${place.column}` : ""}` : "";
  return `${place.file}${line}: ${place.path}: `;
}

/** A model's warnings (plain numbers read as hours), one line each on stderr. */
export function writeWarnings(terminal: Terminal, warnings: readonly { place: Place; message: string }[]): void {
  for (const warning of warnings) {
    terminal.stderr.write(`${terminal.err.yellow("warning:")} ${printable(`${formatPlace(warning.place)}${warning.message}`)}\n`);
  }
}
