-- The demo's tags get seven days of history from the simulator's model on
-- the first start, in the background. This row, written after the last
-- batch, means it is done: a restart adds nothing. A start that stopped
-- midway has no row, and the next start writes the week again (the rows
-- already there are kept: (tag_id, ts) is unique).
CREATE TABLE demo_history_backfill (
  site_id text PRIMARY KEY,
  from_ts timestamptz NOT NULL,
  to_ts timestamptz NOT NULL,
  tags integer NOT NULL,
  stored_values bigint NOT NULL,
  -- recorder: through the historian's record(); direct: batched INSERTs into history.
  via text NOT NULL CHECK (via IN ('recorder', 'direct')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
