// Bundles src/cli/entry.ts (and the simulator worker) into dist/ with esbuild.
// One bundle keeps start-up fast: mathjs alone costs 0.5–0.8 s to import unbundled,
// a bundled parse-only subset about 35 ms (bench/startup.mjs measures it).
//
// Every npm dependency is bundled, so the published package has no runtime
// dependencies but those kept external below (package.json lists the rest as devDependencies). Their licence comments stay
// in the bundle (legalComments: "eof"), and THIRD-PARTY-NOTICES (scripts/notices.mjs)
// has each package's full licence text.
//
// No source maps: the bundle is not minified, so a --debug stack trace already points
// at readable code, and the maps would double the package for no user.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const BUILD_OPTIONS = {
  entryPoints: { mqrel: "src/cli/entry.ts", simWorker: "src/sim/run/worker.ts", api: "src/api.ts" },
  outdir: "dist",
  bundle: true,
  // Commands load their heavy parts (yaml, zod, the simulator) with import(): separate
  // chunks keep `mqrel formula` from paying for them.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  platform: "node",
  format: "esm",
  target: "node20",
  minify: false,
  sourcemap: false,
  legalComments: "eof",
  logLevel: "warning",
  // Vega and Vega-Lite (only `mqrel report` loads them, with import()) stay outside the
  // bundle: Node resolves them from node_modules at run time. Bundled, their UMD/ESM mix
  // loses its named exports, and they would add ~2 MB of chunks for one command.
  // The prompts of `mqrel init` (@inquirer/select, @inquirer/number) stay outside too: runtime
  // dependencies, loaded only when init asks on a terminal, kept out of the size budget.
  external: ["vega", "vega-lite", "@inquirer/select", "@inquirer/number"],
  banner: {
    // Some bundled CommonJS dependencies call require(); give them one.
    js: "import { createRequire as __mqrelCreateRequire } from 'node:module'; const require = __mqrelCreateRequire(import.meta.url);",
  },
};

/** The model's JSON Schema the package ships (src/model/jsonSchema.ts SCHEMA_FILE). */
export const SCHEMA_FILE = "schema/mqrel-model.schema.json";

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { mkdirSync, rmSync } = await import("node:fs");
  const { execFileSync } = await import("node:child_process");
  rmSync("dist", { recursive: true, force: true });
  await build(BUILD_OPTIONS);
  // The schema is written by the bundle just built, so it is what `mqrel schema` prints;
  // test/e2e/schemaFile.test.ts checks it. Generated, like dist/ (not in git).
  mkdirSync("schema", { recursive: true });
  execFileSync(process.execPath, ["bin/mqrel.js", "schema", "--output", SCHEMA_FILE], { stdio: "inherit" });
}
