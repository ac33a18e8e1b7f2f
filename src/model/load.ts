/**
 * Reading a model file: size and encoding checks, YAML (JSON is a subset) with line
 * and column for every node, so that every later error can point at its line.
 */
import { readFileSync, statSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { InputError } from "../errors.js";

/** Model files larger than this are refused: real models are a few kilobytes. */
export const MAX_MODEL_BYTES = 1024 * 1024;

export interface SourceFile {
  /** the path as the user gave it */
  readonly file: string;
  /** plain data (objects, arrays, numbers, strings) */
  readonly data: unknown;
  /** line and column (1-based) of the value at a path, or of its nearest ancestor */
  locate(path: readonly (string | number)[]): { line: number; column: number } | undefined;
  /** line and column of the *key* of a mapping entry (for unknown-field errors) */
  locateKey(path: readonly (string | number)[]): { line: number; column: number } | undefined;
  /** the source text of a number at a path ("0.999999999999999"), to keep its exact decimal complement */
  numberText(path: readonly (string | number)[]): string | undefined;
}

export function readModelFile(file: string): SourceFile {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new InputError("is a directory, expected a model file", { file });
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : `cannot read the file (${code ?? String(error)})`, { file });
  }
  if (size > MAX_MODEL_BYTES) {
    throw new InputError(
      `file is ${(size / 1024 / 1024).toFixed(1)} MiB; a model file may be at most ${MAX_MODEL_BYTES / 1024 / 1024} MiB`,
      { file },
    );
  }
  const bytes = readFileSync(file);
  return parseModelText(decode(bytes, file), file);
}

function decode(bytes: Buffer, file: string): string {
  if (bytes.includes(0)) throw new InputError("is a binary file (it contains NUL bytes), expected YAML or JSON text", { file });
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError("is not UTF-8 text, expected YAML or JSON", { file });
  }
}

export function parseModelText(text: string, file: string): SourceFile {
  if (text.trim() === "")
    throw new InputError("is empty, expected a model (a mapping that starts with `mqrel: 1`)", { file, line: 1, column: 1 });
  const lineCounter = new LineCounter();
  if (file.toLowerCase().endsWith(".json")) checkStrictJson(text, file);
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const problem = doc.errors[0];
  if (problem !== undefined) {
    const position = lineCounter.linePos(problem.pos[0]);
    const message = problem.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "invalid YAML";
    throw new InputError(`not valid YAML/JSON: ${message}`, { file, line: position.line, column: position.col });
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new InputError(`expected a mapping of fields (starting with \`mqrel: 1\`), got ${describe(data)}`, { file, line: 1, column: 1 });
  }
  const find = (path: readonly (string | number)[], key: boolean) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const prefix = path.slice(0, depth);
      const node = key && depth === path.length ? keyNode(doc.contents, prefix) : (doc.getIn(prefix, true) as Node | undefined);
      const start = node?.range?.[0];
      if (start !== undefined) {
        const position = lineCounter.linePos(start);
        return { line: position.line, column: position.col };
      }
    }
    return undefined;
  };
  const numberText = (path: readonly (string | number)[]) => {
    const node = doc.getIn(path, true) as Node | undefined;
    if (!isScalar(node) || typeof node.value !== "number" || node.range === undefined || node.range === null) return undefined;
    return text.slice(node.range[0], node.range[1]).trim();
  };
  return { file, data, locate: (path) => find(path, false), locateKey: (path) => find(path, true), numberText };
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
    throw new InputError(
      `not valid YAML/JSON: ${message.replace(/ in JSON at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)$/, "")}`,
      {
        file,
        line,
        column,
      },
    );
  }
}

function keyNode(root: unknown, path: readonly (string | number)[]): Node | undefined {
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) return undefined;
      if (i === path.length - 1) return pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
    } else return undefined;
  }
  return undefined;
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}
