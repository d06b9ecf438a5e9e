-- Saved trend views (docs/trends.md): what a Trends screen shows, named and
-- shared by everyone on the site. Pens and range are JSON because the web
-- app owns their shape (runtime/trend-views/schema.ts checks it on input).
CREATE TABLE trend_views (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  name text NOT NULL,
  pens jsonb NOT NULL,
  range jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  UNIQUE (site_id, name)
);
