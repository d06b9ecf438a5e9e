-- Allocation runs: each run shares the measured site volumes of a period
-- (meters, or the tank balance) among the site's wells in proportion to
-- their theoretical production (approved well test rate x uptime). Runs and
-- their results are immutable: a correction is a new run (a restatement)
-- with a higher version; reports take, per day, the highest version that
-- covers it.

CREATE TABLE allocation_runs (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  site_asset_id uuid NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  -- 1, 2, ... per site (site_asset_id), in the order runs were made.
  version integer NOT NULL CHECK (version >= 1),
  -- The latest earlier run whose period overlaps this one, when this run restates it.
  restates_run_id uuid REFERENCES allocation_runs (id),
  reason text,
  -- What the run was computed from, so a report can explain it: the measured
  -- total per day and fluid with its source and the entries behind it, the
  -- well test used per well and day.
  inputs jsonb NOT NULL,
  warnings jsonb NOT NULL DEFAULT '[]',
  -- Per fluid: { measuredM3, allocatedM3 } as exact decimal strings.
  totals jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (period_end >= period_start AND period_end - period_start < 31),
  CHECK (restates_run_id IS NULL OR (reason IS NOT NULL AND length(btrim(reason)) > 0)),
  UNIQUE (site_asset_id, version)
);
CREATE INDEX allocation_runs_site_period_idx ON allocation_runs (site_asset_id, period_start, period_end);
CREATE TRIGGER allocation_runs_append_only BEFORE UPDATE OR DELETE ON allocation_runs
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

-- One row per well, production day and fluid of a run (only for days and
-- fluids that had a measured total). Volumes in m3 (Sm3 for gas).
CREATE TABLE allocation_results (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  run_id uuid NOT NULL REFERENCES allocation_runs (id),
  well_id uuid NOT NULL,
  production_date date NOT NULL,
  fluid text NOT NULL CHECK (fluid IN ('oil', 'gas', 'water')),
  theoretical_m3 numeric NOT NULL CHECK (theoretical_m3 >= 0),
  allocated_m3 numeric NOT NULL CHECK (allocated_m3 >= 0),
  uptime_hours numeric NOT NULL CHECK (uptime_hours >= 0 AND uptime_hours <= 24),
  -- The approved test whose rate gave the theoretical volume; null when the well had none.
  well_test_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  UNIQUE (run_id, production_date, fluid, well_id)
);
CREATE TRIGGER allocation_results_append_only BEFORE UPDATE OR DELETE ON allocation_results
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
