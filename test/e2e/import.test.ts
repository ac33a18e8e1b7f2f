/**
 * `mqrel import` through the built bin/mqrel.js: the bundle finds the presets (models/)
 * beside itself, as an installed package would, and writes a model that evaluates.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { mqrel } from "../helpers/cli.js";

describe("bin/mqrel.js import", () => {
  it("when the NATS fixture is imported by the bundle then the preset's values are in the model, marked, and it evaluates", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "mqrel-import-e2e-")), "nats.yaml");
    const imported = await mqrel(["import", "nats", "test/fixtures/import/nats/orders.json", "--out", out]);
    expect(imported.status, imported.stderr).toBe(0);
    const text = readFileSync(out, "utf8");
    // the preset's own value, whatever it is (models/ is the one home of the defaults)
    const failover = parse(readFileSync("models/nats-jetstream-r3.yaml", "utf8")).cluster.failover;
    expect(parse(text).cluster.failover).toEqual(failover);
    expect(text).toMatch(/^ {2}failover: \{.*\} # default: not in the config$/m);
    const evaluated = await mqrel(["eval", out, "--json"]);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout).models[0].metrics["queue.availability"].value).toBeGreaterThan(0.99);
  });
});
