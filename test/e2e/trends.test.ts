import assert from "node:assert/strict";
import type { Browser, Page, Request } from "playwright-core";
import { createLogger } from "../../runtime/observability/logger.js";
import { ensureHistoryPartitions } from "../../runtime/historian/partitions.js";
import { RollupJob } from "../../runtime/historian/rollups.js";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { freePort } from "../helpers/free-port.js";
import { ADMIN_PASSWORD, createRestartableSite, type RestartableSite, type SiteProcess } from "../helpers/site-process.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const POINT = "/WELL-101/OIL_RATE";

interface HistoryAnswer {
  series: { path: string; source: string; buckets?: unknown[]; points?: unknown[] }[];
}

/** from/to/points of a GET /api/v1/history the page sent. */
function historyQueryOf(request: Request): { from: number; to: number; points: number; paths: string } | null {
  const url = new URL(request.url());
  if (url.pathname !== "/api/v1/history") return null;
  return { from: Date.parse(url.searchParams.get("from") ?? ""), to: Date.parse(url.searchParams.get("to") ?? ""), points: Number(url.searchParams.get("points")), paths: url.searchParams.get("paths") ?? "" };
}

/**
 * The demo without its background week of history (PETROFLOW_DEMO_BACKFILL_DAYS=0): the test plants the
 * week it looks at itself, and a backfill would only compete with the browser for the site's one thread.
 */
async function demoEnv(): Promise<Record<string, string>> {
  return { PETROFLOW_DEMO: "true", PETROFLOW_SIM_MODBUS_PORT: "0", PETROFLOW_SIM_OPCUA_PORT: String(await freePort()), PETROFLOW_EMBEDDED_MQTT_PORT: "0", PETROFLOW_DEMO_BACKFILL_DAYS: "0" };
}

/**
 * Issue 9 §4 Browser: open a 7-day trend of a demo tag and zoom into one
 * hour. The demo site starts once to create its tags, then gets 7 days of
 * one-minute history for WELL-101's oil rate (rows in `history` as the
 * writer stores them, rolled up by the historian's rollup job; ON CONFLICT
 * keeps any the site stored itself), and runs again for the browser.
 */
describe("e2e: a 7-day trend of a demo tag, zoomed into one hour", function () {
  this.timeout(480_000);
  let restartable: RestartableSite | undefined;
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let tagPath = "";
  const endMs = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;

  before(async function () {
    skipUnlessBrowser(this);
    restartable = await createRestartableSite("pglite", "petroflow-trends-");
    const first = await restartable.start({ env: await demoEnv(), readyTimeoutMs: 180_000 });
    await first.stop();
    tagPath = await restartable.withDatabase(async (db) => {
      const tag = await db.query<{ id: string; path: string }>("SELECT id, path FROM tags WHERE path LIKE $1", [`%${POINT}`]);
      const row = tag.rows[0];
      if (!row) throw new Error(`the demo created no tag ending ${POINT}`);
      const fromMs = endMs - 7 * DAY_MS;
      await ensureHistoryPartitions(db, fromMs, endMs);
      // A rate that swings daily and hourly, one sample a minute, 17 s into it (clear of a writer's whole minutes).
      const times: Date[] = [];
      const values: number[] = [];
      for (let t = fromMs; t < endMs; t += MINUTE_MS) {
        times.push(new Date(t + 17_000));
        values.push(50 + 10 * Math.sin((2 * Math.PI * t) / DAY_MS) + 3 * Math.sin((2 * Math.PI * t) / HOUR_MS));
      }
      await db.query(
        `INSERT INTO history (tag_id, ts, value_num, quality) SELECT $1::uuid, ts, v, 0 FROM unnest($2::timestamptz[], $3::float8[]) AS s(ts, v) ON CONFLICT DO NOTHING`,
        [row.id, times, values],
      );
      await db.query(
        `INSERT INTO history_rollup_dirty (tag_id, minute) SELECT $1::uuid, date_trunc('minute', ts) FROM unnest($2::timestamptz[]) AS s(ts) ON CONFLICT DO NOTHING`,
        [row.id, times],
      );
      await new RollupJob({ db, logger: createLogger("silent"), intervalMs: 1000, batchMinutes: 20_000, timeoutMs: 120_000 }).catchUp();
      return row.path;
    });
    site = await restartable.start({ env: await demoEnv(), readyTimeoutMs: 180_000 });
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "en-US", viewport: { width: 1400, height: 900 } });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "trends", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
    await restartable?.dispose();
  });

  /** The chart's window and how many values it shows, from its data attributes. */
  async function chartShows(): Promise<{ from: number; to: number; values: number }> {
    const chart = page.locator('[data-testid="trend-chart"]');
    return {
      from: Date.parse((await chart.getAttribute("data-from")) ?? ""),
      to: Date.parse((await chart.getAttribute("data-to")) ?? ""),
      values: Number(await chart.getAttribute("data-values")),
    };
  }

  async function chartWhere(predicate: (shown: { from: number; to: number; values: number }) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    let shown = await chartShows().catch(() => null);
    while (shown === null || !predicate(shown)) {
      if (Date.now() > deadline) throw new Error(`the chart never showed ${what}; last ${JSON.stringify(shown)}`);
      await page.waitForTimeout(200);
      shown = await chartShows().catch(() => null);
    }
  }

  it("shows the week from rollups, then refetches only the hour dragged across", async () => {
    const requests: NonNullable<ReturnType<typeof historyQueryOf>>[] = [];
    page.on("request", (request) => {
      const query = historyQueryOf(request);
      if (query) requests.push(query);
    });
    const weekAnswer = page.waitForResponse((response) => {
      const query = historyQueryOf(response.request());
      return query !== null && query.to - query.from > 6 * DAY_MS && response.ok();
    });
    await page.goto(`${site!.url}/trends?pen=${encodeURIComponent(tagPath)}~0&range=7d`);
    const week = (await (await weekAnswer).json()) as HistoryAnswer;
    assert.equal(week.series[0]?.path, tagPath);
    assert.notEqual(week.series[0]?.source, "raw", "a week comes from the rollups");
    const chart = page.locator('[data-testid="trend-chart"]');
    await chartWhere((shown) => shown.values > 100, "the week's values on the chart");
    const first = requests.find((query) => query.to - query.from > 6 * DAY_MS);
    assert.ok(first, "the week was asked for");
    assert.equal(first.paths, tagPath);
    // About one point per pixel of the plot.
    assert.ok(first.points >= 500 && first.points <= 1400, `points ${first.points}`);
    assert.ok((await chart.getAttribute("data-values")) !== "0");

    // Drag across one hour, three days back, as a user zooms.
    const shownFrom = Date.parse((await chart.getAttribute("data-from")) ?? "");
    const shownTo = Date.parse((await chart.getAttribute("data-to")) ?? "");
    const over = page.locator('[data-testid="trend-chart"] .u-over');
    const box = await over.boundingBox();
    assert.ok(box, "the plot is on screen");
    const hourStart = Math.floor((endMs - 3 * DAY_MS) / HOUR_MS) * HOUR_MS;
    const xOf = (ms: number) => box.x + ((ms - shownFrom) / (shownTo - shownFrom)) * box.width;
    const y = box.y + box.height / 2;
    const zoomed = page.waitForRequest((request) => {
      const query = historyQueryOf(request);
      return query !== null && query.to - query.from < 3 * HOUR_MS;
    });
    await page.mouse.move(xOf(hourStart), y);
    await page.mouse.down();
    await page.mouse.move(xOf(hourStart + HOUR_MS / 2), y, { steps: 3 });
    await page.mouse.move(xOf(hourStart + HOUR_MS), y, { steps: 3 });
    await page.mouse.up();
    const narrow = historyQueryOf(await zoomed);
    assert.ok(narrow);
    // One pixel of a week-wide plot is about ten minutes: the drag lands within a few of them.
    assert.ok(Math.abs(narrow.from - hourStart) < 30 * MINUTE_MS, `zoomed from ${new Date(narrow.from).toISOString()}, meant ${new Date(hourStart).toISOString()}`);
    assert.ok(narrow.to - narrow.from > 30 * MINUTE_MS && narrow.to - narrow.from < 90 * MINUTE_MS, `zoomed span ${(narrow.to - narrow.from) / MINUTE_MS} min`);
    assert.ok(narrow.from > first.from && narrow.to < first.to);

    // The chart shows that hour, with data in it, and the URL keeps it (a zoom can be shared).
    await chartWhere(
      (shown) => shown.to - shown.from < 2 * HOUR_MS && Math.abs(shown.from - hourStart) < 30 * MINUTE_MS && shown.values > 10,
      "the zoomed hour with its values",
    );
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("range"), null);
    assert.equal(Date.parse(url.searchParams.get("from") ?? ""), narrow.from);
    const legend = await page.locator('[data-testid="trend-chart-legend"]').innerText();
    assert.ok(legend.includes(`${tagPath} [m³/d]`), `the pen and its unit in the site's units: ${legend}`);

    // Reset goes back to the week.
    await page.click('[data-testid="trend-chart-reset"]');
    await chartWhere((shown) => shown.to - shown.from === 7 * DAY_MS, "the week again");
  });

  it("exports what it shows as CSV in display units with ISO times", async () => {
    await page.goto(`${site!.url}/trends?pen=${encodeURIComponent(tagPath)}~0&from=${new Date(endMs - 2 * HOUR_MS).toISOString()}&to=${new Date(endMs - HOUR_MS).toISOString()}`);
    await chartWhere((shown) => shown.values > 10, "the hour's values");
    const download = page.waitForEvent("download");
    await page.click('[data-testid="trends-export"]');
    const file = await (await download).createReadStream();
    let text = "";
    for await (const chunk of file) text += (chunk as Buffer).toString("utf8");
    const lines = text.trim().split("\r\n");
    assert.equal(lines[0], `time,${tagPath} (m³/d),${tagPath} min (m³/d),${tagPath} max (m³/d)`);
    const rows = lines.slice(1).map((line) => line.split(","));
    assert.ok(rows.length >= 30, `${rows.length} rows`);
    for (const [time, value] of rows) {
      assert.match(time ?? "", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.ok(Date.parse(time ?? "") >= endMs - 2 * HOUR_MS && Date.parse(time ?? "") <= endMs - HOUR_MS);
      assert.ok(Number(value) > 30 && Number(value) < 70, `value ${value}`);
    }
  });

  it("puts the well's key tags over the last day on its detail page, with a link into Trends", async () => {
    const well = tagPath.split("/")[1] ?? "";
    await page.goto(`${site!.url}/field/wells/${well}`);
    const panel = page.locator('[data-testid="well-trends"]');
    await panel.waitFor();
    const chart = page.locator('[data-testid="well-trend-chart"]');
    await chart.waitFor();
    const from = Date.parse((await chart.getAttribute("data-from")) ?? "");
    const to = Date.parse((await chart.getAttribute("data-to")) ?? "");
    assert.equal(to - from, DAY_MS);
    await page.click('[data-testid="well-trends-open"]');
    await page.waitForURL(/\/trends\?/);
    const url = new URL(page.url());
    assert.ok(url.searchParams.getAll("pen").some((pen) => pen.startsWith(`${tagPath}~`)), url.search);
    assert.equal(url.searchParams.get("range"), "24h");
    await chartWhere((shown) => shown.values > 100, "the well's day in Trends");
  });

  it("appends the live feed's values with the live tail on and slides the window", async () => {
    await page.goto(`${site!.url}/trends?pen=${encodeURIComponent(tagPath)}~0&range=1h&live=1`);
    await chartWhere((shown) => shown.values > 10, "the last hour's values");
    const before = await chartShows();
    // The simulator reports the rate every second or so; the window moves on every 5 s.
    await chartWhere((shown) => shown.to > before.to && shown.to - shown.from === HOUR_MS, "the window sliding on");
    await chartWhere((shown) => shown.values > before.values, "live values appended");
    assert.equal(new URL(page.url()).searchParams.get("live"), "1", "the tail stays on: nothing turned it into a fixed range");
  });

  it("saves the trend as a view shared on the site, and opens it again", async () => {
    await page.goto(`${site!.url}/trends?pen=${encodeURIComponent(tagPath)}~0&range=7d`);
    await chartWhere((shown) => shown.values > 100, "the week");
    await page.click('[data-testid="trends-view-save-as"]');
    await page.fill('[data-testid="trends-view-name"]', "WELL-101 oil, week");
    await page.click('[data-testid="trends-view-save-submit"]');
    await page.waitForURL((url) => url.searchParams.get("view") !== null);
    const viewId = new URL(page.url()).searchParams.get("view");
    await page.goto(`${site!.url}/trends`);
    await page.locator('[data-testid="trends-empty"]').waitFor();
    await page.click('[data-testid="trends-views"]');
    await page.getByRole("option", { name: "WELL-101 oil, week" }).click();
    await page.waitForURL((url) => url.searchParams.get("view") === viewId && url.searchParams.get("range") === "7d");
    assert.deepEqual(new URL(page.url()).searchParams.getAll("pen"), [`${tagPath}~0`]);
    await chartWhere((shown) => shown.to - shown.from === 7 * DAY_MS && shown.values > 100, "the saved week");
  });
});
