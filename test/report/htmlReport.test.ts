import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/report/htmlReport.js";
import { run, runJson } from "../helpers/inProcess.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "mqrel-report-"));
}

describe("mqrel report (the file, without a browser)", () => {
  it("when written then it is one self-contained page: CSP, no script to run, nothing external", async () => {
    const out = join(tempDir(), "report.html");
    const r = await run(["report", "test/fixtures/classic/default.yaml", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*report\.html: 5 charts, \d+ KiB\n$/);
    const html = readFileSync(out, "utf8");
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    // the only <script> is a JSON data block, which browsers never run
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="application/json" id="mqrel-report-data">']);
    // no URL other than XML namespace names (identifiers, never fetched)
    const urls = (html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).filter((u) => !/^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink)$/.test(u));
    expect(urls).toEqual([]);
    expect(html).not.toMatch(/@import|@font-face|<link\b|<iframe\b|\bsrc=/i);
    const figures = html.match(/<figure id="chart-[a-z]+"/g) ?? [];
    expect(figures.map((f) => f.replace(/.*chart-|"/g, ""))).toEqual(
      ["nodes", "mttr", "retry", "tornado", "counts"].slice(0, figures.length),
    );
    // every chart: an inline SVG and a data table under it
    for (const id of ["nodes", "mttr", "retry", "tornado"]) {
      const figure = html.slice(
        html.indexOf(`<figure id="chart-${id}"`),
        html.indexOf("</figure>", html.indexOf(`<figure id="chart-${id}"`)),
      );
      expect(figure, id).toMatch(/<svg[^>]*class="marks"/);
      expect(figure, id).toMatch(/<table class="data">/);
    }
  });

  it("when the model's strings hold markup then every one is escaped", async () => {
    const out = join(tempDir(), "report.html");
    const r = await run(["report", "test/fixtures/plan/hostile-strings.yaml", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/<script>alert|<img src=x|<b>bold/);
    expect(html).toContain("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; &amp; co");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // in the JSON block "<" is \u003c, so no string can close the element
    const json = html.slice(html.indexOf('id="mqrel-report-data">') + 23, html.lastIndexOf("</script>"));
    expect(json).not.toContain("<");
    expect(JSON.parse(json).model.name).toBe("<script>alert('name')</script> & co");
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("when the numbers are tabulated then they are the ones eval computes", async () => {
    const out = join(tempDir(), "report.html");
    await run(["report", "test/fixtures/classic/default.yaml", "--out", out]);
    const html = readFileSync(out, "utf8");
    const json = JSON.parse(html.slice(html.indexOf('id="mqrel-report-data">') + 23, html.lastIndexOf("</script>")));
    const evaluated = await runJson(["eval", "test/fixtures/classic/default.yaml", "--set", "cluster.nodes=5", "--format", "json"]);
    const five = json.byNodes.points.find((p: { x: number; series: string }) => p.x === 5 && p.series === "model");
    expect(five.complement).toBe(evaluated.models[0].metrics["cluster.availability"].complement);
    expect(json.sensitivity.rows[0].path).toMatch(/^cluster\.common_cause\./);
    expect(json.contributors[0].dominant.mechanism).toBe("common_cause");
    expect(html).toMatch(/The common cause is 99\.3 % of the downtime/);
  });

  it("when the node has failure modes then the MTTR chart varies the mode that keeps a node down longest, and slower repair never adds nines", async () => {
    // Arrange: hardware 1/year × 8 h = 9.1e-4 of a node's time, crashes 4/year × 2 min = 1.5e-5
    const out = join(tempDir(), "report.html");

    // Act
    const r = await run(["report", "test/fixtures/plan/two-modes.yaml", "--out", out]);

    // Assert
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("Cluster availability against the hardware repair time");
    const json = JSON.parse(html.slice(html.indexOf('id="mqrel-report-data">') + 23, html.lastIndexOf("</script>")));
    expect(json.byMttr.mode).toBe("hardware");
    expect(json.byMttr.current).toBe(8);
    const model = json.byMttr.points.filter((p: { series: string }) => p.series === "model") as { x: number; complement: number }[];
    expect(model).toHaveLength(13);
    for (let i = 1; i < model.length; i++) {
      expect((model[i] as { x: number }).x).toBeGreaterThan((model[i - 1] as { x: number }).x);
      expect((model[i] as { complement: number }).complement).toBeGreaterThanOrEqual((model[i - 1] as { complement: number }).complement);
    }
    // a point of the chart is the model with that mode's MTTR set, as eval computes it
    const last = model[model.length - 1] as { x: number; complement: number };
    const evaluated = await runJson([
      "eval",
      "test/fixtures/plan/two-modes.yaml",
      "--set",
      `cluster.node.failures.hardware.mttr=${last.x} h`,
      "--format",
      "json",
    ]);
    expect(last.complement).toBe(evaluated.models[0].metrics["cluster.availability"].complement);
  });

  it("when the model has regions then the first chart is service availability against the failover delay, each point as eval computes it", async () => {
    // Arrange: two Kafka sites, manual failover (after 30 min, 30 min to switch), region outages 0.1/yr × 2 h
    const out = join(tempDir(), "report.html");
    const model = "models/kafka-2region-mm2.yaml";

    // Act
    const r = await run(["report", model, "--out", out]);

    // Assert
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, "utf8");
    const figures = (html.match(/<figure id="chart-[a-z]+"/g) ?? []).map((f) => f.replace(/.*chart-|"/g, ""));
    expect(figures[0]).toBe("regions");
    expect(html).toContain("Service availability against the failover delay");
    expect(html).toContain("What moves service availability");
    const json = JSON.parse(html.slice(html.indexOf('id="mqrel-report-data">') + 23, html.lastIndexOf("</script>")));
    const points = json.byFailoverAfter.points as { x: number; complement: number; failoversPerYear: number }[];
    expect(json.byFailoverAfter.current).toBe(0.5);
    expect(points).toHaveLength(14);
    // the model's own point is eval's service.availability and failovers
    const evaluated = (await runJson(["eval", model, "--format", "json"])).models[0].metrics;
    const own = points.find((p) => p.x === 0.5) as { complement: number; failoversPerYear: number };
    expect(own.complement).toBe(evaluated["service.availability"].complement);
    expect(own.failoversPerYear).toBe(evaluated["regions.failovers_per_year"].value);
    // a longer delay: fewer failovers (fewer on the cluster's own short outages) and, with these sites, more downtime
    for (let i = 1; i < points.length; i++) {
      expect((points[i] as { failoversPerYear: number }).failoversPerYear).toBeLessThan(
        (points[i - 1] as { failoversPerYear: number }).failoversPerYear,
      );
      expect((points[i] as { complement: number }).complement).toBeGreaterThan((points[i - 1] as { complement: number }).complement);
    }
    // at 24 h the service is still better than one region never failing over: the site alone,
    // U = 1 − A_cluster / (1 + r·m) with r·m = 0.1/8766 h × 2 h (hand; A_cluster from eval)
    const rm = (0.1 / 8766) * 2;
    const oneRegion = 1 - (1 - evaluated["cluster.availability"].complement) / (1 + rm);
    expect((points[points.length - 1] as { complement: number }).complement).toBeLessThan(oneRegion);
    expect(json.byFailoverAfter.sloNines).toBeCloseTo(-Math.log10(5e-5), 12);
  });

  it("when the output cannot be written then it exits 2 with one line and leaves no file", async () => {
    const dir = tempDir();
    const out = join(dir, "missing", "report.html");
    const r = await run(["report", "test/fixtures/classic/default.yaml", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--out: cannot write the output file/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("when the model is a fleet then the page charts fleet availability and loss events per placement, the model's own point as eval computes it", async () => {
    // Arrange: 12 brokers over 3 racks, 600 partitions of RF 3, placement kafka
    const out = join(tempDir(), "report.html");
    const model = "test/fixtures/fleet/kafka-12x600.yaml";

    // Act
    const r = await run(["report", model, "--out", out]);

    // Assert
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, "utf8");
    const figures = (html.match(/<figure id="chart-[a-z]+"/g) ?? []).map((f) => f.replace(/.*chart-|"/g, ""));
    expect(figures.slice(0, 2)).toEqual(["fleet", "fleetloss"]);
    expect(figures).not.toContain("nodes");
    expect(figures).not.toContain("mttr");
    const json = JSON.parse(html.slice(html.indexOf('id="mqrel-report-data">') + 23, html.lastIndexOf("</script>")));
    // three racks ≥ RF 3: rack_aware is compared too; one series per placement
    expect(json.fleet.placements).toEqual(["kafka", "random", "copyset", "rack_aware"]);
    const xs = [...new Set(json.fleet.points.map((p: { x: number }) => p.x))];
    expect(xs.length).toBeLessThanOrEqual(12);
    expect(xs).toContain(12);
    for (const placement of json.fleet.placements) {
      expect(json.fleet.points.filter((p: { placement: string }) => p.placement === placement)).toHaveLength(xs.length);
    }
    // the chart's point at the model's own brokers and placement is eval's, to the bit
    const evaluated = await runJson(["eval", model, "--format", "json"]);
    const own = json.fleet.points.find((p: { x: number; placement: string }) => p.x === 12 && p.placement === "kafka");
    expect(own.complement).toBe(evaluated.models[0].metrics["fleet.availability"].complement);
    expect(own.lossEventsPerYear).toBe(evaluated.models[0].metrics["fleet.loss_events_per_year"].value);
    // and another placement's point is eval's with --set
    const copyset = await runJson(["eval", model, "--set", "fleet.placement=copyset", "--set", "cluster.nodes=24", "--format", "json"]);
    const at24 = json.fleet.points.find((p: { x: number; placement: string }) => p.x === 24 && p.placement === "copyset");
    expect(at24.complement).toBe(copyset.models[0].metrics["fleet.availability"].complement);
    // the metric table holds the fleet's metrics; sensitivity watches fleet.availability
    expect(json.metrics.map((m: { id: string }) => m.id)).toContain("fleet.loss_events_per_year");
    expect(json.sensitivity.metric).toBe("fleet.availability");
    expect(html).toContain("What moves fleet availability");
  });

  it("when the model is a fleet then --simulate adds the convergence of its simulated fleet availability beside the formula's", async () => {
    const out = join(tempDir(), "r.html");
    const r = await run([
      "report",
      "test/fixtures/fleet/kafka-12x600.yaml",
      "--simulate",
      "--runs",
      "4",
      "--horizon",
      "50 years",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("The simulated fleet availability (every partition writable) of this model after 1, 2, 4");
    // the dashed line is eval's own fleet.availability, in nines
    const evaluated = await runJson(["eval", "test/fixtures/fleet/kafka-12x600.yaml", "--format", "json"]);
    const nines = -Math.log10(evaluated.models[0].metrics["fleet.availability"].complement);
    expect(html).toContain(`the dashed line is the formula&#39;s ${nines.toFixed(2)} nines`);
  });
});
