import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import http from "node:http";
import express from "express";
import type { Database } from "../../../../runtime/db/database.js";
import { DatabaseUnavailableError } from "../../../../runtime/db/database-errors.js";
import { CORE_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { errorHandler } from "../../../../runtime/http/errors.js";
import { requestDeadline } from "../../../../runtime/http/request-deadline.js";
import { idempotency } from "../../../../runtime/idempotency/idempotency.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const USER_ID = "0190c0de-0000-7000-8000-000000000001";
const DEADLINE_MS = 1_500;
const IDEMPOTENCY_MIGRATIONS = path.resolve(__dirname, "..", "..", "..", "..", "runtime", "idempotency", "migrations");

/**
 * The Idempotency-Key middleware in a small app of its own, on a real
 * database: a "notes" service that writes in its own transactions, as the
 * site's services do, behind the site's deadline and error handler.
 */
function notesApp(db: Database): { app: express.Express; behaviour: { failAfterWrite: boolean; stallMs: number } } {
  const behaviour = { failAfterWrite: false, stallMs: 0 };
  const app = express();
  app.use(express.json());
  app.use(requestDeadline(DEADLINE_MS));
  app.use((_req, res, next) => {
    res.locals.principal = { user: { id: USER_ID, username: "ida", role: "operator", disabled: false, createdAt: "" }, via: "api-token" };
    next();
  });
  app.use(
    idempotency({
      db,
      logger: createLogger("silent"),
      outsideUnitOfWork: (req) => req.path === "/deploys",
    }),
  );
  const createNote = async (text: string) =>
    db.transaction(async (tx) => {
      const inserted = await tx.query<{ id: number }>("INSERT INTO notes (text) VALUES ($1) RETURNING id", [text]);
      await tx.query("INSERT INTO note_audit (note_id) VALUES ($1)", [inserted.rows[0]?.id ?? null]);
      return inserted.rows[0]?.id;
    });
  app.post("/notes", async (req, res) => {
    const id = await createNote(String((req.body as { text?: unknown }).text));
    if (behaviour.stallMs) await new Promise((resolve) => setTimeout(resolve, behaviour.stallMs));
    if (behaviour.failAfterWrite) throw new Error("the handler failed after its write");
    res.status(201).json({ id });
  });
  app.post("/notes-while-database-away", async () => {
    await createNote("written before the database went away");
    throw new DatabaseUnavailableError("the database is unavailable: Connection terminated unexpectedly");
  });
  // Stands for a flow deploy: its own transaction, which on PGlite could never run beside a unit of work.
  app.post("/deploys", async (req, res) => {
    const id = await createNote(`deploy ${String((req.body as { text?: unknown }).text)}`);
    res.status(200).json({ id });
  });
  app.use(errorHandler(createLogger("silent")));
  return { app, behaviour };
}

for (const target of databaseTargets) {
  describe(`Idempotency-Key middleware: claim, write and answer in one commit (${target.name})`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let server: http.Server | undefined;
    let baseUrl = "";
    let behaviour: { failAfterWrite: boolean; stallMs: number } = { failAfterWrite: false, stallMs: 0 };

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      await migrate(database.db, CORE_MIGRATIONS);
      await database.db.exec(`
        CREATE TABLE notes (id serial PRIMARY KEY, text text NOT NULL);
        CREATE TABLE note_audit (note_id integer NOT NULL);
      `);
      const built = notesApp(database.db);
      behaviour = built.behaviour;
      server = http.createServer(built.app);
      await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await database?.drop();
    });

    beforeEach(async () => {
      behaviour.failAfterWrite = false;
      behaviour.stallMs = 0;
      await db().exec("DELETE FROM notes; DELETE FROM note_audit; DELETE FROM idempotency_keys;");
    });

    const db = (): Database => {
      assert.ok(database);
      return database.db;
    };

    const post = async (pathname: string, key: string, text: string) => {
      const response = await fetch(baseUrl + pathname, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify({ text }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
    };

    const counts = async () => {
      const result = await db().query<{ notes: number; audits: number; keys: number }>(
        "SELECT (SELECT count(*) FROM notes)::int AS notes, (SELECT count(*) FROM note_audit)::int AS audits, (SELECT count(*) FROM idempotency_keys)::int AS keys",
      );
      return result.rows[0];
    };

    it("runs once and replays the stored answer", async () => {
      const first = await post("/notes", "k-1", "gauge");
      assert.equal(first.status, 201);
      const replay = await post("/notes", "k-1", "gauge");
      assert.equal(replay.status, 201);
      assert.equal(replay.headers.get("idempotency-replayed"), "true");
      assert.deepEqual(replay.body, first.body);
      assert.deepEqual(await counts(), { notes: 1, audits: 1, keys: 1 });
    });

    it("the same key and body with another query string is refused as a reused key, not replayed", async () => {
      const first = await post("/notes?unit=bbl", "k-query", "gauge");
      assert.equal(first.status, 201);
      const other = await post("/notes?unit=m3", "k-query", "gauge");
      assert.equal(other.status, 422);
      assert.equal((other.body.error as { code: string }).code, "idempotency_key_reused");
      assert.deepEqual(await counts(), { notes: 1, audits: 1, keys: 1 });
    });

    it("a 5xx after the write keeps nothing: not the write, not the key; the retry performs it once", async () => {
      behaviour.failAfterWrite = true;
      const failed = await post("/notes", "k-2", "gauge");
      assert.equal(failed.status, 500);
      assert.deepEqual(await counts(), { notes: 0, audits: 0, keys: 0 });
      behaviour.failAfterWrite = false;
      const retry = await post("/notes", "k-2", "gauge");
      assert.equal(retry.status, 201);
      assert.equal(retry.headers.get("idempotency-replayed"), null);
      assert.deepEqual(await counts(), { notes: 1, audits: 1, keys: 1 });
    });

    it("the database going away mid-request: 503 database_unavailable with Retry-After, the writes before it rolled back", async () => {
      const response = await fetch(baseUrl + "/notes-while-database-away", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "k-3" },
        body: "{}",
      });
      assert.equal(response.status, 503);
      assert.ok(response.headers.get("retry-after"));
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, "database_unavailable");
      assert.deepEqual(await counts(), { notes: 0, audits: 0, keys: 0 });
    });

    it("a request past its deadline: 503 request_timeout, its write rolled back, and the retry performs it once", async () => {
      behaviour.stallMs = DEADLINE_MS + 500;
      const started = Date.now();
      const late = await post("/notes", "k-4", "gauge");
      assert.equal(late.status, 503);
      assert.equal((late.body.error as { code: string }).code, "request_timeout");
      assert.ok(Date.now() - started < DEADLINE_MS + 1_000, "answered at the deadline, not when the handler gave up");
      // Let the abandoned handler finish: its late answer must change nothing.
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.deepEqual(await counts(), { notes: 0, audits: 0, keys: 0 });
      behaviour.stallMs = 0;
      const retry = await post("/notes", "k-4", "gauge");
      assert.equal(retry.status, 201);
      assert.deepEqual(await counts(), { notes: 1, audits: 1, keys: 1 });
    });

    it("the same key sent 5 times at once: one write, and every answer is that write's (no 409)", async () => {
      const answers = await Promise.all(Array.from({ length: 5 }, () => post("/notes", "k-5", "gauge")));
      assert.deepEqual(
        answers.map((answer) => answer.status),
        [201, 201, 201, 201, 201],
      );
      assert.equal(new Set(answers.map((answer) => JSON.stringify(answer.body))).size, 1);
      assert.equal(answers.filter((answer) => answer.headers.get("idempotency-replayed") === "true").length, 4);
      assert.deepEqual(await counts(), { notes: 1, audits: 1, keys: 1 });
    });

    it("a claim an older version left unfinished (no status) is taken over, not a 409 for 24 h; migration 0002 forgets such claims", async () => {
      const insertStuck = (key: string) =>
        db().query("INSERT INTO idempotency_keys (user_id, key, request_hash, method, path) VALUES ($1, $2, 'old', 'POST', '/notes')", [
          USER_ID,
          key,
        ]);
      await insertStuck("k-6");
      const retry = await post("/notes", "k-6", "gauge");
      assert.equal(retry.status, 201);
      assert.equal((await post("/notes", "k-6", "gauge")).headers.get("idempotency-replayed"), "true");
      assert.deepEqual(await counts(), { notes: 1, audits: 1, keys: 1 });

      await insertStuck("k-7");
      await db().exec(fs.readFileSync(path.join(IDEMPOTENCY_MIGRATIONS, "0002_forget_unfinished_claims.sql"), "utf8"));
      const keys = await db().query<{ key: string }>("SELECT key FROM idempotency_keys ORDER BY key");
      assert.deepEqual(
        keys.rows.map((row) => row.key),
        ["k-6"],
      );
    });

    it("a request that cannot run in one transaction (a deploy) runs on its own and its answer is replayed", async () => {
      const first = await post("/deploys", "k-8", "flows");
      assert.equal(first.status, 200);
      const replay = await post("/deploys", "k-8", "flows");
      assert.equal(replay.headers.get("idempotency-replayed"), "true");
      assert.deepEqual(replay.body, first.body);
      const other = await post("/deploys", "k-8", "other flows");
      assert.equal(other.status, 422);
      assert.deepEqual(await counts(), { notes: 1, audits: 1, keys: 1 });
    });
  });
}
