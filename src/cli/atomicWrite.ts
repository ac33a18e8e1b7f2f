import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.js";

/**
 * Write a whole file or nothing: write a temporary file beside it, then rename it into
 * place, so that a crash or a bad input never leaves half a report behind.
 */
export function writeFileAtomically(path: string, content: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot write the output file (${code ?? String(error)})`, { file: path, path: "--output" });
  }
}
