/** What `mqrel import` reads and writes (docs/import.md). */

/** One file named on the command line, read by the caller. */
export interface ImportFile {
  /** the path as the user gave it */
  readonly file: string;
  readonly text: string;
}

/** A written model and what the import had to decide (each one line for stderr). */
export interface ImportResult {
  /** the model, YAML text with its comments */
  readonly text: string;
  /** decisions worth a line on stderr: values merged, things left out */
  readonly notes: readonly string[];
}
