/**
 * `mqrel init` (src/cli/init.ts, src/model/starter.ts): the model it writes evaluates for
 * every system, as one replica set and as a fleet; its figures are the presets' (a
 * starting model the size of a preset evaluates to exactly the preset's numbers — the
 * reference is mqrel's own evaluation of the preset file, so a figure copied wrong or
 * left out shows); bad flags are one line and exit 2; it never replaces a file without
 * --force; it asks its questions with @inquirer's prompts only on a terminal.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type InitAnswers, initCommand, inquirerPrompter, type Prompter } from "../../src/cli/init.js";
import { makeTerminal } from "../../src/cli/terminal.js";
import { modelJsonSchema } from "../../src/model/jsonSchema.js";
import { SYSTEMS } from "../../src/model/starter.js";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "mqrel-init-"));

interface EvalJson {
  models: { name: string; metrics: Record<string, { value: number | null; complement?: number | null; formula: string | null }> }[];
}

async function evalJson(file: string): Promise<EvalJson["models"][number]["metrics"]> {
  const ran = await runCli(["eval", file, "--json"]);
  expect(ran.status, ran.stderr).toBe(0);
  return (JSON.parse(ran.stdout) as EvalJson).models[0]?.metrics ?? {};
}

const validateSchema = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(modelJsonSchema());

describe("mqrel init", () => {
  it.each(SYSTEMS.flatMap((system) => [[system, "3", "3"] as const, [system, "6", "3"] as const]))(
    "when --system %s --brokers %s --replication %s writes a model then it evaluates, every metric with a value, and Ajv takes it",
    async (system, brokers, replication) => {
      // Arrange
      const out = join(tempDir(), "my.yaml");

      // Act
      const init = await runCli(["init", "--system", system, "--brokers", brokers, "--replication", replication, "--out", out]);
      const metrics = await evalJson(out);

      // Assert
      expect(init.status, init.stderr).toBe(0);
      expect(init.stdout).toBe("");
      expect(init.stderr).toMatch(/^wrote .*my\.yaml; next: mqrel eval /);
      const fleet = Number(brokers) > Number(replication);
      expect(Object.keys(metrics)).toContain(fleet ? "fleet.availability" : "queue.availability");
      for (const [id, metric] of Object.entries(metrics)) expect(metric.value, `${system}: ${id}`).not.toBeNull();
      const text = readFileSync(out, "utf8");
      expect(text).toMatch(/^# yaml-language-server: \$schema=\S+mqrel-model\.schema\.json\n/);
      expect(validateSchema(parse(text)), JSON.stringify(validateSchema.errors)).toBe(true);
    },
  );

  it.each([
    ["kafka", ["--replication", "3", "--zones", "3"], "models/kafka-rf3-minisr2-acks-all.yaml"],
    ["rabbitmq", ["--replication", "3", "--zones", "3"], "models/rabbitmq-quorum-3.yaml"],
    ["nats", ["--replication", "3", "--zones", "3"], "models/nats-jetstream-r3.yaml"],
    ["generic", ["--replication", "3", "--zones", "3"], "models/default.yaml"],
    ["kafka", ["--brokers", "12", "--replication", "3", "--zones", "3"], "models/kafka-fleet-12x600.yaml"],
    ["rabbitmq", ["--brokers", "5", "--replication", "3", "--zones", "3"], "models/rabbitmq-quorum-fleet-5x200.yaml"],
  ] as const)("when --system %s %j matches the size of a preset then every metric equals the preset's", async (system, flags, preset) => {
    // Arrange
    const out = join(tempDir(), "m.yaml");
    const expected = await evalJson(preset);

    // Act
    const init = await runCli(["init", "--system", system, ...flags, "--out", out]);
    const actual = await evalJson(out);

    // Assert: the same metrics, to the bit
    expect(init.status, init.stderr).toBe(0);
    expect(actual).toEqual(expected);
    expect(readFileSync(out, "utf8")).toContain(preset);
  });

  it("when the size differs from the preset's then the quorum is the majority, and the figures are still the preset's", async () => {
    // Act
    const init = await runCli(["init", "--system", "kafka", "--replication", "5", "--zones", "5"]);
    const model = parse(init.stdout) as { cluster: { nodes: number; quorum: unknown; node: unknown; zones: unknown } };
    const preset = parse(readFileSync("models/kafka-rf3-minisr2-acks-all.yaml", "utf8")) as typeof model;

    // Assert
    expect(init.status, init.stderr).toBe(0);
    expect(model.cluster).toMatchObject({ nodes: 5, quorum: "majority", zones: { count: 5 } });
    expect(model.cluster.node).toEqual(preset.cluster.node);
  });

  it.each([
    [["--brokers", "0"], /^error: --brokers: expected a whole number of brokers from 1 to 1000, got 0$/],
    [["--brokers", "3", "--replication", "4"], /^error: --replication: 4 replicas need at least 4 brokers, got --brokers 3$/],
    [
      ["--system", "kafak"],
      /^error: --system: unknown system "kafak"; expected kafka, rabbitmq, nats, pulsar, generic \(did you mean "kafka"\?\)$/,
    ],
    [["--brokers", "three"], /^error: --brokers: expected a whole number, got "three"$/],
    [["--replication", "0"], /^error: --replication: expected a whole number of replicas from 1, got 0$/],
    [["--brokers", "4", "--zones", "5"], /^error: --zones: expected a whole number of zones from 1 to 4 /],
    [["--brokers", "20", "--zones", "13"], /^error: --zones: expected a whole number of zones from 1 to 12 /],
    [["--name", ""], /^error: --name: expected a name of 1 to 200 characters, got 0$/],
  ])("when init is given %j then it says what is wrong in one line and exits 2", async (flags, message) => {
    // Arrange
    const out = join(tempDir(), "never.yaml");

    // Act
    const ran = await runCli(["init", ...flags, "--out", out]);

    // Assert
    expect(expectOneLineError(ran)).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it("when the --out file exists then init refuses without --force and leaves it, and replaces it with --force", async () => {
    // Arrange
    const out = join(tempDir(), "mine.yaml");
    writeFileSync(out, "# my own model\n");

    // Act
    const refused = await runCli(["init", "--system", "nats", "--out", out]);
    const kept = readFileSync(out, "utf8");
    const forced = await runCli(["init", "--system", "nats", "--out", out, "--force"]);

    // Assert
    expect(expectOneLineError(refused)).toBe(`error: ${out}: --out: exists; give --force to replace it`);
    expect(kept).toBe("# my own model\n");
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/nats-jetstream-r3\.yaml/);
  });

  it("when there is no terminal and no flag then init prints the defaults' model on stdout and says so on stderr", async () => {
    // Act
    const ran = await runCli(["init"]);
    const file = join(tempDir(), "defaults.yaml");
    writeFileSync(file, ran.stdout);
    const metrics = await evalJson(file);

    // Assert
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stderr).toBe(
      "init: no terminal to ask on, and none of --system, --brokers, --replication, --zones given: writing the defaults (--system generic --brokers 3 --replication 3 --zones 3)\n",
    );
    expect(parse(ran.stdout)).toMatchObject({ mqrel: 1, cluster: { nodes: 3, zones: { count: 3 } } });
    expect(Object.keys(metrics)).toContain("cluster.availability");
  });
});

describe("mqrel init on a terminal", () => {
  /** Run the init command alone, with a prompter the test controls, on a terminal-like stdout. */
  async function runInit(args: readonly string[], prompter: Prompter): Promise<{ code: number; stdout: string; stderr: string }> {
    const out = {
      text: "",
      isTTY: true,
      columns: 100,
      write(s: string) {
        out.text += s;
        return true;
      },
    };
    const err = {
      text: "",
      write(s: string) {
        err.text += s;
        return true;
      },
    };
    const terminal = makeTerminal({ stdout: out, stderr: err }, { NO_COLOR: "1" }, process.cwd());
    let code = 0;
    const command = initCommand(
      () => terminal,
      (c) => {
        code = Math.max(code, c);
      },
      prompter,
    );
    command.exitOverride();
    await command.parseAsync(args as string[], { from: "user" });
    return { code, stdout: out.text, stderr: err.text };
  }

  it("when no flag is given on a terminal then the answers make the model; with a flag nothing is asked", async () => {
    // Arrange
    const asked: string[] = [];
    const prompter: Prompter = {
      interactive: () => true,
      ask: async (defaults) => {
        asked.push(JSON.stringify(defaults("rabbitmq")));
        return { system: "rabbitmq", brokers: 5, replication: 3, zones: 3 } satisfies InitAnswers;
      },
    };

    // Act
    const answered = await runInit([], prompter);
    const flagged = await runInit(["--system", "kafka"], prompter);

    // Assert: the defaults offered are the preset's size
    expect(asked).toEqual([JSON.stringify({ replication: 3, zones: 3 })]);
    expect(answered.code).toBe(0);
    expect(parse(answered.stdout)).toMatchObject({ cluster: { nodes: 5 }, fleet: { replication: 3 } });
    expect(parse(flagged.stdout)).toMatchObject({ cluster: { nodes: 3, quorum: 2 } });
  });

  it("when the prompts are answered with Enter then @inquirer's prompts give each default, and Ctrl-C writes nothing and exits 130", async () => {
    // Arrange: the real prompts on streams the test types into
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const prompter = inquirerPrompter(() => ({ input, output, isTTY: true }));
    const typing = setInterval(() => input.write("\r"), 20);

    // Act
    let answers: InitAnswers;
    try {
      answers = await prompter.ask(() => ({ replication: 3, zones: 3 }), makeTerminal({ stdout: output, stderr: output }, {}, "."));
    } finally {
      clearInterval(typing);
    }
    // Ctrl-C, typed before the first prompt listens (the stream keeps it until read)
    const interruptedInput = new PassThrough();
    interruptedInput.write("\x03");
    const interrupted = await runInit(
      ["--name", "x"],
      inquirerPrompter(() => ({ input: interruptedInput, output, isTTY: true })),
    );

    // Assert
    expect(answers).toEqual({ system: "generic", brokers: 3, replication: 3, zones: 3 });
    expect(interrupted).toEqual({ code: 130, stdout: "", stderr: "init: interrupted; nothing written\n" });
  });
});
