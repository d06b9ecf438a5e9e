import { Tabs } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../shell/error-message';
import { DowntimeSection } from './downtime-section';
import type { EntrySectionProps } from './entry-inputs';
import { GasDispositionSection } from './gas-disposition-section';
import { MeterReadingSection } from './meter-reading-section';
import { DateInput, useProductionParams, useSiteAssets } from './production-filters';
import { ProductionPage } from './production-page';
import { RunTicketSection } from './run-ticket-section';
import { TankGaugeSection } from './tank-gauge-section';
import { useModalTarget } from './use-modal-target';
import { VoidEntryModal, type VoidTarget } from './void-entry-modal';

const TABS = ['gauges', 'meters', 'tickets', 'downtime', 'gas'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string | null): value is Tab {
  return TABS.some((tab) => tab === value);
}

/** The operator's daily entry: tank gauges, meter readings, run tickets and downtime for one site and day. */
export function DailyEntryPage() {
  const { t } = useTranslation();
  const { site, date, update } = useProductionParams();
  const assets = useSiteAssets(site);
  const [tab, setTab] = useState<Tab>('gauges');
  const voiding = useModalTarget<VoidTarget>();
  // Forms start again from the chosen site and day (their default times follow the day).
  const key = `${site}|${date}`;
  const shared: EntrySectionProps = { siteId: site, date, codeOf: assets.codeOf, onVoid: voiding.open };

  return (
    <ProductionPage
      testId="production-entry"
      title={t('production.entry.title')}
      intro={t('production.entry.intro')}
      site={site}
      onSiteChange={(value) => update('site', value)}
      filters={<DateInput value={date} onChange={(value) => update('date', value)} />}
    >
      {assets.error !== null && <ErrorMessage error={assets.error} />}
      {site !== '' && (
        <Tabs value={tab} onChange={(value) => setTab(isTab(value) ? value : 'gauges')}>
          <Tabs.List>
            {TABS.map((name) => (
              <Tabs.Tab key={name} value={name} data-testid={`production-tab-${name}`}>
                {t(`production.entry.tabs.${name}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="gauges" pt="md">
            <TankGaugeSection key={key} {...shared} tanks={assets.tanks} />
          </Tabs.Panel>
          <Tabs.Panel value="meters" pt="md">
            <MeterReadingSection key={key} {...shared} meters={assets.meters} />
          </Tabs.Panel>
          <Tabs.Panel value="tickets" pt="md">
            <RunTicketSection key={key} {...shared} tanks={assets.tanks} />
          </Tabs.Panel>
          <Tabs.Panel value="downtime" pt="md">
            <DowntimeSection key={key} {...shared} wells={assets.wells} />
          </Tabs.Panel>
          <Tabs.Panel value="gas" pt="md">
            <GasDispositionSection key={key} {...shared} />
          </Tabs.Panel>
        </Tabs>
      )}
      <VoidEntryModal opened={voiding.opened} target={voiding.target} onClose={voiding.close} />
    </ProductionPage>
  );
}
