import type { ChalkInstance } from "chalk";
import Table from "cli-table3";

/**
 * A cli-table3 table that obeys our colour policy: cli-table3 colours its borders and
 * headers even when piped, unless its styles are emptied (node-ecosystem.md §2.6).
 */
export function makeTable(
  chalk: ChalkInstance,
  head: readonly string[],
  options: { colWidths?: number[]; wordWrap?: boolean } = {},
): Table.Table {
  const coloured = chalk.level > 0;
  return new Table({
    head: head.map((h) => (coloured ? chalk.bold(h) : h)),
    style: { head: [], border: coloured ? ["grey"] : [], compact: true },
    wordWrap: options.wordWrap ?? true,
    ...(options.colWidths ? { colWidths: options.colWidths } : {}),
  });
}
