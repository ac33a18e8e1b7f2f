import { Command, Option } from "commander";
import { findFormula, formulaIds } from "../catalog/index.js";
import { resolveParams, splitAssignment } from "../catalog/resolveParams.js";
import { InputError } from "../common/errors.js";
import { closestName } from "../common/suggest.js";
import { formulaJson, formulaText } from "../report/formulas.js";
import { chosenFormat, collect, formatOptions, outputWidth, writeJson } from "./output.js";
import type { Terminal } from "./terminal.js";

export function formulaCommand(terminal: () => Terminal): Command {
  return new Command("formula")
    .description("compute one formula from the catalog")
    .argument("<id>", "formula id (see `mqrel formulas`)")
    .option("-p, --param <name=value>", "a parameter; repeat for each (lists: comma-separated; units allowed)", collect, [])
    .addOption(formatOptions(["table", "json"], "table")[0] as Option)
    .addOption(new Option("--json", 'the same as --format json: {"id", "params", "value", "complement", …}'))
    .addHelpText(
      "after",
      `
Values are plain numbers, comma-separated lists, or expressions with units:
a plain time is hours and a plain rate is per hour; "4 h", "30 min", "250 ms",
"2 / year", "1000 / s" and "99.99%" say what they mean.

Examples:
  $ mqrel formula availability.kofn --param k=2 --param n=3 --param a=0.999
  $ mqrel formula availability.parallel --param u=1e-9,1e-9,1e-9 --json
  $ mqrel formula availability.node --param mtbf="2 years" --param mttr="4 h"
  $ mqrel formula availability.ctmc -p n=3 -p k=2 -p lambda="0.5 / year" -p mu="1 / (4 h)" -p crews=1
  $ mqrel formula durability.replicated -p q=2 -p lambda="0.2 / year" -p window="30 s"
  $ mqrel formula retry.deadline -p p_success=0.9 -p attempts=5 -p timeout="2 s" -p deadline="30 s"

Formula ids: ${formulaIds().join(", ")}`,
    )
    .action((id: string, options: { param: string[]; json?: boolean; format?: string }, self: Command) => {
      const t = terminal();
      const format = chosenFormat(options, self.getOptionValueSource("format") === "cli");
      const entry = findFormula(id);
      if (entry === undefined) {
        throw new InputError(`unknown formula id "${id}"; see \`mqrel formulas\``, { path: "formula" }, closestName(id, formulaIds()));
      }
      const given = options.param.map((text) => splitAssignment(text, "--param"));
      const params = resolveParams(entry, given);
      const result = entry.compute(params);
      if (format === "json") writeJson(t, formulaJson(entry, params, result));
      else t.stdout.write(formulaText(entry, params, result, t.out, outputWidth(t)));
    });
}
