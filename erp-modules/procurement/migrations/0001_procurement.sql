-- Procurement (issue 12 §3, docs/erp-procurement.md): suppliers and their
-- prices, requisitions, purchase orders. Items and locations are ids of the
-- inventory module, read through its service only; quantities are in the
-- item's base (stock) unit, money is numeric with its ISO 4217 currency.
-- Goods receipts, supplier invoices and the three-way match are migration 0002.

CREATE TABLE procurement_suppliers (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  tax_id text NOT NULL DEFAULT '',
  contact_name text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  phone text NOT NULL DEFAULT '',
  address text NOT NULL DEFAULT '',
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  payment_terms_days integer NOT NULL DEFAULT 30 CHECK (payment_terms_days >= 0),
  active boolean NOT NULL DEFAULT true,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  UNIQUE (site_id, code)
);

-- What a supplier sells us and at what price. Several rows per supplier and
-- item are allowed (successive validity periods); the price lookup takes the
-- preferred valid one (docs "Prices").
CREATE TABLE procurement_supplier_items (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  supplier_id uuid NOT NULL REFERENCES procurement_suppliers (id),
  item_id uuid NOT NULL,
  supplier_part_number text NOT NULL DEFAULT '',
  unit_price numeric NOT NULL CHECK (unit_price >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  valid_from date,
  valid_to date,
  lead_time_days integer NOT NULL DEFAULT 0 CHECK (lead_time_days >= 0),
  min_order_quantity numeric NOT NULL DEFAULT 0 CHECK (min_order_quantity >= 0),
  preferred boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX procurement_supplier_items_item_idx ON procurement_supplier_items (site_id, item_id);
CREATE INDEX procurement_supplier_items_supplier_idx ON procurement_supplier_items (supplier_id);

CREATE TABLE procurement_requisitions (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  number bigserial NOT NULL,
  source text NOT NULL CHECK (source IN ('manual', 'reorder_point', 'work_order')),
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
CREATE INDEX procurement_requisitions_created_idx ON procurement_requisitions (site_id, created_at DESC);

-- A line is open until a purchase order takes it (ordered) or it is
-- cancelled; a cancelled order gives its lines back (open again).
-- fulfilled_at is set when its order line is fully received or its order is
-- closed: the demand is no longer outstanding.
CREATE TABLE procurement_requisition_lines (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  requisition_id uuid NOT NULL REFERENCES procurement_requisitions (id),
  item_id uuid NOT NULL,
  quantity numeric NOT NULL CHECK (quantity > 0),
  unit text NOT NULL,
  -- Where the stock is wanted (the reorder point's or the work order part's location).
  location_id uuid,
  needed_by date,
  source text NOT NULL CHECK (source IN ('manual', 'reorder_point', 'work_order')),
  -- reorder_point: the location id; work_order: the work order id; manual: free text or empty.
  source_ref text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ordered', 'cancelled')),
  purchase_order_line_id uuid,
  fulfilled_at timestamptz,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE INDEX procurement_requisition_lines_requisition_idx ON procurement_requisition_lines (requisition_id);
CREATE INDEX procurement_requisition_lines_status_idx ON procurement_requisition_lines (site_id, status);
-- Concurrent triggers raise one line: while an automatic line for the same
-- item and place (reorder point) or the same work order is outstanding, a
-- second insert fails here and the trigger is answered with the first.
CREATE UNIQUE INDEX procurement_requisition_lines_outstanding_idx ON procurement_requisition_lines (site_id, source, source_ref, item_id)
  WHERE source IN ('reorder_point', 'work_order') AND status <> 'cancelled' AND fulfilled_at IS NULL;

CREATE SEQUENCE procurement_purchase_order_number_seq;

CREATE TABLE procurement_purchase_orders (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  number text NOT NULL,
  supplier_id uuid NOT NULL REFERENCES procurement_suppliers (id),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN
    ('draft', 'submitted', 'approved', 'rejected', 'sent', 'partially_received', 'received', 'closed', 'cancelled')),
  -- Sum of the line totals; tax_amount is typed from the supplier's quote; total = subtotal + tax.
  subtotal_amount numeric NOT NULL DEFAULT 0,
  tax_amount numeric NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
  total_amount numeric NOT NULL DEFAULT 0,
  delivery_location_id uuid,
  expected_at date,
  notes text NOT NULL DEFAULT '',
  created_by text NOT NULL,
  submitted_by text,
  submitted_at timestamptz,
  approved_by text,
  approved_at timestamptz,
  -- The total in the site currency the approval was checked against.
  approved_site_total numeric,
  rejected_by text,
  rejected_at timestamptz,
  rejection_reason text,
  sent_by text,
  sent_at timestamptz,
  cancelled_by text,
  cancelled_at timestamptz,
  cancel_reason text,
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  UNIQUE (site_id, number)
);
CREATE INDEX procurement_purchase_orders_status_idx ON procurement_purchase_orders (site_id, status, created_at DESC);
CREATE INDEX procurement_purchase_orders_supplier_idx ON procurement_purchase_orders (supplier_id);

CREATE TABLE procurement_purchase_order_lines (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  purchase_order_id uuid NOT NULL REFERENCES procurement_purchase_orders (id) ON DELETE CASCADE,
  line_number integer NOT NULL CHECK (line_number > 0),
  item_id uuid NOT NULL,
  description text NOT NULL DEFAULT '',
  supplier_part_number text NOT NULL DEFAULT '',
  quantity numeric NOT NULL CHECK (quantity > 0),
  unit text NOT NULL,
  unit_price numeric NOT NULL CHECK (unit_price >= 0),
  line_total numeric NOT NULL CHECK (line_total >= 0),
  needed_by date,
  requisition_line_id uuid REFERENCES procurement_requisition_lines (id),
  -- Maintained by goods receipts and supplier invoices (migration 0002, recordReceived / recordInvoiced).
  received_quantity numeric NOT NULL DEFAULT 0 CHECK (received_quantity >= 0),
  invoiced_quantity numeric NOT NULL DEFAULT 0 CHECK (invoiced_quantity >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  UNIQUE (purchase_order_id, line_number)
);
CREATE INDEX procurement_purchase_order_lines_order_idx ON procurement_purchase_order_lines (purchase_order_id);
CREATE INDEX procurement_purchase_order_lines_requisition_idx ON procurement_purchase_order_lines (requisition_line_id) WHERE requisition_line_id IS NOT NULL;
