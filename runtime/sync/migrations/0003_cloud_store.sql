-- The cloud role's store of what sites push (docs/sync.md). Created on
-- every database so one migration list serves both roles; on an edge box
-- these tables stay empty.

-- A site the cloud accepts pushes from. last_sequence is the highest
-- sequence stored for it: the next push must start right after it.
CREATE TABLE sync_sites (
  site_id text PRIMARY KEY CHECK (site_id ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name text NOT NULL,
  last_sequence bigint NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
  last_contact_at timestamptz,
  -- What the site said of itself in its last push (outbox lag, spool depth).
  last_health jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  disabled_at timestamptz
);

-- A site's credentials: only the hash is kept; several may be valid at once
-- while a rotation is under way; a revoked one is refused.
CREATE TABLE sync_site_credentials (
  id uuid PRIMARY KEY,
  site_id text NOT NULL REFERENCES sync_sites (site_id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by text
);
CREATE INDEX sync_site_credentials_site_idx ON sync_site_credentials (site_id);

-- Every record received, as sent, once: (site, sequence) is the
-- deduplication key. Append-only.
CREATE TABLE sync_received (
  site_id text NOT NULL REFERENCES sync_sites (site_id),
  sequence bigint NOT NULL CHECK (sequence > 0),
  record_id uuid NOT NULL,
  module text NOT NULL,
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  operation text NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
  row_version integer,
  payload jsonb NOT NULL,
  committed_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, sequence)
);
CREATE INDEX sync_received_entity_idx ON sync_received (entity_type, entity_id);

-- The latest accepted state of every entity the cloud knows, with its
-- owner: a site id, or 'cloud' for corporate master data. Consolidated
-- screens and reports read this table.
CREATE TABLE sync_entities (
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  module text NOT NULL,
  owner text NOT NULL,
  site_id text NOT NULL,
  row_version integer,
  deleted boolean NOT NULL DEFAULT false,
  payload jsonb NOT NULL,
  last_site_sequence bigint,
  committed_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entity_type, entity_id)
);
CREATE INDEX sync_entities_site_type_idx ON sync_entities (site_id, entity_type);

-- A change refused because its sender did not own the record, or made by an
-- old owner after ownership moved: both versions are kept, nothing merged.
CREATE TABLE sync_conflicts (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  sequence bigint,
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  reason text NOT NULL CHECK (reason IN ('not_owner', 'ownership_moved', 'stale_version')),
  incoming_payload jsonb NOT NULL,
  current_owner text,
  current_payload jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolved_by text,
  resolution text
);
CREATE INDEX sync_conflicts_open_idx ON sync_conflicts (created_at) WHERE resolved_at IS NULL;
