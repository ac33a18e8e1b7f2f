/**
 * The `regions:` block (docs/design.md §3d): several sites, each a whole cluster in its
 * own region (cloud), serving one service — from the parsed file to {@link RegionsModel},
 * with one clear error per problem. resolve.ts calls this with its field readers, so that
 * expressions, units, places and messages work as for every other field.
 *
 * Decisions (docs/model-files.md "Regions"):
 * - A site's cluster is resolved by the cluster resolution itself (resolve.ts), so that
 *   every mechanism a cluster has — failure modes, crews, zones, a common cause, a control
 *   plane — is a site's too: an inline block is resolved as the model's `cluster:` would
 *   be, over the model's `params`, its errors and warnings placed at the site
 *   (`regions.sites.1.cluster.node.mttr`); a text is the path of a model file, relative to
 *   this one, which is resolved whole and whose `cluster:` is taken (a file that is itself a
 *   regions model gives its top-level cluster; files that name each other are a cycle).
 * - The top-level `cluster:` stays required (it is in every model) and is the default site
 *   cluster: a site that gives none runs it. The cluster.* metrics describe it.
 * - At least 2 sites (one has nothing to fail over to), at most MAX_SITES; names unique.
 * - `failback.time` defaults to `failover.time`.
 * - What the region chain (src/formulas/regions.ts) and the simulator cannot take is
 *   refused here, with the reason: a site's cluster given as an availability (the chain
 *   needs its rates), and `fleet:` beside `regions:` (which site would it be?). Rolling
 *   restarts in a site (a fixed schedule is not a Markov process) load, and make the region
 *   metrics simulated only (`RegionsModel.simulatedOnly`), as a chain past the limits does
 *   (regionsMetrics.ts).
 * - A site may be a fleet (docs/design.md §3c): its model file has `fleet:` beside its
 *   `cluster:` (the file form only: an inline site block is a cluster block, and a site
 *   file is the one place a site already takes a whole model's worth). The site is then
 *   available while its region is in and every partition is writable (at least
 *   `min_insync` replicas up: fleet.availability's meaning); that is no small Markov chain,
 *   so the region metrics are simulated only, the simulator reading the fleet tracker.
 */
import { dirname, resolve as resolvePath } from "node:path";
import { InputError } from "../common/errors.js";
import { MAX_SITES } from "../fields/index.js";
import type { FieldReader } from "./clusterModes.js";
import { readModelFile, type SourceFile, STDIN_NAME } from "./load.js";
import type { Override, ResolveOptions } from "./resolve.js";
import type { RawModel } from "./schema.js";
import type { ClusterModel, FleetModel, Model, ModelWarning, Place } from "./types.js";

/** One site: its region's outages and its cluster (docs/design.md §3d). */
export interface SiteModel {
  readonly name: string;
  /** the whole region dark: outages per hour of an up region, and their mean length */
  readonly outage: { readonly ratePerHour: number; readonly mttrHours: number };
  readonly cluster: ClusterModel;
  /**
   * a fleet site: the partitions over its cluster's brokers, from the site's model file's
   * `fleet:`; the site is available while its region is in and every partition is writable
   * (fleet.availability's meaning). The region metrics are then simulated only.
   */
  readonly fleet?: FleetModel;
  /** where the cluster comes from: the site's own block, the top-level cluster, or a model file (as written) */
  readonly clusterFrom: { readonly kind: "inline" } | { readonly kind: "default" } | { readonly kind: "file"; readonly file: string };
}

/** Several sites serving one service, failover between them and the copy of records (docs/design.md §3d), in hours. */
export interface RegionsModel {
  /** the active site unavailable (and another available) `afterHours` starts a switch of `timeHours` */
  readonly failover: { readonly afterHours: number; readonly timeHours: number };
  /** mean (exponential) time until a confirmed record is copied to the other sites */
  readonly replication: { readonly lagHours: number };
  /** the first site available again for `afterHours` (and the active one available) starts a planned switch back */
  readonly failback?: { readonly afterHours: number; readonly timeHours: number };
  /** in list order; the first is active at the start */
  readonly sites: readonly SiteModel[];
  /**
   * set when a site has what the region chain cannot take (rolling restarts: a fixed
   * schedule is not a Markov process): the region metrics are then only simulated, and
   * this says why, at the field that brings it
   */
  readonly simulatedOnly?: { readonly why: string; readonly place: Place };
}

type RawRegions = NonNullable<RawModel["regions"]>;
type Path = readonly (string | number)[];

/** What the region resolution needs of resolve.ts. */
export interface RegionsContext {
  readonly read: FieldReader;
  readonly source: SourceFile;
  /** the parsed model (overrides applied) */
  readonly raw: RawModel;
  readonly overrides: readonly Override[];
  readonly options: ResolveOptions;
  /** the top-level cluster, resolved: the default site cluster */
  readonly cluster: ClusterModel;
  /** resolve.ts's resolveModel (passed in: this module is called from it) */
  readonly resolve: (source: SourceFile, overrides: readonly Override[], options: ResolveOptions) => Model;
}

/** `regions:` → the model's sites, with the warnings their clusters' fields gave. @throws InputError */
export function resolveRegions(ctx: RegionsContext, raw: RawRegions): { regions: RegionsModel; warnings: ModelWarning[] } {
  const { read } = ctx;
  if (ctx.raw.fleet !== undefined) {
    read.fail(
      ["regions"],
      'fleet: beside regions: is not taken: give a fleet site as the path of a model file with its own fleet: (docs/model-files.md "Regions")',
    );
  }
  const failover = {
    afterHours: read.number(["regions", "failover", "after"], raw.failover.after),
    timeHours: read.number(["regions", "failover", "time"], raw.failover.time),
  };
  const replication = { lagHours: read.number(["regions", "replication", "lag"], raw.replication.lag) };
  const failback = raw.failback
    ? {
        afterHours: read.number(["regions", "failback", "after"], raw.failback.after),
        timeHours: raw.failback.time !== undefined ? read.number(["regions", "failback", "time"], raw.failback.time) : failover.timeHours,
      }
    : undefined;
  const sitesRaw = raw.sites;
  if (sitesRaw.length < 2) {
    read.fail(["regions", "sites"], `expected at least 2 sites (one has nothing to fail over to), got ${sitesRaw.length}`);
  }
  if (sitesRaw.length > MAX_SITES) read.fail(["regions", "sites"], `expected at most ${MAX_SITES} sites, got ${sitesRaw.length}`);
  const warnings: ModelWarning[] = [];
  const sites: SiteModel[] = [];
  let simulatedOnly: RegionsModel["simulatedOnly"];
  sitesRaw.forEach((site, i) => {
    const at = ["regions", "sites", i];
    const earlier = sitesRaw.findIndex((other) => other.name === site.name);
    if (earlier < i) read.fail([...at, "name"], `duplicate site name "${site.name}" (site ${earlier} has it too); names must be unique`);
    const outage = {
      ratePerHour: read.number([...at, "outage", "rate"], site.outage.rate),
      mttrHours: read.number([...at, "outage", "mttr"], site.outage.mttr),
    };
    const { cluster, clusterFrom, fleet } = siteCluster(ctx, site.cluster, i, warnings);
    simulatedOnly ??= checkForChain(read, cluster, clusterFrom, i, fleet);
    sites.push({ name: site.name, outage, cluster, ...(fleet ? { fleet } : {}), clusterFrom });
  });
  return {
    regions: { failover, replication, ...(failback ? { failback } : {}), sites, ...(simulatedOnly ? { simulatedOnly } : {}) },
    warnings,
  };
}

function siteCluster(
  ctx: RegionsContext,
  given: string | Record<string, unknown> | undefined,
  i: number,
  warnings: ModelWarning[],
): Pick<SiteModel, "cluster" | "clusterFrom" | "fleet"> {
  if (given === undefined) return { cluster: ctx.cluster, clusterFrom: { kind: "default" } };
  if (typeof given === "string") return { ...fileCluster(ctx, given, i), clusterFrom: { kind: "file", file: given } };
  return { cluster: inlineCluster(ctx, given, i, warnings), clusterFrom: { kind: "inline" } };
}

/** The absolute path of a model file, for the cycle check (standard input: none). */
function absolute(file: string): string | undefined {
  return file === STDIN_NAME ? undefined : resolvePath(file);
}

/** A site's cluster from another model file: that model resolved whole, its `cluster:` taken, and its `fleet:` if it has one. */
function fileCluster(ctx: RegionsContext, text: string, i: number): { cluster: ClusterModel; fleet?: FleetModel } {
  const at = ["regions", "sites", i, "cluster"];
  const base = ctx.source.file === STDIN_NAME ? process.cwd() : dirname(ctx.source.file);
  const file = resolvePath(base, text.trim());
  const chain = ctx.options.sitesOf ?? [absolute(ctx.source.file)].filter((f): f is string => f !== undefined);
  if (chain.includes(file)) {
    const names = [...chain.slice(chain.indexOf(file)), file].map((f) => f.slice(f.lastIndexOf("/") + 1));
    ctx.read.fail(at, `site model files refer to each other in a cycle: ${names.join(" → ")}`);
  }
  let source: SourceFile;
  try {
    source = readModelFile(file);
  } catch (error) {
    if (error instanceof InputError) ctx.read.fail(at, `cannot read the site's model file "${text}": ${error.message}`);
    throw error;
  }
  const model = ctx.resolve(source, [], { ...ctx.options, sitesOf: [...chain, file] });
  return model.fleet !== undefined ? { cluster: model.cluster, fleet: model.fleet } : { cluster: model.cluster };
}

/**
 * A site's inline cluster block, resolved by resolve.ts as the cluster of a model made of
 * this model's params and that block — read through a view of this file that places
 * `cluster.*` at `regions.sites.<i>.cluster.*` — its errors and warnings moved there too.
 */
function inlineCluster(ctx: RegionsContext, block: Record<string, unknown>, i: number, warnings: ModelWarning[]): ClusterModel {
  const prefix = ["regions", "sites", i];
  const dotted = `regions.sites.${i}.`;
  const moved = (path: Path): Path => (path[0] === "cluster" ? [...prefix, ...path] : path);
  const { source } = ctx;
  const view: SourceFile = {
    file: source.file,
    data: { mqrel: 1, ...(ctx.raw.params !== undefined ? { params: ctx.raw.params } : {}), cluster: block },
    locate: (path) => source.locate(moved(path)),
    locateKey: (path) => source.locateKey(moved(path)),
    numberText: (path) => source.numberText(moved(path)),
  };
  const overrides = ctx.overrides
    .filter((o) => o.path.startsWith(`${dotted}cluster.`))
    .map((o) => ({ ...o, path: o.path.slice(dotted.length) }));
  // a place inside the view ("cluster.node.mttr", "--set cluster.nodes") is at the site
  const movePath = (path: string | undefined) => path?.replace(/^((?:\S+ )?)(cluster(?:\.|$))/, `$1${dotted}$2`);
  try {
    const model = ctx.resolve(view, overrides, ctx.options);
    for (const warning of model.warnings) {
      const path = movePath(warning.place.path) ?? warning.place.path;
      warnings.push({ ...warning, place: { ...warning.place, path } });
    }
    return model.cluster;
  } catch (error) {
    if (error instanceof InputError) {
      const path = movePath(error.location.path);
      throw new InputError(error.message, { ...error.location, ...(path !== undefined ? { path } : {}) }, error.suggestion);
    }
    throw error;
  }
}

/**
 * Refuse what neither the region chain nor the simulator can take, at the field that
 * brings it; what only the simulator takes (rolling restarts) makes the region metrics
 * simulated only: returned, with why and where.
 */
function checkForChain(
  read: FieldReader,
  cluster: ClusterModel,
  from: SiteModel["clusterFrom"],
  i: number,
  fleet: FleetModel | undefined,
): RegionsModel["simulatedOnly"] {
  const inside = (field: string): Path =>
    from.kind === "inline"
      ? ["regions", "sites", i, "cluster", field]
      : from.kind === "default"
        ? ["cluster", field]
        : ["regions", "sites", i, "cluster"];
  const whose =
    from.kind === "file"
      ? `the cluster of "${from.file}"`
      : from.kind === "default"
        ? `the top-level cluster (site ${i}'s)`
        : "a site's cluster";
  if (cluster.failureModes === undefined) {
    read.fail(
      inside("node"),
      `${whose} needs failure rates (node mtbf + mttr, or failures): the region chain is built from its Markov chain, and an availability alone has none`,
    );
  }
  if (fleet !== undefined) {
    return {
      why: `${whose} is a fleet, whose availability (every partition writable) is not a small Markov chain the region chain takes`,
      place: read.place(inside("node")),
    };
  }
  if (cluster.maintenance !== undefined) {
    return {
      why: `${whose} has rolling restarts (maintenance), which the region chain does not take (a fixed schedule is not a Markov process)`,
      place: read.place(inside("maintenance")),
    };
  }
  return undefined;
}
