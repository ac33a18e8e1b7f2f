import type { ChalkInstance } from "chalk";
import Table from "cli-table3";

/**
 * A cli-table3 table that obeys our colour policy: cli-table3 colours its borders and
 * headers even when piped, unless its styles are emptied (node-ecosystem.md §2.6).
 * `lastColumnWidth` wraps a long last column (a method, a note) at that width while the
 * other columns size themselves.
 */
export function makeTable(
  chalk: ChalkInstance,
  head: readonly string[],
  options: { colWidths?: number[]; wordWrap?: boolean; lastColumnWidth?: number } = {},
): Table.Table {
  const coloured = chalk.level > 0;
  const colWidths =
    options.colWidths ??
    (options.lastColumnWidth !== undefined ? [...head.slice(0, -1).map(() => null), options.lastColumnWidth] : undefined);
  return new Table({
    head: head.map((h) => (coloured ? chalk.bold(h) : h)),
    style: { head: [], border: coloured ? ["grey"] : [], compact: true },
    wordWrap: options.wordWrap ?? true,
    ...(colWidths ? { colWidths: colWidths as number[] } : {}),
  });
}
