/**
 * The plain progress lines of a simulation on a pipe (src/cli/progress.ts), and
 * MQREL_PROGRESS_SECONDS, the interval the Ctrl-C test (test/e2e/bin.test.ts) sets to 0
 * to see a simulation under way. Only intervals that no machine's speed can cross are
 * used: 0 (every update) and 10⁹ s (never within a test).
 */
import { describe, expect, it } from "vitest";
import { progressReporter } from "../../src/cli/progress.js";
import { makeTerminal } from "../../src/cli/terminal.js";

async function linesWritten(env: NodeJS.ProcessEnv, updates: number): Promise<string[]> {
  let text = "";
  const stream = {
    isTTY: false,
    write(chunk: string) {
      text += chunk;
      return true;
    },
  };
  const terminal = makeTerminal({ stdout: stream, stderr: stream }, { NO_COLOR: "1", ...env }, process.cwd());
  const progress = await progressReporter(terminal, 10, false);
  for (let done = 1; done <= updates; done++) progress.update({ runsDone: done, fraction: done / 10 });
  progress.stop();
  return text.split("\n").filter((line) => line !== "");
}

describe("progress on a pipe", () => {
  it("when MQREL_PROGRESS_SECONDS is 0 then every update prints a line counting the runs done", async () => {
    const lines = await linesWritten({ MQREL_PROGRESS_SECONDS: "0" }, 3);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^simulating: 10\.0% \(1 of 10 runs done\), /);
    expect(lines[2]).toMatch(/^simulating: 30\.0% \(3 of 10 runs done\), /);
  });

  it("when MQREL_PROGRESS_SECONDS is longer than the simulation then nothing is printed", async () => {
    expect(await linesWritten({ MQREL_PROGRESS_SECONDS: "1e9" }, 3)).toEqual([]);
  });
});
