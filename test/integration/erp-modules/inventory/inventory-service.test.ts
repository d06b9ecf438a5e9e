import assert from "node:assert/strict";
import type { Database, Queryable } from "../../../../runtime/db/database.js";
import type { ModuleEvent } from "../../../../runtime/events/event-bus.js";
import type { Item, ItemInput, Location } from "../../../../erp-modules/inventory/schema.js";
import { InventoryService } from "../../../../erp-modules/inventory/service.js";
import { ServiceError } from "../../../../erp-modules/shared/service-error.js";
import type { ErpContext } from "../../../../erp-modules/shared/module-context.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, countChanges, createErpHarness, isServiceError } from "../erp-fixtures.js";

const STOREKEEPER = "sam-storekeeper";
const WELL = { type: "well" as const, id: "W-101" };

for (const target of databaseTargets) {
  describe(`inventory InventoryService on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    let context: ErpContext;
    let inventory: InventoryService;
    let events: ModuleEvent[];
    let yard: Location;
    let store: Location;
    let sequence = 0;
    const db = (): Database => {
      if (!database) throw new Error("database not created");
      return database.db;
    };

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      ({ context, events } = await createErpHarness(database.db, "inventory.*"));
      inventory = new InventoryService(context);
      store = await inventory.createLocation({ code: "WH-1", name: "Main store", kind: "warehouse" }, ENGINEER);
      yard = await inventory.createLocation({ code: "YARD-PAD2", name: "Pad 2 yard", kind: "yard" }, ENGINEER);
    });

    after(async () => {
      await database?.drop();
    });

    async function newItem(fields: Partial<ItemInput> = {}): Promise<Item> {
      sequence += 1;
      return inventory.createItem({ code: `ITEM-${sequence}`, name: `Item ${sequence}`, category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD", ...fields }, ENGINEER);
    }

    /** The ledger: what entered a location minus what left it, per location. */
    async function ledgerSum(itemId: string, locationId: string): Promise<number> {
      const result = await db().query<{ total: string | null }>(
        `SELECT sum(CASE WHEN to_location_id = $2 THEN quantity ELSE -quantity END) AS total FROM stock_moves
         WHERE item_id = $1 AND (to_location_id = $2 OR from_location_id = $2)`,
        [itemId, locationId],
      );
      return Number(result.rows[0]?.total ?? 0);
    }

    it("receives stock, updating on hand and the moving-average cost, with one audit and one outbox row per move", async () => {
      const item = await newItem();
      const before = await countChanges(db(), "inventory");
      await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 10, unitCost: 5, currency: "USD", notes: "" }, STOREKEEPER);
      await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 30, unitCost: 9, currency: "USD", notes: "" }, STOREKEEPER);
      const after = await countChanges(db(), "inventory");
      assert.deepEqual(after, { audit: before.audit + 2, outbox: before.outbox + 2 });
      const stored = await inventory.getItem(item.id);
      // (10 x 5 + 30 x 9) / 40 = 320 / 40 = 8
      assert.equal(stored.averageUnitCost, 8);
      assert.equal(stored.onHandQuantity, 40);
      const issued = await inventory.issue({ itemId: item.id, fromLocationId: store.id, quantity: 4, costObject: WELL, notes: "" }, STOREKEEPER);
      assert.equal(issued.value.unitCost, 8);
      assert.equal(issued.value.value, 32);
      assert.deepEqual(issued.value.costObject, WELL);
      assert.equal(await ledgerSum(item.id, store.id), 36);
      const [balance] = await inventory.onHand({ itemId: item.id });
      assert.equal(balance?.onHandQuantity, 36);
      assert.equal(balance?.value, 288);
    });

    it("refuses a receipt in another currency than the item's valuation", async () => {
      const item = await newItem();
      await assert.rejects(inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 1, unitCost: 5, currency: "EUR", notes: "" }, STOREKEEPER), isServiceError("invalid_input", "currency"));
    });

    it("converts entered units to the base unit", async () => {
      const item = await newItem({ baseUnit: "L", category: "chemical", unitConversions: [{ unit: "drum", toBase: 208 }] });
      const move = await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 2, unit: "drum", unitCost: 1.5, currency: "USD", notes: "" }, STOREKEEPER);
      assert.equal(move.value.quantity, 416);
      assert.equal(move.value.enteredUnit, "drum");
      await assert.rejects(inventory.issue({ itemId: item.id, fromLocationId: store.id, quantity: 1, unit: "tote", costObject: WELL, notes: "" }, STOREKEEPER), isServiceError("invalid_input", "unit"));
    });

    it(`twenty concurrent issues against little stock never drive it negative; the losers get 409 naming what is available (${target.name === "pglite" ? "PGlite has one connection: the issues queue, so this checks the rule, not the race" : "a real race on separate connections"})`, async () => {
      const item = await newItem();
      await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 7, unitCost: 10, currency: "USD", notes: "" }, STOREKEEPER);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => inventory.issue({ itemId: item.id, fromLocationId: store.id, quantity: 1, costObject: WELL, notes: "" }, STOREKEEPER)),
      );
      const won = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
      const lost = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
      assert.equal(won, 7);
      assert.equal(lost.length, 13);
      for (const error of lost) {
        assert.ok(error instanceof ServiceError);
        assert.equal(error.code, "conflict");
        assert.equal(error.details?.reason, "insufficient_stock");
        assert.equal(error.details?.params?.available, 0);
        assert.match(error.message, /has only 0 ea available; 1 ea were asked for/);
      }
      const availability = await inventory.availability(item.id, store.id);
      assert.equal(availability.onHandQuantity, 0);
      assert.equal(await ledgerSum(item.id, store.id), 0);
      assert.equal((await inventory.getItem(item.id)).onHandQuantity, 0);
    });

    it("issues an item allowed to go negative at the last average cost", async () => {
      const item = await newItem({ allowNegative: true });
      await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 2, unitCost: 12.5, currency: "USD", notes: "" }, STOREKEEPER);
      const issued = await inventory.issue({ itemId: item.id, fromLocationId: store.id, quantity: 5, costObject: WELL, notes: "" }, STOREKEEPER);
      assert.equal(issued.value.unitCost, 12.5);
      assert.equal((await inventory.availability(item.id, store.id)).onHandQuantity, -3);
      // The receipt after a shortfall sets the average to its own cost.
      await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 10, unitCost: 20, currency: "USD", notes: "" }, STOREKEEPER);
      assert.equal((await inventory.getItem(item.id)).averageUnitCost, 20);
      assert.equal(await ledgerSum(item.id, store.id), 7);
    });

    it("reservations lower available, not on hand; consuming one issues to its cost object; releasing gives it back", async () => {
      const item = await newItem();
      await inventory.receive({ itemId: item.id, toLocationId: yard.id, quantity: 10, unitCost: 3, currency: "USD", notes: "" }, STOREKEEPER);
      const reservation = await inventory.reserve({ itemId: item.id, locationId: yard.id, quantity: 6, source: { type: "work_order", id: "WO-1" }, costObject: { type: "work_order", id: "WO-1" } }, STOREKEEPER);
      let availability = await inventory.availability(item.id, yard.id);
      assert.deepEqual([availability.onHandQuantity, availability.reservedQuantity, availability.availableQuantity], [10, 6, 4]);
      await assert.rejects(inventory.issue({ itemId: item.id, fromLocationId: yard.id, quantity: 5, costObject: WELL, notes: "" }, STOREKEEPER), isServiceError("conflict", "quantity"));
      const consumed = await inventory.consumeReservation(reservation.value.id, { quantity: 4, notes: "" }, STOREKEEPER);
      assert.deepEqual(consumed.value.costObject, { type: "work_order", id: "WO-1" });
      assert.equal(consumed.value.reservationId, reservation.value.id);
      availability = await inventory.availability(item.id, yard.id);
      assert.deepEqual([availability.onHandQuantity, availability.reservedQuantity, availability.availableQuantity], [6, 2, 4]);
      const released = await inventory.releaseReservation(reservation.value.id, STOREKEEPER);
      assert.equal(released.status, "released");
      availability = await inventory.availability(item.id, yard.id);
      assert.deepEqual([availability.onHandQuantity, availability.reservedQuantity, availability.availableQuantity], [6, 0, 6]);
      await assert.rejects(inventory.consumeReservation(reservation.value.id, { notes: "" }, STOREKEEPER), isServiceError("invalid_state", "reservationId"));
    });

    it("a count posts an adjustment for every difference", async () => {
      const a = await newItem();
      const b = await newItem();
      await inventory.receive({ itemId: a.id, toLocationId: yard.id, quantity: 10, unitCost: 2, currency: "USD", notes: "" }, STOREKEEPER);
      await inventory.receive({ itemId: b.id, toLocationId: yard.id, quantity: 5, unitCost: 2, currency: "USD", notes: "" }, STOREKEEPER);
      const count = await inventory.postCount({ locationId: yard.id, lines: [{ itemId: a.id, countedQuantity: 8 }, { itemId: b.id, countedQuantity: 5 }], notes: "Q4 count" }, STOREKEEPER);
      const lineA = count.value.lines.find((line) => line.itemId === a.id);
      const lineB = count.value.lines.find((line) => line.itemId === b.id);
      assert.equal(lineA?.systemQuantity, 10);
      assert.notEqual(lineA?.adjustmentMoveId, null);
      assert.equal(lineB?.adjustmentMoveId, null);
      assert.equal((await inventory.availability(a.id, yard.id)).onHandQuantity, 8);
      assert.equal(await ledgerSum(a.id, yard.id), 8);
    });

    it("lots are kept apart and serial numbers are one each, once in stock", async () => {
      const lotted = await newItem({ category: "chemical", baseUnit: "L", tracking: "lot" });
      await assert.rejects(inventory.receive({ itemId: lotted.id, toLocationId: store.id, quantity: 5, unitCost: 1, currency: "USD", notes: "" }, STOREKEEPER), isServiceError("invalid_input", "lot"));
      await inventory.receive({ itemId: lotted.id, toLocationId: store.id, lot: "L-1", quantity: 5, unitCost: 1, currency: "USD", notes: "" }, STOREKEEPER);
      await inventory.receive({ itemId: lotted.id, toLocationId: store.id, lot: "L-2", quantity: 3, unitCost: 1, currency: "USD", notes: "" }, STOREKEEPER);
      await assert.rejects(inventory.issue({ itemId: lotted.id, fromLocationId: store.id, lot: "L-2", quantity: 4, costObject: WELL, notes: "" }, STOREKEEPER), isServiceError("conflict", "quantity"));
      const serial = await newItem({ category: "spare_part", tracking: "serial" });
      await inventory.receive({ itemId: serial.id, toLocationId: store.id, lot: "SN-1", quantity: 1, unitCost: 900, currency: "USD", notes: "" }, STOREKEEPER);
      await assert.rejects(inventory.receive({ itemId: serial.id, toLocationId: store.id, lot: "SN-1", quantity: 1, unitCost: 900, currency: "USD", notes: "" }, STOREKEEPER), isServiceError("conflict", "lot"));
      await assert.rejects(inventory.receive({ itemId: serial.id, toLocationId: store.id, lot: "SN-2", quantity: 2, unitCost: 900, currency: "USD", notes: "" }, STOREKEEPER), isServiceError("invalid_input", "quantity"));
    });

    it("writes a move in two statements inside its transaction (item and balance locks; ledger, balances, item, audit and outbox), stored exactly as answered", async () => {
      // Counts what the service sends inside its transactions (BEGIN and COMMIT come on top): the figure behind the 300 moves/s benchmark.
      let statements = 0;
      const counted = (tx: Queryable): Queryable => ({
        query: (sql, params) => {
          statements += 1;
          return tx.query(sql, params);
        },
        exec: (sql) => {
          statements += 1;
          return tx.exec(sql);
        },
      });
      const inner = db();
      const countingDb: Database = {
        kind: inner.kind,
        availability: inner.availability,
        query: (sql, params) => inner.query(sql, params),
        exec: (sql) => inner.exec(sql),
        transaction: (fn) => inner.transaction((tx) => fn(counted(tx))),
        copyTransaction: (fn) => inner.copyTransaction(fn),
        close: () => inner.close(),
      };
      const counting = new InventoryService({ ...context, db: countingDb });
      // A unit that makes a base quantity no decimal literal holds exactly (3 x 0.1), and a time with an offset and microseconds.
      const item = await newItem({ baseUnit: "kg", category: "chemical", unitConversions: [{ unit: "sack", toBase: 0.1 }] });
      await counting.receive({ itemId: item.id, toLocationId: store.id, quantity: 50, unitCost: 3.7, currency: "USD", notes: "" }, STOREKEEPER);
      // The first moves read (or make) the site's virtual locations once; what is counted is a move after that.
      await counting.issue({ itemId: item.id, fromLocationId: store.id, quantity: 1, costObject: WELL, notes: "" }, STOREKEEPER);
      statements = 0;
      const issued = await counting.issue(
        { itemId: item.id, fromLocationId: store.id, quantity: 3, unit: "sack", costObject: WELL, movedAt: "2026-03-01T08:15:30.123456+02:00", notes: "bench" },
        STOREKEEPER,
      );
      assert.equal(statements, 2, "an issue of an item without reorder points: the lock statement and the write statement");
      const transferred = await counting.transfer({ itemId: item.id, fromLocationId: store.id, toLocationId: yard.id, quantity: 7, notes: "" }, STOREKEEPER);
      for (const move of [issued.value, transferred.value]) {
        const listed = await inventory.listMoves({ itemId: item.id, limit: 50, offset: 0 });
        assert.deepEqual(listed.items.find((candidate) => candidate.id === move.id), move);
        const audit = await db().query<{ after: unknown }>(`SELECT after FROM audit_log WHERE entity_id = $1`, [move.id]);
        assert.deepEqual(audit.rows.map((row) => row.after), [move]);
        const outbox = await db().query<{ payload: unknown }>(`SELECT payload FROM sync_outbox WHERE entity_id = $1`, [move.id]);
        assert.deepEqual(outbox.rows.map((row) => row.payload), [move]);
      }
      // 3 sacks of 0.1 kg, rounded to the ledger's precision (3 x 0.1 is 0.30000000000000004 in binary floating point).
      assert.equal(issued.value.quantity, 0.3);
      assert.equal(issued.value.movedAt, "2026-03-01T06:15:30.123Z");
      const balances = await inventory.onHand({ itemId: item.id });
      assert.deepEqual(
        balances.map((balance) => [balance.locationId, balance.onHandQuantity]).sort(),
        [[store.id, 41.7], [yard.id, 7]].sort(),
      );
    });

    it("a sourceKey replays the first move; a reversal restores stock once", async () => {
      const item = await newItem();
      const first = await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 4, unitCost: 2, currency: "USD", sourceKey: "gr-1", notes: "" }, STOREKEEPER);
      const again = await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 4, unitCost: 2, currency: "USD", sourceKey: "gr-1", notes: "" }, STOREKEEPER);
      assert.equal(again.replayed, true);
      assert.equal(again.value.id, first.value.id);
      const issued = await inventory.issue({ itemId: item.id, fromLocationId: store.id, quantity: 3, costObject: WELL, notes: "" }, STOREKEEPER);
      await inventory.reverse(issued.value.id, { notes: "wrong well" }, ENGINEER);
      assert.equal((await inventory.availability(item.id, store.id)).onHandQuantity, 4);
      await assert.rejects(inventory.reverse(issued.value.id, { notes: "again" }, ENGINEER), isServiceError("invalid_state", "moveId"));
      await assert.rejects(db().query("DELETE FROM stock_moves WHERE id = $1", [issued.value.id]));
    });

    it("emits inventory.stock.below_reorder_point once per crossing", async () => {
      const item = await newItem();
      await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 10, unitCost: 1, currency: "USD", notes: "" }, STOREKEEPER);
      await inventory.setReorderPoint({ itemId: item.id, locationId: store.id, reorderPointQuantity: 5, reorderQuantity: 20 }, ENGINEER);
      const crossings = () => events.filter((event) => event.type === "inventory.stock.below_reorder_point" && event.payload.itemId === item.id).length;
      await inventory.issue({ itemId: item.id, fromLocationId: store.id, quantity: 4, costObject: WELL, notes: "" }, STOREKEEPER);
      assert.equal(crossings(), 0);
      await inventory.issue({ itemId: item.id, fromLocationId: store.id, quantity: 1, costObject: WELL, notes: "" }, STOREKEEPER);
      await inventory.issue({ itemId: item.id, fromLocationId: store.id, quantity: 1, costObject: WELL, notes: "" }, STOREKEEPER);
      assert.equal(crossings(), 1);
      await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 10, unitCost: 1, currency: "USD", notes: "" }, STOREKEEPER);
      await inventory.issue({ itemId: item.id, fromLocationId: store.id, quantity: 10, costObject: WELL, notes: "" }, STOREKEEPER);
      assert.equal(crossings(), 2);
      // A point set above the stock there is a crossing at once.
      await inventory.setReorderPoint({ itemId: item.id, locationId: store.id, reorderPointQuantity: 50, reorderQuantity: 20 }, ENGINEER);
      assert.equal(crossings(), 3);
    });
  });
}
