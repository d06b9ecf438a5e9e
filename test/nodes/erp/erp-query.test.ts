import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import { createErpModules, type ErpModules } from "../../../erp-modules/index.js";
import type { Item, Location } from "../../../erp-modules/inventory/schema.js";
import { queryNamed } from "../../../nodes/erp/erp-query/erp-query-catalogue.js";
import erpQueryNode from "../../../nodes/erp/erp-query/erp-query.js";
import { erpReadsOf } from "../../../runtime/erp-reads.js";
import { checkInput } from "../../../runtime/input/schema-check.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { databaseTargets, type TestDatabase } from "../../helpers/databases.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { skipWithReason } from "../../helpers/skip-report.js";
import { ENGINEER, createBattery, createErpHarness, viaService, type Battery } from "../../integration/erp-modules/erp-fixtures.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
  once(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).once("input", resolve));

/** The answer has the shape the catalogue declares for the query. */
function assertShape(name: string, payload: unknown): void {
  const query = queryNamed(name);
  assert.ok(query, name);
  const checked = checkInput(query.result, payload, "payload");
  assert.ok("value" in checked, "problem" in checked ? `${name}: ${checked.problem.field} ${checked.problem.reason}` : "");
}

for (const target of databaseTargets) describe(`erp-query over ${target.name} with the real ERP modules`, function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let erp: ErpModules;
  let battery: Battery;
  let espId = "";
  let store: Location;
  let yard: Location;
  let chemical: Item;

  const flow = () => [
    { id: "tab-query", type: "tab" },
    { id: "q-availability", type: "erp-query", z: "tab-query", query: "inventory.availability", params: { itemId: chemical.id }, wires: [["out"]] },
    { id: "q-below", type: "erp-query", z: "tab-query", query: "inventory.below-reorder-point", params: {}, wires: [["out"]] },
    { id: "q-open", type: "erp-query", z: "tab-query", query: "maintenance.open-work-orders", params: { equipmentId: espId }, wires: [["out"]] },
    { id: "q-well", type: "erp-query", z: "tab-query", query: "assets.well", params: {}, wires: [["out"]] },
    { id: "q-code", type: "erp-query", z: "tab-query", query: "assets.by-code", params: { code: "ESP-Q1" }, wires: [["out"]] },
    { id: "q-tag", type: "erp-query", z: "tab-query", query: "assets.by-tag", params: {}, wires: [["out"]] },
    { id: "q-volumes", type: "erp-query", z: "tab-query", query: "production.daily-volumes", params: { fluid: "oil" }, wires: [["out"]] },
    { id: "q-suppliers", type: "erp-query", z: "tab-query", query: "procurement.suppliers", params: { active: "true" }, wires: [["out"]] },
    { id: "q-unknown", type: "erp-query", z: "tab-query", query: "inventory.delete-everything", params: {}, wires: [["out"]] },
    { id: "catch-query", type: "catch", z: "tab-query", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "status-query", type: "status", z: "tab-query", scope: null, wires: [["statuses"]] },
    { id: "out", type: "helper", z: "tab-query" },
    { id: "caught", type: "helper", z: "tab-query" },
    { id: "statuses", type: "helper", z: "tab-query" },
  ];

  before(async function () {
    if (target.unavailable) skipWithReason(this, target.unavailable);
    database = await target.create();
    const harness = await createErpHarness(database.db, "*");
    erp = createErpModules(harness.context);
    battery = await createBattery(viaService(harness.assets, ENGINEER), { field: "Q-FIELD", site: "Q-BAT", wells: { "WELL-Q1": "esp" }, tank: "Q-TK" });
    const esp = { kind: "equipment" as const, code: "ESP-Q1", name: "ESP", parentId: battery.siteId, equipment: { equipmentType: "esp" as const }, tags: [{ role: "vibration", tagPath: "SITE1/ESP-Q1/VIBRATION" }] };
    espId = (await harness.assets.create(esp, ENGINEER)).id;
    store = await erp.inventory.createLocation({ code: "WH-Q", name: "Store", kind: "warehouse" }, ENGINEER);
    yard = await erp.inventory.createLocation({ code: "YARD-Q", name: "Yard", kind: "warehouse" }, ENGINEER);
    chemical = await erp.inventory.createItem({ code: "CHEM-Q", name: "Scale inhibitor", category: "chemical", baseUnit: "L", tracking: "none", owner: "site", currency: "USD" }, ENGINEER);
    await erp.inventory.receive({ itemId: chemical.id, toLocationId: store.id, quantity: 100, unitCost: 2, currency: "USD", notes: "" }, ENGINEER);
    await erp.inventory.receive({ itemId: chemical.id, toLocationId: yard.id, quantity: 30, unitCost: 2, currency: "USD", notes: "" }, ENGINEER);
    await erp.inventory.setReorderPoint({ itemId: chemical.id, locationId: store.id, reorderPointQuantity: 50, reorderQuantity: 100 }, ENGINEER);
    await erp.inventory.setReorderPoint({ itemId: chemical.id, locationId: yard.id, reorderPointQuantity: 40, reorderQuantity: 100 }, ENGINEER);
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore(), erpReads: erpReadsOf(erp) }) });
  });

  beforeEach(async () => {
    await helper.load(erpQueryNode, flow());
  });

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    helper.settings({});
    await database?.drop();
  });

  it("answers an item's availability at the location msg.payload names, with msg.query saying what ran", async () => {
    const out = next("out");
    node("q-availability").receive({ payload: { locationId: store.id }, topic: "kept" });
    const msg = await out;
    assert.deepEqual(msg.payload, { itemId: chemical.id, locationId: store.id, onHandQuantity: 100, reservedQuantity: 0, availableQuantity: 100, baseUnit: "L" });
    assert.deepEqual(msg.query, { name: "inventory.availability", params: { itemId: chemical.id, locationId: store.id } });
    assert.equal(msg.topic, "kept");
    assertShape("inventory.availability", msg.payload);
    const all = next("out");
    node("q-availability").receive({ payload: Date.now() });
    assert.equal(((await all).payload as { onHandQuantity: number }).onHandQuantity, 130);
  });

  it("lists the active suppliers of procurement, the param typed in the editor read as a boolean", async () => {
    await erp.procurement.suppliers.create({ code: "SUP-Q", name: "Bearings S.A.", currency: "USD" }, ENGINEER);
    const dormant = await erp.procurement.suppliers.create({ code: "SUP-OLD", name: "Gone Ltd", currency: "USD", active: false }, ENGINEER);
    const out = next("out");
    node("q-suppliers").receive({ payload: {} });
    const msg = await out;
    const codes = (msg.payload as { code: string }[]).map((supplier) => supplier.code);
    assert.ok(codes.includes("SUP-Q"), JSON.stringify(codes));
    assert.ok(!codes.includes(dormant.code), JSON.stringify(codes));
    assert.deepEqual(msg.query, { name: "procurement.suppliers", params: { active: true } });
    assertShape("procurement.suppliers", msg.payload);
  });

  it("lists the reorder points at or below their point from availability now", async () => {
    const out = next("out");
    node("q-below").receive({ payload: {} });
    const below = (await out).payload as { locationId: string; availableQuantity: number }[];
    assert.deepEqual(
      below.map((point) => [point.locationId, point.availableQuantity]),
      [[yard.id, 30]],
    );
    assertShape("inventory.below-reorder-point", below);
  });

  it("lists open work orders of the equipment across open statuses, not done or cancelled ones", async () => {
    const opened = await erp.maintenance.workOrders.create({ equipmentId: espId, title: "Vibration", conditionKey: "test:open" }, ENGINEER);
    const other = await erp.maintenance.workOrders.create({ equipmentId: espId, title: "Cancelled", conditionKey: "test:cancel" }, ENGINEER);
    await erp.maintenance.workOrders.transition(other.workOrder.id, { rowVersion: other.workOrder.rowVersion, to: "cancelled" }, ENGINEER, "engineer");
    const out = next("out");
    node("q-open").receive({ payload: "tick" });
    const orders = (await out).payload as { id: string; status: string }[];
    assert.deepEqual(
      orders.map((order) => [order.id, order.status]),
      [[opened.workOrder.id, "requested"]],
    );
    assertShape("maintenance.open-work-orders", orders);
  });

  it("reads a well by id, an asset by code and the assets of a tag; a tank asked for as a well is refused", async () => {
    let out = next("out");
    node("q-well").receive({ payload: { wellId: battery.wells[0]?.id } });
    const well = (await out).payload as { code: string };
    assert.equal(well.code, "WELL-Q1");
    assertShape("assets.well", well);
    out = next("out");
    node("q-code").receive({ payload: null });
    assert.equal(((await out).payload as { id: string }).id, espId);
    out = next("out");
    node("q-tag").receive({ payload: { tagPath: "SITE1/ESP-Q1/VIBRATION" } });
    const linked = (await out).payload as { id: string }[];
    assert.deepEqual(linked.map((asset) => asset.id), [espId]);
    assertShape("assets.by-tag", linked);
    out = next("out");
    node("q-tag").receive({ payload: { tagPath: "SITE1/NOWHERE/VALUE" } });
    assert.deepEqual((await out).payload, []);
    const caught = next("caught");
    node("q-well").receive({ payload: { wellId: battery.tankId } });
    assert.equal(((await caught).error as { message: string }).message, "ServiceError: wellId: asset Q-TK is not a well (kind equipment)");
  });

  it("reads a well's daily volumes: none before any allocation run", async () => {
    const out = next("out");
    node("q-volumes").receive({ payload: { wellId: battery.wells[0]?.id, from: "2026-03-01", to: "2026-03-31" } });
    const msg = await out;
    assert.deepEqual(msg.payload, []);
    assert.deepEqual(msg.query, { name: "production.daily-volumes", params: { wellId: battery.wells[0]?.id, fluid: "oil", from: "2026-03-01", to: "2026-03-31" } });
  });

  it("a bad parameter goes to Catch nodes with its name and turns the status red; nothing is sent", async () => {
    let sent = false;
    node("out").on("input", () => (sent = true));
    const statuses: { fill?: string; text?: string }[] = [];
    node("statuses").on("input", (msg) => statuses.push((msg as { status: { fill?: string; text?: string } }).status));
    let caught = next("caught");
    node("q-availability").receive({ payload: { locationId: "WH-Q" } });
    assert.equal(((await caught).error as { message: string }).message, "ServiceError: msg.payload.locationId must be a UUID");
    caught = next("caught");
    node("q-availability").receive({ payload: { itemId: store.id } });
    assert.match(((await caught).error as { message: string }).message, /^ServiceError: msg\.payload\.itemId \(".+"\) differs from the node's itemId/);
    caught = next("caught");
    node("q-volumes").receive({ payload: { wellId: battery.wells[0]?.id, from: "2026-03-01" } });
    assert.equal(((await caught).error as { message: string }).message, "ServiceError: msg.payload.to is required");
    caught = next("caught");
    node("q-unknown").receive({ payload: {} });
    assert.match(((await caught).error as { message: string }).message, /^ServiceError: query "inventory.delete-everything" is not in the erp-query catalogue/);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sent, false);
    assert.ok(statuses.length >= 4);
    for (const status of statuses) assert.equal(status.fill, "red");
  });

  it("an unknown id is the module's not found, through Catch", async () => {
    const caught = next("caught");
    node("q-well").receive({ payload: { wellId: "0190a1b2-0000-7000-8000-00000000dead" } });
    assert.match(((await caught).error as { message: string }).message, /^ServiceError: no asset 0190a1b2-0000-7000-8000-00000000dead/);
  });

  it("the reads handed to flows hold read methods only, no write of any module", () => {
    const reads = erpReadsOf(erp);
    const methods = (value: object, prefix: string): string[] =>
      Object.entries(value).flatMap(([name, member]) => (typeof member === "function" ? [`${prefix}${name}`] : methods(member as object, `${prefix}${name}.`)));
    assert.deepEqual(methods(reads, "").sort(), [
      "assets.findByCode",
      "assets.findByTag",
      "assets.get",
      "assets.list",
      "inventory.availability",
      "inventory.getItem",
      "inventory.listReorderPoints",
      "inventory.onHand",
      "maintenance.plans.list",
      "maintenance.workOrders.get",
      "maintenance.workOrders.list",
      "optimization.gasLiftRuns.getRun",
      "optimization.gasLiftRuns.listRuns",
      "procurement.purchaseOrders.detail",
      "procurement.purchaseOrders.list",
      "procurement.receiving.listInvoices",
      "procurement.requisitions.listLines",
      "procurement.suppliers.list",
      "production.allocation.getRun",
      "production.allocation.listRuns",
      "production.reports.daily",
      "production.wellSeries.allocatedDays",
      "reservoir.forecasts.current",
      "reservoir.forecasts.list",
    ]);
  });

  it("serves the catalogue to the editor", async () => {
    const response = await helper.request().get("/petroflow/erp/queries").expect(200);
    const catalogue = response.body as { name: string; module: string; params: { properties: Record<string, unknown> } }[];
    assert.ok(catalogue.some((query) => query.name === "maintenance.plans-due" && query.module === "maintenance"));
    assert.deepEqual(Object.keys(catalogue.find((query) => query.name === "production.daily-volumes")?.params.properties ?? {}), ["wellId", "fluid", "from", "to"]);
  });

  it("without the ERP reads in the runtime, the node says so", async () => {
    await helper.unload();
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore() }) });
    try {
      await helper.load(erpQueryNode, flow());
      const caught = next("caught");
      node("q-below").receive({ payload: {} });
      assert.equal(((await caught).error as { message: string }).message, "Error: the ERP modules are not available to flows in this runtime");
    } finally {
      helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore(), erpReads: erpReadsOf(erp) }) });
    }
  });
});
