import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import { fetchAssetTags, tagKeys, writeTag, type Tag, type TagWriteResult } from '../../api/tags';
import type { LiveValue } from '../../live/live-protocol';
import { useFormatLive } from '../../live/live-value-text';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { useUnitSystem } from '../../shell/unit-system';
import { formatNumber, fromDisplay, toDisplay, type UnitSystem } from '../../units/units';

/**
 * Setpoint writes from the well's faceplate (docs/setpoints.md): the user
 * types the value in the site's units, sees old → new with the unit, and
 * confirms; the server writes the device through the tag's device path and
 * answers what the device read back.
 */

/** The asset's tags by path, for their write limits and roles. */
export function useAssetTags(siteId: string, assetId: string): Map<string, Tag> {
  const prefix = `${siteId}/${assetId}/`;
  const query = useQuery({
    queryKey: [...tagKeys.all, 'asset', prefix],
    queryFn: ({ signal }) => fetchAssetTags(prefix, signal),
    staleTime: 60_000,
  });
  return new Map((query.data ?? []).map((tag) => [tag.path, tag]));
}

/** A typed number in the user's locale ("12,5" or "12.5"); null when it is not one. */
function parseTyped(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

interface Limits {
  min: number | null;
  max: number | null;
}

/** The tag's write limits in the unit shown (a conversion may swap nothing: all are increasing). */
function displayLimits(tag: Tag, system: UnitSystem): Limits {
  const shown = (value: number | null) => (value === null ? null : toDisplay(value, tag.unit, system, tag.displayUnit).value);
  return { min: shown(tag.writeMin), max: shown(tag.writeMax) };
}

/** Outside the limits, checked on the canonical value the server will check. */
function outsideLimits(tag: Tag, canonical: number): boolean {
  return (tag.writeMin !== null && canonical < tag.writeMin) || (tag.writeMax !== null && canonical > tag.writeMax);
}

type Step = { kind: 'edit' } | { kind: 'confirm'; value: number | boolean } | { kind: 'done'; result: TagWriteResult };

function SetpointWriteDialog({ tag, point, value, onClose }: { tag: Tag; point: string; value: LiveValue | undefined; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const format = useFormatLive();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const [typed, setTyped] = useState('');
  const [flag, setFlag] = useState<'true' | 'false'>(value?.v === true ? 'false' : 'true');
  const isBool = tag.dataType === 'bool';
  const unitLabel = toDisplay(0, tag.unit, system, tag.displayUnit).unit;
  const limits = displayLimits(tag, system);
  const decimals = toDisplay(0, tag.unit, system, tag.displayUnit).decimals;
  const limitText = (limit: number | null) => (limit === null ? '—' : formatNumber(limit, decimals, i18n.language, false));
  const shown = (canonical: number | boolean | null) => format(canonical === null ? null : { v: canonical, q: 'good', t: 0 }, tag.unit, tag.displayUnit);
  const write = useMutation({
    mutationFn: (next: number | boolean) => writeTag(tag.id, next, value?.v === undefined || typeof value.v === 'string' ? undefined : value.v),
    onSuccess: async (result) => {
      setStep({ kind: 'done', result });
      await queryClient.invalidateQueries({ queryKey: tagKeys.all });
    },
  });

  const typedNumber = parseTyped(typed);
  const canonical = typedNumber === null ? null : fromDisplay(typedNumber, tag.unit, system, tag.displayUnit);
  const rounded = canonical === null ? null : tag.dataType === 'int' ? Math.round(canonical) : canonical;
  const refusal =
    isBool || typed.trim() === ''
      ? null
      : rounded === null
        ? t('setpoint.notANumber')
        : outsideLimits(tag, rounded)
          ? t('setpoint.outsideLimits', { min: limitText(limits.min), max: limitText(limits.max), unit: unitLabel })
          : null;

  return (
    <Stack gap="sm" data-testid="setpoint-dialog" data-step={step.kind}>
      <Text size="sm" c="dimmed">
        {tag.path}
      </Text>
      <Group gap="xs">
        <Text size="sm">{t('setpoint.current')}</Text>
        <Text size="sm" fw={600} data-testid="setpoint-current">
          {format(value, tag.unit, tag.displayUnit)}
        </Text>
      </Group>
      {!isBool && (
        <Text size="xs" c="dimmed" data-testid="setpoint-limits">
          {t('setpoint.limits', { min: limitText(limits.min), max: limitText(limits.max), unit: unitLabel })}
        </Text>
      )}
      {step.kind === 'edit' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const next = isBool ? flag === 'true' : rounded;
            if (next === null || refusal !== null) return;
            setStep({ kind: 'confirm', value: next });
          }}
        >
          <Stack gap="sm">
            {isBool ? (
              <SegmentedControl
                value={flag}
                onChange={(next) => setFlag(next === 'true' ? 'true' : 'false')}
                data={[
                  { value: 'true', label: t('live.true') },
                  { value: 'false', label: t('live.false') },
                ]}
                data-testid="setpoint-flag"
              />
            ) : (
              <TextInput
                label={t('setpoint.newValue', { unit: unitLabel })}
                inputMode="decimal"
                value={typed}
                onChange={(event) => setTyped(event.currentTarget.value)}
                error={refusal}
                rightSection={<Text size="xs">{unitLabel}</Text>}
                data-testid="setpoint-input"
                data-autofocus
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('setpoint.cancel')}
              </Button>
              <Button type="submit" disabled={refusal !== null || (!isBool && typed.trim() === '')} data-testid="setpoint-review">
                {t('setpoint.review')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {step.kind === 'confirm' && (
        <Stack gap="sm">
          <Alert color="yellow" title={t('setpoint.confirmTitle', { point })}>
            <Text fw={700} size="lg" data-testid="setpoint-change">
              {format(value, tag.unit, tag.displayUnit)} → {shown(step.value)}
            </Text>
            <Text size="xs">{t('setpoint.confirmHint')}</Text>
          </Alert>
          {write.isError && (
            <Alert color="red" title={t('setpoint.failed')} data-testid="setpoint-error">
              <ErrorMessage error={write.error} />
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStep({ kind: 'edit' })} disabled={write.isPending}>
              {t('setpoint.back')}
            </Button>
            <Button color="orange" loading={write.isPending} onClick={() => write.mutate(step.value)} data-testid="setpoint-confirm">
              {t('setpoint.confirm')}
            </Button>
          </Group>
        </Stack>
      )}
      {step.kind === 'done' && (
        <Stack gap="sm">
          <Alert
            color={step.result.confirmed ? 'green' : 'orange'}
            title={step.result.confirmed ? t('setpoint.confirmed') : t('setpoint.unconfirmed')}
            data-testid="setpoint-result"
            data-confirmed={step.result.confirmed}
          >
            <Text size="sm" data-testid="setpoint-read-back">
              {t('setpoint.readBack', { value: shown(step.result.readBack === null || typeof step.result.readBack === 'string' ? null : step.result.readBack) })}
            </Text>
            {step.result.detail !== undefined && <Text size="xs">{step.result.detail}</Text>}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="setpoint-close">
              {t('setpoint.close')}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}

/** "Write" on a setpoint's card, for a user whose role may write the tag; nothing otherwise. */
export function SetpointWriteButton({ tag, point, value }: { tag: Tag | undefined; point: string; value: LiveValue | undefined }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  if (tag === undefined || !tag.writable || !hasRole(user.role, tag.writeRole) || tag.dataType === 'string') return null;
  return (
    <>
      <Button size="compact-xs" variant="light" onClick={() => setOpen(true)} data-testid={`well-write-${point}`}>
        {t('setpoint.write')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('setpoint.title', { point })}>
        {/* Mounted per opening, so each starts from the live value of now. */}
        {open && <SetpointWriteDialog tag={tag} point={point} value={value} onClose={() => setOpen(false)} />}
      </Modal>
    </>
  );
}
