import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from './live-client';
import { useLiveStatus } from './use-live-tags';

const COLOR: Record<ConnectionState, string> = {
  idle: 'gray',
  connecting: 'yellow',
  open: 'green',
  reconnecting: 'red',
};

/** Whether the values on screen are still moving: a dropped socket leaves them frozen. */
export function LiveStatusBadge() {
  const { t } = useTranslation();
  const { state, serverError } = useLiveStatus();
  return (
    <Tooltip label={serverError ?? t(`live.status.${state}Hint`)} multiline maw={320}>
      <Badge color={COLOR[state]} variant="dot" fz="xs" data-testid="live-status" data-state={state}>
        {t(`live.status.${state}`)}
      </Badge>
    </Tooltip>
  );
}
