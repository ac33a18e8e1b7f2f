/**
 * Text from users (model names, descriptions, file names, thresholds, expressions) made
 * safe to print in human formats: one line, no terminal control, nothing a CI log reads
 * as a command. JSON needs none of this (JSON.stringify escapes control characters);
 * JUnit and GitHub annotations have their own escaping.
 *
 * Imports nothing of mqrel's.
 */

// C0 controls (newline, tab, ESC …), DEL, C1 controls, the Unicode line and paragraph
// separators, and the bidirectional overrides that can reorder what a reader sees
// ("Trojan source").
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with every control character written as an escape (`\n`, `\x1b`, `\u2028`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const named = NAMED[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * Text placed at the start of an output line: printable, and quoted when it would read as
 * a GitHub Actions workflow command (`::error …`, `##[group]`) in a CI log.
 */
export function lineStart(text: string): string {
  const shown = printable(text);
  return /^\s*(::|##\[)/.test(shown) ? JSON.stringify(shown) : shown;
}

/**
 * A copy of `value` with every string in it — in arrays, plain objects and Maps, keys
 * included — made {@link printable} (or passed through `show`): what a human renderer gets, so that no model text
 * (a name, a failure mode's key, a refusal's reason) reaches the terminal raw, however
 * deep in a result it sits. Numbers, booleans and other objects are kept; an object
 * reached twice is copied once (renderers compare entries by identity).
 */
export function printableDeep<T>(value: T, show: (text: string) => string = printable): T {
  return copyPrintable(value, new Map(), show) as T;
}

function copyPrintable(value: unknown, seen: Map<object, unknown>, show: (text: string) => string): unknown {
  if (typeof value === "string") return show(value);
  if (value === null || typeof value !== "object") return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(copyPrintable(item, seen, show));
    return copy;
  }
  if (value instanceof Map) {
    const copy = new Map();
    seen.set(value, copy);
    for (const [key, item] of value) copy.set(copyPrintable(key, seen, show), copyPrintable(item, seen, show));
    return copy;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) copy[show(key)] = copyPrintable(item, seen, show);
  return copy;
}

/** SGR colour sequences, which a rendered line may hold (chalk's). */
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * Rendered human output with every line that a CI log would read as a workflow command
 * (`::error …`, `##[group]`, after any indentation or colour) quoted as {@link lineStart}
 * quotes it: model text wrapped or placed at the start of a line cannot become one. Not for
 * `--format github`, whose annotations are meant to be commands.
 */
export function withoutCommands(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const plain = line.replace(SGR, "");
      if (!/^\s*(::|##\[)/.test(plain)) return line;
      // a CSV line keeps its CRLF ending
      return plain.endsWith("\r") ? `${JSON.stringify(plain.slice(0, -1))}\r` : JSON.stringify(plain);
    })
    .join("\n");
}
