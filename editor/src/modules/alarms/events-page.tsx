import { Alert, Tabs, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import { useSession } from '../../shell/session';
import { AuditPage } from '../audit/audit-page';
import { JournalPanel } from './journal-panel';

/**
 * /events: what happened on the site. The alarm journal for everyone; the
 * audit log (who changed what) beside it for admins, the role its API needs.
 */
export function EventsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const [tab, setTab] = useState<string | null>('journal');
  const admin = hasRole(user.role, 'admin');
  return (
    <Tabs value={tab} onChange={setTab} keepMounted={false} data-testid="events-page">
      <Title order={2} mb="sm">
        {t('events.title')}
      </Title>
      <Tabs.List mb="sm">
        <Tabs.Tab value="journal" data-testid="events-tab-journal">
          {t('events.journal')}
        </Tabs.Tab>
        <Tabs.Tab value="audit" data-testid="events-tab-audit">
          {t('events.audit')}
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="journal">
        <JournalPanel />
      </Tabs.Panel>
      <Tabs.Panel value="audit">
        {admin ? (
          <AuditPage />
        ) : (
          <Alert color="gray" data-testid="events-audit-admin-only">
            {t('events.auditAdminOnly')}
          </Alert>
        )}
      </Tabs.Panel>
    </Tabs>
  );
}
