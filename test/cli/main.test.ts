import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { makeTerminal, type OutputStream } from "../../src/cli/terminal.js";

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

describe("main (in-process)", () => {
  it("when something unexpected breaks then it exits 3 with a bug report line and no stack trace", async () => {
    const stderr = capture();
    const broken: OutputStream = {
      write() {
        throw new Error("EPIPE: the pipe is gone");
      },
    };
    const code = await main(["formulas", "--json"], makeTerminal({ stdout: broken, stderr }, {}, "/"));
    expect(code).toBe(3);
    expect(stderr.text).toMatch(/internal error: EPIPE: the pipe is gone/);
    expect(stderr.text).toMatch(/This is a bug in mqrel/);
    expect(stderr.text).not.toMatch(/\n\s+at /);
  });

  it("when --debug is given then the internal error comes with its stack trace", async () => {
    const stderr = capture();
    const broken: OutputStream = {
      write() {
        throw new Error("boom");
      },
    };
    const code = await main(["--debug", "formulas", "--json"], makeTerminal({ stdout: broken, stderr }, {}, "/"));
    expect(code).toBe(3);
    expect(stderr.text).toMatch(/\n\s+at /);
  });

  it("when the input is bad then it exits 2 and prints one line", async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await main(["formula", "availability.node", "-p", "mtbf=1", "-p", "mttr=0"], makeTerminal({ stdout, stderr }, {}, "/"));
    expect(code).toBe(2);
    expect(stderr.text.trim().split("\n")).toHaveLength(1);
    expect(stdout.text).toBe("");
  });
});
