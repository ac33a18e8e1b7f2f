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
