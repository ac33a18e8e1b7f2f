import { main } from "../../src/cli/main.js";
import { makeTerminal, type OutputStream } from "../../src/cli/terminal.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(columns?: number): OutputStream & { text: string } {
  const stream = {
    text: "",
    ...(columns !== undefined ? { columns } : {}),
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

/** Run mqrel in this process (no spawn, no build): colour off, streams captured. */
export async function run(args: readonly string[], columns = 100): Promise<RunResult> {
  const stdout = capture(columns);
  const stderr = capture();
  const code = await main(args, makeTerminal({ stdout, stderr }, { NO_COLOR: "1", COLUMNS: String(columns) }, process.cwd()));
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Run and parse stdout as JSON, failing with stderr when the command did not succeed. */
export async function runJson(args: readonly string[], expectedCode = 0): Promise<ReturnType<typeof JSON.parse>> {
  const r = await run(args);
  if (r.code !== expectedCode) throw new Error(`exit ${r.code} (expected ${expectedCode}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
