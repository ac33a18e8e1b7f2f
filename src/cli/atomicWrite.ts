import { chmodSync, chownSync, lstatSync, realpathSync, renameSync, rmSync, type Stats, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../common/errors.js";

/** What a command writes to, and what it reads: the output must not be one of its inputs. */
export interface OutputGuard {
  /** the option that names the output (`--output`, `--out`) */
  readonly flag: string;
  /** the files the command reads (`-`, standard input, is never a file) */
  readonly inputs: readonly string[];
  /** what an input is, for the message: "one of the model files being checked" */
  readonly what: string;
}

/** The file itself (device and inode, through any symbolic link), or undefined when there is none yet. */
function identity(path: string): string | undefined {
  try {
    const stats = statSync(path);
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Refuse an output that is one of the command's inputs: `report m.yaml --out m.yaml` would
 * replace the model with its report. The files themselves are compared, so `m.yaml`,
 * `./m.yaml`, an absolute path, a symbolic link and a hard link to it are all the same file;
 * an output that does not exist yet is fine, and `-` is standard output.
 *
 * @throws InputError naming the flag and the input
 */
export function refuseOutputOverInput(output: string, guard: OutputGuard): void {
  if (output === "-") return;
  const target = identity(output);
  if (target === undefined) return;
  for (const input of guard.inputs) {
    if (input !== "-" && identity(input) === target)
      throw new InputError(`is ${guard.what} (${input}); choose another file`, { file: output, path: guard.flag });
  }
}

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
 * Nor is one of the command's inputs ({@link refuseOutputOverInput}).
 *
 * @returns the path written (the link's target for a symbolic link)
 * @throws InputError naming the guard's flag
 */
export function writeFileAtomically(path: string, content: string, guard: OutputGuard): string {
  const flag = guard.flag;
  const where = { file: path, path: flag };
  refuseOutputOverInput(path, guard);
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
