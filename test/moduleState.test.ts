/**
 * src keeps no mutable module state (vitest.config.ts shares one module cache between
 * test files on that promise, and a cache a caller cannot see is a figure a caller cannot
 * explain): no module-level `let` or `var`, and no module-level Map, Set, WeakMap, WeakSet
 * or empty array unless typed read-only. Caches are objects owned and passed by their
 * caller (EvaluationCache, ClusterSolveCache). The few exceptions are listed with why.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

/** file (under src/) and name → why this module state is there */
const ALLOWED: Readonly<Record<string, string>> = {
  // built on first use and never changed after: mathjs's parser costs ~100 ms to build
  "expr/expression.ts parser": "the lazily built expression parser",
  // a worker thread's entry point: the state of the simulation this thread is running
  "sim/run/worker.ts current": "a worker thread's own simulation",
  // threads live as long as the process (terminating one mid-compile crashes Node 20)
  "sim/run/scheduler.ts pool": "the process-wide pool of simulation worker threads",
  "sim/run/scheduler.ts poolFile": "the worker script the pool was started from",
};

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/**
 * A module-level declaration is one written at the start of a line (biome indents every
 * nested one): `let`/`var`, or a `const` holding a new collection or an empty array
 * without a read-only type.
 */
const LET = /^(?:export )?(let|var) (\w+)/;
const COLLECTION = /^(?:export )?const (\w+)(?:: ([^=]+))? = (new (?:Map|Set|WeakMap|WeakSet|Array)\b|\[\])/;
const READONLY_TYPE = /^(?:ReadonlyMap|ReadonlySet|ReadonlyArray|readonly )/;

/** The mutable module state declared in a file's text: "name: why" for each. */
function mutableState(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split("\n")) {
    const letMatch = LET.exec(line);
    if (letMatch) found.push(`${letMatch[2]}: ${letMatch[1]}`);
    const collection = COLLECTION.exec(line);
    if (collection && !READONLY_TYPE.test(collection[2]?.trim() ?? "")) {
      found.push(`${collection[1]}: ${collection[3] === "[]" ? "an empty array" : collection[3]}`);
    }
  }
  return found;
}

function moduleState(): string[] {
  return sourceFiles(SRC).flatMap((path) =>
    mutableState(readFileSync(path, "utf8"))
      .map((state) => `${relative(SRC, path)} ${state}`)
      .filter((state) => ALLOWED[state.slice(0, state.indexOf(":"))] === undefined),
  );
}

describe("module state in src/", () => {
  it("when src/ is read then no module keeps mutable state beyond the listed exceptions", () => {
    expect(moduleState()).toEqual([]);
  });

  it("when a module-level let or a Map is written then the check sees it", () => {
    // the check itself, on text written for it (a check that can never fail proves nothing)
    const text = [
      "let a = 1;",
      "const b = new Map<string, number>();",
      "const c: ReadonlyMap<string, number> = new Map();",
      "export const d: number[] = [];",
      "const e = [1];",
      "function f() {",
      "  let g = 0;",
      "  const h = new Set();",
      "}",
      "export let i = 2;",
    ].join("\n");
    expect(mutableState(text)).toEqual(["a: let", "b: new Map", "d: an empty array", "i: let"]);
  });
});
