import type { Terminal } from "./terminal.js";

/** One JSON document on stdout (JSON.stringify writes Infinity and NaN as null). */
export function writeJson(terminal: Terminal, value: unknown): void {
  terminal.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Collect a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
