/**
 * The error types of mqrel, one per exit code (docs/design.md §5). Only src/cli/main.ts maps
 * them to exit codes and prints them.
 *
 *   InputError    exit 2  bad input: a model file, a --param, a --set, a threshold, an option
 *   InternalError exit 3  a bug: printed with a "please report" line
 *
 * Bad command lines (unknown command or option, missing argument) are commander's own
 * errors, also exit 2.
 */

import { printable } from "./text.js";

/** An error line longer than this is cut (user text echoed back can be any length). */
const MAX_LINE = 1000;

export interface InputLocation {
  /** the file, as the user named it */
  readonly file?: string;
  /** 1-based line and column */
  readonly line?: number;
  readonly column?: number;
  /** the field path, e.g. "cluster.node.mttr" or "--param mttr" */
  readonly path?: string;
}

/** The exit code of a command stopped by Ctrl-C after printing its partial results: 128 + SIGINT (2), as shells report it. */
export const EXIT_INTERRUPTED = 130;

export class InputError extends Error {
  override name = "InputError";
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly location: InputLocation = {},
    readonly suggestion?: string,
  ) {
    super(message);
  }

  /** One line: `file:line:col: path: message (did you mean "x"?)`, control characters escaped */
  format(): string {
    const { file, line, column, path } = this.location;
    let where = "";
    if (file !== undefined) {
      where = file;
      if (line !== undefined) where += `:${line}${column !== undefined ? `:${column}` : ""}`;
      where += ": ";
    }
    const field = path !== undefined && path !== "" ? `${path}: ` : "";
    const hint = this.suggestion !== undefined ? ` (did you mean "${this.suggestion}"?)` : "";
    const text = printable(`${where}${field}${this.message}${hint}`);
    // a megabyte-long key or name echoed back is no help; keep the line readable
    return text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}… (${text.length - MAX_LINE} more characters)` : text;
  }
}

export class InternalError extends Error {
  override name = "InternalError";
  readonly exitCode = 3;
}
