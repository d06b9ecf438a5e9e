import { Group, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { AlarmConsole } from './alarm-console';
import { JournalPanel } from './journal-panel';
import { KpiPanel } from './kpi-panel';

const TABS = ['console', 'journal', 'kpis'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string | null): value is Tab {
  return TABS.some((tab) => tab === value);
}

/** /alarms: the console, the journal and the KPIs; the tab is in the URL so a link opens the right one. */
export function AlarmsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = isTab(requested) ? requested : 'console';
  return (
    <Tabs
      value={tab}
      onChange={(value) => setParams(value === 'console' || value === null ? {} : { tab: value }, { replace: true })}
      keepMounted={false}
      data-testid="alarms-page"
    >
      <Group justify="space-between" mb="sm">
        <Title order={2}>{t('alarms.title')}</Title>
        <Tabs.List>
          {TABS.map((value) => (
            <Tabs.Tab key={value} value={value} data-testid={`alarms-tab-${value}`}>
              {t(`alarms.tabs.${value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Group>
      <Tabs.Panel value="console">
        <AlarmConsole />
      </Tabs.Panel>
      <Tabs.Panel value="journal">
        <JournalPanel />
      </Tabs.Panel>
      <Tabs.Panel value="kpis">
        <KpiPanel />
      </Tabs.Panel>
    </Tabs>
  );
}
