import {
  Anchor,
  AppShell,
  Badge,
  Burger,
  Button,
  Center,
  Group,
  Loader,
  NavLink,
  Notification,
  ScrollArea,
  Stack,
  Text,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { logout } from '../api/auth';
import { ApiError } from '../api/client';
import { PRODUCT_NAME } from './brand';
import { forgetEditorToken } from './editor-token';
import { ErrorMessage } from './error-message';
import { LanguageSwitch } from './language-switch';
import { LOGIN_PATH } from './login-redirect';
import { visibleNavItems } from './nav-items';
import { useSiteRole } from './site-role';
import { useSession } from './session';
import { UnitSwitch } from './unit-switch';
import { WaitingEntriesBadge } from './waiting-entries-badge';

const SECTIONS_WITH_SUBPAGES = new Set(['/field', '/assets']);

function CurrentUser({ where }: { where: 'header' | 'menu' }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const suffix = where === 'header' ? '' : '-menu';
  return (
    <Group gap={6} wrap="nowrap" data-testid={`current-user${suffix}`}>
      <Text size="sm">{user.username}</Text>
      {/* 12 px: the default badge text (11 px) is under the readable minimum the overview is tested for. */}
      <Badge variant="light" fz="xs" data-testid={`current-role${suffix}`}>
        {t(`roles.${user.role}`)}
      </Badge>
    </Group>
  );
}

export function AppFrame() {
  const { t } = useTranslation();
  const { user } = useSession();
  const { pathname } = useLocation();
  const siteRole = useSiteRole();
  const [navOpened, nav] = useDisclosure();
  const signOut = useMutation({
    mutationFn: logout,
    onSuccess: () => {
      forgetEditorToken();
      window.location.assign(LOGIN_PATH);
    },
  });
  // A 401 means the session was already gone; the query client handles that redirect.
  const signOutFailed = signOut.isError && !(signOut.error instanceof ApiError && signOut.error.status === 401);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
              data-testid="nav-toggle"
            />
            <Anchor component={Link} to="/" underline="never" c="inherit" fw={700} size="lg">
              {PRODUCT_NAME}
            </Anchor>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <WaitingEntriesBadge />
            <Group gap="sm" wrap="nowrap" visibleFrom="sm">
              <CurrentUser where="header" />
              <UnitSwitch />
              <LanguageSwitch />
            </Group>
            {/* Always in the header, at any width: signing out must never hide behind a menu. */}
            <Button
              variant="subtle"
              size="xs"
              px={8}
              onClick={() => signOut.mutate()}
              loading={signOut.isPending}
              data-testid="logout"
            >
              {t('header.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        {/* A phone shows more entries than fit its height: the list scrolls, the settings below stay. */}
        <AppShell.Section grow component={ScrollArea} type="auto">
          {visibleNavItems(user.role, siteRole).map((item) => (
            <NavLink
              key={item.path}
              component={Link}
              to={item.path}
              label={t(item.label)}
              // Sub-pages (a well under /field, an asset under /assets) keep their section lit; /flows/history is its own entry.
              active={pathname === item.path || (SECTIONS_WITH_SUBPAGES.has(item.path) && pathname.startsWith(`${item.path}/`))}
              onClick={nav.close}
              data-testid={item.testId}
            />
          ))}
        </AppShell.Section>
        {/* On a phone the header has room for the menu and sign-out only; the rest moves here. */}
        <AppShell.Section hiddenFrom="sm" pt="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
          <Stack gap="xs" align="flex-start">
            <CurrentUser where="menu" />
            <Group gap="xs">
              <UnitSwitch />
              <LanguageSwitch />
            </Group>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Suspense
          fallback={
            <Center h="40vh">
              <Loader />
            </Center>
          }
        >
          <Outlet />
        </Suspense>
      </AppShell.Main>

      {signOutFailed && (
        <Notification
          color="red"
          title={t('header.logoutFailed')}
          onClose={() => signOut.reset()}
          pos="fixed"
          top={72}
          right={16}
          w={380}
          style={{ zIndex: 300 }}
        >
          <ErrorMessage error={signOut.error} />
        </Notification>
      )}
    </AppShell>
  );
}
