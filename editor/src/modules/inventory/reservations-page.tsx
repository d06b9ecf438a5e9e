import { Anchor, Button, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { mayAct } from '../../api/auth';
import { fetchReservations, inventoryKeys, releaseReservation, type Reservation } from '../../api/inventory';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { formatNumber } from '../../units/units';
import { itemLabel, useInventoryLookups } from './inventory-lookups';

const FILTERS = ['open', 'all'] as const;

/** The document a reservation holds stock for: a work order links to its detail, anything else is named by type and id. */
function SourceCell({ source }: { source: Reservation['source'] }) {
  const { t } = useTranslation();
  if (source.type === 'work_order') {
    return (
      <Anchor component={Link} to={`/maintenance/work-orders/${encodeURIComponent(source.id)}`}>
        {t('inventory.costObject.work_order')}
      </Anchor>
    );
  }
  return (
    <Text size="sm">
      {source.type} {source.id}
    </Text>
  );
}

/** Reservations (docs/erp-inventory.md "Screens"): what stock is held for which document; the storekeeper releases what is no longer needed. */
export function ReservationsPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const lookups = useInventoryLookups();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('open');
  const status = filter === 'open' ? 'open' : null;
  const reservations = useQuery({ queryKey: inventoryKeys.reservations(status), queryFn: ({ signal }) => fetchReservations(status, signal) });
  const release = useMutation({
    mutationFn: (id: string) => releaseReservation(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inventoryKeys.all }),
  });
  const mayRelease = mayAct(user, 'operator', 'storekeeper');
  const quantity = (value: number, itemId: string) => `${formatNumber(value, 2, i18n.language, false)} ${lookups.itemById.get(itemId)?.baseUnit ?? ''}`;

  return (
    <Stack data-testid="inventory-reservations-page">
      <Title order={2}>{t('inventory.reservations.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('inventory.reservations.intro')}
      </Text>
      <SegmentedControl
        w={260}
        value={filter}
        onChange={(value) => setFilter(value === 'all' ? 'all' : 'open')}
        data={FILTERS.map((value) => ({ value, label: t(`inventory.reservations.filter.${value}`) }))}
      />
      {reservations.isError && <ErrorMessage error={reservations.error} />}
      {release.isError && <ErrorMessage error={release.error} />}
      <Table.ScrollContainer minWidth={820}>
        <Table striped data-testid="inventory-reservations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('inventory.stock.item')}</Table.Th>
              <Table.Th>{t('inventory.stock.location')}</Table.Th>
              <Table.Th ta="right">{t('inventory.reservations.reserved')}</Table.Th>
              <Table.Th ta="right">{t('inventory.reservations.consumed')}</Table.Th>
              <Table.Th>{t('inventory.reservations.source')}</Table.Th>
              <Table.Th>{t('inventory.reservations.status')}</Table.Th>
              <Table.Th>{t('inventory.reservations.createdAt')}</Table.Th>
              {mayRelease && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(reservations.data ?? []).map((reservation) => {
              const item = lookups.itemById.get(reservation.itemId);
              return (
                <Table.Tr key={reservation.id} data-testid={`reservation-row-${item?.code ?? reservation.itemId}`}>
                  <Table.Td>{item ? itemLabel(item) : reservation.itemId}</Table.Td>
                  <Table.Td>{lookups.locationById.get(reservation.locationId)?.code ?? reservation.locationId}</Table.Td>
                  <Table.Td ta="right">{quantity(reservation.quantity, reservation.itemId)}</Table.Td>
                  <Table.Td ta="right">{quantity(reservation.consumedQuantity, reservation.itemId)}</Table.Td>
                  <Table.Td>
                    <SourceCell source={reservation.source} />
                  </Table.Td>
                  <Table.Td data-testid="reservation-status">{t(`inventory.reservations.statuses.${reservation.status}`)}</Table.Td>
                  <Table.Td>{new Date(reservation.createdAt).toLocaleString(i18n.language)}</Table.Td>
                  {mayRelease && (
                    <Table.Td>
                      {reservation.status === 'open' && (
                        <Button
                          size="xs"
                          variant="light"
                          loading={release.isPending && release.variables === reservation.id}
                          onClick={() => release.mutate(reservation.id)}
                          data-testid="reservation-release"
                        >
                          {t('inventory.reservations.release')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {reservations.data?.length === 0 && <Text c="dimmed">{t('inventory.reservations.none')}</Text>}
    </Stack>
  );
}
