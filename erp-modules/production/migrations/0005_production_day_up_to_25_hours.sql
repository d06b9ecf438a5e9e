-- A production day runs from the site's local start hour to the same hour
-- the next day (settings siteTimeZone, productionDayStartHour), so across a
-- daylight-saving change it lasts 23 or 25 hours: a well up all of a 25-hour
-- day has 25 uptime hours. (allocation_results_uptime_hours_check is the
-- name PostgreSQL gave 0002's unnamed check.)
ALTER TABLE allocation_results DROP CONSTRAINT allocation_results_uptime_hours_check;
ALTER TABLE allocation_results ADD CONSTRAINT allocation_results_uptime_hours_within_day CHECK (uptime_hours >= 0 AND uptime_hours <= 25);
