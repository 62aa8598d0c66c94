import { Anchor, AppShell, Button, Container, Group, Paper, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Outlet } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { currentLanguage } from '../i18n';
import { portalMeQuery, usePortalLive } from './portal';

function SignedIn() {
  usePortalLive();
  return <Outlet />;
}

/** The customer's own frame: no agent navigation, just their requests, the language and sign-out. */
export function PortalLayout() {
  const { t } = useTranslation();
  const me = useQuery(portalMeQuery);
  const signOut = async () => {
    await api.post('/portal/logout');
    window.location.assign(`/portal/login?lang=${currentLanguage()}`);
  };
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Container size="md" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Title order={1} size="h4">
              {t('portal.title')}
            </Title>
            <Group gap="sm" wrap="nowrap">
              <LanguageSwitch />
              {me.data && (
                <Button
                  variant="subtle"
                  size="xs"
                  onClick={() => void signOut()}
                  data-testid="portal-sign-out"
                >
                  {t('portal.signOut')}
                </Button>
              )}
            </Group>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="md">
          {me.isPending ? null : me.data ? (
            <SignedIn />
          ) : (
            <Paper withBorder p="lg" maw={480} mx="auto" mt="xl">
              <Text mb="md">{t('portal.signedOut')}</Text>
              {/* A full page load: the sign-in pages are rendered by the server. */}
              <Anchor href={`/portal/login?lang=${currentLanguage()}`}>{t('portal.signIn')}</Anchor>
            </Paper>
          )}
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
