// Fleet simulation throughput (a benchmark, not a test): broker events per second of the
// simulator carrying a fleet's partitions (src/sim/kernel/fleetTracker.ts), against the
// same engine on the same brokers without the fleet (the single-cluster engine), in the
// same process, alternating, on one worker; and the memory a fleet's partitions take.
//   npm run build && node bench/fleetSimulate.mjs [brokers] [partitions] [years-per-run]
//
// Brokers: a disk mode (mtbf 4 years, mttr 24 h, loses the disk) and a crash mode
// (6 / year, 10 min), crew-free; RF 3, min ISR 2, random placement (seed 1); --assume
// formula (exponential times). Each broker event (a failure or a recovery) updates the
// partitions on that broker: R·P/B of them on average (300 at 100 × 10 000).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel, runSimulation, simConfigFromModel } from "../dist/api.js";

const brokers = Number(process.argv[2] ?? 100);
const partitions = Number(process.argv[3] ?? 10_000);
const years = Number(process.argv[4] ?? 2000);
const Y = 8766;

const file = join(mkdtempSync(join(tmpdir(), "mqrel-bench-")), "fleet.yaml");
writeFileSync(
  file,
  `mqrel: 1
name: bench fleet
cluster:
  nodes: ${brokers}
  node:
    failures:
      disk:  { mtbf: 4 years, mttr: 24 h, crew: false, loses: disk }
      crash: { rate: 6 / year, mttr: 10 min, crew: false, loses: nothing }
fleet:
  partitions: ${partitions}
  replication: 3
  min_insync: 2
  placement: random
  seed: 1
`,
);

let started = performance.now();
const model = loadModel(file);
const resolveMs = performance.now() - started;
const fleetConfig = simConfigFromModel(model, { mode: "formula", runs: 1, horizonHours: years * Y }).config;
const plainConfig = { ...fleetConfig, cluster: { ...fleetConfig.cluster, fleet: undefined } };
const f = fleetConfig.cluster.fleet;
// the tracker's arrays (fleetTracker.ts): two Int32 masks and a Uint8 count per partition,
// two Uint8 per broker; the placement by broker (config.ts): two Int32 per replica
const trackerBytes = partitions * (4 + 4 + 1) + brokers * 2;
const placementBytes = f.brokerStart.byteLength + f.brokerPartition.byteLength + f.brokerPosition.byteLength;

function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function measure(config) {
  const wall = performance.now();
  const cpu = cpuMs();
  const result = await runSimulation(config, { runs: 1, seed: 1, workers: 1 });
  const seconds = (performance.now() - wall) / 1000;
  const cpuSeconds = (cpuMs() - cpu) / 1000;
  return { events: result.summary.nodeEvents, seconds, cpuSeconds };
}

// warm up both paths (the JIT), then alternate
await runSimulation({ ...fleetConfig, horizonHours: fleetConfig.horizonHours / 20 }, { runs: 1, seed: 2, workers: 1 });
await runSimulation({ ...plainConfig, horizonHours: plainConfig.horizonHours / 20 }, { runs: 1, seed: 2, workers: 1 });
const rows = [];
for (let repeat = 0; repeat < 3; repeat++) {
  const plain1 = await measure(plainConfig);
  const fleet = await measure(fleetConfig);
  const plain2 = await measure(plainConfig);
  const plainRate = (plain1.events / plain1.seconds + plain2.events / plain2.seconds) / 2;
  const fleetRate = fleet.events / fleet.seconds;
  rows.push({ fleet, fleetRate, plainRate, ratio: fleetRate / plainRate });
}
rows.sort((a, b) => a.ratio - b.ratio);
const median = rows[1];
started = performance.now();
const heapAfter = process.memoryUsage();

const fmt = (x) => Number(x.toPrecision(3)).toLocaleString("en-US");
console.log(`fleet: ${brokers} brokers × ${partitions} partitions (RF 3, min ISR 2, random), ${years} years a run, one worker`);
console.log(`  resolve (placement) ${fmt(resolveMs)} ms`);
for (const r of rows) {
  console.log(
    `  fleet ${fmt(r.fleetRate)} broker events/s (${fmt(r.fleet.events)} events in ${fmt(r.fleet.seconds)} s wall, ${fmt(r.fleet.cpuSeconds)} s CPU); same brokers without the fleet ${fmt(r.plainRate)} events/s; ratio ${r.ratio.toFixed(3)}`,
  );
}
console.log(`  median ratio fleet / single-cluster engine: ${median.ratio.toFixed(3)}`);
console.log(
  `  partition updates per broker event ≈ ${fmt((3 * partitions) / brokers)}: ${fmt((median.fleetRate * 3 * partitions) / brokers)} replica updates/s`,
);
console.log(
  `  memory of the partitions: tracker ${fmt(trackerBytes / 1024)} KiB + placement by broker ${fmt(placementBytes / 1024)} KiB = ${fmt((trackerBytes + placementBytes) / 1024 / (partitions / 10_000))} KiB per 10 000 partitions; the whole process's resident set ${fmt(heapAfter.rss / 2 ** 20)} MiB (heap used ${fmt(heapAfter.heapUsed / 2 ** 20)} MiB)`,
);
