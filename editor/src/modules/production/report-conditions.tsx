import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DailyReport } from '../../api/production';

/** Which standard conditions a report's volumes are at, and that its pressures are gauge. */
export function ReportConditionsNote({ conditions, testId }: { conditions: DailyReport['conditions']; testId: string }) {
  const { t } = useTranslation();
  return (
    <Text size="xs" c="dimmed" data-testid={testId}>
      {t('production.report.conditions', {
        conditions: t(`production.report.conditionsNames.${conditions.standardConditions}`),
        basis: t(`production.report.pressureBasis.${conditions.pressureBasis}`),
      })}
    </Text>
  );
}
