/**
 * The general cluster chain's entries (availability.modes, .zones, .queue, .maintenance):
 * failure modes, zones, failover and rolling restarts.
 */

import { InputError } from "../common/errors.js";
import { messageNumber } from "../common/numbers.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import {
  type BadRelease,
  type ClusterChainParams,
  type ClusterChainResult,
  clusterChain,
  competingModesAvailability,
  maintenanceAvailability,
  type Probability,
  zonedKofnAvailability,
} from "../formulas/index.js";
import { asAvailability, availabilities, get, numbers, solving } from "./helpers.js";
import type { FormulaEntry, FormulaResult, ParamSpec, ResolvedParams } from "./types.js";

// ─── the general cluster chain (docs/design.md §3a): failure modes, zones, failover, maintenance ───

const CLUSTER_SOURCE =
  "continuous-time Markov chain (Trivedi, Probability and Statistics with Reliability, Queuing, and Computer Science Applications, 2nd ed. 2002, ch. 8–9), solved by GTH state reduction (Grassmann, Taksar & Heyman, Operations Research 33(5), 1985); MTTF by renewal-reward (Ross, Stochastic Processes, 2nd ed. 1996, §3.6)";

const CLUSTER_ASSUMPTIONS = [
  "exponential times to failure and repair in every mode",
  "modes compete on an up node; a down node does not fail again until it is back",
  "crew modes queue first come first served for the shared crews; crew-free modes recover in parallel",
  "a node is up while its process and its zone are up; zones fail independently of the nodes and need no crew",
  "a common cause takes every node down (pending repairs void) and the cluster is restored as a whole",
  "the cluster is up while at least k nodes are up",
];

const MODE_PARAMS: readonly ParamSpec[] = [
  { name: "k", kind: "count", min: 1, meaning: "nodes that must be up" },
  { name: "lambda", kind: "rates", meaning: "failure rate of one up node in each mode (list, one per mode; plain number: per hour)" },
  { name: "mu", kind: "rates", meaning: "repair rate in each mode (list): per crew for crew modes, per node for crew-free ones" },
  {
    name: "crew",
    kind: "counts",
    optional: true,
    meaning: "1 if the mode waits for a repair crew, 0 if the node recovers by itself (list; default all 1)",
  },
  { name: "crews", kind: "count", min: 1, optional: true, meaning: "repair crews shared by the crew modes (default n)" },
  { name: "lambda_cc", kind: "rate", default: "0", meaning: "rate of common-cause events that take every node down" },
  {
    name: "mu_cc",
    kind: "rate",
    allowZero: false,
    optional: true,
    meaning: "restore rate after a common-cause event (needed with lambda_cc > 0)",
  },
];

const ZONE_PARAMS: readonly ParamSpec[] = [
  { name: "placement", kind: "counts", meaning: "nodes in each zone (list); n is their sum" },
  { name: "lambda_zone", kind: "rate", default: "0", meaning: "outage rate of each zone" },
  { name: "mu_zone", kind: "rate", allowZero: false, optional: true, meaning: "restore rate of a zone (needed with lambda_zone > 0)" },
];

const CONTROLLER_PARAMS: readonly ParamSpec[] = [
  {
    name: "controller_n",
    kind: "count",
    min: 1,
    optional: true,
    meaning: "controller nodes (the control plane; with controller_k, _lambda, _mu)",
  },
  { name: "controller_k", kind: "count", min: 1, optional: true, meaning: "controller nodes that must be up for an election" },
  { name: "controller_lambda", kind: "rates", optional: true, meaning: "failure rate of one up controller node in each mode (list)" },
  {
    name: "controller_mu",
    kind: "rates",
    optional: true,
    meaning: "recovery rate of a controller node down in each mode (list; each recovers by itself)",
  },
];

/** The control plane from the controller_* params, all four or none. */
function controllerParams(params: ResolvedParams): ClusterChainParams["controller"] | undefined {
  const names = ["controller_n", "controller_k", "controller_lambda", "controller_mu"];
  const given = names.filter((name) => params.has(name));
  if (given.length === 0) return undefined;
  const missing = names.find((name) => !params.has(name));
  if (missing !== undefined)
    throw new InputError(`is needed with ${given.join(", ")} (the control plane takes all four)`, { path: missing });
  const n = get<number>(params, "controller_n");
  const k = get<number>(params, "controller_k");
  if (k > n) throw new InputError(`must be at most controller_n = ${n}, got ${k}`, { path: "controller_k" });
  const lambda = numbers(params, "controller_lambda") ?? [];
  const mu = numbers(params, "controller_mu") ?? [];
  if (mu.length !== lambda.length) {
    throw new InputError(`needs one recovery rate per mode (${lambda.length}), got ${mu.length}`, { path: "controller_mu" });
  }
  mu.forEach((rate) => {
    if (!(rate > 0)) throw new InputError(`recovery rates must be > 0, got ${messageNumber(rate, [0])}`, { path: "controller_mu" });
  });
  return { nodes: n, quorum: k, modes: lambda.map((rate, i) => ({ failureRate: rate, repairRate: mu[i] as number })) };
}

const N_PARAM: ParamSpec = { name: "n", kind: "count", min: 1, meaning: "nodes" };
const FAILOVER_PARAM: ParamSpec = {
  name: "failover",
  kind: "time",
  allowZero: true,
  meaning: "mean leader election time after an unplanned failure of the leader (plain number: hours)",
};

/** The cluster chain's parameters from a formula's --param values. */
function clusterParams(params: ResolvedParams, withZones: boolean): ClusterChainParams {
  const k = get<number>(params, "k");
  const placement = withZones ? numbers(params, "placement") : undefined;
  const n = placement ? placement.reduce((a, b) => a + b, 0) : get<number>(params, "n");
  if (placement?.some((size) => size < 1)) throw new InputError("every zone must hold at least one node", { path: "placement" });
  if (k > n) throw new InputError(`must be at most n = ${n}, got ${k}`, { path: "k" });
  const lambda = numbers(params, "lambda") ?? [];
  const mu = numbers(params, "mu") ?? [];
  const crew = numbers(params, "crew") ?? lambda.map(() => 1);
  if (mu.length !== lambda.length)
    throw new InputError(`needs one repair rate per mode (${lambda.length}), got ${mu.length}`, { path: "mu" });
  if (crew.length !== lambda.length)
    throw new InputError(`needs one 0/1 per mode (${lambda.length}), got ${crew.length}`, { path: "crew" });
  if (crew.some((c) => c !== 0 && c !== 1))
    throw new InputError("expected 1 (waits for a crew) or 0 (recovers by itself) per mode", { path: "crew" });
  mu.forEach((rate) => {
    if (!(rate > 0)) throw new InputError(`repair rates must be > 0, got ${messageNumber(rate, [0])}`, { path: "mu" });
  });
  const lambdaCc = get<number>(params, "lambda_cc");
  const muCc = params.get("mu_cc") as number | undefined;
  if (lambdaCc > 0 && muCc === undefined)
    throw new InputError("is needed with lambda_cc > 0 (the restore rate after a common cause)", { path: "mu_cc" });
  const lambdaZone = withZones ? get<number>(params, "lambda_zone") : 0;
  const muZone = params.get("mu_zone") as number | undefined;
  if (lambdaZone > 0 && muZone === undefined)
    throw new InputError("is needed with lambda_zone > 0 (the restore rate of a zone)", { path: "mu_zone" });
  const failover = params.get("failover") as number | undefined;
  const controller = controllerParams(params);
  if (controller !== undefined && !(failover !== undefined && failover > 0)) {
    throw new InputError("must be > 0 with a control plane (the controller gates the election)", { path: "failover" });
  }
  return {
    nodes: n,
    quorum: k,
    modes: lambda.map((rate, i) => ({ failureRate: rate, repairRate: mu[i] as number, needsCrew: crew[i] === 1 })),
    ...(params.has("crews") ? { repairCrews: get<number>(params, "crews") } : {}),
    ...(placement ? { zones: { placement, outageRate: lambdaZone, restoreRate: muZone ?? 1 } } : {}),
    ...(lambdaCc > 0 ? { commonCause: { rate: lambdaCc, restoreRate: muCc as number } } : {}),
    ...(failover !== undefined ? { failover: { electionRate: 1 / failover } } : {}),
    ...(controller !== undefined ? { controller } : {}),
  };
}

/** A chain result as a formula result; a chain too large becomes bad input, with the limit. */
function chainResult(compute: () => ClusterChainResult, path: string): FormulaResult {
  const result = solving(compute, path);
  return {
    ...asAvailability(result),
    mttf: result.meanTimeToFailure,
    outagesPerHour: result.outageFrequency,
    ...(result.queue ? { queue: result.queue } : {}),
    method: "Markov chain",
    details: {
      outages_per_year: result.outageFrequency * HOURS_PER_YEAR,
      ...(result.queue ? { queue_availability: result.queue.value, queue_unavailability: result.queue.complement } : {}),
      process_states: result.states.process,
      up_states: result.states.up,
    },
  };
}

/** Convolution applies when the nodes are independent: no shared crew ever waited for, no common cause. */
function independentNodes(c: ClusterChainParams): boolean {
  const crewModes = c.modes.some((m) => m.needsCrew && m.failureRate > 0);
  return (!crewModes || (c.repairCrews ?? c.nodes) >= c.nodes) && c.commonCause === undefined;
}

export function clusterEntries(): FormulaEntry[] {
  const availability = { kind: "availability" as const, valueName: "availability", complementName: "unavailability" };
  return [
    {
      id: "availability.modes",
      title: "k-of-n cluster with failure modes and shared crews (Markov chain)",
      ...availability,
      math: "CTMC: per mode j an up node fails at λ_j; crew modes queue FIFO for `crews` (repair μ_j), crew-free modes recover at μ_j in parallel; common cause → all down, restored at μ_cc; A = Σ_{≥k up} π (sparse GTH); MTTF from all-up; outages = Σ_{s up} π_s·q(s → down)",
      params: [N_PARAM, ...MODE_PARAMS],
      assumptions: CLUSTER_ASSUMPTIONS,
      source: CLUSTER_SOURCE,
      compute: (params, options) => chainResult(() => clusterChain(clusterParams(params, false), options), "n"),
    },
    {
      id: "availability.zones",
      title: "k-of-n cluster over failure zones (exact convolution, or the Markov chain)",
      ...availability,
      math: "independent nodes: P(zone j has c up) = a_z·PB_j(c) + (1 − a_z)·[c = 0], convolved over zones, A = P(≥ k up); shared crews or a common cause: the chain of availability.modes with zones (π = π_process ⊗ π_zones)",
      params: [
        ...ZONE_PARAMS,
        ...MODE_PARAMS.map((spec) => (spec.name === "lambda" || spec.name === "mu" ? { ...spec, optional: true } : spec)),
        {
          name: "a",
          kind: "probabilities",
          optional: true,
          meaning: "or a node's availability (one, or one per node), instead of lambda and mu",
        },
      ],
      assumptions: [...CLUSTER_ASSUMPTIONS, "convolution: the nodes are independent (every node can be repaired at once, no common cause)"],
      source: `${CLUSTER_SOURCE}; convolution over zones: Barlow & Proschan (1975), ch. 2, with Barlow & Heidtmann, IEEE Trans. Reliability R-33 (1984)`,
      compute: (params, options) => {
        const placement = numbers(params, "placement") ?? [];
        if (!params.has("lambda")) {
          if (!params.has("a")) throw new InputError("give lambda and mu (rates per mode), or a (node availability)", { path: "lambda" });
          const k = get<number>(params, "k");
          const n = placement.reduce((x, y) => x + y, 0);
          if (k > n) throw new InputError(`must be at most n = ${n}, got ${k}`, { path: "k" });
          const nodes = availabilities(params, n);
          const lambdaZone = get<number>(params, "lambda_zone");
          const muZone = (params.get("mu_zone") as number | undefined) ?? 1;
          const zone = { value: muZone / (lambdaZone + muZone), complement: lambdaZone / (lambdaZone + muZone) };
          const starts = placement.map((_, z) => placement.slice(0, z).reduce((x, y) => x + y, 0));
          const zones = placement.map((size, z) => nodes.slice(starts[z], (starts[z] as number) + size));
          const result = solving(
            () =>
              zonedKofnAvailability(
                k,
                zones,
                zones.map(() => zone),
              ),
            "placement",
          );
          return { ...asAvailability(result), method: "convolution" };
        }
        const cluster = clusterParams(params, true);
        const chain = chainResult(() => clusterChain(cluster, options), "placement");
        if (!independentNodes(cluster)) return chain;
        const node = competingModesAvailability(cluster.modes);
        const zone = cluster.zones as NonNullable<ClusterChainParams["zones"]>;
        const total = zone.outageRate + zone.restoreRate;
        const zoneUp = { value: zone.restoreRate / total, complement: zone.outageRate / total };
        const result = zonedKofnAvailability(
          cluster.quorum,
          zone.placement.map((size) => new Array<Probability>(size).fill(node)),
          zone.placement.map(() => zoneUp),
        );
        return {
          ...chain,
          ...asAvailability(result),
          method: "convolution (availability); Markov chain (MTTF, outages)",
          details: { ...chain.details, chain_unavailability: chain.complement },
        };
      },
    },
    {
      id: "availability.queue",
      title: "Queue availability with leader failover (quorum up and leader elected)",
      ...availability,
      math: "the chain of availability.modes (with zones if placement is given) plus the leader: an unplanned loss of m of the u up nodes takes the leader with probability m/u (a common cause or a quorum loss always); elected again at rate 1/failover while a quorum is up (and, with controller_*, while ≥ controller_k of the control plane's nodes are up: the leader chain times the controller's chain); A_queue = P(quorum up and leader elected)",
      params: [
        { ...N_PARAM, optional: true, meaning: "nodes (or give placement)" },
        ...MODE_PARAMS,
        ...ZONE_PARAMS.map((spec) => ({ ...spec, optional: true })),
        FAILOVER_PARAM,
        ...CONTROLLER_PARAMS,
      ],
      assumptions: [
        ...CLUSTER_ASSUMPTIONS,
        "the queue's leader is equally likely on each up node at every moment (leadership spread over the up nodes)",
        "with a control plane: its nodes fail and recover by themselves, independently of the brokers; no election while fewer than controller_k are up (one under way starts over)",
        "the election time is exponential with mean `failover`; a loss of quorum loses the leader, and an election follows once the quorum is back",
        "a planned restart hands leadership over first (no election)",
      ],
      source: `${CLUSTER_SOURCE}; the leader by aggregating the down states with their exact stationary exit flows (Meyer, SIAM Review 31, 1989)`,
      compute: (params, options) => {
        const zoned = params.has("placement");
        if (!zoned && !params.has("n")) throw new InputError("give n (nodes) or placement (nodes per zone)", { path: "n" });
        const result = chainResult(() => clusterChain(clusterParams(params, zoned), options), "failover");
        const queue = result.queue as Probability;
        return {
          ...asAvailability(queue),
          mttf: result.mttf as number,
          outagesPerHour: result.outagesPerHour as number,
          queue,
          method: "Markov chain",
          details: { ...result.details, cluster_availability: result.value, cluster_unavailability: result.complement },
        };
      },
    },
    {
      id: "availability.maintenance",
      title: "Cluster availability under rolling restarts (phase mixture over the schedule)",
      ...availability,
      math: "per round: down time = ∫_window U(t) dt (the n restart slots evolved by uniformization from the steady state, one up node held down per slot) + (every − n·duration)·U_π + y·U (relaxation, y·Q = π − p_end); U = down time / every",
      params: [
        { ...N_PARAM, optional: true, meaning: "nodes (or give placement)" },
        ...MODE_PARAMS,
        ...ZONE_PARAMS.map((spec) => ({ ...spec, optional: true })),
        { ...FAILOVER_PARAM, optional: true },
        { name: "every", kind: "time", meaning: "time between the starts of two rounds of rolling restarts (plain number: hours)" },
        { name: "duration", kind: "time", meaning: "how long one node is down for its restart (plain number: hours)" },
        {
          name: "order",
          kind: "counts",
          optional: true,
          min: 1,
          meaning: "zone (1-based) of the node restarted in each slot, in order (default: zone by zone)",
        },
        { name: "bad_p", kind: "probability", optional: true, meaning: "probability that a round's release is bad (default: none is)" },
        {
          name: "bad_detect",
          kind: "time",
          optional: true,
          allowZero: true,
          meaning: "with bad_p: from the end of a bad round's first slot until it is caught and stopped (plain number: hours)",
        },
        {
          name: "bad_rollback",
          kind: "time",
          optional: true,
          allowZero: true,
          meaning: "with bad_p: from the detection until every broken node is up again (plain number: hours)",
        },
      ],
      assumptions: [
        ...CLUSTER_ASSUMPTIONS,
        "every `every` the nodes restart one at a time, back to back, each down for `duration`; a node whose process is down (or a common cause) is skipped; a node in a zone that is out is still restarted",
        "with bad_p: each round's release is bad with probability bad_p, independently; a node still held when its slot ends stays down (broken, clocks frozen) until the rollback, bad_detect after the first slot's end plus bad_rollback; no slot starts after the detection, the one under way ends there; a common cause ends holds and brokenness; the bad round's queue is evolved on its full chain (the approximation when that is too large or stiff), its leader's election after the rollback added at its mean",
        "a planned restart hands leadership over first (no election)",
        "each round starts in steady state (every ≫ the time the chain takes to relax); the error estimate says by how much this matters",
      ],
      source:
        "uniformization: Grassmann, Computers & Operations Research 4 (1977); Reibman & Trivedi, Computers & Operations Research 15 (1988); the relaxation by the fundamental matrix (Kemeny & Snell, Finite Markov Chains, 1960); the cluster chain as in availability.modes",
      compute: (params, options) => {
        const zoned = params.has("placement");
        if (!zoned && !params.has("n")) throw new InputError("give n (nodes) or placement (nodes per zone)", { path: "n" });
        const cluster = clusterParams(params, zoned);
        const order = numbers(params, "order")?.map((z) => z - 1);
        const badP = params.get("bad_p") as Probability | undefined;
        let badRelease: BadRelease | undefined;
        if (badP !== undefined) {
          for (const name of ["bad_detect", "bad_rollback"]) {
            if (!params.has(name)) throw new InputError("give bad_detect and bad_rollback with bad_p", { path: name });
          }
          badRelease = { p: badP.value, detectHours: get(params, "bad_detect"), rollbackHours: get(params, "bad_rollback") };
        }
        const result = solving(
          () =>
            maintenanceAvailability(
              {
                ...cluster,
                everyHours: get(params, "every"),
                durationHours: get(params, "duration"),
                ...(order ? { restartOrder: order } : {}),
                ...(badRelease ? { badRelease } : {}),
              },
              options,
            ),
          "every",
        );
        return {
          ...asAvailability(result),
          outagesPerHour: result.outageFrequency,
          ...(result.queue ? { queue: result.queue } : {}),
          method: `phase mixture${result.queueMethod === "approximation" ? "; queue: approximation (election too fast to evolve)" : ""}`,
          details: {
            outages_per_year: result.outageFrequency * HOURS_PER_YEAR,
            mean_up_time_hours: result.meanUpTime,
            ...(result.queue ? { queue_availability: result.queue.value, queue_unavailability: result.queue.complement } : {}),
            steady_unavailability: result.steady.complement,
            added_unavailability: result.addedUnavailability,
            relaxation_unavailability: result.relaxation,
            ...(result.badRelease
              ? {
                  bad_release_unavailability: result.badRelease.addedUnavailability,
                  bad_release_outages_per_year: result.badRelease.addedOutageFrequency * HOURS_PER_YEAR,
                  bad_round_slots: result.badRelease.phases.slots,
                  bad_round_window_hours: result.badRelease.phases.windowHours,
                }
              : {}),
            error_estimate: result.errorEstimate,
            window_states: result.work.windowStates,
            uniformization_steps: result.work.steps,
          },
        };
      },
    },
  ];
}
