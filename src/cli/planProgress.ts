/**
 * Progress of a planning command (sweep, solve, sensitivity) on stderr: which point is
 * being computed, how many came before it (of how many, when known) and the time so far,
 * as one line rewritten in place — "sweep: point 8 of 9 · cluster.nodes=8 · 6 s". A point
 * of a large cluster under maintenance takes seconds, and a sweep over node counts many.
 *
 * Only on a terminal (stderr a TTY, not TERM=dumb) and only for the human formats: never
 * with --json or --format json/csv, never in a pipe or a CI log. The line is cleared when
 * the command is done, so it leaves nothing behind. Points are computed one after the
 * other without yielding, so the line changes between points, not during one.
 */

import { printable } from "../common/text.js";
import type { PointListener } from "../plan/evaluate.js";
import { formatDuration } from "./progress.js";
import type { Terminal } from "./terminal.js";

/** ANSI: carriage return, then erase the whole line */
const CLEAR_LINE = "\r\u001b[2K";

export interface PlanProgress {
  /** the evaluator's listener (undefined: no progress shown) */
  readonly listener: PointListener | undefined;
  /** clear the line (call when the command is done, or fails) */
  stop(): void;
}

export function planProgress(terminal: Terminal, command: string, humanFormat: boolean, total?: number): PlanProgress {
  if (!humanFormat || terminal.stderr.isTTY !== true || terminal.env.TERM === "dumb") return { listener: undefined, stop() {} };
  const started = performance.now();
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
