import type { Queryable } from "../../runtime/db/database.js";
import { outsideUnitOfWork } from "../../runtime/db/unit-of-work.js";
import type { ModuleEvent } from "../../runtime/events/event-bus.js";
import { BELOW_REORDER_POINT_EVENT, type InventoryPort } from "../inventory/inventory-port.js";
import { PARTS_SHORT_EVENT } from "../maintenance/schema.js";
import type { ErpContext } from "../shared/module-context.js";
import { reorderRequisitionQuantity } from "./model/requisition-rules.js";
import type { PdfLanguage } from "./purchase-order-pdf.js";
import { PurchaseOrderService, type LineProgressResult } from "./purchase-order-service.js";
import { ReceivingService } from "./receiving-service.js";
import { REQUISITION_ACTOR, RequisitionService } from "./requisition-service.js";
import type { PurchaseOrder, PurchaseOrderLine, RaisedLine, RaiseRequisitionInput } from "./schema.js";
import { SupplierService, type ItemLookup } from "./supplier-service.js";

export type { Approver, LineProgressResult } from "./purchase-order-service.js";

/** The modules procurement reads through (never their tables). */
export interface ProcurementDependencies {
  /** Items and locations to check and print, and the port goods receipts post stock through. */
  inventory: InventoryPort & ItemLookup;
}

/** The PDF of an order, ready to send as a download. */
export interface PurchaseOrderFile {
  filename: string;
  body: Buffer;
}

/** The pdfkit code is loaded with the first download, not at start. */
const loadPdf = () => import("./purchase-order-pdf.js");

/**
 * The procurement module's service (docs/erp-procurement.md). Besides its
 * parts (suppliers, requisitions, purchase orders), the methods below are
 * the stable contract other modules, nodes and the receiving side use.
 *
 * It raises requisition lines on its own from two module events: inventory's
 * `inventory.stock.below_reorder_point` and maintenance's
 * `maintenance.work_order.parts_short`.
 */
export class ProcurementService {
  readonly suppliers: SupplierService;
  readonly requisitions: RequisitionService;
  readonly purchaseOrders: PurchaseOrderService;
  /** Goods receipts, supplier invoices and the three-way match (receiving-service.ts). */
  readonly receiving: ReceivingService;
  /** Requisitions being raised from events (idle() waits for them). */
  private readonly raising = new Set<Promise<void>>();

  constructor(
    readonly context: ErpContext,
    readonly dependencies: ProcurementDependencies,
  ) {
    this.suppliers = new SupplierService(context, dependencies.inventory);
    this.requisitions = new RequisitionService(context, dependencies.inventory);
    this.purchaseOrders = new PurchaseOrderService(context, dependencies.inventory, this.suppliers, this.requisitions);
    this.receiving = new ReceivingService(context, dependencies.inventory, this.purchaseOrders, this.requisitions);
    context.events.subscribe(BELOW_REORDER_POINT_EVENT, (event) => this.raiseFrom(event, reorderPointDemand(event)));
    context.events.subscribe(PARTS_SHORT_EVENT, (event) => this.raiseFrom(event, partsShortDemand(event)));
  }

  /** Raises one requisition line (an automatic source's outstanding line is answered, not raised twice). */
  raiseRequisition(input: RaiseRequisitionInput, actor: string): Promise<RaisedLine> {
    return this.requisitions.raise(input, actor);
  }

  purchaseOrder(id: string, tx?: Queryable): Promise<PurchaseOrder> {
    return this.purchaseOrders.get(id, tx);
  }

  purchaseOrderLines(purchaseOrderId: string, tx?: Queryable): Promise<PurchaseOrderLine[]> {
    return this.purchaseOrders.lines(purchaseOrderId, tx);
  }

  /** A goods receipt (or its reversal, negative) on an order line, in the caller's transaction: see PurchaseOrderService.recordReceived. */
  recordReceived(purchaseOrderLineId: string, quantity: number, actor: string, tx: Queryable): Promise<LineProgressResult> {
    return this.purchaseOrders.recordReceived(purchaseOrderLineId, quantity, actor, tx);
  }

  /** A supplier invoice (or credit note, negative) on an order line, in the caller's transaction. */
  recordInvoiced(purchaseOrderLineId: string, quantity: number, actor: string, tx: Queryable): Promise<LineProgressResult> {
    return this.purchaseOrders.recordInvoiced(purchaseOrderLineId, quantity, actor, tx);
  }

  /** The order as a PDF in `lang`, named after its number. */
  async purchaseOrderPdf(id: string, lang: PdfLanguage): Promise<PurchaseOrderFile> {
    const order = await this.purchaseOrders.detail(id);
    const items = new Map<string, string>();
    for (const line of order.lines) if (!items.has(line.itemId)) items.set(line.itemId, (await this.dependencies.inventory.getItem(line.itemId)).code);
    const location = order.deliveryLocationId ? (await this.dependencies.inventory.listLocations()).find((candidate) => candidate.id === order.deliveryLocationId) : undefined;
    const { purchaseOrderPdf } = await loadPdf();
    const body = await purchaseOrderPdf(
      {
        order,
        supplier: order.supplier,
        lines: order.lines.map((line) => ({ ...line, itemCode: items.get(line.itemId) ?? "" })),
        siteName: this.context.settings?.siteName ?? this.context.siteId,
        deliveryLocation: location ? `${location.name} (${location.code})` : null,
      },
      lang,
    );
    return { filename: `${order.number}.pdf`, body };
  }

  /** Resolves once every requisition raised from an event so far is written (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.raising.size > 0) await Promise.all([...this.raising]);
  }

  private raiseFrom(event: ModuleEvent, demand: RaiseRequisitionInput | undefined): void {
    if (!demand) return;
    // The event arrives after its cause committed; the requisition is its own write, and a failure is logged, never thrown at the emitter.
    const raising: Promise<void> = outsideUnitOfWork(() => this.requisitions.raise(demand, REQUISITION_ACTOR))
      .then(() => undefined)
      .catch((error: unknown) => this.context.logger.warn({ err: error, event: event.type, payload: event.payload }, "raising a requisition from an event failed"))
      .finally(() => this.raising.delete(raising));
    this.raising.add(raising);
  }
}

/** A reorder point crossed: its reorder quantity (or a refill) for that item and place. */
function reorderPointDemand(event: ModuleEvent): RaiseRequisitionInput | undefined {
  const { itemId, locationId, availableQuantity, reorderPointQuantity, reorderQuantity } = event.payload;
  if (typeof itemId !== "string" || typeof locationId !== "string") return undefined;
  if (typeof availableQuantity !== "number" || typeof reorderPointQuantity !== "number" || typeof reorderQuantity !== "number") return undefined;
  const quantity = reorderRequisitionQuantity({ availableQuantity, reorderPointQuantity, reorderQuantity });
  if (quantity <= 0) return undefined;
  return { source: "reorder_point", sourceRef: locationId, itemId, locationId, quantity };
}

/** A work order short of a part: the shortfall, for that order. */
function partsShortDemand(event: ModuleEvent): RaiseRequisitionInput | undefined {
  const { workOrderId, itemId, locationId, shortQuantity } = event.payload;
  if (typeof workOrderId !== "string" || typeof itemId !== "string" || typeof shortQuantity !== "number" || !(shortQuantity > 0)) return undefined;
  return {
    source: "work_order",
    sourceRef: workOrderId,
    itemId,
    quantity: shortQuantity,
    ...(typeof locationId === "string" ? { locationId } : {}),
  };
}
