// Interval coverage and false alarms (a benchmark, not a test: it prints figures and
// never fails). For each scenario it simulates over many seeds and counts how often the
// 95 % interval covers the exact value — which should be about 95 % — and how often
// `validate --assume formula` on a correct model calls a formula "disagrees", which
// should be at most 1 %. The figures go in docs/simulator.md "Statistics".
//   npm run build && node bench/coverage.mjs [seeds] [false-alarm seeds] [scenario regex] [false-alarm run counts, default 10,200]
import { fileURLToPath } from "node:url";
import { compareMetrics, evaluateMetrics, loadModel, runSimulation, simConfigFromModel } from "../dist/api.js";
import { percent, wilson95 } from "./shared.mjs";

const seeds = Number(process.argv[2] ?? 200);
const alarmSeeds = Number(process.argv[3] ?? 400);
/** only the scenarios whose label matches (e.g. "retries"); false alarms run when it matches "alarm" */
const only = new RegExp(process.argv[4] ?? ".");
const model = (name) => fileURLToPath(new URL(`./models/${name}.yaml`, import.meta.url));
const preset = (name) => fileURLToPath(new URL(`../models/${name}.yaml`, import.meta.url));

// Exact retry failure of bench/models/retry-realistic.yaml, from the Markov chain in 40
// digits: python3 test/reference/retry_chain.py 3 2 "1/100" 0.25 1 0.001 0.5 0.9 5 \
//   "30/3600" "0.1/3600" 2 "1/3600" "120/3600"  →  P(all attempts fail): 0.0107696959515318785915796517518
const RETRY_REALISTIC_FAILURE = 0.010769695951531879;

/** The scenarios: a model, how it is simulated, and which estimate is checked against what. */
const scenarios = [
  {
    label: "unavailability, 2000 runs × 200 h (short horizon)",
    file: model("quorum-fast"),
    mode: "formula",
    runs: 2000,
    horizonHours: 200,
    metric: "cluster.availability",
    small: true,
  },
  {
    label: "unavailability, 200 runs × 20 000 h",
    file: model("quorum-fast"),
    mode: "formula",
    runs: 200,
    horizonHours: 20_000,
    metric: "cluster.availability",
    small: true,
  },
  {
    label: "unavailability, 10 runs × 200 000 h (cycles as units)",
    file: model("quorum-fast"),
    mode: "formula",
    runs: 10,
    horizonHours: 200_000,
    metric: "cluster.availability",
    small: true,
  },
  {
    label: "MTTF, 2000 runs × 200 h (short horizon)",
    file: model("quorum-fast"),
    mode: "formula",
    runs: 2000,
    horizonHours: 200,
    metric: "cluster.mttf",
    small: false,
  },
  {
    label: "MTTF, 200 runs × 20 000 h",
    file: model("quorum-fast"),
    mode: "formula",
    runs: 200,
    horizonHours: 20_000,
    metric: "cluster.mttf",
    small: false,
  },
  {
    // 30 runs: the fewest whose run-as-unit interval the simulator calls reliable (issue 22)
    label: "message loss, 30 runs × 1000 years",
    file: model("loss-fast"),
    mode: "formula",
    runs: 30,
    horizonHours: 8_766_000,
    metric: "message.loss",
    small: false,
  },
  {
    label: "realistic retries, 100 runs × 2000 h",
    file: model("retry-realistic"),
    mode: "realistic",
    runs: 100,
    horizonHours: 2000,
    metric: "retry.success",
    small: true,
    exact: RETRY_REALISTIC_FAILURE,
  },
  // fleets (sim/kernel/fleetTracker.ts): the exact value from the product-form sum over independent brokers
  ...[
    ["fleet.availability", true],
    ["fleet.partitions_unavailable", false],
    ["fleet.loss_events_per_year", false],
    ["fleet.partitions_lost_per_year", false],
    ["fleet.elections_per_year", false],
  ].flatMap(([metric, small]) => [
    {
      label: `${metric}, 10 runs × 100 years (cycles as units)`,
      file: model("fleet-fast"),
      mode: "formula",
      runs: 10,
      horizonHours: 876_600,
      metric,
      small,
    },
    {
      label: `${metric}, 40 runs × 25 years (runs as units)`,
      file: model("fleet-fast"),
      mode: "formula",
      runs: 40,
      horizonHours: 219_150,
      metric,
      small,
    },
  ]),
];

async function coverage(s) {
  const started = performance.now();
  const loaded = loadModel(s.file);
  const analytic = evaluateMetrics(loaded).get(s.metric);
  const exact = s.exact ?? (s.small ? analytic.complement : analytic.value);
  const { config } = simConfigFromModel(loaded, { mode: s.mode, runs: s.runs, horizonHours: s.horizonHours });
  let covered = 0;
  let judged = 0;
  let below = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const { summary } = await runSimulation(config, { runs: s.runs, seed, workers: 2 });
    const e = summary.metrics[s.metric];
    const ci = s.small ? e.complementCi : e.ci;
    if (!ci) continue;
    judged++;
    if (exact >= ci[0] && exact <= ci[1]) covered++;
    else if (exact < ci[0]) below++;
  }
  const [lo, hi] = wilson95(covered, judged);
  console.log(
    `${s.label.padEnd(58)} ${String(covered).padStart(4)}/${judged} = ${percent(covered / judged)}  (95 % CI ${percent(lo)} … ${percent(hi)}; misses with the exact value below the interval: ${below}; ${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}

async function falseAlarms(file, runs) {
  const loaded = loadModel(file);
  const analytic = evaluateMetrics(loaded);
  const { config } = simConfigFromModel(loaded, { mode: "formula", runs });
  let alarms = 0;
  let nothingJudged = 0;
  const culprits = new Map();
  for (let seed = 1; seed <= alarmSeeds; seed++) {
    const { summary } = await runSimulation(config, { runs, seed, workers: 2 });
    const validation = compareMetrics(analytic, summary);
    if (validation.disagreement) {
      alarms++;
      for (const row of validation.rows)
        if (row.primary && row.verdict === "disagrees") culprits.set(row.metric, (culprits.get(row.metric) ?? 0) + 1);
    }
    if (validation.judged === 0) nothingJudged++;
  }
  const [, hi] = wilson95(alarms, alarmSeeds);
  const by = [...culprits].map(([m, c]) => `${m} ${c}`).join(", ");
  console.log(
    `validate --assume formula ${file.split("/").pop()} --runs ${runs}: ${alarms}/${alarmSeeds} = ${percent(alarms / alarmSeeds)} false "disagrees" (95 % upper bound ${percent(hi)})${by ? `: ${by}` : ""}${nothingJudged ? `; ${nothingJudged} reports judged nothing` : ""}`,
  );
}

console.log(`Coverage of the 95 % intervals over ${seeds} seeds (the exact value from the Markov chain or the closed form):`);
for (const s of scenarios) if (only.test(s.label)) await coverage(s);
if (only.test("false alarms")) {
  console.log(`\nFalse alarms over ${alarmSeeds} seeds (the formulas are exact, so every "disagrees" is false):`);
  for (const runs of (process.argv[5] ?? "10,200").split(",").map(Number)) await falseAlarms(preset("default"), runs);
}
