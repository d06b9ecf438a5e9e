import { Badge, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Asset, AssetKind, EquipmentType, SiteType, WellStatus } from '../../api/assets';

/** Producing reads as fine, shut in as needing a look, the rest as out of service. */
export const STATUS_COLOR: Record<WellStatus, string> = {
  producing: 'green',
  shut_in: 'orange',
  suspended: 'gray',
  abandoned: 'dark',
};

export function StatusBadge({ status, testId }: { status: WellStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    // A badge squeezed by a table column would cut its word short.
    <Badge color={STATUS_COLOR[status]} variant="light" style={{ minWidth: 'max-content' }} data-testid={testId} data-status={status}>
      {t(`assets.status.${status}`)}
    </Badge>
  );
}

/** "Well", "Site · Battery", "Equipment · Tank": the kind with its sub-type when it has one. */
export function useKindLabel(): (asset: { kind: AssetKind; siteType?: SiteType | null; equipmentType?: EquipmentType | null }) => string {
  const { t } = useTranslation();
  return ({ kind, siteType, equipmentType }) => {
    const kindLabel = t(`assets.kind.${kind}`);
    if (kind === 'site' && siteType) return `${kindLabel} · ${t(`assets.siteType.${siteType}`)}`;
    if (kind === 'equipment' && equipmentType) return `${kindLabel} · ${t(`assets.equipmentType.${equipmentType}`)}`;
    return kindLabel;
  };
}

/** An asset in the shape a tree node has (its equipment type at the top). */
export function kindOf(asset: Asset): { kind: AssetKind; siteType: SiteType | null; equipmentType: EquipmentType | null } {
  return { kind: asset.kind, siteType: asset.siteType, equipmentType: asset.equipment?.equipmentType ?? null };
}

export function Loading({ label }: { label: string }) {
  return (
    <Group gap="xs">
      <Loader size="sm" />
      <Text size="sm">{label}</Text>
    </Group>
  );
}
