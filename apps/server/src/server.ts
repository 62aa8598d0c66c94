import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyRequest } from 'fastify';
import {
  authenticateSession,
  authenticateToken,
  authRoutes,
  ensureBuiltInRoles,
  onAccessEnd,
  SEND_PASSWORD_LINK,
  SESSION_COOKIE,
  sendPasswordLinkJob,
  userRoutes,
  watchAccessChanges,
} from './modules/auth';
import {
  automationRoutes,
  automationSweepJob,
  RULE_EMAIL,
  rescheduleJob,
  ruleEmailJob,
  runAutomationJob,
  TICKET_EVENT,
  TRIGGER_EVENT_OF,
  ticketEventJob,
} from './modules/automations';
import { accountRoutes, customerRoutes, onContactMerge } from './modules/customers';
import {
  ACKNOWLEDGE_WEB_REQUEST,
  acknowledgeWebRequestJob,
  deliverJob,
  emailRoutes,
  ImapPoller,
  QUEUE_REPLY,
  queueReplyJob,
  type SmtpListener,
  startSmtpListener,
  WEB_REQUEST_RECEIVED,
} from './modules/email';
import {
  computeThemesJob,
  FOLLOW_UP,
  FOLLOW_UP_REQUESTED,
  feedbackDigestJob,
  feedbackRoutes,
  followUpJob,
  moveSurveysToContact,
  nightlyThemesJob,
  sendSurveyJob,
  surveyPages,
  surveyRoundsJob,
  TICKET_STATUS,
  ticketStatusJob,
} from './modules/feedback';
import {
  brandRoutes,
  helpCenterPages,
  knowledgeRoutes,
  knowledgeSearchRoutes,
  verificationJob,
} from './modules/knowledge';
import { notificationRoutes } from './modules/notifications';
import { CALL_TOPIC, callbackDueJob, phoneRoutes } from './modules/phone';
import {
  authenticatePortal,
  LINK_REQUESTED,
  PORTAL_COOKIE,
  portalPages,
  portalRoutes,
  portalSweepJob,
  SEND_PORTAL_LINK,
  sendPortalLinkJob,
} from './modules/portal';
import {
  deliverReportJob,
  exportRoutes,
  ReportingWorker,
  reportingRoutes,
  reportScheduleSweepJob,
  targetRoutes,
} from './modules/reporting';
import {
  lifetimeValueRoutes,
  retentionJob,
  retentionMetricsRoutes,
  retentionRoutes,
} from './modules/retention';
import {
  drainQueueJob,
  endPresence,
  presenceSweepJob,
  ROUTE_TICKET,
  routeTicketJob,
  routingRoutes,
} from './modules/routing';
import {
  escalateJob,
  escalationMailJob,
  RECOMPUTE_SLA,
  reapplySlaJob,
  recomputeSlaJob,
  slaRoutes,
  slaSweepJob,
} from './modules/sla';
import { teamRoutes } from './modules/teams';
import { moveTicketsToContact, ticketRoutes, worklogRoutes } from './modules/tickets';
import { widgetPages, widgetRoutes } from './modules/widget';
import type { Config } from './platform/config';
import type { Deps } from './platform/context';
import { type DatabaseHandle, openDatabase, runMigrations } from './platform/db';
import { EventBus, OutboxDispatcher } from './platform/events';
import { healthRoutes } from './platform/health';
import { type App, createHttpApp, type Principal } from './platform/http';
import { JobQueue } from './platform/jobs';
import { LiveHub, liveRoutes } from './platform/live';
import { createLogger, type Logger } from './platform/logging';
import { createMailer } from './platform/mail';
import { Metrics } from './platform/metrics';
import { createStorage } from './platform/storage';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface Server {
  app: App;
  deps: Deps;
  /** Listens on the configured host and port (and the SMTP port, when configured); returns the URL. */
  listen(): Promise<string>;
  /** The SMTP listener's port once `listen` started it. */
  smtpPort(): number | null;
  /** Graceful stop: no new requests, in-flight requests and jobs finish, then the database closes. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  log?: Logger;
  /** An already open database (tests share one); it is then left open on stop. */
  database?: DatabaseHandle;
  webRoot?: string;
}

/** The composition root: opens the database, migrates, wires modules, jobs, events and HTTP. */
export async function createServer(config: Config, options: ServerOptions = {}): Promise<Server> {
  const log = options.log ?? createLogger(config.logLevel);
  const database = options.database ?? (await openDatabase(config.database));
  const ownsDatabase = !options.database;
  await runMigrations(database);
  await ensureBuiltInRoles({ database });

  const jobs = new JobQueue(database, log);
  const bus = new EventBus(database, log);
  const outbox = new OutboxDispatcher(database, jobs, bus, log);
  const mailer = createMailer(config, log);
  const live = new LiveHub(bus);
  live.expose('ticket', 'tickets:read');
  live.expose('contact', 'customers:read');
  live.expose('organization', 'customers:read');
  live.expose('survey_response', 'tickets:read');
  // Ids and actions only; portal and widget streams never hear of articles (docs/knowledge.md).
  live.expose('kb_article', 'kb:read');
  live.forwardToUser(CALL_TOPIC);
  const storage = createStorage(config, database);
  const deps: Deps = {
    config,
    database,
    jobs,
    bus,
    outbox,
    live,
    mailer,
    storage,
    log,
    now: () => new Date(),
  };

  await jobs.start();
  await jobs.define(sendPasswordLinkJob(deps));
  outbox.route('user.password_reset_requested', SEND_PASSWORD_LINK);
  outbox.route('user.invited', SEND_PASSWORD_LINK);
  await jobs.define(sendPortalLinkJob(deps));
  await jobs.define(portalSweepJob(deps));
  outbox.route(LINK_REQUESTED, SEND_PORTAL_LINK);
  await jobs.define(queueReplyJob(deps));
  await jobs.define(deliverJob(deps));
  outbox.route('ticket.replied', QUEUE_REPLY);
  await jobs.define(acknowledgeWebRequestJob(deps));
  outbox.route(WEB_REQUEST_RECEIVED, ACKNOWLEDGE_WEB_REQUEST);
  await jobs.define(callbackDueJob(deps));
  await jobs.define(recomputeSlaJob(deps));
  await jobs.define(reapplySlaJob(deps));
  await jobs.define(slaSweepJob(deps));
  await jobs.define(escalationMailJob(deps));
  await jobs.define(escalateJob(deps));
  for (const event of ['ticket.created', 'ticket.updated', 'ticket.replied', 'ticket.customer_replied']) {
    outbox.route(event, RECOMPUTE_SLA);
  }
  await jobs.define(routeTicketJob(deps));
  await jobs.define(drainQueueJob(deps));
  await jobs.define(presenceSweepJob(deps));
  outbox.route('ticket.created', ROUTE_TICKET);
  outbox.route('ticket.updated', ROUTE_TICKET);
  await jobs.define(ticketEventJob(deps));
  await jobs.define(automationSweepJob(deps));
  await jobs.define(runAutomationJob(deps));
  await jobs.define(rescheduleJob(deps));
  await jobs.define(ruleEmailJob(deps));
  for (const event of Object.keys(TRIGGER_EVENT_OF)) outbox.route(event, TICKET_EVENT);
  outbox.route('rule.email_requested', RULE_EMAIL);
  await jobs.define(ticketStatusJob(deps));
  await jobs.define(sendSurveyJob(deps));
  await jobs.define(surveyRoundsJob(deps));
  await jobs.define(followUpJob(deps));
  await jobs.define(computeThemesJob(deps));
  await jobs.define(nightlyThemesJob(deps));
  await jobs.define(feedbackDigestJob(deps));
  await jobs.define(retentionJob(deps));
  await jobs.define(verificationJob(deps));
  await jobs.define(reportScheduleSweepJob(deps));
  await jobs.define(deliverReportJob(deps));
  outbox.route('ticket.created', TICKET_STATUS);
  outbox.route('ticket.updated', TICKET_STATUS);
  outbox.route(FOLLOW_UP_REQUESTED, FOLLOW_UP);
  outbox.route('survey.commented', FOLLOW_UP);
  await bus.start();
  live.start();
  watchAccessChanges(deps);
  onAccessEnd(endPresence);
  onContactMerge(moveTicketsToContact);
  onContactMerge(moveSurveysToContact);
  const isWorker = config.role !== 'web';
  const imap = isWorker ? new ImapPoller(deps) : undefined;
  const reporting = isWorker ? new ReportingWorker(deps) : undefined;
  if (isWorker) {
    await jobs.work();
    await outbox.start();
    imap!.start();
    reporting!.start();
  }

  let isShuttingDown = false;
  const metrics = new Metrics();
  const app = await createHttpApp({
    config,
    log,
    metrics,
    authenticate: (req) => authenticate(deps, req),
    authenticateCustomer: (req) => authenticatePortal(deps, req.cookies[PORTAL_COOKIE]),
    isShuttingDown: () => isShuttingDown,
    webRoot: config.role === 'worker' ? undefined : (options.webRoot ?? WEB_ROOT),
  });
  await app.register(healthRoutes(database, metrics, () => isShuttingDown));
  await app.register(
    async (api) => {
      await api.register(liveRoutes(live));
      await api.register(authRoutes(deps));
      await api.register(userRoutes(deps));
      await api.register(teamRoutes(deps));
      await api.register(customerRoutes(deps));
      await api.register(accountRoutes(deps));
      await api.register(retentionRoutes(deps));
      await api.register(retentionMetricsRoutes(deps));
      await api.register(lifetimeValueRoutes(deps));
      await api.register(ticketRoutes(deps));
      await api.register(worklogRoutes(deps));
      await api.register(notificationRoutes(deps));
      await api.register(emailRoutes(deps));
      await api.register(phoneRoutes(deps));
      await api.register(slaRoutes(deps));
      await api.register(routingRoutes(deps));
      await api.register(automationRoutes(deps));
      await api.register(feedbackRoutes(deps));
      await api.register(reportingRoutes(deps));
      await api.register(exportRoutes(deps));
      await api.register(targetRoutes(deps));
      await api.register(portalRoutes(deps));
      await api.register(knowledgeRoutes(deps));
      await api.register(knowledgeSearchRoutes(deps));
      await api.register(brandRoutes(deps));
      await api.register(widgetRoutes(deps));
    },
    { prefix: '/api/v1' },
  );
  await app.register(surveyPages(deps));
  await app.register(portalPages(deps));
  await app.register(helpCenterPages(deps));
  await app.register(widgetPages(deps, path.join(options.webRoot ?? WEB_ROOT, 'widget')));
  await app.ready();
  let smtp: SmtpListener | undefined;

  return {
    app,
    deps,
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      if (config.smtpPort !== undefined) {
        smtp = await startSmtpListener(deps, { port: config.smtpPort, host: config.host });
      }
      return `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    },
    smtpPort: () => smtp?.port ?? null,
    async stop() {
      if (isShuttingDown) return;
      isShuttingDown = true;
      await smtp?.close();
      await imap?.stop();
      // Event streams never end on their own; browsers reconnect to another process.
      live.closeAll();
      await app.close();
      live.stop();
      await reporting?.stop();
      await outbox.stop();
      await jobs.stop(config.shutdownTimeoutMs);
      await bus.stop();
      mailer.close();
      if (ownsDatabase) await database.close();
    },
  };
}

const principals = new WeakMap<FastifyRequest, Promise<Principal | null>>();

/** Bearer token first, then the session cookie; resolved once per request. */
function authenticate(deps: Deps, req: FastifyRequest): Promise<Principal | null> {
  let pending = principals.get(req);
  if (!pending) {
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const cookie = req.cookies[SESSION_COOKIE];
    pending = bearer
      ? authenticateToken(deps, bearer)
      : cookie
        ? authenticateSession(deps, cookie)
        : Promise.resolve(null);
    principals.set(req, pending);
  }
  return pending;
}
