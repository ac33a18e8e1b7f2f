import { Command, Option } from "commander";
import { CATALOG } from "../catalog/index.js";
import { catalogJson, catalogText } from "../report/formulas.js";
import { chosenFormat, formatOptions, outputWidth, writeJson } from "./output.js";
import type { Terminal } from "./terminal.js";

export function formulasCommand(terminal: () => Terminal): Command {
  return new Command("formulas")
    .description("list every formula: id, math, parameters, assumptions and sources")
    .addOption(formatOptions(["table", "json"], "table")[0] as Option)
    .addOption(new Option("--json", "the same as --format json: the machine-readable catalog"))
    .addHelpText("after", "\nExamples:\n  $ mqrel formulas\n  $ mqrel formulas --json | jq '.formulas[].id'\n")
    .action((options: { json?: boolean; format?: string }, self: Command) => {
      const t = terminal();
      if (chosenFormat(options, self.getOptionValueSource("format") === "cli") === "json") writeJson(t, catalogJson(CATALOG));
      else t.stdout.write(catalogText(CATALOG, t.out, outputWidth(t)));
    });
}
