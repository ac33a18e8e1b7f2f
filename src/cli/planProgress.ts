/**
 * Progress of a planning command (sweep, solve, sensitivity) on stderr: which point is
 * being computed, how many came before it (of how many, when known) and the time so far,
 * as one line rewritten in place — "sweep: point 8 of 9 · cluster.nodes=8 · 6 s". A point
 * of a large cluster under maintenance takes seconds, and a sweep over node counts many.
 *
 * Only for the human formats (never with --json or --format json/csv), and not with
 * `--quiet`. On a terminal (stderr a TTY, not TERM=dumb) the line is cleared when the
 * command is done, so it leaves nothing behind. Elsewhere (a pipe, a CI log) a long sweep
 * must not look hung, so it shows life as `simulate` does (src/cli/progress.ts): one plain
 * line every 10 s (MQREL_PROGRESS_SECONDS), the first after that long, so a command that
 * ends sooner prints nothing (docs/planning.md says so). Points are computed one after the
 * other without yielding, so a line is written between points, not during one.
 */

import { printable } from "../common/text.js";
import type { PointListener } from "../plan/evaluate.js";
import { formatDuration, plainEverySeconds } from "./progress.js";
import type { Terminal } from "./terminal.js";

/** ANSI: carriage return, then erase the whole line */
const CLEAR_LINE = "\r\u001b[2K";

export interface PlanProgress {
  /** the evaluator's listener (undefined: no progress shown) */
  readonly listener: PointListener | undefined;
  /** clear the line (call when the command is done, or fails) */
  stop(): void;
}

export function planProgress(terminal: Terminal, command: string, humanFormat: boolean, total?: number, quiet = false): PlanProgress {
  if (!humanFormat || quiet) return { listener: undefined, stop() {} };
  const started = performance.now();
  if (terminal.stderr.isTTY !== true || terminal.env.TERM === "dumb") return plainLines(terminal, command, started, total);
  let shown = false;
  const width = Math.max(20, (terminal.stderr.columns ?? 80) - 1);
  return {
    listener: ({ done, label }) => {
      const count = total !== undefined ? `point ${Math.min(done + 1, total)} of ${total}` : `point ${done + 1}`;
      const elapsed = formatDuration((performance.now() - started) / 1000);
      // the label holds field paths, which may hold a failure mode's key from the model
      const line = `${command}: ${label === undefined ? "the model as given" : `${count} · ${printable(label)}`} · ${elapsed}`;
      terminal.stderr.write(`${CLEAR_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    },
    stop() {
      if (shown) terminal.stderr.write(CLEAR_LINE);
      shown = false;
    },
  };
}

/** Where the line cannot be rewritten: a plain line every few seconds (see the file's comment). */
function plainLines(terminal: Terminal, command: string, started: number, total: number | undefined): PlanProgress {
  const every = plainEverySeconds(terminal.env);
  let last = 0;
  return {
    listener: ({ done, label }) => {
      const now = (performance.now() - started) / 1000;
      if (now - last < every) return;
      last = now;
      const count = total !== undefined ? `${done} of ${total} points done` : `${done} point${done === 1 ? "" : "s"} done`;
      const current = label === undefined ? "the model as given" : printable(label);
      terminal.stderr.write(`${command}: ${count}, now ${current}, ${formatDuration(now)} elapsed\n`);
    },
    stop() {},
  };
}
