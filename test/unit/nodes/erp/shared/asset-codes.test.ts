import assert from "node:assert/strict";
import { assetCodesIn, lookUpCodes, withResolvedPayloadCodes } from "../../../../../nodes/erp/shared/asset-codes.js";
import { productionEntryCodes, productionEntryInput } from "../../../../../nodes/erp/shared/production-entry-input.js";
import { wellTestCodes, wellTestInput } from "../../../../../nodes/erp/shared/well-test-input.js";
import { TagStore } from "../../../../../runtime/tags/tag-store.js";
import { OTHER_TANK_ID, SITE_ID, TANK_ID, WELL_ID, errorOf, valueOf } from "./input-fixtures.js";

const BATTERY_ID = SITE_ID;

/** The register as the nodes' lookup answered it: TK-09 is not in it. */
const IDS = new Map<string, string | null>([
  ["TK-01", TANK_ID],
  ["TK-02", OTHER_TANK_ID],
  ["WELL-101", WELL_ID],
  ["BAT-1", BATTERY_ID],
  ["TK-09", null],
]);

const GAUGE = { gaugedAt: "2026-11-28T06:00:00Z", levelM: 3.25 };

describe("erp node inputs: asset codes", () => {
  it("lists the codes of the entry type's fields in the payload and the config's code: values, once each", () => {
    const config = { entryType: "run-ticket", siteAssetId: "code:BAT-1", tankId: TANK_ID };
    assert.deepEqual(productionEntryCodes(config, { payload: { tankCode: "TK-01", meterCode: "MTR-OIL" } }), ["BAT-1", "TK-01"]);
    assert.deepEqual(productionEntryCodes({ entryType: "tank-gauge", tankId: "code:TK-01" }, { payload: { tankCode: "TK-01" } }), ["TK-01"]);
    assert.deepEqual(productionEntryCodes({ entryType: "nonsense" }, { payload: { tankCode: "TK-01" } }), []);
    assert.deepEqual(wellTestCodes({ wellId: " code:WELL-101 " }, { payload: "trigger" }), ["WELL-101"]);
    assert.deepEqual(assetCodesIn({}, [{ tankCode: "TK-01" }], ["tankId"]), [], "an array payload names no code");
  });

  it("looks each code up and maps an unknown one to null", async () => {
    const asked: string[] = [];
    const ids = await lookUpCodes(["TK-01", "TK-09"], async (code) => {
      asked.push(code);
      return IDS.get(code) ?? null;
    });
    assert.deepEqual(asked, ["TK-01", "TK-09"]);
    assert.deepEqual([...ids], [["TK-01", TANK_ID], ["TK-09", null]]);
  });

  it("records a gauge by tank code as by tank id: the same input and the same derived sourceKey", () => {
    const byCode = valueOf(productionEntryInput({ entryType: "tank-gauge" }, { payload: { ...GAUGE, tankCode: "TK-01" } }, IDS));
    const byId = valueOf(productionEntryInput({ entryType: "tank-gauge" }, { payload: { ...GAUGE, tankId: TANK_ID } }, IDS));
    assert.deepEqual(byCode, byId);
    assert.equal(byCode.input.tankId, TANK_ID);
    assert.equal("tankCode" in byCode.input, false);
  });

  it("takes a code: value in the config as that asset's id, agreeing with the payload's id or code", () => {
    const config = { entryType: "tank-gauge", tankId: "code:TK-01" };
    const fromConfig = valueOf(productionEntryInput(config, { payload: GAUGE }, IDS));
    assert.equal(fromConfig.input.tankId, TANK_ID);
    assert.deepEqual(valueOf(productionEntryInput(config, { payload: { ...GAUGE, tankCode: "TK-01" } }, IDS)), fromConfig);
    assert.match(errorOf(productionEntryInput(config, { payload: { ...GAUGE, tankCode: "TK-02" } }, IDS)), /msg\.payload\.tankId .* differs from the node's tankId/);
  });

  it("resolves a run ticket's site and tank codes", () => {
    const payload = { siteAssetCode: "BAT-1", tankCode: "TK-02", ticketNumber: "RT-1", shippedAt: "2026-11-28T10:00:00Z", fluid: "oil", volumeM3: 30, destination: "truck" };
    const { input } = valueOf(productionEntryInput({ entryType: "run-ticket" }, { payload }, IDS));
    assert.equal(input.siteAssetId, BATTERY_ID);
    assert.equal(input.tankId, OTHER_TANK_ID);
  });

  it("refuses an unknown code, naming the field and the code", () => {
    assert.equal(
      errorOf(productionEntryInput({ entryType: "tank-gauge" }, { payload: { ...GAUGE, tankCode: "TK-09" } }, IDS)),
      'msg.payload.tankCode: no asset with code "TK-09" in the asset register',
    );
    assert.equal(errorOf(productionEntryInput({ entryType: "tank-gauge", tankId: "code:TK-09" }, { payload: GAUGE }, IDS)), 'the node\'s tankId: no asset with code "TK-09" in the asset register');
    assert.match(errorOf(productionEntryInput({ entryType: "tank-gauge", tankId: "code:" }, { payload: GAUGE }, IDS)), /the node's tankId: no asset with code ""/);
    assert.match(errorOf(productionEntryInput({ entryType: "tank-gauge" }, { payload: { ...GAUGE, tankCode: "TK-01" } })), /no asset with code "TK-01"/, "a code that was not looked up is unknown");
  });

  it("refuses a code and an id of different assets, and a code that is not a string", () => {
    assert.equal(
      errorOf(productionEntryInput({ entryType: "tank-gauge" }, { payload: { ...GAUGE, tankCode: "TK-01", tankId: OTHER_TANK_ID } }, IDS)),
      `msg.payload.tankCode "TK-01" is asset ${TANK_ID}, but msg.payload.tankId is ${OTHER_TANK_ID}`,
    );
    const agreeing = valueOf(withResolvedPayloadCodes({ tankCode: "TK-01", tankId: TANK_ID }, ["tankId"], IDS));
    assert.deepEqual(agreeing, { tankId: TANK_ID });
    for (const tankCode of ["", 7, null]) {
      assert.match(errorOf(withResolvedPayloadCodes({ tankCode }, ["tankId"], IDS)), /msg\.payload\.tankCode must be a non-empty string/);
    }
  });

  it("leaves a code field of another entry type to the schema, which refuses unknown fields", () => {
    const { input } = valueOf(productionEntryInput({ entryType: "meter-reading" }, { payload: { tankCode: "TK-01" } }, IDS));
    assert.equal(input.tankCode, "TK-01");
  });

  it("proposes a well test by well code, from the payload or the config", () => {
    const payload = { startedAt: "2026-11-27T08:00:00Z", durationHours: 24, oilRateM3PerDay: 40, gasRateSm3PerDay: 6000, waterRateM3PerDay: 20 };
    const byId = valueOf(wellTestInput({ wellId: WELL_ID }, { payload }, new TagStore(), IDS));
    assert.deepEqual(valueOf(wellTestInput({}, { payload: { ...payload, wellCode: "WELL-101" } }, new TagStore(), IDS)), byId);
    assert.deepEqual(valueOf(wellTestInput({ wellId: "code:WELL-101" }, { payload }, new TagStore(), IDS)), byId);
    assert.match(errorOf(wellTestInput({}, { payload: { ...payload, wellCode: "WELL-999" } }, new TagStore(), IDS)), /msg\.payload\.wellCode: no asset with code "WELL-999"/);
  });
});
