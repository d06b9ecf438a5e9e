import assert from "node:assert/strict";
import type { Browser, Frame, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { collectPageErrors, deployUntilRunning, editNode, nodeRedEditorFrame, openNodeRedEditor, pasteNodes } from "../helpers/node-red-editor.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { adminClient } from "../integration/support.js";
import { createBattery, viaApi, type Battery } from "../integration/erp-modules/erp-fixtures.js";

/** The part of the Node-RED editor's global the test drives, inside the editor frame. */
interface EditorNode {
  type: string;
  entryType?: string;
  tankId?: string;
  wellId?: string;
}
declare const RED: {
  nodes: { node(id: string): EditorNode | null };
};

const PRODUCTION_ENTRY_ID = "e2e0000000000001";
const WELL_TEST_ID = "e2e0000000000002";

/**
 * The ERP nodes' asset selects in the real embedded editor: an engineer
 * (admin) drops an erp-production-entry and an erp-well-test node on the
 * workspace, and their edit dialogs list the register's tank and wells
 * ("TK-07 — Stock tank TK-07"), store the chosen asset's UUID, and deploy it.
 */
describe("e2e: ERP node asset selects in the Node-RED editor", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let battery: Battery;
  /** What the editor page printed as errors, to tell a broken dialog from a slow one. */
  let consoleErrors: string[] = [];

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite" });
    const admin = await adminClient(site.url);
    battery = await createBattery(viaApi(admin), {
      field: "FLD-EDIT",
      site: "BAT-EDIT",
      wells: { "WELL-201": "esp", "WELL-202": "rod_pump" },
      tank: "TK-07",
    });
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "en-US" });
    consoleErrors = collectPageErrors(page);
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "erp-node-editor", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  function signedIn(): Page {
    if (!page) throw new Error("no signed-in page");
    return page;
  }

  const editorFrame = () => nodeRedEditorFrame(signedIn());

  /** Puts one unwired node on the active workspace, keeping its id. */
  async function addNode(frame: Frame, node: { id: string; type: string; x: number; y: number }): Promise<void> {
    await pasteNodes(frame, [{ ...node, wires: [[]] }]);
    assert.equal(await frame.evaluate((id) => RED.nodes.node(id)?.type, node.id), node.type);
  }

  /** A select's options once the register's assets are in it (the blank "from msg.payload" choice comes first). */
  async function listedOptions(frame: Frame, selector: string, expectedCount: number): Promise<{ value: string; text: string }[]> {
    await frame.locator(selector).waitFor({ state: "visible" });
    const options = frame.locator(`${selector} option`);
    try {
      await options.nth(expectedCount - 1).waitFor({ state: "attached", timeout: 15_000 });
    } catch (error) {
      throw new Error(`${selector} never listed ${expectedCount} options; console errors: ${JSON.stringify(consoleErrors)}`, { cause: error });
    }
    const texts = await options.allTextContents();
    const listed: { value: string; text: string }[] = [];
    for (const [index, text] of texts.entries()) listed.push({ value: (await options.nth(index).getAttribute("value")) ?? "", text });
    return listed;
  }

  it("opens the embedded editor with the ERP nodes in its palette", async () => {
    await openNodeRedEditor(signedIn(), ["erp-production-entry", "erp-well-test"]);
  });

  it("lists the battery's tank as TK-07 with its name for a tank gauge and stores the chosen tank's id", async () => {
    const frame = await editorFrame();
    await addNode(frame, { id: PRODUCTION_ENTRY_ID, type: "erp-production-entry", x: 200, y: 400 });
    await editNode(frame, PRODUCTION_ENTRY_ID);
    await frame.locator("#node-input-entryType").waitFor({ state: "visible" });
    await frame.selectOption("#node-input-entryType", "tank-gauge");
    const options = await listedOptions(frame, "#node-input-tankId", 2);
    assert.deepEqual(
      options.slice(1),
      [{ value: battery.tankId, text: "TK-07 — Stock tank TK-07" }],
      "the tank select lists the register's one tank, by code and name",
    );
    assert.equal(options[0]?.value, "", "the first choice leaves the tank to msg.payload");
    // A tank gauge asks for a tank only: the well select's row is hidden.
    assert.equal(await frame.locator("#node-input-wellId").isVisible(), false);
    await frame.selectOption("#node-input-tankId", battery.tankId);
    await frame.click("#node-dialog-ok");
    await frame.locator("#node-input-tankId").waitFor({ state: "detached" });
    const config = await frame.evaluate((id) => {
      const node = RED.nodes.node(id);
      return { entryType: node?.entryType, tankId: node?.tankId };
    }, PRODUCTION_ENTRY_ID);
    assert.deepEqual(config, { entryType: "tank-gauge", tankId: battery.tankId });
  });

  it("lists both wells for a well test and stores the chosen well's id", async () => {
    const frame = await editorFrame();
    await addNode(frame, { id: WELL_TEST_ID, type: "erp-well-test", x: 200, y: 500 });
    await editNode(frame, WELL_TEST_ID);
    const options = await listedOptions(frame, "#node-input-wellId", 3);
    const [first, second] = battery.wells;
    assert.ok(first && second);
    assert.equal(options[0]?.value, "", "the first choice leaves the well to msg.payload");
    assert.deepEqual(options.slice(1), [
      { value: first.id, text: "WELL-201 — Well WELL-201" },
      { value: second.id, text: "WELL-202 — Well WELL-202" },
    ]);
    await frame.selectOption("#node-input-wellId", second.id);
    await frame.click("#node-dialog-ok");
    await frame.locator("#node-input-wellId").waitFor({ state: "detached" });
    assert.equal(await frame.evaluate((id) => RED.nodes.node(id)?.wellId, WELL_TEST_ID), second.id);
  });

  it("deploys both nodes with the chosen asset ids in the running revision", async () => {
    assert.ok(site);
    const nodes = await deployUntilRunning(await editorFrame(), signedIn(), site.url, WELL_TEST_ID);
    assert.equal(nodes.find((node) => node.id === PRODUCTION_ENTRY_ID)?.tankId, battery.tankId);
    assert.equal(nodes.find((node) => node.id === WELL_TEST_ID)?.wellId, battery.wells[1]?.id);
    assert.deepEqual(consoleErrors, [], "the editor printed no errors");
  });
});
