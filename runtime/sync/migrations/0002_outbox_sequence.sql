-- A per-site sequence that follows commit order (docs/sync.md). UUIDv7 ids
-- are made in the app before the transaction commits, so two transactions
-- can commit in the opposite order of their ids; the cloud needs an order it
-- can check for gaps. The number is taken at commit time by a deferred
-- trigger from a counter row: the counter's row lock is held until the
-- transaction ends, so the next transaction can only number its rows after
-- this one is visible (commit order), and a rollback gives its numbers back
-- (no gaps, unlike a SEQUENCE).
CREATE TABLE sync_outbox_counter (
  site_id text PRIMARY KEY,
  last_sequence bigint NOT NULL CHECK (last_sequence >= 0)
);

ALTER TABLE sync_outbox ADD COLUMN sequence bigint;

-- Rows written before this migration: numbered in id order, the best order
-- they have.
INSERT INTO sync_outbox_counter (site_id, last_sequence)
  SELECT site_id, count(*) FROM sync_outbox GROUP BY site_id;
DROP TRIGGER sync_outbox_guard ON sync_outbox;
UPDATE sync_outbox o SET sequence = n.sequence
  FROM (SELECT id, row_number() OVER (PARTITION BY site_id ORDER BY id) AS sequence FROM sync_outbox) n
  WHERE o.id = n.id;

CREATE UNIQUE INDEX sync_outbox_site_sequence_idx ON sync_outbox (site_id, sequence);
DROP INDEX sync_outbox_unsent_idx;
CREATE INDEX sync_outbox_unsent_idx ON sync_outbox (site_id, sequence) WHERE sent_at IS NULL;

-- Only sequence (once, from null, by the numbering trigger) and sent_at
-- (once, from null) may change; the rest is immutable. jsonb is compared as
-- jsonb, not printed as text: the numbering update runs on every outbox row.
CREATE OR REPLACE FUNCTION sync_outbox_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.sent_at IS NULL THEN
      RAISE EXCEPTION 'sync_outbox: an unsent row cannot be deleted';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.id <> OLD.id OR NEW.site_id <> OLD.site_id OR NEW.module <> OLD.module
     OR NEW.entity_type <> OLD.entity_type OR NEW.entity_id <> OLD.entity_id
     OR NEW.operation <> OLD.operation OR NEW.payload IS DISTINCT FROM OLD.payload
     OR NEW.created_at <> OLD.created_at
     OR NEW.row_version IS DISTINCT FROM OLD.row_version
     OR (OLD.sequence IS NOT NULL AND NEW.sequence IS DISTINCT FROM OLD.sequence)
     OR (OLD.sent_at IS NOT NULL AND NEW.sent_at IS DISTINCT FROM OLD.sent_at)
     OR (NEW.sent_at IS NOT NULL AND NEW.sequence IS NULL) THEN
    RAISE EXCEPTION 'sync_outbox: rows are immutable except for numbering them once and marking them sent once';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sync_outbox_guard BEFORE UPDATE OR DELETE ON sync_outbox
  FOR EACH ROW EXECUTE FUNCTION sync_outbox_guard();

CREATE FUNCTION sync_outbox_number() RETURNS trigger AS $$
DECLARE
  next_sequence bigint;
BEGIN
  INSERT INTO sync_outbox_counter AS c (site_id, last_sequence) VALUES (NEW.site_id, 1)
    ON CONFLICT (site_id) DO UPDATE SET last_sequence = c.last_sequence + 1
    RETURNING last_sequence INTO next_sequence;
  UPDATE sync_outbox SET sequence = next_sequence WHERE id = NEW.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER sync_outbox_number AFTER INSERT ON sync_outbox
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION sync_outbox_number();
