import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { serveFakeField, type FakeFieldFeed } from "../helpers/fake-field-feed.js";
import { generatedField, wellCode } from "../helpers/generated-field.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../helpers/site-process.js";

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;
const MIN_TEXT_PX = 12;

interface SmallText {
  text: string;
  px: number;
}

/**
 * Every visible text node's rendered size: its computed font size times the
 * scale of every transform above it (a zoomed diagram shrinks its text that
 * way). Returns the ones under `min` and how many were measured.
 */
// Runs in the page, as text: a compiled function would carry the test runner's helpers along.
const SMALL_TEXT_SCRIPT = `(() => {
  const minPx = ${MIN_TEXT_PX};
  const scaleOf = (element) => {
    let scale = 1;
    for (let current = element; current !== null; current = current.parentElement) {
      const style = getComputedStyle(current);
      if (style.transform !== "none") {
        const matrix = new DOMMatrixReadOnly(style.transform);
        scale *= Math.hypot(matrix.a, matrix.b);
      }
      const zoom = Number.parseFloat(style.zoom);
      if (Number.isFinite(zoom) && zoom > 0) scale *= zoom;
    }
    return scale;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = [];
  let measured = 0;
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const text = (node.textContent || "").trim();
    const parent = node.parentElement;
    if (text === "" || parent === null) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    const style = getComputedStyle(parent);
    // Not rendered: no box, hidden, or see-through.
    if (rect.width === 0 || rect.height === 0 || style.visibility === "hidden" || Number(style.opacity) === 0) continue;
    measured++;
    const px = Number.parseFloat(style.fontSize) * scaleOf(parent);
    if (px < minPx) small.push({ text: text.slice(0, 40), px: Math.round(px * 10) / 10 });
  }
  return { measured, small };
})()`;

/**
 * Every visible text node's rendered size: its computed font size times the
 * scale of every transform (and CSS zoom) above it, the way a zoomed diagram
 * shrinks its text. Returns the ones under 12 px and how many were measured.
 */
async function smallText(page: Page): Promise<{ measured: number; small: SmallText[] }> {
  return page.evaluate<{ measured: number; small: SmallText[] }>(SMALL_TEXT_SCRIPT);
}

/**
 * The field overview is readable without zooming by hand: at a desktop's
 * 1440 × 900 and a phone's 390 × 844 no text is under 12 CSS px, on the demo's
 * size of field (12 wells, cards open) and on a 200-well one (groups first,
 * then a group's cards, then every card).
 */
describe("e2e: the field overview is readable at desktop and phone sizes", function () {
  this.timeout(240_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let feed: FakeFieldFeed | undefined;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite" });
    browser = await launchChromium();
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "field-readability", [page]);
    feed?.stop();
    await context?.close();
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  async function open(viewport: (typeof VIEWPORTS)[number], wells: number): Promise<Page> {
    page = await signedInPage(browser!, site!.url, "admin", ADMIN_PASSWORD, { viewport: { width: viewport.width, height: viewport.height }, locale: "en-US" });
    context = page.context();
    feed = await serveFakeField(page, generatedField({ wells }));
    await page.goto(`${site!.url}/field`);
    await page.waitForSelector(`[data-testid="field-diagram"][data-wells="${wells}"]`);
    return page;
  }

  async function assertReadable(where: string): Promise<number> {
    // Cards off screen skip layout (content-visibility: auto) and would measure as no box: lay them all out.
    await page!.addStyleTag({ content: "* { content-visibility: visible !important; }" });
    const { measured, small } = await smallText(page!);
    assert.ok(measured > 20, `${where}: only ${measured} text nodes measured`);
    assert.deepEqual(small, [], `${where}: text under ${MIN_TEXT_PX} px`);
    return measured;
  }

  for (const viewport of VIEWPORTS) {
    it(`12 wells at ${viewport.width}×${viewport.height}: every card open, no text under 12 px`, async () => {
      const shown = await open(viewport, 12);
      await shown.locator(`[data-testid="field-node-${wellCode(0)}"][data-quality="good"]`).waitFor();
      assert.equal(await shown.locator('[data-testid^="field-node-W-"]').count(), 12);
      await assertReadable(`12 wells, ${viewport.name}`);
    });

    it(`200 wells at ${viewport.width}×${viewport.height}: groups, a group's cards and every card, none under 12 px`, async () => {
      const shown = await open(viewport, 200);
      // Groups first: 17 manifolds, no card until one is opened.
      await shown.locator('[data-testid="field-group-MAN-01"][data-open="false"]').waitFor();
      assert.equal(await shown.locator('[data-testid^="field-group-MAN-"][data-open]').count(), 17);
      assert.equal(await shown.locator('[data-testid^="field-node-W-"]').count(), 0);
      // The fake feed stops every seventh well (index 3, 10, ...): W-004 is named while its group is closed.
      await shown.locator('[data-testid="field-exception-W-004"][data-state="stopped"]').waitFor();
      await assertReadable(`200 wells, groups, ${viewport.name}`);

      await shown.click('[data-testid="field-group-toggle-MAN-01"]');
      await shown.locator(`[data-testid="field-node-${wellCode(0)}"][data-quality="good"]`).waitFor();
      assert.equal(await shown.locator('[data-testid^="field-node-W-"]').count(), 12);
      await assertReadable(`200 wells, one group open, ${viewport.name}`);

      for (let m = 2; m <= 17; m++) await shown.click(`[data-testid="field-group-toggle-MAN-${String(m).padStart(2, "0")}"]`);
      assert.equal(await shown.locator('[data-testid^="field-node-W-"]').count(), 200);
      await assertReadable(`200 wells, all open, ${viewport.name}`);
    });
  }
});
