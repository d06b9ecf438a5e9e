-- Tag history: one row per stored value, partitioned by day on ts (native
-- declarative partitioning: runtime/historian/partitions.ts creates the
-- partitions ahead and drops them past retention). No foreign key to tags:
-- a deleted tag's history stays until retention drops its partitions.
-- The columns and the (tag_id, ts) key are what a TimescaleDB hypertable
-- needs (its unique indexes must include the time column): see
-- docs/historian.md for the path to one.
CREATE TABLE history (
  tag_id uuid NOT NULL,
  ts timestamptz NOT NULL,
  -- Exactly one of the three holds the value, by the tag's data type; all
  -- null is a value of null (a bad-quality sample with no value).
  value_num double precision,
  value_bool boolean,
  value_text text,
  -- 0 good, 1 uncertain, 2 bad (runtime/historian/partitions.ts: QUALITY_CODES).
  quality smallint NOT NULL CHECK (quality IN (0, 1, 2)),
  PRIMARY KEY (tag_id, ts)
) PARTITION BY RANGE (ts);

-- Minutes whose rollups must be recomputed: the writer adds (tag, minute)
-- for every batch in the batch's own transaction, so a crash never leaves a
-- committed value out of its rollups; the rollup job consumes them.
CREATE TABLE history_rollup_dirty (
  tag_id uuid NOT NULL,
  minute timestamptz NOT NULL,
  PRIMARY KEY (tag_id, minute)
);
