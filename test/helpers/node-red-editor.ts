import type { Frame, Page } from "playwright-core";

/** A node of the running flows, as GET /api/v1/flows/current lists it. */
export interface DeployedNode {
  id: string;
  type: string;
  [property: string]: unknown;
}

/** The part of the Node-RED editor's global these helpers drive, inside the editor frame. */
declare const RED: {
  workspaces: { active(): string };
  view: { importNodes(nodes: object[], options: { generateIds: boolean; touchImport: boolean; notify: boolean }): void };
  nodes: { node(id: string): object | null; getType(type: string): object | undefined };
  editor: { edit(node: object): void };
};

/** The embedded Node-RED editor's frame on the web app's flows page. */
export async function nodeRedEditorFrame(page: Page): Promise<Frame> {
  const iframe = await page.waitForSelector('[data-testid="node-red-editor"]', { timeout: 30_000 });
  const frame = await iframe.contentFrame();
  if (!frame) throw new Error("the editor iframe has no frame");
  return frame;
}

/** Opens the editor from the web app's navigation; resolves once it can deploy and has these node types in its palette. */
export async function openNodeRedEditor(page: Page, paletteTypes: readonly string[] = []): Promise<Frame> {
  await page.click('[data-testid="nav-flows"]');
  const frame = await nodeRedEditorFrame(page);
  await frame.waitForSelector("#red-ui-header-button-deploy", { timeout: 60_000 });
  await frame.waitForFunction((types) => types.every((type) => Boolean(RED.nodes.getType(type))), paletteTypes, { timeout: 30_000 });
  return frame;
}

/** Puts nodes on the active workspace through the editor's own import, as a paste would, keeping their ids. */
export async function pasteNodes(frame: Frame, nodes: readonly object[]): Promise<void> {
  await frame.evaluate((imported) => {
    const workspace = RED.workspaces.active();
    RED.view.importNodes(
      imported.map((node) => ({ ...node, z: workspace })),
      { generateIds: false, touchImport: true, notify: false },
    );
  }, nodes);
}

/** Opens a node's edit dialog. */
export async function editNode(frame: Frame, id: string): Promise<void> {
  await frame.evaluate((nodeId) => {
    const node = RED.nodes.node(nodeId);
    if (!node) throw new Error(`no node ${nodeId}`);
    RED.editor.edit(node);
  }, id);
}

/**
 * Clicks Deploy and returns the running flows once they hold the node
 * (or, after 20 s, as they are: the caller's assertions say what is missing).
 */
export async function deployUntilRunning(frame: Frame, page: Page, siteUrl: string, nodeId: string): Promise<DeployedNode[]> {
  await frame.click("#red-ui-header-button-deploy");
  const deadline = Date.now() + 20_000;
  let nodes: DeployedNode[] = [];
  while (Date.now() < deadline) {
    const response = await page.request.get(`${siteUrl}/api/v1/flows/current`);
    if (response.status() !== 200) throw new Error(`GET /api/v1/flows/current: HTTP ${response.status()}`);
    nodes = ((await response.json()) as { flows: DeployedNode[] }).flows;
    if (nodes.some((node) => node.id === nodeId)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return nodes;
}

/** Collects what the page prints as errors (console and uncaught), to tell a broken editor from a slow one. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}
