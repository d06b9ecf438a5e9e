-- Every deploy is a revision. flows is `json`, not `jsonb`, so the flow
-- text comes back exactly as deployed (key order included).
CREATE TABLE flow_revisions (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  number integer NOT NULL UNIQUE CHECK (number > 0),
  parent integer REFERENCES flow_revisions (number),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  author text,
  message text NOT NULL,
  deployment_type text,
  flows json NOT NULL,
  node_count integer NOT NULL,
  -- Node-RED's encrypted credentials ({"$": ...}) as they were at this revision,
  -- so a rollback restores the credentials of the nodes it brings back.
  credentials json,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);

CREATE TRIGGER flow_revisions_append_only
  BEFORE UPDATE OR DELETE ON flow_revisions
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();

CREATE TRIGGER flow_revisions_no_truncate
  BEFORE TRUNCATE ON flow_revisions
  FOR EACH STATEMENT EXECUTE FUNCTION reject_append_only_change();

-- Node-RED runtime state: user settings, editor sessions (encrypted), current credentials.
CREATE TABLE node_red_state (
  key text PRIMARY KEY,
  value json NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE node_red_library (
  type text NOT NULL,
  path text NOT NULL,
  meta json NOT NULL DEFAULT '{}',
  body text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (type, path)
);
