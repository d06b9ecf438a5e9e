import assert from "node:assert/strict";
import type { Database } from "../../../../runtime/db/database.js";
import type { ModuleEvent } from "../../../../runtime/events/event-bus.js";
import type { Outbox } from "../../../../runtime/sync/outbox.js";
import type { Asset, AssetCreate } from "../../../../erp-modules/assets/schema.js";
import type { AssetService } from "../../../../erp-modules/assets/service.js";
import { DEMO_PRODUCTION_ACTOR, demoDays, ensureDemoProduction } from "../../../../erp-modules/production/demo-production.js";
import { EntryService } from "../../../../erp-modules/production/entry-service.js";
import type { ErpContext } from "../../../../erp-modules/shared/module-context.js";
import type { ServiceErrorCode } from "../../../../erp-modules/shared/service-error.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, TWO_SLOPE_STRAPPING, countChanges, createErpHarness, isServiceError } from "../erp-fixtures.js";

const OPERATOR = "olga-operator";

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const daysAgo = (days: number) => hoursAgo(24 * days).slice(0, 10);

for (const target of databaseTargets) {
  describe(`production EntryService on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    let context: ErpContext;
    let assets: AssetService;
    let entries: EntryService;
    let events: ModuleEvent[];
    const db = (): Database => {
      if (!database) throw new Error("database not created");
      return database.db;
    };

    let battery: Asset;
    let pad: Asset;
    let espWell: Asset;
    let rodWell: Asset;
    let padWell: Asset;
    let tank: Asset;
    let padTank: Asset;
    let oilMeter: Asset;
    let separator: Asset;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      ({ context, assets, events } = await createErpHarness(database.db, "production.*"));
      entries = new EntryService(context, assets);
      const create = (input: AssetCreate) => assets.create(input, ENGINEER);
      const field = await create({ kind: "field", code: "NORTH", name: "North field" });
      battery = await create({ kind: "site", code: "BAT-1", name: "Battery 1", parentId: field.id, siteType: "battery" });
      pad = await create({ kind: "site", code: "PAD-2", name: "Pad 2", parentId: field.id, siteType: "pad" });
      espWell = await create({ kind: "well", code: "W-101", name: "Well 101", parentId: battery.id, well: { liftType: "esp" } });
      rodWell = await create({ kind: "well", code: "W-301", name: "Well 301", parentId: battery.id, well: { liftType: "rod_pump" } });
      padWell = await create({ kind: "well", code: "W-201", name: "Well 201", parentId: pad.id, well: { liftType: "gas_lift" } });
      const tankFields = { equipmentType: "tank" as const, fluid: "oil" as const, capacityM3: 160, strappingTable: TWO_SLOPE_STRAPPING };
      tank = await create({ kind: "equipment", code: "TK-1", name: "Oil tank 1", parentId: battery.id, equipment: tankFields });
      padTank = await create({ kind: "equipment", code: "TK-P", name: "Pad tank", parentId: pad.id, equipment: tankFields });
      oilMeter = await create({
        kind: "equipment",
        code: "MTR-OIL",
        name: "Oil meter",
        parentId: battery.id,
        equipment: { equipmentType: "meter", meterService: "sales", fluid: "oil" },
      });
      separator = await create({ kind: "equipment", code: "SEP-1", name: "Separator", parentId: battery.id, equipment: { equipmentType: "separator" } });
    });

    after(async () => {
      await database?.drop();
    });

    const changeRows = () => countChanges(db(), "production");

    async function lastChange(): Promise<{ action: string; actor: string; entityId: string; outboxEntity: string; outboxType: string }> {
      const audit = await db().query<{ action: string; actor: string; entity_id: string }>(
        "SELECT action, actor, entity_id FROM audit_log ORDER BY occurred_at DESC, id DESC LIMIT 1",
      );
      const outbox = await db().query<{ entity_id: string; entity_type: string }>("SELECT entity_id, entity_type FROM sync_outbox ORDER BY id DESC LIMIT 1");
      return {
        action: audit.rows[0]?.action ?? "",
        actor: audit.rows[0]?.actor ?? "",
        entityId: audit.rows[0]?.entity_id ?? "",
        outboxEntity: outbox.rows[0]?.entity_id ?? "",
        outboxType: outbox.rows[0]?.entity_type ?? "",
      };
    }

    /** One write: exactly one audit and one outbox row for it, naming the action. */
    async function oneChange<T extends { id: string }>(action: string, write: () => Promise<T>): Promise<T> {
      const before = await changeRows();
      const result = await write();
      assert.deepEqual(await changeRows(), { audit: before.audit + 1, outbox: before.outbox + 1 }, action);
      const last = await lastChange();
      assert.equal(last.action, action);
      return result;
    }

    /** A write that must fail as expected, leaving no audit or outbox row and no event. */
    async function rejected(write: () => Promise<unknown>, code: ServiceErrorCode, field?: string): Promise<void> {
      const before = await changeRows();
      const eventCount = events.length;
      await assert.rejects(write(), isServiceError(code, field));
      assert.deepEqual(await changeRows(), before, "a failed write leaves no audit or outbox row");
      assert.equal(events.length, eventCount, "a failed write emits no event");
    }

    const gauge = (levelM: number, extra: Record<string, unknown> = {}) => ({ tankId: tank.id, gaugedAt: hoursAgo(2), levelM, ...extra });

    describe("recording each entry type", () => {
      it("records a tank gauge with its volumes from the strapping table, audited, in the outbox, announced after commit", async () => {
        const recorded = await oneChange("production.tank_gauge.record", () =>
          entries.recordTankGauge(gauge(3, { waterLevelM: 1, temperatureDegC: 41.5 }), OPERATOR),
        );
        assert.equal(recorded.replayed, false);
        const entry = recorded.entry;
        assert.equal(entry.siteAssetId, battery.id);
        assert.equal(entry.volumeM3, 130);
        assert.equal(entry.waterVolumeM3, 50);
        assert.equal(entry.levelM, 3);
        assert.equal(entry.temperatureDegC, 41.5);
        assert.equal(entry.source, "manual");
        assert.equal(entry.notes, "");
        assert.equal(entry.createdBy, OPERATOR);
        assert.equal(entry.rowVersion, 1);
        assert.equal(entry.voided, false);
        const last = await lastChange();
        assert.deepEqual([last.actor, last.entityId, last.outboxEntity, last.outboxType], [OPERATOR, entry.id, entry.id, "tank_gauge"]);
        assert.deepEqual(events.at(-1)?.type, "production.entry.recorded");
        assert.deepEqual(events.at(-1)?.payload, { entryType: "tank_gauge", id: entry.id, siteAssetId: battery.id });
      });

      it("records a meter reading, a run ticket and a downtime event at the site of their meter, site and well", async () => {
        const reading = await oneChange("production.meter_reading.record", () =>
          entries.recordMeterReading({ meterId: oilMeter.id, productionDate: daysAgo(1), fluid: "oil", volumeM3: 412.5, totalizerM3: 98_000 }, OPERATOR),
        );
        assert.equal(reading.entry.siteAssetId, battery.id);
        assert.equal(reading.entry.productionDate, daysAgo(1));
        assert.equal(reading.entry.volumeM3, 412.5);
        assert.equal(reading.entry.totalizerM3, 98_000);

        const ticket = await oneChange("production.run_ticket.record", () =>
          entries.recordRunTicket(
            { siteAssetId: battery.id, tankId: tank.id, ticketNumber: "RT-0001", shippedAt: hoursAgo(5), fluid: "oil", volumeM3: 30.25, destination: "truck", carrier: "Acme Trucking" },
            OPERATOR,
          ),
        );
        assert.deepEqual([ticket.entry.tankId, ticket.entry.volumeM3, ticket.entry.carrier], [tank.id, 30.25, "Acme Trucking"]);

        const downtime = await oneChange("production.downtime_event.record", () =>
          entries.recordDowntime({ wellId: padWell.id, startedAt: hoursAgo(30), endedAt: hoursAgo(28), reasonCode: "gas_lift_failure" }, OPERATOR),
        );
        assert.equal(downtime.entry.siteAssetId, pad.id);
        assert.equal(downtime.entry.open, false);
        assert.deepEqual(
          events.slice(-3).map((event) => event.payload.entryType),
          ["meter_reading", "run_ticket", "downtime_event"],
        );
      });

      it("names the field for ids that are not what they should be, and for levels outside the strapping table", async () => {
        await rejected(() => entries.recordTankGauge(gauge(1, { tankId: oilMeter.id }), OPERATOR), "invalid_input", "tankId");
        await rejected(() => entries.recordTankGauge(gauge(1, { tankId: espWell.id }), OPERATOR), "invalid_input", "tankId");
        await rejected(() => entries.recordTankGauge(gauge(4.5), OPERATOR), "invalid_input", "levelM");
        await rejected(() => entries.recordTankGauge(gauge(2, { waterLevelM: 2.5 }), OPERATOR), "invalid_input", "waterLevelM");
        await rejected(
          () => entries.recordMeterReading({ meterId: separator.id, productionDate: daysAgo(1), fluid: "oil", volumeM3: 1 }, OPERATOR),
          "invalid_input",
          "meterId",
        );
        await rejected(
          () => entries.recordDowntime({ wellId: battery.id, startedAt: hoursAgo(1), reasonCode: "weather" }, OPERATOR),
          "invalid_input",
          "wellId",
        );
        const ticket = { siteAssetId: battery.id, ticketNumber: "RT-X", shippedAt: hoursAgo(1), fluid: "oil" as const, volumeM3: 5, destination: "truck" as const, carrier: "" };
        await rejected(() => entries.recordRunTicket({ ...ticket, siteAssetId: espWell.id }, OPERATOR), "invalid_input", "siteAssetId");
        await rejected(() => entries.recordRunTicket({ ...ticket, tankId: padTank.id }, OPERATOR), "invalid_input", "tankId");
        await rejected(() => entries.recordTankGauge({ ...gauge(1), levelM: "1" } as unknown as ReturnType<typeof gauge>, OPERATOR), "invalid_input", "levelM");
      });

      it("refuses times more than 5 minutes ahead and production days after today", async () => {
        const future = new Date(Date.now() + 10 * 60_000).toISOString();
        await rejected(() => entries.recordTankGauge(gauge(1, { gaugedAt: future }), OPERATOR), "invalid_input", "gaugedAt");
        await rejected(
          () => entries.recordMeterReading({ meterId: oilMeter.id, productionDate: daysAgo(-2), fluid: "oil", volumeM3: 1 }, OPERATOR),
          "invalid_input",
          "productionDate",
        );
        await rejected(
          () => entries.recordDowntime({ wellId: espWell.id, startedAt: future, reasonCode: "weather" }, OPERATOR),
          "invalid_input",
          "startedAt",
        );
        await rejected(
          () => entries.recordDowntime({ wellId: espWell.id, startedAt: hoursAgo(2), endedAt: hoursAgo(3), reasonCode: "weather" }, OPERATOR),
          "invalid_input",
          "endedAt",
        );
        // A little ahead is clock drift, not a mistake.
        const drift = await entries.recordTankGauge(gauge(0.5, { gaugedAt: new Date(Date.now() + 60_000).toISOString() }), OPERATOR);
        assert.equal(drift.replayed, false);
      });
    });

    describe("atomicity and append-only ledgers", () => {
      it("rolls the entry back with its audit row when the outbox write fails", async () => {
        const failingOutbox = { record: async () => Promise.reject(new Error("outbox unavailable")) } as unknown as Outbox;
        const broken = new EntryService({ ...context, outbox: failingOutbox }, assets);
        const before = await changeRows();
        const gauges = await db().query<{ count: number }>("SELECT count(*)::int AS count FROM tank_gauges");
        const eventCount = events.length;
        await assert.rejects(broken.recordTankGauge(gauge(1.25, { sourceKey: "atomic-1" }), OPERATOR), /outbox unavailable/);
        assert.deepEqual(await changeRows(), before);
        const after = await db().query<{ count: number }>("SELECT count(*)::int AS count FROM tank_gauges");
        assert.equal(after.rows[0]?.count, gauges.rows[0]?.count, "no gauge row without its audit and outbox rows");
        assert.equal(events.length, eventCount, "no event for a rolled-back write");
      });

      it("rejects UPDATE and DELETE on the entry ledgers, the voids and decided well tests", async () => {
        const recorded = await entries.recordTankGauge(gauge(1.5), OPERATOR);
        const voided = await entries.voidEntry("tank_gauge", recorded.id, "typo", OPERATOR);
        assert.equal(voided.voided, true);
        for (const sql of [
          "UPDATE tank_gauges SET level_m = 2 WHERE id = $1",
          "DELETE FROM tank_gauges WHERE id = $1",
          "UPDATE entry_voids SET reason = 'other' WHERE entry_id = $1",
          "DELETE FROM entry_voids WHERE entry_id = $1",
        ]) {
          await assert.rejects(db().query(sql, [recorded.id]), /append-only/, sql);
        }
        for (const table of ["meter_readings", "run_tickets"]) {
          await assert.rejects(db().query(`UPDATE ${table} SET notes = 'changed'`), /append-only/, table);
          await assert.rejects(db().query(`DELETE FROM ${table}`), /append-only/, table);
        }
        const closed = await db().query<{ id: string }>("SELECT id FROM downtime_events WHERE ended_at IS NOT NULL LIMIT 1");
        await assert.rejects(db().query("UPDATE downtime_events SET notes = 'x' WHERE id = $1", [closed.rows[0]?.id ?? ""]), /only closing/);
        await assert.rejects(db().query("DELETE FROM downtime_events WHERE id = $1", [closed.rows[0]?.id ?? ""]), /only closing/);
        const test = await entries.proposeWellTest(
          { wellId: rodWell.id, startedAt: hoursAgo(30), durationHours: 4, oilRateM3PerDay: 20, gasRateSm3PerDay: 1500, waterRateM3PerDay: 15 },
          OPERATOR,
        );
        await entries.rejectWellTest(test.id, { rowVersion: 1, note: "separator dumping" }, ENGINEER);
        await assert.rejects(db().query("UPDATE well_tests SET oil_rate_m3_per_day = 99 WHERE id = $1", [test.id]), /decided tests are final/);
        await assert.rejects(db().query("DELETE FROM well_tests WHERE id = $1", [test.id]), /decided tests are final/);
      });
    });

    describe("sourceKey idempotency", () => {
      it("returns the first entry for a repeated sourceKey and records nothing, for every entry type", async () => {
        const writes: [string, () => Promise<{ id: string; replayed: boolean }>][] = [
          ["tank gauge", () => entries.recordTankGauge(gauge(2.5, { source: "flow", sourceKey: "flow-1:gauge" }), "flow:n1")],
          [
            "meter reading",
            () => entries.recordMeterReading({ meterId: oilMeter.id, productionDate: daysAgo(2), fluid: "oil", volumeM3: 400, sourceKey: "flow-1:meter" }, "flow:n1"),
          ],
          [
            "run ticket",
            () =>
              entries.recordRunTicket(
                { siteAssetId: battery.id, ticketNumber: "RT-FLOW-1", shippedAt: hoursAgo(3), fluid: "water", volumeM3: 80, destination: "pipeline", carrier: "", sourceKey: "flow-1:ticket" },
                "flow:n1",
              ),
          ],
          [
            "downtime",
            () => entries.recordDowntime({ wellId: rodWell.id, startedAt: hoursAgo(50), endedAt: hoursAgo(49), reasonCode: "power_failure", sourceKey: "flow-1:down" }, "flow:n1"),
          ],
          [
            "well test",
            () =>
              entries.proposeWellTest(
                { wellId: espWell.id, startedAt: hoursAgo(20), durationHours: 6, oilRateM3PerDay: 110, gasRateSm3PerDay: 14000, waterRateM3PerDay: 210, sourceKey: "flow-1:test" },
                "flow:n1",
              ),
          ],
        ];
        for (const [what, write] of writes) {
          const first = await write();
          const before = await changeRows();
          const eventCount = events.length;
          const again = await write();
          assert.deepEqual([again.id, again.replayed], [first.id, true], what);
          assert.equal(first.replayed, false, what);
          assert.deepEqual(await changeRows(), before, `${what}: a replay records nothing`);
          assert.equal(events.length, eventCount, `${what}: a replay emits nothing`);
        }
      });

      it("records once when two deliveries with one sourceKey race", async () => {
        const input = gauge(2.75, { source: "flow", sourceKey: "race-1" });
        const results = await Promise.all([entries.recordTankGauge(input, "flow:a"), entries.recordTankGauge(input, "flow:b"), entries.recordTankGauge(input, "flow:c")]);
        assert.equal(new Set(results.map((result) => result.id)).size, 1);
        assert.equal(results.filter((result) => !result.replayed).length, 1);
        const rows = await db().query<{ count: number }>("SELECT count(*)::int AS count FROM tank_gauges WHERE source_key = 'race-1'");
        assert.equal(rows.rows[0]?.count, 1);
      });
    });

    describe("business rules", () => {
      it("keeps one open downtime per well; closing sets the end once; voids free the well", async () => {
        const open = await entries.recordDowntime({ wellId: espWell.id, startedAt: hoursAgo(6), reasonCode: "esp_trip", notes: "tripped on underload" }, OPERATOR);
        assert.equal(open.entry.open, true);
        await rejected(() => entries.recordDowntime({ wellId: espWell.id, startedAt: hoursAgo(3), reasonCode: "power_failure" }, OPERATOR), "conflict", "wellId");
        // Another well, or a closed event for this one, is no conflict.
        await entries.recordDowntime({ wellId: rodWell.id, startedAt: hoursAgo(6), reasonCode: "workover" }, OPERATOR);
        await entries.recordDowntime({ wellId: espWell.id, startedAt: hoursAgo(12), endedAt: hoursAgo(10), reasonCode: "planned_maintenance" }, OPERATOR);

        await rejected(() => entries.closeDowntime(open.id, hoursAgo(7), OPERATOR), "invalid_input", "endedAt");
        const eventCount = events.length;
        const closed = await oneChange("production.downtime_event.close", () => entries.closeDowntime(open.id, hoursAgo(1), OPERATOR));
        assert.deepEqual([closed.open, closed.rowVersion, closed.notes], [false, 2, "tripped on underload"]);
        assert.equal(events.length, eventCount + 1);
        assert.equal(events.at(-1)?.type, "production.downtime.closed");
        assert.equal(events.at(-1)?.payload.wellId, espWell.id);
        await rejected(() => entries.closeDowntime(open.id, hoursAgo(0.5), OPERATOR), "conflict");

        const mistaken = await entries.recordDowntime({ wellId: espWell.id, startedAt: hoursAgo(0.5), reasonCode: "other" }, OPERATOR);
        await oneChange("production.downtime_event.void", () => entries.voidEntry("downtime_event", mistaken.id, "wrong well", OPERATOR));
        await rejected(() => entries.closeDowntime(mistaken.id, hoursAgo(0.1), OPERATOR), "invalid_state");
        const again = await entries.recordDowntime({ wellId: espWell.id, startedAt: hoursAgo(0.4), reasonCode: "esp_trip" }, OPERATOR);
        assert.equal(again.entry.open, true);
        await rejected(() => entries.closeDowntime("01900000-0000-7000-8000-000000000000", hoursAgo(0.1), OPERATOR), "not_found");
      });

      it("closes a downtime in the minute it opened, even at its very start; never before it", async () => {
        // Entry forms work to the minute: an event opened at 10:15 and closed at 10:15 lasted under a minute.
        const minute = new Date(Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000).toISOString();
        const tripped = await entries.recordDowntime({ wellId: padWell.id, startedAt: minute, reasonCode: "esp_trip" }, OPERATOR);
        const closed = await oneChange("production.downtime_event.close", () => entries.closeDowntime(tripped.id, minute, OPERATOR));
        assert.deepEqual([closed.open, closed.startedAt, closed.endedAt], [false, minute, minute]);

        const flowStart = new Date(Date.parse(minute) + 90_000 + 30_000).toISOString();
        const fromFlow = await entries.recordDowntime({ wellId: padWell.id, startedAt: flowStart, reasonCode: "power_failure" }, OPERATOR);
        const aSecondEarlier = new Date(Date.parse(flowStart) - 1_000).toISOString();
        await rejected(() => entries.closeDowntime(fromFlow.id, aSecondEarlier, OPERATOR), "invalid_input", "endedAt");
        await entries.closeDowntime(fromFlow.id, flowStart, OPERATOR);

        const both = new Date(Date.parse(minute) + 300_000).toISOString();
        const recorded = await entries.recordDowntime({ wellId: padWell.id, startedAt: both, endedAt: both, reasonCode: "weather" }, OPERATOR);
        assert.equal(recorded.entry.open, false);
        await rejected(
          () => entries.recordDowntime({ wellId: padWell.id, startedAt: both, endedAt: aSecondEarlier, reasonCode: "weather" }, OPERATOR),
          "invalid_input",
          "endedAt",
        );
      });

      it("voids an entry once, keeping it listed and flagged", async () => {
        const recorded = await entries.recordMeterReading({ meterId: oilMeter.id, productionDate: daysAgo(3), fluid: "oil", volumeM3: 999 }, OPERATOR);
        const voided = await oneChange("production.meter_reading.void", () => entries.voidEntry("meter_reading", recorded.id, "wrong day", OPERATOR));
        assert.deepEqual([voided.voided, voided.voidReason, voided.voidedBy], [true, "wrong day", OPERATOR]);
        const last = await lastChange();
        assert.equal(last.outboxType, "entry_void");
        assert.deepEqual(events.at(-1)?.payload, { entryType: "meter_reading", id: recorded.id, siteAssetId: battery.id });
        await rejected(() => entries.voidEntry("meter_reading", recorded.id, "again", OPERATOR), "conflict");
        await rejected(() => entries.voidEntry("tank_gauge", recorded.id, "wrong type", OPERATOR), "not_found");
        const listed = await entries.listMeterReadings({ siteAssetId: battery.id, from: daysAgo(3), to: daysAgo(3) });
        assert.deepEqual(
          listed.items.map((item) => [item.id, item.voided]),
          [[recorded.id, true]],
        );
      });

      it("uses a ticket number once per site among tickets that are not voided", async () => {
        const ticket = { siteAssetId: battery.id, ticketNumber: "RT-0100", shippedAt: hoursAgo(4), fluid: "oil" as const, volumeM3: 25, destination: "truck" as const, carrier: "" };
        const first = await entries.recordRunTicket(ticket, OPERATOR);
        await rejected(() => entries.recordRunTicket({ ...ticket, volumeM3: 26 }, OPERATOR), "conflict", "ticketNumber");
        // The same number at another site is another ticket.
        await entries.recordRunTicket({ ...ticket, siteAssetId: pad.id }, OPERATOR);
        await entries.voidEntry("run_ticket", first.id, "entered twice", OPERATOR);
        const reused = await entries.recordRunTicket({ ...ticket, volumeM3: 26 }, OPERATOR);
        assert.equal(reused.entry.volumeM3, 26);
        // Two at once with one number: exactly one wins.
        const racing = { ...ticket, ticketNumber: "RT-0200" };
        const outcomes = await Promise.allSettled([entries.recordRunTicket(racing, OPERATOR), entries.recordRunTicket(racing, OPERATOR)]);
        assert.deepEqual(outcomes.map((outcome) => outcome.status).sort(), ["fulfilled", "rejected"]);
      });

      it("takes a well test from proposed to approved once, checking the rowVersion", async () => {
        const proposed = await oneChange("production.well_test.propose", () =>
          entries.proposeWellTest(
            { wellId: espWell.id, startedAt: hoursAgo(26), durationHours: 8, oilRateM3PerDay: 105.5, gasRateSm3PerDay: 13250, waterRateM3PerDay: 230, chokePercent: 80, separatorPressureKpa: 700 },
            OPERATOR,
          ),
        );
        assert.deepEqual([proposed.entry.status, proposed.entry.siteAssetId, proposed.entry.chokePercent, proposed.entry.tubingPressureKpa], ["proposed", battery.id, 80, null]);
        assert.equal(events.at(-1)?.type, "production.well_test.proposed");
        await rejected(() => entries.approveWellTest(proposed.id, { rowVersion: 2 }, ENGINEER), "stale", "rowVersion");
        const approved = await oneChange("production.well_test.approve", () =>
          entries.approveWellTest(proposed.id, { rowVersion: 1, note: "stable 8 h test" }, ENGINEER),
        );
        assert.deepEqual([approved.status, approved.decidedBy, approved.decisionNote, approved.rowVersion], ["approved", ENGINEER, "stable 8 h test", 2]);
        assert.ok(approved.decidedAt);
        assert.deepEqual(events.at(-1)?.type, "production.well_test.approved");
        assert.deepEqual(events.at(-1)?.payload, { id: proposed.id, wellId: espWell.id, siteAssetId: battery.id });
        await rejected(() => entries.approveWellTest(proposed.id, { rowVersion: 2 }, ENGINEER), "invalid_state");
        await rejected(() => entries.rejectWellTest(proposed.id, { rowVersion: 2 }, ENGINEER), "invalid_state");
        assert.deepEqual(await entries.getWellTest(proposed.id), approved);
        await rejected(() => entries.getWellTest("01900000-0000-7000-8000-000000000000"), "not_found");

        const other = await entries.proposeWellTest(
          { wellId: rodWell.id, startedAt: hoursAgo(26), durationHours: 4, oilRateM3PerDay: 0, gasRateSm3PerDay: 0, waterRateM3PerDay: 0 },
          OPERATOR,
        );
        const rejectedTest = await oneChange("production.well_test.reject", () => entries.rejectWellTest(other.id, { rowVersion: 1 }, ENGINEER));
        assert.equal(rejectedTest.status, "rejected");
        assert.equal(events.at(-1)?.type, "production.well_test.rejected");
      });
    });

    describe("lists", () => {
      it("filters and pages each list, newest first, with the total", async () => {
        const all = await entries.listTankGauges({ tankId: tank.id, limit: 500 });
        assert.ok(all.total >= 5);
        assert.equal(all.items.length, all.total);
        const times = all.items.map((item) => item.gaugedAt);
        assert.deepEqual(times, [...times].sort().reverse());
        const page = await entries.listTankGauges({ tankId: tank.id, limit: 2, offset: 1 });
        assert.deepEqual(
          page.items.map((item) => item.id),
          all.items.slice(1, 3).map((item) => item.id),
        );
        assert.equal(page.total, all.total);
        assert.equal((await entries.listTankGauges({ siteAssetId: pad.id })).total, 0);
        const window = await entries.listTankGauges({ tankId: tank.id, from: hoursAgo(2.5), to: hoursAgo(1.5), limit: 500 });
        assert.ok(window.items.every((item) => item.gaugedAt >= hoursAgo(2.6) && item.gaugedAt <= hoursAgo(1.4)));
        assert.ok(window.total >= 1);

        const tickets = await entries.listRunTickets({ siteAssetId: pad.id });
        assert.deepEqual(tickets.items.map((item) => item.ticketNumber), ["RT-0100"]);
        const readings = await entries.listMeterReadings({ meterId: oilMeter.id, from: daysAgo(2), to: daysAgo(1) });
        assert.deepEqual(readings.items.map((item) => item.productionDate), [daysAgo(1), daysAgo(2)]);

        const open = await entries.listDowntime({ wellId: espWell.id, open: true });
        assert.equal(open.total, 1);
        assert.equal(open.items[0]?.reasonCode, "esp_trip");
        const closed = await entries.listDowntime({ wellId: espWell.id, open: false });
        assert.ok(closed.items.every((item) => item.endedAt !== null));
        // Overlapping the window 11 h .. 9 h ago: the planned maintenance from 12 h to 10 h ago.
        const overlapping = await entries.listDowntime({ wellId: espWell.id, from: hoursAgo(11), to: hoursAgo(9) });
        assert.deepEqual(overlapping.items.map((item) => item.reasonCode), ["planned_maintenance"]);

        const approved = await entries.listWellTests({ wellId: espWell.id, status: "approved" });
        assert.equal(approved.total, 1);
        assert.equal((await entries.listWellTests({ siteAssetId: battery.id })).total, 4);
      });
    });

    describe("demo production", () => {
      it("records a week of history once, for the demo's own wells and tanks only; a second run records nothing", async () => {
        const demo = await assets.create({ kind: "site", code: "BAT-DEMO", name: "Demo battery", parentId: battery.parentId, siteType: "battery" }, ENGINEER);
        const make = (input: Omit<AssetCreate, "parentId">) => assets.create({ ...input, parentId: demo.id }, ENGINEER);
        const wells = [
          await make({ kind: "well", code: "D-101", name: "D 101", well: { liftType: "esp" } }),
          await make({ kind: "well", code: "D-201", name: "D 201", well: { liftType: "gas_lift" } }),
          await make({ kind: "well", code: "D-301", name: "D 301", well: { liftType: "rod_pump" } }),
        ];
        const strappingTable = [
          { levelM: 0, volumeM3: 0 },
          { levelM: 8, volumeM3: 628 },
        ];
        const tank = await make({ kind: "equipment", code: "D-TK", name: "Tank", equipment: { equipmentType: "tank", strappingTable } });
        // A user's well and tank under the same battery: never given invented history.
        const userWell = await make({ kind: "well", code: "D-USER", name: "A user's well", well: { liftType: "esp", status: "producing" } });
        const userTank = await make({ kind: "equipment", code: "D-TK-USER", name: "A user's tank", equipment: { equipmentType: "tank", strappingTable } });
        const meter = async (fluid: "oil" | "gas" | "water") =>
          (await make({ kind: "equipment", code: `D-M-${fluid}`, name: `${fluid} meter`, equipment: { equipmentType: "meter", meterService: "sales", fluid } })).id;
        const meterIds = { oil: await meter("oil"), gas: await meter("gas"), water: await meter("water") };
        const rates = { oilM3PerDay: 50, gasSm3PerDay: 5000, waterM3PerDay: 20 };
        const options = { meterIds, wellRates: () => rates, demoAssetIds: new Set([...wells.map((well) => well.id), tank.id]) };

        const first = await ensureDemoProduction(entries, assets, demo.id, options);
        // 3 tests, 7 days × (3 readings + 2 gauges + 3 gas dispositions: fuel, flare, sales; no lift gas), 3 tickets, 2 downtime events.
        assert.deepEqual(first, { recorded: 3 + 7 * 8 + 3 + 2, replayed: 0 });
        const second = await ensureDemoProduction(entries, assets, demo.id, options);
        assert.deepEqual(second, { recorded: 0, replayed: first.recorded });

        const tests = await entries.listWellTests({ siteAssetId: demo.id });
        assert.deepEqual(tests.items.map((test) => test.status), ["approved", "approved", "approved"]);
        assert.equal((await entries.listWellTests({ wellId: userWell.id })).total, 0, "the user's well has no demo test");
        assert.equal((await entries.listTankGauges({ tankId: userTank.id })).total, 0, "the user's tank has no demo gauges");
        assert.ok(tests.items.every((test) => test.decidedBy === DEMO_PRODUCTION_ACTOR && test.oilRateM3PerDay === 50));
        const days = demoDays(new Date());
        const readings = await entries.listMeterReadings({ meterId: meterIds.oil, limit: 500 });
        assert.deepEqual(readings.items.map((item) => item.productionDate).sort(), days);
        assert.ok(readings.items.every((item) => Math.abs(item.volumeM3 - 150) <= 150 * 0.03 + 0.01), "oil ≈ 3 wells × 50 m3/d ± 3 %");
        const downtime = await entries.listDowntime({ siteAssetId: demo.id });
        assert.deepEqual(downtime.items.map((item) => item.wellId).sort(), [wells[0]?.id, wells[2]?.id].sort());
        assert.ok(downtime.items.every((item) => !item.open));
      });
    });
  });
}
