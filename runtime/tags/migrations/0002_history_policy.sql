-- Which tags the historian stores, and how much it compresses them
-- (docs/historian.md). Off by default: a site chooses what to keep.
ALTER TABLE tags ADD COLUMN history_enabled boolean NOT NULL DEFAULT false;
-- Swinging-door deviation in the tag's unit; 0 stores every change.
ALTER TABLE tags ADD COLUMN history_deviation numeric NOT NULL DEFAULT 0 CHECK (history_deviation >= 0);
-- Longest time between two stored values.
ALTER TABLE tags ADD COLUMN history_max_interval_seconds integer NOT NULL DEFAULT 3600
  CHECK (history_max_interval_seconds BETWEEN 1 AND 86400);
