/**
 * The command table. Each command lives in its own file; this only declares them.
 */
import { Command, Option } from "commander";
import { EXIT_INTERRUPTED } from "../common/errors.js";
import { printable } from "../common/text.js";
import { checkCommand } from "./check.js";
import { evalCommand } from "./eval.js";
import { exportCommand } from "./export.js";
import { formulaCommand } from "./formula.js";
import { formulasCommand } from "./formulas.js";
import { importCommand } from "./import.js";
import { initCommand } from "./init.js";
import { mergeCommand } from "./merge.js";
import { reportCommand } from "./report.js";
import { schemaCommand } from "./schema.js";
import { sensitivityCommand } from "./sensitivity.js";
import { simulateCommand } from "./simulate.js";
import { solveCommand } from "./solve.js";
import { sweepCommand } from "./sweep.js";
import { type Terminal, withColorChoice } from "./terminal.js";
import { validateCommand } from "./validate.js";

export const VERSION = "0.1.0";

const EXIT_CODES = `
Exit codes:
  0  success; every SLO met; validation agrees
  1  an SLO is violated (check), validation disagrees under --assume formula (validate),
     no value meets the target (solve), or check found no thresholds (without --allow-empty);
     a validate 'differs' verdict against realistic mechanics is a finding, exit 0
  2  bad usage or bad input (one line on stderr says what and where)
  3  internal error (a bug; --debug prints the stack trace)
  ${EXIT_INTERRUPTED}  interrupted (Ctrl-C) during a simulation; the partial estimates are printed`;

/** What a command decided about the exit code (1: an SLO violated), beside errors. */
export interface Outcome {
  exitCode: number;
}

/**
 * Where commander writes: help to stdout, errors to stderr as ONE line (commander puts
 * its "did you mean" on a second line), with control characters from the command line
 * escaped.
 */
function output(terminal: Terminal) {
  return {
    writeOut: (s: string) => terminal.stdout.write(s),
    writeErr: (s: string) => terminal.stderr.write(s),
    outputError: (s: string, write: (s: string) => void) => write(`${terminal.err.red(printable(s.trim().replace(/\s*\n\s*/g, " ")))}\n`),
  };
}

export function buildProgram(baseTerminal: Terminal, outcome: Outcome): Command {
  const program = new Command("mqrel");
  const setExitCode = (code: number) => {
    outcome.exitCode = Math.max(outcome.exitCode, code);
  };
  // The terminal's colour depends on --color/--no-color, known only after parsing.
  const terminal = (): Terminal => {
    const color = program.opts().color as boolean | undefined;
    return withColorChoice(baseTerminal, color);
  };
  program
    .description("How available and how loss-free is your message-queue cluster, really?")
    .version(VERSION, "-V, --version")
    .addOption(new Option("--color", "force colour output"))
    .addOption(new Option("--no-color", "no colour output"))
    .option("--debug", "print stack traces of internal errors")
    .configureOutput(output(baseTerminal))
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      `
Examples:
  $ mqrel formulas
  $ mqrel formula availability.kofn --param k=2 --param n=3 --param a=0.999
  $ mqrel formula availability.parallel --param u=1e-9,1e-9,1e-9 --json
  $ mqrel eval models/default.yaml
  $ mqrel check models/ --format junit --output mqrel-junit.xml
  $ mqrel simulate models/default.yaml --runs 200 --seed 7
  $ mqrel validate models/default.yaml --assume formula
  $ mqrel simulate models/default.yaml --shard 1/4 --out part-1.json  (then: mqrel merge part-*.json)
  $ mqrel sweep models/rabbitmq-quorum-3.yaml --vary cluster.nodes=3..9
  $ mqrel solve models/rabbitmq-quorum-3.yaml --for cluster.nodes --target ">= 0.99999"
  $ mqrel sensitivity models/default.yaml
  $ mqrel report models/default.yaml --simulate --out report.html

${EXIT_CODES}

mqrel help <command> and mqrel <command> --help show each command's options and examples.`,
    );
  program.setOptionValueWithSource("color", undefined, "default");
  for (const command of [
    formulasCommand(terminal),
    formulaCommand(terminal),
    evalCommand(terminal),
    checkCommand(terminal, setExitCode),
    simulateCommand(terminal, setExitCode, VERSION),
    mergeCommand(terminal),
    validateCommand(terminal, setExitCode),
    sweepCommand(terminal, setExitCode),
    solveCommand(terminal, setExitCode),
    sensitivityCommand(terminal),
    reportCommand(terminal, setExitCode, VERSION),
    importCommand(terminal),
    schemaCommand(terminal),
    initCommand(terminal, setExitCode),
    exportCommand(terminal),
  ]) {
    command.exitOverride().configureOutput(output(baseTerminal));
    program.addCommand(command);
  }
  return program;
}
