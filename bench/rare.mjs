// Time to a 10 % relative error on the unavailability of a 3-of-5 cluster at about 1e-6,
// 1e-9 and 1e-12 (bench/models/quorum-5-*.yaml), plain Monte Carlo beside importance
// sampling, with the variance reduction (a benchmark, not a test: it prints figures).
//
// - importance sampling: `mqrel simulate <model> --method is --target-rel-error 0.1`, timed
//   end to end (a fresh process, as a user runs it);
// - plain Monte Carlo: `--method plain --target-rel-error 0.1` where it finishes in
//   reasonable time (the 1e-6 model); everywhere, also extrapolated: the simulated time
//   plain needs for ±10 % (the importance-sampling run's estimate of it, scaled from the
//   error it reached to 10 %) over the simulated hours per second plain manages here,
//   measured on a short plain run of the same model.
//   npm run build && node bench/rare.mjs [--no-plain-run]
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { evaluateMetrics, loadModel } from "../dist/api.js";

const HOURS_PER_YEAR = 8766;
const bin = fileURLToPath(new URL("../bin/mqrel.js", import.meta.url));
const model = (tag) => fileURLToPath(new URL(`./models/quorum-5-${tag}.yaml`, import.meta.url));
const runPlain = !process.argv.includes("--no-plain-run");

function mqrel(args) {
  const started = performance.now();
  const stdout = execFileSync(process.execPath, [bin, ...args, "--json", "--quiet"], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "ignore"],
  });
  return { seconds: (performance.now() - started) / 1000, json: JSON.parse(stdout) };
}

const e2 = (x) => (Number.isFinite(x) ? x.toExponential(2).replace("e+", "e") : String(x));
function duration(seconds) {
  if (!Number.isFinite(seconds)) return "∞";
  if (seconds < 120) return `${seconds.toFixed(2)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds < 2 * 365.25 * 86400) return `${(seconds / 86400).toFixed(1)} days`;
  return `${e2(seconds / (365.25 * 86400))} years`;
}

console.log(`3 of 5 nodes, MTTR 4 h, 2 crews; ${availableParallelism()} cores; time to ±10 % (95 % half-width) on the unavailability\n`);
const rows = [];
for (const tag of ["1e-6", "1e-9", "1e-12"]) {
  const file = model(tag);
  // the exact value: the model's own formula (availability.ctmc, GTH on the chain)
  const exact = evaluateMetrics(loadModel(file)).get("cluster.availability")?.complement;

  const is = mqrel(["simulate", file, "--method", "is", "--target-rel-error", "0.1"]);
  const u = is.json.metrics["cluster.availability"];
  const info = is.json.importance_sampling;
  const covers = u.complement_ci[0] <= exact && exact <= u.complement_ci[1];
  // simulated time plain needs for ±10 %: for the error reached, plain_equivalent_hours; the
  // variance falls like 1/time
  const plainHours = info.plain_equivalent_hours * (u.relative_error / 0.1) ** 2;

  // plain throughput on this model, on every core: the slope between a run and one ten
  // times as long, so that start-up and the JIT's warm-up do not count; on a loaded
  // machine the difference can still come out ≤ 0 (the short run slowed more than the
  // long one), and then the long run's own rate stands in (start-up included: it errs slow)
  const probe = (years) =>
    mqrel(["simulate", file, "--method", "plain", "--runs", String(4 * availableParallelism()), "--horizon", `${years} years`]);
  const short = probe(2000);
  const long = probe(20000);
  const slope = (long.json.simulated_hours - short.json.simulated_hours) / (long.seconds - short.seconds);
  const hoursPerSecond = long.seconds > short.seconds ? slope : long.json.simulated_hours / long.seconds;
  const plainExtrapolated = plainHours / hoursPerSecond;

  let plainMeasured;
  if (runPlain && tag === "1e-6") {
    const plain = mqrel([
      "simulate",
      file,
      "--method",
      "plain",
      "--runs",
      "100000",
      "--horizon",
      "2000 years",
      "--target-rel-error",
      "0.1",
    ]);
    const pu = plain.json.metrics["cluster.availability"];
    plainMeasured = {
      seconds: plain.seconds,
      years: plain.json.simulated_hours / HOURS_PER_YEAR,
      relativeError: (pu.complement_ci[1] - pu.complement_ci[0]) / 2 / pu.complement,
      covers: pu.complement_ci[0] <= exact && exact <= pu.complement_ci[1],
    };
  }
  rows.push({ tag, exact, is, u, info, covers, plainHours, plainExtrapolated, plainMeasured, hoursPerSecond });
}

const header = [
  "model",
  "exact U",
  "IS: time",
  "cycles (fresh, after a pilot of 1 024)",
  "rel. error",
  "covers",
  "variance reduction / cycle",
  "plain: simulated years for ±10 %",
  "plain: time to ±10 %",
];
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const r of rows) {
  const plainTime = r.plainMeasured
    ? `${duration(r.plainMeasured.seconds)} measured (${e2(r.plainMeasured.years)} years, ±${(r.plainMeasured.relativeError * 100).toFixed(1)} %, ${r.plainMeasured.covers ? "covers" : "misses"}); ${duration(r.plainExtrapolated)} extrapolated`
    : `${duration(r.plainExtrapolated)} extrapolated`;
  console.log(
    `| quorum-5-${r.tag} | ${e2(r.exact)} | ${duration(r.is.seconds)} | ${r.info.cycles} | ±${(r.u.relative_error * 100).toFixed(1)} % | ${r.covers ? "yes" : "NO"} | ${e2(r.u.variance_reduction)} | ${e2(r.plainHours / HOURS_PER_YEAR)} | ${plainTime} |`,
  );
}
console.log(
  `\nplain throughput here: ${rows.map((r) => `${r.tag}: ${e2(r.hoursPerSecond / HOURS_PER_YEAR)} simulated years/s`).join(", ")} (all cores)`,
);
