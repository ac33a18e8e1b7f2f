/**
 * Which files a command reads as models, and reading them (standard input included).
 *
 * - A file named on the command line is a model, whatever it holds (a bad one is an error).
 * - `-` is standard input (at most 128 KiB, counted as it is read).
 * - A directory is searched recursively for `.yaml`, `.yml` and `.json`, skipping hidden
 *   entries and node_modules, not following symbolic links to directories. A file found
 *   there is a model only when it has a top-level `mqrel:` key: a Kubernetes manifest or
 *   a package.json beside the models is skipped, not reported as a broken model.
 * - `--exclude GLOB` (repeatable) drops matching files and prunes matching directories:
 *   a pattern without a slash matches a name anywhere (`--exclude '*.draft.yaml'`), one
 *   with a slash matches the path as found (`--exclude 'test/**'`).
 * - A file named twice (or found twice) is read once.
 */
import { closeSync, constants, type Dirent, openSync, readdirSync, readSync, realpathSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import picomatch from "picomatch";
import { InputError } from "../common/errors.js";
import { printable } from "../common/text.js";
import {
  decodeModelBytes,
  fileErrorMessage,
  formatBytes,
  looksLikeModel,
  MAX_MODEL_BYTES,
  type Model,
  type Override,
  parseModelText,
  type ResolveOptions,
  readModelFile,
  resolveModel,
  type SourceFile,
  STDIN_NAME,
} from "../model/index.js";
import { writeWarnings } from "./output.js";
import type { InputStream, Terminal } from "./terminal.js";

const MODEL_EXTENSIONS: ReadonlySet<string> = new Set([".yaml", ".yml", ".json"]);

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

export interface ModelPaths {
  /** the files to read as models, in the order given (directories sorted), each once */
  readonly files: readonly string[];
  /** files found in directories and left out, with why (shown by --verbose) */
  readonly skipped: readonly SkippedFile[];
}

export interface ExpandOptions {
  /** glob patterns of files and directories to leave out */
  readonly exclude?: readonly string[];
}

/** Model files named on the command line: files as given, directories searched recursively (sorted). */
export function expandModelPaths(paths: readonly string[], options: ExpandOptions = {}): ModelPaths {
  const excluded = excluder(options.exclude ?? []);
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const identity = file === "-" ? "-" : realPath(file);
    if (seen.has(identity)) return;
    seen.add(identity);
    files.push(file);
  };
  for (const path of paths) {
    let isDirectory = false;
    if (path !== "-") {
      try {
        isDirectory = statSync(path).isDirectory();
      } catch {
        // a missing file is reported by the loader, with its name
      }
    }
    if (isDirectory) walk(path, excluded, add, skipped);
    else if (excluded(path)) skipped.push({ file: path, reason: "excluded by --exclude" });
    else add(path);
  }
  return { files, skipped };
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function excluder(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  const matchers = patterns.map((pattern) => {
    const clean = pattern.replace(/^\.\//, "").replace(/\/+$/, "");
    return picomatch(clean, { dot: true, basename: !clean.includes("/") });
  });
  return (path) => {
    const clean = path.replace(/^\.\//, "");
    return matchers.some((matches) => matches(clean));
  };
}

function walk(directory: string, excluded: (path: string) => boolean, add: (file: string) => void, skipped: SkippedFile[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    throw new InputError(fileErrorMessage(error, "directory"), { file: directory });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(directory, entry.name);
    if (excluded(path)) {
      if (entry.isDirectory() || MODEL_EXTENSIONS.has(extname(entry.name))) skipped.push({ file: path, reason: "excluded by --exclude" });
      continue;
    }
    if (entry.isDirectory()) {
      walk(path, excluded, add, skipped);
      continue;
    }
    if (!MODEL_EXTENSIONS.has(extname(entry.name))) continue;
    const kind = entryKind(entry, path);
    if (kind !== "file") {
      skipped.push({ file: path, reason: kind });
      continue;
    }
    const sniffed = sniff(path);
    if (sniffed === "model") add(path);
    else skipped.push({ file: path, reason: sniffed });
  }
}

function entryKind(entry: Dirent, path: string): "file" | string {
  if (entry.isFile()) return "file";
  if (entry.isSymbolicLink()) {
    try {
      const target = statSync(path);
      if (target.isFile()) return "file";
      return target.isDirectory() ? "a symbolic link to a directory (not followed)" : "a symbolic link to something other than a file";
    } catch {
      return "a broken symbolic link";
    }
  }
  return "not a regular file";
}

/**
 * Is a file found in a directory a model? Reads at most MAX_MODEL_BYTES + 1 bytes of it. A file that
 * cannot be read is handed to the loader, which reports why.
 */
function sniff(path: string): "model" | string {
  let head: string;
  try {
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const buffer = Buffer.alloc(MAX_MODEL_BYTES + 1);
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, length).toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return "model";
  }
  if (head.trim() === "") return "empty";
  return looksLikeModel(head) ? "model" : "no top-level mqrel: key (not an mqrel model)";
}

/**
 * Read standard input as a model file's text: at most {@link MAX_MODEL_BYTES}, counted as it arrives.
 *
 * @throws InputError when there is no standard input or it is too long
 */
export async function readStandardInput(stdin: InputStream | undefined): Promise<SourceFile> {
  if (stdin === undefined) throw new InputError("standard input cannot be read here", { file: STDIN_NAME });
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    length += bytes.length;
    if (length > MAX_MODEL_BYTES) {
      throw new InputError(`standard input holds more than ${formatBytes(MAX_MODEL_BYTES)}; a model may be at most that`, {
        file: STDIN_NAME,
      });
    }
    chunks.push(bytes);
  }
  return parseModelText(decodeModelBytes(Buffer.concat(chunks), STDIN_NAME), STDIN_NAME);
}

/**
 * A loader for the files of one command line: `-` is read from standard input once
 * (before anything else), every other name from disk when it is loaded. A model's
 * warnings (plain numbers read as hours) go to stderr as it is loaded.
 */
export async function modelLoader(
  files: readonly string[],
  terminal: Terminal,
  options: ResolveOptions = {},
): Promise<(file: string, overrides?: readonly Override[]) => Model> {
  const stdin = files.includes("-") ? await readStandardInput(terminal.stdin).catch((error: unknown) => error) : undefined;
  return (file, overrides = []) => {
    let model: Model;
    if (file !== "-") model = resolveModel(readModelFile(file), overrides, options);
    else if (stdin instanceof Error || stdin === undefined) throw stdin ?? new InputError("no standard input", { file: STDIN_NAME });
    else model = resolveModel(stdin as SourceFile, overrides, options);
    writeWarnings(terminal, model.warnings);
    return model;
  };
}

/** "no model files" — with what was skipped, so a directory of other YAML says why. */
export function noModels(paths: readonly string[], skipped: readonly SkippedFile[]): InputError {
  const why = skipped.length > 0 ? `; ${skipped.length === 1 ? "1 file" : `${skipped.length} files`} skipped (--verbose lists them)` : "";
  return new InputError(`no mqrel model files (.yaml, .yml or .json with a top-level mqrel: key) found${why}`, { path: paths.join(" ") });
}

/** With --verbose: one stderr line per skipped file. */
export function reportSkipped(terminal: Terminal, skipped: readonly SkippedFile[]): void {
  for (const { file, reason } of skipped) terminal.stderr.write(`${terminal.err.dim("skipped:")} ${printable(file)}: ${reason}\n`);
}
