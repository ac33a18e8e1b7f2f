// What the coverage benchmarks share (not a test): the Wilson interval of a coverage
// figure, how it is printed, the exact chain of test/helpers/clusterChain.ts (bundled with
// esbuild: the helper is TypeScript), and a small chain description as the simulator's
// exponential cluster configuration.
import { build } from "esbuild";

/** Wilson's 95 % interval of k successes in n trials (Wilson 1927): [low, high]. */
export function wilson95(k, n) {
  const z = 1.959963984540054;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [centre - half, centre + half];
}

/** 0.9531 → "95.3 %" */
export const percent = (x) => `${(100 * x).toFixed(1)} %`;

/** test/helpers/clusterChain.ts's solveChain: every state of the chain solved by GTH. */
export async function loadSolveChain() {
  const bundled = await build({
    entryPoints: [new URL("../test/helpers/clusterChain.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
  });
  const helper = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString("base64")}`);
  return helper.solveChain;
}

/**
 * A chain description ({nodes, quorum, crews, modes: [{mtbf, mttr, crew}], ccRate?,
 * ccMttr?, zoneOf?, zoneRate?, zoneMttr?, failover?}) as the simulator's cluster with
 * exponential failures and repairs (a random election when `failover` is given).
 */
export function exponentialCluster(m) {
  return {
    nodes: m.nodes,
    quorum: m.quorum,
    repairCrews: m.crews,
    modes: m.modes.map((x, i) => ({ name: `mode${i}`, mtbfHours: x.mtbf, mttrHours: x.mttr, crew: x.crew })),
    failure: { kind: "exponential" },
    repair: { kind: "exponential" },
    commonCauseRatePerHour: m.ccRate ?? 0,
    commonCauseMttrHours: m.ccMttr ?? 1,
    warmupHours: 0,
    ...(m.zoneOf
      ? { zones: { zoneOfNode: m.zoneOf, count: Math.max(...m.zoneOf) + 1, outageRatePerHour: m.zoneRate, mttrHours: m.zoneMttr } }
      : {}),
    ...(m.failover !== undefined ? { failover: { meanHours: m.failover, fixed: false } } : {}),
  };
}
