/**
 * The cluster keys of docs/design.md §3a read from model files, evaluated in-process: the
 * held-out models of issue 10 written with exactly these keys give the values of the
 * independent mpmath chain (test/reference/cluster_chain_reference.py; the figures are
 * quoted in test/formulas/clusterChain.test.ts, where they are pasted from its output).
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/errors.js";
import { HOURS_PER_YEAR } from "../../src/expr/units.js";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics } from "../../src/model/evaluate.js";
import { parseModelText, resolveModel } from "../../src/model/index.js";
import { expectRelativelyClose } from "../helpers/close.js";

function model(yaml: string) {
  return resolveModel(parseModelText(yaml, "held-out.yaml"));
}

function metricsOf(yaml: string) {
  return evaluateMetrics(model(yaml));
}

function errorOf(yaml: string): string {
  try {
    model(yaml);
  } catch (error) {
    if (error instanceof InputError) return error.format();
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("held-out models with the issue-10 keys, against the mpmath chain", () => {
  it("when several failure modes share one crew (M1) then eval gives the exact chain", () => {
    const m = metricsOf(`
mqrel: 1
cluster:
  nodes: 3
  node:
    failures:
      hardware: { mtbf: 2 years, mttr: 8 h }
      disk: { mtbf: 5 years, mttr: 24 h }
      crash: { rate: 6 / year, mttr: 2 min, crew: false }
  repair_crews: 1
  common_cause: { rate: 0.05 / year, mttr: 4 h }
`);
    const cluster = m.get(METRIC.clusterAvailability);
    expect(cluster?.formula).toBe("availability.modes");
    // M1 U 0.00003097013023153218177617758505369032146617 (mpmath, 40 digits)
    expectRelativelyClose(cluster?.complement as number, 0.00003097013023153218, 1e-12);
    // M1 MTTF 97239.9039462993285959856406298095983352
    expectRelativelyClose(m.get(METRIC.clusterMttf)?.value as number, 97239.90394629932, 1e-12);
    // M1 F 0.0000103939290572579355869916174069687275859 per hour
    expectRelativelyClose(m.get(METRIC.clusterOutagesPerYear)?.value as number, 0.000010393929057257936 * HOURS_PER_YEAR, 1e-12);
  });

  it("when five nodes sit over zones 2+2+1 (M2) then the convolution gives the exact availability and the quorum survives a zone loss", () => {
    const m = metricsOf(`
mqrel: 1
cluster:
  nodes: 5
  node: { mtbf: 0.5 years, mttr: 8 h }
  zones:
    placement: [2, 2, 1]
    outage: { rate: 1 / year, mttr: 2 h }
`);
    const cluster = m.get(METRIC.clusterAvailability);
    expect(cluster?.formula).toBe("availability.zones");
    expect(cluster?.method).toMatch(/^convolution/);
    // M2 U 0.000002708679368597361294113635669316816820344
    expectRelativelyClose(cluster?.complement as number, 0.000002708679368597361, 1e-12);
    // M2 MTTF 576932.4697508490856599381557598519563918
    expectRelativelyClose(m.get(METRIC.clusterMttf)?.value as number, 576932.4697508491, 1e-12);
    expect(cluster?.zoneCheck).toMatchObject({ survives: true, upAfterWorstLoss: 3 });
  });

  it("when three nodes sit over 1+1+1 with failover (M3) then cluster and queue availability are exact", () => {
    const m = metricsOf(`
mqrel: 1
cluster:
  nodes: 3
  quorum: majority
  node:
    failures:
      hardware: { mtbf: 2 years, mttr: 8 h }
      crash: { rate: 6 / year, mttr: 2 min, crew: false }
  repair_crews: 1
  zones:
    count: 3
    outage: { rate: 1 / year, mttr: 2 h }
  common_cause: { rate: 0.05 / year, mttr: 4 h }
  failover: { time: 15 s }
slo:
  queue.availability: ">= 99.99%"
`);
    // M3 U 0.0000249373144992802568970296399741500841334
    expectRelativelyClose(m.get(METRIC.clusterAvailability)?.complement as number, 0.00002493731449928026, 1e-12);
    // M3 QU 0.00002853342532950988330431899008442097660251
    const queue = m.get(METRIC.queueAvailability);
    expect(queue?.formula).toBe("availability.queue");
    expectRelativelyClose(queue?.complement as number, 0.00002853342532950988, 1e-12);
    // M3 F 0.000009327178963305357210703532393521249223126 per hour
    expectRelativelyClose(m.get(METRIC.clusterOutagesPerYear)?.value as number, 0.000009327178963305357 * HOURS_PER_YEAR, 1e-12);
  });
});

describe("model keys", () => {
  const base = `
mqrel: 1
cluster:
  nodes: 3
`;

  it("when node: {mtbf, mttr} is written as one crew mode then the model and its metrics are the same", () => {
    const plain = metricsOf(`${base}  node: { mtbf: 2 years, mttr: 8 h }\n  repair_crews: 1\n`);
    const modes = metricsOf(`${base}  node:\n    failures:\n      hw: { mtbf: 2 years, mttr: 8 h }\n  repair_crews: 1\n`);
    for (const id of [METRIC.clusterAvailability, METRIC.clusterMttf, METRIC.clusterOutagesPerYear]) {
      expect(modes.get(id)?.formula).toBe("availability.ctmc");
      expect(modes.get(id)?.value).toBe(plain.get(id)?.value);
    }
  });

  it("when loses is not given then crew modes lose the unflushed window and crew-free ones nothing", () => {
    const m = model(
      `${base}  node:\n    failures:\n      hw: { mtbf: 2 years, mttr: 8 h }\n      crash: { rate: 6 / year, mttr: 2 min, crew: false }\n`,
    );
    expect(m.cluster.failureModes?.map((mode) => [mode.name, mode.crew, mode.loses])).toEqual([
      ["hw", true, "unflushed"],
      ["crash", false, "nothing"],
    ]);
  });

  it("when zones are given by count then nodes go round-robin", () => {
    const m = model(`mqrel: 1\ncluster:\n  nodes: 5\n  node: { mtbf: 2 years, mttr: 8 h }\n  zones: { count: 3 }\n`);
    expect(m.cluster.zones).toMatchObject({ placement: [2, 2, 1], zoneOfNode: [0, 1, 2, 0, 1], given: "count" });
  });

  it("when a placement loses the quorum with one zone then the metric says which placement would not", () => {
    const m = metricsOf(`mqrel: 1\ncluster:\n  nodes: 5\n  node: { mtbf: 2 years, mttr: 8 h }\n  zones: { placement: [3, 1, 1] }\n`);
    expect(m.get(METRIC.clusterAvailability)?.zoneCheck).toMatchObject({
      survives: false,
      worstZone: 0,
      upAfterWorstLoss: 2,
      suggestion: { placement: [2, 2, 1], moves: 1 },
    });
  });

  it("when zones have no outage and the node is an availability then the exact convolution still applies", () => {
    const m = metricsOf(`mqrel: 1\ncluster:\n  nodes: 3\n  node: { availability: 99.9% }\n  zones: { count: 3 }\n`);
    const cluster = m.get(METRIC.clusterAvailability);
    expect(cluster?.formula).toBe("availability.zones");
    // binomial 2-of-3 at u = 1e-3 (hand calculation): P(≥ 2 down) = 3u²(1 − u) + u³ = 3e-6·0.999 + 1e-9
    expectRelativelyClose(cluster?.complement as number, 3e-6 * 0.999 + 1e-9, 1e-12);
    expect(m.has(METRIC.clusterMttf)).toBe(false);
  });

  it("when a field is wrong then one clear error names it", () => {
    expect(errorOf(`${base}  node:\n    failures: {}\n`)).toMatch(/cluster\.node\.failures: expected at least one failure mode/);
    expect(errorOf(`${base}  node:\n    mtbf: 2 years\n    failures:\n      hw: { mtbf: 2 years, mttr: 8 h }\n`)).toMatch(
      /cluster\.node\.mtbf: give failures, or mtbf \+ mttr/,
    );
    expect(errorOf(`${base}  node:\n    failures:\n      hw: { mttr: 8 h }\n`)).toMatch(
      /cluster\.node\.failures\.hw: expected mtbf or rate/,
    );
    expect(errorOf(`${base}  node: { mtbf: 2 years, mttr: 8 h }\n  zones: { count: 4 }\n`)).toMatch(/count 4 is more than the 3 nodes/);
    expect(errorOf(`${base}  node: { mtbf: 2 years, mttr: 8 h }\n  zones: { placement: [1, 2], count: 2 }\n`)).toMatch(
      /placement or count, not both/,
    );
    expect(errorOf(`${base}  node: { mtbf: 2 years, mttr: 8 h }\n  zones: {}\n`)).toMatch(/expected placement/);
    expect(errorOf(`${base}  node: { mtbf: 2 years, mttr: 8 h }\n  failover: { time: 15 kg }\n`)).toMatch(/cluster\.failover\.time/);
    expect(errorOf(`${base}  node: { mtbf: 2 years, mttr: 8 h }\nslo:\n  queue.availability: ">= 99%"\n`)).toMatch(
      /queue\.availability needs cluster\.failover/,
    );
  });
});

describe("limits", () => {
  it("when the chain would be larger than mqrel solves then eval refuses with the limit, as bad input about the cluster", () => {
    const yaml = `
mqrel: 1
cluster:
  nodes: 9
  node:
    failures:
      hardware: { mtbf: 2 years, mttr: 8 h }
      disk: { mtbf: 5 years, mttr: 24 h }
      psu: { mtbf: 3 years, mttr: 4 h }
      crash: { rate: 6 / year, mttr: 2 min, crew: false }
  repair_crews: 1
  zones: { placement: [3, 3, 3], outage: { rate: 1 / year, mttr: 2 h } }
`;
    let message = "";
    try {
      metricsOf(yaml);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      message = error.format();
    }
    expect(message).toMatch(/^held-out\.yaml: cluster: the process chain .* has more than 20000 states/);
  });
});
