import { Command, Option } from "commander";
import { InputError } from "../common/errors.js";
import { closestName } from "../common/suggest.js";
import { checkOutput, modelOptions, outputOption, writeResult } from "./output.js";
import type { Terminal } from "./terminal.js";

const FORMATS = ["openslo"] as const;

/** `mqrel export openslo <model>`: the model's SLO thresholds for other SLO tools (src/slo/openslo.ts). */
export function exportCommand(terminal: () => Terminal): Command {
  const command = new Command("export")
    .description("write a model's slo: thresholds for other tools: openslo prints OpenSLO v1 SLO documents, one per threshold")
    .argument("<format>", `what to write: ${FORMATS.join(", ")}`)
    .argument("<model>", "a model file (YAML or JSON), or - for standard input")
    .addOption(
      new Option("--window <duration>", "the rolling time window of every SLO, OpenSLO duration shorthand: 28d, 4w, 1M").default("30d"),
    )
    .addOption(new Option("--service <name>", "spec.service of every SLO (default: the model's name as an RFC 1123 label)"))
    .addOption(
      new Option(
        "--threshold-target <ratio>",
        "target of a bound that is not a share (an MTTF, a rate, a count): the share of evaluations that must meet it",
      ).default("0.99"),
    );
  for (const option of [...modelOptions(), outputOption()]) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
A share bounded the way it is good (an availability >= p, message.loss <= p) becomes a ratio
objective with target p (or 1 - p), downtime per year <= D one on the cluster's availability
with target 1 - D / 8766 h; other bounds become threshold objectives (docs/ci.md).

Examples:
  $ mqrel export openslo models/rabbitmq-quorum-3.yaml
  $ mqrel export openslo models/kafka-fleet-12x600.yaml --window 28d --service payments --output slos.yaml`,
    )
    .action(
      async (
        format: string,
        model: string,
        options: { window: string; service?: string; thresholdTarget: string; set: string[]; strictUnits?: boolean; output?: string },
      ) => {
        const t = terminal();
        if (!(FORMATS as readonly string[]).includes(format)) {
          throw new InputError(
            `unknown format "${format}"; expected ${FORMATS.join(", ")}`,
            { path: "export" },
            closestName(format, FORMATS),
          );
        }
        const [{ opensloDocuments, opensloYaml, rfc1123Label, DURATION_SHORTHAND }, files, { parseOverrides }] = await Promise.all([
          import("../slo/openslo.js"),
          import("./modelFiles.js"),
          import("../catalog/resolveParams.js"),
        ]);
        if (!DURATION_SHORTHAND.test(options.window)) {
          throw new InputError(
            `expected OpenSLO duration shorthand, a whole number and one of m h d w M Q Y (30d, 4w, 1M), got "${options.window}"`,
            {
              path: "--window",
            },
          );
        }
        const thresholdTarget = Number(options.thresholdTarget);
        if (options.thresholdTarget.trim() === "" || !(thresholdTarget >= 0 && thresholdTarget < 1)) {
          throw new InputError(`expected a target in [0, 1), got "${options.thresholdTarget}"`, { path: "--threshold-target" });
        }
        if (options.service !== undefined && rfc1123Label(options.service) !== options.service) {
          throw new InputError(
            `expected an RFC 1123 label (lower-case letters, digits and -, at most 63), e.g. "${rfc1123Label(options.service)}"`,
            {
              path: "--service",
            },
          );
        }
        const inputs = { files: [model], what: "the model being exported" };
        checkOutput(options.output, inputs);
        const load = await files.modelLoader([model], t, { strictUnits: options.strictUnits === true });
        const documents = opensloDocuments(load(model, parseOverrides(options.set)), {
          window: options.window,
          thresholdTarget,
          ...(options.service !== undefined ? { service: options.service } : {}),
        });
        writeResult(t, options.output, opensloYaml(documents), inputs);
      },
    );
}
