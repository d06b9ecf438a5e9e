import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import historyQueryNode from "../../../nodes/historian/history-query/history-query.js";
import { chartMessages, requestOf, timesOf } from "../../../nodes/historian/history-query/history-query-logic.js";
import type { PGliteDatabase } from "../../../runtime/db/pglite.js";
import { ALL_MIGRATIONS } from "../../../runtime/db/migration-sources.js";
import { migrate } from "../../../runtime/db/migrator.js";
import { HistoryQueries } from "../../../runtime/historian/history-queries.js";
import { historyPort } from "../../../runtime/historian/history-reading.js";
import type { HistoryBucket } from "../../../runtime/historian/history-types.js";
import { RollupJob } from "../../../runtime/historian/rollups.js";
import { createLogger } from "../../../runtime/observability/logger.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { databaseTargets } from "../../helpers/databases.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { insertTag, storeSamples } from "../../helpers/history-samples.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}
const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).on("input", resolve));
/** The next `count` messages a helper node receives. */
const nextMany = (id: string, count: number) =>
  new Promise<Record<string, unknown>[]>((resolve) => {
    const received: Record<string, unknown>[] = [];
    node(id).on("input", (msg) => {
      received.push(msg);
      if (received.length === count) resolve(received);
    });
  });

const THP = "SITE1/WELL-101/THP";
const CHP = "SITE1/WELL-101/CHP";
const HOUR = 3_600_000;
const FROM = Date.parse("2026-12-01T00:00:00Z");

describe("history-query node: request and chart shaping", () => {
  it("takes the range from msg.from/msg.to, or the last hours up to now", () => {
    const now = FROM + 10 * HOUR;
    assert.deepEqual(requestOf({ paths: `${THP}, ${CHP},${THP}`, hours: 2, points: 100 }, {}, now), {
      paths: [THP, CHP],
      mode: "buckets",
      from: now - 2 * HOUR,
      to: now,
      points: 100,
      output: "series",
      chartValue: "twa",
    });
    const fromMessage = requestOf({ mode: "raw" }, { topic: THP, from: new Date(FROM).toISOString(), to: FROM + HOUR, mode: "interpolated" }, now);
    assert.deepEqual([fromMessage.paths, fromMessage.mode, fromMessage.from, fromMessage.to], [[THP], "interpolated", FROM, FROM + HOUR]);
    assert.throws(() => requestOf({}, {}, now), /no tag path/);
    assert.throws(() => requestOf({ paths: THP }, { from: FROM + HOUR, to: FROM }, now), /msg.to must be after msg.from/);
    assert.throws(() => requestOf({ paths: THP, output: "chart", mode: "discrete" }, {}, now), /not a chart series/);
    assert.deepEqual(timesOf({ from: 0, to: 1000, points: 3 }), [0, 500, 1000]);
  });

  it("shapes ui-chart messages: replace then append, {x, y} points, empty later series left out", () => {
    const bucket = (t: number, twa: number | null): HistoryBucket => ({ t, count: 1, min: 0, max: 0, avg: 0, twa, first: 0, last: 0 });
    const messages = chartMessages(
      [
        { path: THP, mode: "buckets", from: 0, to: 2, buckets: [bucket(0, 5), bucket(1, null)] },
        { path: "SITE1/X/EMPTY", mode: "raw", from: 0, to: 2, points: [] },
        { path: "SITE1/X/RUN", mode: "raw", from: 0, to: 2, points: [{ t: 0, v: true, q: "good" }] },
      ],
      "twa",
    );
    assert.deepEqual(messages, [
      { topic: THP, action: "replace", payload: [{ x: 0, y: 5 }, { x: 1, y: null }] },
      { topic: "SITE1/X/RUN", action: "append", payload: [{ x: 0, y: 1 }] },
    ]);
  });
});

describe("history-query node over PGlite with the real historian", function () {
  this.timeout(60_000);
  let db: PGliteDatabase;
  let queries: HistoryQueries;

  const flow = [
    { id: "tab", type: "tab", label: "History" },
    { id: "query-series", type: "history-query", z: "tab", paths: `${THP},${CHP}`, mode: "buckets", hours: 6, points: 6, output: "series", wires: [["out-series"]] },
    { id: "query-chart", type: "history-query", z: "tab", paths: `${THP},${CHP}`, mode: "buckets", hours: 6, points: 6, output: "chart", chartValue: "avg", wires: [["out-chart"]] },
    { id: "query-unknown", type: "history-query", z: "tab", paths: "SITE1/NOPE/X", mode: "raw", hours: 1, wires: [["out-series"]] },
    { id: "catch-history", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["out-caught"]] },
    { id: "out-series", type: "helper", z: "tab" },
    { id: "out-chart", type: "helper", z: "tab" },
    { id: "out-caught", type: "helper", z: "tab" },
  ];

  before(async () => {
    const created = await databaseTargets[0].create();
    db = created.db as PGliteDatabase;
    await migrate(db, ALL_MIGRATIONS);
    await insertTag(db, "0193a3c0-0000-7000-8000-0000000000b1", THP, "float", "kPa");
    await insertTag(db, "0193a3c0-0000-7000-8000-0000000000b2", CHP, "float", "kPa");
    // THP: 100 + hour number at each hour's start; CHP: 50 at the start only.
    await storeSamples(db, "0193a3c0-0000-7000-8000-0000000000b1", Array.from({ length: 6 }, (_unused, hour) => ({ t: FROM + hour * HOUR, v: 100 + hour, q: "good" as const })));
    await storeSamples(db, "0193a3c0-0000-7000-8000-0000000000b2", [{ t: FROM, v: 50, q: "good" }]);
    await new RollupJob({ db, logger: createLogger("silent"), intervalMs: 1000, batchMinutes: 1000, timeoutMs: 20_000 }).catchUp();
    queries = new HistoryQueries(db, { timeoutMs: 20_000 });
  });

  beforeEach(async () => {
    const refuse = { record: () => Promise.reject(new Error("not recorded in this test")) };
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore(), history: historyPort(queries, refuse) }) });
    await helper.load(historyQueryNode, flow);
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  after(async () => {
    await db?.close();
  });

  it("sends one series per path with hourly buckets from the hour rollups", async () => {
    const out = next("out-series");
    node("query-series").receive({ from: FROM, to: FROM + 6 * HOUR });
    const msg = await out;
    const [thp, chp] = msg.payload as { path: string; source: string; bucketMs: number; buckets: HistoryBucket[] }[];
    assert.deepEqual([thp.path, thp.source, thp.bucketMs], [THP, "rollup_1h", HOUR]);
    assert.deepEqual(
      thp.buckets.map((bucket) => [bucket.count, bucket.avg, bucket.twa]),
      Array.from({ length: 6 }, (_unused, hour) => [1, 100 + hour, 100 + hour]),
    );
    // CHP has one sample: held over every hour, counted in the first only.
    assert.deepEqual(
      chp.buckets.map((bucket) => [bucket.count, bucket.twa]),
      [[1, 50], [0, 50], [0, 50], [0, 50], [0, 50], [0, 50]],
    );
  });

  it("fills a Dashboard 2.0 chart: one message per tag, the first replacing", async () => {
    const out = nextMany("out-chart", 2);
    node("query-chart").receive({ from: FROM, to: FROM + 6 * HOUR });
    const [first, second] = await out;
    assert.deepEqual([first.topic, first.action, second.topic, second.action], [THP, "replace", CHP, "append"]);
    assert.deepEqual(first.payload, Array.from({ length: 6 }, (_unused, hour) => ({ x: FROM + hour * HOUR, y: 100 + hour })));
    assert.deepEqual(second.payload, [{ x: FROM, y: 50 }, ...Array.from({ length: 5 }, (_unused, hour) => ({ x: FROM + (hour + 1) * HOUR, y: null }))]);
  });

  it("reports an unknown tag to Catch with the path, through done(err)", async () => {
    const caught = next("out-caught");
    node("query-unknown").receive({});
    const msg = (await caught) as { error: { message: string; source: { id: string } } };
    assert.match(msg.error.message, /no tag SITE1\/NOPE\/X/);
    assert.equal(msg.error.source.id, "query-unknown");
  });
});
