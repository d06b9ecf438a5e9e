-- The sync outbox: one row per change to a synced (business) table, written
-- in the same transaction as the change and its audit row, so the edge never
-- commits a change the cloud will not hear about. The sync agent reads rows
-- in id order (UUIDv7: time order) and marks them sent; rows are never edited
-- otherwise and never deleted before they are sent.
CREATE TABLE sync_outbox (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  module text NOT NULL,
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  operation text NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
  row_version integer,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX sync_outbox_unsent_idx ON sync_outbox (id) WHERE sent_at IS NULL;

-- Only sent_at may change, once, from null; the rest is immutable.
CREATE FUNCTION sync_outbox_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.sent_at IS NULL THEN
      RAISE EXCEPTION 'sync_outbox: an unsent row cannot be deleted';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.id <> OLD.id OR NEW.site_id <> OLD.site_id OR NEW.module <> OLD.module
     OR NEW.entity_type <> OLD.entity_type OR NEW.entity_id <> OLD.entity_id
     OR NEW.operation <> OLD.operation OR NEW.payload::text <> OLD.payload::text
     OR NEW.created_at <> OLD.created_at OR OLD.sent_at IS NOT NULL THEN
    RAISE EXCEPTION 'sync_outbox: rows are immutable except for marking them sent once';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sync_outbox_guard BEFORE UPDATE OR DELETE ON sync_outbox
  FOR EACH ROW EXECUTE FUNCTION sync_outbox_guard();
