import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { ERP_QUERIES, catalogueForEditor, queryNamed } from "../../../../../nodes/erp/erp-query/erp-query-catalogue.js";
import { resolveQuery } from "../../../../../nodes/erp/erp-query/erp-query-params.js";
import type { ErpReads } from "../../../../../nodes/shared/petroflow-services.js";

const NODE_DIR = path.resolve(__dirname, "../../../../../nodes/erp/erp-query");

function localeQueries(language: string): Record<string, string> {
  const file = path.join(NODE_DIR, "locales", language, "erp-query.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { "erp-query": { queries: Record<string, string> } })["erp-query"].queries;
}

/** A schema the editor renders as one text field or one select: a JSON scalar, or a union of string constants. */
function isScalar(schema: Record<string, unknown>): boolean {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Record<string, unknown>[]).every((branch) => typeof branch.const === "string");
  return ["string", "number", "integer", "boolean"].includes(String(schema.type));
}

describe("erp-query catalogue", () => {
  it("names each query <module>.<query>, once, with at least the modules the brief asks for", () => {
    const names = ERP_QUERIES.map((query) => query.name);
    assert.equal(new Set(names).size, names.length, "a query name is used twice");
    for (const query of ERP_QUERIES) assert.match(query.name, new RegExp(`^${query.module}\\.[a-z]+(-[a-z]+)*$`), query.name);
    const modules = new Set(ERP_QUERIES.map((query) => query.module));
    for (const module of ["assets", "production", "inventory", "maintenance", "reservoir", "optimization"]) assert.ok(modules.has(module as keyof ErpReads), `no ${module} query`);
    for (const name of ["assets.list", "assets.well", "production.daily-volumes", "production.allocation-results", "inventory.availability", "inventory.below-reorder-point", "maintenance.open-work-orders", "maintenance.work-order", "maintenance.plans-due"]) {
      assert.ok(queryNamed(name), `${name} is missing`);
    }
  });

  it("every params and result schema is a valid JSON schema; params are flat scalars and refuse unknown names", () => {
    const ajv = new Ajv({ strict: false });
    for (const query of ERP_QUERIES) {
      assert.equal(ajv.validateSchema(query.params), true, `${query.name} params: ${ajv.errorsText()}`);
      assert.equal(ajv.validateSchema(query.result), true, `${query.name} result: ${ajv.errorsText()}`);
      assert.equal(query.params.type, "object", query.name);
      assert.equal(query.params.additionalProperties, false, `${query.name} would accept unknown params`);
      for (const [name, schema] of Object.entries(query.params.properties)) assert.ok(isScalar(schema), `${query.name}.${name} is not a scalar the editor can show`);
    }
  });

  it("every query has a label in English and Spanish, and the locales name no query that is not in the catalogue", () => {
    const names = ERP_QUERIES.map((query) => query.name).sort();
    for (const language of ["en-US", "es-ES"]) assert.deepEqual(Object.keys(localeQueries(language)).sort(), names, language);
    const english = localeQueries("en-US");
    const spanish = localeQueries("es-ES");
    for (const name of names) assert.notEqual(spanish[name], english[name], `${name} is not translated`);
  });

  it("the editor's catalogue is plain JSON with each query's params and result", () => {
    const editor = JSON.parse(JSON.stringify(catalogueForEditor())) as { name: string; params: { properties: Record<string, unknown> } }[];
    assert.equal(editor.length, ERP_QUERIES.length);
    const availability = editor.find((query) => query.name === "inventory.availability");
    assert.deepEqual(Object.keys(availability?.params.properties ?? {}), ["itemId", "locationId"]);
  });
});

const ITEM = "0190a1b2-0000-7000-8000-000000000001";
const STORE = "0190a1b2-0000-7000-8000-000000000002";
const WELL = "0190a1b2-0000-7000-8000-000000000003";

function errorOf(resolved: ReturnType<typeof resolveQuery>): { message: string; field?: string; reason?: string } {
  assert.ok("error" in resolved, "expected a refusal");
  return { message: resolved.error.message, field: resolved.error.details?.field, reason: resolved.error.details?.reason };
}

function paramsOf(resolved: ReturnType<typeof resolveQuery>): Record<string, unknown> {
  assert.ok("value" in resolved, "error" in resolved ? resolved.error.message : "");
  return resolved.value.params;
}

describe("erp-query parameters", () => {
  it("refuses an unknown query, naming the catalogue", () => {
    const refused = errorOf(resolveQuery({ query: "inventory.drop-table" }, {}));
    assert.equal(refused.field, "query");
    assert.equal(refused.reason, "not_one_of");
    assert.match(refused.message, /^query "inventory.drop-table" is not in the erp-query catalogue \(assets\.list, /);
    assert.equal(errorOf(resolveQuery({ query: "" }, {})).field, "query");
  });

  it("joins the node's params and msg.payload; the same value in both is accepted", () => {
    assert.deepEqual(paramsOf(resolveQuery({ query: "inventory.availability", params: { itemId: ITEM } }, { locationId: STORE })), { itemId: ITEM, locationId: STORE });
    assert.deepEqual(paramsOf(resolveQuery({ query: "inventory.availability", params: { itemId: ITEM } }, { itemId: ITEM })), { itemId: ITEM });
    assert.deepEqual(paramsOf(resolveQuery({ query: "inventory.availability", params: { itemId: ITEM, locationId: "" } }, 1_765_000_000_000)), { itemId: ITEM });
  });

  it("refuses a msg.payload value that differs from the node's: neither silently wins", () => {
    const refused = errorOf(resolveQuery({ query: "inventory.availability", params: { itemId: ITEM } }, { itemId: STORE }));
    assert.equal(refused.field, "msg.payload.itemId");
    assert.equal(refused.message, `msg.payload.itemId ("${STORE}") differs from the node's itemId ("${ITEM}")`);
  });

  it("parses the node's text by the schema, but never coerces msg.payload", () => {
    assert.equal(paramsOf(resolveQuery({ query: "maintenance.work-orders", params: { limit: "5" } }, undefined)).limit, 5);
    const text = errorOf(resolveQuery({ query: "maintenance.work-orders" }, { limit: "5" }));
    assert.deepEqual([text.field, text.reason], ["msg.payload.limit", "wrong_type"]);
    const badConfig = errorOf(resolveQuery({ query: "maintenance.work-orders", params: { limit: "five" } }, undefined));
    assert.deepEqual([badConfig.field, badConfig.reason], ["config.params.limit", "wrong_type"]);
    const bool = errorOf(resolveQuery({ query: "inventory.on-hand" }, { includeZero: "true" }));
    assert.deepEqual([bool.field, bool.reason], ["msg.payload.includeZero", "wrong_type"]);
  });

  it("fills defaults after joining, so a default never clashes with the message", () => {
    assert.deepEqual(paramsOf(resolveQuery({ query: "maintenance.open-work-orders" }, {})), { limit: 200 });
    assert.deepEqual(paramsOf(resolveQuery({ query: "maintenance.open-work-orders" }, { limit: 3 })), { limit: 3 });
    assert.deepEqual(paramsOf(resolveQuery({ query: "assets.list", params: { kind: "well" } }, { limit: 10 })), { kind: "well", limit: 10, offset: 0 });
  });

  it("names a missing, unknown or malformed parameter", () => {
    const missing = errorOf(resolveQuery({ query: "inventory.availability" }, {}));
    assert.deepEqual([missing.field, missing.reason, missing.message], ["msg.payload.itemId", "required", "msg.payload.itemId is required"]);
    const unknown = errorOf(resolveQuery({ query: "inventory.availability" }, { itemId: ITEM, warehouse: "WH-1" }));
    assert.deepEqual([unknown.field, unknown.reason], ["msg.payload.warehouse", "not_allowed"]);
    assert.equal(errorOf(resolveQuery({ query: "inventory.availability" }, { itemId: "ITEM-1" })).reason, "not_a_uuid");
    assert.equal(errorOf(resolveQuery({ query: "assets.by-code" }, { code: "TK\u000001" })).reason, "nul_character");
    assert.equal(errorOf(resolveQuery({ query: "maintenance.work-orders" }, { limit: Number.NaN })).reason, "not_finite");
    assert.equal(errorOf(resolveQuery({ query: "maintenance.work-orders" }, { status: "open" })).field, "msg.payload.status");
    assert.equal(errorOf(resolveQuery({ query: "inventory.availability", params: { itemId: ITEM, color: "red" } }, {})).field, "config.params.color");
  });

  it("checks daily volumes' range: to not before from, at most 366 days", () => {
    const base = { wellId: WELL, fluid: "oil" };
    assert.deepEqual(paramsOf(resolveQuery({ query: "production.daily-volumes" }, { ...base, from: "2024-01-01", to: "2024-12-31" })).to, "2024-12-31");
    const backwards = errorOf(resolveQuery({ query: "production.daily-volumes" }, { ...base, from: "2026-03-02", to: "2026-03-01" }));
    assert.deepEqual([backwards.field, backwards.reason, backwards.message], ["to", "before_field", "to (2026-03-01) must not be before from (2026-03-02)"]);
    const long = errorOf(resolveQuery({ query: "production.daily-volumes" }, { ...base, from: "2024-01-01", to: "2025-01-01" }));
    assert.deepEqual([long.reason, long.message], ["period_too_long", "to: 2024-01-01..2025-01-01 covers 367 days; at most 366 per query"]);
    assert.equal(errorOf(resolveQuery({ query: "production.daily-volumes" }, { ...base, from: "2026-02-30", to: "2026-03-01" })).reason, "not_a_date");
  });
});
