-- Net oil (issue 10): tank gauges and run tickets record the observed
-- temperature, density or API gravity and BS&W of the oil, and keep the
-- gross and net standard volume computed from them with API MPMS 11.1-2004
-- (erp-modules/production/model/volume-correction.ts).
--
-- Inputs, as read at the observed temperature:
--   observed_density_kg_per_m3 | observed_api_gravity (one of them), bsw_percent.
-- Results, kept with the inputs of the formula so a row explains itself:
--   volume_base ('15C' | '60F', the site's standard temperature when recorded),
--   base_density_kg_per_m3 (density at that base), ctl (5 decimals),
--   gross_standard_volume_m3 = gross observed volume × ctl,
--   net_standard_volume_m3 = gross_standard_volume_m3 × (1 − bsw_percent / 100).
-- The gross observed volume of a gauge is volume_m3 − water_volume_m3 (free
-- water out); of a ticket, volume_m3. All nullable: older rows and rows
-- without the readings keep null. Adding nullable columns keeps the
-- append-only triggers and existing rows as they are.

ALTER TABLE tank_gauges
  ADD COLUMN observed_density_kg_per_m3 numeric CHECK (observed_density_kg_per_m3 > 0),
  ADD COLUMN observed_api_gravity numeric,
  ADD COLUMN bsw_percent numeric CHECK (bsw_percent >= 0 AND bsw_percent < 100),
  ADD COLUMN volume_base text CHECK (volume_base IN ('15C', '60F')),
  ADD COLUMN base_density_kg_per_m3 numeric CHECK (base_density_kg_per_m3 > 0),
  ADD COLUMN ctl numeric CHECK (ctl > 0),
  ADD COLUMN gross_standard_volume_m3 numeric CHECK (gross_standard_volume_m3 >= 0),
  ADD COLUMN net_standard_volume_m3 numeric CHECK (net_standard_volume_m3 >= 0),
  ADD CONSTRAINT tank_gauges_one_oil_gravity CHECK (observed_density_kg_per_m3 IS NULL OR observed_api_gravity IS NULL),
  ADD CONSTRAINT tank_gauges_standard_volume_complete CHECK (
    (gross_standard_volume_m3 IS NULL) = (ctl IS NULL)
    AND (ctl IS NULL) = (volume_base IS NULL)
    AND (ctl IS NULL) = (base_density_kg_per_m3 IS NULL)
    AND (net_standard_volume_m3 IS NULL OR gross_standard_volume_m3 IS NOT NULL)
  );

ALTER TABLE run_tickets
  ADD COLUMN temperature_deg_c numeric,
  ADD COLUMN observed_density_kg_per_m3 numeric CHECK (observed_density_kg_per_m3 > 0),
  ADD COLUMN observed_api_gravity numeric,
  ADD COLUMN bsw_percent numeric CHECK (bsw_percent >= 0 AND bsw_percent < 100),
  ADD COLUMN volume_base text CHECK (volume_base IN ('15C', '60F')),
  ADD COLUMN base_density_kg_per_m3 numeric CHECK (base_density_kg_per_m3 > 0),
  ADD COLUMN ctl numeric CHECK (ctl > 0),
  ADD COLUMN gross_standard_volume_m3 numeric CHECK (gross_standard_volume_m3 >= 0),
  ADD COLUMN net_standard_volume_m3 numeric CHECK (net_standard_volume_m3 >= 0),
  ADD CONSTRAINT run_tickets_one_oil_gravity CHECK (observed_density_kg_per_m3 IS NULL OR observed_api_gravity IS NULL),
  ADD CONSTRAINT run_tickets_standard_volume_complete CHECK (
    (gross_standard_volume_m3 IS NULL) = (ctl IS NULL)
    AND (ctl IS NULL) = (volume_base IS NULL)
    AND (ctl IS NULL) = (base_density_kg_per_m3 IS NULL)
    AND (net_standard_volume_m3 IS NULL OR gross_standard_volume_m3 IS NOT NULL)
  ),
  -- Oil quality belongs to oil tickets only.
  ADD CONSTRAINT run_tickets_oil_quality_for_oil CHECK (
    fluid = 'oil' OR (observed_density_kg_per_m3 IS NULL AND observed_api_gravity IS NULL AND bsw_percent IS NULL AND ctl IS NULL)
  );
