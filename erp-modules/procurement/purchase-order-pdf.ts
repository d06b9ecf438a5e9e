/**
 * A purchase order as an A4 PDF to send to the supplier (no mail server is
 * assumed: the buyer downloads it). Loaded by the route on the first
 * download only, so pdfkit stays out of an idle site's memory.
 */
import PDFDocument from "pdfkit";
import type { PurchaseOrder, PurchaseOrderLine, Supplier } from "./schema.js";

export type PdfLanguage = "en" | "es";

export interface PurchaseOrderPdfInput {
  order: PurchaseOrder;
  supplier: Supplier;
  lines: readonly (PurchaseOrderLine & { itemCode: string })[];
  siteName: string;
  deliveryLocation: string | null;
}

const WORDS = {
  en: {
    title: "Purchase order",
    date: "Date",
    status: "Status",
    supplier: "Supplier",
    taxId: "Tax id",
    contact: "Contact",
    paymentTerms: "Payment terms: {days} days",
    deliverTo: "Deliver to",
    expected: "Expected by",
    line: "#",
    item: "Item",
    description: "Description",
    supplierPart: "Supplier part",
    quantity: "Quantity",
    unit: "Unit",
    unitPrice: "Unit price",
    lineTotal: "Total",
    subtotal: "Subtotal",
    tax: "Tax",
    total: "Total",
    approvedBy: "Approved by {user} on {at}",
    notApproved: "NOT APPROVED: not valid as an order",
    notes: "Notes",
    generated: "Generated {at} by Petroflow",
    statuses: {
      draft: "draft",
      submitted: "submitted",
      approved: "approved",
      rejected: "rejected",
      sent: "sent",
      partially_received: "partially received",
      received: "received",
      closed: "closed",
      cancelled: "cancelled",
    },
  },
  es: {
    title: "Orden de compra",
    date: "Fecha",
    status: "Estado",
    supplier: "Proveedor",
    taxId: "Id. fiscal",
    contact: "Contacto",
    paymentTerms: "Condición de pago: {days} días",
    deliverTo: "Entregar en",
    expected: "Fecha esperada",
    line: "N.º",
    item: "Artículo",
    description: "Descripción",
    supplierPart: "Código proveedor",
    quantity: "Cantidad",
    unit: "Unidad",
    unitPrice: "Precio unitario",
    lineTotal: "Importe",
    subtotal: "Subtotal",
    tax: "Impuestos",
    total: "Total",
    approvedBy: "Aprobada por {user} el {at}",
    notApproved: "NO APROBADA: no válida como orden",
    notes: "Observaciones",
    generated: "Generada {at} por Petroflow",
    statuses: {
      draft: "borrador",
      submitted: "enviada a aprobación",
      approved: "aprobada",
      rejected: "rechazada",
      sent: "enviada al proveedor",
      partially_received: "recibida en parte",
      received: "recibida",
      closed: "cerrada",
      cancelled: "anulada",
    },
  },
} as const;

type Word = Exclude<keyof (typeof WORDS)["en"], "statuses">;

function say(lang: PdfLanguage, word: Word, params: Record<string, string | number> = {}): string {
  return WORDS[lang][word].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
}

function money(value: number, lang: PdfLanguage, decimals = 2): string {
  return value.toLocaleString(lang === "es" ? "es-AR" : "en-US", { minimumFractionDigits: decimals, maximumFractionDigits: Math.max(decimals, 6) });
}

function quantity(value: number, lang: PdfLanguage): string {
  return value.toLocaleString(lang === "es" ? "es-AR" : "en-US", { maximumFractionDigits: 6 });
}

const minute = (instant: string): string => `${instant.slice(0, 16).replace("T", " ")} UTC`;

const MARGIN_PT = 40;
/** Column widths (pt) of the line table on an A4 portrait page (515 pt between margins). */
const COLUMNS = [22, 70, 143, 70, 55, 35, 60, 60] as const;

export function purchaseOrderPdf(input: PurchaseOrderPdfInput, lang: PdfLanguage, generatedAt: Date = new Date()): Promise<Buffer> {
  const { order, supplier } = input;
  const doc = new PDFDocument({ size: "A4", margin: MARGIN_PT, info: { Title: `${say(lang, "title")} ${order.number}`, Producer: "Petroflow" } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.font("Helvetica-Bold").fontSize(16).text(`${say(lang, "title")} ${order.number}`);
  doc.font("Helvetica").fontSize(10).text(input.siteName);
  doc.text(`${say(lang, "date")}: ${order.createdAt.slice(0, 10)}    ${say(lang, "status")}: ${WORDS[lang].statuses[order.status]}`);
  doc.moveDown();

  doc.font("Helvetica-Bold").text(say(lang, "supplier"));
  doc.font("Helvetica").text(`${supplier.name} (${supplier.code})`);
  if (supplier.taxId) doc.text(`${say(lang, "taxId")}: ${supplier.taxId}`);
  if (supplier.address) doc.text(supplier.address);
  const contact = [supplier.contactName, supplier.email, supplier.phone].filter(Boolean).join(" · ");
  if (contact) doc.text(`${say(lang, "contact")}: ${contact}`);
  doc.text(say(lang, "paymentTerms", { days: supplier.paymentTermsDays }));
  if (input.deliveryLocation) doc.text(`${say(lang, "deliverTo")}: ${input.deliveryLocation}`);
  if (order.expectedAt) doc.text(`${say(lang, "expected")}: ${order.expectedAt}`);
  doc.moveDown();

  const header = [
    say(lang, "line"),
    say(lang, "item"),
    say(lang, "description"),
    say(lang, "supplierPart"),
    say(lang, "quantity"),
    say(lang, "unit"),
    `${say(lang, "unitPrice")} ${order.currency}`,
    `${say(lang, "lineTotal")} ${order.currency}`,
  ];
  const numeric = [true, false, false, false, true, false, true, true];
  const row = (cells: readonly string[], bold: boolean): void => {
    if (doc.y > doc.page.height - MARGIN_PT - 60) doc.addPage();
    const top = doc.y;
    let x = MARGIN_PT;
    let bottom = top;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(8.5);
    cells.forEach((cell, index) => {
      const width = COLUMNS[index] ?? 50;
      doc.text(cell, x + 2, top, { width: width - 4, align: numeric[index] ? "right" : "left" });
      bottom = Math.max(bottom, doc.y);
      x += width;
    });
    doc.y = bottom + 3;
  };
  row(header, true);
  for (const line of input.lines) {
    row(
      [
        String(line.lineNumber),
        line.itemCode,
        line.description,
        line.supplierPartNumber,
        quantity(line.quantity, lang),
        line.unit,
        money(line.unitPrice, lang),
        money(line.lineTotal, lang),
      ],
      false,
    );
  }
  doc.moveDown();
  doc.font("Helvetica").fontSize(10);
  const totalsX = MARGIN_PT + 300;
  for (const [word, value, bold] of [
    ["subtotal", order.subtotalAmount, false],
    ["tax", order.taxAmount, false],
    ["total", order.totalAmount, true],
  ] as const) {
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").text(`${say(lang, word)}: ${money(value, lang)} ${order.currency}`, totalsX, doc.y, { width: 215, align: "right" });
  }
  doc.x = MARGIN_PT;
  doc.moveDown();
  doc.font("Helvetica").fontSize(10);
  if (order.approvedBy && order.approvedAt) doc.text(say(lang, "approvedBy", { user: order.approvedBy, at: minute(order.approvedAt) }), MARGIN_PT, doc.y);
  else doc.font("Helvetica-Bold").text(say(lang, "notApproved"), MARGIN_PT, doc.y);
  if (order.notes) {
    doc.moveDown();
    doc.font("Helvetica-Bold").text(say(lang, "notes"));
    doc.font("Helvetica").text(order.notes);
  }
  doc.moveDown();
  doc.fontSize(8).fillColor("#555555").text(say(lang, "generated", { at: minute(generatedAt.toISOString()) }));
  doc.end();
  return done;
}
