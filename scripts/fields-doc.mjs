// Writes docs/fields.md, the manual's field reference, from the field registry
// (src/fields/registry.ts). Independent of the mqrel CLI and of dist/: esbuild bundles
// src/fields/doc.ts in memory and this script runs it. `npm run fields-doc`;
// test/fields/registry.test.ts fails while the committed file differs.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = await build({
  entryPoints: [join(root, "src/fields/doc.ts")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "node",
  logLevel: "warning",
});
const code = bundle.outputFiles[0].text;
const { fieldsReference } = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
const target = join(root, "docs/fields.md");
writeFileSync(target, fieldsReference());
console.log(`wrote ${target}`);
