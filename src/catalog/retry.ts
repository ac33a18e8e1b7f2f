/**
 * Retries within a deadline, with timeouts and exponential backoff: retry.deadline.
 */

import { InputError } from "../common/errors.js";
import { messageNumber } from "../common/numbers.js";
import { MAX_ATTEMPTS, retryWithinDeadline } from "../formulas/index.js";
import { get, p } from "./helpers.js";
import type { FormulaEntry } from "./types.js";

export const RETRY_ENTRIES: readonly FormulaEntry[] = [
  {
    id: "retry.deadline",
    title: "Retry success within a deadline (timeouts and exponential backoff)",
    kind: "reliability",
    valueName: "success probability",
    complementName: "failure probability",
    math: "s_1 = 0, s_(i+1) = s_i + timeout + min(initial·multiplier^(i−1), max); m = #{i ≤ attempts: s_i < deadline}; FT = 1 − (1 − p)^m",
    params: [
      p("p_success", "probability that one attempt succeeds"),
      { name: "attempts", kind: "count", min: 1, max: MAX_ATTEMPTS, meaning: "most attempts the client makes" },
      { name: "timeout", kind: "time", allowZero: true, meaning: "time an attempt waits before it is given up (plain number: hours)" },
      { name: "backoff_initial", kind: "time", allowZero: true, default: "100 ms", meaning: "backoff before the second attempt" },
      { name: "backoff_multiplier", kind: "number", default: "2", meaning: "growth factor of the backoff (≥ 1)" },
      { name: "backoff_max", kind: "time", allowZero: true, default: "1 s", meaning: "cap on one backoff" },
      { name: "deadline", kind: "time", meaning: "no attempt starts at or after this time after the first" },
    ],
    assumptions: [
      "attempts fail independently with the same probability",
      "a failed attempt is noticed only when its timeout expires",
      "backoff defaults are Kafka's producer defaults (100 ms, ×2, 1 s), without jitter",
    ],
    source: "mqrel docs/design.md §2; schedule after Kafka's producer (retry.backoff.ms, retry.backoff.max.ms, delivery.timeout.ms)",
    compute: (params) => {
      const multiplier = get<number>(params, "backoff_multiplier");
      if (multiplier < 1) throw new InputError(`must be ≥ 1, got ${messageNumber(multiplier, [1])}`, { path: "backoff_multiplier" });
      const result = retryWithinDeadline(get(params, "p_success"), {
        attempts: get(params, "attempts"),
        timeout: get(params, "timeout"),
        backoffInitial: get(params, "backoff_initial"),
        backoffMultiplier: multiplier,
        backoffMax: get(params, "backoff_max"),
        deadline: get(params, "deadline"),
      });
      return {
        value: result.value,
        complement: result.complement,
        details: { attempts_made: result.attemptsMade, start_times_hours: result.startTimes },
      };
    },
  },
];
