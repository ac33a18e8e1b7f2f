import { readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";

const MODEL_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Model files named on the command line: files as given, directories searched recursively (sorted). */
export function expandModelPaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      // a missing file is reported by the loader, with its name
    }
    if (isDirectory) files.push(...walk(path));
    else files.push(path);
  }
  return files;
}

function walk(directory: string): string[] {
  const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...walk(path));
    else if (MODEL_EXTENSIONS.has(extname(entry.name))) found.push(path);
  }
  return found;
}
