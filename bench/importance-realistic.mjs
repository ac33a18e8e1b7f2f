// Coverage of importance sampling on realistic mechanics (a benchmark, not a test: it
// prints figures and never fails). With lognormal repairs and a crew per node, no common
// cause and no schedule, `--method is` runs on the exponential-equivalent chain
// (src/sim/estimate/insensitivity.ts): its availability and loss rate are those of the
// lognormal mechanics, so the intervals should cover the exact chain's values about 95 %
// of the time. The MTTF and the queue are left to plain runs and not measured here.
//
// Exact values: test/helpers/clusterChain.ts (every reachable state, GTH), bundled with
// esbuild by bench/shared.mjs.
//   npm run build && node bench/importance-realistic.mjs [seeds] [cycles]
import { runSimulation } from "../dist/api.js";
import { exponentialCluster, loadSolveChain, percent, wilson95 } from "./shared.mjs";

const seeds = Number(process.argv[2] ?? 200);
const cycles = Number(process.argv[3] ?? 4096);
const HOURS_PER_YEAR = 8766;

const solveChain = await loadSolveChain();

const MODELS = {
  // test/fixtures/importance/independent-repairs.yaml
  "3 of 5, zones 2+2+1, 2 modes, a crew each, σ = 1 (U ≈ 3.4e-6)": {
    chain: {
      nodes: 5,
      quorum: 3,
      crews: 5,
      modes: [
        { mtbf: HOURS_PER_YEAR, mttr: 24, crew: true },
        { mtbf: HOURS_PER_YEAR / 4, mttr: 0.5, crew: false },
      ],
      zoneOf: [0, 0, 1, 1, 2],
      zoneRate: 0.5 / HOURS_PER_YEAR,
      zoneMttr: 3,
    },
    sigma: 1,
  },
  "3 of 5, MTBF 1 year, MTTR 4 h, a crew each, σ = 2 (U ≈ 9.5e-10)": {
    chain: { nodes: 5, quorum: 3, crews: 5, modes: [{ mtbf: HOURS_PER_YEAR, mttr: 4, crew: true }] },
    sigma: 2,
  },
};

function realisticConfig({ chain: m, sigma }) {
  return {
    mode: "realistic",
    horizonHours: 1,
    cluster: {
      ...exponentialCluster({ ...m, ccRate: 0, ccMttr: 1, failover: undefined }),
      repair: { kind: "lognormal", sigma },
      failover: { meanHours: 15 / 3600, fixed: true },
    },
  };
}

const cell = (h) => {
  const [low, high] = wilson95(h, seeds);
  return `${percent(h / seeds)} [${percent(low)}, ${percent(high)}]`;
};

console.log(
  `Importance sampling on lognormal repairs (the exponential equivalent): ${seeds} seeds × ${cycles} cycles per model; share of 95 % intervals covering the exact value [its 95 % interval]\n`,
);
console.log("| model | unavailability | quorum losses / year | median relative error | MTTF and queue |");
console.log("|---|---|---|---|---|");
for (const [name, model] of Object.entries(MODELS)) {
  const exact = solveChain(model.chain);
  const config = realisticConfig(model);
  let u = 0;
  let o = 0;
  let omitted = true;
  const relative = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const { summary } = await runSimulation(config, {
      runs: Math.ceil(cycles / 32),
      seed,
      workers: 1,
      kernel: { kind: "is", bias: 0.5, cyclesPerRun: 32 },
    });
    const a = summary.metrics["cluster.availability"];
    const b = summary.metrics["cluster.outages_per_year"];
    if (a.complementCi[0] <= exact.unavailability && exact.unavailability <= a.complementCi[1]) u++;
    const rate = exact.lossRate * HOURS_PER_YEAR;
    if (b.ci[0] <= rate && rate <= b.ci[1]) o++;
    if ("cluster.mttf" in summary.metrics || "queue.availability" in summary.metrics) omitted = false;
    relative.push(a.relativeError);
  }
  relative.sort((x, y) => x - y);
  console.log(
    `| ${name} | ${cell(u)} | ${cell(o)} | ±${percent(relative[Math.floor(relative.length / 2)])} | ${omitted ? "left to plain runs" : "ESTIMATED (wrong)"} |`,
  );
}
