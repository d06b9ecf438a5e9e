-- The asset register: field → site (pad, station, battery) → well → equipment.
-- One row per asset in `assets`; wells and equipment carry their own fields in
-- one-to-one extension tables. The hierarchy rules (which kind hangs under
-- which) are the service's; the checks here only keep each row consistent.
-- `code` is the middle level of tag paths (SITE1/WELL-101/THP), so it follows
-- the tag path segment rule and is unique per Petroflow site.
CREATE TABLE assets (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('field', 'site', 'well', 'equipment')),
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  parent_id uuid REFERENCES assets (id),
  site_type text CHECK (site_type IN ('pad', 'station', 'battery')),
  latitude numeric CHECK (latitude BETWEEN -90 AND 90),
  longitude numeric CHECK (longitude BETWEEN -180 AND 180),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CONSTRAINT assets_code_unique UNIQUE (site_id, code),
  CONSTRAINT assets_field_is_root CHECK ((kind = 'field') = (parent_id IS NULL)),
  CONSTRAINT assets_site_type_only_sites CHECK ((kind = 'site') = (site_type IS NOT NULL))
);
CREATE INDEX assets_parent_idx ON assets (parent_id, code);
CREATE INDEX assets_kind_idx ON assets (site_id, kind, code);

CREATE TABLE wells (
  asset_id uuid PRIMARY KEY REFERENCES assets (id),
  site_id text NOT NULL,
  -- API/UWI number: one well, one number, when it has one.
  uwi text,
  lift_type text NOT NULL CHECK (lift_type IN ('natural_flow', 'esp', 'gas_lift', 'rod_pump')),
  status text NOT NULL CHECK (status IN ('producing', 'shut_in', 'suspended', 'abandoned')),
  status_since timestamptz NOT NULL,
  completion jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE UNIQUE INDEX wells_uwi_unique ON wells (site_id, uwi) WHERE uwi IS NOT NULL;

CREATE TABLE equipment (
  asset_id uuid PRIMARY KEY REFERENCES assets (id),
  site_id text NOT NULL,
  equipment_type text NOT NULL CHECK (equipment_type IN ('esp', 'compressor', 'separator', 'tank', 'meter', 'other')),
  manufacturer text,
  model text,
  serial_number text,
  capacity_m3 numeric CHECK (capacity_m3 > 0),
  -- [{ "levelM": 0, "volumeM3": 0 }, ...], checked by model/strapping.ts.
  strapping_table jsonb,
  meter_service text CHECK (meter_service IN ('fiscal', 'sales', 'check')),
  fluid text CHECK (fluid IN ('oil', 'gas', 'water'))
);

-- Every status a well has had (append-only): the current one is also kept on
-- wells.status / status_since, written in the same transaction.
CREATE TABLE well_status_history (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  well_id uuid NOT NULL REFERENCES assets (id),
  status text NOT NULL CHECK (status IN ('producing', 'shut_in', 'suspended', 'abandoned')),
  effective_at timestamptz NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE INDEX well_status_history_well_idx ON well_status_history (well_id, effective_at DESC, id DESC);

CREATE TRIGGER well_status_history_append_only
  BEFORE UPDATE OR DELETE ON well_status_history
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

-- Which tag plays which role for an asset (oil_rate → SITE1/WELL-101/OIL_RATE).
CREATE TABLE asset_tags (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  asset_id uuid NOT NULL REFERENCES assets (id),
  role text NOT NULL,
  tag_path text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CONSTRAINT asset_tags_role_unique UNIQUE (asset_id, role)
);
CREATE INDEX asset_tags_path_idx ON asset_tags (tag_path);
