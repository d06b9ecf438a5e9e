import { Alert, Anchor, Badge, Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import type { Asset, AssetKind, AssetTreeNode, Completion, EquipmentDetail, WellDetail } from '../../api/assets';
import { hasRole } from '../../api/auth';
import { ApiError } from '../../api/client';
import { LiveStatusBadge } from '../../live/live-status-badge';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { useUnitSystem } from '../../shell/unit-system';
import { formatNumber, formatQuantity } from '../../units/units';
import { COMPLETION_FIELDS, completionUnit, completionValue } from './asset-form';
import { AssetFormModal, type AssetFormTarget } from './asset-form-modal';
import { ConnectionsPanelBody } from './asset-connections';
import { kindOf, Loading, StatusBadge, useKindLabel } from './asset-labels';
import { useAsset, useAssetTree } from './asset-queries';
import { ancestorIds, childKindsFor } from './asset-tree';
import type { AssetUnit } from './asset-units';
import { formatDateTime } from './format-date';
import { LinkedTags } from './linked-tags';
import { canChangeStatus } from './status-change';
import { StatusChangeModal } from './status-change-modal';

/** Coordinates to the tenth of a metre or so; more digits than a survey gives would be noise. */
const COORDINATE_DECIMALS = 6;

function useQuantity(): (valueSi: number, unit: AssetUnit) => string {
  const { i18n } = useTranslation();
  const { system } = useUnitSystem();
  return (valueSi, unit) => formatQuantity(valueSi, unit, system, i18n.language);
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="baseline">
      <Text size="sm" c="dimmed" w={180} style={{ flex: 'none' }}>
        {label}
      </Text>
      <Text size="sm" component="div" data-testid={testId}>
        {children}
      </Text>
    </Group>
  );
}

function Panel({ title, action, children, testId }: { title: string; action?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Group justify="space-between" mb="xs">
        <Title order={4}>{title}</Title>
        {action}
      </Group>
      <Stack gap={6}>{children}</Stack>
    </Card>
  );
}

function GeneralPanel({ asset, parent }: { asset: Asset; parent: AssetTreeNode | undefined }) {
  const { t, i18n } = useTranslation();
  const none = <Text span c="dimmed">—</Text>;
  const coordinate = (value: number) => `${formatNumber(value, COORDINATE_DECIMALS, i18n.language, false)}°`;
  return (
    <Panel title={t('assets.detail.general')} testId="asset-general">
      <Fact label={t('assets.form.description')}>{asset.description === '' ? none : asset.description}</Fact>
      <Fact label={t('assets.form.parent')}>
        {parent === undefined ? (
          none
        ) : (
          <Anchor component={Link} to={`/assets/${parent.id}`} size="sm">
            {parent.code} — {parent.name}
          </Anchor>
        )}
      </Fact>
      <Fact label={t('assets.detail.coordinates')} testId="asset-coordinates">
        {asset.latitude === null || asset.longitude === null
          ? none
          : `${coordinate(asset.latitude)}, ${coordinate(asset.longitude)}`}
      </Fact>
      <Fact label={t('assets.detail.created')}>
        {t('assets.detail.by', { date: formatDateTime(asset.createdAt, i18n.language), user: asset.createdBy })}
      </Fact>
      <Fact label={t('assets.detail.updated')}>
        {t('assets.detail.version', { date: formatDateTime(asset.updatedAt, i18n.language), version: asset.rowVersion })}
      </Fact>
    </Panel>
  );
}

function WellPanel({ asset, well }: { asset: Asset; well: WellDetail }) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const [changing, setChanging] = useState(false);
  const canOperate = hasRole(user.role, 'operator');
  const changeable = canChangeStatus(well);
  return (
    <Panel
      title={t('assets.well.title')}
      testId="well-panel"
      action={
        canOperate && (
          <Tooltip label={t('assets.well.abandonedHint')} disabled={changeable}>
            <Button size="xs" variant="light" disabled={!changeable} onClick={() => setChanging(true)} data-testid="well-change-status">
              {t('assets.well.changeStatus')}
            </Button>
          </Tooltip>
        )
      }
    >
      <Fact label={t('assets.well.uwi')} testId="well-uwi">
        {well.uwi ?? <Text span c="dimmed">—</Text>}
      </Fact>
      <Fact label={t('assets.well.liftType')} testId="well-lift">
        {t(`assets.liftType.${well.liftType}`)}
      </Fact>
      <Fact label={t('assets.well.status')}>
        <Group gap="xs">
          <StatusBadge status={well.status} testId="well-status" />
          <Text size="xs" c="dimmed">
            {t('assets.well.since', { date: formatDateTime(well.statusSince, i18n.language) })}
          </Text>
        </Group>
      </Fact>
      <StatusChangeModal asset={asset} opened={changing} onClose={() => setChanging(false)} />
    </Panel>
  );
}

function CompletionPanel({ completion }: { completion: Completion }) {
  const { t } = useTranslation();
  const quantity = useQuantity();
  const perforations = completion.perforations ?? [];
  const known = COMPLETION_FIELDS.flatMap((field) => {
    const value = completionValue(completion, field);
    return value === undefined ? [] : [{ field, value }];
  });
  return (
    <Panel title={t('assets.well.completion')} testId="completion-panel">
      {known.length === 0 && perforations.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('assets.well.noCompletion')}
        </Text>
      )}
      {known.map(({ field, value }) => (
        <Fact key={field} label={t(`assets.well.${field}`)} testId={`completion-${field}`}>
          {quantity(value, completionUnit(field))}
        </Fact>
      ))}
      {perforations.length > 0 && (
        <Table verticalSpacing={2} mt="xs" data-testid="perforations-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('assets.well.top')}</Table.Th>
              <Table.Th>{t('assets.well.bottom')}</Table.Th>
              <Table.Th>{t('assets.well.interval')}</Table.Th>
              <Table.Th>{t('assets.well.zone')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {perforations.map((perforation) => (
              <Table.Tr key={`${perforation.topM}-${perforation.bottomM}`}>
                <Table.Td>{quantity(perforation.topM, 'm')}</Table.Td>
                <Table.Td>{quantity(perforation.bottomM, 'm')}</Table.Td>
                <Table.Td>{quantity(perforation.bottomM - perforation.topM, 'm')}</Table.Td>
                <Table.Td>{perforation.zone ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Panel>
  );
}

function HistoryPanel({ history }: { history: NonNullable<Asset['statusHistory']> }) {
  const { t, i18n } = useTranslation();
  return (
    <Panel title={t('assets.history.title')} testId="status-history">
      {history.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('assets.history.empty')}
        </Text>
      ) : (
        <Table verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('assets.history.effectiveAt')}</Table.Th>
              <Table.Th>{t('assets.history.status')}</Table.Th>
              <Table.Th>{t('assets.history.reason')}</Table.Th>
              <Table.Th>{t('assets.history.recordedBy')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.map((entry, index) => (
              // Newest first; two changes may share an instant, so the place is part of the key.
              <Table.Tr key={`${entry.effectiveAt}-${index}`} data-testid={`status-history-row-${index}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.effectiveAt, i18n.language)}</Table.Td>
                <Table.Td>
                  <StatusBadge status={entry.status} />
                </Table.Td>
                <Table.Td>{entry.reason}</Table.Td>
                <Table.Td>{entry.recordedBy}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Panel>
  );
}

function EquipmentPanel({ equipment }: { equipment: EquipmentDetail }) {
  const { t } = useTranslation();
  const quantity = useQuantity();
  const text = (value: string | null) => value ?? <Text span c="dimmed">—</Text>;
  return (
    <Panel title={t('assets.equipment.title')} testId="equipment-panel">
      <Fact label={t('assets.equipment.type')}>{t(`assets.equipmentType.${equipment.equipmentType}`)}</Fact>
      <Fact label={t('assets.equipment.manufacturer')}>{text(equipment.manufacturer)}</Fact>
      <Fact label={t('assets.equipment.model')}>{text(equipment.model)}</Fact>
      <Fact label={t('assets.equipment.serialNumber')}>{text(equipment.serialNumber)}</Fact>
      {equipment.capacityM3 !== null && (
        <Fact label={t('assets.equipment.capacity')} testId="equipment-capacity">
          {quantity(equipment.capacityM3, 'm3')}
        </Fact>
      )}
      {equipment.fluid !== null && <Fact label={t('assets.equipment.fluid')}>{t(`assets.fluid.${equipment.fluid}`)}</Fact>}
      {equipment.meterService !== null && (
        <Fact label={t('assets.equipment.meterService')}>{t(`assets.meterService.${equipment.meterService}`)}</Fact>
      )}
      {equipment.separatorService !== null && (
        <Fact label={t('assets.equipment.separatorService')}>{t(`assets.separatorService.${equipment.separatorService}`)}</Fact>
      )}
    </Panel>
  );
}

function StrappingPanel({ table }: { table: NonNullable<EquipmentDetail['strappingTable']> }) {
  const { t } = useTranslation();
  const quantity = useQuantity();
  return (
    <Panel title={t('assets.equipment.strapping')} testId="strapping-panel">
      <Text size="xs" c="dimmed">
        {t('assets.equipment.points', { count: table.length })}
      </Text>
      <Table.ScrollContainer minWidth={240} mah={360}>
        <Table verticalSpacing={2} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th ta="right">{t('assets.equipment.level')}</Table.Th>
              <Table.Th ta="right">{t('assets.equipment.volume')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.map((point) => (
              <Table.Tr key={point.levelM}>
                <Table.Td ta="right">{quantity(point.levelM, 'm')}</Table.Td>
                <Table.Td ta="right">{quantity(point.volumeM3, 'm3')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Panel>
  );
}

function ChildrenPanel({ asset, nodes, onAdd }: { asset: Asset; nodes: readonly AssetTreeNode[]; onAdd: ((kind: AssetKind) => void) | null }) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const children = nodes.filter((node) => node.parentId === asset.id);
  const kinds = childKindsFor(asset.kind);
  if (kinds.length === 0) return null;
  return (
    <Panel
      title={t('assets.detail.children')}
      testId="asset-children"
      action={
        onAdd && (
          <Group gap={4}>
            {kinds.map((kind) => (
              <Button key={kind} size="xs" variant="light" onClick={() => onAdd(kind)} data-testid={`asset-add-${kind}`}>
                {t('assets.detail.add', { kind: t(`assets.kind.${kind}`) })}
              </Button>
            ))}
          </Group>
        )
      }
    >
      {children.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('assets.detail.noChildren')}
        </Text>
      ) : (
        children.map((child) => (
          <Group key={child.id} gap="xs" wrap="nowrap">
            <Anchor component={Link} to={`/assets/${child.id}`} size="sm" fw={600} data-testid={`asset-child-${child.code}`}>
              {child.code}
            </Anchor>
            <Text size="sm">{child.name}</Text>
            <Text size="xs" c="dimmed">
              {kindLabel(child)}
            </Text>
            {child.status !== undefined && <StatusBadge status={child.status} />}
          </Group>
        ))
      )}
    </Panel>
  );
}

function AssetDetail({ asset }: { asset: Asset }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const canEdit = hasRole(user.role, 'engineer');
  const kindLabel = useKindLabel();
  const tree = useAssetTree();
  const nodes = tree.data ?? [];
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parent = asset.parentId === null ? undefined : byId.get(asset.parentId);
  const [editing, setEditing] = useState<{ opened: boolean; target: AssetFormTarget }>({
    opened: false,
    target: { mode: 'edit', asset },
  });

  return (
    <Stack data-testid="asset-detail" data-asset-code={asset.code}>
      <Breadcrumbs separator="›">
        <Anchor component={Link} to="/assets" size="sm">
          {t('assets.title')}
        </Anchor>
        {ancestorIds(nodes, asset.id).map((id) => (
          <Anchor key={id} component={Link} to={`/assets?parent=${encodeURIComponent(id)}`} size="sm">
            {byId.get(id)?.code ?? id}
          </Anchor>
        ))}
        <Text size="sm">{asset.code}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2} data-testid="asset-title">
              {asset.code}
            </Title>
            <Badge variant="light" data-testid="asset-kind">
              {kindLabel(kindOf(asset))}
            </Badge>
            {asset.well && <StatusBadge status={asset.well.status} />}
          </Group>
          <Text c="dimmed">{asset.name}</Text>
          {asset.kind === 'well' && (
            <Anchor component={Link} to={`/field/wells/${encodeURIComponent(asset.code)}`} size="sm" data-testid="asset-field-link">
              {t('assets.detail.inField')}
            </Anchor>
          )}
        </Stack>
        <Group gap="sm">
          {asset.tags.length > 0 && <LiveStatusBadge />}
          {canEdit && (
            <Button variant="light" onClick={() => setEditing({ opened: true, target: { mode: 'edit', asset } })} data-testid="asset-edit">
              {t('assets.detail.edit')}
            </Button>
          )}
        </Group>
      </Group>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <GeneralPanel asset={asset} parent={parent} />
        {asset.well && <WellPanel asset={asset} well={asset.well} />}
        {asset.well && <CompletionPanel completion={asset.well.completion} />}
        {asset.well && <HistoryPanel history={asset.statusHistory ?? []} />}
        {asset.equipment && <EquipmentPanel equipment={asset.equipment} />}
        {asset.equipment?.strappingTable && <StrappingPanel table={asset.equipment.strappingTable} />}
        <ChildrenPanel
          asset={asset}
          nodes={nodes}
          onAdd={canEdit ? (kind) => setEditing({ opened: true, target: { mode: 'create', kind, parentId: asset.id } }) : null}
        />
      </SimpleGrid>
      {(asset.kind === 'well' || asset.kind === 'equipment') && (
        <Panel title={t('assets.connections.title')} testId="asset-connections">
          <ConnectionsPanelBody asset={asset} nodes={nodes} canEdit={canEdit} />
        </Panel>
      )}
      <Panel title={t('assets.tags.title')} testId="asset-tags">
        <LinkedTags links={asset.tags} />
      </Panel>

      <AssetFormModal
        opened={editing.opened}
        target={editing.target}
        onClose={() => setEditing((current) => ({ ...current, opened: false }))}
      />
    </Stack>
  );
}

export function AssetDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const asset = useAsset(id);
  if (asset.isPending) return <Loading label={t('assets.detail.loading')} />;
  if (asset.isError) {
    const missing = asset.error instanceof ApiError && (asset.error.status === 404 || asset.error.status === 400);
    return (
      <Alert color={missing ? 'yellow' : 'red'} title={missing ? t('assets.detail.notFound') : t('assets.detail.failed')} data-testid="asset-not-found">
        <Stack gap="xs" align="flex-start">
          {!missing && <ErrorMessage error={asset.error} />}
          <Anchor component={Link} to="/assets" size="sm">
            {t('assets.detail.back')}
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  return <AssetDetail key={asset.data.id} asset={asset.data} />;
}

/** /assets/code/:code, the address the field overview links to: the register's page of the asset with that code. */
export function AssetByCodePage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const tree = useAssetTree();
  if (tree.isPending) return <Loading label={t('assets.detail.loading')} />;
  if (tree.isError) return <ErrorMessage error={tree.error} />;
  const node = tree.data.find((candidate) => candidate.code === code);
  if (node === undefined) {
    return (
      <Alert color="yellow" title={t('assets.detail.notFoundCode', { code })} data-testid="asset-not-found">
        <Anchor component={Link} to="/assets" size="sm">
          {t('assets.detail.back')}
        </Anchor>
      </Alert>
    );
  }
  return <Navigate replace to={`/assets/${node.id}`} />;
}
