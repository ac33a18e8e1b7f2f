import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/helpers/globalSetup.ts"],
    // Test files share a worker's module cache instead of re-importing src/ (mathjs, yaml,
    // zod, the simulator) for each file: that import was half the suite's CPU time. Safe
    // here: src/ keeps no mutable module state (a lazily built parser at most), and
    // runCli fails a test that leaves process state behind (a SIGINT listener, exitCode).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
