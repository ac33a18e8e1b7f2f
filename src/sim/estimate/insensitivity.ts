/**
 * When importance sampling of the cluster's Markov chain (kernel/importanceRun.ts) may
 * stand in for realistic mechanics whose repairs are not exponential: which mechanisms
 * keep the cluster's metrics **insensitive** to the repair-time distribution (they depend
 * on it only through its mean), and which metrics are. docs/simulator.md "Importance
 * sampling with realistic mechanics" is the user-facing version.
 *
 * The model. Node i's process fails in mode m at rate λ_m while it is up (exponential
 * clocks, frozen while it is down) and is back after a repair of law G_m with mean r_m
 * (lognormal under realistic mechanics); zone z goes down at rate ζ while up and is back
 * after a restore of law G_z with mean r_z; node i is up while its process and its zone
 * are. Under these conditions —
 *
 *   (a) failures exponential (no Weibull ages),
 *   (b) no shared crews: every crew mode's failure gets a crew at once (repair_crews ≥
 *       nodes, or no crew mode),
 *   (c) no common cause (it voids the repairs under way and restores the cluster as a
 *       whole),
 *   (d) no maintenance schedule, no control plane, no fleet,
 *
 * — the node processes and the zones are mutually independent alternating renewal
 * processes (cluster.ts: zone outages do not touch the processes). For each, the long-run
 * fraction of time in each phase is its mean length over the mean cycle (Ross, Stochastic
 * Processes, 2nd ed., 1996, §3.4.1, alternating renewal processes): a process is down in
 * mode m a fraction λ_m·r_m / (1 + Σ_j λ_j·r_j) of the time, a zone ζ·r_z / (1 + ζ·r_z).
 * Entries to all-up are regeneration points (every clock then running is exponential), so
 * time averages are the limiting probabilities, and by independence the joint law π of the
 * up/down state is the product of these marginals: it depends on each G only through its
 * mean — the insensitivity property of Sevast'yanov ("An ergodic theorem for Markov
 * processes and its application to telephone systems with refusals", Theory of Probability
 * and its Applications 2(1), 1957) and Kelly (Reversibility and Stochastic Networks, Wiley,
 * 1979) in its simplest, product-form case. Hence, with the exponential-equivalent chain
 * (every law replaced by the exponential of the same mean, {@link exponentialEquivalent}):
 *
 * - **unavailability** P_π(fewer than k nodes up), so `cluster.availability` and
 *   `cluster.downtime_per_year`, are the same;
 * - **quorum losses per year** too: a loss is a failure (a process or a zone) that takes
 *   the up count from ≥ k to < k; each failure clock is exponential, so the loss process
 *   has intensity Σ_i λ_i·1{i's failure would lose the quorum} + Σ_z ζ·1{z's outage would},
 *   a function of the up/down state, and its long-run rate is the π-mean of that intensity
 *   (the compensator: Brémaud, Point Processes and Queues, 1981, §II.3) — insensitive. So
 *   is the mean up time between losses (time with quorum over losses).
 *
 * Not insensitive, so estimated by plain runs beside importance sampling ({@link sensitiveMetrics}):
 *
 * - **`cluster.mttf`**, the mean time from all-up to the first quorum loss, is a first
 *   passage time, not a stationary quantity. Two nodes, one needed (k = 1), failure rate
 *   λ, repairs of law G: MTTF = (1/(2λ) + (1 − G*(λ))/λ) / (1 − G*(λ)), G*(s) = E[e^{−sR}]
 *   (D. P. Gaver, "Time to failure and availability of paralleled systems with repair",
 *   IEEE Trans. Reliability R-12, 1963) — it depends on the whole Laplace transform of G.
 * - **`queue.availability`** under realistic mechanics: elections take a fixed time and
 *   start over when the quorum is lost meanwhile, so the time without a leader depends on
 *   the election's law, and on how repairs overlap elections.
 *
 * The mechanisms that break it ({@link insensitivityBlocker}):
 *
 * - shared crews: two nodes, one crew, both needed (k = 2), repairs of law G with mean r.
 *   From all-up, a failure after 1/(2λ) on average starts a busy period; during each
 *   repair the other node fails with probability 1 − G*(λ) and queues, so a busy period
 *   holds 1/G*(λ) repairs on average and P(both up) = (1/(2λ)) / (1/(2λ) + r/G*(λ)):
 *   not a function of r alone (the finite-source queue, L. Takács, Introduction to the
 *   Theory of Queues, 1962);
 * - a common cause: it strikes at rate γ and voids the repairs under way, so a process's
 *   down time in the Exp(γ) span between common causes is ∫ e^{−γt} P(down at t) dt,
 *   which for one node is F*(γ)(1 − G*(γ)) / (γ(1 − F*(γ)G*(γ))), F*(s) = λ/(λ + s) —
 *   again G's transform, not its mean (λ = μ = γ = 1: 1/3 with exponential repairs,
 *   0.387 with fixed ones);
 * - a maintenance schedule (fixed times; a down node's slot is skipped), Weibull failures
 *   (a non-constant hazard: the loss intensity is no longer a function of the state),
 *   a control plane and fleets (not the chain importance sampling runs).
 *
 * Message loss, redeliveries and retries are never estimated by importance sampling:
 * plain runs beside it estimate them, whatever the mechanics.
 *
 * Checked in test/cli/importanceRealistic.test.ts: importance sampling on lognormal repairs
 * against the exact chain; plain lognormal runs against the product form, the MTTF formula
 * above with the lognormal's transform, and the shared-crew and common-cause formulas.
 */
import { METRIC, type MetricId } from "../../metrics/index.js";
import type { ClusterSimConfig, SimConfig } from "../kernel/config.js";

/** Does importance sampling run on the exponential equivalent of this cluster rather than the cluster itself? */
export function usesExponentialEquivalent(config: SimConfig): boolean {
  return config.cluster.repair.kind !== "exponential" || config.cluster.failover?.fixed === true;
}

/**
 * The cluster's metrics that importance sampling of the exponential equivalent does not
 * estimate — they depend on more than the mean repair time (see above) — and why; empty
 * when the mechanics are Markovian already (importance sampling runs the cluster itself).
 */
export function sensitiveMetrics(config: SimConfig): ReadonlyMap<MetricId, string> {
  const sensitive = new Map<MetricId, string>();
  const cluster = config.cluster;
  if (cluster.repair.kind !== "exponential") {
    sensitive.set(
      METRIC.clusterMttf,
      `the mean time from all-up to the first quorum loss depends on the ${cluster.repair.kind} repair-time distribution beyond its mean`,
    );
  }
  if (cluster.failover && usesExponentialEquivalent(config)) {
    sensitive.set(
      METRIC.queueAvailability,
      cluster.failover.fixed
        ? "elections take a fixed time with realistic mechanics, and the time without a leader depends on that law"
        : `the time without a leader depends on how ${cluster.repair.kind} repairs overlap elections, beyond the mean repair time`,
    );
  }
  return sensitive;
}

/**
 * Why the cluster's stationary law may depend on the repair-time distribution beyond its
 * mean (undefined: it does not, under conditions (a)–(d) above). Only asked when the
 * repairs or elections are not exponential; the other blockers (fleet, control plane,
 * Weibull, maintenance) are methodChoice.ts's.
 */
export function insensitivityBlocker(cluster: ClusterSimConfig): string | undefined {
  if (cluster.repair.kind === "exponential") return undefined;
  const repairs = `${cluster.repair.kind} repairs`;
  const crewModes = cluster.modes.some((m) => m.crew);
  if (crewModes && cluster.repairCrews < cluster.nodes) {
    return `${cluster.nodes} nodes share ${cluster.repairCrews} repair crew${cluster.repairCrews === 1 ? "" : "s"}, and with ${repairs} the time nodes wait for one depends on more than the mean repair time (repair_crews ≥ nodes makes the repairs independent; --assume formula makes them exponential)`;
  }
  if (cluster.commonCauseRatePerHour > 0) {
    return `a common cause voids the repairs under way, and with ${repairs} the time nodes spend down then depends on more than the mean repair time (--assume formula makes them exponential)`;
  }
  return undefined;
}

/**
 * The Markov chain with the same means: every repair, zone restore and common-cause
 * restore exponential, and no queue leader (the leader changes nothing in how nodes fail;
 * the queue's availability is not estimated from this chain, see {@link sensitiveMetrics}).
 */
export function exponentialEquivalent(cluster: ClusterSimConfig): ClusterSimConfig {
  const { failover: _leader, ...rest } = cluster;
  return { ...rest, repair: { kind: "exponential" } };
}
