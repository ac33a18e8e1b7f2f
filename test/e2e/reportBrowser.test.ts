/**
 * The HTML report in a real browser: Debian's Chromium (CI installs it, .ci/run) opens
 * the generated file offline and the DOM is checked — every chart drawn with its axes
 * and its data points, nothing fetched — and a screenshot is kept in
 * test-artifacts/report.png.
 *
 * Without Chromium this test fails, saying how to install it; MQREL_SKIP_BROWSER=1 (never
 * set by CI) skips it on a machine that cannot have a browser.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { run } from "../helpers/inProcess.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(ROOT, "test-artifacts");
const SKIP = process.env.MQREL_SKIP_BROWSER === "1";

interface ChartCheck {
  id: string;
  width: number;
  height: number;
  axes: number;
  axisTitles: string[];
  tickLabels: number;
  dataMarks: number;
  marksInside: boolean;
  tableRows: number;
}

describe.skipIf(SKIP)("mqrel report in Chromium", () => {
  it("when opened offline then every chart is drawn with axes and data points, and nothing is fetched", async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does), or set MQREL_SKIP_BROWSER=1 to skip this test`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, "report.html");
    const made = await run([
      "report",
      "test/fixtures/classic/default.yaml",
      "--simulate",
      "--runs",
      "8",
      "--horizon",
      "500 years",
      "--workers",
      "1",
      "--out",
      file,
    ]);
    expect(made.code, made.stderr).toBe(0);
    const url = pathToFileURL(file).href;

    const profile = mkdtempSync(join(tmpdir(), "mqrel-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1100, height: 900 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    // Playwright's own limit for each step (30 s for a navigation by default) is a wall
    // clock a loaded machine can reach; 50 s keeps a slow step passing and still fails a
    // hung one inside vitest's 60 s test timeout, so that Playwright's error names the
    // step and the finally block closes Chromium.
    context.setDefaultTimeout(50_000);
    try {
      const requests: string[] = [];
      const failed: string[] = [];
      // anything but the report itself is refused, and recorded
      await context.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
      const page = await context.newPage();
      page.on("request", (request) => requests.push(request.url()));
      page.on("requestfailed", (request) => failed.push(request.url()));
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(url, { waitUntil: "load" });

      const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
      expect(csp).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      const charts: ChartCheck[] = await page.$$eval("figure.chart", (figures) =>
        figures.map((figure) => {
          const svg = figure.querySelector("svg.marks");
          const box = svg?.getBoundingClientRect();
          const marks = [...figure.querySelectorAll("g.role-mark.mark-symbol > path, g.role-mark.mark-rect > path")];
          const inside =
            box !== undefined &&
            marks.every((mark) => {
              const r = mark.getBoundingClientRect();
              return r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
            });
          return {
            id: figure.id,
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            // an axis is drawn when its domain line is
            axes: figure.querySelectorAll("g.role-axis g.mark-rule.role-axis-domain > line").length,
            axisTitles: [...figure.querySelectorAll("g.role-axis-title text")].map((t) => t.textContent ?? ""),
            tickLabels: figure.querySelectorAll("g.role-axis-label text").length,
            dataMarks: marks.length,
            marksInside: inside,
            tableRows: figure.querySelectorAll("table.data tbody tr").length,
          };
        }),
      );
      expect(charts.map((c) => c.id)).toEqual([
        "chart-nodes",
        "chart-mttr",
        "chart-retry",
        "chart-tornado",
        "chart-counts",
        "chart-simulated",
        "chart-convergence",
      ]);
      for (const chart of charts) {
        expect(chart.width, chart.id).toBeGreaterThan(300);
        expect(chart.height, chart.id).toBeGreaterThan(80);
        expect(chart.axes, chart.id).toBeGreaterThanOrEqual(2);
        expect(chart.axisTitles.filter((t) => t.trim() !== "").length, chart.id).toBeGreaterThanOrEqual(1);
        expect(chart.tickLabels, chart.id).toBeGreaterThanOrEqual(4);
        // at least one drawn point or bar per row of the chart's data table, all inside the chart
        expect(chart.tableRows, chart.id).toBeGreaterThan(0);
        expect(chart.dataMarks, chart.id).toBeGreaterThanOrEqual(chart.tableRows);
        expect(chart.marksInside, chart.id).toBe(true);
      }
      const lineCharts = charts.filter((c) => !["chart-tornado", "chart-counts"].includes(c.id));
      for (const chart of lineCharts) expect(chart.axisTitles.length, chart.id).toBe(2);

      await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
      expect(requests).toEqual([url]);
      expect(failed).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
