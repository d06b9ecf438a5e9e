import { SegmentedControl, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isUnitSystem, UNIT_SYSTEMS } from '../units/units';
import { useUnitSystem } from './unit-system';

export function UnitSwitch() {
  const { t } = useTranslation();
  const { system, site, choose } = useUnitSystem();
  const hint =
    site === undefined ? t('units.label') : t('units.siteDefault', { system: t(`units.${site.unitSystem}`) });
  return (
    <Tooltip label={hint}>
      <SegmentedControl
        size="xs"
        value={system}
        onChange={(value) => {
          if (isUnitSystem(value)) choose(value);
        }}
        data={UNIT_SYSTEMS.map((option) => ({ value: option, label: t(`units.${option}`) }))}
        aria-label={t('units.label')}
        data-testid="unit-switch"
      />
    </Tooltip>
  );
}
