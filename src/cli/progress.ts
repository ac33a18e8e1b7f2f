/**
 * Progress of a long simulation, on stderr:
 * - on a terminal (and not TERM=dumb): a bar with the share of simulated time done and an
 *   ETA from the overall rate (elapsed × remaining / done), written in the units a person
 *   would use ("3 h 20 min", "2 d 4 h");
 * - elsewhere (a CI log): one plain line every {@link PLAIN_EVERY_SECONDS} s, the first
 *   after that long, so that short simulations print nothing and long ones show life
 *   ({@link PROGRESS_SECONDS_VARIABLE} changes the interval);
 * - nothing with --quiet.
 */
import type { Progress } from "../sim/run/scheduler.js";
import type { Terminal } from "./terminal.js";

const PLAIN_EVERY_SECONDS = 10;

/**
 * `MQREL_PROGRESS_SECONDS=<s>` (a number ≥ 0; anything else is ignored) sets the interval
 * of the plain progress lines; 0 prints one at every update (about every 200 ms). It
 * makes the start of the simulation observable from outside: a line saying "N of R runs
 * done" with N ≥ 1 means the SIGINT listener is installed and runs have finished, which
 * is what the Ctrl-C test (test/e2e/bin.test.ts) waits for instead of sleeping.
 */
export const PROGRESS_SECONDS_VARIABLE = "MQREL_PROGRESS_SECONDS";

/** The plain lines' interval: {@link PROGRESS_SECONDS_VARIABLE} when valid, else the default. */
export function plainEverySeconds(env: NodeJS.ProcessEnv): number {
  const text = env[PROGRESS_SECONDS_VARIABLE]?.trim();
  const seconds = text ? Number(text) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : PLAIN_EVERY_SECONDS;
}

export interface ProgressReporter {
  update(progress: Progress): void;
  stop(): void;
}

/** A duration in seconds as a person would write it. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "unknown";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min${s % 60 ? ` ${s % 60} s` : ""}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  const days = Math.floor(hours / 24);
  return `${days} d${hours % 24 ? ` ${hours % 24} h` : ""}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export async function progressReporter(terminal: Terminal, totalRuns: number, quiet: boolean): Promise<ProgressReporter> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const eta = (fraction: number) => (fraction > 0 ? (elapsed() * (1 - fraction)) / fraction : Number.POSITIVE_INFINITY);
  if (quiet) return { update() {}, stop() {} };
  if (terminal.stderr.isTTY === true && terminal.env.TERM !== "dumb") {
    const { default: cliProgress } = await import("cli-progress");
    const bar = new cliProgress.SingleBar(
      {
        stream: terminal.stderr as NodeJS.WritableStream,
        format: "simulating [{bar}] {percentage}% | {runs} | ETA {eta_text}",
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1000, 0, { runs: `0/${totalRuns} runs`, eta_text: "…" });
    return {
      update: (p) =>
        bar.update(Math.floor(p.fraction * 1000), {
          runs: p.label ?? `${p.runsDone}/${totalRuns} runs`,
          eta_text: formatDuration(eta(p.fraction)),
        }),
      stop: () => bar.stop(),
    };
  }
  const every = plainEverySeconds(terminal.env);
  let lastLine = 0;
  return {
    update: (p) => {
      const now = elapsed();
      if (now - lastLine < every) return;
      lastLine = now;
      terminal.stderr.write(
        `simulating: ${(p.fraction * 100).toFixed(1)}% (${p.label !== undefined ? `${p.label.replace("/", " of ")}` : `${p.runsDone} of ${plural(totalRuns, "run")}`} done), ${formatDuration(now)} elapsed, about ${formatDuration(eta(p.fraction))} left\n`,
      );
    },
    stop() {},
  };
}
