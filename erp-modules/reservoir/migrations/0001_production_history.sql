-- Production history imported from before Petroflow (docs/reservoir-data.md):
-- OFM-style exports of volumes per well and day or month. Kept apart from the
-- production module's allocated volumes: history is what another system
-- reported, allocation is what this site measured and shared out.
-- Volumes in canonical SI: m3, Sm3 (gas at the site's standard conditions).

-- One CSV file as it was imported: who, when, what it held.
CREATE TABLE reservoir_history_imports (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  file_name text NOT NULL CHECK (length(btrim(file_name)) > 0),
  -- sha256 of the CSV text as received, hex.
  file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  -- The field or site whose wells the file's codes and UWIs name.
  scope_asset_id uuid NOT NULL,
  -- The units the file was declared in (converted to SI on import).
  unit_system text NOT NULL CHECK (unit_system IN ('oilfield', 'metric')),
  frequency text NOT NULL CHECK (frequency IN ('daily', 'monthly')),
  row_count integer NOT NULL CHECK (row_count > 0),
  well_count integer NOT NULL CHECK (well_count > 0),
  -- Rows of earlier imports this one superseded (replace = true).
  superseded_count integer NOT NULL DEFAULT 0 CHECK (superseded_count >= 0),
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (superseded_count = 0 OR (reason IS NOT NULL AND length(btrim(reason)) > 0))
);
CREATE INDEX reservoir_history_imports_created_idx ON reservoir_history_imports (site_id, created_at DESC);
CREATE TRIGGER reservoir_history_imports_append_only BEFORE UPDATE OR DELETE ON reservoir_history_imports
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

-- One well's volumes of one day or month. Append-only: a re-import with
-- replace = true writes new rows that name the row they supersede; the
-- current history is the rows no other row supersedes.
CREATE TABLE reservoir_production_history (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  import_id uuid NOT NULL REFERENCES reservoir_history_imports (id),
  well_id uuid NOT NULL,
  frequency text NOT NULL CHECK (frequency IN ('daily', 'monthly')),
  -- The day, or the first day of the month.
  period_start date NOT NULL CHECK (frequency = 'daily' OR extract(day FROM period_start) = 1),
  oil_volume_m3 numeric CHECK (oil_volume_m3 >= 0),
  gas_volume_sm3 numeric CHECK (gas_volume_sm3 >= 0),
  water_volume_m3 numeric CHECK (water_volume_m3 >= 0),
  -- Null when the file did not say (rates then use calendar days).
  days_on_production numeric CHECK (days_on_production >= 0 AND days_on_production <= CASE WHEN frequency = 'daily' THEN 1 ELSE 31 END),
  -- The CSV line the row came from, for the audit trail.
  source_line integer NOT NULL CHECK (source_line >= 2),
  supersedes_id uuid UNIQUE REFERENCES reservoir_production_history (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (oil_volume_m3 IS NOT NULL OR gas_volume_sm3 IS NOT NULL OR water_volume_m3 IS NOT NULL)
);
CREATE INDEX reservoir_production_history_well_idx ON reservoir_production_history (well_id, frequency, period_start);
CREATE INDEX reservoir_production_history_import_idx ON reservoir_production_history (import_id);
CREATE TRIGGER reservoir_production_history_append_only BEFORE UPDATE OR DELETE ON reservoir_production_history
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
