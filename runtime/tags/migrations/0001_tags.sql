-- The tag registry: what each live value is. Values themselves live in the
-- runtime's tag store (and, later, the historian).
CREATE TABLE tags (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  path text NOT NULL UNIQUE,
  data_type text NOT NULL CHECK (data_type IN ('float', 'int', 'bool', 'string')),
  unit text NOT NULL DEFAULT '',
  display_unit text,
  description text NOT NULL DEFAULT '',
  deadband numeric NOT NULL DEFAULT 0 CHECK (deadband >= 0),
  scaling jsonb,
  asset_id text,
  source text,
  read_role text NOT NULL DEFAULT 'viewer' CHECK (read_role IN ('viewer', 'operator', 'engineer', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE INDEX tags_path_prefix_idx ON tags (path text_pattern_ops);
CREATE INDEX tags_asset_idx ON tags (asset_id);
