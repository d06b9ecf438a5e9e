-- Setpoint writes (docs/setpoints.md): whether a tag may be written to its
-- device from the web app or a flow, the range a written value must stay in
-- (tag units; null = no limit on that side), and the least role that may write.
ALTER TABLE tags ADD COLUMN writable boolean NOT NULL DEFAULT false;
ALTER TABLE tags ADD COLUMN write_min numeric;
ALTER TABLE tags ADD COLUMN write_max numeric;
ALTER TABLE tags ADD COLUMN write_role text NOT NULL DEFAULT 'operator'
  CHECK (write_role IN ('operator', 'engineer', 'admin'));
ALTER TABLE tags ADD CONSTRAINT tags_write_limits_order CHECK (write_min IS NULL OR write_max IS NULL OR write_min <= write_max);
