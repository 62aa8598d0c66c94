import {
  AccountRetention,
  AtRiskPage,
  AtRiskQuery,
  ChurnModelList,
  IdParams,
  Outreach,
  OutreachBody,
  RetentionGlance,
  RetentionGlanceQuery,
  RetentionSettings,
  ScoringRun,
} from '@keepdesk/contract';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { type App, actorOf, principalOf } from '../../platform/http';
import { DEFAULT_RETENTION_SETTINGS, runRetention } from './model.service';
import {
  accountRetention,
  getRetentionSettings,
  listAtRisk,
  listChurnModels,
  logOutreach,
  putRetentionSettings,
  retentionGlance,
} from './retention.service';

const read = { access: { permission: 'customers:read' } };
const write = { access: { permission: 'customers:write' } };
const manage = { access: { permission: 'retention:manage' } };

/** Churn risk with reasons, health, value, the at-risk list and the outreach log (docs/retention.md). */
export function retentionRoutes(deps: Deps) {
  return async (app: App) => {
    const tags = ['retention'];
    app.get(
      '/retention/at-risk',
      {
        schema: {
          tags,
          description:
            'Current customers ranked by value at risk (probability of churn × expected revenue of the next 12 months), with reasons, health, last contact, open tickets and owner.',
          querystring: AtRiskQuery,
          response: { 200: AtRiskPage },
        },
        config: read,
      },
      async (req) => listAtRisk(deps, principalOf(req).userId, req.query),
    );
    app.get(
      '/customer-accounts/:id/retention',
      { schema: { tags, params: IdParams, response: { 200: AccountRetention } }, config: read },
      async (req) => accountRetention(deps, req.params.id),
    );
    app.post(
      '/customer-accounts/:id/outreach',
      { schema: { tags, params: IdParams, body: OutreachBody, response: { 201: Outreach } }, config: write },
      async (req, reply) =>
        reply.code(201).send(await logOutreach(deps, actorOf(req), req.params.id, req.body)),
    );
    app.get(
      '/retention/glance',
      {
        schema: {
          tags,
          description:
            "The accounts of a contact (or of its organisation) as the agent's ticket sidebar shows them.",
          querystring: RetentionGlanceQuery,
          response: { 200: RetentionGlance },
        },
        config: read,
      },
      async (req) => retentionGlance(deps, req.query.contactId),
    );
    app.get(
      '/retention/models',
      { schema: { tags, response: { 200: ChurnModelList } }, config: read },
      async () => listChurnModels(deps),
    );
    app.post(
      '/retention/runs',
      {
        schema: {
          tags,
          description:
            'Trains the churn model when asked (or when it is due), then scores every account: risk, reasons, health and value. A model that cannot be fitted is listed as failed and the active one stays. One run at a time: 409 RETENTION_RUN_IN_PROGRESS (with when the running one began) while another is going, from any process or the nightly job.',
          body: z.object({ train: z.boolean().default(false) }).default({ train: false }),
          response: { 200: ScoringRun },
        },
        config: manage,
      },
      async (req) => runRetention(deps, { train: req.body.train }),
    );
    app.get(
      '/retention/settings',
      { schema: { tags, response: { 200: RetentionSettings } }, config: read },
      async () => getRetentionSettings(deps),
    );
    app.get(
      '/retention/settings/defaults',
      {
        schema: {
          tags,
          description: 'The settings a new workspace starts with, for "reset to defaults".',
          response: { 200: RetentionSettings },
        },
        config: read,
      },
      async () => DEFAULT_RETENTION_SETTINGS,
    );
    app.put(
      '/retention/settings',
      { schema: { tags, body: RetentionSettings, response: { 200: RetentionSettings } }, config: manage },
      async (req) => putRetentionSettings(deps, actorOf(req), req.body),
    );
  };
}
