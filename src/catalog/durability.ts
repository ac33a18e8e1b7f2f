/**
 * Loss of an acknowledged message held unflushed on several replicas: durability.replicated.
 */

import { MAX_NODES, replicatedDurability } from "../formulas/index.js";
import { get } from "./helpers.js";
import type { FormulaEntry } from "./types.js";

export const DURABILITY_ENTRIES: readonly FormulaEntry[] = [
  {
    id: "durability.replicated",
    title: "Loss of an acknowledged message held unflushed on q replicas",
    kind: "loss",
    valueName: "loss probability",
    complementName: "survival probability",
    math: "P = 1 − (1 − p_cc)(1 − p^q), p = 1 − e^(−λw), p_cc = 1 − e^(−λ_cc·w)",
    params: [
      { name: "q", kind: "count", min: 1, max: MAX_NODES, meaning: "replicas holding the message when it is acknowledged" },
      { name: "lambda", kind: "rate", meaning: "per replica, rate of crashes that lose unflushed data (plain number: per hour)" },
      {
        name: "window",
        kind: "time",
        allowZero: true,
        meaning: "how long the message stays unflushed (plain number: hours; 0 = fsync before ack)",
      },
      { name: "lambda_cc", kind: "rate", default: "0", meaning: "rate of correlated crashes hitting every replica at once" },
    ],
    assumptions: [
      "crashes are Poisson, independent across replicas apart from the correlated ones",
      "a message is lost only if every replica holding it crashes before the window closes",
      "only page-cache-destroying faults count (OS crash, power loss), not process crashes",
    ],
    source: "mqrel docs/design.md §2; flush windows and crash rates: docs/sources.md",
    compute: (params) =>
      replicatedDurability({
        replicas: get(params, "q"),
        crashRate: get(params, "lambda"),
        window: get(params, "window"),
        correlatedCrashRate: get(params, "lambda_cc"),
      }),
  },
];
