-- The alarm engine's memory: the state of every alarm (tag alarms by their
-- definition's id, system alarms by `system:<key>`), so acknowledgements,
-- shelving and out-of-service survive a restart, and the append-only
-- journal of every transition.
CREATE TABLE alarm_states (
  alarm_id text PRIMARY KEY,
  site_id text NOT NULL,
  -- What the alarm is, kept here too so a system alarm (which has no
  -- definition row) comes back after a restart as it was.
  kind text NOT NULL,
  tag_path text,
  priority text NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  area text NOT NULL,
  message text NOT NULL,
  state text NOT NULL CHECK (state IN ('normal', 'active_unack', 'active_ack', 'rtn_unack')),
  mode text NOT NULL CHECK (mode IN ('enabled', 'shelved', 'suppressed', 'out_of_service')),
  -- The process condition, tracked under an overlay too (the alarm comes back if it is still active).
  condition_active boolean NOT NULL DEFAULT false,
  active_since timestamptz,
  last_change_at timestamptz NOT NULL,
  acked_at timestamptz,
  acked_by text,
  ack_comment text,
  shelved_until timestamptz,
  shelved_by text,
  shelve_reason text,
  suppressed_reason text,
  out_of_service_by text,
  out_of_service_reason text,
  last_value jsonb,
  limit_value double precision,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alarm_states_shelved_idx ON alarm_states (shelved_until) WHERE shelved_until IS NOT NULL;

CREATE TABLE alarm_journal (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  at timestamptz NOT NULL,
  alarm_id text NOT NULL,
  tag_path text,
  kind text NOT NULL,
  priority text NOT NULL,
  area text NOT NULL,
  message text NOT NULL,
  transition text NOT NULL CHECK (transition IN (
    'activate', 'acknowledge', 'return', 'reset', 'shelve', 'unshelve', 'shelve_expired',
    'suppress', 'unsuppress', 'out_of_service', 'in_service'
  )),
  from_state text NOT NULL,
  to_state text NOT NULL,
  mode text NOT NULL,
  value jsonb,
  user_name text,
  comment text
);
-- Journal search: by time (newest first), and by time within an area, a priority, a tag or an alarm.
CREATE INDEX alarm_journal_at_idx ON alarm_journal (at DESC, id DESC);
CREATE INDEX alarm_journal_area_idx ON alarm_journal (area, at DESC);
CREATE INDEX alarm_journal_priority_idx ON alarm_journal (priority, at DESC);
CREATE INDEX alarm_journal_tag_idx ON alarm_journal (tag_path, at DESC);
CREATE INDEX alarm_journal_alarm_idx ON alarm_journal (alarm_id, at DESC);
-- KPIs read activations only.
CREATE INDEX alarm_journal_activations_idx ON alarm_journal (at) WHERE transition = 'activate';

CREATE TRIGGER alarm_journal_append_only
  BEFORE UPDATE OR DELETE ON alarm_journal
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

CREATE TRIGGER alarm_journal_no_truncate
  BEFORE TRUNCATE ON alarm_journal
  FOR EACH STATEMENT EXECUTE FUNCTION reject_append_only_change();
