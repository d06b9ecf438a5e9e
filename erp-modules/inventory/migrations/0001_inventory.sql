-- Inventory: items, locations, a double-entry ledger of stock moves, balances,
-- reservations, reorder points and physical counts (docs/erp-inventory.md).
-- Quantities are numeric in the item's base unit; money is numeric with its
-- ISO 4217 currency beside it.

-- Items: spare parts, chemicals, tubulars. `unit_conversions` lists other
-- units as [{ "unit": "box", "toBase": 12 }] (1 box = 12 base units).
-- `owner`: `site` (made here) or `corporate` (a catalogue synced down later).
-- The moving-average cost and the quantity it averages over (on hand at every
-- internal location) live on the item row, updated under its row lock.
CREATE TABLE inventory_items (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  category text NOT NULL CHECK (category IN ('spare_part', 'chemical', 'tubular', 'consumable', 'other')),
  base_unit text NOT NULL,
  unit_conversions jsonb NOT NULL DEFAULT '[]',
  tracking text NOT NULL DEFAULT 'none' CHECK (tracking IN ('none', 'lot', 'serial')),
  allow_negative boolean NOT NULL DEFAULT false,
  owner text NOT NULL DEFAULT 'site' CHECK (owner IN ('site', 'corporate')),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  average_unit_cost numeric NOT NULL DEFAULT 0 CHECK (average_unit_cost >= 0),
  on_hand_quantity numeric NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  UNIQUE (site_id, code)
);

-- Warehouses, bins and yards (internal: they hold stock), and the virtual
-- locations every quantity comes from or goes to (supplier, consumption,
-- adjustment, count), one of each per site, so every move has two sides.
CREATE TABLE inventory_locations (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('warehouse', 'bin', 'yard', 'supplier', 'consumption', 'adjustment', 'count')),
  parent_id uuid REFERENCES inventory_locations (id),
  -- The site (pad, station, battery) a yard or warehouse belongs to, when known.
  site_asset_id uuid,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  UNIQUE (site_id, code)
);
CREATE UNIQUE INDEX inventory_locations_virtual_idx ON inventory_locations (site_id, kind)
  WHERE kind IN ('supplier', 'consumption', 'adjustment', 'count');

-- The ledger, append-only: a correction is a reversing move. `quantity` is
-- positive and in the item's base unit; `entered_quantity`/`entered_unit` keep
-- what the user typed. Value = quantity x unit_cost in `currency`.
CREATE TABLE stock_moves (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  item_id uuid NOT NULL REFERENCES inventory_items (id),
  move_type text NOT NULL CHECK (move_type IN ('receipt', 'issue', 'transfer', 'adjustment', 'reversal')),
  from_location_id uuid NOT NULL REFERENCES inventory_locations (id),
  to_location_id uuid NOT NULL REFERENCES inventory_locations (id),
  lot text NOT NULL DEFAULT '',
  quantity numeric NOT NULL CHECK (quantity > 0),
  entered_quantity numeric NOT NULL,
  entered_unit text NOT NULL,
  unit_cost numeric NOT NULL CHECK (unit_cost >= 0),
  currency text NOT NULL,
  value numeric NOT NULL,
  cost_object_type text CHECK (cost_object_type IN ('well', 'equipment', 'work_order', 'afe')),
  cost_object_id text,
  -- The document that caused the move (a work order, a goods receipt, a count).
  source_type text,
  source_id text,
  reservation_id uuid,
  reverses_move_id uuid REFERENCES stock_moves (id),
  source_key text,
  notes text NOT NULL DEFAULT '',
  moved_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (from_location_id <> to_location_id),
  CHECK ((cost_object_type IS NULL) = (cost_object_id IS NULL))
);
CREATE UNIQUE INDEX stock_moves_source_key_idx ON stock_moves (site_id, source_key) WHERE source_key IS NOT NULL;
CREATE UNIQUE INDEX stock_moves_reversal_idx ON stock_moves (reverses_move_id) WHERE reverses_move_id IS NOT NULL;
CREATE INDEX stock_moves_item_idx ON stock_moves (item_id, moved_at DESC);
CREATE INDEX stock_moves_from_idx ON stock_moves (from_location_id, item_id);
CREATE INDEX stock_moves_to_idx ON stock_moves (to_location_id, item_id);
CREATE INDEX stock_moves_cost_object_idx ON stock_moves (cost_object_type, cost_object_id) WHERE cost_object_id IS NOT NULL;

CREATE FUNCTION stock_moves_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock move % is in the ledger; post a reversing move instead', OLD.id USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER stock_moves_append_only BEFORE UPDATE OR DELETE ON stock_moves
  FOR EACH ROW EXECUTE FUNCTION stock_moves_append_only();

-- On hand and reserved per item, internal location and lot ('' = none),
-- updated in the move's transaction under the row lock: equal to the ledger
-- sum of moves into the location minus moves out of it.
CREATE TABLE stock_balances (
  site_id text NOT NULL,
  item_id uuid NOT NULL REFERENCES inventory_items (id),
  location_id uuid NOT NULL REFERENCES inventory_locations (id),
  lot text NOT NULL DEFAULT '',
  on_hand_quantity numeric NOT NULL DEFAULT 0,
  reserved_quantity numeric NOT NULL DEFAULT 0 CHECK (reserved_quantity >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (item_id, location_id, lot)
);
CREATE INDEX stock_balances_location_idx ON stock_balances (location_id, item_id);

-- Reservations hold stock for a document (a work order) without moving it:
-- they lower what is available, not what is on hand.
CREATE TABLE stock_reservations (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  item_id uuid NOT NULL REFERENCES inventory_items (id),
  location_id uuid NOT NULL REFERENCES inventory_locations (id),
  lot text NOT NULL DEFAULT '',
  quantity numeric NOT NULL CHECK (quantity > 0),
  consumed_quantity numeric NOT NULL DEFAULT 0 CHECK (consumed_quantity >= 0),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'consumed', 'released')),
  source_type text NOT NULL,
  source_id text NOT NULL,
  cost_object_type text CHECK (cost_object_type IN ('well', 'equipment', 'work_order', 'afe')),
  cost_object_id text,
  source_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (consumed_quantity <= quantity)
);
CREATE UNIQUE INDEX stock_reservations_source_key_idx ON stock_reservations (site_id, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX stock_reservations_source_idx ON stock_reservations (source_type, source_id);

-- Reorder points per item and internal location. `below` remembers the last
-- crossing so the event goes out once per crossing, not on every issue.
CREATE TABLE stock_reorder_points (
  id uuid NOT NULL UNIQUE,
  site_id text NOT NULL,
  item_id uuid NOT NULL REFERENCES inventory_items (id),
  location_id uuid NOT NULL REFERENCES inventory_locations (id),
  reorder_point_quantity numeric NOT NULL CHECK (reorder_point_quantity >= 0),
  reorder_quantity numeric NOT NULL DEFAULT 0 CHECK (reorder_quantity >= 0),
  below boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  PRIMARY KEY (item_id, location_id)
);

-- Physical counts: what was counted at a location; posting one writes an
-- adjustment move (from or to the count location) for every difference.
CREATE TABLE stock_counts (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  location_id uuid NOT NULL REFERENCES inventory_locations (id),
  counted_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'posted' CHECK (status IN ('posted')),
  source_key text,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE UNIQUE INDEX stock_counts_source_key_idx ON stock_counts (site_id, source_key) WHERE source_key IS NOT NULL;

CREATE TABLE stock_count_lines (
  count_id uuid NOT NULL REFERENCES stock_counts (id),
  item_id uuid NOT NULL REFERENCES inventory_items (id),
  lot text NOT NULL DEFAULT '',
  system_quantity numeric NOT NULL,
  counted_quantity numeric NOT NULL CHECK (counted_quantity >= 0),
  adjustment_move_id uuid REFERENCES stock_moves (id),
  PRIMARY KEY (count_id, item_id, lot)
);
