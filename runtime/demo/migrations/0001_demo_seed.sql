-- The demo oilfield seeds its assets and their history once per site, in one
-- transaction with this row: a row here means it happened (or why it was not
-- done), so a restart adds nothing and never touches assets users created.
CREATE TABLE demo_seed (
  site_id text PRIMARY KEY,
  -- seeded: the demo created its field and history; adopted: an earlier
  -- Petroflow had seeded it before this row existed; skipped: the register
  -- held assets the demo did not create, so nothing was invented.
  outcome text NOT NULL CHECK (outcome IN ('seeded', 'adopted', 'skipped')),
  summary json NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
