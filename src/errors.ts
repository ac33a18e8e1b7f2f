/**
 * The error types of mqrel, one per exit code (DESIGN.md §5). Only src/cli/main.ts maps
 * them to exit codes and prints them.
 *
 *   InputError    exit 2  bad input: a model file, a --param, a --set, a threshold
 *   UsageError    exit 2  bad command line (unknown command or option, missing argument)
 *   InternalError exit 3  a bug: printed with a "please report" line
 */

export interface InputLocation {
  /** the file, as the user named it */
  readonly file?: string;
  /** 1-based line and column */
  readonly line?: number;
  readonly column?: number;
  /** the field path, e.g. "cluster.node.mttr" or "--param mttr" */
  readonly path?: string;
}

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

  /** The same error, placed at a file/line/field if it had no place yet. */
  at(location: InputLocation): InputError {
    return new InputError(this.message, { ...location, ...definedOnly(this.location) }, this.suggestion);
  }

  /** One line: `file:line:col: path: message (did you mean "x"?)` */
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
    return `${where}${field}${this.message}${hint}`;
  }
}

function definedOnly(location: InputLocation): InputLocation {
  return Object.fromEntries(Object.entries(location).filter(([, value]) => value !== undefined));
}

export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = 2;
}

export class InternalError extends Error {
  override name = "InternalError";
  readonly exitCode = 3;
}
