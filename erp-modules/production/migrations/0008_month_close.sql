-- Month close (docs/erp-production.md "Month close"). An engineer closes a
-- site's month once its current allocation runs cover every day; entries and
-- runs of a closed month are then final. Append-only: reopening is a new row
-- (action 'reopen', an admin with a reason); the latest row per site and
-- month says whether it is closed.
CREATE TABLE production_month_closes (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  site_asset_id uuid NOT NULL,
  -- First day of the month.
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  action text NOT NULL CHECK (action IN ('close', 'reopen')),
  reason text,
  closed_by text NOT NULL,
  closed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (action = 'close' OR (reason IS NOT NULL AND length(btrim(reason)) > 0))
);
CREATE INDEX production_month_closes_site_month_idx ON production_month_closes (site_asset_id, month, closed_at);
CREATE TRIGGER production_month_closes_append_only BEFORE UPDATE OR DELETE ON production_month_closes
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

-- A change an admin made to a closed month: an entry recorded or voided, or
-- a restating allocation run. Reports list them as prior-period adjustments.
CREATE TABLE production_prior_period_adjustments (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  site_asset_id uuid NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  -- allocation_run, entry_void, or the entry type (tank_gauge, meter_reading, ...).
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  reason text NOT NULL CHECK (length(btrim(reason)) > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE INDEX production_prior_period_adjustments_site_month_idx ON production_prior_period_adjustments (site_asset_id, month);
CREATE TRIGGER production_prior_period_adjustments_append_only BEFORE UPDATE OR DELETE ON production_prior_period_adjustments
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
