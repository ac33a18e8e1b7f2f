/**
 * Bad input for the in-sync set (messages.isr, messages.unclean_election): one clear line
 * naming the file, the field and what was expected, exit 2.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError } from "../helpers/cli.js";
import { runCli } from "../helpers/runCli.js";

const model = (nodes: number, messages: string) => `mqrel: 1
cluster:
  nodes: ${nodes}
  quorum: 1
  node:
    failures:
      crash: { mtbf: 100 h, mttr: 2 h, crew: false, loses: unflushed }
  failover: { time: 1 min }
messages:
  replication_lag: 100 ms
  fsync: os
${messages}
`;

describe("bad in-sync set input", () => {
  it.each([
    [
      "a negative shrink rate",
      model(3, "  ack: all\n  isr: { shrink: -1 / h, recover: 30 s }"),
      /messages\.isr\.shrink: expected a rate ≥ 0/,
    ],
    [
      "a zero catch-up time",
      model(3, "  ack: all\n  isr: { shrink: 1 / day, recover: 0 s }"),
      /messages\.isr\.recover: expected a duration > 0/,
    ],
    ["no catch-up time", model(3, "  ack: all\n  isr: { shrink: 1 / day }"), /messages\.isr\.recover: missing field/],
    [
      "the set without followers",
      model(1, "  ack: all\n  isr: { shrink: 1 / day, recover: 30 s }"),
      /messages\.isr: the in-sync set needs followers/,
    ],
    [
      "the set over 8 replicas",
      model(8, "  ack: all\n  isr: { shrink: 1 / day, recover: 30 s }"),
      /messages\.isr: the in-sync set is modelled for at most 7 replicas, got 8/,
    ],
    [
      "a word for unclean_election",
      model(3, "  ack: all\n  isr: { shrink: 1 / day, recover: 30 s }\n  unclean_election: maybe"),
      /messages\.unclean_election: expected boolean/,
    ],
    [
      "unclean_election without the set",
      model(3, "  ack: all\n  unclean_election: true"),
      /messages\.unclean_election: unclean_election needs messages\.isr/,
    ],
  ])("when the model has %s then eval exits 2 with one line", async (_what, text, message) => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), "mqrel-isr-"));
    const file = join(dir, "model.yaml");
    writeFileSync(file, text);
    // Act
    const line = expectOneLineError(await runCli(["eval", file]));
    // Assert
    expect(line.startsWith(`error: ${file}:`)).toBe(true);
    expect(line).toMatch(message);
  });

  it("when --set gives the set's fields then eval takes them", async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), "mqrel-isr-"));
    const file = join(dir, "model.yaml");
    writeFileSync(file, model(3, "  ack: all\n  isr: { shrink: 1 / day, recover: 30 s }"));
    // Act
    const low = await runCli(["eval", file, "--json"]);
    const high = await runCli(["eval", file, "--json", "--set", "messages.isr.shrink=10/h", "--set", "messages.unclean_election=true"]);
    // Assert: more stalls and unclean elections lose more
    const loss = (r: { stdout: string }) => JSON.parse(r.stdout).models[0].metrics["message.loss"].value as number;
    expect(low.status, low.stderr).toBe(0);
    expect(high.status, high.stderr).toBe(0);
    expect(loss(high)).toBeGreaterThan(loss(low));
  });
});
