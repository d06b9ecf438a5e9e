-- Rollups of numeric history (runtime/historian/rollups.ts keeps them
-- current from history_rollup_dirty): one row per tag and minute, and per
-- tag and hour, that holds at least one sample. Every column combines: an
-- hour from its minutes, a query bucket from hours or minutes
-- (runtime/historian/history-math.ts combineBuckets), so long ranges never
-- read raw rows. Bool values count as 0/1; text never counts.
--
-- Not partitioned (docs/decisions.md): a year of one tag is 525,600 minute
-- rows against 31.5 M raw rows at 1 s, and retention of rollups is a
-- batched delete by time on the primary key. A TimescaleDB site would use
-- continuous aggregates instead; these tables keep the same columns.
CREATE TABLE history_rollup_1m (
  tag_id uuid NOT NULL,
  bucket timestamptz NOT NULL,
  -- Good numeric samples in the bucket, and their min, max and sum (avg = sum / count).
  count integer NOT NULL CHECK (count >= 0),
  min double precision,
  max double precision,
  sum double precision NOT NULL,
  first_ts timestamptz,
  first_value double precision,
  last_ts timestamptz,
  last_value double precision,
  -- Time-weighted average parts: the held value integrated over the bucket's
  -- known time (value x milliseconds), and that time. The value before the
  -- bucket's first sample is the previous sample's, so a late value can
  -- change the next bucket with a sample too (the job recomputes it).
  integral double precision NOT NULL,
  covered_ms double precision NOT NULL CHECK (covered_ms >= 0),
  -- The value held at the bucket's end (its last sample's; null when that
  -- sample is bad or not a number): it fills the buckets that have no row.
  end_value double precision,
  PRIMARY KEY (tag_id, bucket)
);

CREATE TABLE history_rollup_1h (
  tag_id uuid NOT NULL,
  bucket timestamptz NOT NULL,
  count integer NOT NULL CHECK (count >= 0),
  min double precision,
  max double precision,
  sum double precision NOT NULL,
  first_ts timestamptz,
  first_value double precision,
  last_ts timestamptz,
  last_value double precision,
  integral double precision NOT NULL,
  covered_ms double precision NOT NULL CHECK (covered_ms >= 0),
  end_value double precision,
  PRIMARY KEY (tag_id, bucket)
);
