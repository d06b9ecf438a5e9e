-- Alarm definitions, stored with their tag (deleted with it). The alarm
-- engine's states and journal are in later migrations of this module.
CREATE TABLE alarm_definitions (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  tag_id uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('hihi', 'hi', 'lo', 'lolo', 'roc', 'discrete', 'deviation')),
  limit_value double precision,
  alarm_state text,
  setpoint_path text,
  priority text NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  deadband double precision NOT NULL DEFAULT 0 CHECK (deadband >= 0),
  on_delay_seconds double precision NOT NULL DEFAULT 0 CHECK (on_delay_seconds >= 0),
  off_delay_seconds double precision NOT NULL DEFAULT 0 CHECK (off_delay_seconds >= 0),
  area text NOT NULL,
  message text NOT NULL DEFAULT '',
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  -- One definition of a kind per tag (one HiHi, one Hi, ...); discrete alarms are one per tag too.
  UNIQUE (tag_id, kind),
  CHECK ((kind IN ('hihi', 'hi', 'lo', 'lolo', 'roc', 'deviation')) = (limit_value IS NOT NULL)),
  CHECK ((kind = 'discrete') = (alarm_state IS NOT NULL)),
  CHECK ((kind = 'deviation') = (setpoint_path IS NOT NULL))
);
CREATE INDEX alarm_definitions_area_idx ON alarm_definitions (area);
