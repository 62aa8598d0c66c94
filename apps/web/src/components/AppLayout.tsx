import type { Me } from '@keepdesk/contract';
import {
  AppShell,
  Avatar,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import {
  IconBolt,
  IconBook2,
  IconCalendarTime,
  IconChartBar,
  IconChevronDown,
  IconClockHour4,
  IconClockPlay,
  IconForms,
  IconHeartbeat,
  IconHeartHandshake,
  IconHelpCircle,
  IconHome,
  IconInbox,
  IconKey,
  IconLanguage,
  IconLogout,
  IconMail,
  IconMailForward,
  IconMailOff,
  IconMessageStar,
  IconMoodSmile,
  IconSearch,
  IconShieldLock,
  IconTarget,
  IconTemplate,
  IconUser,
  IconUserCog,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from '../api';
import { currentLanguage, type UiLanguage } from '../i18n';
import { PendingPoliciesBadge } from '../knowledge/parts';
import { useLiveUpdates } from '../live';
import { CallPopups } from '../phone/CallPopup';
import { can, meQuery, useMe } from '../session';
import { notifyError } from './feedback';
import { NotificationBell } from './NotificationBell';
import { PresenceMenu } from './PresenceMenu';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  permission?: string;
  rightSection?: ReactNode;
}

function navItems(t: (key: string) => string): { main: NavItem[]; settings: NavItem[] } {
  return {
    main: [
      { to: '/', label: t('nav.home'), icon: <IconHome size={18} /> },
      { to: '/tickets', label: t('nav.tickets'), icon: <IconInbox size={18} />, permission: 'tickets:read' },
      {
        to: '/knowledge',
        label: t('knowledge.nav'),
        icon: <IconBook2 size={18} />,
        permission: 'kb:read',
        rightSection: <PendingPoliciesBadge />,
      },
      {
        to: '/feedback',
        label: t('nav.feedback'),
        icon: <IconMoodSmile size={18} />,
        permission: 'tickets:read',
      },
      { to: '/reports', label: t('nav.reports'), icon: <IconChartBar size={18} /> },
      {
        to: '/retention',
        label: t('nav.retention'),
        icon: <IconHeartHandshake size={18} />,
        permission: 'customers:read',
      },
    ],
    settings: [
      { to: '/settings/profile', label: t('nav.profile'), icon: <IconUser size={18} /> },
      {
        to: '/settings/macros',
        label: t('nav.macros'),
        icon: <IconTemplate size={18} />,
        permission: 'tickets:write',
      },
      {
        to: '/settings/users',
        label: t('nav.users'),
        icon: <IconUsers size={18} />,
        permission: 'users:read',
      },
      {
        to: '/settings/teams',
        label: t('nav.teams'),
        icon: <IconUsersGroup size={18} />,
        permission: 'teams:read',
      },
      {
        to: '/settings/agents',
        label: t('nav.agents'),
        icon: <IconUserCog size={18} />,
        permission: 'teams:read',
      },
      {
        to: '/settings/ticket-fields',
        label: t('nav.ticketFields'),
        icon: <IconForms size={18} />,
        permission: 'tickets:admin',
      },
      {
        to: '/settings/mailboxes',
        label: t('nav.mailboxes'),
        icon: <IconMail size={18} />,
        permission: 'tickets:admin',
      },
      {
        to: '/settings/held-mail',
        label: t('nav.heldMail'),
        icon: <IconMailOff size={18} />,
        permission: 'tickets:admin',
      },
      {
        to: '/settings/business-hours',
        label: t('nav.calendars'),
        icon: <IconCalendarTime size={18} />,
        permission: 'tickets:admin',
      },
      {
        to: '/settings/sla-policies',
        label: t('nav.slaPolicies'),
        icon: <IconClockHour4 size={18} />,
        permission: 'tickets:admin',
      },
      {
        to: '/settings/triggers',
        label: t('nav.triggers'),
        icon: <IconBolt size={18} />,
        permission: 'tickets:admin',
      },
      {
        to: '/settings/automations',
        label: t('nav.automations'),
        icon: <IconClockPlay size={18} />,
        permission: 'tickets:admin',
      },
      {
        to: '/settings/surveys',
        label: t('nav.surveys'),
        icon: <IconMessageStar size={18} />,
        permission: 'tickets:admin',
      },
      {
        to: '/settings/pulse',
        label: t('nav.pulse'),
        icon: <IconHeartbeat size={18} />,
        permission: 'teams:read',
      },
      {
        to: '/settings/report-schedules',
        label: t('schedules.nav'),
        icon: <IconMailForward size={18} />,
        permission: 'reports:read',
      },
      {
        to: '/settings/targets',
        label: t('targets.nav'),
        icon: <IconTarget size={18} />,
        permission: 'reports:manage',
      },
      {
        to: '/settings/help-center',
        label: t('helpCenter.nav'),
        icon: <IconHelpCircle size={18} />,
        permission: 'kb:read',
      },
      {
        to: '/settings/retention',
        label: t('retentionSettings.nav'),
        icon: <IconHeartHandshake size={18} />,
        permission: 'retention:manage',
      },
      {
        to: '/settings/roles',
        label: t('nav.roles'),
        icon: <IconShieldLock size={18} />,
        permission: 'roles:manage',
      },
      {
        to: '/settings/tokens',
        label: t('nav.tokens'),
        icon: <IconKey size={18} />,
        permission: 'tokens:create',
      },
    ],
  };
}

/** The signed-in frame: brand and user menu on top, the areas this user may use on the left. */
export function AppLayout() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  useLiveUpdates();
  const [opened, { toggle, close }] = useDisclosure();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const items = navItems(t);
  const visible = (item: NavItem) => !item.permission || can(me, item.permission);

  // The language saved with the user wins over the browser's once the user is known.
  useEffect(() => {
    if (me.user.language !== currentLanguage()) void i18n.changeLanguage(me.user.language);
  }, [me.user.language, i18n]);

  const link = (item: NavItem) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      leftSection={item.icon}
      rightSection={item.rightSection}
      active={item.to === '/' ? pathname === '/' : pathname.startsWith(item.to)}
      onClick={close}
    />
  );

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Link to="/" style={{ textDecoration: 'none', color: 'inherit' }}>
              <Group gap={8}>
                <img src="/favicon.svg" alt="" width={26} height={26} />
                <Text fw={700} size="lg">
                  Keepdesk
                </Text>
              </Group>
            </Link>
          </Group>
          <Group gap="md">
            {can(me, 'tickets:read') && <SearchBox />}
            {can(me, 'tickets:write') && <PresenceMenu />}
            <NotificationBell />
            <UserMenu me={me} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea>
          {items.main.filter(visible).map(link)}
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>
            {t('nav.settings')}
          </Text>
          {items.settings.filter(visible).map(link)}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      <CallPopups />
    </AppShell>
  );
}

function UserMenu({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const saveLanguage = useMutation({
    mutationFn: (language: UiLanguage) => api.patch('/me', { language }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meQuery.queryKey }),
    onError: (error) => notifyError(t, error),
  });
  const signOut = useMutation({
    mutationFn: () => api.post('/auth/logout'),
    onSettled: async () => {
      setCsrfToken(null);
      queryClient.clear();
      await navigate({ to: '/login', search: { redirect: undefined } });
    },
  });
  const choose = (language: UiLanguage) => {
    void i18n.changeLanguage(language);
    saveLanguage.mutate(language);
  };
  const initials = me.user.name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

  return (
    <Menu position="bottom-end" width={220} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={t('userMenu.open')} data-testid="user-menu">
          <Group gap={8}>
            <Avatar src={me.user.avatarUrl} radius="xl" size={32} color="blue">
              {initials}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="xs">
              {me.user.name}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.user.email}</Menu.Label>
        <Menu.Item component={Link} to="/settings/profile" leftSection={<IconUser size={16} />}>
          {t('nav.profile')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Label>
          <Group gap={6}>
            <IconLanguage size={14} />
            {t('language.label')}
          </Group>
        </Menu.Label>
        <Menu.Item onClick={() => choose('de')} fw={currentLanguage() === 'de' ? 700 : undefined}>
          Deutsch
        </Menu.Item>
        <Menu.Item onClick={() => choose('en')} fw={currentLanguage() === 'en' ? 700 : undefined}>
          English
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={() => signOut.mutate()}>
          {t('userMenu.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** The search box in the header; `/` jumps into it from anywhere. */
function SearchBox() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  useHotkeys([['/', () => input.current?.focus()]]);
  return (
    <form
      aria-label={t('search.label')}
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) void navigate({ to: '/search', search: { q: value.trim() } });
      }}
    >
      <TextInput
        ref={input}
        size="sm"
        w={{ base: 160, sm: 320 }}
        leftSection={<IconSearch size={16} />}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        value={value}
        onChange={(event) => setValue(event.currentTarget.value)}
      />
    </form>
  );
}
