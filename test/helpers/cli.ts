import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/mqrel.js", import.meta.url));
const { GITHUB_ACTIONS: _g, GITHUB_STEP_SUMMARY: _s, FORCE_COLOR: _f, ...baseEnv } = process.env;

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  /** settles when the process has exited and its pipes are closed */
  readonly closed: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/**
 * Start the built CLI as users run it, `node bin/mqrel.js …`, from the repo root, colour
 * off (NO_COLOR=1, no FORCE_COLOR or CI variables inherited). For test/e2e only: the other
 * CLI tests run in-process (runCli.ts).
 */
export function startCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] } = {}): RunningCli {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    cwd: ROOT,
    env: { ...baseEnv, NO_COLOR: "1", ...options.env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const closed = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, closed };
}

/**
 * Resolves with the first complete line of `stream` that matches `pattern` and passes
 * `accept`; rejects if the stream ends first. A test waits on this for the process to
 * reach a state (a readiness event) instead of sleeping: on a slow machine it only waits
 * longer, and vitest's test timeout is the bound.
 */
export function waitForLine(
  stream: Readable,
  pattern: RegExp,
  accept: (match: RegExpMatchArray) => boolean = () => true,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let pending = "";
    const onData = (chunk: string | Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const match = line.match(pattern);
        if (match && accept(match)) {
          stream.off("data", onData).off("end", onEnd);
          resolve(match);
          return;
        }
      }
    };
    const onEnd = () => reject(new Error(`the stream ended before a line matching ${pattern}`));
    stream.on("data", onData).on("end", onEnd);
  });
}

/** Run the built CLI to its end (see startCli). */
export async function mqrel(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const { status, stdout, stderr } = await startCli(args, { env }).closed;
  return { status, stdout, stderr };
}

/** Bad input: exit 2, exactly one line on stderr, no stack trace, nothing on stdout. */
export function expectOneLineError(result: CliResult): string {
  const lines = result.stderr.trimEnd().split("\n");
  if (result.status !== 2 || lines.length !== 1 || /\n\s+at /.test(result.stderr) || result.stdout !== "") {
    throw new Error(`expected exit 2 with one line on stderr, got ${result.status}:\n${result.stderr}\nstdout: ${result.stdout}`);
  }
  return lines[0] as string;
}
