import { Button, Card, SimpleGrid, Text, ThemeIcon, Title } from '@mantine/core';
import { IconChartLine, IconHeartHandshake, IconInbox } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { MyPulse } from '../feedback/PulsePage';
import { MyCallbacks } from '../phone/MyCallbacks';
import { can, useMe } from '../session';

const COMING = [
  { key: 'reporting', icon: <IconChartLine size={20} /> },
  { key: 'retention', icon: <IconHeartHandshake size={20} /> },
] as const;

/** The start page; it grows a dashboard with every step, and says what is on its way meanwhile. */
export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <>
      <Title order={1} size="h2">
        {t('home.welcome', { name: me.user.name })}
      </Title>
      {can(me, 'tickets:read') && (
        <Button component={Link} to="/tickets" leftSection={<IconInbox size={16} />} mt="md">
          {t('home.openTickets')}
        </Button>
      )}
      {can(me, 'tickets:read') && <MyCallbacks />}
      <MyPulse />
      <Text c="dimmed" mt="xl" mb="md">
        {t('home.intro')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        {COMING.map((item) => (
          <Card key={item.key} withBorder padding="lg">
            <ThemeIcon variant="light" size={36} radius="md" mb="sm">
              {item.icon}
            </ThemeIcon>
            <Text fw={600}>{t(`home.coming.${item.key}.title`)}</Text>
            <Text size="sm" c="dimmed">
              {t(`home.coming.${item.key}.text`)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
