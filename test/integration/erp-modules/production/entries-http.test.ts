import assert from "node:assert/strict";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";
import { createBattery, viaApi } from "../erp-fixtures.js";

interface Created {
  id: string;
}

interface Entry extends Created {
  siteAssetId: string;
  createdBy: string;
  source: string;
  voided: boolean;
  rowVersion: number;
  [field: string]: unknown;
}

interface Page {
  items: Entry[];
  total: number;
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const yesterday = () => hoursAgo(24).slice(0, 10);

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`production entries over HTTP (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let admin: SiteClient;
    let operator: SiteClient;
    let engineer: SiteClient;
    let viewer: SiteClient;
    const ids = { site: "", well: "", otherWell: "", tank: "", meter: "" };

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      ({ admin, operator, engineer, viewer } = await sessionsByRole(site.url, { operator: "olga-operator", engineer: "erin-engineer", viewer: "vic-viewer" }));
      const battery = await createBattery(viaApi(admin), { field: "FIELD-H", site: "BAT-H", wells: { "WELL-H1": "esp", "WELL-H2": "gas_lift" }, tank: "TK-H" });
      const [well, otherWell] = battery.wells;
      Object.assign(ids, { site: battery.siteId, well: well.id, otherWell: otherWell.id, tank: battery.tankId, meter: battery.meterIds.gas });
    });

    after(async () => {
      await site?.dispose();
    });

    const list = (client: SiteClient, path: string) => client.json<Page>("GET", `/api/v1/production/${path}`);

    it("records, lists, closes and voids each entry type (operator), viewers read", async () => {
      const gauge = await operator.json<Entry>("POST", "/api/v1/production/tank-gauges", { tankId: ids.tank, gaugedAt: hoursAgo(1), levelM: 2 }, 201);
      assert.deepEqual([gauge.volumeM3, gauge.siteAssetId, gauge.createdBy, gauge.source, gauge.voided], [100, ids.site, "olga-operator", "manual", false]);
      const gauges = await list(viewer, `tank-gauges?siteAssetId=${ids.site}&tankId=${ids.tank}`);
      assert.ok(gauges.items.some((item) => item.id === gauge.id));

      const reading = await operator.json<Entry>(
        "POST",
        "/api/v1/production/meter-readings",
        { meterId: ids.meter, productionDate: yesterday(), fluid: "gas", volumeM3: 152_000 },
        201,
      );
      const readings = await list(viewer, `meter-readings?meterId=${ids.meter}&from=${yesterday()}&to=${yesterday()}`);
      assert.deepEqual(readings.items.map((item) => item.id), [reading.id]);

      const ticket = await operator.json<Entry>(
        "POST",
        "/api/v1/production/run-tickets",
        { siteAssetId: ids.site, tankId: ids.tank, ticketNumber: "H-1", shippedAt: hoursAgo(2), fluid: "oil", volumeM3: 31.5, destination: "truck" },
        201,
      );
      assert.equal(ticket.carrier, "");
      assert.equal((await list(viewer, `run-tickets?siteAssetId=${ids.site}`)).total, 1);

      const down = await operator.json<Entry>("POST", "/api/v1/production/downtime", { wellId: ids.well, startedAt: hoursAgo(3), reasonCode: "esp_trip" }, 201);
      assert.equal(down.open, true);
      assert.deepEqual((await list(viewer, `downtime?wellId=${ids.well}&open=true`)).items.map((item) => item.id), [down.id]);
      const conflict = await operator.request("POST", "/api/v1/production/downtime", { wellId: ids.well, startedAt: hoursAgo(2), reasonCode: "other" });
      assert.equal(conflict.status, 409);
      assert.equal((await errorOf(conflict)).code, "conflict");
      const closed = await operator.json<Entry>("POST", `/api/v1/production/downtime/${down.id}/close`, { endedAt: hoursAgo(1) });
      assert.deepEqual([closed.open, closed.rowVersion], [false, 2]);
      assert.equal((await list(viewer, `downtime?wellId=${ids.well}&open=true`)).total, 0);

      const voided = await operator.json<Entry>("POST", `/api/v1/production/entries/run_ticket/${ticket.id}/void`, { reason: "duplicate ticket" });
      assert.deepEqual([voided.id, voided.voided, voided.voidReason], [ticket.id, true, "duplicate ticket"]);
      const again = await operator.request("POST", `/api/v1/production/entries/run_ticket/${ticket.id}/void`, { reason: "again" });
      assert.equal(again.status, 409);

      const forbidden = await viewer.request("POST", "/api/v1/production/tank-gauges", { tankId: ids.tank, gaugedAt: hoursAgo(1), levelM: 1 });
      assert.equal(forbidden.status, 403);
    });

    it("proposes well tests (operator) that an engineer approves or rejects, but an operator may not", async () => {
      const body = { wellId: ids.otherWell, startedAt: hoursAgo(10), durationHours: 6, oilRateM3PerDay: 95, gasRateSm3PerDay: 31_000, waterRateM3PerDay: 70 };
      const proposed = await operator.json<Entry>("POST", "/api/v1/production/well-tests", body, 201);
      assert.equal(proposed.status, "proposed");
      assert.deepEqual(await viewer.json<Entry>("GET", `/api/v1/production/well-tests/${proposed.id}`), proposed);
      assert.ok((await list(viewer, `well-tests?wellId=${ids.otherWell}&status=proposed`)).items.some((item) => item.id === proposed.id));

      const byOperator = await operator.request("POST", `/api/v1/production/well-tests/${proposed.id}/approve`, { rowVersion: 1 });
      assert.equal(byOperator.status, 403);
      assert.equal((await errorOf(byOperator)).code, "forbidden");

      const stale = await engineer.request("POST", `/api/v1/production/well-tests/${proposed.id}/approve`, { rowVersion: 7 });
      assert.equal(stale.status, 409);
      assert.equal((await errorOf(stale)).code, "stale");
      const approved = await engineer.json<Entry>("POST", `/api/v1/production/well-tests/${proposed.id}/approve`, { rowVersion: 1, note: "good test" });
      assert.deepEqual([approved.status, approved.decidedBy, approved.decisionNote], ["approved", "erin-engineer", "good test"]);
      const twice = await engineer.request("POST", `/api/v1/production/well-tests/${proposed.id}/reject`, { rowVersion: 2 });
      assert.equal(twice.status, 409);
      assert.equal((await errorOf(twice)).code, "invalid_state");

      const second = await operator.json<Entry>("POST", "/api/v1/production/well-tests", { ...body, startedAt: hoursAgo(4) }, 201);
      const rejected = await engineer.json<Entry>("POST", `/api/v1/production/well-tests/${second.id}/reject`, { rowVersion: 1 });
      assert.equal(rejected.status, "rejected");
      const missing = await viewer.request("GET", "/api/v1/production/well-tests/01900000-0000-7000-8000-000000000000");
      assert.equal(missing.status, 404);
    });

    it("answers 400 naming the field, from the schema and from the asset checks", async () => {
      const negative = await operator.request("POST", "/api/v1/production/tank-gauges", { tankId: ids.tank, gaugedAt: hoursAgo(1), levelM: -1 });
      assert.equal(negative.status, 400);
      assert.deepEqual((await errorOf(negative)).details, { field: "body.levelM", reason: "below_minimum", params: { limit: 0 } });
      const notATank = await operator.request("POST", "/api/v1/production/tank-gauges", { tankId: ids.meter, gaugedAt: hoursAgo(1), levelM: 1 });
      assert.equal(notATank.status, 400);
      assert.deepEqual((await errorOf(notATank)).details, { field: "tankId", reason: "not_a_tank" });
      const future = await operator.request("POST", "/api/v1/production/downtime", {
        wellId: ids.otherWell,
        startedAt: new Date(Date.now() + 3_600_000).toISOString(),
        reasonCode: "weather",
      });
      assert.equal(future.status, 400);
      assert.deepEqual((await errorOf(future)).details, { field: "startedAt", reason: "in_future" });
      const badType = await operator.request("POST", `/api/v1/production/entries/well_test/${ids.well}/void`, { reason: "x" });
      assert.equal(badType.status, 400);
      assert.equal(((await errorOf(badType)).details as { field: string }).field, "params.entryType");
    });

    it("gives a gauge and an oil ticket their net standard volume at the site's 15 °C base", async () => {
      const gauge = await operator.json<Entry>(
        "POST",
        "/api/v1/production/tank-gauges",
        { tankId: ids.tank, gaugedAt: hoursAgo(2), levelM: 2, temperatureDegC: 15, observedDensityKgPerM3: 850, bswPercent: 1 },
        201,
      );
      // At 15 °C the observed density is the base density, CTL = 1: GSV = 100 m³ × 1, NSV = 100 × (1 − 0.01) = 99 m³.
      assert.deepEqual([gauge.volumeBase, gauge.ctl, gauge.grossStandardVolumeM3, gauge.netStandardVolumeM3], ["15C", 1, 100, 99]);
      const ticket = await operator.json<Entry>(
        "POST",
        "/api/v1/production/run-tickets",
        {
          siteAssetId: ids.site,
          ticketNumber: "RT-NSV-H1",
          shippedAt: hoursAgo(1),
          fluid: "oil",
          volumeM3: 20,
          destination: "truck",
          temperatureDegC: 15,
          observedApiGravity: 35,
          bswPercent: 0.5,
        },
        201,
      );
      // 35 °API = 141360.764 / 166.5 = 849.0136 kg/m³ at 15 °C; CTL = 1; NSV = 20 × 0.995 = 19.9 m³.
      assert.deepEqual([ticket.temperatureDegC, ticket.ctl, ticket.netStandardVolumeM3], [15, 1, 19.9]);
      const both = await operator.request("POST", "/api/v1/production/tank-gauges", {
        tankId: ids.tank,
        gaugedAt: hoursAgo(1),
        levelM: 1,
        temperatureDegC: 20,
        observedDensityKgPerM3: 850,
        observedApiGravity: 35,
      });
      assert.equal(both.status, 400);
      assert.deepEqual((await errorOf(both)).details, { field: "observedApiGravity", reason: "only_one_of", params: { other: "observedDensityKgPerM3" } });
    });

    it("replays a repeated sourceKey: 200 with the first entry, nothing recorded twice", async () => {
      const body = { tankId: ids.tank, gaugedAt: hoursAgo(0.5), levelM: 3, source: "flow", sourceKey: "http-flow-1" };
      const first = await operator.request("POST", "/api/v1/production/tank-gauges", body);
      assert.equal(first.status, 201);
      const firstEntry = (await first.json()) as Entry;
      const before = (await list(viewer, `tank-gauges?tankId=${ids.tank}`)).total;
      const second = await operator.request("POST", "/api/v1/production/tank-gauges", body);
      assert.equal(second.status, 200);
      assert.deepEqual(await second.json(), firstEntry);
      assert.equal((await list(viewer, `tank-gauges?tankId=${ids.tank}`)).total, before);
    });

    describe("Idempotency-Key on every mutating entry and well-test endpoint", () => {
      /** Sends the request twice with one key; both answers must be the same, the second marked replayed. */
      async function replayed(client: SiteClient, path: string, body: unknown, key: string, status: number): Promise<Entry> {
        const headers = { "idempotency-key": key };
        const first = await client.request("POST", `/api/v1/production/${path}`, body, headers);
        const firstText = await first.text();
        assert.equal(first.status, status, firstText);
        const second = await client.request("POST", `/api/v1/production/${path}`, body, headers);
        assert.equal(second.status, status, path);
        assert.equal(second.headers.get("idempotency-replayed"), "true", path);
        assert.deepEqual(JSON.parse(await second.text()), JSON.parse(firstText), path);
        return JSON.parse(firstText) as Entry;
      }

      const LISTS = ["tank-gauges", "meter-readings", "run-tickets", "downtime", "well-tests"];

      /** How many entries each list holds, by list path. */
      async function totals(): Promise<Record<string, number>> {
        const counts = await Promise.all(LISTS.map(async (path) => [path, (await list(viewer, `${path}?limit=1`)).total] as const));
        return Object.fromEntries(counts);
      }

      const plus = (counts: Record<string, number>, added: Record<string, number>) =>
        Object.fromEntries(Object.entries(counts).map(([path, count]) => [path, count + (added[path] ?? 0)]));

      it("records each entry once and answers the replay with the first response", async () => {
        const start = await totals();
        const gauge = await replayed(operator, "tank-gauges", { tankId: ids.tank, gaugedAt: hoursAgo(0.2), levelM: 4 }, "idem-gauge", 201);
        assert.equal(gauge.volumeM3, 200);
        await replayed(operator, "meter-readings", { meterId: ids.meter, productionDate: yesterday(), fluid: "gas", volumeM3: 150_500 }, "idem-meter", 201);
        const ticket = await replayed(
          operator,
          "run-tickets",
          { siteAssetId: ids.site, ticketNumber: "H-IDEM", shippedAt: hoursAgo(0.2), fluid: "oil", volumeM3: 12, destination: "pipeline" },
          "idem-ticket",
          201,
        );
        const down = await replayed(operator, "downtime", { wellId: ids.otherWell, startedAt: hoursAgo(0.4), reasonCode: "weather" }, "idem-down", 201);
        const test = await replayed(
          operator,
          "well-tests",
          { wellId: ids.well, startedAt: hoursAgo(8), durationHours: 4, oilRateM3PerDay: 100, gasRateSm3PerDay: 12_000, waterRateM3PerDay: 200 },
          "idem-test",
          201,
        );
        const other = await operator.json<Entry>(
          "POST",
          "/api/v1/production/well-tests",
          { wellId: ids.well, startedAt: hoursAgo(7), durationHours: 4, oilRateM3PerDay: 90, gasRateSm3PerDay: 11_000, waterRateM3PerDay: 210 },
          201,
        );
        const recorded = plus(start, { "tank-gauges": 1, "meter-readings": 1, "run-tickets": 1, downtime: 1, "well-tests": 2 });
        assert.deepEqual(await totals(), recorded);

        // Without the key each repeat below would be a 409; with it, the first answer comes back.
        const closed = await replayed(operator, `downtime/${down.id}/close`, { endedAt: hoursAgo(0.1) }, "idem-close", 200);
        assert.equal(closed.rowVersion, 2);
        const voided = await replayed(operator, `entries/run_ticket/${ticket.id}/void`, { reason: "test" }, "idem-void", 200);
        assert.equal(voided.voided, true);
        const approved = await replayed(engineer, `well-tests/${test.id}/approve`, { rowVersion: 1 }, "idem-approve", 200);
        assert.equal(approved.rowVersion, 2);
        const rejected = await replayed(engineer, `well-tests/${other.id}/reject`, { rowVersion: 1, note: "slugging" }, "idem-reject", 200);
        assert.equal(rejected.status, "rejected");
        assert.deepEqual(await totals(), recorded);
        const downtime = await list(viewer, `downtime?wellId=${ids.otherWell}&open=false`);
        assert.ok(downtime.items.some((item) => item.id === down.id && item.rowVersion === 2));
      });
    });
  });
}
