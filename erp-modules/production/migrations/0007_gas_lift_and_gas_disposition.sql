-- Gas lift and gas disposition (docs/erp-production.md "Gas lift and gas
-- disposition").
--
-- A gas-lift well's test separator gas is formation gas plus the lift gas
-- injected into the well, which comes back with the production. The test
-- records the lift gas injected during the test, so allocation can use the
-- formation gas rate (gas − lift gas). Null: no lift gas (ESP, rod pump,
-- natural flow) or not recorded.
ALTER TABLE well_tests ADD COLUMN lift_gas_injection_sm3_per_day numeric
  CHECK (lift_gas_injection_sm3_per_day IS NULL OR lift_gas_injection_sm3_per_day >= 0);

-- Where a site's gas went on a production day (append-only; a mistake is
-- voided). The day's entries per kind add up; the gas balance compares their
-- sum with the measured gas. `lift_recycle` is gas sent back to the wells as
-- lift gas: it returns with the production, so it is taken off the measured
-- gas before allocation (formation gas = measured gas − lift gas returned).
CREATE TABLE gas_dispositions (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  site_asset_id uuid NOT NULL,
  production_date date NOT NULL,
  disposition text NOT NULL CHECK (disposition IN ('sales', 'fuel', 'flare', 'vent', 'lift_recycle')),
  volume_sm3 numeric NOT NULL CHECK (volume_sm3 >= 0),
  source text NOT NULL CHECK (source IN ('manual', 'flow')),
  source_key text,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE UNIQUE INDEX gas_dispositions_source_key_idx ON gas_dispositions (site_id, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX gas_dispositions_site_day_idx ON gas_dispositions (site_asset_id, production_date);
CREATE TRIGGER gas_dispositions_append_only BEFORE UPDATE OR DELETE ON gas_dispositions
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

-- Gas dispositions are voided like the other entries.
-- (entry_voids_entry_type_check is the name PostgreSQL gave 0001's unnamed column check.)
ALTER TABLE entry_voids DROP CONSTRAINT entry_voids_entry_type_check;
ALTER TABLE entry_voids ADD CONSTRAINT entry_voids_entry_type_check
  CHECK (entry_type IN ('tank_gauge', 'meter_reading', 'run_ticket', 'downtime_event', 'gas_disposition'));
