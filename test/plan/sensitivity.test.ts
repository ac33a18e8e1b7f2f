import { describe, expect, it } from "vitest";
import { expectRelativelyClose } from "../helpers/close.js";
import { run, runJson } from "../helpers/inProcess.js";
import { chainUnavailability } from "../helpers/quorumChain.js";
import { Rational } from "../helpers/rational.js";

// test/fixtures/classic/default.yaml: 3 nodes, majority (2), mtbf 2 years = 17532 h, mttr 4 h, 3 crews,
// common cause 0.1 / year (= 0.1 / 8766 per hour), 2 h.
const DEFAULT = { nodes: 3, quorum: 2, crews: 3, mtbfHours: 17532, mttrHours: 4, ccRatePerHour: 0.1 / 8766, ccMttrHours: 2 };
const nines = (u: number) => -Math.log10(u);

describe("mqrel sensitivity", () => {
  it("when run on the default model then the common cause ranks first", async () => {
    const json = await runJson(["sensitivity", "test/fixtures/classic/default.yaml", "--metric", "cluster.availability", "--json"]);
    expect(json.metric).toBe("cluster.availability");
    expect(json.rows[0].path).toMatch(/^cluster\.common_cause\./);
    expect(json.rows[1].path).toMatch(/^cluster\.common_cause\./);
    const swings: number[] = json.rows.map((row: { swing_nines: number }) => row.swing_nines);
    expect(swings).toEqual([...swings].sort((a, b) => b - a));
    for (const row of json.rows)
      expect(Object.keys(row)).toEqual(expect.arrayContaining(["path", "value_low", "value_high", "swing_nines"]));
  });

  it("when an input moves by ±10 % then the metric at each end and the swing match the exact chain", async () => {
    const json = await runJson(["sensitivity", "test/fixtures/classic/default.yaml", "--json"]);
    const rate = json.rows.find((row: { path: string }) => row.path === "cluster.common_cause.rate");
    // independent reference: the chain's balance equations in exact rationals at 0.9 and 1.1 × the rate
    const base = chainUnavailability(DEFAULT);
    const low = chainUnavailability({ ...DEFAULT, ccRatePerHour: 0.09 / 8766 });
    const high = chainUnavailability({ ...DEFAULT, ccRatePerHour: 0.11 / 8766 });
    expectRelativelyClose(1 - rate.value_low, low, 1e-9, "low");
    expectRelativelyClose(rate.low.complement, low, 1e-12, "low complement");
    expectRelativelyClose(rate.high.complement, high, 1e-12, "high complement");
    expectRelativelyClose(
      rate.swing_nines,
      Math.max(nines(low), nines(base), nines(high)) - Math.min(nines(low), nines(base), nines(high)),
      1e-9,
    );
    expectRelativelyClose(json.base.complement, base, 1e-12, "base");
  });

  it("when counts move by one then they are ranked apart, with the quorum recomputed", async () => {
    const json = await runJson(["sensitivity", "test/fixtures/classic/default.yaml", "--json"]);
    expect(json.rows.some((row: { path: string }) => row.path === "cluster.nodes")).toBe(false);
    const nodes = json.count_rows[0];
    expect(nodes.path).toBe("cluster.nodes");
    expect([nodes.low.input, nodes.high.input]).toEqual([2, 4]);
    // 2 nodes, majority 2; 4 nodes, majority 3 (crews stay 3)
    expectRelativelyClose(nodes.low.complement, chainUnavailability({ ...DEFAULT, nodes: 2, quorum: 2 }), 1e-12);
    expectRelativelyClose(nodes.high.complement, chainUnavailability({ ...DEFAULT, nodes: 4, quorum: 3 }), 1e-12);
  });

  it("when a probability near 1 moves then its complement moves by ±by", async () => {
    const json = await runJson(["sensitivity", "test/fixtures/classic/default.yaml", "--metric", "retry.success", "--json"]);
    const p = json.rows.find((row: { path: string }) => row.path === "retry.p_success");
    expect(p.step).toBe("complement");
    expect([p.low.input, p.high.input]).toEqual([0.89, 0.91]);
    // 4 attempts fit before the 120 s deadline: failure = (1 − p)^4, exactly
    expectRelativelyClose(p.low.complement, Rational.of("0.11").pow(4).toNumber(), 1e-14);
    expectRelativelyClose(p.high.complement, Rational.of("0.09").pow(4).toNumber(), 1e-14);
  });

  it("names the dominant contributor, computed by removing each mechanism", async () => {
    const json = await runJson(["sensitivity", "test/fixtures/classic/default.yaml", "--json"]);
    const c = json.contributors;
    expect(c.dominant).toBe("common_cause");
    const total = chainUnavailability(DEFAULT);
    // without the common cause: 2-of-3 independent nodes, u = 4 / 17536 → 3u²(1 − u) + u³ (exact)
    const u = Rational.of(4).div(Rational.of(17536));
    const withoutCc = Rational.of(3).mul(u.pow(2)).mul(Rational.of(1).sub(u)).add(u.pow(3)).toNumber();
    const byMechanism = Object.fromEntries(c.contributions.map((x: { mechanism: string }) => [x.mechanism, x]));
    expectRelativelyClose(byMechanism.common_cause.without, withoutCc, 1e-12);
    expectRelativelyClose(byMechanism.common_cause.share, (total - withoutCc) / total, 1e-9);
    // without node failures only C remains: λ_cc / (λ_cc + μ_cc) (hand)
    expectRelativelyClose(byMechanism.node_failures.without, DEFAULT.ccRatePerHour / (DEFAULT.ccRatePerHour + 0.5), 1e-13);
    const text = await run(["sensitivity", "test/fixtures/classic/default.yaml"]);
    expect(text.stdout).toMatch(/The common cause is 99\.3 % of the downtime/);
    expect(text.stdout).toMatch(/^cluster\.common_cause\.\w+ +[ █]*│[ █]*/m);
  });

  it("when --by or the metric is wrong then it exits 2 with one line", async () => {
    for (const args of [
      ["--by", "150%"],
      ["--by", "abc"],
      ["--metric", "retry.sucess"],
    ]) {
      const r = await run(["sensitivity", "test/fixtures/classic/default.yaml", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    const absent = await run(["sensitivity", "test/fixtures/classic/nats-jetstream-r3.yaml", "--metric", "retry.success"]);
    expect(absent.stderr).toMatch(/does not compute retry\.success/);
  });
});
