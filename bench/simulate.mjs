// Simulator throughput (a benchmark, not a test): node events per second for a 3-node
// and a 7-node quorum cluster with exponential failures and repairs, messages off, on
// one worker and on every core — beside a hand-written, allocation-free reference loop
// (typed-array heap, xoshiro128**, state in locals) run on the same machine.
//   npm run build && node bench/simulate.mjs [seconds-per-case]
import { availableParallelism } from "node:os";
import { runSimulation } from "../dist/api.js";

const seconds = Number(process.argv[2] ?? 6);

/** The reference: the leanest loop we know how to write for a k-of-n cluster. */
function referenceLoop(n, k, mtbf, mttr, targetEvents) {
  const s = new Uint32Array([0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x8aed2a6b]);
  const next = () => {
    const s0 = s[0],
      s1 = s[1],
      s2 = s[2],
      s3 = s[3];
    const p = Math.imul(s1, 5);
    const r = Math.imul((p << 7) | (p >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0,
      n3 = s3 ^ s1;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = (n3 << 11) | (n3 >>> 21);
    return (r + 0.5) * 2.3283064365386963e-10;
  };
  const time = new Float64Array(n),
    heap = new Int32Array(n),
    up = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    time[i] = -Math.log(next()) * mtbf;
    heap[i] = i;
  }
  const sift = (size) => {
    // restore heap order from the root
    let i = 0;
    const id = heap[0];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && time[heap[c + 1]] < time[heap[c]]) c++;
      if (time[heap[c]] >= time[id]) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = id;
  };
  heap.sort((a, b) => time[a] - time[b]);
  let upCount = n,
    t = 0,
    down = 0,
    events = 0;
  while (events < targetEvents) {
    const id = heap[0];
    const at = time[id];
    if (upCount < k) down += at - t;
    t = at;
    events++;
    if (up[id]) {
      up[id] = 0;
      upCount--;
      time[id] = t - Math.log(next()) * mttr;
    } else {
      up[id] = 1;
      upCount++;
      time[id] = t - Math.log(next()) * mtbf;
    }
    sift(n);
  }
  return { events, unavailability: down / t };
}

function cluster(nodes, quorum) {
  return {
    mode: "formula",
    horizonHours: 1,
    cluster: {
      nodes,
      quorum,
      repairCrews: nodes,
      modes: [{ name: "node", mtbfHours: 100, mttrHours: 4, crew: true }],
      warmupHours: 0,
      failure: { kind: "exponential" },
      repair: { kind: "exponential" },
      commonCauseRatePerHour: 0,
      commonCauseMttrHours: 4,
    },
  };
}

async function engine(nodes, quorum, workers) {
  // size the work so that one worker takes about `seconds`
  const runs = 64;
  const eventsPerHour = (nodes * 2) / 104;
  const horizonHours = (seconds * 12e6) / runs / eventsPerHour;
  const config = { ...cluster(nodes, quorum), horizonHours };
  await runSimulation({ ...config, horizonHours: horizonHours / 50 }, { runs: 4, seed: 9, workers: 1 }); // warm up the JIT
  const started = performance.now();
  const result = await runSimulation(config, { runs, seed: 1, workers });
  const elapsed = (performance.now() - started) / 1000;
  return { rate: result.summary.nodeEvents / elapsed, workers: result.workersUsed };
}

const cores = availableParallelism();
const rows = [];
referenceLoop(3, 2, 100, 4, 2e6); // warm-up
const started = performance.now();
const ref = referenceLoop(3, 2, 100, 4, seconds * 15e6);
const refRate = ref.events / ((performance.now() - started) / 1000);
rows.push(["reference loop (hand-written), 3 nodes", 1, refRate]);
for (const [nodes, quorum] of [
  [3, 2],
  [7, 4],
]) {
  const one = await engine(nodes, quorum, 1);
  rows.push([`mqrel engine, ${nodes} nodes (quorum ${quorum})`, 1, one.rate]);
  const all = await engine(nodes, quorum, cores);
  rows.push([`mqrel engine, ${nodes} nodes (quorum ${quorum})`, all.workers, all.rate, one.rate]);
}
console.log(`simulator throughput, node events per second (${cores} cores, about ${seconds} s per case)`);
console.log("case".padEnd(42), "workers".padStart(8), "events/s".padStart(14), "vs ref".padStart(8), "speed-up".padStart(9));
for (const [name, workers, rate, base] of rows) {
  console.log(
    name.padEnd(42),
    String(workers).padStart(8),
    `${(rate / 1e6).toFixed(2).padStart(12)} M`,
    (rate / refRate).toFixed(2).padStart(8),
    base ? `${(rate / base).toFixed(2)}×`.padStart(9) : "".padStart(9),
  );
}
