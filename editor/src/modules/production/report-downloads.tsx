import { Button, Group, NativeSelect } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { withFileOptions, type ReportFileOptions } from '../../api/production';
import { useUnitSystem } from '../../shell/unit-system';

/**
 * Links that download a report as a file, one per file type, in the language
 * and units chosen here (the user's current ones to start with); the test ids
 * are `${testId}-${fileType}`, `${testId}-lang` and `${testId}-units`.
 */
export function ReportDownloads<T extends 'pdf' | 'csv' | 'xlsx'>({
  fileTypes,
  href,
  testId,
}: {
  fileTypes: readonly T[];
  href: (fileType: T) => string;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const [options, setOptions] = useState<ReportFileOptions>({ lang: i18n.language === 'es' ? 'es' : 'en', units: system });
  return (
    <Group gap="xs" align="end">
      <NativeSelect
        size="xs"
        label={t('production.accounting.fileLanguage')}
        data={[
          { value: 'en', label: 'English' },
          { value: 'es', label: 'Español' },
        ]}
        value={options.lang}
        onChange={(event) => setOptions({ ...options, lang: event.currentTarget.value === 'es' ? 'es' : 'en' })}
        data-testid={`${testId}-lang`}
      />
      <NativeSelect
        size="xs"
        label={t('production.accounting.fileUnits')}
        data={[
          { value: 'metric', label: t('production.accounting.metric') },
          { value: 'oilfield', label: t('production.accounting.oilfield') },
        ]}
        value={options.units}
        onChange={(event) => setOptions({ ...options, units: event.currentTarget.value === 'oilfield' ? 'oilfield' : 'metric' })}
        data-testid={`${testId}-units`}
      />
      {fileTypes.map((fileType) => (
        <Button key={fileType} component="a" href={withFileOptions(href(fileType), options)} download variant="default" data-testid={`${testId}-${fileType}`}>
          {t(`production.report.download.${fileType}`)}
        </Button>
      ))}
    </Group>
  );
}
