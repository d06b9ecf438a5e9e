import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { skipWithReason } from "./skip-report.js";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Where browser tests leave their screenshots. */
export const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-results");

/** Why browser tests cannot run here, or null when they can. */
export function browserUnavailable(): string | null {
  if (process.env.PETROFLOW_E2E !== "1") return "PETROFLOW_E2E is not 1 (browser tests are opt-in)";
  if (!fs.existsSync(CHROMIUM_PATH)) return `no chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  return null;
}

/** Call first in a browser suite's before hook. */
export function skipUnlessBrowser(context: Mocha.Context): void {
  const reason = browserUnavailable();
  if (reason) skipWithReason(context, reason);
}

/** Debian's chromium, headless; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** A page in a new browser context, signed in to the site through its login form and on the home screen. */
export async function signedInPage(browser: Browser, siteUrl: string, username: string, password: string, options: BrowserContextOptions): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  await page.goto(`${siteUrl}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForURL(`${siteUrl}/`);
  return page;
}

/** For afterEach: when the test failed, a full-page screenshot of each page, named `<prefix>-<test title>[-<index>].png`. */
export async function screenshotsOnFailure(context: Mocha.Context, prefix: string, pages: readonly (Page | undefined)[]): Promise<void> {
  const test = context.currentTest;
  if (test?.state !== "failed") return;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const name = (test.title || "failure").replace(/[^a-z0-9]+/gi, "-");
  for (const [index, page] of pages.entries()) {
    const file = pages.length > 1 ? `${prefix}-${name}-${index}.png` : `${prefix}-${name}.png`;
    // A screenshot that cannot be taken must not hide the test's own failure.
    await page?.screenshot({ path: path.join(ARTIFACTS, file), fullPage: true }).catch(() => undefined);
  }
}
