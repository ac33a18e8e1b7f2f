// Cluster-chain benchmark (not a test): states and time to build + solve the general
// cluster chain (src/formulas/clusterChain.ts) and the maintenance phase mixture.
//   node bench/clusterChain.mjs [runs] [largest node count of the preset series, default 9]
//
// 1. Median of N runs after a warm-up, on the chains of the manual's examples (docs/formulas.md).
// 2. The presets' shape at 3, 5, 7, 9 nodes — rabbitmq-quorum-3 with cluster.nodes=N:
//    three zones (round-robin), three crew-free modes, AZ outages, a common cause, monthly
//    3-minute rolling restarts, failover 25 s — each solved cold (nothing cached): the
//    states of the process chain, of the largest restart slot (the process window; the
//    queue's full chain with zones and leader; the part of it evolved with the leader)
//    and the time of the steady state and of the maintenance formula. These are the
//    figures of docs/formulas.md "Limits, sizes and times".
// 3. The default model's shape at 3, 5, 6, 7, 8 nodes — models/default.yaml with
//    cluster.nodes=N: the same zones, hardware failures waiting for one shared repair
//    crew beside two crew-free modes, monthly 5-minute restarts, failover 15 s — the same
//    figures (8 nodes: how soon the maintenance formula refuses).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const runs = Number(process.argv[2] ?? 7);
const largest = Number(process.argv[3] ?? 9);
const out = join(mkdtempSync(join(tmpdir(), "mqrel-bench-")), "formulas.mjs");
const src = fileURLToPath(new URL("../src/", import.meta.url));
await build({
  stdin: {
    contents: `export * from "./formulas/index.ts";`,
    resolveDir: src,
    loader: "ts",
  },
  outfile: out,
  bundle: true,
  platform: "node",
  format: "esm",
  logLevel: "warning",
});
// no ClusterSolveCache is passed: every solve below is cold
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
const time = (run) => {
  const start = process.hrtime.bigint();
  const result = run();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
};
console.log(`cluster chain, median of ${runs} runs after one warm-up (the process chain cached after the first)`);
console.log("case".padEnd(54), "states (process/up/queue)".padStart(26), "median ms".padStart(10));
for (const [name, run] of Object.entries(cases)) {
  const first = run();
  const times = [];
  for (let i = 0; i < runs; i++) times.push(time(run).ms);
  const states = first.states
    ? `${first.states.process}/${first.states.up}/${first.states.queue ?? "-"}`
    : `window ${first.work.windowStates}, ${first.work.steps} steps`;
  console.log(name.padEnd(54), states.padStart(26), median(times).toFixed(1).padStart(10));
}

// The presets' shape (models/rabbitmq-quorum-3.yaml, cluster.nodes=N), cold.
const instance = { failureRate: 0.5 / Y, repairRate: 2, needsCrew: false };
const os = { failureRate: 0.2 / Y, repairRate: 6, needsCrew: false };
const erlang = { failureRate: 2 / Y, repairRate: 30, needsCrew: false };
const preset = (n) => {
  const placement = [0, 1, 2].map((z) => Math.floor(n / 3) + (z < n % 3 ? 1 : 0));
  return {
    nodes: n,
    quorum: Math.floor(n / 2) + 1,
    modes: [instance, os, erlang],
    zones: { placement, outageRate: 0.2 / Y, restoreRate: 0.5 },
    commonCause: { rate: 1 / Y, restoreRate: 2 },
    failover: { electionRate: 3600 / 25 },
    everyHours: 720,
    durationHours: 0.05,
    restartOrder: Array.from({ length: n }, (_, i) => i % 3),
  };
};
const table = (title, shape, counts) => {
  console.log(`\n${title} (cold)`);
  console.log(
    "nodes".padEnd(6),
    "process".padStart(8),
    "window".padStart(8),
    "full".padStart(9),
    "leader".padStart(7),
    "steady ms".padStart(10),
    "maintenance ms".padStart(15),
  );
  for (const n of counts) {
    let steady;
    try {
      steady = time(() => clusterChain(shape(n)));
    } catch (error) {
      console.log(String(n).padEnd(6), `refused: ${error.message}`);
      continue;
    }
    const maintenance = time(() => {
      try {
        return maintenanceAvailability(shape(n));
      } catch (error) {
        return error;
      }
    });
    if (maintenance.result instanceof Error) {
      const refused = `maintenance refused in ${maintenance.ms.toFixed(0)} ms: ${maintenance.result.message}`;
      console.log(String(n).padEnd(6), String(steady.result.states.process).padStart(8), `steady ${steady.ms.toFixed(0)} ms;`, refused);
      continue;
    }
    const w = maintenance.result.work;
    console.log(
      String(n).padEnd(6),
      String(steady.result.states.process).padStart(8),
      String(w.processStates).padStart(8),
      String(w.windowStates).padStart(9),
      String(w.leaderStates).padStart(7),
      steady.ms.toFixed(0).padStart(10),
      maintenance.ms.toFixed(0).padStart(15),
    );
  }
};
const odd = [];
for (let n = 3; n <= largest; n += 2) odd.push(n);
table("the presets' shape: N nodes over 3 zones, 3 crew-free modes, monthly restarts, failover, common cause", preset, odd);

// The default model's shape (models/default.yaml, cluster.nodes=N): a crew mode beside two crew-free ones.
const hardware = { failureRate: 0.5 / Y, repairRate: 1 / 4, needsCrew: true };
const kernel = { failureRate: 0.2 / Y, repairRate: 6, needsCrew: false };
const broker = { failureRate: 3 / Y, repairRate: 30, needsCrew: false };
const defaultShape = (n) => ({
  nodes: n,
  quorum: Math.floor(n / 2) + 1,
  modes: [hardware, kernel, broker],
  repairCrews: 1,
  zones: { placement: [0, 1, 2].map((z) => Math.floor(n / 3) + (z < n % 3 ? 1 : 0)), outageRate: 0.2 / Y, restoreRate: 0.5 },
  commonCause: { rate: 0.5 / Y, restoreRate: 1 },
  failover: { electionRate: 3600 / 15 },
  everyHours: 720,
  durationHours: 1 / 12,
  restartOrder: Array.from({ length: n }, (_, i) => i % 3),
});
table(
  "the default model's shape: N nodes over 3 zones, hardware (one crew) + os + crash, monthly 5-minute restarts, failover 15 s, common cause",
  defaultShape,
  [3, 5, 6, 7, 8],
);
