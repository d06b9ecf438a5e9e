import assert from "node:assert/strict";
import { ServiceError } from "../../../../erp-modules/shared/service-error.js";
import { DowntimeInputSchema, TankGaugeInputSchema } from "../../../../erp-modules/production/entry-schemas.js";
import {
  assertDayNotFuture,
  assertNotFuture,
  lowerBound,
  parseInput,
  upperBound,
} from "../../../../erp-modules/production/entry-service.js";
import { WellTestDecisionSchema } from "../../../../erp-modules/production/schema.js";

const TANK_ID = "0192f000-0000-7000-8000-000000000001";

/** Runs fn and returns the ServiceError it throws (fails when it throws nothing or something else). */
function serviceErrorOf(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  assert.fail("expected a ServiceError");
}

describe("production entries: input validation (pure)", () => {
  it("accepts a valid input and fills the schema defaults on a copy, leaving the caller's object alone", () => {
    const message = { tankId: TANK_ID, gaugedAt: "2026-03-01T06:00:00Z", levelM: 2.5 };
    const parsed = parseInput(TankGaugeInputSchema, message);
    assert.deepEqual(parsed, { ...message, source: "manual", notes: "" });
    assert.deepEqual(Object.keys(message), ["tankId", "gaugedAt", "levelM"]);
  });

  it("names the missing field", () => {
    const error = serviceErrorOf(() => parseInput(TankGaugeInputSchema, { tankId: TANK_ID, levelM: 1 }));
    assert.equal(error.code, "invalid_input");
    assert.deepEqual(error.details, { field: "gaugedAt", reason: "required" });
    assert.equal(error.message, "gaugedAt is required");
  });

  it("names a field with a wrong type or range, without coercing strings to numbers (flows send what they send)", () => {
    for (const levelM of ["2.5", null, true]) {
      const wrong = serviceErrorOf(() => parseInput(TankGaugeInputSchema, { tankId: TANK_ID, gaugedAt: "2026-03-01T06:00:00Z", levelM }));
      assert.deepEqual(wrong.details, { field: "levelM", reason: "wrong_type", params: { expected: ["number"] } }, String(levelM));
    }
    const negative = serviceErrorOf(() => parseInput(TankGaugeInputSchema, { tankId: TANK_ID, gaugedAt: "2026-03-01T06:00:00Z", levelM: -1 }));
    assert.deepEqual(negative.details, { field: "levelM", reason: "below_minimum", params: { limit: 0 } });
    assert.equal(negative.message, "levelM must be at least 0");
  });

  it("rejects unknown fields, bad formats and enum values, and inputs that are not objects", () => {
    const extra = serviceErrorOf(() => parseInput(TankGaugeInputSchema, { tankId: TANK_ID, gaugedAt: "2026-03-01T06:00:00Z", levelM: 1, volume: 3 }));
    assert.deepEqual(extra.details, { field: "volume", reason: "not_allowed" });
    const badId = serviceErrorOf(() => parseInput(TankGaugeInputSchema, { tankId: "T-1", gaugedAt: "2026-03-01T06:00:00Z", levelM: 1 }));
    assert.equal(badId.details?.field, "tankId");
    const badReason = serviceErrorOf(() =>
      parseInput(DowntimeInputSchema, { wellId: TANK_ID, startedAt: "2026-03-01T06:00:00Z", reasonCode: "lunch" }),
    );
    assert.equal(badReason.details?.field, "reasonCode");
    assert.equal(badReason.details?.reason, "not_one_of");
    assert.ok(Array.isArray(badReason.details?.params?.allowed) && badReason.details.params.allowed.includes("esp_trip"));
    assert.equal(serviceErrorOf(() => parseInput(TankGaugeInputSchema, null)).details?.field, "input");
    assert.equal(serviceErrorOf(() => parseInput(TankGaugeInputSchema, "levelM=2")).details?.field, "input");
  });

  it("validates decision bodies too (a rowVersion is a positive integer; the note defaults to empty)", () => {
    assert.deepEqual(parseInput(WellTestDecisionSchema, { rowVersion: 1 }), { rowVersion: 1, note: "" });
    assert.equal(serviceErrorOf(() => parseInput(WellTestDecisionSchema, { rowVersion: 0 })).details?.field, "rowVersion");
  });
});

describe("production entries: the input policy on what flows send (pure)", () => {
  const gauge = { tankId: TANK_ID, gaugedAt: "2026-03-01T06:00:00Z", levelM: 2 };
  const refused = (input: unknown) => {
    const error = serviceErrorOf(() => parseInput(TankGaugeInputSchema, input));
    assert.equal(error.code, "invalid_input");
    return [error.details?.field, error.details?.reason];
  };

  it("refuses NUL characters, numbers that are not finite and timestamps PostgreSQL would misread, naming the field", () => {
    assert.deepEqual(refused({ ...gauge, notes: "a\u0000b" }), ["notes", "nul_character"]);
    assert.deepEqual(refused({ ...gauge, levelM: Number.POSITIVE_INFINITY }), ["levelM", "not_finite"]);
    assert.deepEqual(refused({ ...gauge, levelM: Number.NaN }), ["levelM", "not_finite"]);
    assert.deepEqual(refused({ ...gauge, gaugedAt: "9999-12-31T23:59:60Z" }), ["gaugedAt", "leap_second"]);
    assert.deepEqual(refused({ ...gauge, gaugedAt: "0001-06-01T00:00:00Z" }), ["gaugedAt", "year_out_of_range"]);
    assert.deepEqual(refused({ ...gauge, gaugedAt: "2200-12-31T23:00:00-05:00" }), ["gaugedAt", "year_out_of_range"]);
    assert.deepEqual(refused({ ...gauge, gaugedAt: new Date("2026-03-01T06:00:00Z") }), ["gaugedAt", "wrong_type"]);
  });

  it("refuses a message nested past the depth limit without overflowing the stack", () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    assert.deepEqual(refused({ ...gauge, notes: deep })[1], "too_deep");
  });
});

describe("production entries: time rules (pure)", () => {
  const now = Date.parse("2026-03-01T12:00:00Z");

  it("allows a timestamp up to 5 minutes ahead (clock drift) and refuses one further ahead", () => {
    assertNotFuture("gaugedAt", "2026-03-01T12:05:00Z", now);
    const error = serviceErrorOf(() => assertNotFuture("gaugedAt", "2026-03-01T12:05:01Z", now));
    assert.deepEqual(error.details, { field: "gaugedAt", reason: "in_future" });
  });

  it("allows today's production day (UTC) and refuses tomorrow's", () => {
    assertDayNotFuture("productionDate", "2026-03-01", now);
    assertDayNotFuture("productionDate", "2026-02-28", now);
    assert.equal(serviceErrorOf(() => assertDayNotFuture("productionDate", "2026-03-02", now)).details?.field, "productionDate");
    // Five minutes before midnight UTC, the next day is within the drift allowance.
    assertDayNotFuture("productionDate", "2026-03-02", Date.parse("2026-03-01T23:56:00Z"));
  });

  it("turns list bounds into instants: dates are whole UTC days, instants stay as they are", () => {
    assert.equal(lowerBound("2026-03-01").toISOString(), "2026-03-01T00:00:00.000Z");
    assert.equal(upperBound("2026-03-01").toISOString(), "2026-03-02T00:00:00.000Z");
    assert.equal(upperBound("2026-02-28").toISOString(), "2026-03-01T00:00:00.000Z");
    assert.equal(lowerBound("2026-03-01T06:30:00+02:00").toISOString(), "2026-03-01T04:30:00.000Z");
    assert.equal(upperBound("2026-03-01T06:30:00Z").toISOString(), "2026-03-01T06:30:00.000Z");
  });
});
