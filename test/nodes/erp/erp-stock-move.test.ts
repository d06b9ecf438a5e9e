import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import type { Item, Location, StockMove } from "../../../erp-modules/inventory/schema.js";
import { InventoryService } from "../../../erp-modules/inventory/service.js";
import erpStockMoveNode from "../../../nodes/erp/erp-stock-move/erp-stock-move.js";
import { stockMoveInput } from "../../../nodes/erp/shared/stock-move-input.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { databaseTargets, type TestDatabase } from "../../helpers/databases.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { ENGINEER, createErpHarness } from "../../integration/erp-modules/erp-fixtures.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).on("input", resolve));

describe("erp-stock-move", function () {
  this.timeout(20_000);
  let database: TestDatabase;
  let inventory: InventoryService;
  let item: Item;
  let store: Location;

  before(async () => {
    const pglite = databaseTargets.find((target) => target.name === "pglite");
    if (!pglite) throw new Error("no PGlite target");
    database = await pglite.create();
    const { context } = await createErpHarness(database.db, "inventory.*");
    inventory = new InventoryService(context);
    store = await inventory.createLocation({ code: "WH-1", name: "Store", kind: "warehouse" }, ENGINEER);
    item = await inventory.createItem({ code: "CHEM-1", name: "Scale inhibitor", category: "chemical", baseUnit: "L", unitConversions: [{ unit: "drum", toBase: 208 }], tracking: "none", owner: "site", currency: "USD" }, ENGINEER);
  });

  after(async () => {
    await database.db.close();
  });

  beforeEach(() => {
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore(), inventory }) });
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  const flow = () => [
    { id: "tab-stock", type: "tab" },
    { id: "move-in", type: "erp-stock-move", z: "tab-stock", moveType: "receipt", itemId: item.id, fromLocationId: "", toLocationId: store.id, wires: [["helper-out"]] },
    { id: "move-out", type: "erp-stock-move", z: "tab-stock", moveType: "issue", itemId: item.id, fromLocationId: store.id, toLocationId: "", wires: [["helper-out"]] },
    { id: "catch-stock", type: "catch", z: "tab-stock", scope: null, uncaught: false, wires: [["helper-caught"]] },
    { id: "helper-out", type: "helper", z: "tab-stock" },
    { id: "helper-caught", type: "helper", z: "tab-stock" },
  ];

  it("receives and issues through the inventory port; a redelivered message moves stock once", async () => {
    await helper.load([erpStockMoveNode], flow());
    let out = next("helper-out");
    node("move-in").receive({ payload: { quantity: 1, unit: "drum", unitCost: 2.5, currency: "USD" } });
    const received = (await out).payload as StockMove;
    assert.equal(received.quantity, 208);
    assert.equal(received.createdBy, "flow:move-in");
    const issueMsg = { payload: { quantity: 8, costObject: { type: "well", id: "W-101" } } };
    out = next("helper-out");
    node("move-out").receive(issueMsg);
    const issued = (await out).payload as StockMove;
    out = next("helper-out");
    node("move-out").receive(issueMsg);
    const again = (await out).payload as StockMove;
    assert.equal(again.id, issued.id);
    assert.equal((await inventory.availability(item.id, store.id)).onHandQuantity, 200);
  });

  it("an issue beyond the stock goes to Catch nodes with the available quantity", async () => {
    await helper.load([erpStockMoveNode], flow());
    const caught = next("helper-caught");
    node("move-out").receive({ payload: { quantity: 10_000, costObject: { type: "afe", id: "AFE-9" } } });
    const error = (await caught).error as { message: string };
    assert.match(error.message, /has only \d+ L available; 10000 L were asked for/);
  });

  describe("stockMoveInput", () => {
    const config = { moveType: "issue", itemId: "i-1", fromLocationId: "l-1", toLocationId: "" };

    it("fills the node's item and location and derives a stable key", () => {
      const first = stockMoveInput(config, { payload: { quantity: 2 } });
      const second = stockMoveInput(config, { payload: { quantity: 2 } });
      assert.ok("value" in first && "value" in second);
      assert.deepEqual(first.value.input.fromLocationId, "l-1");
      assert.equal(first.value.input.sourceKey, second.value.input.sourceKey);
      assert.match(String(first.value.input.sourceKey), /^stock-issue:[0-9a-f]{64}$/);
      const keyed = stockMoveInput(config, { payload: { quantity: 2 }, idempotencyKey: "mine" });
      assert.ok("value" in keyed);
      assert.equal(keyed.value.input.sourceKey, "mine");
    });

    it("refuses another item than the node's, a payload sourceKey and an unknown move type", () => {
      assert.deepEqual(stockMoveInput(config, { payload: { itemId: "i-2", quantity: 1 } }), { error: 'msg.payload.itemId ("i-2") differs from the node\'s itemId ("i-1")' });
      assert.ok("error" in stockMoveInput(config, { payload: { sourceKey: "x" } }));
      assert.ok("error" in stockMoveInput({ ...config, moveType: "scrap" }, { payload: {} }));
      assert.ok("error" in stockMoveInput(config, { payload: "3" }));
    });
  });
});
