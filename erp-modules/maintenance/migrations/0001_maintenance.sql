-- Maintenance (issue 12, docs/erp-maintenance.md): preventive plans per
-- equipment (calendar or meter), work orders with tasks, labour, failure
-- codes and attachments. Equipment is an asset id of the asset register
-- (equipment or well); the module reads it through the asset service only.

-- A preventive plan. Calendar plans come due every interval_days after the
-- last time they were done; meter plans when the meter counted since then
-- reaches interval_amount. A tag meter is counted from the historian
-- (run_hours and starts from a running tag, throughput from a rate tag per
-- day); a manual meter takes hand readings (maintenance_meter_readings).
CREATE TABLE maintenance_plans (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  equipment_id uuid NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('calendar', 'meter')),
  interval_days numeric CHECK (interval_days IS NULL OR interval_days > 0),
  meter text CHECK (meter IS NULL OR meter IN ('run_hours', 'starts', 'throughput', 'manual')),
  tag_path text,
  interval_amount numeric CHECK (interval_amount IS NULL OR interval_amount > 0),
  -- When the plan was last done (a preventive order completed, or the plan's start).
  last_done_at timestamptz NOT NULL,
  -- The manual meter's reading when last done.
  last_done_reading numeric,
  tasks jsonb NOT NULL DEFAULT '[]',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK ((kind = 'calendar' AND interval_days IS NOT NULL AND meter IS NULL)
      OR (kind = 'meter' AND meter IS NOT NULL AND interval_amount IS NOT NULL AND (meter = 'manual' OR tag_path IS NOT NULL)))
);
CREATE INDEX maintenance_plans_equipment_idx ON maintenance_plans (site_id, equipment_id);

-- Hand readings of a manual meter, cumulative (an hour counter read off the panel).
CREATE TABLE maintenance_meter_readings (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  plan_id uuid NOT NULL REFERENCES maintenance_plans (id) ON DELETE CASCADE,
  read_at timestamptz NOT NULL,
  reading numeric NOT NULL CHECK (reading >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
CREATE INDEX maintenance_meter_readings_plan_idx ON maintenance_meter_readings (plan_id, read_at DESC);

CREATE TABLE maintenance_work_orders (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  number bigserial NOT NULL,
  equipment_id uuid NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('corrective', 'preventive')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status text NOT NULL CHECK (status IN ('requested', 'approved', 'scheduled', 'in_progress', 'done', 'cancelled')),
  -- What opened it: alarm:<tag path>, plan:<plan id>; at most one open order per condition.
  condition_key text,
  plan_id uuid REFERENCES maintenance_plans (id),
  alarm_id text,
  -- The tag whose trend the order links to (the alarm's tag).
  trend_tag_path text,
  failed_at timestamptz,
  scheduled_for timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  problem_code text,
  cause_code text,
  remedy_code text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
-- Concurrent triggers of one condition create exactly one open order: the second insert fails here.
CREATE UNIQUE INDEX maintenance_work_orders_open_condition_idx ON maintenance_work_orders (site_id, condition_key)
  WHERE condition_key IS NOT NULL AND status NOT IN ('done', 'cancelled');
CREATE INDEX maintenance_work_orders_equipment_idx ON maintenance_work_orders (site_id, equipment_id, created_at DESC);
CREATE INDEX maintenance_work_orders_status_idx ON maintenance_work_orders (site_id, status);

CREATE TABLE maintenance_work_order_tasks (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  work_order_id uuid NOT NULL REFERENCES maintenance_work_orders (id) ON DELETE CASCADE,
  ordinal integer NOT NULL CHECK (ordinal >= 0),
  description text NOT NULL,
  done boolean NOT NULL DEFAULT false,
  UNIQUE (work_order_id, ordinal)
);

CREATE TABLE maintenance_labour (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  work_order_id uuid NOT NULL REFERENCES maintenance_work_orders (id) ON DELETE CASCADE,
  technician text NOT NULL,
  hours numeric NOT NULL CHECK (hours > 0 AND hours <= 24),
  worked_on date NOT NULL,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
CREATE INDEX maintenance_labour_order_idx ON maintenance_labour (work_order_id);

-- Small files (photos, reports) kept in the database: they are backed up,
-- synced and access-checked with the order, and never served from a path.
CREATE TABLE maintenance_attachments (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  work_order_id uuid NOT NULL REFERENCES maintenance_work_orders (id) ON DELETE CASCADE,
  file_name text NOT NULL,
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
CREATE INDEX maintenance_attachments_order_idx ON maintenance_attachments (work_order_id);
