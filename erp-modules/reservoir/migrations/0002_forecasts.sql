-- Stored decline forecasts (docs/reservoir-data.md "Forecasts"): versions per
-- well and fluid, append-only. The latest version is the well's current
-- forecast (the shortfall check compares production against it). Rates are
-- in m3/d (Sm3/d for gas), volumes in m3 (Sm3).
CREATE TABLE reservoir_forecasts (
  id uuid PRIMARY KEY,
  site_id text NOT NULL,
  well_id uuid NOT NULL,
  fluid text NOT NULL CHECK (fluid IN ('oil', 'gas', 'water')),
  -- 1, 2, ... per well and fluid, in the order they were saved.
  version integer NOT NULL CHECK (version >= 1),
  -- The Arps curve (dca-schema DcaParameters) and the calendar day of its t = 0.
  parameters jsonb NOT NULL,
  reference_date date NOT NULL,
  days_per_year numeric NOT NULL,
  economic_limit_rate_per_day numeric CHECK (economic_limit_rate_per_day > 0),
  -- What it was fitted on: the source, the interval and the window.
  source text NOT NULL CHECK (source IN ('allocated', 'history', 'tag')),
  tag_path text,
  rate_interval text NOT NULL CHECK (rate_interval IN ('daily', 'monthly')),
  window_start date NOT NULL,
  window_end date NOT NULL,
  -- Goodness of fit of these parameters over the window's included points, and every point left out with why.
  goodness jsonb NOT NULL,
  excluded_points jsonb NOT NULL DEFAULT '[]',
  -- EUR of the curve at saving (null when unbounded: b >= 1 without an economic limit).
  eur_volume numeric,
  reason text NOT NULL CHECK (length(btrim(reason)) > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  row_version integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  CHECK (window_end >= window_start),
  CHECK (source <> 'tag' OR tag_path IS NOT NULL),
  UNIQUE (site_id, well_id, fluid, version)
);
CREATE TRIGGER reservoir_forecasts_append_only BEFORE UPDATE OR DELETE ON reservoir_forecasts
  FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
