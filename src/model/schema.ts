/**
 * The shape of a model file (docs/design.md §3), checked with zod before anything is
 * evaluated. Values that may be expressions are a number or a string; what the string
 * means (a duration, a rate, a probability) is decided in resolve.ts.
 *
 * Key names are the contract: add fields freely, rename none.
 */
import { z } from "zod";

/** A number, or an expression over `params` with units ("2 years", "node_mttr * 2"). */
const Expr = z.union([z.number(), z.string()]);

/** One way a node goes down (docs/design.md §3a): mtbf or rate, mttr, crew, loses. */
const FailureMode = z.strictObject({
  mtbf: Expr.optional(),
  rate: Expr.optional(),
  mttr: Expr,
  crew: z.boolean().optional(),
  loses: z.enum(["nothing", "unflushed", "disk"]).optional(),
});

const Node = z.strictObject({
  mtbf: Expr.optional(),
  mttr: Expr.optional(),
  availability: Expr.optional(),
  unavailability: Expr.optional(),
  failures: z.record(z.string(), FailureMode).optional(),
});

const Zones = z.strictObject({
  placement: z.array(Expr).optional(),
  count: Expr.optional(),
  /** `crew` is accepted only to be refused with a clear message (a zone outage needs none) */
  outage: z
    .strictObject({ rate: Expr, mttr: Expr, crew: z.unknown().optional(), loses: z.enum(["nothing", "unflushed", "disk"]).optional() })
    .optional(),
});

const Cluster = z.strictObject({
  nodes: Expr,
  quorum: Expr.optional(),
  node: Node,
  repair_crews: Expr.optional(),
  common_cause: z.strictObject({ rate: Expr, mttr: Expr, loses: z.enum(["nothing", "unflushed", "disk"]).optional() }).optional(),
  zones: Zones.optional(),
  maintenance: z.strictObject({ every: Expr, duration: Expr }).optional(),
  failover: z.strictObject({ time: Expr }).optional(),
});

const Backoff = z.strictObject({
  initial: Expr.optional(),
  multiplier: Expr.optional(),
  max: Expr.optional(),
});

/** The message path (docs/design.md §3b): when a record is confirmed, copied and made durable. */
const Messages = z.strictObject({
  ack: z.enum(["leader", "quorum", "all"]),
  replication_lag: Expr.optional(),
  fsync: z.enum(["always", "interval", "os"]),
  fsync_interval: Expr.optional(),
  /** fsync: os — how long the page cache holds a record before the kernel writes it back */
  writeback: Expr.optional(),
  publisher: z
    .strictObject({ confirms: z.boolean().optional(), confirm_timeout: Expr.optional(), idempotent: z.boolean().optional() })
    .optional(),
});

export const ModelSchema = z.strictObject({
  mqrel: z.literal(1),
  name: z.string().min(1).max(200).optional(),
  description: z.string().max(10_000).optional(),
  params: z.record(z.string(), Expr).optional(),
  cluster: Cluster,
  persistence: z.strictObject({ p_unpersisted: Expr, p_fault: Expr }).optional(),
  ack: z.strictObject({ p_unconfirmed: Expr, p_fault: Expr }).optional(),
  durability: z
    .strictObject({
      replicas: Expr,
      window: Expr,
      crash_rate: Expr,
      correlated_crash_rate: Expr.optional(),
    })
    .optional(),
  retry: z
    .strictObject({
      attempts: Expr,
      p_success: Expr,
      timeout: Expr.optional(),
      backoff: Backoff.optional(),
      deadline: Expr.optional(),
    })
    .optional(),
  messages: Messages.optional(),
  traffic: z.strictObject({ rate: Expr, processing_time: Expr.optional(), consumer_crash_rate: Expr.optional() }).optional(),
  slo: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  simulation: z
    .strictObject({
      horizon: Expr.optional(),
      runs: Expr.optional(),
      seed: Expr.optional(),
      /** realistic mechanics: time-to-failure distribution (default exponential) */
      failure: z.strictObject({ distribution: z.enum(["exponential", "weibull"]), shape: Expr.optional() }).optional(),
      /** realistic mechanics: repair-time distribution (default lognormal, sigma 1) */
      repair: z.strictObject({ distribution: z.enum(["exponential", "lognormal"]), sigma: Expr.optional() }).optional(),
      /** retry sequences sampled in all (default 200000) */
      retry_samples: Expr.optional(),
    })
    .optional(),
});

export type RawModel = z.infer<typeof ModelSchema>;
export type RawExpr = z.infer<typeof Expr>;

/** The field names allowed at a path of the schema (for "did you mean" hints). */
export function knownKeysAt(path: readonly (string | number)[]): string[] {
  let schema: z.ZodType | undefined = ModelSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(segment)];
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  return current;
}
