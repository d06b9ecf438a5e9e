-- A downtime may end at the instant it started. Entry forms work to the
-- minute, so an event opened at 10:15 and closed at 10:15 (a trip restarted
-- within the minute) was refused; it is a real event of under a minute and
-- is kept with its reason. Ending before the start is still refused.
-- (downtime_events_check is the name PostgreSQL gave 0001's unnamed check.)
ALTER TABLE downtime_events DROP CONSTRAINT downtime_events_check;
ALTER TABLE downtime_events ADD CONSTRAINT downtime_events_ended_not_before_start CHECK (ended_at IS NULL OR ended_at >= started_at);
