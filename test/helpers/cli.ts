import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/mqrel.js", import.meta.url));
const { GITHUB_ACTIONS: _g, GITHUB_STEP_SUMMARY: _s, FORCE_COLOR: _f, ...baseEnv } = process.env;
/** The environment a spawned CLI gets: this one without colour forcing or CI variables, and NO_COLOR=1. */
export const SPAWN_ENV: NodeJS.ProcessEnv = { ...baseEnv, NO_COLOR: "1" };

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI as users do: `node bin/mqrel.js …`, colour off, from the repo root (test/e2e only; the rest runs in-process: runCli.ts). */
export function mqrel(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    cwd: options.cwd ?? ROOT,
    timeout: 60_000,
    env: { ...SPAWN_ENV, ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Bad input: exit 2, exactly one line on stderr, no stack trace, nothing on stdout. */
export function expectOneLineError(result: CliResult): string {
  const lines = result.stderr.trimEnd().split("\n");
  if (result.status !== 2 || lines.length !== 1 || /\n\s+at /.test(result.stderr) || result.stdout !== "") {
    throw new Error(`expected exit 2 with one line on stderr, got ${result.status}:\n${result.stderr}\nstdout: ${result.stdout}`);
  }
  return lines[0] as string;
}
