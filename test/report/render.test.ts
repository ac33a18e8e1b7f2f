/**
 * The shared rendering helpers (src/report/table.ts, src/common/text.ts) and the report lines
 * issue 9 asks for: tables that fit, text that cannot move the cursor or start a
 * workflow command, and an interrupted validation that says so.
 */
import { Chalk } from "chalk";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineStart, printable } from "../../src/common/text.js";
import { markdownText, signedMargin } from "../../src/report/format.js";
import { displayWidth, fitLines, renderTable, wrapText } from "../../src/report/table.js";
import { validateText } from "../../src/report/validateReport.js";
import type { SimulationResult } from "../../src/sim/run/scheduler.js";

const plain = new Chalk({ level: 0 });

describe("printable", () => {
  it("when text holds control, line-separator or bidi characters then each is written as an escape", () => {
    expect(printable("a\nb\r\tc\u001b[2J\u0000\u007f\u0085\u2028\u202e")).toBe("a\\nb\\r\\tc\\x1b[2J\\x00\\x7f\\x85\\u2028\\u202e");
    expect(printable("plain ümlaut ≥ 99.9%")).toBe("plain ümlaut ≥ 99.9%");
  });

  it("when text would start a line as a workflow command then it is quoted", () => {
    expect(lineStart("::error file=x::y")).toBe('"::error file=x::y"');
    expect(lineStart("##[group]x")).toBe('"##[group]x"');
    expect(lineStart("default-quorum-3")).toBe("default-quorum-3");
  });

  it("when text goes into Markdown then markup and HTML are inert", () => {
    expect(markdownText("<img src=x> | *b* `c` [l](u)")).toBe("&lt;img src=x&gt; \\| \\*b\\* \\`c\\` \\[l\\](u)");
  });
});

describe("tables and lines that fit", () => {
  it("when text is wrapped then no character is lost and no line is wider than asked", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 1, max: 60 }), (text, width) => {
        const clean = text.replace(/\n/g, " ");
        const lines = wrapText(clean, width);
        expect(lines.every((line) => displayWidth(line) <= Math.max(width, 2))).toBe(true);
        expect(lines.join("").replace(/ /g, "")).toBe(clean.replace(/ /g, ""));
      }),
    );
  });

  it("when a table is too wide then it wraps its free-text columns, or stacks, and never exceeds the width", () => {
    const rows = Array.from({ length: 5 }, (_, i) => [
      `metric.number_${i}`,
      "1 − 2.29709565454497e-5",
      `a rather long explanation of how estimate ${i} was made`,
    ]);
    const columns = [{ header: "metric" }, { header: "value" }, { header: "method", wrap: true, min: 12 }];
    for (const width of [40, 60, 80, 100, 200]) {
      const text = renderTable(plain, columns, rows, width);
      expect(Math.max(...text.split("\n").map(displayWidth)), `width ${width}`).toBeLessThanOrEqual(width);
      expect(text.replace(/[\s│┌┐└┘├┤┬┴┼─]/g, "")).toContain("explanationofhowestimate4wasmade".slice(0, 10));
    }
    expect(renderTable(plain, columns, rows, 200)).toMatch(/│ metric\.number_0 │/);
    expect(renderTable(plain, columns, rows, 40)).toMatch(/^metric\.number_0\n {2}value: 1 − 2\.29709565454497e-5\n/);
  });

  it("when a prose line is wider than the width then it wraps with a hanging indent", () => {
    const out = fitLines(
      `The article's parallel formula claims 10.93 nines; the simulation shows 4.63 nines: it overstates availability by 6.29 nines.`,
      40,
    );
    expect(out.split("\n").every((line) => line.length <= 40)).toBe(true);
    expect(out.split("\n")[1]).toMatch(/^ {2}\S/);
  });

  it("when a margin rounds to zero then it has no sign; otherwise + inside, − outside", () => {
    expect(signedMargin("0.00 nines", -1e-17)).toBe("0.00 nines");
    expect(signedMargin("0", -2e-22)).toBe("0");
    expect(signedMargin("1.2 nines", 1.2)).toBe("+1.2 nines");
    expect(signedMargin("3 h", -3)).toBe("−3 h");
  });
});

describe("validate report", () => {
  it("when a validation was interrupted then the report says so, with the runs it rests on", () => {
    const result = {
      summary: { runs: 3, simulatedHours: 1, nodeEvents: 0, regenerative: true, metrics: {} },
      runsRequested: 100,
      runsDone: 3,
      stoppedEarly: "interrupted",
      workersUsed: 1,
    } as SimulationResult;
    const text = validateText(
      { model: "m", file: "m.yaml", seed: 1, mode: "realistic", horizonHours: 8766 },
      { rows: [], disagreement: false, tooFewEvents: [] } as never,
      result,
      plain,
    );
    expect(text).toMatch(/interrupted: estimates from the 3 of 100 runs made/);
    expect(text).toMatch(/Interrupted after 3 runs: the verdicts rest on those runs only\./);
    expect(text).toMatch(/^m {2}m\.yaml\n3 runs × 1 year,/);
  });
});
