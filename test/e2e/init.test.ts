/**
 * The first hour through the built bin/mqrel.js: `mqrel init … --out my.yaml`
 * then `mqrel eval my.yaml`. Only the bundle finds the presets from dist/chunks/, so this
 * is the test that init's package root is right where users run it.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mqrel } from "../helpers/cli.js";

describe("mqrel init through the bin", () => {
  it("when init writes a Kafka model of 6 brokers and replication 3 then eval evaluates it", async () => {
    // Arrange
    const out = join(mkdtempSync(join(tmpdir(), "mqrel-e2e-init-")), "my.yaml");

    // Act
    const init = await mqrel(["init", "--system", "kafka", "--brokers", "6", "--replication", "3", "--out", out]);
    const evaluated = await mqrel(["eval", out, "--json"]);

    // Assert
    expect(init.status, init.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/models\/kafka-fleet-12x600\.yaml/);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const metrics = JSON.parse(evaluated.stdout).models[0].metrics;
    expect(metrics["fleet.availability"].value).toBeGreaterThan(0.999);
  });
});
