-- Production accounting entries: what operators and flows record each day.
-- Quantities are canonical SI: m, m3, Sm3 (gas at standard conditions), kPa,
-- degC, hours. `site_asset_id` is the site (pad, station, battery) of the
-- well, tank or meter, resolved through the assets service when the entry is
-- made, so reports and allocation select by site without joining assets.
-- `source_key`: the idempotency key flows derive from a message; a second
-- entry with the same key returns the first.

-- Well tests at the test separator: proposed (by a flow or by hand), then
-- approved or rejected by an engineer. Only approved tests feed allocation.
CREATE TABLE well_tests (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  well_id uuid NOT NULL,
  site_asset_id uuid NOT NULL,
  started_at timestamptz NOT NULL,
  duration_hours numeric NOT NULL CHECK (duration_hours > 0),
  oil_rate_m3_per_day numeric NOT NULL CHECK (oil_rate_m3_per_day >= 0),
  gas_rate_sm3_per_day numeric NOT NULL CHECK (gas_rate_sm3_per_day >= 0),
  water_rate_m3_per_day numeric NOT NULL CHECK (water_rate_m3_per_day >= 0),
  choke_percent numeric,
  tubing_pressure_kpa numeric,
  casing_pressure_kpa numeric,
  separator_pressure_kpa numeric,
  status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
  decided_by text,
  decided_at timestamptz,
  decision_note text NOT NULL DEFAULT '',
  source text NOT NULL CHECK (source IN ('manual', 'flow')),
  source_key text,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (status = 'proposed' OR (decided_by IS NOT NULL AND decided_at IS NOT NULL))
);
CREATE UNIQUE INDEX well_tests_source_key_idx ON well_tests (site_id, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX well_tests_well_idx ON well_tests (well_id, started_at DESC);
CREATE INDEX well_tests_site_status_idx ON well_tests (site_asset_id, status, started_at DESC);

-- A decided test never changes again: a better test is a new test.
CREATE FUNCTION well_tests_decided_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.status <> 'proposed' THEN
    RAISE EXCEPTION 'well test % is %; decided tests are final', OLD.id, OLD.status USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER well_tests_final BEFORE UPDATE OR DELETE ON well_tests
  FOR EACH ROW EXECUTE FUNCTION well_tests_decided_are_final();

-- Tank gauges (append-only): level by hand or from a level transmitter, turned
-- into a volume by the tank's strapping table when recorded.
CREATE TABLE tank_gauges (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  tank_id uuid NOT NULL,
  site_asset_id uuid NOT NULL,
  gauged_at timestamptz NOT NULL,
  level_m numeric NOT NULL CHECK (level_m >= 0),
  water_level_m numeric CHECK (water_level_m >= 0),
  temperature_deg_c numeric,
  volume_m3 numeric NOT NULL CHECK (volume_m3 >= 0),
  water_volume_m3 numeric CHECK (water_volume_m3 >= 0),
  source text NOT NULL CHECK (source IN ('manual', 'flow')),
  source_key text,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (water_level_m IS NULL OR water_level_m <= level_m)
);
CREATE UNIQUE INDEX tank_gauges_source_key_idx ON tank_gauges (site_id, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX tank_gauges_tank_idx ON tank_gauges (tank_id, gauged_at DESC);
CREATE INDEX tank_gauges_site_idx ON tank_gauges (site_asset_id, gauged_at);
CREATE TRIGGER tank_gauges_append_only BEFORE UPDATE OR DELETE ON tank_gauges
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

-- Daily meter readings (append-only): fiscal, sales or check meters at a site.
-- A correction is a later reading for the same meter, day and fluid (the
-- latest one that is not voided counts).
CREATE TABLE meter_readings (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  meter_id uuid NOT NULL,
  site_asset_id uuid NOT NULL,
  production_date date NOT NULL,
  fluid text NOT NULL CHECK (fluid IN ('oil', 'gas', 'water')),
  volume_m3 numeric NOT NULL CHECK (volume_m3 >= 0),
  totalizer_m3 numeric CHECK (totalizer_m3 >= 0),
  source text NOT NULL CHECK (source IN ('manual', 'flow')),
  source_key text,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE UNIQUE INDEX meter_readings_source_key_idx ON meter_readings (site_id, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX meter_readings_site_day_idx ON meter_readings (site_asset_id, production_date, fluid);
CREATE TRIGGER meter_readings_append_only BEFORE UPDATE OR DELETE ON meter_readings
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

-- Run tickets (append-only): volumes leaving the site by truck or pipeline.
CREATE TABLE run_tickets (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  site_asset_id uuid NOT NULL,
  tank_id uuid,
  ticket_number text NOT NULL,
  shipped_at timestamptz NOT NULL,
  fluid text NOT NULL CHECK (fluid IN ('oil', 'gas', 'water')),
  volume_m3 numeric NOT NULL CHECK (volume_m3 > 0),
  destination text NOT NULL CHECK (destination IN ('truck', 'pipeline')),
  carrier text NOT NULL DEFAULT '',
  source text NOT NULL CHECK (source IN ('manual', 'flow')),
  source_key text,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE UNIQUE INDEX run_tickets_source_key_idx ON run_tickets (site_id, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX run_tickets_site_idx ON run_tickets (site_asset_id, shipped_at);
-- A ticket number is used once per site (pad, station, battery) among the
-- tickets that are not voided; the service checks it under a lock.
CREATE INDEX run_tickets_number_idx ON run_tickets (site_asset_id, ticket_number);
CREATE TRIGGER run_tickets_append_only BEFORE UPDATE OR DELETE ON run_tickets
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

-- Well downtime with a reason code. Open while ended_at is null; closing it
-- (setting ended_at once) is the only change allowed.
CREATE TABLE downtime_events (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  well_id uuid NOT NULL,
  site_asset_id uuid NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz CHECK (ended_at IS NULL OR ended_at > started_at),
  reason_code text NOT NULL,
  source text NOT NULL CHECK (source IN ('manual', 'flow')),
  source_key text,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE UNIQUE INDEX downtime_events_source_key_idx ON downtime_events (site_id, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX downtime_events_well_idx ON downtime_events (well_id, started_at);
CREATE INDEX downtime_events_site_idx ON downtime_events (site_asset_id, started_at);
CREATE INDEX downtime_events_open_idx ON downtime_events (well_id) WHERE ended_at IS NULL;

CREATE FUNCTION downtime_events_close_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.ended_at IS NOT NULL OR NEW.ended_at IS NULL
     OR (NEW.id, NEW.site_id, NEW.well_id, NEW.site_asset_id, NEW.started_at, NEW.reason_code, NEW.source, NEW.source_key,
         NEW.notes, NEW.created_at, NEW.created_by)
        IS DISTINCT FROM
        (OLD.id, OLD.site_id, OLD.well_id, OLD.site_asset_id, OLD.started_at, OLD.reason_code, OLD.source, OLD.source_key,
         OLD.notes, OLD.created_at, OLD.created_by) THEN
    RAISE EXCEPTION 'downtime event %: only closing an open event is allowed', OLD.id USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER downtime_events_close_only BEFORE UPDATE OR DELETE ON downtime_events
  FOR EACH ROW EXECUTE FUNCTION downtime_events_close_only();

-- A mistaken entry is cancelled by a void (the reversing entry), never edited
-- or deleted. Reads and allocation skip voided entries.
CREATE TABLE entry_voids (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  entry_type text NOT NULL CHECK (entry_type IN ('tank_gauge', 'meter_reading', 'run_ticket', 'downtime_event')),
  entry_id uuid NOT NULL,
  reason text NOT NULL CHECK (length(reason) > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  UNIQUE (entry_type, entry_id)
);
CREATE TRIGGER entry_voids_append_only BEFORE UPDATE OR DELETE ON entry_voids
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
