import assert from "node:assert/strict";
import { messageFromUpdate, tagWriteFromMessage } from "../../../../../nodes/tags/shared/tag-messages.js";
import { csvRecordToInput } from "../../../../../runtime/tags/tag-registry.js";
import { effectiveRateHz, parseClientMessage, toWire } from "../../../../../runtime/http/live-hub.js";
import { displayUnitsFor, toDisplayUnit } from "../../../../../runtime/tags/display-units.js";

describe("tag node messages", () => {
  it("takes the path from the node, else msg.topic", () => {
    assert.deepEqual(tagWriteFromMessage("SITE1/WELL-101/THP", { payload: 5 }), { path: "SITE1/WELL-101/THP", value: { v: 5 } });
    assert.deepEqual(tagWriteFromMessage("", { topic: "SITE1/WELL-101/CHP", payload: true }), { path: "SITE1/WELL-101/CHP", value: { v: true } });
    assert.match((tagWriteFromMessage("", { payload: 1 }) as { error: string }).error, /no tag path/);
  });

  it("accepts {v, q, t} payloads and msg.quality / msg.timestamp overrides", () => {
    const result = tagWriteFromMessage("SITE1/A/B", { payload: { v: 2, q: "uncertain", t: "2026-11-28T10:00:00Z", reason: "manual" } });
    assert.deepEqual(result, { path: "SITE1/A/B", value: { v: 2, q: "uncertain", t: Date.parse("2026-11-28T10:00:00Z"), reason: "manual" } });
    const overridden = tagWriteFromMessage("SITE1/A/B", { payload: 3, quality: "bad", timestamp: 42 });
    assert.deepEqual(overridden, { path: "SITE1/A/B", value: { v: 3, q: "bad", t: 42 } });
  });

  it("refuses values that are not tag values", () => {
    for (const payload of [{ nested: 1 }, [1, 2], Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.ok("error" in tagWriteFromMessage("SITE1/A/B", { payload }), JSON.stringify(payload));
    }
    assert.match((tagWriteFromMessage("SITE1/A/B", { payload: 1, quality: "great" }) as { error: string }).error, /quality/);
  });

  it("refuses NUL characters and source times outside the input policy, naming the field", () => {
    const error = (msg: Record<string, unknown>) => (tagWriteFromMessage("SITE1/A/B", msg) as { error?: string }).error ?? "accepted";
    assert.match(error({ payload: "a\u0000b" }), /^msg\.payload contains a NUL character/);
    assert.match(error({ payload: { v: "x\u0000" } }), /^msg\.payload\.v contains a NUL/);
    assert.match(error({ payload: { v: 1, q: "bad", reason: "\u0000" } }), /^msg\.payload\.reason contains a NUL/);
    assert.match(error({ payload: "\ud800" }), /^msg\.payload is not well-formed Unicode text/);
    assert.match(error({ payload: { v: 1, t: "9999-12-31T23:59:60Z" } }), /^msg\.payload\.t has second 60/);
    assert.match(error({ payload: { v: 1, t: "0001-06-01T00:00:00Z" } }), /^msg\.payload\.t must be in the years 1900 to 2200/);
    assert.match(error({ payload: { v: 1, t: "yesterday" } }), /^msg\.payload\.t must be a date and time/);
    assert.match(error({ payload: 1, timestamp: 1e17 }), /^msg\.timestamp must be in the years/);
    assert.match(error({ payload: 1, timestamp: Number.POSITIVE_INFINITY }), /^msg\.timestamp must be a finite number/);
    assert.match(error({ payload: 1, timestamp: new Date("0001-06-01T00:00:00Z") }), /^msg\.timestamp must be in the years/);
    assert.match(error({ payload: 1, timestamp: "1" }), /^msg\.timestamp must be a date and time/);
    assert.equal(error({ payload: 1, timestamp: new Date("2026-03-01T00:00:00Z") }), "accepted");
  });

  it("turns a tag update into a message", () => {
    assert.deepEqual(messageFromUpdate({ path: "SITE1/A/B", value: { v: 1, q: "bad", t: 9, reason: "timeout" } }), {
      topic: "SITE1/A/B",
      payload: 1,
      quality: "bad",
      timestamp: 9,
      reason: "timeout",
    });
  });
});

describe("tag CSV rows", () => {
  const row = { path: "SITE1/WELL-101/THP", dataType: "float", unit: "kPa", description: "Tubing head pressure", deadband: "5", rawMin: "", rawMax: "", engMin: "", engMax: "", assetId: "WELL-101", source: "modbus", readRole: "viewer" };

  it("converts a good row, its cells typed by the schema", () => {
    const result = csvRecordToInput(row);
    assert.ok("tag" in result);
    assert.equal(result.tag.deadband, 5);
    assert.equal(result.tag.scaling, null);
  });

  it("reads scaling from four columns, all or none", () => {
    const scaled = csvRecordToInput({ ...row, rawMin: "0", rawMax: "65535", engMin: "0", engMax: "20000" });
    assert.deepEqual("tag" in scaled && scaled.tag.scaling, { rawMin: 0, rawMax: 65535, engMin: 0, engMax: 20000 });
    assert.match((csvRecordToInput({ ...row, rawMin: "0" }) as { reason: string }).reason, /all of rawMin/);
    assert.match((csvRecordToInput({ ...row, rawMin: "1", rawMax: "1", engMin: "0", engMax: "1" }) as { reason: string }).reason, /rawMin ≠ rawMax/);
  });

  it("says which field is wrong", () => {
    assert.match((csvRecordToInput({ ...row, path: "WELL-101/THP" }) as { reason: string }).reason, /^path /);
    assert.match((csvRecordToInput({ ...row, dataType: "double" }) as { reason: string }).reason, /^dataType /);
    assert.match((csvRecordToInput({ ...row, deadband: "-1" }) as { reason: string }).reason, /^deadband /);
    assert.match((csvRecordToInput({ ...row, readRole: "root" }) as { reason: string }).reason, /^readRole /);
    const refusal = (cells: Record<string, string>) => {
      const result = csvRecordToInput({ ...row, ...cells });
      return "problem" in result ? [result.problem.field, result.problem.reason] : ["accepted"];
    };
    assert.deepEqual(refusal({ deadband: "abc" }), ["deadband", "wrong_type"]);
    assert.deepEqual(refusal({ deadband: "1e400" }), ["deadband", "not_finite"]);
    assert.deepEqual(refusal({ deadband: " 5" }), ["deadband", "wrong_type"]);
    assert.deepEqual(refusal({ rawMin: "0", rawMax: "x", engMin: "0", engMax: "1" }), ["rawMax", "wrong_type"]);
    assert.deepEqual(refusal({ description: "a\u0000b" }), ["description", "nul_character"]);
    assert.match((csvRecordToInput({ ...row, displayUnit: "degF" }) as { reason: string }).reason, /displayUnit degF cannot show a value in kPa/);
    assert.deepEqual("tag" in csvRecordToInput({ ...row, displayUnit: "psi" }) && csvRecordToInput({ ...row, displayUnit: "psi" }), { tag: { ...(csvRecordToInput(row) as { tag: object }).tag, displayUnit: "psi" } });
  });
});

describe("live websocket messages", () => {
  it("parses subscribe and unsubscribe", () => {
    assert.deepEqual(parseClientMessage('{"type":"subscribe","id":"a","patterns":["SITE1/#"],"maxRateHz":2}'), {
      type: "subscribe",
      id: "a",
      patterns: ["SITE1/#"],
      maxRateHz: 2,
    });
    assert.deepEqual(parseClientMessage('{"type":"unsubscribe","id":"a"}'), { type: "unsubscribe", id: "a" });
  });

  it("bounds the rate a client asks for to [0.1 Hz, the site's maximum]", () => {
    assert.deepEqual(
      [1e-320, 0.05, 0.1, 2, 4, 1_000, undefined].map((asked) => effectiveRateHz(asked, 4)),
      [0.1, 0.1, 0.1, 2, 4, 4, 4],
    );
  });

  it("explains what is wrong with a bad message", () => {
    const error = (text: string) => (parseClientMessage(text) as { error: string }).error;
    assert.match(error("not json"), /JSON/);
    assert.match(error('{"type":"subscribe","id":"a","patterns":[]}'), /patterns/);
    assert.match(error('{"type":"subscribe","id":"a","patterns":["SITE1/#/x"]}'), /invalid tag pattern/);
    assert.match(error('{"type":"subscribe","id":"a","patterns":["#"],"maxRateHz":0}'), /maxRateHz/);
    assert.match(error('{"type":"publish","id":"a"}'), /type/);
    assert.match(error('{"type":"subscribe","patterns":["#"]}'), /id/);
  });

  it("sends tags with short keys and the reason only when there is one", () => {
    assert.deepEqual(toWire({ path: "S/A/B", value: { v: 1, q: "good", t: 2 } }), { p: "S/A/B", v: 1, q: "good", t: 2 });
    assert.deepEqual(toWire({ path: "S/A/B", value: { v: 1, q: "bad", t: 2, reason: "x" } }), { p: "S/A/B", v: 1, q: "bad", t: 2, r: "x" });
  });

  it("sends the update time as u only when the value was re-reported after it last changed", () => {
    assert.deepEqual(toWire({ path: "S/A/B", value: { v: 1, q: "good", t: 2, u: 9 } }), { p: "S/A/B", v: 1, q: "good", t: 2, u: 9 });
    assert.deepEqual(toWire({ path: "S/A/B", value: { v: 1, q: "good", t: 2, u: 2 } }), { p: "S/A/B", v: 1, q: "good", t: 2 });
  });
});

describe("display units", () => {
  it("converts canonical values to the units a tag may choose", () => {
    assert.deepEqual(displayUnitsFor("kPa"), ["kPa", "bar", "MPa", "psi"]);
    assert.deepEqual(displayUnitsFor("bool"), []);
    assert.equal(toDisplayUnit(1000, "kPa", "bar")?.value, 10);
    assert.ok(Math.abs((toDisplayUnit(100, "degC", "degF")?.value ?? 0) - 212) < 1e-9);
    assert.ok(Math.abs((toDisplayUnit(0.158987294928, "m3/d", "bbl/d")?.value ?? 0) - 1) < 1e-9);
    assert.equal(toDisplayUnit(1, "kPa", "degF"), undefined);
  });
});
