// Fleet benchmark (not a test): CPU time of the exact fleet metrics with independent
// brokers (src/formulas/fleet.ts, fleetMetricsIndependent) on random placements, or how
// soon a fleet too large is refused. The figures of that function's doc comment.
//   node bench/fleet.mjs
//
// Brokers: a disk mode (mtbf 4 years, mttr 24 h, loses the disk) and a crash mode
// (6 / year, 10 min), crew-free: unavailability 8e-4. RF 3, replica sets drawn at random
// from a seeded generator (mulberry32, seed 1), tolerance 1e-13.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const out = join(mkdtempSync(join(tmpdir(), "mqrel-bench-")), "formulas.mjs");
const src = fileURLToPath(new URL("../src/", import.meta.url));
await build({
  stdin: { contents: `export * from "./formulas/index.ts";`, resolveDir: src, loader: "ts" },
  outfile: out,
  bundle: true,
  platform: "node",
  format: "esm",
  logLevel: "warning",
});
const { fleetBrokerFromModes, fleetMetricsIndependent } = await import(pathToFileURL(out).href);

function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSets(brokers, partitions, rf, seed) {
  const random = seeded(seed);
  const sets = [];
  for (let p = 0; p < partitions; p++) {
    const set = [];
    while (set.length < rf) {
      const b = Math.floor(random() * brokers);
      if (!set.includes(b)) set.push(b);
    }
    sets.push(set);
  }
  return sets;
}

const Y = 8766;
const broker = fleetBrokerFromModes([
  { ratePerHour: 0.25 / Y, mttrHours: 24, loses: "disk" },
  { ratePerHour: 6 / Y, mttrHours: 1 / 6, loses: "nothing" },
]);
for (const [brokers, partitions, minInsync] of [
  [60, 3000, 2],
  [60, 3000, 3],
  [60, 3000, 1],
  [200, 20000, 2],
  [200, 20000, 3],
]) {
  const replicaSets = randomSets(brokers, partitions, 3, 1);
  const before = process.cpuUsage();
  let outcome;
  try {
    const m = fleetMetricsIndependent({ brokers: Array(brokers).fill(broker), replicaSets, minInsync });
    outcome =
      `unavailability ${m.availability.complement.toPrecision(6)} (bound ${m.availabilityBound.toPrecision(2)}), ` +
      `loss events ${(m.lossEventsPerHour * Y).toPrecision(6)} / year (bound ${(m.lossEventsBound * Y).toPrecision(2)}), ` +
      `partitions lost ${(m.partitionsLostPerHour * Y).toPrecision(6)} / year`;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    outcome = `refused: ${error.message}`;
  }
  const cpu = process.cpuUsage(before);
  const seconds = (cpu.user + cpu.system) / 1e6;
  console.log(`${brokers} brokers × ${partitions} partitions, min ISR ${minInsync}: ${seconds.toFixed(2)} s CPU — ${outcome}`);
}
