// Cluster-chain benchmark (not a test): states and time to build + solve the general
// cluster chain (src/formulas/clusterChain.ts) and the maintenance phase mixture, median
// of N runs after a warm-up.
//   node bench/clusterChain.mjs [runs]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const runs = Number(process.argv[2] ?? 7);
const out = join(mkdtempSync(join(tmpdir(), "mqrel-bench-")), "formulas.mjs");
await build({
  entryPoints: [fileURLToPath(new URL("../src/formulas/index.ts", import.meta.url))],
  outfile: out,
  bundle: true,
  platform: "node",
  format: "esm",
  logLevel: "warning",
});
const { clusterChain, maintenanceAvailability } = await import(pathToFileURL(out).href);

const Y = 8766;
const hw = { failureRate: 0.5 / Y, repairRate: 1 / 8, needsCrew: true };
const disk = { failureRate: 0.2 / Y, repairRate: 1 / 24, needsCrew: true };
const crash = { failureRate: 6 / Y, repairRate: 30, needsCrew: false };
const zones = (placement) => ({ placement, outageRate: 1 / Y, restoreRate: 0.5 });
const cc = { rate: 0.05 / Y, restoreRate: 0.25 };
const failover = { electionRate: 240 };
const cases = {
  "3 nodes, 2 modes, 1 crew, failover": () =>
    clusterChain({ nodes: 3, quorum: 2, modes: [hw, crash], repairCrews: 1, commonCause: cc, failover }),
  "5 nodes 2+2+1, 2 modes, 1 crew, zones, cc, failover": () =>
    clusterChain({ nodes: 5, quorum: 3, modes: [hw, crash], repairCrews: 1, zones: zones([2, 2, 1]), commonCause: cc, failover }),
  "5 nodes 2+2+1, 3 modes (2 crew), 1 crew, failover": () =>
    clusterChain({ nodes: 5, quorum: 3, modes: [hw, disk, crash], repairCrews: 1, zones: zones([2, 2, 1]), commonCause: cc, failover }),
  "7 nodes 3+2+2, 2 modes, 1 crew, failover": () =>
    clusterChain({ nodes: 7, quorum: 4, modes: [hw, crash], repairCrews: 1, zones: zones([3, 2, 2]), commonCause: cc, failover }),
  "5 nodes 2+2+1 + monthly 10-min restarts, failover": () =>
    maintenanceAvailability({
      nodes: 5,
      quorum: 3,
      modes: [hw, crash],
      repairCrews: 1,
      zones: zones([2, 2, 1]),
      commonCause: cc,
      failover,
      everyHours: 720,
      durationHours: 1 / 6,
    }),
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`cluster chain, median of ${runs} runs after one warm-up`);
console.log("case".padEnd(54), "states (process/up/queue)".padStart(26), "median ms".padStart(10));
for (const [name, run] of Object.entries(cases)) {
  const first = run();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const states = first.states
    ? `${first.states.process}/${first.states.up}/${first.states.queue ?? "-"}`
    : `window ${first.work.windowStates}, ${first.work.steps} steps`;
  console.log(name.padEnd(54), states.padStart(26), median(times).toFixed(1).padStart(10));
}
