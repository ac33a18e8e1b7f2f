/**
 * Shard files: one slice of a simulation's runs, saved as exact totals, and their merge
 * into exactly what one unsharded simulation would have printed.
 *
 * `mqrel simulate <model> --shard i/N --out part-i.json` simulates runs [⌊(i−1)·R/N⌋,
 * ⌊i·R/N⌋) of each part of the simulation (simulateByMethod.ts) and saves:
 *
 * - the exact partial sums (ExactSum partials: every bit of every sum), so that merging
 *   adds them exactly and the estimates come out bit for bit as from one machine;
 * - what must agree between shards of one simulation: mqrel's version, the model (name,
 *   file as given, SHA-256 of its bytes), the SimConfig itself and its SHA-256 (which
 *   covers every --set, --assume, --horizon), the seed, the runs and cycles, the method
 *   decided and why, and each part's kernel and run count.
 *
 * - a digest of every saved sum (`field_sha256`: "parts[0].fields.downtimeHours" → the
 *   SHA-256 of its partials), and one over the canonical serialisation of those digests
 *   with the runs, ranges, horizon, seed, cycles, shard and the model's and
 *   configuration's digests (`sums_sha256`), so that a file changed by hand or damaged
 *   on the way is refused — naming the sum that changed — rather than merged.
 *
 * `mqrel merge` checks that, then that every part's sums could have come from its runs
 * ({@link checkSums}: finite, non-negative, times within the simulated time, counts whole),
 * then that every part's run ranges tile [0, runs) exactly — every run in exactly one shard
 * — and summarises the merged totals through the same code as an unsharded simulation
 * (combineParts). The model is the same when its bytes are (`d.yaml` and `./d.yaml`, or a
 * copy on another machine): the file's name is reported, not compared.
 */
import { createHash } from "node:crypto";
import { InputError } from "../../common/errors.js";
import { ExactSum } from "../../stats/exactSum.js";
import type { MethodDecision, MethodRequest } from "../estimate/methodChoice.js";
import { RUN_PAIRS } from "../estimate/runTotals.js";
import type { SimConfig } from "../kernel/config.js";
import { IMPORTANCE_RECORD } from "../kernel/importanceRun.js";
import { RUN_RECORD } from "../kernel/plainRun.js";
import { type KernelSpec, kernelFor } from "./methodKernel.js";
import { combineParts, type SimulationOutcome, type SimulationPart } from "./simulateByMethod.js";

/** The format's version: a file from another version is refused. */
export const SHARD_FORMAT = 2;

export interface ShardHeader {
  readonly mqrelVersion: string;
  readonly model: string;
  readonly file: string;
  readonly modelSha256: string;
  readonly config: SimConfig;
  readonly seed: number;
  readonly mode: string;
  readonly runs: number;
  readonly cycles: number;
  readonly decision: MethodDecision;
}

export interface Shard {
  readonly header: ShardHeader;
  readonly index: number;
  readonly count: number;
  readonly parts: readonly SimulationPart[];
}

/** JSON of a SimConfig with ±Infinity kept (a retry with no deadline has one), keys sorted. */
function canonical(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function revive(value: unknown): unknown {
  if (value === "Infinity") return Number.POSITIVE_INFINITY;
  if (value === "-Infinity") return Number.NEGATIVE_INFINITY;
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, revive(v)]));
  }
  return value;
}

/** SHA-256 of the SimConfig's canonical JSON: equal exactly when the simulated mechanics are. */
export function configFingerprint(config: SimConfig): string {
  return createHash("sha256")
    .update(JSON.stringify(canonical(config)))
    .digest("hex");
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The shard file's JSON. */
export function shardJson(shard: Shard): unknown {
  const h = shard.header;
  const parts = shard.parts.map((part) => ({
    kernel: part.kernel,
    runs: part.runs,
    start: part.range.start,
    end: part.range.end,
    totals: part.totals.toJSON(),
  }));
  return {
    mqrel_shard: SHARD_FORMAT,
    mqrel_version: h.mqrelVersion,
    model: h.model,
    file: h.file,
    model_sha256: h.modelSha256,
    config_sha256: configFingerprint(h.config),
    seed: h.seed,
    mode: h.mode,
    runs: h.runs,
    cycles: h.cycles,
    method: h.decision,
    shard: { index: shard.index, count: shard.count },
    config: canonical(h.config),
    ...shardDigests(
      {
        model_sha256: h.modelSha256,
        config_sha256: configFingerprint(h.config),
        seed: h.seed,
        runs: h.runs,
        cycles: h.cycles,
        shard: { index: shard.index, count: shard.count },
      },
      parts,
      h.config.horizonHours,
    ),
    parts,
  };
}

/** What the shard's digests cover besides the sums (as written in the file). */
interface DigestedHeader {
  readonly model_sha256: unknown;
  readonly config_sha256: unknown;
  readonly seed: unknown;
  readonly runs: unknown;
  readonly cycles: unknown;
  readonly shard: unknown;
}

/** A saved part as written: its kernel, run range and totals (fields and, for plain runs, pair moments). */
interface SavedPart {
  readonly kernel: unknown;
  readonly runs: unknown;
  readonly start: unknown;
  readonly end: unknown;
  readonly totals: unknown;
}

/** A saved part's totals, as far as the digests read them. */
type SavedTotals = { readonly runs?: unknown; readonly fields?: unknown; readonly pairs?: unknown } | undefined;

/**
 * Every saved sum of the parts, by name ("parts[0].fields.downtimeHours",
 * "parts[0].pairs.loss.aa"), with its partials as written. The names come from the record
 * layouts (kernel/records.ts), so a digest mismatch names the field.
 */
function namedSums(parts: readonly SavedPart[]): [string, unknown][] {
  return parts.flatMap((part, i) => {
    const kind = (part.kernel as { kind?: unknown } | undefined)?.kind === "is" ? "is" : "plain";
    const totals = part.totals as SavedTotals;
    const fields = Array.isArray(totals?.fields) ? (totals.fields as unknown[]) : [];
    const pairs = totals?.pairs !== null && typeof totals?.pairs === "object" ? (totals.pairs as Record<string, unknown>) : {};
    return [
      ...fields.map((partials, f): [string, unknown] => [`parts[${i}].totals.fields.${fieldName(kind, f)}`, partials]),
      ...Object.entries(pairs).flatMap(([name, moments]) =>
        moments !== null && typeof moments === "object"
          ? Object.entries(moments as Record<string, unknown>).map(([which, partials]): [string, unknown] => [
              `parts[${i}].totals.pairs.${name}.${which}`,
              partials,
            ])
          : [],
      ),
    ];
  });
}

/**
 * The shard's digests (docs/simulator.md "Sharded runs"):
 *
 * - `field_sha256`: per saved sum, SHA-256 of its name and partials (the exact sum's
 *   non-overlapping doubles, in JSON's shortest round-trip form — every bit);
 * - `sums_sha256`: SHA-256 of the canonical serialisation (fixed key order) of the format,
 *   the model's and configuration's SHA-256, the seed, runs, cycles, horizon, the shard,
 *   each part's kernel, runs, range and run count, and every `field_sha256`.
 *
 * A digest is no signature (whoever edits a sum can recompute it): it catches a file
 * changed by hand or damaged, and the invariants of {@link checkSums} catch sums no
 * simulation could have produced.
 */
function shardDigests(
  header: DigestedHeader,
  parts: readonly SavedPart[],
  horizonHours: unknown,
): { sums_sha256: string; field_sha256: Record<string, string> } {
  const fieldSha256 = Object.fromEntries(namedSums(parts).map(([name, partials]) => [name, sha256(JSON.stringify([name, partials]))]));
  const canonicalText = JSON.stringify({
    format: SHARD_FORMAT,
    model_sha256: header.model_sha256,
    config_sha256: header.config_sha256,
    seed: header.seed,
    runs: header.runs,
    cycles: header.cycles,
    horizon_hours: canonical(horizonHours),
    shard: canonical(header.shard),
    parts: parts.map((part) => ({
      kernel: canonical(part.kernel),
      runs: part.runs,
      start: part.start,
      end: part.end,
      totals_runs: (part.totals as SavedTotals)?.runs,
    })),
    field_sha256: fieldSha256,
  });
  return { sums_sha256: sha256(canonicalText), field_sha256: fieldSha256 };
}

/** The digests a shard file's JSON (parsed) should carry, from its contents. */
export function digestsOf(j: Record<string, unknown>, config: SimConfig): { sums_sha256: string; field_sha256: Record<string, string> } {
  return shardDigests(j as unknown as DigestedHeader, j.parts as SavedPart[], config.horizonHours);
}

/**
 * Check a shard's digests against its contents: the first sum whose digest differs is
 * named; else the header (seed, runs, horizon, …) when the overall digest differs.
 *
 * @throws InputError naming the file and the field
 */
function checkDigests(file: string, j: Record<string, unknown>, config: SimConfig): void {
  if (typeof j.sums_sha256 !== "string") fail(file, "sums_sha256: expected a string");
  const saved = j.field_sha256 as Record<string, unknown> | undefined;
  if (saved === null || typeof saved !== "object" || Array.isArray(saved)) fail(file, "field_sha256: expected an object of digests");
  const computed = digestsOf(j, config);
  for (const [name, digest] of Object.entries(computed.field_sha256)) {
    if (saved[name] !== digest) fail(file, `${name}: does not match its digest in field_sha256 (the file was changed or damaged)`);
  }
  for (const name of Object.keys(saved)) {
    if (!(name in computed.field_sha256)) fail(file, `${name}: has a digest in field_sha256 but no sum (the file was changed or damaged)`);
  }
  if (computed.sums_sha256 !== j.sums_sha256)
    fail(
      file,
      "sums_sha256: does not match the file's seed, runs, cycles, horizon, shard, parts or model and configuration digests (the file was changed or damaged)",
    );
}

/** Fields whose values must be equal in every shard of one simulation, with their names in messages. */
const MUST_AGREE: readonly (readonly [string, string])[] = [
  ["mqrel_version", "mqrel version"],
  ["model", "model name"],
  ["model_sha256", "model file content (SHA-256)"],
  ["config_sha256", "simulated mechanics (SHA-256 of the configuration: --set, --assume, --horizon)"],
  ["seed", "seed"],
  ["mode", "mechanics (--assume)"],
  ["runs", "runs"],
  ["cycles", "cycles"],
  ["method", "method"],
];

function fail(file: string, message: string): never {
  throw new InputError(message, { file });
}

const isWhole = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;

function parseKernel(file: string, kernel: unknown): KernelSpec {
  const k = kernel as { kind?: unknown; bias?: unknown; cyclesPerRun?: unknown };
  if (k?.kind === "plain") return { kind: "plain" };
  if (k?.kind === "is" && typeof k.bias === "number" && k.bias > 0 && k.bias < 1 && isWhole(k.cyclesPerRun) && k.cyclesPerRun > 0) {
    return { kind: "is", bias: k.bias, cyclesPerRun: k.cyclesPerRun };
  }
  return fail(file, "parts[].kernel: expected a plain or importance-sampling kernel saved by mqrel");
}

/**
 * Read one shard file's JSON (already parsed).
 *
 * @throws InputError naming the file and what is wrong with it
 */
export function parseShard(file: string, json: unknown): Shard {
  const j = json as Record<string, unknown>;
  if (j === null || typeof j !== "object" || Array.isArray(j) || !("mqrel_shard" in j)) {
    return fail(file, "not an mqrel shard file (written by mqrel simulate --shard i/N --out FILE)");
  }
  if (j.mqrel_shard !== SHARD_FORMAT)
    return fail(file, `mqrel_shard: format ${String(j.mqrel_shard)} is not this mqrel's (${SHARD_FORMAT})`);
  for (const key of ["mqrel_version", "model", "file", "model_sha256", "config_sha256", "mode"]) {
    if (typeof j[key] !== "string") fail(file, `${key}: expected a string`);
  }
  for (const key of ["seed", "runs", "cycles"]) if (!isWhole(j[key])) fail(file, `${key}: expected a whole number`);
  const shard = j.shard as { index?: unknown; count?: unknown } | undefined;
  if (!shard || !isWhole(shard.index) || !isWhole(shard.count) || shard.index < 1 || shard.index > shard.count) {
    fail(file, "shard: expected {index, count} with 1 ≤ index ≤ count");
  }
  const method = j.method as { requested?: unknown; used?: unknown; reason?: unknown } | undefined;
  if (
    !method ||
    !["auto", "plain", "is"].includes(method.requested as string) ||
    !["plain", "is"].includes(method.used as string) ||
    typeof method.reason !== "string"
  ) {
    fail(file, "method: expected {requested, used, reason}");
  }
  const config = revive(j.config) as SimConfig;
  if (configFingerprint(config) !== j.config_sha256) fail(file, "config: does not match config_sha256 (the file was changed or damaged)");
  if (!Array.isArray(j.parts) || j.parts.length === 0) fail(file, "parts: expected at least one part");
  if (!(j.parts as unknown[]).every((p) => p !== null && typeof p === "object" && !Array.isArray(p)))
    fail(file, "parts: expected objects saved by mqrel");
  checkDigests(file, j, config);
  const parts = (j.parts as unknown[]).map((raw, i): SimulationPart => {
    const p = raw as Record<string, unknown>;
    const kernel = parseKernel(file, p?.kernel);
    if (!isWhole(p.runs) || !isWhole(p.start) || !isWhole(p.end) || p.start > p.end || p.end > p.runs) {
      fail(file, `parts[${i}]: expected 0 ≤ start ≤ end ≤ runs`);
    }
    let totals: SimulationPart["totals"];
    try {
      totals = kernelFor(config, kernel).totalsFromJSON(p.totals);
    } catch (error) {
      return fail(file, `parts[${i}].totals: ${(error as Error).message}`);
    }
    if (totals.runs !== (p.end as number) - (p.start as number)) {
      fail(file, `parts[${i}]: holds ${totals.runs} runs for the range [${p.start}, ${p.end}) (a shard cut short cannot be merged)`);
    }
    const wrong = checkSums(p.totals, kernel, totals.runs, config.horizonHours);
    if (wrong !== undefined) fail(file, `parts[${i}].totals: ${wrong} (the file was changed or damaged)`);
    return { kernel, runs: p.runs as number, range: { start: p.start as number, end: p.end as number }, totals, stoppedEarly: undefined };
  });
  return {
    header: {
      mqrelVersion: j.mqrel_version as string,
      model: j.model as string,
      file: j.file as string,
      modelSha256: j.model_sha256 as string,
      config,
      seed: j.seed as number,
      mode: j.mode as string,
      runs: j.runs as number,
      cycles: j.cycles as number,
      decision: { requested: method?.requested as MethodRequest, used: method?.used as "plain" | "is", reason: method?.reason as string },
    },
    index: (shard as { index: number }).index,
    count: (shard as { count: number }).count,
    parts,
  };
}

/** The correctly rounded value of saved ExactSum partials. */
function sumOf(partials: unknown): number {
  return ExactSum.fromJSON(partials as number[]).value();
}

/** A number in a message: at most 6 significant digits. */
const shown = (x: number) => String(Number(x.toPrecision(6)));

/** A record field's name ("downtimeHours"), for messages. */
function fieldName(kind: KernelSpec["kind"], field: number): string {
  const record: Record<string, number> = kind === "is" ? IMPORTANCE_RECORD : RUN_RECORD;
  return Object.keys(record).find((name) => name !== "size" && record[name] === field) ?? `fields[${field}]`;
}

/** Record fields that count things: their sums are whole numbers. */
const PLAIN_COUNTS = [
  RUN_RECORD.outages,
  RUN_RECORD.nodeEvents,
  RUN_RECORD.cycles,
  RUN_RECORD.segments,
  RUN_RECORD.lossSegments,
  RUN_RECORD.queueOutages,
  RUN_RECORD.elections,
  RUN_RECORD.lossEpisodes,
  RUN_RECORD.duplicateEpisodes,
  RUN_RECORD.retrySequences,
  RUN_RECORD.retryFailures,
  RUN_RECORD.lossEvents,
  RUN_RECORD.unconfirmedEvents,
  RUN_RECORD.destroyingEvents,
];
const IMPORTANCE_COUNTS = [IMPORTANCE_RECORD.cycles, IMPORTANCE_RECORD.transitions, IMPORTANCE_RECORD.lossCycles, IMPORTANCE_RECORD.losses];

/**
 * What the sums of `runs` complete runs must satisfy, whatever the model: every sum (and
 * second moment) finite and non-negative — each run adds times, counts and squares, never
 * less than zero; counts whole; with plain runs, the simulated time exactly runs × the
 * horizon, the downtime, up time and the queue's times within it (downtime + up time =
 * it), no run stopped early, no more failed retry sequences than sequences; with
 * importance sampling, cycles = runs × cycles per run, and no more losing cycles than
 * cycles. Undefined when they hold; else what is wrong, in a few words.
 */
export function checkSums(json: unknown, kernel: KernelSpec, runs: number, horizonHours: number): string | undefined {
  const saved = json as { fields: unknown[]; pairs?: Record<string, Record<string, unknown>> };
  const fields = saved.fields.map(sumOf);
  const moments = Object.entries(saved.pairs ?? {}).flatMap(([name, m]) =>
    Object.entries(m).map(([which, partials]) => [`${name}.${which}`, sumOf(partials)] as const),
  );
  const bad = fields.findIndex((x) => !(Number.isFinite(x) && x >= 0));
  if (bad >= 0) return `${fieldName(kernel.kind, bad)} sums to ${shown(fields[bad] as number)}; every sum is finite and at least 0`;
  const badMoment = moments.find(([, x]) => !(Number.isFinite(x) && x >= 0));
  if (badMoment !== undefined) return `the ${badMoment[0]} moment sums to ${shown(badMoment[1])}; every sum is finite and at least 0`;
  const at = (field: number) => fields[field] as number;
  const whole = (counts: readonly number[]) => counts.find((field) => !Number.isInteger(at(field)));
  if (kernel.kind === "is") {
    const fraction = whole(IMPORTANCE_COUNTS);
    if (fraction !== undefined) return `${fieldName(kernel.kind, fraction)} counts ${shown(at(fraction))}, not a whole number`;
    if (at(IMPORTANCE_RECORD.cycles) !== runs * kernel.cyclesPerRun)
      return `${shown(at(IMPORTANCE_RECORD.cycles))} cycles in ${runs} runs of ${kernel.cyclesPerRun}`;
    if (at(IMPORTANCE_RECORD.lossCycles) > at(IMPORTANCE_RECORD.cycles)) return "more cycles lost quorum than were simulated";
    if (at(IMPORTANCE_RECORD.stopped) !== 0) return "a run was stopped early";
    return undefined;
  }
  const fraction = whole(PLAIN_COUNTS);
  if (fraction !== undefined) return `${fieldName(kernel.kind, fraction)} counts ${shown(at(fraction))}, not a whole number`;
  const simulated = at(RUN_RECORD.horizonHours);
  const expected = runs * horizonHours;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (!close(simulated, expected)) return `${shown(simulated)} simulated hours in ${runs} runs of ${shown(horizonHours)} h`;
  for (const [field, name] of [
    [RUN_RECORD.downtimeHours, "downtime"],
    [RUN_RECORD.upTimeHours, "up time"],
    [RUN_RECORD.queueDowntimeHours, "queue downtime"],
    [RUN_RECORD.queueUpHours, "queue up time"],
  ] as const) {
    if (at(field) > simulated * (1 + 1e-9)) return `a ${name} of ${shown(at(field))} h exceeds the ${shown(simulated)} h simulated`;
  }
  if (!close(at(RUN_RECORD.downtimeHours) + at(RUN_RECORD.upTimeHours), simulated))
    return "downtime and up time do not add up to the simulated time";
  if (at(RUN_RECORD.stopped) !== 0) return "a run was stopped early";
  if (at(RUN_RECORD.retryFailures) > at(RUN_RECORD.retrySequences)) return "more retry sequences failed than were sampled";
  return checkPairMoments(saved.pairs ?? {}, at, runs, horizonHours);
}

/**
 * The pair moments of plain runs against the field sums they go with (runTotals.ts
 * RUN_PAIRS: per run a pair (a, b) ≥ 0, summed as Σa², Σb², Σab and the third moments): by
 * Cauchy–Schwarz (Σa)² ≤ R·Σa², (Σb)² ≤ R·Σb², (Σab)² ≤ Σa²·Σb² and (Σa²)² ≤ Σa·Σa³
 * for any R runs; where b is the run's
 * simulated time (the horizon H in every run), Σb² = R·H² and Σab = H·Σa exactly up to
 * rounding. A relative slack of 1e-9 covers the rounding of each run's products.
 */
function checkPairMoments(
  pairs: Record<string, Record<string, unknown>>,
  at: (field: number) => number,
  runs: number,
  horizonHours: number,
): string | undefined {
  const slack = 1e-9;
  const close = (x: number, y: number) => Math.abs(x - y) <= slack * Math.max(Math.abs(x), Math.abs(y));
  for (const [name, [ia, ib]] of Object.entries(RUN_PAIRS)) {
    const m = pairs[name];
    if (m === undefined) continue; // fromJSON refuses totals without every pair
    const a = at(ia);
    const b = at(ib);
    const [aa, bb, ab] = (["aa", "bb", "ab"] as const).map((which) => sumOf(m[which]));
    const what = (which: string) => `the ${name}.${which} moment sums to ${shown(sumOf(m[which]))}`;
    if (a * a > runs * (aa as number) * (1 + slack)) return `${what("aa")}, less than (Σa)²/runs = ${shown((a * a) / runs)}`;
    if (b * b > runs * (bb as number) * (1 + slack)) return `${what("bb")}, less than (Σb)²/runs = ${shown((b * b) / runs)}`;
    if ((ab as number) ** 2 > (aa as number) * (bb as number) * (1 + slack)) return `${what("ab")}, more than √(Σa²·Σb²) allows`;
    // a, b ≥ 0: (Σa²)² ≤ Σa·Σa³ and (Σb²)² ≤ Σb·Σb³ (Cauchy–Schwarz on a^½·a^{3/2})
    if ((aa as number) ** 2 > a * sumOf(m.aaa) * (1 + slack)) return `${what("aaa")}, less than (Σa²)²/Σa allows`;
    if ((bb as number) ** 2 > b * sumOf(m.bbb) * (1 + slack)) return `${what("bbb")}, less than (Σb²)²/Σb allows`;
    if (ib === RUN_RECORD.horizonHours) {
      if (!close(bb as number, runs * horizonHours * horizonHours)) return `${what("bb")}, not runs × horizon²`;
      if (!close(ab as number, horizonHours * a)) return `${what("ab")}, not horizon × Σa`;
    }
  }
  return undefined;
}

export interface NamedShard {
  readonly file: string;
  readonly json: unknown;
}

export interface MergedSimulation {
  readonly header: ShardHeader;
  readonly outcome: SimulationOutcome;
}

/** "runs 250–499" for [250, 500). */
function runsText(start: number, end: number): string {
  return end - start === 1 ? `run ${start}` : `runs ${start}–${end - 1}`;
}

/**
 * Merge shard files into the simulation they are slices of.
 *
 * @throws InputError when a file is not a shard, the shards belong to different
 *   simulations, or their runs do not cover every run exactly once (missing or overlapping)
 */
export function mergeShards(files: readonly NamedShard[]): MergedSimulation {
  if (files.length === 0) throw new InputError("no shard files given", { path: "merge" });
  const shards = files.map(({ file, json }) => ({ file, shard: parseShard(file, json), json: json as Record<string, unknown> }));
  const first = shards[0] as (typeof shards)[number];
  for (const other of shards.slice(1)) {
    for (const [key, name] of MUST_AGREE) {
      const a = JSON.stringify(first.json[key]);
      const b = JSON.stringify(other.json[key]);
      if (a !== b) {
        throw new InputError(`${name} ${b} differs from ${first.file}'s ${a}: shards of different simulations cannot be merged`, {
          file: other.file,
          path: key,
        });
      }
    }
    const kernels = (s: typeof first) => JSON.stringify(s.shard.parts.map((p) => [p.kernel, p.runs]));
    if (kernels(first) !== kernels(other)) {
      throw new InputError(`its parts differ from ${first.file}'s: shards of different simulations cannot be merged`, {
        file: other.file,
        path: "parts",
      });
    }
  }
  const config = first.shard.header.config;
  const parts: SimulationPart[] = first.shard.parts.map((template, p) => {
    const slices = shards
      .map(({ file, shard }) => ({ file, shard, part: shard.parts[p] as SimulationPart }))
      .filter(({ part }) => part.range.end > part.range.start)
      .sort((a, b) => a.part.range.start - b.part.range.start || a.part.range.end - b.part.range.end);
    let covered = 0;
    let previous: (typeof slices)[number] | undefined;
    const totals = kernelFor(config, template.kernel).newTotals();
    const what = template.kernel.kind === "is" ? "importance-sampling runs" : "runs";
    for (const slice of slices) {
      const { start, end } = slice.part.range;
      if (start < covered && previous) {
        const again = slice.shard.index === previous.shard.index && slice.shard.count === previous.shard.count;
        throw new InputError(
          again
            ? `shard ${slice.shard.index} of ${slice.shard.count} is given twice (${previous.file} and ${slice.file}); merge each shard once`
            : `${slice.file} and ${previous.file} both hold ${what.replace("runs", runsText(start, Math.min(end, covered)))}: shards overlap; merge each run once`,
          { file: slice.file },
        );
      }
      if (start > covered) throw missing(covered, start, template, first.shard.count, what);
      totals.merge(slice.part.totals);
      covered = end;
      previous = slice;
    }
    if (covered < template.runs) throw missing(covered, template.runs, template, first.shard.count, what);
    return { kernel: template.kernel, runs: template.runs, range: { start: 0, end: template.runs }, totals, stoppedEarly: undefined };
  });
  return { header: first.shard.header, outcome: combineParts(config, first.shard.header.decision, parts) };
}

function missing(start: number, end: number, part: { runs: number }, count: number, what: string): InputError {
  // which shards of `count` would have held the gap
  const shardOf = (run: number) => {
    for (let i = 1; i <= count; i++) {
      const to = Number((BigInt(i) * BigInt(part.runs)) / BigInt(count));
      if (run < to) return i;
    }
    return count;
  };
  const a = shardOf(start);
  const b = shardOf(end - 1);
  const shards = a === b ? `shard ${a} of ${count}` : `shards ${a}–${b} of ${count}`;
  return new InputError(
    `${what.replace("runs", runsText(start, end))} of ${part.runs} ${end - start === 1 ? "is" : "are"} missing (${shards}): merge every shard`,
    {
      path: "merge",
    },
  );
}
