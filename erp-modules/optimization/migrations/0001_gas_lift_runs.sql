-- Gas-lift closed loop with approval (docs/optimization-closed-loop.md).
-- Limits per well, optimisation runs with their per-well setpoints, and the
-- record of every setpoint write a flow made for an approved run.

-- The injection range an engineer allows a well, and the tag its setpoint is
-- written to. A run's setpoint outside this range is refused at run creation,
-- at approval and again before the flow writes it.
CREATE TABLE gas_lift_well_limits (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  well_id uuid NOT NULL,
  min_injection_sm3_per_day numeric NOT NULL CHECK (min_injection_sm3_per_day >= 0),
  max_injection_sm3_per_day numeric NOT NULL,
  -- <site>/<asset>/<point>, e.g. SITE1/WELL-201/GL_INJ_SP.
  setpoint_tag_path text NOT NULL CHECK (length(btrim(setpoint_tag_path)) > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  updated_by text NOT NULL,
  CHECK (max_injection_sm3_per_day >= min_injection_sm3_per_day),
  UNIQUE (site_id, well_id)
);

-- A site's lift-gas compressor capacity: the gas a run shares out when the
-- engineer gives none, and the most it may use otherwise.
CREATE TABLE gas_lift_sites (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  site_asset_id uuid NOT NULL,
  compressor_capacity_sm3_per_day numeric NOT NULL CHECK (compressor_capacity_sm3_per_day > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  updated_by text NOT NULL,
  UNIQUE (site_id, site_asset_id)
);

-- One optimisation run: what it was given (inputs: curves, limits, gas), what
-- the solver answered (result) and its approval lifecycle:
-- proposed -> approved | rejected; approved -> writing -> sent | partially_failed | failed.
CREATE TABLE gas_lift_runs (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  site_asset_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'writing', 'sent', 'partially_failed', 'failed')),
  gas_available_sm3_per_day numeric NOT NULL CHECK (gas_available_sm3_per_day >= 0),
  -- request: the engineer gave the gas; compressor: the compressors' capacity.
  gas_source text NOT NULL CHECK (gas_source IN ('request', 'compressor')),
  inputs jsonb NOT NULL,
  result jsonb NOT NULL,
  decided_by text,
  decided_at timestamptz,
  reason text,
  writes_started_at timestamptz,
  writes_finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (status <> 'rejected' OR (reason IS NOT NULL AND length(btrim(reason)) > 0)),
  CHECK (status = 'proposed' OR (decided_by IS NOT NULL AND decided_at IS NOT NULL))
);
CREATE INDEX gas_lift_runs_site_created_idx ON gas_lift_runs (site_id, site_asset_id, created_at DESC);

-- A run's setpoint per well, fixed when the run is created (append-only).
CREATE TABLE gas_lift_run_setpoints (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  run_id uuid NOT NULL REFERENCES gas_lift_runs (id),
  well_id uuid NOT NULL,
  well_code text NOT NULL,
  tag_path text NOT NULL,
  current_injection_sm3_per_day numeric,
  recommended_injection_sm3_per_day numeric NOT NULL CHECK (recommended_injection_sm3_per_day >= 0),
  current_oil_m3_per_day numeric,
  expected_oil_m3_per_day numeric NOT NULL,
  -- The well's limits when the run was made.
  min_injection_sm3_per_day numeric NOT NULL,
  max_injection_sm3_per_day numeric NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  UNIQUE (run_id, well_id)
);
CREATE TRIGGER gas_lift_run_setpoints_append_only BEFORE UPDATE OR DELETE ON gas_lift_run_setpoints
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

-- One write of a run's setpoint to its device, as the flow reported it
-- (append-only; at most one per setpoint: a run is written once).
CREATE TABLE gas_lift_setpoint_writes (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  run_id uuid NOT NULL REFERENCES gas_lift_runs (id),
  setpoint_id uuid NOT NULL UNIQUE REFERENCES gas_lift_run_setpoints (id),
  well_id uuid NOT NULL,
  tag_path text NOT NULL,
  value_sm3_per_day numeric NOT NULL,
  -- refused: not sent to the device (outside the limits when the flow took it).
  outcome text NOT NULL CHECK (outcome IN ('confirmed', 'unconfirmed', 'failed', 'refused')),
  read_back_sm3_per_day numeric,
  detail text,
  written_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE INDEX gas_lift_setpoint_writes_run_idx ON gas_lift_setpoint_writes (run_id);
CREATE TRIGGER gas_lift_setpoint_writes_append_only BEFORE UPDATE OR DELETE ON gas_lift_setpoint_writes
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
