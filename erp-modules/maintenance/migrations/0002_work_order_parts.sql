-- Parts on a work order (docs/erp-maintenance.md "Parts"): reserved from
-- inventory when planned, consumed when used. The stock itself, its
-- reservation and its issue live in the inventory module (its service);
-- this row is the order's view of them, with the value consumed.
CREATE TABLE maintenance_work_order_parts (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  work_order_id uuid NOT NULL REFERENCES maintenance_work_orders (id) ON DELETE CASCADE,
  item_id uuid NOT NULL,
  location_id uuid NOT NULL,
  reservation_id uuid NOT NULL UNIQUE,
  quantity numeric NOT NULL CHECK (quantity > 0),
  unit text,
  consumed_quantity numeric NOT NULL DEFAULT 0 CHECK (consumed_quantity >= 0),
  consumed_value numeric NOT NULL DEFAULT 0,
  currency text,
  status text NOT NULL DEFAULT 'reserved' CHECK (status IN ('reserved', 'consumed', 'released')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE INDEX maintenance_work_order_parts_order_idx ON maintenance_work_order_parts (work_order_id);
