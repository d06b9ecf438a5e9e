import { Anchor, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { visibleNavItems } from './nav-items';
import { useSession } from './session';
import { useSiteRole } from './site-role';

export function HomePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const siteRole = useSiteRole();
  const shortcuts = visibleNavItems(user.role, siteRole).filter((item) => item.description !== null);

  return (
    <Stack maw={960}>
      <Title order={2}>{t('home.welcome', { username: user.username })}</Title>
      <Text data-testid="home-role">{t('home.role', { role: t(`roles.${user.role}`) })}</Text>
      <Title order={3}>{t('home.shortcuts')}</Title>
      {shortcuts.length === 0 ? (
        <Text c="dimmed">{t('home.noShortcuts')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {shortcuts.map((item) => (
            <Card key={item.path} withBorder>
              <Anchor component={Link} to={item.path} fw={600}>
                {t(item.label)}
              </Anchor>
              {item.description !== null && (
                <Text size="sm" c="dimmed" mt={4}>
                  {t(item.description)}
                </Text>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
