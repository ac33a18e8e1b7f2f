// Start-up benchmark (not a test): wall time of `mqrel formula …` against `node -e 0`,
// run alternately, median of N runs each. Issue #2 asks for at most 3×.
//   node bench/startup.mjs [runs]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[2] ?? 21);
const bin = fileURLToPath(new URL("../bin/mqrel.js", import.meta.url));
const commands = {
  "node -e 0": ["-e", "0"],
  "mqrel formula availability.kofn": [bin, "formula", "availability.kofn", "-p", "k=2", "-p", "n=3", "-p", "a=0.999", "--json"],
  "mqrel formula availability.node (units)": [bin, "formula", "availability.node", "-p", "mtbf=2 years", "-p", "mttr=4 h"],
  "mqrel --help": [bin, "--help"],
};

const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(commands)) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: "ignore" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}`);
    times[name].push(ms);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times["node -e 0"]);
console.log(`start-up, median of ${runs} runs each (interleaved)`);
console.log("command".padEnd(42), "median ms".padStart(10), "× node -e 0".padStart(12));
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(name.padEnd(42), m.toFixed(1).padStart(10), (m / base).toFixed(2).padStart(12));
}
