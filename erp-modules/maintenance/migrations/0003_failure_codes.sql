-- The failure-code catalogue (docs/erp-maintenance.md "Failure codes"):
-- problem, cause and remedy codes a work order picks from instead of typing
-- free text, so MTBF and MTTR per code add up the same failure under one
-- code. A code is unique per kind; it is never renamed or deleted (work
-- orders keep its text), only deactivated. The site's short starting set is
-- made by the service on first use, because the site id is the runtime's,
-- not the migration's.
CREATE TABLE maintenance_failure_codes (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('problem', 'cause', 'remedy')),
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,40}$'),
  description_en text NOT NULL CHECK (length(description_en) BETWEEN 1 AND 200),
  description_es text NOT NULL CHECK (length(description_es) BETWEEN 1 AND 200),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  UNIQUE (site_id, kind, code)
);
