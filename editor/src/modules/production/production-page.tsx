import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { PickSiteFirst, SitePicker } from './production-filters';

interface ProductionPageProps {
  testId: string;
  title: string;
  intro?: string;
  site: string;
  onSiteChange: (siteId: string) => void;
  /** Filters after the site picker. */
  filters?: ReactNode;
  /** At the right end of the filters: downloads, the button that opens a form. */
  actions?: ReactNode;
  children: ReactNode;
}

/** A production screen: title, site picker and filters; until a site is picked, a hint to pick one above the content. */
export function ProductionPage({ testId, title, intro, site, onSiteChange, filters, actions, children }: ProductionPageProps) {
  return (
    <Stack data-testid={testId}>
      <Title order={2}>{title}</Title>
      {intro !== undefined && (
        <Text size="sm" c="dimmed">
          {intro}
        </Text>
      )}
      <Group justify="space-between" align="flex-end">
        <Group align="flex-end" gap="md">
          <SitePicker value={site} onChange={onSiteChange} />
          {filters}
        </Group>
        {actions}
      </Group>
      {site === '' && <PickSiteFirst />}
      {children}
    </Stack>
  );
}
