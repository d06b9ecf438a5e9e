import { Badge, Button, Group, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import { ApiError } from '../../api/client';
import { createFailureCode, fetchFailureCodes, maintenanceKeys, setFailureCodeActive, type FailureCodeKind } from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { useSubmissionKey } from '../inventory/submission';
import { serverFieldErrors } from '../production/entry-forms';
import { FAILURE_CODE_KINDS, failureCodeDescription } from './maintenance-forms';

const CODE_FIELDS = { code: 'code', descriptionEn: 'descriptionEn', descriptionEs: 'descriptionEs', kind: 'kind' } as const;

/** Engineers add a code with its description in both languages. */
function AddCode() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<FailureCodeKind>('problem');
  const [code, setCode] = useState('');
  const [descriptionEn, setDescriptionEn] = useState('');
  const [descriptionEs, setDescriptionEs] = useState('');
  const [missing, setMissing] = useState<Partial<Record<'code' | 'descriptionEn' | 'descriptionEs', true>>>({});
  const submission = useSubmissionKey();
  const add = useMutation({
    mutationFn: () => {
      const body = { kind, code: code.trim(), descriptionEn: descriptionEn.trim(), descriptionEs: descriptionEs.trim() };
      return createFailureCode(body, submission.keyFor(body));
    },
    onSuccess: async () => {
      submission.reset();
      setCode('');
      setDescriptionEn('');
      setDescriptionEs('');
      await queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
    },
  });
  const server = add.error instanceof ApiError && (add.error.status === 400 || add.error.status === 409) ? serverFieldErrors(add.error.details, CODE_FIELDS).fields : {};
  const fieldError = (field: 'code' | 'descriptionEn' | 'descriptionEs') => (missing[field] ? t('maintenance.inputErrors.required') : server[field]);
  const submit = () => {
    const blank = { code: code.trim() === '', descriptionEn: descriptionEn.trim() === '', descriptionEs: descriptionEs.trim() === '' };
    const next = Object.fromEntries(Object.entries(blank).filter(([, isBlank]) => isBlank).map(([field]) => [field, true]));
    setMissing(next);
    if (Object.keys(next).length === 0) add.mutate();
  };
  return (
    <Paper withBorder p="sm" data-testid="failure-code-form">
      <Group align="flex-start" wrap="wrap">
        <Select
          label={t('maintenance.failureCodes.kind')}
          value={kind}
          allowDeselect={false}
          data={FAILURE_CODE_KINDS.map((value) => ({ value, label: t(`maintenance.failureCodes.kinds.${value}`) }))}
          onChange={(value) => {
            const chosen = FAILURE_CODE_KINDS.find((candidate) => candidate === value);
            if (chosen) setKind(chosen);
          }}
          w={140}
          data-testid="failure-code-kind"
        />
        <TextInput label={t('maintenance.failureCodes.code')} value={code} onChange={(event) => setCode(event.currentTarget.value.toUpperCase())} w={140} error={fieldError('code')} data-testid="failure-code-code" />
        <TextInput label={t('maintenance.failureCodes.descriptionEn')} value={descriptionEn} onChange={(event) => setDescriptionEn(event.currentTarget.value)} w={220} error={fieldError('descriptionEn')} data-testid="failure-code-en" />
        <TextInput label={t('maintenance.failureCodes.descriptionEs')} value={descriptionEs} onChange={(event) => setDescriptionEs(event.currentTarget.value)} w={220} error={fieldError('descriptionEs')} data-testid="failure-code-es" />
        <Button mt={24} onClick={submit} loading={add.isPending} data-testid="failure-code-add">
          {t('maintenance.failureCodes.add')}
        </Button>
      </Group>
      {add.isError && <ErrorMessage error={add.error} />}
    </Paper>
  );
}

/** The failure-code catalogue work orders pick problem, cause and remedy from (docs/erp-maintenance.md "Failure codes"). */
export function FailureCodesPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const mayEdit = hasRole(user.role, 'engineer');
  const codes = useQuery({ queryKey: maintenanceKeys.failureCodes(true), queryFn: ({ signal }) => fetchFailureCodes(true, signal) });
  const toggle = useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) => {
      const code = (codes.data ?? []).find((entry) => entry.id === id);
      if (!code) throw new Error(t('maintenance.failureCodes.gone'));
      return setFailureCodeActive(code, active);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: maintenanceKeys.all }),
  });
  return (
    <Stack data-testid="maintenance-failure-codes">
      <Title order={2}>{t('maintenance.failureCodes.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('maintenance.failureCodes.intro')}
      </Text>
      {mayEdit && <AddCode />}
      {codes.error ? <ErrorMessage error={codes.error} /> : null}
      {toggle.error ? <ErrorMessage error={toggle.error} /> : null}
      {FAILURE_CODE_KINDS.map((kind) => (
        <Stack key={kind} gap="xs">
          <Title order={4}>{t(`maintenance.failureCodes.kinds.${kind}`)}</Title>
          <Table striped data-testid={`failure-codes-${kind}`}>
            <Table.Tbody>
              {(codes.data ?? [])
                .filter((code) => code.kind === kind)
                .map((code) => (
                  <Table.Tr key={code.id} data-testid={`failure-code-${kind}-${code.code}`}>
                    <Table.Td w={140}>
                      <b>{code.code}</b>
                    </Table.Td>
                    <Table.Td>{failureCodeDescription(code, i18n.language)}</Table.Td>
                    <Table.Td w={160}>
                      {mayEdit ? (
                        <Switch
                          label={t('maintenance.failureCodes.active')}
                          checked={code.active}
                          disabled={toggle.isPending}
                          onChange={(event) => toggle.mutate({ id: code.id, active: event.currentTarget.checked })}
                        />
                      ) : code.active ? null : (
                        <Badge color="gray">{t('maintenance.failureCodes.inactive')}</Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </Stack>
      ))}
    </Stack>
  );
}
