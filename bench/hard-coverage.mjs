// Coverage where intervals are hard to get right (issue 22; a benchmark, not a test: it
// prints figures and never fails): run-as-unit metrics at few runs (kafka-acks1's message
// loss and redeliveries), a metric whose downtime comes from a rare, long mechanism (zones
// 2+2+1, majority), and early stops by --target-rel-error, with plain runs and with
// importance sampling. For each case, over many seeds: how often the 95 % interval covers
// the exact value, the spread of z = (estimate − exact)/SE, how many seeds fell below −2
// and above +2, how many intervals were flagged "enough events", and where early stops
// stopped.
//   npm run build && node bench/hard-coverage.mjs [seeds] [case regex]
// MQREL_API=/path/to/dist/api.js measures another build (e.g. the code before a change).
// Exact values: `eval` (--assume formula: the formulas are exact there) or, for the
// importance-sampling models, every state of the chain solved by GTH
// (test/helpers/clusterChain.ts, bundled with esbuild by bench/shared.mjs).
import { fileURLToPath, pathToFileURL } from "node:url";
import { exponentialCluster, loadSolveChain, percent, wilson95 } from "./shared.mjs";

const api = await import(process.env.MQREL_API ? pathToFileURL(process.env.MQREL_API).href : "../dist/api.js");
const { evaluateMetrics, loadModel, runSimulation, simConfigFromModel } = api;

const seeds = Number(process.argv[2] ?? 200);
const only = new RegExp(process.argv[3] ?? ".");
const YEAR = 8766;
const benchModel = (name) => fileURLToPath(new URL(`./models/${name}.yaml`, import.meta.url));
const preset = (name) => fileURLToPath(new URL(`../models/${name}.yaml`, import.meta.url));

const solveChain = await loadSolveChain();

/** One row: the share of intervals covering `exact`, with what explains it. */
function row(label, results) {
  const judged = results.filter((r) => r.ci);
  const covered = judged.filter((r) => r.ci[0] <= r.exact && r.exact <= r.ci[1]).length;
  const zs = judged.filter((r) => Number.isFinite(r.z)).map((r) => r.z);
  const mean = zs.reduce((a, b) => a + b, 0) / zs.length;
  const sd = Math.sqrt(zs.reduce((a, b) => a + (b - mean) ** 2, 0) / (zs.length - 1));
  const [lo, hi] = wilson95(covered, judged.length);
  const enough = results.filter((r) => r.enough).length;
  const coveredEnough = judged.filter((r) => r.enough && r.ci[0] <= r.exact && r.exact <= r.ci[1]).length;
  // where early stops stopped, and how often the intervals of those stops covered (bins of stops)
  const stops = new Map();
  for (const r of results) {
    if (r.stop === undefined) continue;
    const at = stops.get(r.stop) ?? { n: 0, covered: 0 };
    at.n++;
    if (r.ci && r.ci[0] <= r.exact && r.exact <= r.ci[1]) at.covered++;
    stops.set(r.stop, at);
  }
  const sorted = [...stops].sort((a, b) => a[0] - b[0]);
  const shownStops =
    sorted.length <= 6
      ? sorted
      : [0, 1, 2, 3].map((q) => {
          const part = sorted.slice(Math.floor((q * sorted.length) / 4), Math.floor(((q + 1) * sorted.length) / 4));
          const n = part.reduce((a, [, x]) => a + x.n, 0);
          const covered = part.reduce((a, [, x]) => a + x.covered, 0);
          return [`${part[0][0]}–${part[part.length - 1][0]}`, { n, covered }];
        });
  const stopText = stops.size ? `; stopped at ${shownStops.map(([at, x]) => `${at}: ${x.n} (covering ${x.covered})`).join(", ")}` : "";
  const skews = judged.filter((r) => Number.isFinite(r.skewness)).map((r) => r.skewness);
  const skewText = skews.length ? `; median skewness ${skews.sort((a, b) => a - b)[Math.floor(skews.length / 2)].toFixed(2)}` : "";
  console.log(
    `${label.padEnd(62)} ${covered}/${judged.length} = ${percent(covered / judged.length)} [${percent(lo)}, ${percent(hi)}]; ` +
      `sd(z) ${sd.toFixed(2)}, z < −2: ${zs.filter((z) => z < -2).length}, z > 2: ${zs.filter((z) => z > 2).length}; ` +
      `"enough": ${enough}/${results.length} (covering ${coveredEnough}/${enough})${stopText}${skewText}`,
  );
}

/** What one simulation's estimate says about `metric` against `exact`. */
function judge(summary, metric, exact, small) {
  const e = summary.metrics[metric];
  const estimate = small ? e.complement : e.estimate;
  const ci = small ? e.complementCi : e.ci;
  return {
    exact,
    ci: ci ?? null,
    z: (estimate - exact) / e.standardError,
    enough: e.enough,
    ...(e.skewness !== undefined ? { skewness: e.skewness } : {}),
  };
}

/** Plain runs of a model file, metrics against `eval`'s exact values (formula mechanics). */
async function plainCase(label, file, runs, horizonHours, metrics, target) {
  if (!only.test(label)) return;
  const loaded = loadModel(file);
  const analytic = evaluateMetrics(loaded);
  const { config } = simConfigFromModel(loaded, { mode: "formula", runs, horizonHours });
  const results = new Map(metrics.map(([m]) => [m, []]));
  for (let seed = 1; seed <= seeds; seed++) {
    const sim = await runSimulation(config, {
      runs,
      seed,
      workers: 2,
      ...(target ? { targetRelativeError: target, targetMetrics: (id) => id === metrics[0][0] } : {}),
    });
    for (const [metric, small] of metrics) {
      const a = analytic.get(metric);
      const r = judge(sim.summary, metric, small ? a.complement : a.value, small);
      results.get(metric).push(target ? { ...r, stop: sim.runsDone } : r);
    }
  }
  for (const [metric] of metrics) row(`${label}: ${metric}`, results.get(metric));
}

const threeOfFive = (mtbf) => ({ nodes: 5, quorum: 3, crews: 2, modes: [{ mtbf, mttr: 4, crew: true }] });
const CHAINS = {
  "3 of 5, U ≈ 1.4e-9": threeOfFive(8766),
  "zones 2+2+1, common cause (U ≈ 3.8e-6)": {
    nodes: 5,
    quorum: 3,
    crews: 5,
    modes: [{ mtbf: 8766, mttr: 4, crew: true }],
    zoneOf: [0, 0, 1, 1, 2],
    zoneRate: 1 / 8766,
    zoneMttr: 2,
    ccRate: 1e-6,
    ccMttr: 3,
  },
};

function chainConfig(m) {
  return { mode: "formula", horizonHours: 1, cluster: exponentialCluster({ ...m, failover: undefined }) };
}

/** Importance sampling stopped by a target relative error (at most 10^7 cycles, as the CLI). */
async function importanceTargetCase(name, target) {
  const label = `importance sampling, --target-rel-error ${target}, ${name}`;
  if (!only.test(label)) return;
  const m = CHAINS[name];
  const exact = solveChain(m);
  const results = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const sim = await runSimulation(chainConfig(m), {
      runs: Math.ceil(1e7 / 32),
      seed,
      workers: 2,
      kernel: { kind: "is", bias: 0.5, cyclesPerRun: 32 },
      targetRelativeError: target,
    });
    // the cycles the estimates rest on (with the two-stage rule, the pilot's are not among them)
    results.push({ ...judge(sim.summary, "cluster.availability", exact.unavailability, true), stop: sim.runsDone * 32 });
  }
  row(`${label}: cluster.availability (stops in cycles)`, results);
}

console.log(`Coverage of 95 % intervals over ${seeds} seeds (${process.env.MQREL_API ?? "this build"}):`);
const acks1 = preset("kafka-acks1");
const runUnit = [
  ["message.loss", true],
  ["message.duplicates", true],
  ["cluster.availability", true],
];
await plainCase("kafka-acks1, 10 runs × 10 years", acks1, 10, 10 * YEAR, runUnit);
await plainCase("kafka-acks1, 30 runs × 10 years", acks1, 30, 10 * YEAR, runUnit);
const zones = [
  ["cluster.availability", true],
  ["cluster.outages_per_year", false],
];
await plainCase("zones 2+2+1 majority, 100 runs × 20 years", benchModel("zones-majority"), 100, 20 * YEAR, zones);
await plainCase("zones 2+2+1 majority, 400 runs × 20 years", benchModel("zones-majority"), 400, 20 * YEAR, zones);
await plainCase(
  "plain, --target-rel-error 0.1, quorum-fast, ≤ 2000 runs × 2000 h",
  benchModel("quorum-fast"),
  2000,
  2000,
  [["cluster.availability", true]],
  0.1,
);
for (const name of Object.keys(CHAINS)) await importanceTargetCase(name, 0.1);
