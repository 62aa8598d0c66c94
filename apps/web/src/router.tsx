import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { AppLayout } from './components/AppLayout';
import { NotFound } from './components/NotFound';
import { ContactPage } from './customers/ContactPage';
import { ComplaintsPage } from './feedback/ComplaintsPage';
import { FeedbackItemsPage } from './feedback/FeedbackItemsPage';
import { FeedbackPage } from './feedback/FeedbackPage';
import { MentionsPage } from './feedback/MentionsPage';
import { PulsePage } from './feedback/PulsePage';
import { SurveysPage } from './feedback/SurveysPage';
import { ThemesPage } from './feedback/ThemesPage';
import { KnowledgeAnalyticsPage } from './knowledge/AnalyticsPage';
import { ArticlePage, NewArticlePage } from './knowledge/ArticlePage';
import { CategoriesPage as KnowledgeCategoriesPage } from './knowledge/CategoriesPage';
import { KnowledgePage } from './knowledge/KnowledgePage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { HomePage } from './pages/HomePage';
import { LoginPage } from './pages/LoginPage';
import { ProfilePage } from './pages/ProfilePage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { RolesPage } from './pages/RolesPage';
import { TeamsPage } from './pages/TeamsPage';
import { TokensPage } from './pages/TokensPage';
import { UsersPage } from './pages/UsersPage';
import { PortalLayout } from './portal/PortalLayout';
import { PortalTicketPage } from './portal/PortalTicketPage';
import { PortalTicketsPage } from './portal/PortalTicketsPage';
import { AgentDashboard } from './reports/AgentDashboard';
import { LiveDashboard } from './reports/LiveDashboard';
import { ManagerDashboard } from './reports/ManagerDashboard';
import { AccountPage } from './retention/AccountPage';
import { AtRiskPage, parseAtRiskSearch } from './retention/AtRiskPage';
import { ImportPage } from './retention/ImportPage';
import { ModelPage } from './retention/ModelPage';
import { parseMetricsSearch } from './retention/metrics/data';
import { RetentionMetricsPage } from './retention/metrics/RetentionMetricsPage';
import { LifetimeValuePage } from './retention/value/LifetimeValuePage';
import { meQuery } from './session';
import { AgentsPage } from './settings/AgentsPage';
import { CalendarsPage } from './settings/CalendarsPage';
import { HeldMailPage } from './settings/HeldMailPage';
import { HelpCenterSettings } from './settings/HelpCenterSettings';
import { MacrosPage } from './settings/MacrosPage';
import { MailboxesPage } from './settings/MailboxesPage';
import { ReportSchedulesPage } from './settings/ReportSchedulesPage';
import { RetentionSettingsPage } from './settings/RetentionSettingsPage';
import { RulesPage } from './settings/RulesPage';
import { SlaPoliciesPage } from './settings/SlaPoliciesPage';
import { TargetsPage } from './settings/TargetsPage';
import { TicketFieldsPage } from './settings/TicketFieldsPage';
import { SearchPage } from './tickets/SearchPage';
import { TicketPage } from './tickets/TicketPage';
import { TicketsPage } from './tickets/TicketsPage';

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>) => ({ redirect: stringOr(search.redirect) }),
  component: LoginPage,
});

const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/forgot-password',
  component: ForgotPasswordPage,
});

const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: (search: Record<string, unknown>) => ({ token: stringOr(search.token) }),
  component: ResetPasswordPage,
});

/** The customer portal: its own frame and its own sign-in (the portal cookie), outside the agent guard. */
const portalRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/portal',
  component: PortalLayout,
});
const portalTicketsRoute = createRoute({
  getParentRoute: () => portalRoute,
  path: '/',
  component: PortalTicketsPage,
});
const portalTicketRoute = createRoute({
  getParentRoute: () => portalRoute,
  path: '/tickets/$ticketId',
  component: PortalTicketPage,
});

/** Everything behind sign-in: asks /me first and sends strangers to the login page. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) throw redirect({ to: '/login', search: { redirect: location.href } });
  },
  component: AppLayout,
});

const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: HomePage });
const ticketsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tickets',
  validateSearch: (search: Record<string, unknown>) => ({ view: stringOr(search.view) }),
  component: TicketsPage,
});
const ticketRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tickets/$ticketId',
  component: TicketPage,
});
const searchRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/search',
  validateSearch: (search: Record<string, unknown>) => ({ q: stringOr(search.q) ?? '' }),
  component: SearchPage,
});
const contactRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/contacts/$contactId',
  component: ContactPage,
});
const profileRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/profile',
  component: ProfilePage,
});
const usersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/users',
  component: UsersPage,
});
const teamsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/teams',
  component: TeamsPage,
});
const rolesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/roles',
  component: RolesPage,
});
const tokensRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/tokens',
  component: TokensPage,
});

const ticketFieldsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/ticket-fields',
  component: TicketFieldsPage,
});

const mailboxesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/mailboxes',
  component: MailboxesPage,
});

const heldMailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/held-mail',
  component: HeldMailPage,
});

const helpCenterSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/help-center',
  component: HelpCenterSettings,
});

const calendarsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/business-hours',
  component: CalendarsPage,
});

const slaPoliciesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/sla-policies',
  component: SlaPoliciesPage,
});

const macrosRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/macros',
  component: MacrosPage,
});

const agentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/agents',
  component: AgentsPage,
});

const triggersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/triggers',
  component: () => <RulesPage kind="trigger" />,
});

const feedbackRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/feedback',
  component: FeedbackPage,
});

const mentionsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/feedback/mentions',
  component: MentionsPage,
});

const themesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/feedback/themes',
  component: ThemesPage,
});

const feedbackItemsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/feedback/items',
  component: FeedbackItemsPage,
});

const complaintsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/feedback/complaints',
  component: ComplaintsPage,
});

const pulseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/pulse',
  component: PulsePage,
});

const surveysRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/surveys',
  component: SurveysPage,
});

const reportSchedulesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/report-schedules',
  component: ReportSchedulesPage,
});

const targetsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/targets',
  component: TargetsPage,
});

const automationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/automations',
  component: () => <RulesPage kind="automation" />,
});

const reportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports',
  component: ManagerDashboard,
});

const liveReportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports/live',
  component: LiveDashboard,
});

const myReportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports/me',
  component: AgentDashboard,
});

const retentionRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/retention',
  validateSearch: parseAtRiskSearch,
  component: AtRiskPage,
});

const retentionAccountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/retention/accounts/$accountId',
  component: AccountPage,
});

const retentionModelRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/retention/model',
  component: ModelPage,
});

const retentionImportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/retention/import',
  component: ImportPage,
});

const retentionSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/retention',
  component: RetentionSettingsPage,
});

const retentionMetricsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/retention/metrics',
  validateSearch: parseMetricsSearch,
  component: RetentionMetricsPage,
});

const retentionValueRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/retention/value',
  component: LifetimeValuePage,
});

const knowledgeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/knowledge',
  component: KnowledgePage,
});
const knowledgeNewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/knowledge/new',
  component: NewArticlePage,
});
const knowledgeArticleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/knowledge/articles/$articleId',
  component: ArticlePage,
});
const knowledgeCategoriesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/knowledge/categories',
  component: KnowledgeCategoriesPage,
});

const knowledgeAnalyticsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/knowledge/analytics',
  component: KnowledgeAnalyticsPage,
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  portalRoute.addChildren([portalTicketsRoute, portalTicketRoute]),
  forgotPasswordRoute,
  resetPasswordRoute,
  appRoute.addChildren([
    homeRoute,
    ticketsRoute,
    ticketRoute,
    searchRoute,
    knowledgeRoute,
    knowledgeNewRoute,
    knowledgeArticleRoute,
    knowledgeCategoriesRoute,
    knowledgeAnalyticsRoute,
    feedbackRoute,
    reportsRoute,
    liveReportsRoute,
    myReportsRoute,
    retentionRoute,
    retentionAccountRoute,
    retentionModelRoute,
    retentionMetricsRoute,
    retentionValueRoute,
    retentionImportRoute,
    retentionSettingsRoute,
    helpCenterSettingsRoute,
    mentionsRoute,
    themesRoute,
    feedbackItemsRoute,
    complaintsRoute,
    surveysRoute,
    pulseRoute,
    contactRoute,
    profileRoute,
    usersRoute,
    teamsRoute,
    rolesRoute,
    tokensRoute,
    ticketFieldsRoute,
    mailboxesRoute,
    heldMailRoute,
    calendarsRoute,
    slaPoliciesRoute,
    macrosRoute,
    agentsRoute,
    triggersRoute,
    automationsRoute,
    targetsRoute,
    reportSchedulesRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent' });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
