import type { Queryable, SqlValue } from "../../runtime/db/database.js";
import { newId } from "../../runtime/ids.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric } from "../shared/numeric.js";
import { invalidInput, serviceError } from "../shared/service-error.js";
import { pickPrice } from "./model/requisition-rules.js";
import {
  PriceQuerySchema,
  SupplierInputSchema,
  SupplierItemInputSchema,
  SupplierItemUpdateSchema,
  SupplierUpdateSchema,
  type Price,
  type Supplier,
  type SupplierItem,
  type SupplierListQuery,
} from "./schema.js";
import { checkRowVersion, isUniqueViolation, MODULE, notFound, parseInput, today } from "./support.js";

/*
 * Suppliers and what they sell at what price (docs/erp-procurement.md
 * "Suppliers and prices"). Items are inventory's; a price is checked against
 * the item through the inventory service when it is written.
 */

/** What procurement reads of inventory besides its port: an item (404 when unknown), the locations (names on the PDF). */
export interface ItemLookup {
  getItem(id: string): Promise<{ id: string; code: string; name: string; baseUnit: string; currency: string }>;
  listLocations(): Promise<{ id: string; code: string; name: string }[]>;
}

interface SupplierRow {
  id: string;
  code: string;
  name: string;
  tax_id: string;
  contact_name: string;
  email: string;
  phone: string;
  address: string;
  currency: string;
  payment_terms_days: number;
  active: boolean;
  notes: string;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  created_by: string;
}

interface SupplierItemRow {
  id: string;
  supplier_id: string;
  item_id: string;
  supplier_part_number: string;
  unit_price: string;
  currency: string;
  valid_from: string | null;
  valid_to: string | null;
  lead_time_days: number;
  min_order_quantity: string;
  preferred: boolean;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  created_by: string;
}

const SUPPLIER_ITEM_COLUMNS = `si.id, si.supplier_id, si.item_id, si.supplier_part_number, si.unit_price, si.currency, si.valid_from::text AS valid_from,
  si.valid_to::text AS valid_to, si.lead_time_days, si.min_order_quantity, si.preferred, si.active, si.created_at, si.updated_at, si.row_version, si.created_by`;

export function toSupplier(row: SupplierRow): Supplier {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    taxId: row.tax_id,
    contactName: row.contact_name,
    email: row.email,
    phone: row.phone,
    address: row.address,
    currency: row.currency,
    paymentTermsDays: Number(row.payment_terms_days),
    active: row.active,
    notes: row.notes,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    rowVersion: Number(row.row_version),
    createdBy: row.created_by,
  };
}

function toSupplierItem(row: SupplierItemRow): SupplierItem {
  return {
    id: row.id,
    supplierId: row.supplier_id,
    itemId: row.item_id,
    supplierPartNumber: row.supplier_part_number,
    unitPrice: fromNumeric(row.unit_price),
    currency: row.currency,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    leadTimeDays: Number(row.lead_time_days),
    minOrderQuantity: fromNumeric(row.min_order_quantity),
    preferred: row.preferred,
    active: row.active,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    rowVersion: Number(row.row_version),
    createdBy: row.created_by,
  };
}

const SUPPLIER_FIELDS = {
  name: "name",
  taxId: "tax_id",
  contactName: "contact_name",
  email: "email",
  phone: "phone",
  address: "address",
  currency: "currency",
  paymentTermsDays: "payment_terms_days",
  active: "active",
  notes: "notes",
} as const;

const SUPPLIER_ITEM_FIELDS = {
  supplierPartNumber: "supplier_part_number",
  unitPrice: "unit_price",
  currency: "currency",
  validFrom: "valid_from",
  validTo: "valid_to",
  leadTimeDays: "lead_time_days",
  minOrderQuantity: "min_order_quantity",
  preferred: "preferred",
  active: "active",
} as const;

/** SET clauses for the fields present in an update body; column names come from the maps above, never from input. */
function setClauses<F extends Record<string, string>>(fields: F, input: Partial<Record<keyof F, unknown>>, firstParam: number): { sql: string; values: SqlValue[] } {
  const sets: string[] = [];
  const values: SqlValue[] = [];
  for (const [key, column] of Object.entries(fields)) {
    const value = input[key as keyof F];
    if (value === undefined) continue;
    values.push(value as SqlValue);
    sets.push(`${column} = $${firstParam + values.length - 1}`);
  }
  return { sql: sets.join(", "), values };
}

function withoutSupplierActive(price: Price & { supplierActive: boolean }): Price {
  const copy: Partial<Price & { supplierActive: boolean }> = { ...price };
  delete copy.supplierActive;
  return copy as Price;
}

function checkValidity(validFrom: string | null | undefined, validTo: string | null | undefined): void {
  if (validFrom && validTo && validTo < validFrom) throw invalidInput("validTo", "below_minimum", { limit: validFrom });
}

export class SupplierService {
  constructor(
    private readonly context: ErpContext,
    private readonly items: ItemLookup,
  ) {}

  async create(raw: unknown, actor: string): Promise<Supplier> {
    const input = parseInput(SupplierInputSchema, raw);
    const id = newId();
    try {
      return await this.context.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO procurement_suppliers (id, site_id, code, name, tax_id, contact_name, email, phone, address, currency, payment_terms_days, active, notes, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [id, this.context.siteId, input.code, input.name, input.taxId, input.contactName, input.email, input.phone, input.address, input.currency, input.paymentTermsDays, input.active, input.notes, actor],
        );
        const after = await this.get(id, tx);
        await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.supplier.create", entityType: "supplier", entityId: id, operation: "insert", rowVersion: 1, after });
        return after;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw serviceError("conflict", "code", "already_exists", undefined, `a supplier with code ${input.code} already exists`);
      throw error;
    }
  }

  async list(query: SupplierListQuery = {}): Promise<Supplier[]> {
    const { rows } = await this.context.db.query<SupplierRow>(
      "SELECT * FROM procurement_suppliers WHERE site_id = $1 AND ($2::boolean IS NULL OR active = $2) ORDER BY code",
      [this.context.siteId, query.active ?? null],
    );
    return rows.map(toSupplier);
  }

  async get(id: string, tx: Queryable = this.context.db, lock = false): Promise<Supplier> {
    const { rows } = await tx.query<SupplierRow>(`SELECT * FROM procurement_suppliers WHERE id = $1 AND site_id = $2${lock ? " FOR UPDATE" : ""}`, [id, this.context.siteId]);
    if (!rows[0]) throw notFound("supplier", id);
    return toSupplier(rows[0]);
  }

  async update(id: string, raw: unknown, actor: string): Promise<Supplier> {
    const input = parseInput(SupplierUpdateSchema, raw);
    return this.context.db.transaction(async (tx) => {
      const before = await this.get(id, tx, true);
      checkRowVersion(`supplier ${before.code}`, before.rowVersion, input.rowVersion);
      const { sql, values } = setClauses(SUPPLIER_FIELDS, input, 2);
      await tx.query(`UPDATE procurement_suppliers SET ${sql ? `${sql}, ` : ""}updated_at = now(), row_version = row_version + 1 WHERE id = $1`, [id, ...values]);
      const after = await this.get(id, tx);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.supplier.update", entityType: "supplier", entityId: id, operation: "update", rowVersion: after.rowVersion, before, after });
      return after;
    });
  }

  async addItem(supplierId: string, raw: unknown, actor: string): Promise<SupplierItem> {
    const input = parseInput(SupplierItemInputSchema, raw);
    checkValidity(input.validFrom, input.validTo);
    await this.items.getItem(input.itemId);
    const id = newId();
    return this.context.db.transaction(async (tx) => {
      await this.get(supplierId, tx);
      await tx.query(
        `INSERT INTO procurement_supplier_items (id, site_id, supplier_id, item_id, supplier_part_number, unit_price, currency, valid_from, valid_to, lead_time_days, min_order_quantity, preferred, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          id,
          this.context.siteId,
          supplierId,
          input.itemId,
          input.supplierPartNumber,
          input.unitPrice,
          input.currency,
          input.validFrom ?? null,
          input.validTo ?? null,
          input.leadTimeDays,
          input.minOrderQuantity,
          input.preferred,
          actor,
        ],
      );
      const after = await this.item(supplierId, id, tx);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.supplier_item.create", entityType: "supplier_item", entityId: id, operation: "insert", rowVersion: 1, after });
      return after;
    });
  }

  async listItems(supplierId: string): Promise<SupplierItem[]> {
    await this.get(supplierId);
    const { rows } = await this.context.db.query<SupplierItemRow>(
      `SELECT ${SUPPLIER_ITEM_COLUMNS} FROM procurement_supplier_items si WHERE si.supplier_id = $1 ORDER BY si.item_id, si.valid_from NULLS FIRST, si.created_at`,
      [supplierId],
    );
    return rows.map(toSupplierItem);
  }

  async item(supplierId: string, supplierItemId: string, tx: Queryable = this.context.db, lock = false): Promise<SupplierItem> {
    const { rows } = await tx.query<SupplierItemRow>(
      `SELECT ${SUPPLIER_ITEM_COLUMNS} FROM procurement_supplier_items si WHERE si.id = $1 AND si.supplier_id = $2 AND si.site_id = $3${lock ? " FOR UPDATE" : ""}`,
      [supplierItemId, supplierId, this.context.siteId],
    );
    if (!rows[0]) throw notFound("supplier item", supplierItemId);
    return toSupplierItem(rows[0]);
  }

  async updateItem(supplierId: string, supplierItemId: string, raw: unknown, actor: string): Promise<SupplierItem> {
    const input = parseInput(SupplierItemUpdateSchema, raw);
    return this.context.db.transaction(async (tx) => {
      const before = await this.item(supplierId, supplierItemId, tx, true);
      checkRowVersion("supplier item", before.rowVersion, input.rowVersion);
      checkValidity(input.validFrom === undefined ? before.validFrom : input.validFrom, input.validTo === undefined ? before.validTo : input.validTo);
      const { sql, values } = setClauses(SUPPLIER_ITEM_FIELDS, input, 2);
      await tx.query(`UPDATE procurement_supplier_items SET ${sql ? `${sql}, ` : ""}updated_at = now(), row_version = row_version + 1 WHERE id = $1`, [supplierItemId, ...values]);
      const after = await this.item(supplierId, supplierItemId, tx);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "procurement.supplier_item.update",
        entityType: "supplier_item",
        entityId: supplierItemId,
        operation: "update",
        rowVersion: after.rowVersion,
        before,
        after,
      });
      return after;
    });
  }

  /** Every price of an item across suppliers (the price comparison), valid or not. */
  async prices(itemId: string): Promise<Price[]> {
    return (await this.pricesOf(itemId)).map(withoutSupplierActive);
  }

  private async pricesOf(itemId: string, tx: Queryable = this.context.db): Promise<(Price & { supplierActive: boolean })[]> {
    const { rows } = await tx.query<SupplierItemRow & { supplier_code: string; supplier_name: string; supplier_active: boolean }>(
      `SELECT ${SUPPLIER_ITEM_COLUMNS}, s.code AS supplier_code, s.name AS supplier_name, s.active AS supplier_active
       FROM procurement_supplier_items si JOIN procurement_suppliers s ON s.id = si.supplier_id
       WHERE si.site_id = $1 AND si.item_id = $2 ORDER BY s.code, si.valid_from NULLS FIRST`,
      [this.context.siteId, itemId],
    );
    return rows.map((row) => ({ ...toSupplierItem(row), supplierCode: row.supplier_code, supplierName: row.supplier_name, supplierActive: row.supplier_active }));
  }

  /** The price an item is bought at on a day (today by default), from one supplier or any: 404 when none is valid. */
  async price(raw: unknown, tx: Queryable = this.context.db): Promise<Price> {
    const query = parseInput(PriceQuerySchema, raw);
    const found = await this.findPrice(query.itemId, query.on ?? today(), query.supplierId, tx);
    if (!found) throw notFound("valid price for item", query.itemId);
    return found;
  }

  /** The price `price` answers, or undefined. */
  async findPrice(itemId: string, day: string, supplierId: string | undefined, tx: Queryable = this.context.db): Promise<Price | undefined> {
    const candidates = (await this.pricesOf(itemId, tx)).filter((price) => supplierId === undefined || price.supplierId === supplierId);
    const picked = pickPrice(candidates, day);
    return picked && withoutSupplierActive(picked);
  }
}
