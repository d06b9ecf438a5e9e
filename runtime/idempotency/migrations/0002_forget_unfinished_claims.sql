-- A key is now claimed in the same transaction as the request's writes and
-- its stored response, so a committed row always has a status. Rows without
-- one are claims the earlier middleware committed for requests that never
-- finished (a killed process, a database outage); they answered 409 to
-- every retry for a day. Forgetting them lets those retries run.
DELETE FROM idempotency_keys WHERE status IS NULL;
