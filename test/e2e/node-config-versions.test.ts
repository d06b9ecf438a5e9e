import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { collectPageErrors, deployUntilRunning, editNode, nodeRedEditorFrame, openNodeRedEditor, pasteNodes } from "../helpers/node-red-editor.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../helpers/site-process.js";

/** The part of the Node-RED editor's global the test drives, inside the editor frame. */
interface EditorNode {
  id: string;
  type: string;
  [property: string]: unknown;
}
declare const RED: {
  settings: { get(name: string): unknown };
  view: { redraw(full: boolean): void };
  nodes: {
    node(id: string): EditorNode | null;
    getType(type: string): { defaults: Record<string, { value: unknown }> } | undefined;
    remove(id: string): void;
    dirty(value: boolean): void;
  };
};

const OLD_TAG_IN = "e2e-tag-in-v0";
const NEWER_TAG_READ = "e2e-tag-read-v9";

/**
 * Versioned node configs in the real embedded editor: a tag-in pasted from
 * a flow saved before versions ("initial": true) is brought to version 2
 * ("emitOnStart") as it lands, its edit dialog shows the new shape, and the
 * deploy stores it current; a node from a newer Petroflow is reported.
 */
describe("e2e: node config versions in the Node-RED editor", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let consoleErrors: string[] = [];

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite" });
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "en-US" });
    consoleErrors = collectPageErrors(page);
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "node-config-versions", [page]);
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

  it("the editor knows each Petroflow type's current version, and new nodes get it", async () => {
    const frame = await openNodeRedEditor(signedIn(), ["tag-in"]);
    const versions = await frame.evaluate(() => ({
      setting: RED.settings.get("tagInConfigVersion"),
      defaultForNewNodes: RED.nodes.getType("tag-in")?.defaults.version?.value,
      tagRead: RED.nodes.getType("tag-read")?.defaults.version?.value,
    }));
    assert.deepEqual(versions, { setting: 2, defaultForNewNodes: 2, tagRead: 1 });
  });

  it("a pasted tag-in saved before versions lands in the version 2 shape, and its dialog shows it", async () => {
    const frame = await editorFrame();
    await pasteNodes(frame, [{ id: OLD_TAG_IN, type: "tag-in", name: "Old tubing pressures", pattern: "SITE1/+/THP", initial: true, x: 200, y: 300, wires: [[]] }]);
    await frame.waitForFunction((id) => RED.nodes.node(id)?.version === 2, OLD_TAG_IN, { timeout: 15_000 });
    const migrated = await frame.evaluate((id) => {
      const node = RED.nodes.node(id);
      return { version: node?.version, emitOnStart: node?.emitOnStart, hasInitial: node !== null && "initial" in node, name: node?.name };
    }, OLD_TAG_IN);
    assert.deepEqual(migrated, { version: 2, emitOnStart: true, hasInitial: false, name: "Old tubing pressures" });

    await editNode(frame, OLD_TAG_IN);
    const checkbox = frame.locator("#node-input-emitOnStart");
    await checkbox.waitFor({ state: "visible" });
    assert.equal(await checkbox.isChecked(), true, "the dialog shows the migrated setting");
    await frame.click("#node-dialog-ok");
    await checkbox.waitFor({ state: "detached" });
  });

  it("a pasted node from a newer Petroflow is reported with the reason", async () => {
    const frame = await editorFrame();
    await pasteNodes(frame, [{ id: NEWER_TAG_READ, type: "tag-read", name: "From the future", path: "", version: 9, x: 200, y: 400, wires: [[]] }]);
    const notification = frame.locator(".red-ui-notification-error", { hasText: "newer than the 1 this Petroflow knows" });
    await notification.waitFor({ state: "visible", timeout: 15_000 });
    assert.match((await notification.textContent()) ?? "", new RegExp(`${NEWER_TAG_READ} \\(tag-read\\) has config version 9`));
    // Take it out again so the deploy below is accepted.
    await frame.evaluate((id) => {
      RED.nodes.remove(id);
      RED.nodes.dirty(true);
      RED.view.redraw(true);
    }, NEWER_TAG_READ);
    await notification.click();
  });

  it("deploys the migrated node: the running revision holds it at version 2", async () => {
    assert.ok(site);
    const nodes = await deployUntilRunning(await editorFrame(), signedIn(), site.url, OLD_TAG_IN);
    const deployed = nodes.find((node) => node.id === OLD_TAG_IN);
    assert.ok(deployed, "the tag-in was deployed");
    assert.equal(deployed.version, 2);
    assert.equal(deployed.emitOnStart, true);
    assert.equal("initial" in deployed, false);
    assert.deepEqual(consoleErrors, [], "the editor printed no errors");
  });
});
