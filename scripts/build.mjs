// Bundles src/cli/entry.ts (and later the simulator worker) into dist/ with esbuild.
// One bundle keeps start-up fast: mathjs alone costs 0.5–0.8 s to import unbundled,
// a bundled parse-only subset about 35 ms (bench/startup.mjs measures it).
import { build } from "esbuild";

await build({
  entryPoints: { mqrel: "src/cli/entry.ts", simWorker: "src/sim/worker.ts", api: "src/api.ts" },
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
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
  // Vega and Vega-Lite (only `mqrel report` loads them, with import()) stay outside the
  // bundle: Node resolves them from node_modules at run time. Bundled, their UMD/ESM mix
  // loses its named exports, and they would add ~2 MB of chunks for one command.
  external: ["vega", "vega-lite"],
  banner: {
    // Some bundled CommonJS dependencies call require(); give them one.
    js: "import { createRequire as __mqrelCreateRequire } from 'node:module'; const require = __mqrelCreateRequire(import.meta.url);",
  },
});
