import {
  CreateReportTargetBody,
  IdParams,
  NoContent,
  ReportTarget,
  ReportTargetDetail,
  ReportTargetHistoryQuery,
  ReportTargetList,
  ReportTargetQuery,
  UpdateReportTargetBody,
} from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { type App, actorOf } from '../../platform/http';
import { createTarget, deleteTarget, listTargets, targetDetail, updateTarget } from './targets.service';

const tags = ['reports'];
const read = { access: { permission: 'reports:read' } };
const manage = { access: { permission: 'reports:manage' } };

/** Reporting targets: a metric against a threshold per week, month or quarter (docs/reporting.md "Targets"). */
export function targetRoutes(deps: Deps) {
  return async (app: App) => {
    app.get(
      '/reports/targets',
      {
        schema: {
          tags,
          description:
            'Targets with their progress in the current period: the value so far, the forecast for the end of the period and a status (on_track, at_risk, off_track, met, no_data).',
          querystring: ReportTargetQuery,
          response: { 200: ReportTargetList },
        },
        config: read,
      },
      async (req) => listTargets(deps, req.query.scope),
    );
    app.get(
      '/reports/targets/:id',
      {
        schema: {
          tags,
          description: 'A target with its current progress and the value of each past period, met or missed.',
          params: IdParams,
          querystring: ReportTargetHistoryQuery,
          response: { 200: ReportTargetDetail },
        },
        config: read,
      },
      async (req) => targetDetail(deps, req.params.id, req.query.periods),
    );
    app.post(
      '/reports/targets',
      {
        schema: {
          tags,
          description:
            'A target: metric and statistic of the catalogue, at_least or at_most a threshold in the metric’s unit, for the workspace or a team, agent or channel, every week, month or quarter. Its owner is alerted when it goes off track.',
          body: CreateReportTargetBody,
          response: { 201: ReportTarget },
        },
        config: manage,
      },
      async (req, reply) => reply.code(201).send(await createTarget(deps, actorOf(req), req.body)),
    );
    app.patch(
      '/reports/targets/:id',
      {
        schema: { tags, params: IdParams, body: UpdateReportTargetBody, response: { 200: ReportTarget } },
        config: manage,
      },
      async (req) => updateTarget(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete(
      '/reports/targets/:id',
      { schema: { tags, params: IdParams, response: { 204: NoContent } }, config: manage },
      async (req, reply) => {
        await deleteTarget(deps, actorOf(req), req.params.id);
        return reply.code(204).send();
      },
    );
  };
}
