import assert from "node:assert/strict";
import {
  ATTACHMENT_CONTENT_TYPES as SERVER_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES as SERVER_MAX_BYTES,
  FAILURE_CODE_KINDS as SERVER_KINDS,
  type FailureCodeEntry,
  type Plan,
} from "../../../../../../erp-modules/maintenance/schema";
import {
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES,
  EMPTY_PLAN_FORM,
  FAILURE_CODE_KINDS,
  attachmentProblem,
  bytesToBase64,
  failureCodeOptions,
  failureCodeText,
  planCreateBody,
  planToForm,
  planUpdateBody,
} from "../../../../../../editor/src/modules/maintenance/maintenance-forms";

const ESP = "0190a1b2-0000-7000-8000-000000000021";

function code(kind: FailureCodeEntry["kind"], value: string, en: string, es: string, active = true): FailureCodeEntry {
  return { id: `id-${kind}-${value}`, kind, code: value, descriptionEn: en, descriptionEs: es, active, createdBy: "erin", createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", rowVersion: 1 };
}

const CATALOGUE = [code("problem", "VIB", "Vibration", "Vibración"), code("problem", "OLD", "Retired", "Retirado", false), code("cause", "WEAR", "Wear", "Desgaste")];

const PLAN: Plan = {
  id: "0190a1b2-0000-7000-8000-000000000022",
  equipmentId: ESP,
  name: "ESP run hours",
  kind: "meter",
  intervalDays: null,
  meter: "run_hours",
  tagPath: "SITE1/WELL-101/RUNNING",
  intervalAmount: 2000,
  lastDoneAt: "2026-01-01T00:00:00.000Z",
  lastDoneReading: null,
  tasks: ["Megger the motor", "Check seals"],
  active: true,
  createdBy: "erin",
  createdAt: "2026-01-01T00:00:00.000Z",
  rowVersion: 3,
};

describe("editor maintenance forms", () => {
  it("keeps the server's attachment limits and failure-code kinds", () => {
    assert.equal(ATTACHMENT_MAX_BYTES, SERVER_MAX_BYTES);
    assert.deepEqual([...ATTACHMENT_CONTENT_TYPES], [...SERVER_CONTENT_TYPES]);
    assert.deepEqual([...FAILURE_CODE_KINDS], [...SERVER_KINDS]);
  });

  it("refuses a file over 2 MiB, of another type, or empty, before sending it", () => {
    assert.equal(attachmentProblem({ size: 2 * 1024 * 1024, type: "application/pdf" }), null);
    assert.equal(attachmentProblem({ size: 2 * 1024 * 1024 + 1, type: "application/pdf" }), "tooLarge");
    assert.equal(attachmentProblem({ size: 10, type: "text/html" }), "typeNotAllowed");
    assert.equal(attachmentProblem({ size: 0, type: "text/plain" }), "empty");
  });

  it("encodes a file's bytes as base64, also past one chunk", () => {
    assert.equal(bytesToBase64(new TextEncoder().encode("seal worn")), Buffer.from("seal worn").toString("base64"));
    const big = new Uint8Array(100_000).map((_, index) => index % 251);
    assert.equal(bytesToBase64(big), Buffer.from(big).toString("base64"));
  });

  it("builds a calendar plan and a meter plan, tasks one per line", () => {
    assert.deepEqual(planCreateBody({ ...EMPTY_PLAN_FORM, equipmentId: ESP, name: " Monthly check ", intervalDays: 30, tasks: "Look\n\n  Listen \n" }), {
      body: { equipmentId: ESP, kind: "calendar", name: "Monthly check", intervalDays: 30, tasks: ["Look", "Listen"] },
    });
    assert.deepEqual(planCreateBody({ ...EMPTY_PLAN_FORM, equipmentId: ESP, name: "Hours", kind: "meter", meter: "run_hours", tagPath: "SITE1/WELL-101/RUNNING", intervalAmount: 2000 }), {
      body: { equipmentId: ESP, kind: "meter", meter: "run_hours", name: "Hours", intervalAmount: 2000, tagPath: "SITE1/WELL-101/RUNNING", tasks: [] },
    });
    // A hand-read meter has no tag.
    assert.deepEqual(planCreateBody({ ...EMPTY_PLAN_FORM, equipmentId: ESP, name: "Counter", kind: "meter", meter: "manual", tagPath: "ignored", intervalAmount: 500 }), {
      body: { equipmentId: ESP, kind: "meter", meter: "manual", name: "Counter", intervalAmount: 500, tasks: [] },
    });
  });

  it("names what a plan is missing", () => {
    assert.deepEqual(planCreateBody(EMPTY_PLAN_FORM), { errors: { equipmentId: "required", name: "required", intervalDays: "required" } });
    assert.deepEqual(planCreateBody({ ...EMPTY_PLAN_FORM, equipmentId: ESP, name: "x", kind: "meter", meter: "starts", intervalAmount: 0 }), { errors: { intervalAmount: "notPositive", tagPath: "required" } });
  });

  it("edits a plan with its row version, keeping its kind and meter whatever the form says", () => {
    const form = { ...planToForm(PLAN), kind: "calendar" as const, intervalAmount: 2500 };
    assert.deepEqual(planUpdateBody(PLAN, form), {
      body: { rowVersion: 3, name: "ESP run hours", intervalAmount: 2500, tagPath: "SITE1/WELL-101/RUNNING", tasks: ["Megger the motor", "Check seals"] },
    });
    assert.equal(planToForm(PLAN).tasks, "Megger the motor\nCheck seals");
  });

  it("offers the active codes of a kind in the user's language, and keeps an order's value from outside the catalogue", () => {
    assert.deepEqual(failureCodeOptions(CATALOGUE, "problem", null, "es-ES", "fuera del catálogo"), [{ value: "VIB", label: "VIB — Vibración" }]);
    assert.deepEqual(failureCodeOptions(CATALOGUE, "problem", "SEAL-LEAK", "en", "not in the catalogue"), [
      { value: "VIB", label: "VIB — Vibration" },
      { value: "SEAL-LEAK", label: "SEAL-LEAK (not in the catalogue)" },
    ]);
    assert.equal(failureCodeOptions(CATALOGUE, "problem", "OLD", "en", "not in the catalogue").at(-1)?.label, "OLD (not in the catalogue)");
    assert.equal(failureCodeText(CATALOGUE, "cause", "WEAR", "es"), "WEAR — Desgaste");
    assert.equal(failureCodeText(CATALOGUE, "cause", "SAND", "es"), "SAND");
    assert.equal(failureCodeText(CATALOGUE, "remedy", null, "es"), "—");
  });
});
