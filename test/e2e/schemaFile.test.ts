/**
 * The schema file the package ships (schema/mqrel-model.schema.json, written by the build,
 * scripts/build.mjs, which the globalSetup runs) is what the built `mqrel schema` prints,
 * and package.json "files" ships it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEMA_FILE } from "../../src/model/jsonSchema.js";
import { mqrel, ROOT } from "../helpers/cli.js";

describe("the shipped JSON Schema", () => {
  it("when the build has run then the schema file is byte for byte what mqrel schema prints, and the package lists it", async () => {
    // Act
    const printed = await mqrel(["schema"]);
    const file = readFileSync(join(ROOT, SCHEMA_FILE), "utf8");

    // Assert
    expect(printed.status, printed.stderr).toBe(0);
    expect(file).toBe(printed.stdout);
    const { files } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    expect(files).toContain(SCHEMA_FILE.split("/")[0]);
  });
});
