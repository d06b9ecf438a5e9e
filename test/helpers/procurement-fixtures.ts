import type { Browser, Page } from "playwright-core";
import type { Grant, UserGrant } from "../../runtime/auth/grants.js";
import type { Role } from "../../runtime/auth/roles.js";
import type { SiteClient } from "./http-client.js";
import { signedInPage } from "./browser.js";
import { passwordFor } from "../integration/support.js";

/**
 * Users, stock and suppliers the procurement browser tests start from, made
 * through the API as the admin, so that each test drives the screens only
 * for what it is about.
 */

export interface Created {
  id: string;
}

/** A user with a role and functional grants (docs/permissions.md); password from passwordFor. */
export async function createUserWithGrants(admin: SiteClient, username: string, role: Role, grants: readonly UserGrant[]): Promise<Created> {
  const created = await admin.json<{ user: Created }>("POST", "/api/v1/users", { username, role, grants, password: passwordFor(username) }, 201);
  return created.user;
}

export const grant = (name: Grant, approvalLimit?: number): UserGrant => (approvalLimit === undefined ? { grant: name } : { grant: name, approvalLimit });

export interface StockedItem {
  itemId: string;
  locationId: string;
}

/** A store and a spare part in it: `onHand` received at `unitCost`, with a reorder point. */
export async function stockedSparePart(
  client: SiteClient,
  part: { code: string; name: string; store: string; onHand: number; unitCost: number; reorderPoint: number; reorderQuantity: number; currency: string },
): Promise<StockedItem> {
  const location = await client.json<Created>("POST", "/api/v1/inventory/locations", { code: part.store, name: `Store ${part.store}`, kind: "warehouse" }, 201);
  const item = await client.json<Created>(
    "POST",
    "/api/v1/inventory/items",
    { code: part.code, name: part.name, category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: part.currency },
    201,
  );
  await client.json("POST", "/api/v1/inventory/receipts", { itemId: item.id, toLocationId: location.id, quantity: part.onHand, unitCost: part.unitCost, currency: part.currency, notes: "opening stock" }, 201);
  await client.json(
    "PUT",
    "/api/v1/inventory/reorder-points",
    { itemId: item.id, locationId: location.id, reorderPointQuantity: part.reorderPoint, reorderQuantity: part.reorderQuantity },
    200,
  );
  return { itemId: item.id, locationId: location.id };
}

/** A supplier selling the item at a preferred price. */
export async function supplierWithPrice(client: SiteClient, supplier: { code: string; name: string; currency: string }, itemId: string, unitPrice: number): Promise<Created> {
  const created = await client.json<Created>("POST", "/api/v1/procurement/suppliers", { ...supplier }, 201);
  await client.json("POST", `/api/v1/procurement/suppliers/${created.id}/items`, { itemId, unitPrice, currency: supplier.currency, preferred: true }, 201);
  return created;
}

/** The on-hand quantity of an item at a location, from the stock ledger. */
export async function onHandAt(client: SiteClient, itemId: string, locationId: string): Promise<number> {
  const balances = await client.json<{ itemId: string; onHandQuantity: number }[]>("GET", `/api/v1/inventory/stock?locationId=${locationId}`);
  return balances.filter((balance) => balance.itemId === itemId).reduce((sum, balance) => sum + balance.onHandQuantity, 0);
}

/** A signed-in page per user, each in its own browser context and language. */
export async function pagesFor(browser: Browser, siteUrl: string, users: Record<string, "es-ES" | "en-US">): Promise<Record<string, Page>> {
  const pages: Record<string, Page> = {};
  for (const [username, locale] of Object.entries(users)) {
    pages[username] = await signedInPage(browser, siteUrl, username, passwordFor(username), { locale, timezoneId: "UTC" });
  }
  return pages;
}

/** Picks an option of a Mantine select by its text. */
export async function choose(page: Page, testId: string, option: string | RegExp): Promise<void> {
  await page.click(`[data-testid="${testId}"]`);
  await page.getByRole("option", { name: option }).click();
}
