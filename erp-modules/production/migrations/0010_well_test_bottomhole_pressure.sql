-- Bottomhole flowing pressure of a well test (issue 11, inflow performance):
-- the pressure at the sandface while the well flowed at the test rates,
-- measured by a downhole gauge or a memory gauge run, or worked out from a
-- surface reading. Gauge pressure in kPa (above the atmosphere), like the
-- test's tubing, casing and separator pressures. The reservoir module's IPR
-- takes it as the test point (docs/reservoir-ipr.md). Null: not recorded.
-- A nullable column keeps the decided-tests-are-final trigger and old rows.
ALTER TABLE well_tests
  ADD COLUMN bottomhole_pressure_kpa numeric CHECK (bottomhole_pressure_kpa IS NULL OR bottomhole_pressure_kpa >= 0),
  ADD COLUMN bottomhole_pressure_source text
    CHECK (bottomhole_pressure_source IS NULL OR bottomhole_pressure_source IN ('measured', 'gauge', 'calculated')),
  ADD CONSTRAINT well_tests_bottomhole_source_with_pressure CHECK ((bottomhole_pressure_kpa IS NULL) = (bottomhole_pressure_source IS NULL));
