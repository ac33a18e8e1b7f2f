import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { makeTerminal, type OutputStream } from "../../src/cli/terminal.js";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

function capture(): OutputStream & { text: string } {
  const stream = {
    text: "",
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

/** A stdout whose every write fails, as a closed pipe or a full disk would. */
function broken(message: string): OutputStream {
  return {
    write() {
      throw new Error(message);
    },
  };
}

describe("main (in-process)", () => {
  it("when something unexpected breaks then it exits 3 with a bug report line and no stack trace", async () => {
    // Arrange
    const stderr = capture();

    // Act
    const code = await main(["formulas", "--json"], makeTerminal({ stdout: broken("EPIPE: the pipe is gone"), stderr }, {}, "/"));

    // Assert
    expect(code).toBe(3);
    expect(stderr.text).toMatch(/internal error: EPIPE: the pipe is gone/);
    expect(stderr.text).toMatch(/This is a bug in mqrel/);
    expect(stderr.text).not.toMatch(/\n\s+at /);
  });

  it("when --debug is given then the internal error comes with its stack trace", async () => {
    // Arrange
    const stderr = capture();

    // Act
    const code = await main(["--debug", "formulas", "--json"], makeTerminal({ stdout: broken("boom"), stderr }, {}, "/"));

    // Assert
    expect(code).toBe(3);
    expect(stderr.text).toMatch(/\n\s+at /);
  });

  it("when the input is bad then it exits 2 with one line on stderr and nothing on stdout", async () => {
    // Act
    const result = await runCli(["formula", "availability.node", "-p", "mtbf=1", "-p", "mttr=0"]);

    // Assert
    expect(expectOneLineError(result)).toMatch(/--param mttr: expected a duration > 0/);
  });

  it("when a simulation runs in-process then it leaves no SIGINT listener behind and does not touch process.exitCode", async () => {
    // Arrange
    const listeners = process.listenerCount("SIGINT");
    const exitCode = process.exitCode;

    // Act
    const code = await main(
      ["simulate", "test/fixtures/classic/single-node.yaml", "--runs", "2", "--horizon", "10 years", "--json"],
      makeTerminal({ stdout: capture(), stderr: capture() }, {}, process.cwd()),
    );

    // Assert
    expect(code).toBe(0);
    expect(process.listenerCount("SIGINT")).toBe(listeners);
    expect(process.exitCode).toBe(exitCode);
  });
});
