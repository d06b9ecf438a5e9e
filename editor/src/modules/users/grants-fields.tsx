import { Checkbox, NumberInput, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { GRANTS, type Grant } from '../../../../runtime/auth/grants';
import { fetchSite, siteKey } from '../../api/site';
import type { GrantsForm, UserInputError } from './user-form';

/**
 * The four grants as checkboxes, and the approver's limit in the site
 * currency once approver is ticked (docs/permissions.md). Used when
 * creating a user and when changing one's grants.
 */
export function GrantsFields({ value, onChange, error }: { value: GrantsForm; onChange: (next: GrantsForm) => void; error?: UserInputError }) {
  const { t } = useTranslation();
  const site = useQuery({ queryKey: siteKey, queryFn: fetchSite, staleTime: Infinity });
  const currency = site.data?.currency;
  const toggle = (grant: Grant, checked: boolean) =>
    onChange({ ...value, held: checked ? [...value.held, grant] : value.held.filter((held) => held !== grant) });

  return (
    <Stack gap={6} data-testid="user-grants">
      <Text size="sm" fw={500}>
        {t('grants.title')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('grants.hint')}
      </Text>
      {GRANTS.map((grant) => (
        <Checkbox
          key={grant}
          label={t(`grants.names.${grant}`)}
          description={t(`grants.descriptions.${grant}`)}
          checked={value.held.includes(grant)}
          onChange={(event) => toggle(grant, event.currentTarget.checked)}
          data-testid={`grant-${grant}`}
        />
      ))}
      {value.held.includes('approver') && (
        <NumberInput
          label={currency ? t('grants.approvalLimitIn', { currency }) : t('grants.approvalLimit')}
          description={t('grants.approvalLimitHint')}
          withAsterisk
          min={0}
          decimalScale={2}
          suffix={currency ? ` ${currency}` : undefined}
          value={value.approvalLimit}
          onChange={(limit) => onChange({ ...value, approvalLimit: typeof limit === 'number' ? limit : '' })}
          error={error === undefined ? undefined : t(`users.inputErrors.${error}`)}
          data-testid="grant-approval-limit"
        />
      )}
    </Stack>
  );
}
