import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Links that download a report as a file, one per file type; the test ids are `${testId}-${fileType}`. */
export function ReportDownloads<T extends 'pdf' | 'csv' | 'xlsx'>({
  fileTypes,
  href,
  testId,
}: {
  fileTypes: readonly T[];
  href: (fileType: T) => string;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      {fileTypes.map((fileType) => (
        <Button key={fileType} component="a" href={href(fileType)} download variant="default" data-testid={`${testId}-${fileType}`}>
          {t(`production.report.download.${fileType}`)}
        </Button>
      ))}
    </Group>
  );
}
