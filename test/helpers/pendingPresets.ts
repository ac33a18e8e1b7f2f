/**
 * TEMPORARY (issue 19): the fleet presets with zone outages, which the loader refuses
 * until the exact fleet metrics take zone outages (src/model/fleet.ts). The tests that
 * load every preset leave them out meanwhile; their goldens pin the refusal. Revert the
 * commit that added this file once they load.
 */
export const PENDING_PRESETS: readonly string[] = ["kafka-fleet-12x600.yaml", "rabbitmq-quorum-fleet-5x200.yaml"];

/** `--exclude` arguments that leave the pending presets out of `eval models/` and `check models/`. */
export const EXCLUDE_PENDING: readonly string[] = PENDING_PRESETS.flatMap((file) => ["--exclude", `models/${file}`]);
