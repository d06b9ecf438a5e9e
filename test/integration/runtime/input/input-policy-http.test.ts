import assert from "node:assert/strict";
import type supertest from "supertest";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { createBattery, viaService, type Battery } from "../../erp-modules/erp-fixtures.js";

interface ErrorAnswer {
  code: string;
  message: string;
  details?: { field?: string; reason: string; params?: Record<string, unknown> };
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const yesterday = () => hoursAgo(24).slice(0, 10);

function errorOf(response: supertest.Response): ErrorAnswer {
  return (response.body as { error: ErrorAnswer }).error;
}

/** A JSON text nested `depth` arrays deep: a stack overflow for anything recursive. */
function nested(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

/**
 * Issue 8 §4: one input policy for HTTP, without coercion, refusing what
 * PostgreSQL, PGlite or a recursion would fail on later, with 400 naming
 * the field. Every case also checks that nothing was stored.
 */
for (const target of databaseTargets) {
  describe(`input policy over HTTP (${target.name})`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite;
    let operator: InProcessSession;
    let engineer: InProcessSession;
    let battery: Battery;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db);
      operator = await site.session("operator");
      engineer = await site.session("engineer");
      battery = await createBattery(viaService(site.erp.assets, "test"), { field: "FIELD-P", site: "BAT-P", wells: { "WELL-P1": "esp" }, tank: "TK-P" });
    });

    after(async () => {
      await site?.close();
      await database?.drop();
    });

    const count = async (table: string) => (await site.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? -1;

    /** Sends a raw JSON text and expects 400 naming the field and the reason; the table holds as many rows as before. */
    async function refused(
      session: InProcessSession,
      url: string,
      body: string,
      expected: { field: string; reason: string; params?: Record<string, unknown> },
      table: string,
    ): Promise<ErrorAnswer> {
      const before = await count(table);
      const response = await session.send("post", url).set("Content-Type", "application/json").send(body);
      assert.equal(response.status, 400, `${body.slice(0, 120)}: ${response.text.slice(0, 300)}`);
      const error = errorOf(response);
      assert.equal(error.details?.field, expected.field, error.message);
      assert.equal(error.details?.reason, expected.reason, error.message);
      if (expected.params) assert.deepEqual(error.details?.params, expected.params);
      assert.ok(error.message.includes(expected.field), `the message names the field: ${error.message}`);
      assert.equal(await count(table), before, `nothing stored in ${table}`);
      return error;
    }

    const gauge = (fields: string) => `{"tankId":"${battery.tankId}","gaugedAt":"${hoursAgo(1)}",${fields}}`;

    it("does not coerce: null, true and \"1\" are not a level", async () => {
      for (const level of ["null", "true", '"1"']) {
        await refused(operator, "/api/v1/production/tank-gauges", gauge(`"levelM":${level}`), { field: "body.levelM", reason: "wrong_type", params: { expected: ["number"] } }, "tank_gauges");
      }
      await refused(operator, "/api/v1/production/tank-gauges", gauge('"levelM":1,"temperatureDegC":null'), { field: "body.temperatureDegC", reason: "wrong_type" }, "tank_gauges");
      const stored = await operator.send("post", "/api/v1/production/tank-gauges").send({ tankId: battery.tankId, gaugedAt: hoursAgo(1), levelM: 1 });
      assert.equal(stored.status, 201, stored.text);
    });

    it("refuses a NUL character in text, in a key and in a query string", async () => {
      await refused(operator, "/api/v1/production/tank-gauges", gauge('"levelM":1,"notes":"tank\\u0000top"'), { field: "body.notes", reason: "nul_character" }, "tank_gauges");
      await refused(operator, "/api/v1/production/tank-gauges", gauge('"levelM":1,"no\\u0000te":"x"'), { field: "body.no\\u0000te", reason: "nul_character" }, "tank_gauges");
      // Found by the fuzz test: a lone surrogate reached PostgreSQL's json as \udfff and was a 500.
      await refused(operator, "/api/v1/auth/tokens", '{"name":"\\udfff\\ud800"}', { field: "body.name", reason: "lone_surrogate" }, "api_tokens");
      const query = await operator.send("get", "/api/v1/production/tank-gauges?tankId=%00");
      assert.equal(query.status, 400, query.text);
      assert.deepEqual([errorOf(query).details?.field, errorOf(query).details?.reason], ["query.tankId", "nul_character"]);
    });

    it("refuses numbers that are not finite (1e400 parses to Infinity)", async () => {
      await refused(operator, "/api/v1/production/tank-gauges", gauge('"levelM":1e400'), { field: "body.levelM", reason: "not_finite" }, "tank_gauges");
      await refused(
        engineer,
        "/api/v1/assets",
        `{"kind":"field","code":"F-INF","name":"x","latitude":-1e400}`,
        { field: "body.latitude", reason: "not_finite" },
        "assets",
      );
    });

    it("refuses leap seconds, impossible days and years outside 1900-2200", async () => {
      const url = "/api/v1/production/tank-gauges";
      const at = (instant: string) => `{"tankId":"${battery.tankId}","gaugedAt":"${instant}","levelM":1}`;
      await refused(operator, url, at("9999-12-31T23:59:60Z"), { field: "body.gaugedAt", reason: "leap_second" }, "tank_gauges");
      await refused(operator, url, at("2016-12-31T23:59:60Z"), { field: "body.gaugedAt", reason: "leap_second" }, "tank_gauges");
      await refused(operator, url, at("2026-02-30T10:00:00Z"), { field: "body.gaugedAt", reason: "not_a_date_time" }, "tank_gauges");
      await refused(operator, url, at("1899-12-31T12:00:00Z"), { field: "body.gaugedAt", reason: "year_out_of_range", params: { min: 1900, max: 2200 } }, "tank_gauges");
      const reading = (day: string) => `{"meterId":"${battery.meterIds.oil}","productionDate":"${day}","fluid":"oil","volumeM3":10}`;
      for (const day of ["0001-06-01", "2201-01-01"]) {
        await refused(operator, "/api/v1/production/meter-readings", reading(day), { field: "body.productionDate", reason: "year_out_of_range", params: { min: 1900, max: 2200 } }, "meter_readings");
      }
      const stored = await operator.send("post", "/api/v1/production/meter-readings").send({ meterId: battery.meterIds.oil, productionDate: yesterday(), fluid: "oil", volumeM3: 10 });
      assert.equal(stored.status, 201, stored.text);
    });

    it("refuses JSON nested past the depth limit with 400, not a stack overflow", async () => {
      await refused(engineer, "/api/v1/assets", `{"kind":"field","code":"F-DEEP","name":${nested(200_000)}}`, { field: `body.name${".0".repeat(63)}`, reason: "too_deep", params: { limit: 64 } }, "assets");
      await refused(engineer, "/api/v1/flows/import", `{"message":"deep","flows":[{"id":"a","type":"inject","x":${nested(100_000)}}]}`, { field: `body.flows.0.x${".0".repeat(61)}`, reason: "too_deep" }, "flow_revisions");
    });

    it("refuses flows whose wires are not arrays of arrays of ids", async () => {
      const flows = (wires: string) => `{"message":"wires","flows":[{"id":"t","type":"tab"},{"id":"i","type":"inject","z":"t","wires":${wires}},{"id":"d","type":"debug","z":"t"}]}`;
      for (const wires of ['"d"', '["d"]', "[[1]]", '[[""]]', "[null]", '[["d"],{"0":"d"}]']) {
        const error = await refused(engineer, "/api/v1/flows/import", flows(wires), { field: "flows.1.wires", reason: "invalid_wires" }, "flow_revisions");
        assert.equal(error.code, "invalid_flows");
      }
      const accepted = await engineer.send("post", "/api/v1/flows/import").set("Content-Type", "application/json").send(flows('[["d"]]'));
      assert.equal(accepted.status, 201, accepted.text);
    });

    it("parses query strings by their schema, strictly", async () => {
      const list = (query: string) => operator.send("get", `/api/v1/production/downtime?${query}`);
      assert.equal((await list("limit=10&offset=0&open=true")).status, 200);
      const cases: [string, string, string][] = [
        ["limit=abc", "query.limit", "wrong_type"],
        ["limit=1e400", "query.limit", "not_finite"],
        ["limit=1.5", "query.limit", "wrong_type"],
        ["limit=%2010", "query.limit", "wrong_type"],
        ["limit=0", "query.limit", "below_minimum"],
        ["open=yes", "query.open", "wrong_type"],
        ["open=1", "query.open", "wrong_type"],
        ["limit=1&limit=2", "query.limit", "repeated"],
        ["from=9999-12-31T23:59:60Z", "query.from", "leap_second"],
        ["to=0001-06-01", "query.to", "year_out_of_range"],
        ["colour=red", "query.colour", "not_allowed"],
      ];
      for (const [query, field, reason] of cases) {
        const response = await list(query);
        assert.equal(response.status, 400, `${query}: ${response.text}`);
        assert.deepEqual([errorOf(response).details?.field, errorOf(response).details?.reason], [field, reason], query);
      }
      const month = await operator.send("get", `/api/v1/production/reports/monthly?siteAssetId=${battery.siteId}&month=0000-01`);
      assert.equal(month.status, 400, month.text);
      assert.equal(errorOf(month).details?.reason, "year_out_of_range");
    });

    it("parses path parameters by their schema", async () => {
      const viewer = await site.session("viewer");
      for (const number of ["1e400", "abc", "1.5", "0"]) {
        const response = await viewer.send("get", `/api/v1/flows/revisions/${number}`);
        assert.equal(response.status, 400, `${number}: ${response.text}`);
        assert.equal(errorOf(response).details?.field, "params.number", number);
      }
      assert.equal((await viewer.send("get", "/api/v1/flows/revisions/1")).status, 200);
    });

    it("refuses a body on a route that takes none", async () => {
      const response = await operator.send("post", "/api/v1/auth/logout").send({ everything: true });
      assert.equal(response.status, 400, response.text);
      assert.deepEqual(errorOf(response).details, { field: "body", reason: "not_allowed" });
    });

    it("types CSV cells by the schema: a deadband of \"1.5\" is 1.5, \"abc\" is refused with its field", async () => {
      const csv = "path,dataType,deadband\nSITE1/TK-P/LEVEL,float,1.5\nSITE1/TK-P/TEMP,float,abc\nSITE1/TK-P/NUL,float,1e400\n";
      const response = await engineer.send("post", "/api/v1/tags/import").set("Content-Type", "text/csv").send(csv);
      assert.equal(response.status, 200, response.text);
      const report = response.body as { created: number; rejected: { line: number; details: { field: string; reason: string } }[] };
      assert.equal(report.created, 1);
      assert.deepEqual(
        report.rejected.map((row) => [row.line, row.details.field, row.details.reason]),
        [
          [3, "deadband", "wrong_type"],
          [4, "deadband", "not_finite"],
        ],
      );
      assert.equal(site.tagRegistry.deadbandOf("SITE1/TK-P/LEVEL"), 1.5);
    });
  });
}
