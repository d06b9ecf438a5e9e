import { Accordion, Alert, Button, Group, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client';
import { fetchGasLiftLimits, gasLiftKeys, setGasLiftLimits, type WellLimits } from '../../api/optimization';
import { fetchSiteAssets, type Asset } from '../../api/production';
import { fetchSite, siteKey } from '../../api/site';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, formatNumber, toDisplay, type UnitSystem } from '../../units/units';
import { parseDecimal, toCanonical } from '../production/quantities';

const shown = (value: number, system: UnitSystem, locale: string) => {
  const display = toDisplay(value, 'Sm3/d', system);
  return formatNumber(display.value, display.decimals, locale, false);
};

/** One gas-lift well's limits as the engineer types them, in the site's gas unit. */
function LimitsRow({ well, limits, siteId }: { well: Asset; limits: WellLimits | undefined; siteId: string }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const queryClient = useQueryClient();
  const [min, setMin] = useState(limits ? shown(limits.minInjectionSm3PerDay, system, i18n.language) : '');
  const [max, setMax] = useState(limits ? shown(limits.maxInjectionSm3PerDay, system, i18n.language) : '');
  const [tag, setTag] = useState(limits?.setpointTagPath ?? `${siteId}/${well.code}/GL_INJ_SP`);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (body: { minInjectionSm3PerDay: number; maxInjectionSm3PerDay: number; setpointTagPath: string }) =>
      setGasLiftLimits(well.id, { ...body, ...(limits ? { expectedRowVersion: limits.rowVersion } : {}) }, newIdempotencyKey()),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: gasLiftKeys.all });
    },
  });
  return (
    <Table.Tr data-testid={`gas-lift-limits-${well.code}`}>
      <Table.Td>{well.code}</Table.Td>
      <Table.Td>
        <TextInput size="xs" value={min} onChange={(event) => setMin(event.currentTarget.value)} inputMode="decimal" aria-label={t('gasLift.minInjection')} data-testid="limits-min" />
      </Table.Td>
      <Table.Td>
        <TextInput size="xs" value={max} onChange={(event) => setMax(event.currentTarget.value)} inputMode="decimal" aria-label={t('gasLift.maxInjection')} data-testid="limits-max" />
      </Table.Td>
      <Table.Td>
        <TextInput size="xs" value={tag} onChange={(event) => setTag(event.currentTarget.value)} ff="monospace" aria-label={t('gasLift.setpointTag')} data-testid="limits-tag" />
      </Table.Td>
      <Table.Td>
        <Button
          size="xs"
          variant="default"
          loading={save.isPending}
          data-testid="limits-save"
          onClick={() => {
            const low = parseDecimal(min);
            const high = parseDecimal(max);
            if (low === null || high === null || low < 0 || high < low) {
              setProblem(t('gasLift.limitsInvalid'));
              return;
            }
            setProblem(null);
            save.mutate({ minInjectionSm3PerDay: toCanonical(low, 'Sm3/d', system), maxInjectionSm3PerDay: toCanonical(high, 'Sm3/d', system), setpointTagPath: tag.trim() });
          }}
        >
          {t('gasLift.saveLimits')}
        </Button>
        {problem !== null && (
          <Text size="xs" c="red">
            {problem}
          </Text>
        )}
        {save.isError && <ErrorMessage error={save.error} />}
      </Table.Td>
    </Table.Tr>
  );
}

/** The site's gas-lift wells' injection limits and setpoint tags: a run needs them for every well. */
export function LimitsPanel({ site }: { site: string }) {
  const { t } = useTranslation();
  const { system } = useUnitSystem();
  const wells = useQuery({ queryKey: ['optimization', 'gas-lift', 'wells', site], queryFn: ({ signal }) => fetchSiteAssets(site, 'well', signal) });
  const limits = useQuery({ queryKey: gasLiftKeys.limits(site), queryFn: ({ signal }) => fetchGasLiftLimits(site, signal) });
  const info = useQuery({ queryKey: siteKey, queryFn: fetchSite, staleTime: 60_000 });
  const gasLiftWells = (wells.data ?? []).filter((well) => well.well?.liftType === 'gas_lift');
  const limitsOf = new Map((limits.data ?? []).map((entry) => [entry.wellId, entry]));
  const missing = gasLiftWells.filter((well) => !limitsOf.has(well.id)).length;
  const unit = displayUnitLabel('Sm3/d', system);
  return (
    <Accordion variant="contained" data-testid="gas-lift-limits">
      <Accordion.Item value="limits">
        <Accordion.Control>
          <Group gap="sm">
            <Text fw={500}>{t('gasLift.limitsTitle')}</Text>
            {missing > 0 && (
              <Text size="sm" c="orange">
                {t('gasLift.limitsMissing', { count: missing })}
              </Text>
            )}
          </Group>
        </Accordion.Control>
        <Accordion.Panel>
          {(wells.isError || limits.isError) && <ErrorMessage error={wells.error ?? limits.error} />}
          {gasLiftWells.length === 0 && wells.isSuccess && <Alert color="gray">{t('gasLift.noGasLiftWells')}</Alert>}
          {limits.isSuccess && info.isSuccess && gasLiftWells.length > 0 && (
            <Table.ScrollContainer minWidth={640}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('gasLift.well')}</Table.Th>
                    <Table.Th>{`${t('gasLift.minInjection')} (${unit})`}</Table.Th>
                    <Table.Th>{`${t('gasLift.maxInjection')} (${unit})`}</Table.Th>
                    <Table.Th>{t('gasLift.setpointTag')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {gasLiftWells.map((well) => (
                    <LimitsRow key={`${well.id}:${limitsOf.get(well.id)?.rowVersion ?? 0}:${system}`} well={well} limits={limitsOf.get(well.id)} siteId={info.data.siteId} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
