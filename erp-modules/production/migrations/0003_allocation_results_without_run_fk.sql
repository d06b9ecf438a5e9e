-- allocation_results.run_id loses its foreign key: the check ran once per
-- result row (46,500 for 500 wells x 31 days x 3 fluids) inside the run's
-- transaction, about a tenth of the run's time, and protected nothing: the
-- service inserts the run and its results in one transaction, and runs can
-- never be deleted (append-only trigger), so a result cannot lose its run.
ALTER TABLE allocation_results DROP CONSTRAINT allocation_results_run_id_fkey;
