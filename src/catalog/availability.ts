/**
 * Node and cluster availability in closed form and by the birth–death chain:
 * availability.node, .series, .kofn and .ctmc.
 */

import { InputError } from "../common/errors.js";
import { HOURS_PER_YEAR } from "../expr/units.js";
import { kofnAvailability, MAX_NODES, nodeAvailability, quorumChain, seriesAvailability } from "../formulas/index.js";
import { asAvailability, availabilities, get } from "./helpers.js";
import type { FormulaEntry } from "./types.js";

export const AVAILABILITY_ENTRIES: readonly FormulaEntry[] = [
  {
    id: "availability.node",
    title: "Node availability from MTBF and MTTR",
    kind: "availability",
    valueName: "availability",
    complementName: "unavailability",
    math: "A = MTBF / (MTBF + MTTR)",
    params: [
      { name: "mtbf", kind: "time", meaning: "mean time between failures (plain number: hours)" },
      { name: "mttr", kind: "time", meaning: "mean time to repair (plain number: hours)" },
    ],
    assumptions: ["alternating up and down periods with these means (any distributions)", "steady state"],
    source: "alternating renewal process: Barlow & Proschan, Statistical Theory of Reliability and Life Testing (1975), ch. 7",
    compute: (params) => asAvailability(nodeAvailability(get(params, "mtbf"), get(params, "mttr"))),
  },
  {
    id: "availability.series",
    title: "Series availability (every component up)",
    kind: "availability",
    valueName: "availability",
    complementName: "unavailability",
    math: "A = ∏ A_j",
    params: [
      { name: "a", kind: "probabilities", optional: true, meaning: "component availabilities A_j (list)" },
      { name: "u", kind: "probabilities", optional: true, meaning: "or their unavailabilities U_j (list; keeps tiny U exact)" },
    ],
    assumptions: ["components fail independently", "every component is needed", "steady state"],
    source: "Barlow & Proschan (1975), ch. 2, series structure",
    compute: (params) => asAvailability(seriesAvailability(availabilities(params))),
  },
  {
    id: "availability.kofn",
    title: "k-out-of-n availability (quorum)",
    kind: "availability",
    valueName: "availability",
    complementName: "unavailability",
    math: "A = P(at least k of n up) = Σ_{j≥k} P(N_up = j); binomial for one a, Poisson-binomial for a list",
    params: [
      { name: "k", kind: "count", min: 1, max: MAX_NODES, meaning: "nodes that must be up (quorum, min.insync.replicas)" },
      {
        name: "n",
        kind: "count",
        min: 1,
        max: MAX_NODES,
        optional: true,
        meaning: "nodes (needed with a single a; else the list's length)",
      },
      { name: "a", kind: "probabilities", optional: true, meaning: "node availability, or one per node (list)" },
      { name: "u", kind: "probabilities", optional: true, meaning: "or node unavailability, or one per node (keeps tiny U exact)" },
    ],
    assumptions: ["nodes fail independently", "the cluster is up while at least k nodes are up", "steady state"],
    source: "Barlow & Proschan (1975), ch. 2, k-out-of-n structures; Barlow & Heidtmann, IEEE Trans. Reliability R-33 (1984) 322–323",
    compute: (params) => {
      const k = get<number>(params, "k");
      const n = params.get("n") as number | undefined;
      const nodes = availabilities(params, n);
      if (k > nodes.length) {
        throw new InputError(`must be at most n = ${nodes.length}, got ${k}`, { path: "k" });
      }
      return asAvailability(kofnAvailability(k, nodes));
    },
  },
  {
    id: "availability.ctmc",
    title: "k-of-n cluster as a Markov chain (repair crews, common cause)",
    kind: "availability",
    valueName: "availability",
    complementName: "unavailability",
    math: "states i = nodes up (0..n) and C; i→i−1 at iλ, i→i+1 at min(crews, n−i)μ, i→C at λ_cc, C→n at μ_cc; A = Σ_{i≥k} π_i (GTH); MTTF = mean time from n to i<k or C",
    params: [
      { name: "n", kind: "count", min: 1, max: MAX_NODES, meaning: "nodes" },
      { name: "k", kind: "count", min: 1, max: MAX_NODES, meaning: "nodes that must be up" },
      { name: "lambda", kind: "rate", meaning: "failure rate of one node (plain number: per hour)" },
      { name: "mu", kind: "rate", allowZero: false, meaning: "repair rate of one crew (plain number: per hour)" },
      { name: "crews", kind: "count", min: 1, optional: true, meaning: "repair crews (default n: independent repair)" },
      { name: "lambda_cc", kind: "rate", default: "0", meaning: "rate of common-cause events that take every node down" },
      { name: "mu_cc", kind: "rate", allowZero: false, optional: true, meaning: "restore rate after a common-cause event (default mu)" },
    ],
    assumptions: [
      "exponential times to failure and repair",
      "identical nodes; a down node does not fail again",
      "repairs first come first served with `crews` servers",
      "common-cause events take every node down and are repaired as a whole",
    ],
    source:
      "birth–death availability model (Trivedi, Probability and Statistics with Reliability, Queuing, and Computer Science Applications, 2nd ed. 2002, ch. 8–9) with a common-cause state; solved by GTH state reduction (Grassmann, Taksar & Heyman, Operations Research 33(5), 1985)",
    compute: (params) => {
      const n = get<number>(params, "n");
      const k = get<number>(params, "k");
      if (k > n) throw new InputError(`must be at most n = ${n}, got ${k}`, { path: "k" });
      const mu = get<number>(params, "mu");
      const crews = params.get("crews") as number | undefined;
      const muCc = params.get("mu_cc") as number | undefined;
      const result = quorumChain({
        nodes: n,
        quorum: k,
        failureRate: get(params, "lambda"),
        repairRate: mu,
        repairCrews: crews ?? n,
        commonCauseRate: get(params, "lambda_cc"),
        commonCauseRepairRate: muCc ?? mu,
      });
      return {
        ...asAvailability(result),
        mttf: result.meanTimeToFailure,
        outagesPerHour: result.outageFrequency,
        details: { outages_per_year: result.outageFrequency * HOURS_PER_YEAR },
      };
    },
  },
];
