import { Alert, Badge, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import { ApiError } from '../../api/client';
import {
  approveGasLiftRun,
  createGasLiftRun,
  fetchGasLiftRun,
  fetchGasLiftRuns,
  gasLiftKeys,
  rejectGasLiftRun,
  type Run,
  type RunCreateInput,
  type RunNetValue,
  type RunStatus,
  type RunSummary,
} from '../../api/optimization';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, formatNumber } from '../../units/units';
import { formatDateTime } from '../production/dates';
import { useProductionParams } from '../production/production-filters';
import { ProductionPage } from '../production/production-page';
import { formatValue, parseDecimal, toCanonical } from '../production/quantities';
import { keyForSubmission, type Submission } from '../production/submission-key';
import { GasLiftCurveChart } from './gas-lift-curve-chart';
import { LimitsPanel } from './gas-lift-limits-panel';
import { curveInDisplay, isDecidable, isInFlight, marginalInDisplay, moneyPerGasInDisplay, oilGainM3PerDay, pricesToCanonical, STATUS_COLORS, type DisplayedPrices } from './gas-lift-view';

/** How often a run whose setpoints are being written is read again. */
const IN_FLIGHT_REFRESH_MS = 2_000;

function StatusBadge({ status, testId }: { status: RunStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" data-testid={testId} data-status={status}>
      {t(`gasLift.status.${status}`)}
    </Badge>
  );
}

function useUnits() {
  const { i18n } = useTranslation();
  const { system } = useUnitSystem();
  return {
    system,
    gasUnit: displayUnitLabel('Sm3/d', system),
    oilUnit: displayUnitLabel('m3/d', system),
    gas: (value: number | null) => formatValue(value, 'Sm3/d', system, i18n.language),
    oil: (value: number | null) => formatValue(value, 'm3/d', system, i18n.language),
  };
}

interface PriceFields {
  currency: string;
  oil: string;
  liftGas: string;
  water: string;
}

/** The typed prices, or null when the currency is not an ISO code or a price is not a number of at least 0. */
function readPrices(fields: PriceFields): DisplayedPrices | null {
  const currency = fields.currency.trim().toUpperCase();
  const values = [fields.oil, fields.liftGas, fields.water].map(parseDecimal);
  if (!/^[A-Z]{3}$/.test(currency) || values.some((value) => value === null || value < 0)) return null;
  const [oilPerVolume, liftGasPerVolume, waterPerVolume] = values as [number, number, number];
  return { currency, oilPerVolume, liftGasPerVolume, waterPerVolume };
}

/** A net-value run's prices, per volume in the site's units (bbl and Mscf on an oilfield site). */
function PriceInputs({ prices, onChange, error }: { prices: PriceFields; onChange: (prices: PriceFields) => void; error: string | null }) {
  const { t } = useTranslation();
  const { system } = useUnitSystem();
  const liquid = displayUnitLabel('m3', system);
  const gasVolume = displayUnitLabel('Sm3', system);
  const currency = prices.currency.trim().toUpperCase() || '—';
  const field = (key: 'oil' | 'liftGas' | 'water', label: string, unit: string) => (
    <TextInput
      label={`${label} (${currency}/${unit})`}
      value={prices[key]}
      onChange={(event) => onChange({ ...prices, [key]: event.currentTarget.value })}
      inputMode="decimal"
      w={200}
      data-testid={`gas-lift-price-${key}`}
    />
  );
  return (
    <Stack gap={4}>
      <Group align="flex-end">
        <TextInput
          label={t('gasLift.currency')}
          value={prices.currency}
          onChange={(event) => onChange({ ...prices, currency: event.currentTarget.value })}
          maxLength={3}
          w={100}
          data-testid="gas-lift-price-currency"
        />
        {field('oil', t('gasLift.oilPrice'), liquid)}
        {field('liftGas', t('gasLift.liftGasCost'), gasVolume)}
        {field('water', t('gasLift.waterCost'), liquid)}
      </Group>
      {error !== null && (
        <Text size="sm" c="red" data-testid="gas-lift-prices-error">
          {error}
        </Text>
      )}
    </Stack>
  );
}

/** A new run: the gas to share (blank: the compressor capacity) and where the curves come from. */
function NewRunForm({ site, onCreated }: { site: string; onCreated: (run: Run) => void }) {
  const { t } = useTranslation();
  const { system, gasUnit } = useUnits();
  const queryClient = useQueryClient();
  const [gas, setGas] = useState('');
  const [source, setSource] = useState<'well_tests' | 'simulator'>('well_tests');
  const [gasError, setGasError] = useState<string | null>(null);
  const [objective, setObjective] = useState<'oil' | 'net_value'>('oil');
  const [prices, setPrices] = useState<PriceFields>({ currency: 'USD', oil: '', liftGas: '', water: '' });
  const [pricesError, setPricesError] = useState<string | null>(null);
  // A run whose answer was lost is sent again with the same key: the server answers with that run instead of making another.
  const submission = useRef<Submission | null>(null);
  const create = useMutation({
    mutationFn: ({ body, key }: { body: RunCreateInput; key: string }) => createGasLiftRun(body, key),
    onSuccess: async (run) => {
      submission.current = null;
      await queryClient.invalidateQueries({ queryKey: gasLiftKeys.runs(site) });
      onCreated(run);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) submission.current = null;
    },
  });
  return (
    <Paper withBorder p="md">
      <form
        noValidate
        data-testid="gas-lift-new-run"
        onSubmit={(event) => {
          event.preventDefault();
          const typed = parseDecimal(gas);
          if (gas.trim() !== '' && (typed === null || typed < 0)) {
            setGasError(t('gasLift.gasInvalid'));
            return;
          }
          setGasError(null);
          const body: RunCreateInput = { siteAssetId: site, curveSource: source };
          if (typed !== null) body.gasAvailableSm3PerDay = toCanonical(typed, 'Sm3/d', system);
          if (objective === 'net_value') {
            const typedPrices = readPrices(prices);
            if (typedPrices === null) {
              setPricesError(t('gasLift.pricesInvalid'));
              return;
            }
            body.objective = 'net_value';
            body.prices = pricesToCanonical(typedPrices, system);
          }
          setPricesError(null);
          submission.current = keyForSubmission(submission.current, body);
          create.mutate({ body, key: submission.current.key });
        }}
      >
        <Stack gap="sm">
          <Title order={4}>{t('gasLift.newRun')}</Title>
          <Group align="flex-end">
            <TextInput
              label={`${t('gasLift.gasAvailable')} (${gasUnit})`}
              description={t('gasLift.gasAvailableHint')}
              value={gas}
              onChange={(event) => setGas(event.currentTarget.value)}
              error={gasError}
              inputMode="decimal"
              w={260}
              data-testid="gas-lift-gas"
            />
            <NativeSelect
              label={t('gasLift.curveSource')}
              value={source}
              onChange={(event) => setSource(event.currentTarget.value === 'simulator' ? 'simulator' : 'well_tests')}
              data={[
                { value: 'well_tests', label: t('gasLift.source.well_tests') },
                { value: 'simulator', label: t('gasLift.source.simulator') },
              ]}
              w={220}
              data-testid="gas-lift-source"
            />
            <NativeSelect
              label={t('gasLift.objective')}
              value={objective}
              onChange={(event) => setObjective(event.currentTarget.value === 'net_value' ? 'net_value' : 'oil')}
              data={[
                { value: 'oil', label: t('gasLift.objectives.oil') },
                { value: 'net_value', label: t('gasLift.objectives.net_value') },
              ]}
              w={220}
              data-testid="gas-lift-objective"
            />
            <Button type="submit" loading={create.isPending} data-testid="gas-lift-optimise">
              {t('gasLift.optimise')}
            </Button>
          </Group>
          {objective === 'net_value' && <PriceInputs prices={prices} onChange={setPrices} error={pricesError} />}
          {create.isError && (
            <Alert color="red" title={t('gasLift.createFailed')} data-testid="gas-lift-create-error">
              <ErrorMessage error={create.error} />
            </Alert>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function RunList({ runs, selected, onSelect }: { runs: RunSummary[]; selected: string | null; onSelect: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const { gas, oil, gasUnit, oilUnit } = useUnits();
  return (
    <Paper withBorder p="sm">
      <Title order={4} mb="xs">
        {t('gasLift.runs')}
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table highlightOnHover data-testid="gas-lift-runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('gasLift.createdAt')}</Table.Th>
              <Table.Th>{t('gasLift.statusLabel')}</Table.Th>
              <Table.Th ta="right">{`${t('gasLift.gas')} (${gasUnit})`}</Table.Th>
              <Table.Th ta="right">{`${t('gasLift.expectedGain')} (${oilUnit})`}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text size="sm" c="dimmed">
                    {t('gasLift.noRuns')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {runs.map((run) => (
              <Table.Tr
                key={run.id}
                onClick={() => onSelect(run.id)}
                style={{ cursor: 'pointer' }}
                bg={run.id === selected ? 'var(--mantine-color-blue-light)' : undefined}
                data-testid={`gas-lift-run-${run.id}`}
              >
                <Table.Td>
                  <Text size="sm">{formatDateTime(run.createdAt, i18n.language)}</Text>
                  <Text size="xs" c="dimmed">
                    {run.createdBy}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={run.status} />
                </Table.Td>
                <Table.Td ta="right">{gas(run.gasAvailableSm3PerDay)}</Table.Td>
                <Table.Td ta="right">{oil(run.expectedOilGainM3PerDay)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** Approve, or reject with a reason: engineers only, and only while the run is proposed. */
function Decision({ run }: { run: Run }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  // One key per decision on this run: a retried click is the same decision.
  const keys = useRef(new Map<string, string>());
  const keyFor = (what: string) => {
    const existing = keys.current.get(what);
    if (existing) return existing;
    const key = crypto.randomUUID();
    keys.current.set(what, key);
    return key;
  };
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: gasLiftKeys.all });
  };
  const approve = useMutation({ mutationFn: () => approveGasLiftRun(run.id, keyFor(`approve:${run.id}`)), onSettled: refresh });
  const reject = useMutation({ mutationFn: (text: string) => rejectGasLiftRun(run.id, text, keyFor(`reject:${run.id}:${text}`)), onSettled: refresh });
  const failure = approve.error ?? reject.error;
  return (
    <Stack gap="xs">
      <Group>
        <Button color="teal" onClick={() => approve.mutate()} loading={approve.isPending} disabled={reject.isPending} data-testid="gas-lift-approve">
          {t('gasLift.approve')}
        </Button>
        <Button variant="default" color="red" onClick={() => setRejecting(true)} disabled={approve.isPending} data-testid="gas-lift-reject">
          {t('gasLift.reject')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('gasLift.approveHint')}
      </Text>
      {rejecting && (
        <Group align="flex-end">
          <Textarea
            label={t('gasLift.rejectReason')}
            required
            autosize
            minRows={2}
            w={420}
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setReasonError(null);
            }}
            error={reasonError}
            data-testid="gas-lift-reject-reason"
          />
          <Button
            color="red"
            loading={reject.isPending}
            onClick={() => {
              if (reason.trim() === '') {
                setReasonError(t('gasLift.rejectReasonNeeded'));
                return;
              }
              reject.mutate(reason.trim());
            }}
            data-testid="gas-lift-reject-confirm"
          >
            {t('gasLift.confirmReject')}
          </Button>
        </Group>
      )}
      {failure !== null && (
        <Alert color="red" title={t('gasLift.decisionFailed')} data-testid="gas-lift-decision-error">
          <ErrorMessage error={failure} />
        </Alert>
      )}
    </Stack>
  );
}

/** A net-value run: what it maximised, its gain in money and what one more unit of lift gas is worth. */
function NetValueSummary({ netValue }: { netValue: RunNetValue }) {
  const { t, i18n } = useTranslation();
  const { system, gasUnit } = useUnits();
  const money = (value: number) => formatNumber(value, 2, i18n.language);
  return (
    <>
      <Text size="sm" data-testid="gas-lift-objective-shown">
        {t('gasLift.objectives.net_value')}
      </Text>
      <Text size="sm" fw={600} data-testid="gas-lift-value-gain">
        {t('gasLift.summaryValueGain', { value: money(netValue.expectedGainPerDay), currency: netValue.currency })}
      </Text>
      <Text size="sm" data-testid="gas-lift-marginal">
        {t('gasLift.summaryMarginal', {
          value: netValue.marginalValuePerSm3 === null ? '—' : formatNumber(moneyPerGasInDisplay(netValue.marginalValuePerSm3, system), 4, i18n.language, false),
          unit: `${netValue.currency}/d / ${gasUnit}`,
        })}
      </Text>
    </>
  );
}

function RunDetail({ runId }: { runId: string }) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const { system, gas, oil, gasUnit, oilUnit } = useUnits();
  const run = useQuery({
    queryKey: gasLiftKeys.run(runId),
    queryFn: ({ signal }) => fetchGasLiftRun(runId, signal),
    // Until the flow has written every setpoint, the write status is read again.
    refetchInterval: (query) => (query.state.data && isInFlight(query.state.data.status) ? IN_FLIGHT_REFRESH_MS : false),
  });
  if (run.isError) return <ErrorMessage error={run.error} />;
  if (!run.data) return null;
  const detail = run.data;
  const marginal = detail.marginalOilM3PerSm3 === null ? null : marginalInDisplay(detail.marginalOilM3PerSm3, system);
  return (
    <Paper withBorder p="md" data-testid="gas-lift-run" data-run-id={detail.id}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={4}>{t('gasLift.run')}</Title>
            <StatusBadge status={detail.status} testId="gas-lift-run-status" />
          </Group>
          <Text size="xs" c="dimmed">
            {t('gasLift.madeBy', { by: detail.createdBy, at: formatDateTime(detail.createdAt, i18n.language) })}
          </Text>
        </Group>
        <Group gap="xl" data-testid="gas-lift-summary">
          <Text size="sm">{t('gasLift.summaryGas', { value: gas(detail.gasAvailableSm3PerDay), unit: gasUnit, source: t(`gasLift.gasSource.${detail.gasSource}`) })}</Text>
          <Text size="sm">{t('gasLift.summaryOil', { value: oil(detail.expectedOilM3PerDay), unit: oilUnit })}</Text>
          <Text size="sm" fw={600} data-testid="gas-lift-expected-gain">
            {t('gasLift.summaryGain', { value: oil(detail.expectedOilGainM3PerDay), unit: oilUnit })}
          </Text>
          {detail.netValue === null ? (
            <Text size="sm" data-testid="gas-lift-marginal">
              {t('gasLift.summaryMarginal', { value: marginal === null ? '—' : formatNumber(marginal, 4, i18n.language, false), unit: `${oilUnit} / ${gasUnit}` })}
            </Text>
          ) : (
            <NetValueSummary netValue={detail.netValue} />
          )}
        </Group>
        {detail.decidedBy !== null && detail.decidedAt !== null && (
          <Text size="sm" data-testid="gas-lift-decision">
            {t(detail.status === 'rejected' ? 'gasLift.rejectedBy' : 'gasLift.approvedBy', { by: detail.decidedBy, at: formatDateTime(detail.decidedAt, i18n.language) })}
            {detail.reason !== null ? ` — ${detail.reason}` : ''}
          </Text>
        )}
        <Table.ScrollContainer minWidth={880}>
          <Table data-testid="gas-lift-allocation">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('gasLift.well')}</Table.Th>
                <Table.Th ta="right">{`${t('gasLift.currentInjection')} (${gasUnit})`}</Table.Th>
                <Table.Th ta="right">{`${t('gasLift.recommendedInjection')} (${gasUnit})`}</Table.Th>
                <Table.Th ta="right">{`${t('gasLift.limits')} (${gasUnit})`}</Table.Th>
                <Table.Th ta="right">{`${t('gasLift.currentOil')} (${oilUnit})`}</Table.Th>
                <Table.Th ta="right">{`${t('gasLift.expectedOil')} (${oilUnit})`}</Table.Th>
                <Table.Th ta="right">{`${t('gasLift.oilGain')} (${oilUnit})`}</Table.Th>
                <Table.Th>{t('gasLift.write')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {detail.setpoints.map((setpoint) => (
                <Table.Tr key={setpoint.id} data-testid={`gas-lift-row-${setpoint.wellCode}`}>
                  <Table.Td>
                    <Text size="sm">{setpoint.wellCode}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {setpoint.tagPath}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{gas(setpoint.currentInjectionSm3PerDay)}</Table.Td>
                  <Table.Td ta="right" fw={600} data-testid={`gas-lift-recommended-${setpoint.wellCode}`} data-sm3-per-day={setpoint.recommendedInjectionSm3PerDay}>
                    {gas(setpoint.recommendedInjectionSm3PerDay)}
                  </Table.Td>
                  <Table.Td ta="right">{`${gas(setpoint.minInjectionSm3PerDay)} – ${gas(setpoint.maxInjectionSm3PerDay)}`}</Table.Td>
                  <Table.Td ta="right">{oil(setpoint.currentOilM3PerDay)}</Table.Td>
                  <Table.Td ta="right">{oil(setpoint.expectedOilM3PerDay)}</Table.Td>
                  <Table.Td ta="right">{oil(oilGainM3PerDay(setpoint))}</Table.Td>
                  <Table.Td data-testid={`gas-lift-write-${setpoint.wellCode}`} data-outcome={setpoint.write?.outcome ?? ''}>
                    {setpoint.write === null ? (
                      <Text size="sm" c="dimmed">
                        {t(detail.status === 'writing' ? 'gasLift.writing' : 'gasLift.notWritten')}
                      </Text>
                    ) : (
                      <>
                        <Badge size="sm" variant="light" color={setpoint.write.outcome === 'confirmed' ? 'green' : setpoint.write.outcome === 'unconfirmed' ? 'yellow' : 'red'}>
                          {t(`gasLift.outcome.${setpoint.write.outcome}`)}
                        </Badge>
                        {setpoint.write.detail !== null && (
                          <Text size="xs" c="dimmed">
                            {setpoint.write.detail}
                          </Text>
                        )}
                      </>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {isDecidable(detail.status) && hasRole(user.role, 'engineer') && <Decision run={detail} />}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} data-testid="gas-lift-curves">
          {detail.setpoints
            .filter((setpoint) => setpoint.curve.length >= 2)
            .map((setpoint) => (
              <GasLiftCurveChart
                key={setpoint.id}
                title={setpoint.wellCode}
                {...curveInDisplay(setpoint, system)}
                gasUnit={gasUnit}
                oilUnit={oilUnit}
                testId={`gas-lift-curve-${setpoint.wellCode}`}
              />
            ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

/**
 * Gas-lift allocation with approval (docs/optimization-closed-loop.md): an
 * engineer makes a run (curves, allocation within each well's limits),
 * reviews the recommended injection per well and approves or rejects it;
 * the shipped flow then writes the approved setpoints and the write status
 * of each well shows here.
 */
export function GasLiftPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const { site, runId, update } = useProductionParams();
  const engineer = hasRole(user.role, 'engineer');
  const runs = useQuery({
    queryKey: gasLiftKeys.runs(site),
    queryFn: ({ signal }) => fetchGasLiftRuns(site, signal),
    enabled: site !== '',
    refetchInterval: (query) => (query.state.data?.some((run) => isInFlight(run.status)) ? IN_FLIGHT_REFRESH_MS : false),
  });
  const selected = runId ?? runs.data?.[0]?.id ?? null;
  return (
    <ProductionPage testId="gas-lift-page" title={t('gasLift.title')} intro={t('gasLift.intro')} site={site} onSiteChange={(value) => update('site', value)}>
      {site !== '' && (
        <>
          {engineer && <NewRunForm site={site} onCreated={(run) => update('run', run.id)} />}
          {engineer && <LimitsPanel site={site} />}
          {runs.isError && <ErrorMessage error={runs.error} />}
          {runs.data && <RunList runs={runs.data} selected={selected} onSelect={(id) => update('run', id)} />}
          {selected !== null && <RunDetail runId={selected} />}
        </>
      )}
    </ProductionPage>
  );
}
