import assert from "node:assert/strict";
import fc from "fast-check";
import type { Database } from "../../../../runtime/db/database.js";
import type { AuditDocumentation } from "../../../../runtime/http/route-registry.js";
import { newId } from "../../../../runtime/ids.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { createBattery, viaService, type Battery } from "../../erp-modules/erp-fixtures.js";

/*
 * Issue 8 §4: thousands of generated bad bodies against every mutating
 * endpoint, found in the OpenAPI document (a new route is fuzzed without
 * touching this file). It passes only if the site never answers 5xx, a 4xx
 * leaves every table as it was (row counts and newest writing transaction) (but for the audit rows the route documents
 * for that status, such as a failed login), and a 2xx writes exactly the
 * audit rows the route documents (x-petroflow-audit).
 *
 * PETROFLOW_FUZZ_RUNS (default 2000 per database) and PETROFLOW_FUZZ_SEED
 * reproduce or widen a run; the seed is printed.
 */

const RUNS = Number(process.env.PETROFLOW_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.PETROFLOW_FUZZ_SEED ?? Date.now() % 2 ** 31);

type JsonSchema = Record<string, unknown>;

interface Operation {
  method: "post" | "patch" | "put" | "delete";
  /** OpenAPI path, /api/v1/assets/{id} */
  path: string;
  params: string[];
  body: JsonSchema | null;
  audit: AuditDocumentation;
}

/** A JSON text with values the JSON of JS cannot hold (1e400) or should not build (a million brackets). */
interface RawJson {
  raw: string;
}

interface FuzzCase {
  operation: Operation;
  url: string;
  contentType: string | null;
  body: string | null;
  /** What was done to the body, for the failure message. */
  mutation: string;
}

// ---------------------------------------------------------------------------
// The bad values. Raw JSON text, so 1e400 and deep nesting reach the parser.

const deepArrays = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObjects = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

const BAD_VALUES: readonly string[] = [
  "null",
  "true",
  "false",
  '"1"',
  "1",
  "0",
  "-1",
  "1.5",
  "-0",
  "[]",
  "{}",
  '""',
  '" "',
  '"a\\u0000b"',
  '"\\u0000"',
  "1e400",
  "-1e400",
  "1e308",
  "-1e308",
  "5e-324",
  "2147483648",
  "-2147483649",
  "9007199254740993",
  "123456789012345678901234567890",
  '"9999-12-31T23:59:60Z"',
  '"2016-12-31T23:59:60Z"',
  '"0001-06-01"',
  '"0001-06-01T00:00:00Z"',
  '"2201-01-01T00:00:00Z"',
  '"2200-12-31T23:30:00-05:00"',
  '"1899-12-31"',
  '"2026-02-30"',
  '"2026-13-01T00:00:00Z"',
  '"0000-01"',
  '"2026-1-1"',
  '"\\ud800"',
  '"\\udfff\\ud800"',
  '"😀"',
  '"\\u202e\\u0000"',
  `"${"x".repeat(100_000)}"`,
  `"${"ñ".repeat(5_000)}"`,
  `"${"😀".repeat(3_000)}"`,
  deepArrays(100),
  deepArrays(50_000),
  deepObjects(70),
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '[null,"1",{}]',
  `[${Array.from({ length: 6000 }, () => "0").join(",")}]`,
  '"SITE1/../../etc"',
  '"\'; DROP TABLE assets; --"',
  '"NaN"',
  '"Infinity"',
  '"00000000-0000-0000-0000-000000000000"',
  '"ffffffff-ffff-ffff-ffff-ffffffffffff"',
];

/** Whole bodies that are wrong as a whole. */
const BAD_BODIES: readonly string[] = [
  "null",
  "[]",
  '"text"',
  "42",
  "1e400",
  '{"a":',
  "{'single':'quotes'}",
  deepArrays(200_000),
  deepObjects(5_000),
  '{"__proto__":{"isAdmin":true}}',
  "\u0000",
  "{}",
];

const BAD_PATH_SEGMENTS: readonly string[] = ["0", "-1", "1e400", "abc", "%00", "..%2F..", "null", "%F0%9F%98%80", "99999999999999999999", "ZZZZZZZZ", "00000000-0000-0000-0000-000000000000"];

// ---------------------------------------------------------------------------
// Values a schema accepts, near its edges: where a storage limit hides.

interface Pools {
  /** Ids by field name (tankId, wellId...); `*` holds every id. */
  idsByField: Record<string, string[]>;
  all: string[];
}

const PATTERN_EXAMPLES: Record<string, readonly string[]> = {
  code: ["FZ-1", "A", "Z".repeat(64), "fz.code_9"],
  path: ["SITE1/FZ/P1", "SITE1/TK-P/LEVEL", "SITE1/FZ/Ü"],
  tagPath: ["SITE1/FZ/P1", "SITE1/WELL-F1/THP"],
  role: ["level", "thp", "a".repeat(40)],
  username: ["fz-user", "a.b", "u".repeat(64)],
  month: ["2026-01", "1900-01", "2200-12"],
  thumbprint: ["deadbeef", "DEADBEEF00112233445566778899AABBCCDDEEFF"],
};

function instantChoices(): string[] {
  const now = Date.now();
  return [new Date(now - 3_600_000).toISOString(), new Date(now - 86_400_000 * 3).toISOString(), "1900-01-01T00:00:00Z", "2200-12-31T23:59:59Z", "2026-01-01T05:00:00+14:00", new Date(now + 3_600_000).toISOString()];
}

function dayChoices(): string[] {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return [day(-1), day(-2), day(-40), day(0), day(1), "1900-01-01", "2200-12-31"];
}

function types(schema: JsonSchema): string[] {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.map(String);
  if ("const" in schema) return [typeof schema.const];
  return [];
}

/** A fast-check arbitrary for values of a (typebox) JSON schema, at its edges. */
function valueOf(schema: JsonSchema, name: string, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches)) return fc.oneof(...branches.map((branch) => valueOf(branch, name, pools, depth)));
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const [type = "string", ...others] = types(schema);
  if (others.length > 0) return fc.oneof(...[type, ...others].map((one) => valueOf({ ...schema, type: one }, name, pools, depth)));
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
    case "number": {
      const min = typeof schema.minimum === "number" ? schema.minimum : typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum + 1e-9 : -1e12;
      const max = typeof schema.maximum === "number" ? schema.maximum : typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum - 1e-9 : 1e15;
      const edges = type === "integer" ? [Math.ceil(min), Math.floor(max), Math.max(Math.ceil(min), 1)] : [min, max, (min + max) / 2, Math.max(min, 1)];
      return type === "integer"
        ? fc.oneof(fc.constantFrom(...edges), fc.integer({ min: Math.max(Math.ceil(min), -(2 ** 31)), max: Math.min(Math.floor(max), 2 ** 31) }))
        : fc.oneof(fc.constantFrom(...edges), fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
    }
    case "array": {
      if (depth > 4) return fc.constant([]);
      const minLength = Number(schema.minItems ?? 0);
      const maxLength = Math.min(Number(schema.maxItems ?? 4), minLength + 4);
      return fc.array(valueOf((schema.items ?? {}) as JsonSchema, name, pools, depth + 1), { minLength, maxLength });
    }
    case "object": {
      if (depth > 4) return fc.constant({});
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties)) record[key] = valueOf(property, key, pools, depth + 1);
      return fc.record(record, { requiredKeys: required });
    }
    default: {
      const format = schema.format;
      if (format === "uuid") return fc.constantFrom(...(pools.idsByField[name] ?? pools.all), newId());
      if (format === "date-time") return fc.constantFrom(...instantChoices());
      if (format === "date") return fc.constantFrom(...dayChoices());
      const examples = PATTERN_EXAMPLES[name];
      if (typeof schema.pattern === "string" && examples) return fc.constantFrom(...examples);
      const minLength = Number(schema.minLength ?? 0);
      const maxLength = Number(schema.maxLength ?? 300);
      return fc.oneof(
        fc.string({ minLength, maxLength: Math.max(minLength, Math.min(maxLength, 20)) }),
        fc.constantFrom("ñ".repeat(Math.max(minLength, maxLength)), "😀".repeat(Math.max(minLength, Math.min(maxLength, 1000)))),
      );
    }
  }
}

// ---------------------------------------------------------------------------
// Mutations: one or two bad things done to a body the schema would take.

const MARK = "\u0001RAW";

/** JSON text of value, with RawJson leaves written as they are. */
function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (item !== null && typeof item === "object" && "raw" in item && typeof (item as RawJson).raw === "string" && Object.keys(item).length === 1) {
      raws.push((item as RawJson).raw);
      return `${MARK}${raws.length - 1}`;
    }
    return item;
  });
  return text.replace(/"\\u0001RAW(\d+)"/g, (_match, index: string) => raws[Number(index)] ?? "null");
}

/** Every path to a value in a body: [] is the body itself. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
  else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  return paths;
}

type Mutation = { kind: "replace"; pick: number; raw: string } | { kind: "delete"; pick: number } | { kind: "add"; pick: number; key: string; raw: string } | { kind: "whole"; raw: string };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("replace" as const), pick: fc.nat(), raw: fc.constantFrom(...BAD_VALUES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      pick: fc.nat(),
      key: fc.constantFrom("unknown", "__proto__", "constructor", "a\u0000b", "", "rowVersion", "id", "siteId", "createdBy"),
      raw: fc.constantFrom(...BAD_VALUES),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("whole" as const), raw: fc.constantFrom(...BAD_BODIES) }) },
);

/** Applies mutations to a copy of body; answers the JSON text and what was done. */
function mutate(body: unknown, mutations: readonly Mutation[]): { text: string; description: string } {
  let current: unknown = structuredClone(body);
  const done: string[] = [];
  for (const mutation of mutations) {
    if (mutation.kind === "whole") {
      done.push(`whole body ${mutation.raw.slice(0, 40)}`);
      return { text: mutation.raw, description: done.join("; ") };
    }
    const containers = pathsOf(current).filter((path) => {
      const target = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], current);
      return mutation.kind === "replace" ? path.length > 0 : target !== null && typeof target === "object" && !Array.isArray(target);
    });
    if (containers.length === 0) {
      current = { raw: mutation.kind === "delete" ? "{}" : "raw" in mutation ? mutation.raw : "null" } satisfies RawJson;
      done.push(`body replaced`);
      continue;
    }
    const path = containers[mutation.pick % containers.length] ?? [];
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], current) as Record<string | number, unknown>;
    const target = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], current) as Record<string, unknown>;
    const last = path[path.length - 1];
    if (mutation.kind === "replace" && last !== undefined) {
      parent[last] = { raw: mutation.raw } satisfies RawJson;
      done.push(`${path.join(".")} = ${mutation.raw.slice(0, 40)}`);
    } else if (mutation.kind === "delete") {
      const keys = Object.keys(target);
      const key = keys[mutation.pick % Math.max(1, keys.length)];
      if (key !== undefined) delete target[key];
      done.push(`delete ${[...path, key ?? "(none)"].join(".")}`);
    } else if (mutation.kind === "add") {
      Object.defineProperty(target, mutation.key, { value: { raw: mutation.raw } satisfies RawJson, enumerable: true, writable: true, configurable: true });
      done.push(`add ${[...path, mutation.key].join(".")} = ${mutation.raw.slice(0, 40)}`);
    }
  }
  return { text: jsonText(current), description: done.join("; ") };
}

/** CSV for the tag import: a header and rows whose cells are bad text. */
const csvArbitrary: fc.Arbitrary<{ text: string; description: string }> = fc
  .array(
    fc.record({
      path: fc.constantFrom("SITE1/FZ/P1", "SITE1/FZ/P2", "bad path", "SITE1/FZ/\u0000", ""),
      dataType: fc.constantFrom("float", "int", "bool", "string", "double", ""),
      deadband: fc.constantFrom("", "0", "1.5", "1e400", "-1", "abc", "9".repeat(400), "\u0000"),
      description: fc.constantFrom("", "x".repeat(600), "a\u0000b", "ñ".repeat(500), '"quoted, with comma"'),
      rawMin: fc.constantFrom("", "0", "1e400", "x"),
      readRole: fc.constantFrom("", "viewer", "root", "admin"),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((rows) => {
    const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
    const lines = ["path,dataType,deadband,description,rawMin,readRole", ...rows.map((row) => [row.path, row.dataType, row.deadband, row.description, row.rawMin, row.readRole].map(quote).join(","))];
    return { text: lines.join("\n"), description: `CSV ${JSON.stringify(rows).slice(0, 200)}` };
  });

// ---------------------------------------------------------------------------
// The database before and after each request.

/**
 * Per table, its row count and the newest transaction that wrote a row it
 * still has (max xmin): an insert or update raises it, a delete lowers the
 * count, a rolled-back write changes neither. Cheap enough for every request.
 */
interface Snapshot {
  tables: Map<string, string>;
  /** The audit log's newest writing transaction: rows above it are new. */
  auditXmin: number;
}

const XMIN = "coalesce(max(t.xmin::text::bigint), 0)";

/** One round trip: every table's count and max xmin, the audit log's max xmin as its own row. */
async function snapshot(db: Database, tableNames: readonly string[]): Promise<Snapshot> {
  const parts = tableNames.map((table) => `SELECT '${table}' AS name, count(*)::text || ':' || ${XMIN}::text AS sum FROM ${table} t`);
  parts.push(`SELECT '' AS name, ${XMIN}::text AS sum FROM audit_log t`);
  const result = await db.query<{ name: string; sum: string }>(parts.join(" UNION ALL "));
  const tables = new Map(result.rows.filter((row) => row.name !== "").map((row) => [row.name, row.sum]));
  return { tables, auditXmin: Number(result.rows.find((row) => row.name === "")?.sum ?? 0) };
}

async function newAuditActions(db: Database, before: Snapshot, after: Snapshot): Promise<string[]> {
  if (after.auditXmin === before.auditXmin) return [];
  const audit = await db.query<{ action: string }>("SELECT action FROM audit_log t WHERE t.xmin::text::bigint > $1", [before.auditXmin]);
  return audit.rows.map((row) => row.action).sort();
}

function changedTables(before: Snapshot, after: Snapshot): string[] {
  return [...after.tables.keys()].filter((name) => after.tables.get(name) !== before.tables.get(name));
}

// ---------------------------------------------------------------------------

for (const target of databaseTargets) {
  describe(`fuzzed bodies on every mutating endpoint (${target.name})`, function () {
    this.timeout(600_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite;
    let admin: InProcessSession;
    const operations: Operation[] = [];
    let pools: Pools;
    let tables: string[] = [];

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db);
      admin = await site.session("admin");
      const operator = await site.session("operator");
      const battery: Battery = await createBattery(viaService(site.erp.assets, "fuzz"), {
        field: "FIELD-FZ",
        site: "BAT-FZ",
        wells: { "WELL-F1": "esp", "WELL-F2": "gas_lift" },
        tank: "TK-FZ",
      });
      // Entries to void, close and decide, so those routes get past "not found".
      const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
      const entries = site.erp.production.entries;
      const gauge = await entries.recordTankGauge({ tankId: battery.tankId, gaugedAt: hoursAgo(2), levelM: 1 }, "fuzz");
      const downtime = await entries.recordDowntime({ wellId: battery.wells[0]?.id ?? "", startedAt: hoursAgo(5), reasonCode: "esp_trip" }, "fuzz");
      const test = await entries.proposeWellTest(
        { wellId: battery.wells[1]?.id ?? "", startedAt: hoursAgo(30), durationHours: 24, oilRateM3PerDay: 10, gasRateSm3PerDay: 1000, waterRateM3PerDay: 5 },
        "fuzz",
      );
      const tag = await site.tagRegistry.create({ path: "SITE1/WELL-F1/THP", dataType: "float" }, "fuzz");
      const operatorUser = await site.auth.findUserByName(operator.username);
      const token = await site.auth.createApiToken(operatorUser?.id ?? "", "fuzz", "fuzz");
      const assetIds = [battery.siteId, battery.tankId, ...battery.wells.map((well) => well.id), ...Object.values(battery.meterIds)];
      const entryIds = [gauge.id, downtime.id, test.id];
      pools = {
        idsByField: {
          tankId: [battery.tankId],
          meterId: Object.values(battery.meterIds),
          wellId: battery.wells.map((well) => well.id),
          siteAssetId: [battery.siteId],
          parentId: assetIds,
          runId: [newId()],
        },
        // The admin's own id is left out: a fuzzed password change would end the test's own session.
        all: [...assetIds, ...entryIds, tag.id, operatorUser?.id ?? "", token.id],
      };

      const document = await site.openApi();
      const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
      for (const [path, methods] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          if (!["post", "patch", "put", "delete"].includes(method)) continue;
          const content = (operation.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)?.content;
          operations.push({
            method: method as Operation["method"],
            path,
            params: ((operation.parameters ?? []) as { name: string; in: string }[]).filter((parameter) => parameter.in === "path").map((parameter) => parameter.name),
            body: content?.["application/json"]?.schema ?? null,
            audit: operation["x-petroflow-audit"] as AuditDocumentation,
          });
        }
      }
      const listed = await database.db.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'audit_log' ORDER BY tablename");
      tables = listed.rows.map((row) => row.tablename);
    });

    after(async () => {
      await site?.close();
      await database?.drop();
    });

    it("finds every mutating endpoint in the OpenAPI document, each with its audit rows documented", () => {
      const names = operations.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`);
      for (const expected of ["POST /api/v1/production/tank-gauges", "PATCH /api/v1/assets/{id}", "POST /api/v1/flows/import", "POST /api/v1/tags/import", "DELETE /api/v1/tags/{id}", "POST /api/v1/auth/login"]) {
        assert.ok(names.includes(expected), `${expected} in ${names.join(", ")}`);
      }
      for (const operation of operations) assert.ok(operation.audit && Array.isArray(operation.audit.actions), `${operation.path} documents its audit rows`);
    });

    it(`answers ${RUNS} generated bad bodies with 4xx that change nothing, or 2xx with exactly the documented audit rows (seed ${SEED})`, async function () {
      process.stdout.write(`      fuzz seed ${SEED} (PETROFLOW_FUZZ_SEED=${SEED} repeats this run)\n`);
      const tally = new Map<string, Map<number, number>>();
      const pathValue = (name: string) =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...(name === "entryType" ? ["tank_gauge", "meter_reading", "run_ticket", "downtime_event"] : name === "number" ? ["1", "2", "3"] : name === "thumbprint" ? PATTERN_EXAMPLES.thumbprint ?? [] : pools.all)) },
          { weight: 1, arbitrary: fc.constantFrom(...BAD_PATH_SEGMENTS) },
        );
      const caseArbitrary: fc.Arbitrary<FuzzCase> = fc.constantFrom(...operations).chain((operation) =>
        fc
          .record({
            params: fc.tuple(...operation.params.map(pathValue), fc.constant("")),
            body:
              operation.path === "/api/v1/tags/import"
                ? csvArbitrary
                : fc
                    .tuple(operation.body ? valueOf(operation.body, "body", pools) : fc.constant({}), fc.array(mutationArbitrary, { minLength: 1, maxLength: 2 }))
                    .map(([body, mutations]) => mutate(body, mutations)),
            contentType: fc.oneof(
              { weight: 12, arbitrary: fc.constant(operation.path === "/api/v1/tags/import" ? "text/csv" : "application/json") },
              { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1") },
            ),
          })
          .map(({ params, body, contentType }) => {
            let url = operation.path;
            operation.params.forEach((name, index) => (url = url.replace(`{${name}}`, params[index] ?? "")));
            // A route that takes no body gets one anyway: "{}" is not a bad body (and would log the test out).
            const text = operation.body === null && /^\s*(\{\s*\})?\s*$/.test(body.text) ? '{"unexpected":true}' : body.text;
            return { operation, url, contentType, body: text, mutation: body.description };
          }),
      );

      let before = await snapshot(site.db, tables);
      await fc.assert(
        fc.asyncProperty(caseArbitrary, async (fuzz) => {
          let request = admin.send(fuzz.operation.method, fuzz.url);
          if (fuzz.contentType) request = request.set("Content-Type", fuzz.contentType);
          const response = await (fuzz.body === null ? request : request.send(fuzz.body));
          const label = `${fuzz.operation.method.toUpperCase()} ${fuzz.url} [${fuzz.mutation}] -> ${response.status} ${response.text.slice(0, 300)}`;
          const key = `${fuzz.operation.method.toUpperCase()} ${fuzz.operation.path}`;
          const counts = tally.get(key) ?? new Map<number, number>();
          counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
          tally.set(key, counts);
          assert.ok(response.status < 500, `a 5xx: ${label}`);
          // The test's own session must survive every body, or the rest of the run would test nothing but 401s.
          if (fuzz.operation.path !== "/api/v1/auth/login") assert.notEqual(response.status, 401, `the session ended: ${label}`);
          const after = await snapshot(site.db, tables);
          const actions = await newAuditActions(site.db, before, after);
          const documented = fuzz.operation.audit.rows[response.status] ?? 0;
          if (response.status >= 400) {
            assert.deepEqual(changedTables(before, after), [], `a ${response.status} changed tables: ${label}`);
          }
          if (documented !== "any") assert.equal(actions.length, documented, `audit rows ${JSON.stringify(actions)}, documented ${documented}: ${label}`);
          for (const action of actions) assert.ok(fuzz.operation.audit.actions.includes(action), `undocumented audit action ${action}: ${label}`);
          before = after;
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      const summary = [...tally.entries()].map(([path, counts]) => `${path} ${JSON.stringify(Object.fromEntries(counts))}`).join("\n        ");
      process.stdout.write(`      answers by endpoint:\n        ${summary}\n`);
      for (const operation of operations) {
        const total = [...(tally.get(`${operation.method.toUpperCase()} ${operation.path}`)?.values() ?? [])].reduce((sum, count) => sum + count, 0);
        assert.ok(total >= Math.min(10, RUNS / operations.length / 3), `${operation.method} ${operation.path} got only ${total} bodies`);
      }
    });
  });
}
