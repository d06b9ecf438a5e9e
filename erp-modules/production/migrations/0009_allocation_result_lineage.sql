-- Allocation over the register's network (docs/erp-production.md "Allocation
-- over the network"): each result keeps its lineage, the stages its volume
-- passed (measurement point, measured volume, the well's share there, the
-- meter readings, tank gauges and run tickets behind it) and the well test.
-- Null for runs allocated at site level, where the run's inputs say it all.
ALTER TABLE allocation_results ADD COLUMN lineage jsonb;
