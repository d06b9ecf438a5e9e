-- Inflow performance inputs (issue 11, docs/reservoir-ipr.md).
--
-- Static reservoir pressure surveys: the average reservoir pressure of a
-- well's drainage area on a date (a build-up test's extrapolated pressure, a
-- static gradient survey after a shut-in, a permanent gauge's stabilised
-- shut-in reading), at the datum the engineer chose. Gauge pressure in kPa
-- like every well pressure Petroflow stores; the IPR converts to absolute.
-- Optionally the bubble point pressure of the reservoir fluid at the time,
-- which the composite IPR needs. An IPR from a stored well test takes the
-- latest survey on or before the test's day.
CREATE TABLE reservoir_pressure_surveys (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  well_id uuid NOT NULL,
  surveyed_on date NOT NULL,
  reservoir_pressure_kpa numeric NOT NULL CHECK (reservoir_pressure_kpa > 0),
  bubble_point_kpa numeric CHECK (bubble_point_kpa IS NULL OR bubble_point_kpa > 0),
  datum_depth_m numeric CHECK (datum_depth_m IS NULL OR datum_depth_m >= 0),
  method text NOT NULL CHECK (method IN ('buildup', 'static_gradient', 'permanent_gauge', 'other')),
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
-- One survey per well and day: "the survey on a date" is then unambiguous.
CREATE UNIQUE INDEX reservoir_pressure_surveys_well_day_idx ON reservoir_pressure_surveys (site_id, well_id, surveyed_on);

-- A multi-rate (back-pressure) test: several stabilised rates of one well at
-- one reservoir pressure, for Fetkovich's C and n. The points are entered
-- directly or reference the production well tests they came from (the rate
-- and bottomhole pressure are copied, so the fit does not change when
-- production data is read differently later). The reservoir pressure is the
-- test's own (given) or, when null, the latest survey on or before tested_on.
CREATE TABLE reservoir_multirate_tests (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  well_id uuid NOT NULL,
  tested_on date NOT NULL,
  reservoir_pressure_kpa numeric CHECK (reservoir_pressure_kpa IS NULL OR reservoir_pressure_kpa > 0),
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL
);
CREATE INDEX reservoir_multirate_tests_well_idx ON reservoir_multirate_tests (well_id, tested_on DESC);

-- The points of a multi-rate test, in the order given (rewritten as a whole
-- when the test is updated). Child rows of the test: they carry its id and
-- site, and are audited and synced with it.
CREATE TABLE reservoir_multirate_points (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  multirate_test_id uuid NOT NULL REFERENCES reservoir_multirate_tests (id) ON DELETE CASCADE,
  ordinal integer NOT NULL CHECK (ordinal >= 0),
  well_test_id uuid,
  rate_m3_per_day numeric NOT NULL CHECK (rate_m3_per_day > 0),
  flowing_pressure_kpa numeric NOT NULL CHECK (flowing_pressure_kpa >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  UNIQUE (multirate_test_id, ordinal)
);
