/**
 * Three projects, all run by `npm test` (`vitest run`) and so by CI (.ci/run):
 * - fast: unit and in-process tests, seconds each (`npm run test:fast` runs it with
 *   `isolated`; under 20 s on a quiet 2-core machine);
 * - slow: what spawns the built bin/mqrel.js (test/e2e, which the globalSetup builds
 *   first), the browser test, the examples, the golden outputs, and the in-process files
 *   that simulate enough to take several seconds of CPU each (`npm run test:slow`);
 * - isolated: test/cli/faults.test.ts, which needs a fresh module cache.
 * `npx vitest run --project fast` (or slow, isolated) picks one; `npx vitest run
 * --reporter=json --outputFile=/tmp/t.json` gives each file's duration, the measure by
 * which a file belongs in SLOW.
 *
 * No test may depend on wall-clock speed (the suite passes with three CPU-bound
 * processes beside it on 2 cores): a test waits for an event (a line the process prints,
 * a progress callback), never for a fixed time.
 */
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/** Needs a fresh module cache: vi.mock of node:fs and the evaluator. */
const ISOLATED = ["test/cli/faults.test.ts"];

/**
 * The slow project. The in-process files here took 3–8 s of CPU each (measured December
 * 2026), together more than the rest of the fast project.
 */
const SLOW = [
  // processes (bin/mqrel.js, Chromium)
  "test/e2e/**/*.test.ts",
  // the examples: examples/k8s and examples/github-actions, and every --help example
  "test/examples/**/*.test.ts",
  "test/cli/helpExamples.test.ts",
  // golden outputs: eval and validate of every preset
  "test/golden/**/*.test.ts",
  // measured slow: hostile input at scale, CLI simulations to a target, 2e5-draw samples,
  // eval of every preset at once, the planning commands over whole presets on a terminal
  "test/cli/hostile.test.ts",
  "test/cli/simulate.test.ts",
  "test/sim/distributions.test.ts",
  "test/cli/evalCheck.test.ts",
  "test/cli/planProgress.test.ts",
  // measured slow (December 2026, 3–7 s each): the planning commands' hostile cases, sweeps
  // and solves over every registry field, the HTML report rendered with vega
  "test/cli/hostilePlanning.test.ts",
  "test/plan/registryFields.test.ts",
  "test/report/htmlReport.test.ts",
  // fleets simulated against the enumeration and the exchangeable chain (9 s, 27 s), with zone outages (8 s)
  "test/sim/fleet.test.ts",
  "test/formulas/fleetSymmetric.test.ts",
  "test/sim/fleetZones.test.ts",
  // coupled fleets (zones, a common cause, shared crews) simulated against their exact chains (5–7 s)
  "test/sim/fleetCoupled.test.ts",
  // importance sampling and plain runs on lognormal repairs against exact values (5 s)
  "test/cli/importanceRealistic.test.ts",
];

export default defineConfig({
  test: {
    // Vitest's default leaves one core idle (availableParallelism - 1): on the 2-core CI
    // machine that is one worker and every file in a row (54 s instead of about 30 s).
    maxWorkers: Math.max(2, availableParallelism()),
    // Bounds for a hung test, not speed checks: the longest test (the browser's) took
    // 20 s with three busy processes beside the suite on a 2-core machine already
    // running a load of about 16.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "fast",
          include: ["test/**/*.test.ts"],
          exclude: [...SLOW, ...ISOLATED],
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
          name: "slow",
          include: SLOW,
          // builds dist/ once, so that test/e2e spawns what users run
          globalSetup: ["./test/helpers/globalSetup.ts"],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "isolated",
          include: ISOLATED,
          isolate: true,
        },
      },
    ],
  },
});
