import type { ChalkInstance } from "chalk";
import Table from "cli-table3";
import stringWidth from "string-width";
import { printable, withoutCommands } from "../common/text.js";

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

/** The width human output is fitted to when nothing says otherwise (a pipe, a CI log). */
export const DEFAULT_WIDTH = 80;
/** Narrower than this, nothing is readable; tables are fitted to at least this. */
export const MIN_WIDTH = 40;

/** A table cell: text (escaped for printing here), with a colour applied line by line. */
export type Cell = string | { readonly text: string; readonly style?: (line: string) => string };

export interface Column {
  readonly header: string;
  /** may wrap onto several lines when the table is too wide (free text, not numbers) */
  readonly wrap?: boolean;
  /** narrowest the column may wrap to (default 10) */
  readonly min?: number;
  /** may break a word that is wider than the column (formulas, long ids); default: never */
  readonly breakWords?: boolean;
}

const cellText = (cell: Cell): string => printable(typeof cell === "string" ? cell : cell.text);
const cellStyle = (cell: Cell): ((line: string) => string) => (typeof cell === "string" ? (line) => line : (cell.style ?? ((l) => l)));

/** Display width of a text's widest line (wide and combining characters counted as a terminal shows them). */
export function displayWidth(text: string): number {
  let widest = 0;
  for (const line of text.split("\n")) widest = Math.max(widest, stringWidth(line));
  return widest;
}

/** After these a word may break when it must (a formula, a path, a `name=value`). */
const SOFT_AFTER: ReadonlySet<string> = new Set([",", ";", "=", "·", "/", ")", "]", "}", ".", "_", "−", "-", "+", "^", "→"]);
/** Before these too. */
const SOFT_BEFORE: ReadonlySet<string> = new Set(["(", "[", "{"]);

/**
 * Where a word too wide for the line should break, within its first `cut` characters:
 * after the last punctuation mark there (`min(initial·` | `multiplier^(i−1),`), so that
 * its parts still read as parts; at `cut` when there is none in the last two thirds.
 */
function breakAt(word: string, cut: number): number {
  for (let i = cut; i > Math.floor(cut / 3); i--) {
    if (SOFT_AFTER.has(word[i - 1] as string) || SOFT_BEFORE.has(word[i] as string)) return i;
  }
  return cut;
}

/**
 * Break text into lines of at most `width` columns: at spaces where it can, inside a word
 * only when the word alone is wider (nothing is cut off or replaced by "…"), and then
 * after a punctuation mark where there is one ({@link breakAt}).
 */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      const candidate = line === "" ? word : `${line} ${word}`;
      if (stringWidth(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line !== "") out.push(line);
      line = "";
      let rest = word;
      while (stringWidth(rest) > width) {
        let cut = width;
        while (cut > 1 && stringWidth(rest.slice(0, cut)) > width) cut--;
        cut = breakAt(rest, cut);
        out.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

/**
 * A table that fits `width` columns of terminal (80 unless the terminal says otherwise):
 * at its natural width when that fits; else the wrapping columns share what the others
 * leave; else, when even that cannot fit, a narrower layout — each row as its first cell
 * followed by one indented `header: value` line per other cell. Every cell is escaped
 * with {@link printable}, so a model name cannot move the cursor or start a new line.
 */
export function renderTable(
  chalk: ChalkInstance,
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  width = DEFAULT_WIDTH,
): string {
  const fitTo = Math.max(MIN_WIDTH, width);
  const texts = rows.map((row) => row.map(cellText));
  const natural = columns.map((column, c) => Math.max(displayWidth(column.header), ...texts.map((row) => displayWidth(row[c] ?? ""))));
  const overhead = 3 * columns.length + 1;
  const total = natural.reduce((a, b) => a + b, 0) + overhead;
  let widths = natural;
  if (total > fitTo) {
    const fixed = natural.reduce((sum, w, c) => sum + (columns[c]?.wrap ? 0 : w), 0);
    const wrapping = columns.map((column, c) => (column.wrap ? c : -1)).filter((c) => c >= 0);
    const room = fitTo - overhead - fixed;
    // Narrowest each wrapping column may go: its longest word (header included), or its
    // declared minimum when that is wider.
    const longest = wrapping.map((c) =>
      Math.min(natural[c] as number, longestWord([columns[c]?.header ?? "", ...texts.map((row) => row[c] ?? "")])),
    );
    const declared = wrapping.map((c) => Math.min(natural[c] as number, columns[c]?.min ?? 10));
    const words = wrapping.map((c, i) =>
      columns[c]?.breakWords ? (declared[i] as number) : Math.max(declared[i] as number, longest[i] as number),
    );
    // A column that may break words still keeps them whole when the room allows it (the
    // formula table split "backoff_multiplier=2" at 80 columns): its floor rises toward its
    // longest word, the widest floors giving way first when they cannot all have it.
    raiseToWords(words, longest, room);
    // Words are not broken: when the longest words do not fit, the narrow layout reads better.
    if (wrapping.length === 0 || room < words.reduce((a, b) => a + b, 0)) return stacked(chalk, columns, rows, texts, fitTo);
    widths = shareRoom(natural, wrapping, words, room);
  }
  const coloured = chalk.level > 0;
  const table = new Table({
    head: columns.map((column, c) =>
      wrapText(column.header, widths[c] as number)
        .map((line) => (coloured ? chalk.bold(line) : line))
        .join("\n"),
    ),
    style: { head: [], border: coloured ? ["grey"] : [], compact: true },
    colWidths: widths.map((w) => w + 2),
    wordWrap: false,
  });
  rows.forEach((row, r) => {
    table.push(
      row.map((cell, c) => {
        const style = cellStyle(cell);
        return wrapText((texts[r] as string[])[c] ?? "", widths[c] as number)
          .map((line) => style(line))
          .join("\n");
      }),
    );
  });
  return table.toString();
}

/**
 * Raise each floor toward `longest` (in place) while the floors' sum stays within
 * `room`: all of them when it fits; otherwise the widest targets are lowered one column at
 * a time (never below the floor) until it does.
 */
function raiseToWords(floors: number[], longest: readonly number[], room: number): void {
  const target = floors.map((floor, i) => Math.max(floor, longest[i] as number));
  let excess =
    target.reduce((a, b) => a + b, 0) -
    Math.max(
      room,
      floors.reduce((a, b) => a + b, 0),
    );
  while (excess > 0) {
    let widest = -1;
    target.forEach((t, i) => {
      if (t > (floors[i] as number) && (widest < 0 || t > (target[widest] as number))) widest = i;
    });
    if (widest < 0) break;
    target[widest] = (target[widest] as number) - 1;
    excess--;
  }
  target.forEach((t, i) => {
    floors[i] = t;
  });
}

function longestWord(texts: readonly string[]): number {
  let longest = 0;
  for (const text of texts) for (const word of text.split(/[ \n]/)) longest = Math.max(longest, stringWidth(word));
  return longest;
}

/**
 * Widths for the wrapping columns: each starts at its floor, and the room left over goes
 * to the columns in proportion to how much wider they would like to be.
 */
function shareRoom(natural: readonly number[], wrapping: readonly number[], floor: readonly number[], room: number): number[] {
  const widths = [...natural];
  const wants = wrapping.map((c, i) => (natural[c] as number) - (floor[i] as number));
  const wanted = wants.reduce((a, b) => a + b, 0);
  let spare = room - floor.reduce((a, b) => a + b, 0);
  wrapping.forEach((c, i) => {
    const extra = wanted === 0 ? 0 : Math.min(wants[i] as number, Math.floor((spare * (wants[i] as number)) / wanted));
    widths[c] = (floor[i] as number) + extra;
  });
  // Hand out what the rounding down left, one column at a time.
  spare -= wrapping.reduce((sum, c, i) => sum + (widths[c] as number) - (floor[i] as number), 0);
  for (const c of wrapping) {
    if (spare <= 0) break;
    if ((widths[c] as number) < (natural[c] as number)) {
      widths[c] = (widths[c] as number) + 1;
      spare--;
    }
  }
  return widths;
}

function stacked(
  chalk: ChalkInstance,
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  texts: readonly string[][],
  width: number,
): string {
  const lines: string[] = [];
  rows.forEach((row, r) => {
    const first = row[0] as Cell;
    for (const line of wrapText((texts[r] as string[])[0] ?? "", width)) lines.push(chalk.bold(cellStyle(first)(line)));
    for (let c = 1; c < columns.length; c++) {
      const text = (texts[r] as string[])[c] ?? "";
      if (text === "") continue;
      const label = `  ${(columns[c] as Column).header || "·"}: `;
      const wrapped = wrapText(text, Math.max(10, width - label.length));
      const style = cellStyle(row[c] as Cell);
      wrapped.forEach((line, i) => {
        lines.push(`${i === 0 ? chalk.dim(label) : " ".repeat(label.length)}${style(line)}`);
      });
    }
  });
  return lines.join("\n");
}

/**
 * Every line of a human report that is wider than `width` wrapped at spaces, its
 * continuation indented two columns more than the line itself (prose sentences, long
 * notes; tables already fit and are left as they are). No line that comes out reads as a
 * CI workflow command ({@link withoutCommands}): wrapping can move model text to the start
 * of a line (a failure mode's key `::error::…` in eval's findings did).
 */
export function fitLines(text: string, width = DEFAULT_WIDTH): string {
  const fitTo = Math.max(MIN_WIDTH, width);
  return quoteCommands(fitOnce(text, fitTo), fitTo);
}

/**
 * Human output with every line that a CI log would read as a workflow command quoted
 * ({@link withoutCommands}), and a quoted line that the quotes and doubled backslashes made
 * wider than `width` wrapped again (eval's hostile findings line grew to 85 columns at 80) —
 * its continuation quoted in turn if it too starts a command. Other lines are left as they
 * are (a table that fits stays whole).
 */
export function quoteCommands(text: string, width = DEFAULT_WIDTH): string {
  const fitTo = Math.max(MIN_WIDTH, width);
  const refit = (line: string, depth: number): string[] => {
    const quoted = withoutCommands(line);
    if (quoted === line || depth === 0) return [quoted];
    if (stringWidth(quoted) <= fitTo) return [quoted];
    return fitOnce(quoted, fitTo)
      .split("\n")
      .flatMap((part) => refit(part, depth - 1));
  };
  return withoutCommands(
    text
      .split("\n")
      .flatMap((line) => refit(line, 4))
      .join("\n"),
  );
}

function fitOnce(text: string, fitTo: number): string {
  return text
    .split("\n")
    .flatMap((line) => {
      if (stringWidth(line) <= fitTo) return [line];
      const indent = " ".repeat((/^ */.exec(line)?.[0].length ?? 0) + 2);
      const [first = "", ...rest] = wrapText(line, fitTo);
      return [first, ...wrapText(rest.join(" "), fitTo - indent.length).map((l) => `${indent}${l}`)];
    })
    .join("\n");
}
