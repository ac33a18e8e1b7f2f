/**
 * Reading a model file: what may be read (a regular file, or standard input), how much
 * (at most 1 MiB, counted as it is read), its encoding, and YAML (JSON is a subset) with
 * line and column for every node, so that every later error can point at its line.
 *
 * Hostile files are refused, not survived: a FIFO, a device or /dev/zero is not read; a
 * file that grows past the limit ({@link MAX_MODEL_BYTES}) while it is read is cut off
 * and refused; YAML aliases
 * expand to at most {@link MAX_VALUES} values (no "billion laughs"); nesting stops at
 * {@link MAX_DEPTH}; duplicate keys are found in one pass (the YAML library's own check
 * is quadratic: 50 000 keys took 38 s); `__proto__` is refused as a key.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync, type Stats, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { InputError } from "../common/errors.js";
import { closestName } from "../common/suggest.js";

/**
 * Model files larger than this are refused: real models are a few kilobytes, and the
 * YAML parser needs up to ~5 s per MiB for dense flow collections (bench: 1 MiB of
 * `[{a: 1}, …]` took 5.4 s on a 2-core machine), so 128 KiB keeps every file it reads
 * well under a second.
 */
export const MAX_MODEL_BYTES = 128 * 1024;
/** Values in one model, aliases expanded: real models have a few dozen. */
export const MAX_VALUES = 100_000;
/** Nesting of mappings and lists: a model needs four levels. */
export const MAX_DEPTH = 64;

/** The name standard input goes by in messages (`mqrel eval -`). */
export const STDIN_NAME = "<stdin>";

export interface SourceFile {
  /** the path as the user gave it */
  readonly file: string;
  /** plain data (objects, arrays, numbers, strings); objects hold only their own keys, never `__proto__` */
  readonly data: unknown;
  /** line and column (1-based) of the value at a path, or of its nearest ancestor */
  locate(path: readonly (string | number)[]): { line: number; column: number } | undefined;
  /** line and column of the *key* of a mapping entry (for unknown-field errors) */
  locateKey(path: readonly (string | number)[]): { line: number; column: number } | undefined;
  /** the source text of a number at a path ("0.999999999999999"), to keep its exact decimal complement */
  numberText(path: readonly (string | number)[]): string | undefined;
}

const FILE_KINDS: readonly [keyof Stats, string][] = [
  ["isDirectory", "a directory"],
  ["isFIFO", "a FIFO (named pipe)"],
  ["isCharacterDevice", "a character device"],
  ["isBlockDevice", "a block device"],
  ["isSocket", "a socket"],
];

function kindOf(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  for (const [test, name] of FILE_KINDS) if ((stats[test] as () => boolean).call(stats)) return name;
  return "not a regular file";
}

/** The words for a failed file operation, from its errno code. */
export function fileErrorMessage(error: unknown, what = "file"): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return what === "file" ? "no such file" : `no such ${what}`;
    case "EACCES":
    case "EPERM":
      return `permission denied: cannot read the ${what}`;
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "ENAMETOOLONG":
      return "the path is too long";
    case "EISDIR":
      return `is a directory, expected a model ${what}`;
    default:
      return `cannot read the ${what} (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

/**
 * For a model path that does not exist, the closest existing one: the nearest file name
 * in its folder (`models/defualt.yaml` → `models/default.yaml`, `default.yml` →
 * `default.yaml`), or, when the folder itself is missing, the nearest folder beside it
 * (`model/default.yaml` → `models/default.yaml`). Undefined when nothing is close.
 */
export function nearbyFile(file: string): string | undefined {
  const entries = (dir: string): string[] => {
    try {
      return readdirSync(dir === "" ? "." : dir);
    } catch {
      return [];
    }
  };
  const dir = dirname(file);
  const name = basename(file);
  const inFolder = closestName(name, entries(dir));
  if (inFolder !== undefined) return join(dir, inFolder);
  if (dir === "." || dir === "/" || file.endsWith("/")) return undefined;
  const folder = closestName(basename(dir), entries(dirname(dir)));
  if (folder === undefined) return undefined;
  const moved = join(dirname(dir), folder, name);
  if (existsSync(moved)) return moved;
  const near = closestName(name, entries(join(dirname(dir), folder)));
  return near === undefined ? undefined : join(dirname(dir), folder, near);
}

/** "128 KiB", "10.0 MiB" */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

function tooLarge(bytes: number | undefined): string {
  const size = bytes === undefined ? `more than ${formatBytes(MAX_MODEL_BYTES)}` : formatBytes(bytes);
  return `file is ${size}; a model file may be at most ${formatBytes(MAX_MODEL_BYTES)}`;
}

/**
 * Read at most {@link MAX_MODEL_BYTES} of a regular file. Anything else (a directory, a
 * FIFO that would block, a device that never ends) is refused before it is opened.
 *
 * @throws InputError
 */
export function readModelBytes(file: string): Buffer {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    throw new InputError(
      fileErrorMessage(error),
      { file },
      (error as NodeJS.ErrnoException).code === "ENOENT" ? nearbyFile(file) : undefined,
    );
  }
  const kind = kindOf(stats);
  if (kind !== undefined) throw new InputError(`is ${kind}, expected a model file (a regular file, or - for standard input)`, { file });
  if (stats.size > MAX_MODEL_BYTES) throw new InputError(tooLarge(stats.size), { file });
  let fd: number;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since the stat, open does not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new InputError(fileErrorMessage(error), { file });
  }
  try {
    const opened = fstatSync(fd);
    const swapped = kindOf(opened);
    if (swapped !== undefined) throw new InputError(`is ${swapped}, expected a model file`, { file });
    // Count what is read, whatever the size said: the file may grow while it is read.
    const buffer = Buffer.alloc(MAX_MODEL_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_MODEL_BYTES) throw new InputError(tooLarge(undefined), { file });
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(fileErrorMessage(error), { file });
  } finally {
    closeSync(fd);
  }
}

/** Read, check and parse one model file. @throws InputError */
export function readModelFile(file: string): SourceFile {
  return parseModelText(decodeModelBytes(readModelBytes(file), file), file);
}

/** UTF-8 text from a model's bytes (a file's, or standard input's). @throws InputError */
export function decodeModelBytes(bytes: Uint8Array, file: string): string {
  if (bytes.length > MAX_MODEL_BYTES) throw new InputError(tooLarge(bytes.length), { file });
  const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (utf16) throw new InputError("is UTF-16 text; save it as UTF-8", { file });
  if (bytes.includes(0)) throw new InputError("is a binary file (it contains NUL bytes), expected YAML or JSON text", { file });
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError("is not UTF-8 text, expected YAML or JSON", { file });
  }
}

type Path = readonly (string | number)[];

/** Path → text key for the position tables. */
const keyOf = (path: Path) => path.join("\u0000");

export function parseModelText(text: string, file: string): SourceFile {
  if (text.trim() === "")
    throw new InputError("is empty, expected a model (a mapping that starts with `mqrel: 1`)", { file, line: 1, column: 1 });
  const lineCounter = new LineCounter();
  if (file.toLowerCase().endsWith(".json")) checkStrictJson(text, file);
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: true });
  } catch (error) {
    // the YAML parser recurses: thousands of nested brackets exhaust the stack
    if (error instanceof RangeError) throw new InputError(`not valid YAML/JSON: nested more than ${MAX_DEPTH} levels deep`, { file });
    throw error;
  }
  const problem = doc.errors[0];
  if (problem !== undefined) {
    const position = lineCounter.linePos(problem.pos[0]);
    const first = problem.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "invalid YAML";
    const message = /call stack/i.test(first) ? `nested more than ${MAX_DEPTH} levels deep` : first;
    throw new InputError(`not valid YAML/JSON: ${message}`, { file, line: position.line, column: position.col });
  }
  const at = (node: Node | null | undefined) => {
    const start = node?.range?.[0];
    if (start === undefined) return undefined;
    const position = lineCounter.linePos(start);
    return { line: position.line, column: position.col };
  };
  const valuePlaces = new Map<string, { line: number; column: number }>();
  const keyPlaces = new Map<string, { line: number; column: number }>();
  const numberTexts = new Map<string, string>();
  const data = toData(doc.contents, file, at, { valuePlaces, keyPlaces, numberTexts });
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new InputError(`expected a mapping of fields (starting with \`mqrel: 1\`), got ${describe(data)}`, { file, line: 1, column: 1 });
  }
  const nearest = (table: ReadonlyMap<string, { line: number; column: number }>, path: Path) => {
    const exact = table.get(keyOf(path));
    if (exact !== undefined) return exact;
    for (let depth = path.length - 1; depth >= 0; depth--) {
      const found = valuePlaces.get(keyOf(path.slice(0, depth)));
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return {
    file,
    data,
    locate: (path) => nearest(valuePlaces, path),
    locateKey: (path) => nearest(keyPlaces, path),
    numberText: (path) => numberTexts.get(keyOf(path)),
  };
}

/**
 * Does this text look like an mqrel model: a mapping with a top-level `mqrel` key? Used
 * to tell models from the other YAML and JSON files in a directory (Kubernetes
 * manifests, package.json). A block mapping has the key at the start of a line; a flow
 * mapping or JSON object (`{ … }`) is parsed to see its keys.
 */
export function looksLikeModel(text: string): boolean {
  if (/^["']?mqrel["']?[ \t]*:/m.test(text)) return true;
  if (!text.trimStart().startsWith("{")) return false;
  try {
    const contents = parseDocument(text, { uniqueKeys: false, prettyErrors: false }).contents;
    return isMap(contents) && contents.items.some((pair) => isScalar(pair.key) && pair.key.value === "mqrel");
  } catch {
    return false;
  }
}

/**
 * One `--set` value read as YAML (`5`, `"30 min"`, `{ rate: 0.1 / year }`), with the
 * same guards as a file; text that is not YAML is kept as it is.
 *
 * @throws InputError (without a file) for a `__proto__` key, an alias bomb or deep nesting
 */
export function parseYamlValue(text: string): unknown {
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { uniqueKeys: false, strict: true, prettyErrors: false });
  } catch {
    return text;
  }
  if (doc.errors.length > 0) return text;
  const tables = { valuePlaces: new Map(), keyPlaces: new Map(), numberTexts: new Map() };
  const value = toData(doc.contents, "", () => undefined, tables);
  return value ?? text;
}

interface Tables {
  readonly valuePlaces: Map<string, { line: number; column: number }>;
  readonly keyPlaces: Map<string, { line: number; column: number }>;
  readonly numberTexts: Map<string, string>;
}

/**
 * The YAML document as plain data, in one pass: aliases resolved to the last anchor
 * before them and counted against {@link MAX_VALUES}, depth bounded, duplicate keys and
 * `__proto__` refused, and the place of every value and key recorded by path.
 */
function toData(
  root: Node | null,
  file: string,
  at: (node: Node | null | undefined) => { line: number; column: number } | undefined,
  tables: Tables,
): unknown {
  const anchors = new Map<string, Node>();
  const expanding = new Set<Node>();
  let values = 0;
  const fail = (node: Node | null | undefined, message: string): never => {
    throw new InputError(message, { file, ...at(node) });
  };
  const convert = (node: Node | null | undefined, path: Path, depth: number, primary: boolean): unknown => {
    if (node === null || node === undefined) return null;
    if (++values > MAX_VALUES) {
      fail(node, `more than ${MAX_VALUES} values, aliases expanded (a model has a few dozen; is this a YAML alias bomb?)`);
    }
    if (depth > MAX_DEPTH) fail(node, `not valid YAML/JSON: nested more than ${MAX_DEPTH} levels deep`);
    const key = keyOf(path);
    const place = at(node);
    if (place !== undefined && !tables.valuePlaces.has(key)) tables.valuePlaces.set(key, place);
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined)
        fail(node, `not valid YAML/JSON: unknown alias *${node.source} (its anchor &${node.source} must come before it)`);
      if (expanding.has(target as Node)) fail(node, `not valid YAML/JSON: alias *${node.source} refers to a value that contains it`);
      expanding.add(target as Node);
      const value = convert(target, path, depth, false);
      expanding.delete(target as Node);
      return value;
    }
    // Anchors count from where they are written; an alias expanded later does not redefine them.
    if (primary && "anchor" in node && typeof node.anchor === "string") anchors.set(node.anchor, node);
    if (isScalar(node)) {
      if (typeof node.value === "number" && typeof node.source === "string" && !tables.numberTexts.has(key)) {
        tables.numberTexts.set(key, node.source.trim());
      }
      return node.value;
    }
    if (isSeq(node)) return node.items.map((item, index) => convert(item as Node, [...path, index], depth + 1, primary));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const seen = new Map<string, Node>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        let resolvedKey = keyNode;
        if (isAlias(keyNode)) resolvedKey = anchors.get(keyNode.source) ?? null;
        if (!isScalar(resolvedKey)) {
          fail(keyNode, `not valid YAML/JSON: a key must be text, got ${resolvedKey === null ? "nothing" : "a mapping or list"}`);
        }
        const name = (resolvedKey as { value: unknown }).value === null ? "" : String((resolvedKey as { value: unknown }).value);
        if (primary && isScalar(keyNode) && typeof keyNode.anchor === "string") anchors.set(keyNode.anchor, keyNode);
        if (name === "__proto__") fail(keyNode, `"__proto__" cannot be a key`);
        const first = seen.get(name);
        if (first !== undefined) {
          fail(keyNode, `not valid YAML/JSON: duplicate key "${name}" (first at line ${at(first)?.line ?? "?"}; keys must be unique)`);
        }
        seen.set(name, keyNode as Node);
        const keyPlace = at(keyNode);
        const childPath = [...path, name];
        if (keyPlace !== undefined && !tables.keyPlaces.has(keyOf(childPath))) tables.keyPlaces.set(keyOf(childPath), keyPlace);
        if (keyPlace !== undefined && !tables.valuePlaces.has(keyOf(childPath)) && (pair.value === null || pair.value === undefined)) {
          tables.valuePlaces.set(keyOf(childPath), keyPlace);
        }
        Object.defineProperty(out, name, {
          value: convert(pair.value as Node | null, childPath, depth + 1, primary),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return fail(node, "not valid YAML/JSON: unexpected node");
  };
  return convert(root, [], 0, true);
}

/** YAML accepts more than JSON does (trailing commas, comments): a .json file must be JSON. */
function checkStrictJson(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : 0;
    const before = text.slice(0, offset).split("\n");
    const line = before.length;
    const column = (before[before.length - 1] ?? "").length + 1;
    const reason =
      error instanceof RangeError
        ? `nested more than ${MAX_DEPTH} levels deep`
        : message.replace(/ in JSON at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)$/, "");
    throw new InputError(`not valid YAML/JSON: ${reason}`, { file, line, column });
  }
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}
