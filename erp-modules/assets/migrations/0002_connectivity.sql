-- Process connectivity: the register owns the plant, so the field overview,
-- allocation and lift-gas supply all read it from here. A connection is one
-- stream from one asset to another (well → flowline → manifold → separator →
-- tanks, meters, compressor → sales or disposal point; compressor → gas-lift
-- wells for lift gas). Loops are legal (lift gas returns with production),
-- so nothing here forbids a cycle; the service checks what a stream may join.
ALTER TABLE equipment DROP CONSTRAINT equipment_equipment_type_check;
ALTER TABLE equipment ADD CONSTRAINT equipment_equipment_type_check CHECK (equipment_type IN (
  'esp', 'compressor', 'separator', 'tank', 'meter', 'flowline', 'manifold', 'header',
  'sales_point', 'disposal_point', 'other'));
-- Test separators measure one well at a time; production separators measure the commingled stream.
ALTER TABLE equipment ADD COLUMN separator_service text CHECK (separator_service IN ('test', 'production'));

CREATE TABLE asset_connections (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  from_asset_id uuid NOT NULL REFERENCES assets (id),
  to_asset_id uuid NOT NULL REFERENCES assets (id),
  stream text NOT NULL CHECK (stream IN ('production', 'oil', 'gas', 'water', 'lift_gas')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CONSTRAINT asset_connections_not_self CHECK (from_asset_id <> to_asset_id),
  CONSTRAINT asset_connections_unique UNIQUE (from_asset_id, to_asset_id, stream)
);
CREATE INDEX asset_connections_site_idx ON asset_connections (site_id);
CREATE INDEX asset_connections_to_idx ON asset_connections (to_asset_id);
