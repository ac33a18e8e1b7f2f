import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/helpers/globalSetup.ts"],
    // Vitest's default leaves one core idle (availableParallelism - 1): on the 2-core CI
    // machine that is one worker and every file in a row (54 s instead of about 30 s).
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "shared",
          include: ["test/**/*.test.ts"],
          exclude: ["test/cli/faults.test.ts"],
          // Test files share a worker's module cache instead of re-importing src/ (mathjs,
          // yaml, zod, the simulator) for each file: that import was half the suite's CPU
          // time. Safe here: src/ keeps no mutable module state (a lazily built parser at
          // most; test/moduleState.test.ts checks it), and runCli fails a test that leaves
          // process state behind (a SIGINT listener, exitCode).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "isolated",
          // vi.mock of node:fs and the evaluator only works on a fresh module cache
          include: ["test/cli/faults.test.ts"],
          isolate: true,
        },
      },
    ],
  },
});
