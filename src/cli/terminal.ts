/**
 * The terminal an invocation talks to: its streams, environment and colour policy.
 *
 * chalk's own detection ignores NO_COLOR and cli-table3 colours even piped output
 * (shared/domain/node-ecosystem.md §2.6), so the policy is ours, per stream:
 *   --color / --no-color  win;
 *   then FORCE_COLOR      (0/false → off, empty/true → level 1, n → min(n, 3));
 *   then NO_COLOR         (non-empty → off);
 *   then TERM=dumb or a stream that is not a TTY → off;
 *   otherwise level 1 (basic 16 colours, safe everywhere).
 */
import { Chalk, type ChalkInstance } from "chalk";

export interface OutputStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Standard input, read only when a model file is named `-`. */
export type InputStream = AsyncIterable<string | Uint8Array>;

export interface Terminal {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** absent: nothing can be read (a model named `-` is then an error) */
  readonly stdin?: InputStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** chalk for stdout and stderr (level 0 when colour is off) */
  readonly out: ChalkInstance;
  readonly err: ChalkInstance;
}

export type ColorChoice = boolean | undefined;

export function colorLevel(stream: OutputStream, env: NodeJS.ProcessEnv, choice: ColorChoice): 0 | 1 | 2 | 3 {
  if (choice !== undefined) return choice ? 1 : 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "0" || force === "false") return 0;
    if (force === "" || force === "true") return 1;
    const level = Number.parseInt(force, 10);
    return Number.isFinite(level) ? (Math.max(0, Math.min(3, level)) as 0 | 1 | 2 | 3) : 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  if (env.TERM === "dumb" || stream.isTTY !== true) return 0;
  return 1;
}

export function makeTerminal(
  streams: { stdout: OutputStream; stderr: OutputStream; stdin?: InputStream },
  env: NodeJS.ProcessEnv,
  cwd: string,
  choice: ColorChoice = undefined,
): Terminal {
  return {
    ...streams,
    env,
    cwd,
    out: new Chalk({ level: colorLevel(streams.stdout, env, choice) }),
    err: new Chalk({ level: colorLevel(streams.stderr, env, choice) }),
  };
}

/** A Terminal whose colour policy is recomputed for an explicit --color/--no-color. */
export function withColorChoice(terminal: Terminal, choice: ColorChoice): Terminal {
  return makeTerminal(
    { stdout: terminal.stdout, stderr: terminal.stderr, ...(terminal.stdin ? { stdin: terminal.stdin } : {}) },
    terminal.env,
    terminal.cwd,
    choice,
  );
}
