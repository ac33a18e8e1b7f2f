import { chmodSync, chownSync, lstatSync, realpathSync, renameSync, rmSync, type Stats, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../common/errors.js";

/**
 * Write a whole file or nothing: write a temporary file beside it, then rename it into
 * place, so that a crash or a bad input never leaves half a report behind.
 *
 * Only a regular file (or a new one) is written:
 * - a device, a FIFO, a socket or a directory at the path is refused — renaming over
 *   `/dev/null` as root would turn it into a regular file;
 * - a symbolic link is followed: its target is replaced atomically and the link stays
 *   (a dangling link is refused);
 * - an existing file keeps its permissions (and, when run as root, its owner).
 *
 * @returns the path written (the link's target for a symbolic link)
 * @throws InputError naming `flag` (`--output` unless said otherwise)
 */
export function writeFileAtomically(path: string, content: string, flag = "--output"): string {
  const where = { file: path, path: flag };
  let target = path;
  let existing: Stats | undefined;
  try {
    const link = lstatSync(path);
    if (link.isSymbolicLink()) {
      try {
        target = realpathSync(path);
      } catch {
        throw new InputError(`is a symbolic link to nothing; ${flag} writes a regular file, or follows a link to one`, where);
      }
    }
    existing = statSync(target);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw new InputError(`cannot write the output file (${code ?? String(error)})`, where);
  }
  if (existing !== undefined && !existing.isFile()) {
    const kind = existing.isDirectory()
      ? "a directory"
      : existing.isFIFO()
        ? "a FIFO"
        : existing.isCharacterDevice() || existing.isBlockDevice()
          ? "a device"
          : "not a regular file";
    throw new InputError(`is ${kind}; ${flag} writes only a regular file (or a new one); use ${flag} - for standard output`, where);
  }
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(temporary, content, { flag: "wx", mode: existing ? existing.mode & 0o777 : 0o666 });
    if (existing !== undefined) {
      chmodSync(temporary, existing.mode & 0o7777);
      if (process.getuid?.() === 0) {
        try {
          chownSync(temporary, existing.uid, existing.gid);
        } catch {
          // keep root's ownership if the owner cannot be restored (a read-only attribute, a foreign uid map)
        }
      }
    }
    renameSync(temporary, target);
    return target;
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot write the output file (${code ?? String(error)})`, where);
  }
}
