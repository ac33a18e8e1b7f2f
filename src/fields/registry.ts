/**
 * The field registry: every field of a model file, once, with everything each layer
 * needs to know about it — its kind (count, probability, quantity, word, flag, text),
 * its dimension and the unit a person usually writes it in, whether it is required, its
 * words or limits, which way planning searches it, and one line for the manual. Beside
 * the metric registry (src/metrics/registry.ts), and derived from it:
 * - the zod schema of a model file (src/model/schema.ts) and its parsed type (`RawOf`),
 * - how src/model/resolve.ts converts and checks each value (hours, per hour, a
 *   probability, a whole number in range) and the plain-number warning's unit,
 * - the kinds and directions of `sweep`, `solve` and `sensitivity` (src/plan/inputs.ts),
 * - the "did you mean" keys of an unknown field, in the file or in a `--set`,
 * - the manual's field reference, docs/fields.md (`node scripts/fields-doc.mjs`).
 *
 * To add a field (docs/design.md, "Adding a model field"):
 * 1. add its entry here, in the block it belongs to, in the order the manual lists it
 *    (kind, dimension and unit, required, limits or words, `leastDemanding`, a one-line
 *    description);
 * 2. read it in the resolver (src/model/resolve.ts, clusterModes.ts or messages.ts) with
 *    `number(path, raw)` or `probability(path, raw)` — the registry decides the
 *    conversion and the checks — and give it a place in the resolved model
 *    (src/model/types.ts);
 * 3. give it its mechanics: the formula that uses it, and the simulator's step from the
 *    model to its SimConfig;
 * 4. `npm run fields-doc` rewrites docs/fields.md (a test fails until it does).
 *
 * Key names are the contract: add fields freely, rename none.
 */
import { MAX_ATTEMPTS, MAX_NODES } from "../formulas/limits.js";
import type { BlockSpec } from "./spec.js";

/**
 * Default upper end of an attempts search. The model allows up to 1 000 000 attempts,
 * but a scan of a target no attempt count meets would then resolve a million models;
 * `--range retry.attempts=1..1000000` searches all of them.
 */
export const ATTEMPTS_SEARCH_CAP = 1000;

const LOSES = ["nothing", "unflushed", "disk"] as const;

/**
 * Most partitions a fleet may have: 1 000 000 replica sets of a few brokers each stay
 * within about 100 MB as arrays, and every fleet metric sums over them.
 */
export const MAX_PARTITIONS = 1_000_000;
/** Most controller nodes a control plane may have (its chain grows with them and its modes). */
export const MAX_CONTROLLER_NODES = 15;

/** Most sites a `regions:` block may have (the region chain is a product over them). */
export const MAX_SITES = 8;

/** The placements `fleet.placement` names (docs/design.md §3c), besides an explicit list. */
export const PLACEMENTS = ["kafka", "random", "rack_aware", "copyset"] as const;

/** The whole numbers from 1 to the node count (at least 1): more of them than nodes adds nothing. */
const upToNodes = (nodes: number) => [1, Math.max(1, nodes)] as const;

export const MODEL_FIELDS = {
  kind: "block",
  description: "A model of one message-queue cluster",
  required: true,
  fields: {
    mqrel: { kind: "version", value: 1, required: true, description: "the model format version: 1" },
    name: { kind: "text", minLength: 1, maxLength: 200, description: "the model's name in reports (default: the file name)" },
    description: { kind: "text", maxLength: 10_000, description: "what the model describes, in a sentence or two" },
    params: {
      kind: "record",
      key: "a parameter name",
      description: "named values for the expressions of the other fields",
      of: {
        kind: "quantity",
        dimension: "any",
        description: "a number or an expression with units (it takes the kind of the field that uses it)",
      },
    },
    cluster: {
      kind: "block",
      required: true,
      description: "the nodes, how they fail and are repaired, and what must be up",
      fields: {
        nodes: {
          kind: "count",
          required: true,
          min: 1,
          max: { value: MAX_NODES, noun: "nodes" },
          search: () => [1, MAX_NODES],
          leastDemanding: "min",
          description: "nodes in the cluster (replicas of a queue)",
        },
        quorum: {
          kind: "count",
          min: 1,
          words: ["majority", "any", "all"],
          default: "majority",
          search: (nodes) => [1, nodes],
          leastDemanding: "max",
          description: "nodes that must be up: a number, majority (⌊n/2⌋+1), any (1) or all (n)",
        },
        node: {
          kind: "block",
          required: true,
          description: "one node: mtbf + mttr, or availability, or unavailability, or failures",
          fields: {
            mtbf: {
              kind: "quantity",
              dimension: "time",
              unit: "years",
              leastDemanding: "min",
              description: "mean time between failures of one node",
            },
            mttr: {
              kind: "quantity",
              dimension: "time",
              unit: "h",
              leastDemanding: "max",
              description: "mean time to repair one node",
            },
            availability: {
              kind: "probability",
              nearOne: true,
              leastDemanding: "min",
              description: "steady-state availability of one node",
            },
            unavailability: {
              kind: "probability",
              leastDemanding: "max",
              description: "steady-state unavailability of one node (1 − availability, given exactly)",
            },
            failures: {
              kind: "record",
              key: "a failure mode's name",
              description: "independent failure modes, instead of mtbf and mttr (at most 8)",
              of: {
                kind: "block",
                description: "one way a node goes down",
                fields: {
                  mtbf: {
                    kind: "quantity",
                    dimension: "time",
                    unit: "years",
                    leastDemanding: "min",
                    description: "mean time between this mode's failures of one node (or rate)",
                  },
                  rate: {
                    kind: "quantity",
                    dimension: "rate",
                    unit: "/ year",
                    leastDemanding: "max",
                    description: "how often this mode strikes one up node (or mtbf)",
                  },
                  mttr: {
                    kind: "quantity",
                    dimension: "time",
                    unit: "h",
                    required: true,
                    leastDemanding: "max",
                    description: "mean time to recover from this mode",
                  },
                  crew: {
                    kind: "flag",
                    default: true,
                    description: "waits for one of the shared repair crews; false: recovers by itself",
                  },
                  loses: {
                    kind: "word",
                    words: LOSES,
                    description: "what the failure destroys (default unflushed with a crew, nothing without)",
                  },
                },
              },
            },
          },
        },
        repair_crews: {
          kind: "count",
          min: 1,
          // more crews than nodes repair no faster than one crew per node
          search: (nodes) => [1, nodes],
          leastDemanding: "min",
          description: "repair crews shared by the nodes (default: one per node, independent repair)",
        },
        common_cause: {
          kind: "block",
          description: "events that take every node down at once",
          fields: {
            rate: {
              kind: "quantity",
              dimension: "rate",
              unit: "/ year",
              required: true,
              leastDemanding: "max",
              description: "how often such an event strikes",
            },
            mttr: {
              kind: "quantity",
              dimension: "time",
              unit: "h",
              required: true,
              leastDemanding: "max",
              description: "how long the cluster stays down",
            },
            loses: { kind: "word", words: LOSES, default: "unflushed", description: "what it destroys on every node (disk is refused)" },
          },
        },
        zones: {
          kind: "block",
          description: "failure domains (availability zones, racks): placement or count",
          fields: {
            placement: {
              kind: "count",
              list: true,
              min: 1,
              description: "nodes per zone, in node order; they add up to cluster.nodes",
            },
            count: {
              kind: "count",
              min: 1,
              // as many as the nodes at most (an empty zone is refused)
              search: upToNodes,
              leastDemanding: "min",
              description: "zones, the nodes spread round-robin (at most 12)",
            },
            outage: {
              kind: "block",
              description: "each zone's outages (without it zones never fail)",
              fields: {
                rate: {
                  kind: "quantity",
                  dimension: "rate",
                  unit: "/ year",
                  required: true,
                  leastDemanding: "max",
                  description: "how often one zone goes dark",
                },
                mttr: {
                  kind: "quantity",
                  dimension: "time",
                  unit: "h",
                  required: true,
                  leastDemanding: "max",
                  description: "how long a zone stays dark",
                },
                crew: {
                  kind: "flag",
                  refused: "a zone outage needs no repair crew (a zone comes back on its own)",
                  description: "refused: a zone comes back on its own",
                },
                loses: {
                  kind: "word",
                  words: LOSES,
                  default: "unflushed",
                  description: "what an outage destroys on the zone's nodes (disk is refused)",
                },
              },
            },
          },
        },
        maintenance: {
          kind: "block",
          description: "rolling restarts, one node at a time",
          fields: {
            every: {
              kind: "quantity",
              dimension: "time",
              unit: "d",
              required: true,
              // patching as often, and restarts as long, as the target allows
              leastDemanding: "min",
              description: "time from the start of one round of restarts to the next",
            },
            duration: {
              kind: "quantity",
              dimension: "time",
              unit: "min",
              required: true,
              leastDemanding: "max",
              description: "how long one node is down for its restart",
            },
            bad_release: {
              kind: "block",
              description: "change-induced failures: each round is a release, bad with probability p (off unless given)",
              fields: {
                p: {
                  kind: "probability",
                  required: true,
                  leastDemanding: "max",
                  description: "probability that a round's release is bad: every node it restarts stays down (broken)",
                },
                detect: {
                  kind: "quantity",
                  dimension: "time",
                  unit: "min",
                  zero: true,
                  required: true,
                  leastDemanding: "max",
                  description: "from the end of the round's first slot until the bad release is caught (the round stops)",
                },
                rollback: {
                  kind: "quantity",
                  dimension: "time",
                  unit: "min",
                  zero: true,
                  required: true,
                  leastDemanding: "max",
                  description: "from the detection until every broken node is up again",
                },
              },
            },
          },
        },
        failover: {
          kind: "block",
          description: "leader election after an unplanned failure of the leader's node",
          fields: {
            time: {
              kind: "quantity",
              dimension: "time",
              unit: "s",
              zero: true,
              required: true,
              leastDemanding: "max",
              description: "how long the queue has no leader",
            },
          },
        },
        controller: {
          kind: "block",
          description: "the control plane (KRaft or ZooKeeper, Khepri, the NATS meta leader): no leader election while it has no quorum",
          fields: {
            nodes: {
              kind: "count",
              required: true,
              min: 1,
              max: { value: MAX_CONTROLLER_NODES, noun: "controller nodes" },
              search: () => [1, MAX_CONTROLLER_NODES],
              leastDemanding: "min",
              description: "controller nodes (their own machines, independent of the brokers)",
            },
            quorum: {
              kind: "count",
              min: 1,
              words: ["majority", "any", "all"],
              default: "majority",
              search: () => [1, MAX_CONTROLLER_NODES],
              leastDemanding: "max",
              description: "controller nodes that must be up for an election: a number, majority, any or all",
            },
            node: {
              kind: "block",
              required: true,
              description: "one controller node: mtbf + mttr, or failures (it recovers by itself: no crew)",
              fields: {
                mtbf: {
                  kind: "quantity",
                  dimension: "time",
                  unit: "years",
                  leastDemanding: "min",
                  description: "mean time between failures of one controller node",
                },
                mttr: {
                  kind: "quantity",
                  dimension: "time",
                  unit: "h",
                  leastDemanding: "max",
                  description: "mean time to recover one controller node",
                },
                failures: {
                  kind: "record",
                  key: "a failure mode's name",
                  description: "independent failure modes, instead of mtbf and mttr (at most 8)",
                  of: {
                    kind: "block",
                    description: "one way a controller node goes down",
                    fields: {
                      mtbf: {
                        kind: "quantity",
                        dimension: "time",
                        unit: "years",
                        leastDemanding: "min",
                        description: "mean time between this mode's failures of one controller node (or rate)",
                      },
                      rate: {
                        kind: "quantity",
                        dimension: "rate",
                        unit: "/ year",
                        leastDemanding: "max",
                        description: "how often this mode strikes one up controller node (or mtbf)",
                      },
                      mttr: {
                        kind: "quantity",
                        dimension: "time",
                        unit: "h",
                        required: true,
                        leastDemanding: "max",
                        description: "mean time to recover from this mode",
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    fleet: {
      kind: "block",
      description: "many partitions over the cluster's nodes, the brokers (each partition a replica set)",
      fields: {
        partitions: {
          kind: "count",
          required: true,
          min: 1,
          max: { value: MAX_PARTITIONS, noun: "partitions" },
          search: () => [1, MAX_PARTITIONS],
          leastDemanding: "max",
          description: "partitions (queues, streams), each replicated on its own set of brokers",
        },
        replication: {
          kind: "count",
          required: true,
          min: 1,
          max: { value: MAX_NODES, noun: "replicas" },
          search: upToNodes,
          leastDemanding: "min",
          description: "replicas per partition (R), at most cluster.nodes",
        },
        min_insync: {
          kind: "count",
          min: 1,
          words: ["majority", "any", "all"],
          default: "majority",
          search: upToNodes,
          leastDemanding: "max",
          description: "a partition is writable while this many of its replicas are up: a number, majority (⌊R/2⌋+1), any (1) or all (R)",
        },
        placement: {
          kind: "sets",
          words: PLACEMENTS,
          default: "kafka",
          item: "a list of broker ids from 0, preferred leader first",
          description: "which brokers hold each partition: a word, or a list of `partitions` replica sets of broker ids from 0",
        },
        scatter_width: {
          kind: "count",
          min: 1,
          search: (nodes) => [1, Math.max(1, nodes - 1)],
          leastDemanding: "max",
          description:
            "placement: copyset — the other brokers each broker shares partitions with (Cidon et al. 2013), at most cluster.nodes − 1; default 2 × (replication − 1), two permutations, capped at cluster.nodes − 1",
        },
        seed: {
          kind: "count",
          min: 0,
          max: { value: Number.MAX_SAFE_INTEGER },
          default: "1",
          description: "which assignment kafka, random and copyset draw (the same seed gives the same replica sets)",
        },
      },
    },
    persistence: {
      kind: "block",
      description: "the article's persistence formula, its inputs given directly",
      fields: {
        p_unpersisted: {
          kind: "probability",
          required: true,
          leastDemanding: "max",
          description: "probability that a message is not yet persisted",
        },
        p_fault: { kind: "probability", required: true, leastDemanding: "max", description: "probability of a fault meanwhile" },
      },
    },
    ack: {
      kind: "block",
      description: "the article's acknowledgement formula, its inputs given directly",
      fields: {
        p_unconfirmed: {
          kind: "probability",
          required: true,
          leastDemanding: "max",
          description: "probability that a message is not yet confirmed",
        },
        p_fault: { kind: "probability", required: true, leastDemanding: "max", description: "probability of a fault meanwhile" },
      },
    },
    durability: {
      kind: "block",
      description: "replicated durability (durability.replicated → message.loss), its inputs given directly",
      fields: {
        replicas: {
          kind: "count",
          required: true,
          min: 1,
          max: { value: MAX_NODES },
          search: upToNodes,
          leastDemanding: "min",
          description: "replicas holding a message when it is acknowledged",
        },
        window: {
          kind: "quantity",
          dimension: "time",
          unit: "s",
          zero: true,
          required: true,
          leastDemanding: "max",
          description: "the unflushed window (0 s: fsync before the acknowledgement)",
        },
        crash_rate: {
          kind: "quantity",
          dimension: "rate",
          unit: "/ year",
          required: true,
          leastDemanding: "max",
          description: "crashes of one replica that lose its unflushed data",
        },
        correlated_crash_rate: {
          kind: "quantity",
          dimension: "rate",
          unit: "/ year",
          default: "0 / year",
          leastDemanding: "max",
          description: "crashes that lose every replica's unflushed data at once",
        },
      },
    },
    retry: {
      kind: "block",
      description: "the publisher's retries: retry.fault_tolerance, or retry.deadline with a deadline",
      fields: {
        attempts: {
          kind: "count",
          required: true,
          min: 1,
          max: { value: MAX_ATTEMPTS, noun: "attempts" },
          search: () => [1, ATTEMPTS_SEARCH_CAP],
          leastDemanding: "min",
          description: "most attempts the client makes",
        },
        p_success: {
          kind: "probability",
          required: true,
          nearOne: true,
          leastDemanding: "min",
          description: "probability that one attempt succeeds",
        },
        timeout: {
          kind: "quantity",
          dimension: "time",
          unit: "s",
          zero: true,
          default: "0 s",
          leastDemanding: "max",
          description: "how long one attempt waits (needs a deadline)",
        },
        backoff: {
          kind: "block",
          description: "the wait between attempts (the defaults are Kafka's)",
          fields: {
            initial: {
              kind: "quantity",
              dimension: "time",
              unit: "ms",
              zero: true,
              default: "100 ms",
              leastDemanding: "max",
              description: "the first wait",
            },
            multiplier: {
              kind: "quantity",
              dimension: "dimensionless",
              atLeast: 1,
              default: "2",
              leastDemanding: "max",
              description: "each wait is the previous one times this",
            },
            max: {
              kind: "quantity",
              dimension: "time",
              unit: "s",
              zero: true,
              default: "1 s",
              leastDemanding: "max",
              description: "the longest wait",
            },
          },
        },
        deadline: {
          kind: "quantity",
          dimension: "time",
          unit: "s",
          leastDemanding: "min",
          description: "the time within which a message must get through",
        },
      },
    },
    messages: {
      kind: "block",
      description: "the message path: when a record is confirmed, copied and made durable",
      fields: {
        ack: {
          kind: "word",
          words: ["leader", "quorum", "all"],
          required: true,
          description: "when the broker confirms: the leader alone, cluster.quorum replicas, or every in-sync replica",
        },
        replication_lag: {
          kind: "quantity",
          dimension: "time",
          unit: "ms",
          leastDemanding: "max",
          description: "mean (exponential) time until a follower holds a record (required with followers)",
        },
        fsync: {
          kind: "word",
          words: ["always", "interval", "os"],
          required: true,
          description: "when a record reaches the disk: before the confirm, on a timer, or when the page cache writes it back",
        },
        fsync_interval: {
          kind: "quantity",
          dimension: "time",
          unit: "s",
          leastDemanding: "max",
          description: "fsync: interval — the period of each node's fsync timer (required there)",
        },
        writeback: {
          kind: "quantity",
          dimension: "time",
          unit: "s",
          // Linux: vm.dirty_expire_centisecs = 3000
          default: "30 s",
          leastDemanding: "max",
          description: "fsync: os — how long the page cache holds a record before the kernel writes it back",
        },
        publisher: {
          kind: "block",
          description: "the publisher's side of the confirm",
          fields: {
            confirms: { kind: "flag", default: true, description: "waits for confirms and resends what is not confirmed" },
            confirm_timeout: {
              kind: "quantity",
              dimension: "time",
              unit: "s",
              // Kafka: request.timeout.ms = 30000
              default: "30 s",
              leastDemanding: "max",
              description: "how long the publisher waits for a confirm (retry.timeout when the retry block gives one)",
            },
            idempotent: {
              kind: "flag",
              default: false,
              description: "the broker drops a resend of a record it already holds (Kafka's idempotent producer)",
            },
          },
        },
        isr: {
          kind: "block",
          description:
            "the in-sync set: each follower falls out of it and catches up again; elections take its members; ack: all confirms on the in-sync replicas and refuses writes below cluster.quorum",
          fields: {
            shrink: {
              kind: "quantity",
              dimension: "rate",
              unit: "/ day",
              required: true,
              leastDemanding: "min",
              description: "rate at which an up, in-sync follower falls out of the in-sync set (a stall, a slow disk, a GC pause)",
            },
            recover: {
              kind: "quantity",
              dimension: "time",
              unit: "s",
              required: true,
              leastDemanding: "min",
              description:
                "mean (exponential) time until an out-of-sync follower has caught up and is back in (a follower back from down starts out of sync)",
            },
          },
        },
        unclean_election: {
          kind: "flag",
          default: false,
          description:
            "with messages.isr: when no in-sync replica is up an out-of-sync one may lead (sooner available, the records it lacks lost)",
        },
      },
    },
    traffic: {
      kind: "block",
      description: "the message rate and the consumer",
      fields: {
        rate: {
          kind: "quantity",
          dimension: "rate",
          unit: "/ s",
          zero: false,
          required: true,
          leastDemanding: "max",
          description: "messages published (turns message.loss into lost messages per year)",
        },
        processing_time: {
          kind: "quantity",
          dimension: "time",
          unit: "ms",
          // the evaluator's and the simulator's DEFAULT_PROCESSING_HOURS (src/model/messages.ts); a test checks they agree
          default: "100 ms",
          leastDemanding: "max",
          description: "time from delivery to the consumer's acknowledgement",
        },
        consumer_crash_rate: {
          kind: "quantity",
          dimension: "rate",
          unit: "/ year",
          default: "0",
          leastDemanding: "max",
          description: "crashes of the consumer (redeliveries)",
        },
      },
    },
    slo: {
      kind: "record",
      key: "a metric id",
      notInput: true,
      description: "thresholds that `mqrel check` judges, keyed by metric id",
      of: { kind: "threshold", description: 'a threshold such as ">= 99.99%", "<= 1e-8" or ">= 4 nines"' },
    },
    simulation: {
      kind: "block",
      notInput: true,
      description: "defaults for simulate and validate (the command line wins)",
      fields: {
        horizon: {
          kind: "quantity",
          dimension: "time",
          unit: "years",
          // the simulator's DEFAULT_HORIZON_HOURS and DEFAULT_RUNS (src/sim/run/fromModel.ts); a test checks they agree
          default: "1000 years",
          leastDemanding: "min",
          description: "simulated time per run",
        },
        runs: { kind: "count", min: 1, default: "100", leastDemanding: "min", description: "independent runs" },
        seed: { kind: "count", min: 0, default: "1", description: "the random seed (the same seed gives the same result)" },
        failure: {
          kind: "block",
          description: "realistic mechanics: the time-to-failure distribution (default exponential)",
          fields: {
            distribution: { kind: "word", words: ["exponential", "weibull"], required: true, description: "its family" },
            shape: {
              kind: "quantity",
              dimension: "dimensionless",
              between: { low: 0.1, high: 100, why: "Weibull shapes of failure data lie between about 0.5 and 5" },
              default: "1",
              description: "weibull: the shape",
            },
          },
        },
        repair: {
          kind: "block",
          description: "realistic mechanics: the repair-time distribution (default lognormal, sigma 1)",
          fields: {
            distribution: { kind: "word", words: ["exponential", "lognormal"], required: true, description: "its family" },
            sigma: {
              kind: "quantity",
              dimension: "dimensionless",
              between: { low: 0.01, high: 10, why: "repair-time sigmas of field data lie between about 0.5 and 2" },
              default: "1",
              description: "lognormal: the sigma of the log",
            },
          },
        },
        retry_samples: { kind: "count", min: 1, leastDemanding: "min", description: "retry sequences sampled in all (default 200000)" },
      },
    },
    regions: {
      kind: "block",
      description: "several sites (regions, clouds), each a cluster, serving one service: failover between them and asynchronous copy",
      fields: {
        failover: {
          kind: "block",
          required: true,
          description: "moving the service off an unavailable active site",
          fields: {
            after: {
              kind: "quantity",
              dimension: "time",
              unit: "min",
              zero: true,
              required: true,
              leastDemanding: "max",
              description:
                "detection delay: the active site unavailable and another available this long starts the switch (exponential in the formulas; restarts if the active site recovers first)",
            },
            time: {
              kind: "quantity",
              dimension: "time",
              unit: "min",
              zero: true,
              required: true,
              leastDemanding: "max",
              description: "how long the switch takes; the service is down meanwhile (exponential in the formulas)",
            },
          },
        },
        replication: {
          kind: "block",
          required: true,
          description: "the asynchronous copy of confirmed records from the active site to the others",
          fields: {
            lag: {
              kind: "quantity",
              dimension: "time",
              unit: "s",
              zero: true,
              required: true,
              leastDemanding: "max",
              description: "mean (exponential) time until a confirmed record is copied to the other sites; a failover loses what is not",
            },
          },
        },
        failback: {
          kind: "block",
          description: "moving the service back to the first site once it is available again (none unless given)",
          fields: {
            after: {
              kind: "quantity",
              dimension: "time",
              unit: "min",
              zero: true,
              required: true,
              leastDemanding: "max",
              description:
                "the first site available (and the active one too) this long starts the planned switch back (exponential in the formulas)",
            },
            time: {
              kind: "quantity",
              dimension: "time",
              unit: "min",
              zero: true,
              leastDemanding: "max",
              description:
                "how long the switch back takes, the service down meanwhile (default regions.failover.time); planned, it loses nothing",
            },
          },
        },
        sites: {
          kind: "list",
          required: true,
          item: "a site",
          description: `the sites, at least 2 and at most ${MAX_SITES}; the first is active at the start`,
          of: {
            kind: "block",
            description: "one site: its region's outages and its cluster",
            fields: {
              name: { kind: "text", required: true, minLength: 1, maxLength: 100, description: "the site's name (unique)" },
              outage: {
                kind: "block",
                required: true,
                description: "the whole region (cloud) going dark, independently of its cluster",
                fields: {
                  rate: {
                    kind: "quantity",
                    dimension: "rate",
                    unit: "/ year",
                    required: true,
                    leastDemanding: "max",
                    description: "how often the region goes dark",
                  },
                  mttr: {
                    kind: "quantity",
                    dimension: "time",
                    unit: "h",
                    required: true,
                    leastDemanding: "max",
                    description: "how long the region stays dark",
                  },
                },
              },
              cluster: {
                kind: "include",
                block: "cluster",
                description:
                  "the site's cluster: a cluster block as at the top level, or the path (relative to this file) of a model file whose cluster it takes; default: the top-level cluster",
              },
            },
          },
        },
      },
    },
  },
} as const satisfies BlockSpec;
