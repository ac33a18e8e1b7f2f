/**
 * The two-region presets' site clusters are the one-region presets' brokers summarised to
 * one failure mode a broker (docs/sources.md "Regions"): its rate the sum of the broker's
 * failure rates, its AZ's outage rate (one broker per AZ) and its restarts (1 / every);
 * its repair the rate-weighted mean of their repair times, a restart lasting `duration`
 * plus its share of the bad releases (with `detect: 0` a bad round breaks the roll's
 * first broker for `rollback`: p · rollback per round over the n brokers). The site's
 * common cause is the one-region preset's change event alone, and the region outage its
 * region-wide event. Reference: the one-region preset files themselves, read
 * independently of the region presets, and (for the cluster) their own evaluation by
 * another method (the restart schedule's phase mixture, `availability.maintenance`,
 * against the summary's `availability.modes`).
 */
import { describe, expect, it } from "vitest";
import { METRIC } from "../../src/metrics/index.js";
import { evaluateMetrics } from "../../src/model/evaluate.js";
import { type ClusterModel, loadModel } from "../../src/model/index.js";

/** One restart's mean length per broker: the duration, plus p · rollback per round spread over the n brokers. */
function restartHours(cluster: ClusterModel): number {
  const maintenance = cluster.maintenance as NonNullable<ClusterModel["maintenance"]>;
  const bad = maintenance.badRelease;
  // with detect 0 a bad round breaks one broker (the first slot's) for rollback: docs/model-files.md "Bad releases"
  expect(bad?.detectHours).toBe(0);
  return maintenance.durationHours + ((bad?.p ?? 0) * (bad?.rollbackHours ?? 0)) / cluster.nodes;
}

/** The one-region preset with one of its two whole-cluster events switched off (its rate 0). */
const without = (file: string, param: "region_rate" | "change_rate") => loadModel(file, [{ path: `params.${param}`, value: "0 / year" }]);

/** The summary of a one-region preset's broker: [rate per hour, rate-weighted mttr in hours]. */
function summary(file: string): [number, number] {
  const { cluster } = loadModel(file);
  const processes = [
    ...(cluster.failureModes ?? []).map((m) => [m.ratePerHour, m.mttrHours] as const),
    [cluster.zones?.outage?.ratePerHour as number, cluster.zones?.outage?.mttrHours as number] as const,
    [1 / (cluster.maintenance?.everyHours as number), restartHours(cluster)] as const,
  ];
  const rate = processes.reduce((sum, [r]) => sum + r, 0);
  const down = processes.reduce((sum, [r, m]) => sum + r * m, 0);
  return [rate, down / rate];
}

const PAIRS = [
  ["models/kafka-2region-mm2.yaml", "models/kafka-rf3-minisr2-acks-all.yaml", "broker"],
  ["models/nats-2region-mirror.yaml", "models/nats-jetstream-r3.yaml", "server"],
] as const;
const FILES = PAIRS.map(([regional, single]) => [regional, single] as const);

describe("the two-region presets' site clusters", () => {
  it.each(PAIRS)(
    "when %s is read then its one mode is %s's broker summarised (summed rate, rate-weighted repair)",
    (regional, single, mode) => {
      const [rate, mttr] = summary(single);
      const { cluster } = loadModel(regional);
      // one broker per AZ in the one-region preset: its AZ's outage is that broker's alone
      expect(loadModel(single).cluster.zones?.placement).toEqual([1, 1, 1]);
      expect(cluster.failureModes?.map((m) => m.name)).toEqual([mode]);
      const summarised = cluster.failureModes?.[0];
      // the preset writes the rate exactly (4.9 / year + 1 / (30 d), 2.9 / year + 1 / (30 d)) and the repair to 5 significant digits
      expect(Math.abs((summarised?.ratePerHour as number) - rate)).toBeLessThanOrEqual(1e-12 * rate);
      expect(Math.abs((summarised?.mttrHours as number) - mttr)).toBeLessThanOrEqual(1e-4 * mttr);
      // the rest of the site cluster is the one-region preset's; its common cause the change event alone
      const one = without(single, "region_rate").cluster;
      expect([cluster.nodes, cluster.quorum, cluster.failover]).toEqual([one.nodes, one.quorum, one.failover]);
      expect(cluster.commonCause?.loses).toBe(one.commonCause?.loses);
      expect(Math.abs((cluster.commonCause?.ratePerHour as number) - (one.commonCause?.ratePerHour as number))).toBeLessThanOrEqual(
        1e-15 * (one.commonCause?.ratePerHour as number),
      );
      expect(Math.abs((cluster.commonCause?.mttrHours as number) - (one.commonCause?.mttrHours as number))).toBeLessThanOrEqual(
        1e-15 * (one.commonCause?.mttrHours as number),
      );
    },
  );

  it.each(FILES)("when %s is read then each site's region outage is %s's region-wide event", (regional, single) => {
    const region = without(single, "change_rate").cluster.commonCause;
    const sites = loadModel(regional).regions?.sites ?? [];
    expect(sites).toHaveLength(2);
    for (const site of sites) {
      expect(Math.abs(site.outage.ratePerHour - (region?.ratePerHour as number))).toBeLessThanOrEqual(
        1e-15 * (region?.ratePerHour as number),
      );
      expect(Math.abs(site.outage.mttrHours - (region?.mttrHours as number))).toBeLessThanOrEqual(1e-15 * (region?.mttrHours as number));
    }
  });

  it.each(FILES)(
    "when %s is evaluated then its cluster's unavailability is %s's without its region event to 0.4 percent (a broker's availability depends on the means only)",
    (regional, single) => {
      const summarised = evaluateMetrics(loadModel(regional)).get(METRIC.clusterAvailability);
      const full = evaluateMetrics(without(single, "region_rate")).get(METRIC.clusterAvailability);
      expect(summarised?.formula).not.toBe(full?.formula);
      // measured: 0.28 % (Kafka, 2.8213e-5 against 2.8134e-5) and 0.08 % (NATS) — the restarts planned one at a time
      // become random, an AZ outage strikes a broker that is already down, the bad releases are spread over the brokers
      const u = full?.complement as number;
      expect(Math.abs((summarised?.complement as number) - u)).toBeLessThanOrEqual(4e-3 * u);
    },
  );
});
