import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole, type Role } from '../api/auth';
import { useSession } from './session';

/** Hides a page from lower roles; the server still enforces the same rule on its API. */
export function RequireRole({ minimum, children }: { minimum: Role; children: ReactNode }) {
  const { t } = useTranslation();
  const { user } = useSession();
  if (hasRole(user.role, minimum)) return children;
  return (
    <Alert color="red" title={t('forbidden.title')} data-testid="forbidden">
      {t('forbidden.body', { role: t(`roles.${minimum}`) })}
    </Alert>
  );
}
