/**
 * Importance sampling on realistic mechanics (lognormal repairs, fixed elections) where the
 * metrics it estimates do not depend on the repair-time distribution beyond its mean
 * (src/sim/estimate/insensitivity.ts), and its refusal where they may.
 *
 * References, computed here independently of src/:
 * - the product form: with a repair crew per node and no common cause, nodes' processes
 *   and zones are independent alternating renewal processes, each down a fraction
 *   (Σ λ_m·r_m)/(1 + Σ λ_m·r_m) of the time whatever the repair law (Ross, Stochastic
 *   Processes, 2nd ed., 1996, §3.4.1); the cluster's unavailability and loss rate are sums
 *   over every up/down state of nodes and zones (brute-force enumeration below), checked
 *   against `eval` (the exact chain);
 * - the mean time from all-up to a quorum loss of 2 of 3 nodes with repairs of law G:
 *   (1/(3λ) + (1 − G*(2λ))/(2λ)) / (1 − G*(2λ)), G*(s) = E[e^{−sR}] (first step from all-up;
 *   D. P. Gaver, IEEE Trans. Reliability R-12, 1963, for two units), with the lognormal's
 *   transform integrated numerically — not the exponential's, which is why cluster.mttf is
 *   left to plain runs;
 * - where --method is is refused: two nodes sharing one crew (the finite-source queue: a
 *   busy period holds 1/G*(λ) repairs) and one node under a common cause that voids its
 *   repair (its down time between common causes is the alternating renewal process's
 *   Laplace transform at the common cause's rate): plain lognormal runs follow these
 *   transforms, far from the exponential chain's values.
 *
 * Seeded: a failure names the seed, the estimate, the reference and the standard error.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/runCli.js";

const HOURS_PER_YEAR = 8766;
const K = 4;
const SEED = 1;
const INDEPENDENT = "test/fixtures/importance/independent-repairs.yaml";
const FAST = "test/fixtures/importance/independent-fast.yaml";

interface JsonEstimate {
  estimate: number;
  complement?: number;
  standard_error: number;
  method: string;
  enough_events: boolean;
}

async function json(args: string[]): Promise<Record<string, unknown> & { metrics: Record<string, JsonEstimate> }> {
  const r = await runCli(args);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** `eval`'s exact values of a model: metric → value (the complement where there is one). */
async function exact(file: string): Promise<Record<string, number>> {
  const out = (await json(["eval", file, "--json"])) as unknown as {
    models: { metrics: Record<string, { value: number; complement?: number }> }[];
  };
  const metrics = out.models[0]?.metrics ?? {};
  return Object.fromEntries(Object.entries(metrics).map(([id, m]) => [id, m.complement ?? m.value]));
}

/** Within K standard errors, and a test that could fail: K·SE at most 10 % of the reference. */
function expectNear(what: string, value: number, standardError: number, reference: number): void {
  const context = `${what} (seed ${SEED}): estimate ${value}, reference ${reference}, SE ${standardError}`;
  expect(standardError > 0 && K * standardError <= 0.1 * reference, `${context}: the test could not fail`).toBe(true);
  const z = (value - reference) / standardError;
  expect(Math.abs(z), `${context}: ${z.toFixed(2)} standard errors off`).toBeLessThanOrEqual(K);
}

/**
 * Unavailability and quorum losses per hour of k of n nodes in zones, every node process
 * and zone independent, by enumerating every state: `processDown` and `zoneDown` the
 * stationary fractions of time down, `processRate` and `zoneRate` the failure rates while up.
 */
function productForm(spec: {
  zoneOf: readonly number[];
  quorum: number;
  processDown: number;
  processRate: number;
  zoneDown: number;
  zoneRate: number;
}): { unavailability: number; lossesPerHour: number } {
  const n = spec.zoneOf.length;
  const zones = Math.max(...spec.zoneOf) + 1;
  let unavailability = 0;
  let lossesPerHour = 0;
  for (let procMask = 0; procMask < 1 << n; procMask++) {
    for (let zoneMask = 0; zoneMask < 1 << zones; zoneMask++) {
      // bit set: down
      let p = 1;
      for (let i = 0; i < n; i++) p *= procMask & (1 << i) ? spec.processDown : 1 - spec.processDown;
      for (let z = 0; z < zones; z++) p *= zoneMask & (1 << z) ? spec.zoneDown : 1 - spec.zoneDown;
      const nodeUp = (i: number) => !(procMask & (1 << i)) && !(zoneMask & (1 << (spec.zoneOf[i] as number)));
      let up = 0;
      for (let i = 0; i < n; i++) if (nodeUp(i)) up++;
      if (up < spec.quorum) {
        unavailability += p;
        continue;
      }
      // a node's failure loses the quorum when it is one of exactly k up; a zone's when it takes enough
      let rate = up === spec.quorum ? up * spec.processRate : 0;
      for (let z = 0; z < zones; z++) {
        if (zoneMask & (1 << z)) continue;
        let inZone = 0;
        for (let i = 0; i < n; i++) if (spec.zoneOf[i] === z && nodeUp(i)) inZone++;
        if (up - inZone < spec.quorum) rate += spec.zoneRate;
      }
      lossesPerHour += p * rate;
    }
  }
  return { unavailability, lossesPerHour };
}

/** E[e^{−sR}] for R lognormal with this mean and σ (trapezoid over the normal's ±12σ: error far below 1e-12). */
function lognormalTransform(s: number, mean: number, sigma: number): number {
  const mu = Math.log(mean) - (sigma * sigma) / 2;
  const steps = 24_000;
  const h = 24 / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const z = -12 + i * h;
    const w = i === 0 || i === steps ? 0.5 : 1;
    sum += (w * Math.exp(-(z * z) / 2 - s * Math.exp(mu + sigma * z))) / Math.sqrt(2 * Math.PI);
  }
  return sum * h;
}

describe("importance sampling with realistic mechanics where the metrics are insensitive", () => {
  // independent-repairs.yaml: 3 of 5 in zones 2+2+1; hardware 1/year, 24 h (a crew each);
  // crash 4/year, 30 min; zone outages 0.5/year, 3 h
  const load = (x: number) => x / (1 + x);
  const reference = productForm({
    zoneOf: [0, 0, 1, 1, 2],
    quorum: 3,
    processDown: load((1 / HOURS_PER_YEAR) * 24 + (4 / HOURS_PER_YEAR) * 0.5),
    processRate: 5 / HOURS_PER_YEAR,
    zoneDown: load((0.5 / HOURS_PER_YEAR) * 3),
    zoneRate: 0.5 / HOURS_PER_YEAR,
  });

  it("when the product form is enumerated then it is eval's exact chain (the reference is right)", async () => {
    const e = await exact(INDEPENDENT);
    expect(Math.abs(reference.unavailability / (e["cluster.availability"] as number) - 1)).toBeLessThan(1e-9);
    expect(Math.abs((reference.lossesPerHour * HOURS_PER_YEAR) / (e["cluster.outages_per_year"] as number) - 1)).toBeLessThan(1e-9);
  });

  it("when --method is runs on lognormal repairs with a crew per node then availability and quorum losses agree with the exact values, the rows say it is the exponential equivalent, and MTTF and the queue come from plain runs", async () => {
    // Act
    const out = await json([
      "simulate",
      INDEPENDENT,
      "--method",
      "is",
      "--cycles",
      "65536",
      "--runs",
      "10",
      "--horizon",
      "100 years",
      "--seed",
      String(SEED),
      "--json",
    ]);

    // Assert
    expect(out.method).toBe("importance sampling");
    expect(out.method_note).toMatch(
      /^importance sampling, as asked \(--method is\); on the exponential-equivalent chain .*; cluster\.mttf and queue\.availability from plain runs beside it$/,
    );
    const u = out.metrics["cluster.availability"] as JsonEstimate;
    expectNear("unavailability", u.complement as number, u.standard_error, reference.unavailability);
    expect(u.method).toMatch(
      /importance sampling .* of the exponential-equivalent chain \(the same mean times\), which has the same value/,
    );
    const o = out.metrics["cluster.outages_per_year"] as JsonEstimate;
    expectNear("quorum losses per year", o.estimate, o.standard_error, reference.lossesPerHour * HOURS_PER_YEAR);
    expect(o.method).toMatch(/exponential-equivalent chain/);
    expect(out.metrics["cluster.mttf"]?.method).toMatch(/^exposure from all-up to the first quorum loss/);
    expect(out.metrics["queue.availability"]?.method).toMatch(/^time without quorum or without an elected leader/);
  });

  it("when plain Monte Carlo simulates lognormal repairs with a crew per node then it agrees with the exponential chain's availability and losses, but not its MTTF (independent evidence of which metrics are insensitive)", async () => {
    // independent-fast.yaml: 2 of 3, MTBF 200 h, MTTR 20 h, a crew per node
    const lambda = 1 / 200;
    const q = load(lambda * 20);
    const unavailability = 3 * q * q * (1 - q) + q * q * q;
    const lossesPerYear = 2 * lambda * 3 * q * (1 - q) ** 2 * HOURS_PER_YEAR;
    const e = await exact(FAST);
    expect(Math.abs(unavailability / (e["cluster.availability"] as number) - 1)).toBeLessThan(1e-12);
    const mttfWith = (g: number) => (1 / (3 * lambda) + (1 - g) / (2 * lambda)) / (1 - g);
    const mttfExponential = mttfWith(1 / (1 + 2 * lambda * 20));
    expect(Math.abs(mttfExponential / (e["cluster.mttf"] as number) - 1)).toBeLessThan(1e-12);
    const mttfLognormal = mttfWith(lognormalTransform(2 * lambda, 20, 1));

    // Act
    const out = await json([
      "simulate",
      FAST,
      "--method",
      "plain",
      "--runs",
      "80",
      "--horizon",
      "200 years",
      "--seed",
      String(SEED),
      "--json",
    ]);

    // Assert
    const u = out.metrics["cluster.availability"] as JsonEstimate;
    expectNear("plain unavailability", u.complement as number, u.standard_error, unavailability);
    const o = out.metrics["cluster.outages_per_year"] as JsonEstimate;
    expectNear("plain quorum losses per year", o.estimate, o.standard_error, lossesPerYear);
    const m = out.metrics["cluster.mttf"] as JsonEstimate;
    expectNear("plain MTTF against the lognormal first-step formula", m.estimate, m.standard_error, mttfLognormal);
    // the exponential chain's MTTF is 2.7 % lower: more than 2K standard errors away, so the MTTF is sensitive
    expect(Math.abs(mttfLognormal - mttfExponential), `MTTF SE ${m.standard_error}: the difference could not be seen`).toBeGreaterThan(
      2 * K * m.standard_error,
    );
  });

  it("when the simulation on the exponential equivalent is run as 3 shards and merged then it prints exactly what the unsharded one prints", async () => {
    const args = ["simulate", INDEPENDENT, "--method", "is", "--cycles", "2048", "--runs", "6", "--horizon", "20 years", "--json"];
    const directory = mkdtempSync(join(tmpdir(), "mqrel-equivalent-shards-"));
    const whole = await runCli(args);
    for (let i = 1; i <= 3; i++) {
      const r = await runCli([...args, "--shard", `${i}/3`, "--out", `${directory}/`]);
      expect(r.status, r.stderr).toBe(0);
    }
    const merged = await runCli(["merge", directory, "--json"]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
    expect(JSON.parse(merged.stdout).metrics["cluster.availability"].method).toMatch(/exponential-equivalent chain/);
  });

  it("when auto decides on these mechanics then it may pick importance sampling, on the exponential equivalent", async () => {
    const out = await json(["simulate", INDEPENDENT, "--runs", "10", "--horizon", "100 years", "--cycles", "1024", "--json"]);
    expect(out.method).toBe("importance sampling");
    expect(out.method_note).toMatch(/^auto chose importance sampling: .*; on the exponential-equivalent chain/);
  });
});

describe("the mechanisms that make --method is refuse: plain lognormal runs depart from the exponential chain", () => {
  // sensitive-2.yaml: λ = 1/h, mean repair 1 h, lognormal σ = 1.5
  const SENSITIVE = "test/fixtures/importance/sensitive-2.yaml";
  const g = lognormalTransform(1, 1, 1.5);
  const run = ["--method", "plain", "--runs", "40", "--horizon", "10000h", "--seed", String(SEED), "--json"];

  it("when two nodes, both needed, share one crew then the unavailability follows the repair law's transform, not its mean", async () => {
    // busy periods of the finite-source queue (two sources, one server): 1/G*(λ) repairs each
    const withTransform = (t: number) => 1 / t / (1 / 2 + 1 / t);
    const exponential = withTransform(1 / 2);
    expect(Math.abs(exponential / ((await exact(SENSITIVE))["cluster.availability"] as number) - 1)).toBeLessThan(1e-12);
    const lognormal = withTransform(g);

    const out = await json(["simulate", SENSITIVE, ...run]);

    const u = out.metrics["cluster.availability"] as JsonEstimate;
    expectNear("unavailability with a shared crew", u.complement as number, u.standard_error, lognormal);
    expect(exponential - lognormal, `SE ${u.standard_error}: the exponential chain would not be told apart`).toBeGreaterThan(
      2 * K * u.standard_error,
    );
  });

  it("when a common cause voids the repairs under way then the unavailability follows the repair law's transform, not its mean", async () => {
    // one node (λ = 1), common causes at γ = 1/h lasting 1 h on average: the node's down time in
    // the Exp(γ) span between them is F*(γ)(1 − G*(γ)) / (γ(1 − F*(γ)G*(γ))), F*(γ) = λ/(λ + γ)
    const withTransform = (t: number) => (((1 / 2) * (1 - t)) / (1 - t / 2) + 1) / 2;
    const cc = [
      "--set",
      "cluster.nodes=1",
      "--set",
      "cluster.quorum=1",
      "--set",
      "cluster.common_cause.rate=1/h",
      "--set",
      "cluster.common_cause.mttr=1h",
    ];
    const exponential = withTransform(1 / 2);
    const lognormal = withTransform(g);

    const out = await json(["simulate", SENSITIVE, ...cc, ...run]);

    const u = out.metrics["cluster.availability"] as JsonEstimate;
    expectNear("unavailability under a common cause", u.complement as number, u.standard_error, lognormal);
    expect(exponential - lognormal, `SE ${u.standard_error}: the exponential chain would not be told apart`).toBeGreaterThan(
      2 * K * u.standard_error,
    );
  });
});
