import assert from "node:assert/strict";
import type { Browser, Frame, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../helpers/site-process.js";

interface FlowNode {
  id: string;
  type: string;
  [property: string]: unknown;
}

/** The part of the Node-RED editor's global the test drives, inside the editor frame. */
interface EditorNode {
  id: string;
  type: string;
  [property: string]: unknown;
}
declare const RED: {
  settings: { get(name: string): unknown };
  workspaces: { active(): string };
  view: { importNodes(nodes: object[], options: { generateIds: boolean; touchImport: boolean; notify: boolean }): void; redraw(full: boolean): void };
  nodes: {
    node(id: string): EditorNode | null;
    getType(type: string): { defaults: Record<string, { value: unknown }> } | undefined;
    remove(id: string): void;
    dirty(value: boolean): void;
  };
  editor: { edit(node: EditorNode): void };
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
  const consoleErrors: string[] = [];

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite" });
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "en-US" });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
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

  async function editorFrame(): Promise<Frame> {
    const iframe = await signedIn().waitForSelector('[data-testid="node-red-editor"]', { timeout: 30_000 });
    const frame = await iframe.contentFrame();
    if (!frame) throw new Error("the editor iframe has no frame");
    return frame;
  }

  /** Pastes nodes onto the active workspace through the editor's own import, keeping their ids. */
  async function paste(frame: Frame, nodes: object[]): Promise<void> {
    await frame.evaluate((imported) => {
      const workspace = RED.workspaces.active();
      RED.view.importNodes(
        imported.map((node) => ({ ...node, z: workspace })),
        { generateIds: false, touchImport: true, notify: false },
      );
    }, nodes);
  }

  it("the editor knows each Petroflow type's current version, and new nodes get it", async () => {
    await signedIn().click('[data-testid="nav-flows"]');
    const frame = await editorFrame();
    await frame.waitForSelector("#red-ui-header-button-deploy", { timeout: 60_000 });
    await frame.waitForFunction(() => Boolean(RED.nodes.getType("tag-in")), undefined, { timeout: 30_000 });
    const versions = await frame.evaluate(() => ({
      setting: RED.settings.get("tagInConfigVersion"),
      defaultForNewNodes: RED.nodes.getType("tag-in")?.defaults.version?.value,
      tagRead: RED.nodes.getType("tag-read")?.defaults.version?.value,
    }));
    assert.deepEqual(versions, { setting: 2, defaultForNewNodes: 2, tagRead: 1 });
  });

  it("a pasted tag-in saved before versions lands in the version 2 shape, and its dialog shows it", async () => {
    const frame = await editorFrame();
    await paste(frame, [{ id: OLD_TAG_IN, type: "tag-in", name: "Old tubing pressures", pattern: "SITE1/+/THP", initial: true, x: 200, y: 300, wires: [[]] }]);
    await frame.waitForFunction((id) => RED.nodes.node(id)?.version === 2, OLD_TAG_IN, { timeout: 15_000 });
    const migrated = await frame.evaluate((id) => {
      const node = RED.nodes.node(id);
      return { version: node?.version, emitOnStart: node?.emitOnStart, hasInitial: node !== null && "initial" in node, name: node?.name };
    }, OLD_TAG_IN);
    assert.deepEqual(migrated, { version: 2, emitOnStart: true, hasInitial: false, name: "Old tubing pressures" });

    await frame.evaluate((id) => {
      const node = RED.nodes.node(id);
      if (!node) throw new Error(`no node ${id}`);
      RED.editor.edit(node);
    }, OLD_TAG_IN);
    const checkbox = frame.locator("#node-input-emitOnStart");
    await checkbox.waitFor({ state: "visible" });
    assert.equal(await checkbox.isChecked(), true, "the dialog shows the migrated setting");
    await frame.click("#node-dialog-ok");
    await checkbox.waitFor({ state: "detached" });
  });

  it("a pasted node from a newer Petroflow is reported with the reason", async () => {
    const frame = await editorFrame();
    await paste(frame, [{ id: NEWER_TAG_READ, type: "tag-read", name: "From the future", path: "", version: 9, x: 200, y: 400, wires: [[]] }]);
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
    const frame = await editorFrame();
    await frame.click("#red-ui-header-button-deploy");
    const deadline = Date.now() + 20_000;
    let nodes: FlowNode[] = [];
    while (Date.now() < deadline) {
      const response = await signedIn().request.get(`${site?.url}/api/v1/flows/current`);
      assert.equal(response.status(), 200);
      nodes = ((await response.json()) as { flows: FlowNode[] }).flows;
      if (nodes.some((node) => node.id === OLD_TAG_IN)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const deployed = nodes.find((node) => node.id === OLD_TAG_IN);
    assert.ok(deployed, "the tag-in was deployed");
    assert.equal(deployed.version, 2);
    assert.equal(deployed.emitOnStart, true);
    assert.equal("initial" in deployed, false);
    assert.deepEqual(consoleErrors, [], "the editor printed no errors");
  });
});
