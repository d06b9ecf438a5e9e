-- Ownership moves (docs/sync.md "Ownership"): an admin on the cloud hands an
-- entity (a well, say) from one owner to another. The cloud keeps every move
-- so that a change the old owner made during a partition, after the move
-- took effect, is told apart from one made while it still owned the entity.
CREATE TABLE sync_ownership_transfers (
  id uuid PRIMARY KEY,
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  from_owner text NOT NULL,
  to_owner text NOT NULL CHECK (to_owner <> from_owner),
  effective_at timestamptz NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
CREATE INDEX sync_ownership_transfers_entity_idx ON sync_ownership_transfers (entity_type, entity_id, effective_at);
