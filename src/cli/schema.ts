import { Command } from "commander";
import { outputOption, writeResult } from "./output.js";
import type { Terminal } from "./terminal.js";

/** `mqrel schema`: the model file's JSON Schema, for editors (docs/editors.md). */
export function schemaCommand(terminal: () => Terminal): Command {
  return new Command("schema")
    .description("print the JSON Schema (draft 2020-12) of a model file, for editor completion and checks")
    .addOption(outputOption())
    .addHelpText(
      "after",
      `
The package ships the same schema as schema/mqrel-model.schema.json. In YAML, a first line
  # yaml-language-server: $schema=<path or URL of the schema>
gives completion, hover text and checks in editors that use the YAML language server.

Examples:
  $ mqrel schema
  $ mqrel schema --output mqrel-model.schema.json`,
    )
    .action(async (options: { output?: string }) => {
      const { modelJsonSchemaText } = await import("../model/jsonSchema.js");
      writeResult(terminal(), options.output, modelJsonSchemaText(), { files: [], what: "an input" });
    });
}
