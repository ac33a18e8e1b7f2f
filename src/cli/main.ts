/**
 * The single exit point: builds the program, runs it, and maps every outcome to an
 * exit code (docs/design.md §5): 0 success, 1 an SLO violated or validation disagrees,
 * 2 bad usage or bad input, 3 an internal error (stack trace only with --debug).
 *
 * Nothing here calls process.exit(): it sets process.exitCode and returns, so piped
 * output is never cut short.
 */
import { CommanderError } from "commander";
import { InputError } from "../common/errors.js";
import { printable } from "../common/text.js";
import { buildProgram, type Outcome, VERSION } from "./program.js";
import { makeTerminal, type Terminal } from "./terminal.js";

export async function main(argv: readonly string[], terminal: Terminal): Promise<number> {
  const debug = argv.includes("--debug");
  const outcome: Outcome = { exitCode: 0 };
  const program = buildProgram(terminal, outcome);
  try {
    await program.parseAsync(argv as string[], { from: "user" });
    return outcome.exitCode;
  } catch (error) {
    return report(error, terminal, debug);
  }
}

function report(error: unknown, terminal: Terminal, debug: boolean): number {
  const red = terminal.err.red;
  if (error instanceof CommanderError) {
    // `mqrel help`, `mqrel help check`, --help and --version succeed
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) return 0;
    // commander has already printed its message on stderr (one line, see program.ts)
    return 2;
  }
  if (error instanceof InputError) {
    terminal.stderr.write(`${red("error:")} ${error.format()}\n`);
    return 2;
  }
  // an internal error's message may quote model text (a name, a failure mode's key): one escaped line
  const message = printable(error instanceof Error ? error.message : String(error));
  terminal.stderr.write(
    `${red("internal error:")} ${message}\nThis is a bug in mqrel ${VERSION} (node ${process.version}); please report it with the command line${debug ? "" : " (rerun with --debug for a stack trace)"}.\n`,
  );
  if (debug && error instanceof Error && error.stack) terminal.stderr.write(`${error.stack}\n`);
  return 3;
}

export async function runFromProcess(): Promise<void> {
  // A reader that stops early (`mqrel … | head`) closes the pipe: that is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  // process.stdin is touched only when a model named "-" is read
  const stdin = { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() };
  const terminal = makeTerminal({ stdout: process.stdout, stderr: process.stderr, stdin }, process.env, process.cwd());
  process.exitCode = await main(process.argv.slice(2), terminal);
}
