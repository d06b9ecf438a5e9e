import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import {
  changeOpcUaCertificate,
  fetchOpcUaCertificates,
  opcUaCertificateKeys,
  type CertificateAction,
  type OpcUaCertificate,
} from '../../api/opcua';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';

/**
 * The servers the site's OPC UA nodes trust. An unknown server is refused
 * and lands here as rejected until an admin trusts it.
 */
export function CertificatesPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const canChange = hasRole(user.role, 'admin');
  const queryClient = useQueryClient();
  const certificates = useQuery({ queryKey: opcUaCertificateKeys.all, queryFn: ({ signal }) => fetchOpcUaCertificates(signal) });
  const change = useMutation({
    mutationFn: ({ certificate, action }: { certificate: OpcUaCertificate; action: CertificateAction }) =>
      changeOpcUaCertificate(certificate.thumbprint, action),
    onSettled: () => queryClient.invalidateQueries({ queryKey: opcUaCertificateKeys.all }),
  });
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language);

  return (
    <Stack gap="md" data-testid="opcua-certificates">
      <Title order={2}>{t('opcua.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('opcua.intro')}
      </Text>
      {certificates.error && <ErrorMessage error={certificates.error} />}
      {change.error && <ErrorMessage error={change.error} />}
      {certificates.data?.length === 0 && <Text data-testid="opcua-certificates-empty">{t('opcua.empty')}</Text>}
      {certificates.data && certificates.data.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('opcua.columns.subject')}</Table.Th>
                <Table.Th>{t('opcua.columns.thumbprint')}</Table.Th>
                <Table.Th>{t('opcua.columns.validity')}</Table.Th>
                <Table.Th>{t('opcua.columns.status')}</Table.Th>
                {canChange && <Table.Th>{t('opcua.columns.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {certificates.data.map((certificate) => (
                <Table.Tr key={certificate.thumbprint} data-testid={`opcua-certificate-${certificate.thumbprint}`}>
                  <Table.Td>
                    <Text size="sm">{certificate.subject}</Text>
                    {certificate.applicationUri && (
                      <Text size="xs" c="dimmed">
                        {certificate.applicationUri}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {certificate.thumbprint}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={certificate.expired ? 'red' : undefined}>
                      {date(certificate.notBefore)} – {date(certificate.notAfter)}
                      {certificate.expired ? ` (${t('opcua.expired')})` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={certificate.status === 'trusted' ? 'green' : 'red'} variant="light" data-testid="opcua-certificate-status">
                      {t(`opcua.status.${certificate.status}`)}
                    </Badge>
                  </Table.Td>
                  {canChange && (
                    <Table.Td>
                      <Group gap="xs">
                        {(['trust', 'reject', 'remove'] as const)
                          .filter((action) => !(action === 'trust' && certificate.status === 'trusted') && !(action === 'reject' && certificate.status === 'rejected'))
                          .map((action) => (
                            <Button
                              key={action}
                              size="xs"
                              variant={action === 'trust' ? 'filled' : 'light'}
                              color={action === 'trust' ? 'green' : 'red'}
                              loading={change.isPending && change.variables?.certificate.thumbprint === certificate.thumbprint && change.variables.action === action}
                              onClick={() => change.mutate({ certificate, action })}
                              data-testid={`opcua-certificate-${action}`}
                            >
                              {t(`opcua.actions.${action}`)}
                            </Button>
                          ))}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
