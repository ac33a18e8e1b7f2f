/**
 * Run the CLI in this process: `main(argv, terminal)` from src/cli/main.ts with in-memory
 * stdout/stderr (not terminals, 100 columns) and the environment `{NO_COLOR: "1"}` plus
 * what a test adds. Returns what the spawn helper (cli.ts) returns, so a test reads the
 * same either way; only test/e2e spawns the built bin/mqrel.js.
 *
 * Model paths are read relative to process.cwd() (the commands hand them to node:fs as
 * given, and print them as given), so this insists on being run from the repository root,
 * which is where vitest runs. It also fails a test that leaves process-wide state behind:
 * a SIGINT listener or process.exitCode.
 */
import { main } from "../../src/cli/main.js";
import { makeTerminal, type OutputStream } from "../../src/cli/terminal.js";
import { type CliResult, ROOT } from "./cli.js";

export type { CliResult } from "./cli.js";

function memoryStream(columns: number): OutputStream & { text: string } {
  const stream = {
    text: "",
    isTTY: false,
    columns,
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

export async function runCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; columns?: number } = {}): Promise<CliResult> {
  if (process.cwd() !== ROOT.replace(/\/$/, "")) {
    throw new Error(`runCli must run from the repository root (${ROOT}), not ${process.cwd()}: model paths are relative to it`);
  }
  const stdout = memoryStream(options.columns ?? 100);
  const stderr = memoryStream(options.columns ?? 100);
  const sigintListeners = process.listenerCount("SIGINT");
  const exitCode = process.exitCode;
  const status = await main(args, makeTerminal({ stdout, stderr }, { NO_COLOR: "1", ...options.env }, process.cwd()));
  if (process.listenerCount("SIGINT") !== sigintListeners) {
    throw new Error(`mqrel ${args.join(" ")} left ${process.listenerCount("SIGINT") - sigintListeners} SIGINT listener(s) behind`);
  }
  if (process.exitCode !== exitCode) throw new Error(`mqrel ${args.join(" ")} set process.exitCode to ${process.exitCode}`);
  return { status, stdout: stdout.text, stderr: stderr.text };
}
