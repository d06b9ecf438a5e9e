-- Goods receipts, supplier invoices and the three-way match (issue 12 §3,
-- docs/erp-procurement-receiving.md). Quantities are in the item's base unit,
-- money is numeric with its ISO 4217 currency, like migration 0001.

-- A line that will never be delivered in full is closed short by hand: it
-- takes no more receipts and counts as complete for the order.
ALTER TABLE procurement_purchase_order_lines
  ADD COLUMN closed_short_at timestamptz,
  ADD COLUMN closed_short_by text,
  ADD COLUMN close_short_reason text;

CREATE SEQUENCE procurement_goods_receipt_number_seq;

-- A receipt is written as a draft and posted once: posting moves the stock
-- (inventory receipts at the order line's price) and the order lines'
-- received quantities in one transaction. A posted receipt is never edited;
-- returning it to the supplier reverses its stock moves and quantities.
CREATE TABLE procurement_goods_receipts (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  number text NOT NULL,
  purchase_order_id uuid NOT NULL REFERENCES procurement_purchase_orders (id),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'posted', 'returned', 'cancelled')),
  received_at timestamptz NOT NULL,
  -- The supplier's delivery note (packing slip) number, as printed.
  delivery_note text NOT NULL DEFAULT '',
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  posted_at timestamptz,
  posted_by text,
  cancelled_at timestamptz,
  cancelled_by text,
  returned_at timestamptz,
  returned_by text,
  return_reason text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  UNIQUE (site_id, number)
);
CREATE INDEX procurement_goods_receipts_order_idx ON procurement_goods_receipts (purchase_order_id);
CREATE INDEX procurement_goods_receipts_status_idx ON procurement_goods_receipts (site_id, status, created_at DESC);

CREATE TABLE procurement_goods_receipt_lines (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  receipt_id uuid NOT NULL REFERENCES procurement_goods_receipts (id) ON DELETE CASCADE,
  line_number integer NOT NULL CHECK (line_number > 0),
  purchase_order_line_id uuid NOT NULL REFERENCES procurement_purchase_order_lines (id),
  item_id uuid NOT NULL,
  location_id uuid NOT NULL,
  -- Lot or serial number where the item is tracked; '' when it is not.
  lot text NOT NULL DEFAULT '',
  quantity numeric NOT NULL CHECK (quantity > 0),
  -- Set on posting: the cost the stock came in at (in the item's currency) and the inventory move.
  unit_cost numeric,
  currency text,
  stock_move_id uuid,
  UNIQUE (receipt_id, line_number)
);
CREATE INDEX procurement_goods_receipt_lines_order_line_idx ON procurement_goods_receipt_lines (purchase_order_line_id);

-- A supplier invoice against one purchase order: draft, then posted, when
-- the three-way match sets it matched or exceptions; an approver may accept
-- the exceptions with a reason. The supplier's number is unique per supplier
-- (trimmed, case folded) among invoices not cancelled: a second entry of the
-- same paper invoice is refused.
CREATE TABLE procurement_supplier_invoices (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  supplier_id uuid NOT NULL REFERENCES procurement_suppliers (id),
  purchase_order_id uuid NOT NULL REFERENCES procurement_purchase_orders (id),
  invoice_number text NOT NULL,
  invoice_date date NOT NULL,
  due_date date,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  lines_amount numeric NOT NULL,
  charges_amount numeric NOT NULL,
  total_amount numeric NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'matched', 'exceptions', 'accepted', 'cancelled')),
  -- The tolerances the match ran with, kept so a later change of settings does not rewrite history.
  tolerances jsonb,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  posted_at timestamptz,
  posted_by text,
  accepted_at timestamptz,
  accepted_by text,
  accept_reason text,
  cancelled_at timestamptz,
  cancelled_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX procurement_supplier_invoices_number_idx ON procurement_supplier_invoices (site_id, supplier_id, upper(btrim(invoice_number)))
  WHERE status <> 'cancelled';
CREATE INDEX procurement_supplier_invoices_order_idx ON procurement_supplier_invoices (purchase_order_id);
CREATE INDEX procurement_supplier_invoices_status_idx ON procurement_supplier_invoices (site_id, status, created_at DESC);

CREATE TABLE procurement_supplier_invoice_lines (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  invoice_id uuid NOT NULL REFERENCES procurement_supplier_invoices (id) ON DELETE CASCADE,
  line_number integer NOT NULL CHECK (line_number > 0),
  purchase_order_line_id uuid NOT NULL REFERENCES procurement_purchase_order_lines (id),
  quantity numeric NOT NULL CHECK (quantity > 0),
  unit_price numeric NOT NULL CHECK (unit_price >= 0),
  amount numeric NOT NULL CHECK (amount >= 0),
  description text NOT NULL DEFAULT '',
  -- The match, set on posting: matched or exception, the exceptions with their figures, and the price variance.
  match_status text CHECK (match_status IN ('matched', 'exception')),
  exceptions jsonb NOT NULL DEFAULT '[]',
  order_unit_price numeric,
  price_variance_amount numeric,
  UNIQUE (invoice_id, line_number)
);
CREATE INDEX procurement_supplier_invoice_lines_order_line_idx ON procurement_supplier_invoice_lines (purchase_order_line_id);

-- Tax, freight and other charges billed beside the goods: outside the match.
CREATE TABLE procurement_supplier_invoice_charges (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  invoice_id uuid NOT NULL REFERENCES procurement_supplier_invoices (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('tax', 'freight', 'other')),
  description text NOT NULL DEFAULT '',
  amount numeric NOT NULL CHECK (amount >= 0)
);
CREATE INDEX procurement_supplier_invoice_charges_invoice_idx ON procurement_supplier_invoice_charges (invoice_id);
