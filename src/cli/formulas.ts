import { Command } from "commander";
import { CATALOG } from "../catalog.js";
import { catalogJson, catalogText } from "../report/formulas.js";
import { writeJson } from "./output.js";
import type { Terminal } from "./terminal.js";

export function formulasCommand(terminal: () => Terminal): Command {
  return new Command("formulas")
    .description("list every formula: id, math, parameters, assumptions and sources")
    .option("--json", "machine-readable catalog")
    .addHelpText("after", "\nExamples:\n  $ mqrel formulas\n  $ mqrel formulas --json | jq '.formulas[].id'\n")
    .action((options: { json?: boolean }) => {
      const t = terminal();
      if (options.json) writeJson(t, catalogJson(CATALOG));
      else t.stdout.write(catalogText(CATALOG, t.out, Math.min(t.stdout.columns ?? 100, 140)));
    });
}
