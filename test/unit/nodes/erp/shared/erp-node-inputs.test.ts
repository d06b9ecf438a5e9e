import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { payloadFields, sourceKeyFor, withFixedFields } from "../../../../../nodes/erp/shared/entry-fields.js";
import { eventStatus, messageFromEvent } from "../../../../../nodes/erp/shared/event-messages.js";
import { configuredAssetIds, productionEntryInput } from "../../../../../nodes/erp/shared/production-entry-input.js";
import { wellTestInput } from "../../../../../nodes/erp/shared/well-test-input.js";
import { TagStore } from "../../../../../runtime/tags/tag-store.js";
import { OTHER_TANK_ID, SITE_ID, TANK_ID, WELL_ID, errorOf, valueOf } from "./input-fixtures.js";


const GAUGE = { gaugedAt: "2026-11-28T06:00:00Z", levelM: 3.25, temperatureDegC: 31 };

describe("erp node inputs: production entries", () => {
  it("fills the config's tank id, marks the entry as from a flow and derives the key from the stable JSON", () => {
    const built = valueOf(productionEntryInput({ entryType: "tank-gauge", tankId: TANK_ID }, { payload: GAUGE }));
    const fields = { ...GAUGE, tankId: TANK_ID };
    const expectedKey = `tank-gauge:${createHash("sha256").update(JSON.stringify({ gaugedAt: GAUGE.gaugedAt, levelM: 3.25, tankId: TANK_ID, temperatureDegC: 31 })).digest("hex")}`;
    assert.deepEqual(built, { entryType: "tank-gauge", input: { ...fields, source: "flow", sourceKey: expectedKey } });
  });

  it("derives the same key whatever the key order, and another for another entry type or value", () => {
    const reordered = { temperatureDegC: 31, levelM: 3.25, gaugedAt: GAUGE.gaugedAt, tankId: TANK_ID };
    const a = valueOf(sourceKeyFor("tank-gauge", { ...GAUGE, tankId: TANK_ID }, undefined));
    assert.equal(valueOf(sourceKeyFor("tank-gauge", reordered, undefined)), a);
    assert.notEqual(valueOf(sourceKeyFor("run-ticket", reordered, undefined)), a);
    assert.notEqual(valueOf(sourceKeyFor("tank-gauge", { ...reordered, levelM: 3.26 }, undefined)), a);
    assert.ok(a.length <= 200);
  });

  it("uses msg.idempotencyKey as the key when there is one, and refuses one the schema would not take", () => {
    const built = valueOf(productionEntryInput({ entryType: "tank-gauge", tankId: TANK_ID }, { payload: GAUGE, idempotencyKey: "scada-batch-42/TK-01" }));
    assert.equal(built.input.sourceKey, "scada-batch-42/TK-01");
    for (const idempotencyKey of ["", 42, "k".repeat(201)]) {
      assert.match(errorOf(sourceKeyFor("tank-gauge", {}, idempotencyKey)), /msg\.idempotencyKey/);
    }
  });

  it("refuses a payload naming another asset than the node's, and accepts the same one", () => {
    assert.match(
      errorOf(productionEntryInput({ entryType: "tank-gauge", tankId: TANK_ID }, { payload: { ...GAUGE, tankId: OTHER_TANK_ID } })),
      /msg\.payload\.tankId .* differs from the node's tankId/,
    );
    const same = valueOf(productionEntryInput({ entryType: "tank-gauge", tankId: TANK_ID }, { payload: { ...GAUGE, tankId: TANK_ID } }));
    assert.equal(same.input.tankId, TANK_ID);
  });

  it("applies only the config ids of the entry type's schema; blank ones are unset", () => {
    const config = { tankId: TANK_ID, meterId: " ", wellId: WELL_ID, siteAssetId: SITE_ID };
    assert.deepEqual(valueOf(configuredAssetIds("tank-gauge", config)), { tankId: TANK_ID });
    assert.deepEqual(valueOf(configuredAssetIds("meter-reading", config)), {});
    assert.deepEqual(valueOf(configuredAssetIds("run-ticket", config)), { siteAssetId: SITE_ID, tankId: TANK_ID });
    assert.deepEqual(valueOf(configuredAssetIds("downtime", config)), { wellId: WELL_ID });
  });

  it("refuses an unknown entry type, a payload that is not an object, and a payload setting source or sourceKey", () => {
    assert.match(errorOf(productionEntryInput({ entryType: "tank_gauge" }, { payload: GAUGE })), /entry type must be one of/);
    for (const payload of [undefined, 3.2, "3.2", [GAUGE]]) {
      assert.match(errorOf(productionEntryInput({ entryType: "tank-gauge" }, { payload })), /msg\.payload must be an object/);
    }
    assert.match(errorOf(payloadFields({ ...GAUGE, source: "manual" })), /msg\.payload\.source is set by the node/);
    assert.match(errorOf(payloadFields({ ...GAUGE, sourceKey: "mine" })), /use msg\.idempotencyKey/);
  });

  it("holds the payload to the input policy before deriving its key, naming the field", () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = { deeper: deep };
    assert.match(errorOf(payloadFields({ ...GAUGE, notes: deep })), /^msg\.payload\.notes(\.deeper)+ is nested deeper than 64 levels/);
    assert.match(errorOf(payloadFields({ ...GAUGE, notes: "a\u0000b" })), /^msg\.payload\.notes contains a NUL character/);
    assert.match(errorOf(payloadFields({ ...GAUGE, levelM: Number.NaN })), /^msg\.payload\.levelM must be a finite number/);
  });

  it("compares fixed values by their JSON, so equal objects agree", () => {
    assert.deepEqual(valueOf(withFixedFields({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } }, "node")), { a: { y: 2, x: 1 } });
  });
});

describe("erp node inputs: well tests", () => {
  const TEST_END_MS = Date.parse("2026-11-28T08:00:00Z");
  const TAGS = { oilRateTag: "SITE1/TS-01/OIL_RATE", gasRateTag: "SITE1/TS-01/GAS_RATE", waterRateTag: "SITE1/TS-01/WATER_RATE", separatorPressureTag: "SITE1/TS-01/PRESSURE" };

  function separatorTags(): TagStore {
    const tags = new TagStore();
    tags.write("SITE1/TS-01/OIL_RATE", { v: 42.5, t: TEST_END_MS - 60_000 });
    tags.write("SITE1/TS-01/GAS_RATE", { v: 6100, t: TEST_END_MS });
    tags.write("SITE1/TS-01/WATER_RATE", { v: 18, t: TEST_END_MS - 1_000 });
    tags.write("SITE1/TS-01/PRESSURE", { v: 850, t: TEST_END_MS - 2_000 });
    return tags;
  }

  it("reads a gas-lift well's lift gas injected from its own tag, apart from the separator gas", () => {
    const tags = separatorTags();
    tags.write("SITE1/WELL-201/GL_INJ_RATE", { v: 4200, t: TEST_END_MS - 5_000 });
    const input = valueOf(wellTestInput({ wellId: WELL_ID, durationHours: "4", ...TAGS, liftGasTag: "SITE1/WELL-201/GL_INJ_RATE" }, { payload: {} }, tags));
    assert.deepEqual([input.gasRateSm3PerDay, input.liftGasInjectionSm3PerDay], [6100, 4200]);
    const without = valueOf(wellTestInput({ wellId: WELL_ID, durationHours: "4", ...TAGS }, { payload: {} }, separatorTags()));
    assert.equal("liftGasInjectionSm3PerDay" in without, false, "no lift gas tag: no lift gas");
  });

  it("takes every field from msg.payload when no tags are configured, the config's duration as a default", () => {
    const payload = { startedAt: "2026-11-27T08:00:00Z", oilRateM3PerDay: 40, gasRateSm3PerDay: 6000, waterRateM3PerDay: 20 };
    const input = valueOf(wellTestInput({ wellId: WELL_ID, durationHours: "24" }, { payload }, new TagStore()));
    assert.equal(input.wellId, WELL_ID);
    assert.equal(input.durationHours, 24);
    assert.equal(input.source, "flow");
    assert.match(String(input.sourceKey), /^well-test:[0-9a-f]{64}$/);
    const shorter = valueOf(wellTestInput({ wellId: WELL_ID, durationHours: "24" }, { payload: { ...payload, durationHours: 12 } }, new TagStore()));
    assert.equal(shorter.durationHours, 12, "the payload's duration wins over the default");
    assert.match(errorOf(wellTestInput({ wellId: WELL_ID }, { payload: 1 }, new TagStore())), /msg\.payload must be an object/);
  });

  it("reads the test separator's tags; the test ends at the newest source time", () => {
    const input = valueOf(wellTestInput({ wellId: WELL_ID, durationHours: 24, ...TAGS }, { payload: Date.now() }, separatorTags()));
    assert.deepEqual(
      { ...input, sourceKey: undefined },
      {
        wellId: WELL_ID,
        durationHours: 24,
        oilRateM3PerDay: 42.5,
        gasRateSm3PerDay: 6100,
        waterRateM3PerDay: 18,
        separatorPressureKpa: 850,
        startedAt: "2026-11-27T08:00:00.000Z",
        source: "flow",
        sourceKey: undefined,
      },
    );
    const again = valueOf(wellTestInput({ wellId: WELL_ID, durationHours: 24, ...TAGS }, { payload: "test finished" }, separatorTags()));
    assert.equal(again.sourceKey, input.sourceKey, "unchanged readings give the same key");
  });

  it("refuses a missing tag, a tag that is not good, a value that is not a number, or a payload contradicting a tag", () => {
    const missing = separatorTags();
    assert.match(errorOf(wellTestInput({ wellId: WELL_ID, durationHours: 24, ...TAGS, chokeTag: "SITE1/WELL-101/CHOKE" }, { payload: {} }, missing)), /tag SITE1\/WELL-101\/CHOKE \(chokePercent\) has no value/);
    const bad = separatorTags();
    bad.write("SITE1/TS-01/GAS_RATE", { v: 6100, q: "bad", reason: "timeout after 1000 ms" });
    assert.match(errorOf(wellTestInput({ wellId: WELL_ID, durationHours: 24, ...TAGS }, { payload: {} }, bad)), /GAS_RATE \(gasRateSm3PerDay\) is bad: timeout after 1000 ms/);
    const uncertain = separatorTags();
    uncertain.write("SITE1/TS-01/OIL_RATE", { v: 42.5, q: "uncertain" });
    assert.match(errorOf(wellTestInput({ wellId: WELL_ID, ...TAGS }, { payload: {} }, uncertain)), /is uncertain/);
    const text = separatorTags();
    text.write("SITE1/TS-01/WATER_RATE", { v: "n/a" });
    assert.match(errorOf(wellTestInput({ wellId: WELL_ID, ...TAGS }, { payload: {} }, text)), /is not a number \(n\/a\)/);
    assert.match(errorOf(wellTestInput({ wellId: WELL_ID, ...TAGS }, { payload: { oilRateM3PerDay: 1 } }, separatorTags())), /differs from the tag's oilRateM3PerDay/);
  });

  it("keeps the payload's start time and refuses a payload for another well", () => {
    const input = valueOf(wellTestInput({ wellId: WELL_ID, durationHours: 24, ...TAGS }, { payload: { startedAt: "2026-11-27T09:30:00Z" } }, separatorTags()));
    assert.equal(input.startedAt, "2026-11-27T09:30:00Z");
    assert.match(errorOf(wellTestInput({ wellId: WELL_ID, ...TAGS }, { payload: { wellId: SITE_ID } }, separatorTags())), /differs from the node's wellId/);
  });
});

describe("erp node inputs: module events", () => {
  it("sends the type as topic, the payload, and the whole event; the status shows type and UTC time", () => {
    const event = { type: "production.entry.recorded", siteId: "SITE1", at: "2026-11-28T10:02:03.456Z", payload: { entryType: "tank_gauge", id: "x" } };
    assert.deepEqual(messageFromEvent(event), { topic: "production.entry.recorded", payload: event.payload, event });
    assert.deepEqual(eventStatus(event), { fill: "green", shape: "dot", text: "production.entry.recorded 10:02:03Z" });
  });
});
