-- Responses of mutating API calls by Idempotency-Key, per user, so a retried
-- request (a flaky site link, a double click) returns the first result
-- instead of acting twice. Kept 24 hours.
CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  status integer,
  response_body text,
  response_type text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
