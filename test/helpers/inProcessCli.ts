/**
 * The whole CLI run in-process through `main(argv, terminal)`, with captured streams:
 * no process is spawned, so a test costs milliseconds. Model paths are relative to the
 * repository root (vitest's working directory).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { makeTerminal, type OutputStream } from "../../src/cli/terminal.js";

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** standard input, for a model named "-" */
  readonly stdin?: string | Buffer | AsyncIterable<Uint8Array>;
  /** stdout is a terminal of this many columns */
  readonly columns?: number;
  /** stderr is a terminal of this many columns */
  readonly stderrColumns?: number;
}

function capture(columns?: number): OutputStream & { text: string } {
  const stream = {
    text: "",
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
    ...(columns !== undefined ? { isTTY: true, columns } : {}),
  };
  return stream;
}

/** Run `mqrel …argv` in this process; colour off unless the env says otherwise. */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<Ran> {
  const stdout = capture(options.columns);
  const stderr = capture(options.stderrColumns);
  const input = options.stdin;
  const stdin =
    input === undefined
      ? undefined
      : typeof input === "string" || Buffer.isBuffer(input)
        ? (async function* () {
            yield Buffer.from(input);
          })()
        : input;
  const terminal = makeTerminal({ stdout, stderr, ...(stdin ? { stdin } : {}) }, { NO_COLOR: "1", ...options.env }, process.cwd());
  const code = await main(argv, terminal);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * Bad input: exit 2, exactly one line on stderr, no stack trace, nothing on stdout (but
 * `check`, which still reports the models it could read, may print its report). Returns
 * the stderr line.
 */
export function expectInputError(ran: Ran, options: { report?: boolean } = {}): string {
  const lines = ran.stderr.trimEnd().split("\n");
  if (ran.code !== 2 || lines.length !== 1 || /\n\s+at /.test(ran.stderr) || (ran.stdout !== "" && !options.report)) {
    throw new Error(
      `expected exit 2 with one line on stderr and nothing on stdout, got ${ran.code}:\n${ran.stderr}\nstdout: ${ran.stdout.slice(0, 500)}`,
    );
  }
  return lines[0] as string;
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "mqrel-hostile-"));
}
